"""The figure style every page shares.

One look for all figures: the colour-blind-safe Okabe-Ito palette, opaque
white backgrounds (readable in the site's dark mode too), matplotlib's own
DejaVu fonts, and PNGs rendered at twice their display size so they stay
sharp on a phone. Nothing in a saved file depends on the time or on random
ids, so two builds of the site give the same bytes.

>>> use_style()
>>> import matplotlib as mpl
>>> mpl.rcParams["axes.prop_cycle"].by_key()["color"][:3]
['#0072B2', '#E69F00', '#009E73']
"""

from __future__ import annotations

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


def use_style() -> None:
    """Apply the shared style; inside Jupyter, also render figures as sharp PNGs."""
    import matplotlib.pyplot as plt  # activates the notebook backend, which must precede styling

    plt.style.use(STYLE)
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")  # type: ignore[no-untyped-call]
