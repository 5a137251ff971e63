"""The figure style every page shares.

One look for all figures: the colour-blind-safe Okabe-Ito palette, opaque
white backgrounds (readable in the site's dark mode too) and matplotlib's own
DejaVu fonts. In a notebook each figure is shown as an SVG or a PNG, whichever
is smaller to send, and carries a PDF for the book (:func:`figure_image`).
Nothing in a saved file depends on the time or on random ids, so two builds of
the site give the same bytes.

>>> use_style()
>>> import matplotlib as mpl
>>> mpl.rcParams["axes.prop_cycle"].by_key()["color"][:3]
['#0072B2', '#E69F00', '#009E73']
"""

from __future__ import annotations

import gzip
import io
from typing import Any

from cycler import cycler

#: Okabe and Ito's palette, distinguishable with every common colour-vision deficiency.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: Sequential and diverging colour maps that stay readable in grey and for colour-blind readers.
SEQUENTIAL = "viridis"
DIVERGING = "PuOr_r"

STYLE: dict[str, Any] = {
    "axes.prop_cycle": cycler(color=list(PALETTE.values())),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "figure.dpi": 100,
    "figure.figsize": (6.4, 4.0),
    "figure.constrained_layout.use": True,
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "image.cmap": SEQUENTIAL,
    "lines.linewidth": 1.8,
    "svg.hashsalt": "seminar-05",
}


#: Pixels of a PNG per CSS pixel. Figures are shown at most at their natural width
#: (640 CSS px) and at about half of it on a phone, whose screen has 2 to 3 pixels per
#: CSS pixel, so 1.5 is sharp everywhere but on a high-density desktop screen.
PNG_SCALE = 1.5
#: Static hosts send SVG gzipped, and PNG is compressed already, so sizes are compared as sent.
SVG_GZIP_LEVEL = 6
IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg", "application/pdf")


# `fig` is a matplotlib Figure; typed Any because the docs (built offline) cannot link it.
def figure_image(fig: Any) -> tuple[dict[str, bytes | str], dict[str, dict[str, int]]]:
    """``fig`` as a notebook output: the smaller of an SVG and a PNG, with its size, and a
    PDF for the PDF edition.

    Line plots are usually smaller as SVG, images and dense scatters as PNG. The size
    (CSS pixels, the same for either format) lets the page reserve the figure's box
    before the file arrives. The PDF keeps the figure's own size in inches, which the
    book scales down to its text width.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> data, metadata = figure_image(fig)
    >>> list(data)
    ['image/svg+xml', 'application/pdf']
    >>> sorted(metadata["image/svg+xml"])
    ['height', 'width']
    """
    png = _render(fig, "png", dpi=fig.dpi * PNG_SCALE)
    svg = _render(fig, "svg", metadata={"Date": None}).decode()
    # The tight bounding box is a fractional number of pixels, so the figure's own
    # background leaves the edge pixels half transparent: paint the whole image first.
    from matplotlib.colors import to_hex

    background = to_hex(fig.get_facecolor(), keep_alpha=False)
    svg = svg.replace("<svg ", f'<svg style="background-color: {background}" ', 1)
    width, height = (int.from_bytes(png[offset : offset + 4]) for offset in (16, 20))  # IHDR
    size = {"width": round(width / PNG_SCALE), "height": round(height / PNG_SCALE)}
    svg_sent = len(gzip.compress(svg.encode(), compresslevel=SVG_GZIP_LEVEL, mtime=0))
    kind = "image/svg+xml" if svg_sent < len(png) else "image/png"
    pdf = _render(fig, "pdf", metadata={"CreationDate": None})  # for the PDF edition
    return {kind: svg if kind == "image/svg+xml" else png, "application/pdf": pdf}, {kind: size}


def _render(fig: Any, fmt: str, **kwargs: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, bbox_inches="tight", **kwargs)
    return buffer.getvalue()


def use_style() -> None:
    """Apply the shared style; inside Jupyter, also show figures with :func:`figure_image`."""
    import matplotlib.pyplot as plt  # activates the notebook backend, which must precede styling

    plt.style.use(STYLE)
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        from matplotlib.figure import Figure

        formatters = shell.display_formatter
        for kind in IMAGE_TYPES:  # the inline backend's own PNG (or other) renderer
            formatters.formatters[kind].pop(Figure, None)
        formatters.mimebundle_formatter.for_type(Figure, figure_image)
