"""The shared figure style: opaque, colour-blind-safe, and byte-for-byte reproducible."""

from __future__ import annotations

import gzip
import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from seminar.plotting import PALETTE, PNG_SCALE, _render, figure_image, use_style


def render(seed: int) -> bytes:
    use_style()
    rng = np.random.default_rng(seed)
    fig, ax = plt.subplots()
    ax.plot(rng.normal(size=50).cumsum(), label="walk")
    ax.imshow(rng.random((8, 8)), extent=(0, 10, -3, 3))
    ax.legend()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def test_same_figure_gives_the_same_bytes():
    assert render(0) == render(0)
    assert render(0) != render(1)


def test_figures_are_opaque_for_dark_mode():
    image = plt.imread(io.BytesIO(render(0)), format="png")
    assert image.shape[2] == 3 or np.all(image[..., 3] == 1.0)


def test_png_carries_no_timestamp():
    assert b"Date" not in render(0)
    assert b"Creation Time" not in render(0)


def test_palette_is_the_default_colour_cycle():
    use_style()
    assert plt.rcParams["axes.prop_cycle"].by_key()["color"] == list(PALETTE.values())
    assert len(set(PALETTE.values())) == len(PALETTE)


@pytest.mark.parametrize("key", ["figure.facecolor", "axes.facecolor", "savefig.facecolor"])
def test_backgrounds_are_white(key):
    use_style()
    assert matplotlib.colors.to_hex(plt.rcParams[key]) == "#ffffff"


def figure(kind: str):
    """A line plot (small as SVG) or a dense scatter (small as PNG)."""
    use_style()
    fig, ax = plt.subplots()
    rng = np.random.default_rng(0)
    if kind == "line":
        ax.plot(rng.normal(size=50).cumsum())
    else:
        ax.scatter(*rng.normal(size=(2, 20000)), s=2)
    return fig


@pytest.mark.parametrize(("kind", "chosen"), [("line", "image/svg+xml"), ("scatter", "image/png")])
def test_figure_is_sent_in_the_smaller_format(kind, chosen):
    fig = figure(kind)
    data, metadata = figure_image(fig)
    plt.close(fig)
    assert list(data) == [chosen, "application/pdf"]  # the PDF for the book
    assert list(metadata) == [chosen]
    assert data["application/pdf"].startswith(b"%PDF")
    png = _render(fig, "png", dpi=fig.dpi * PNG_SCALE)
    svg = _render(fig, "svg", metadata={"Date": None})
    sent = {"image/png": len(png), "image/svg+xml": len(gzip.compress(svg, mtime=0))}
    assert sent[chosen] == min(sent.values())


@pytest.mark.parametrize("kind", ["line", "scatter"])
def test_figure_size_is_its_css_size_whatever_the_format(kind):
    fig = figure(kind)
    (size,) = figure_image(fig)[1].values()
    plt.close(fig)
    width, height = fig.get_size_inches() * fig.dpi
    assert abs(size["width"] - width) <= 0.1 * width  # tight bbox trims the margins a little
    assert abs(size["height"] - height) <= 0.1 * height


def test_svg_figure_is_reproducible_and_opaque():
    svgs = []
    for _ in range(2):
        fig = figure("line")
        svgs.append(figure_image(fig)[0]["image/svg+xml"])
        plt.close(fig)
    assert svgs[0] == svgs[1]
    assert "<dc:date>" not in svgs[0]
    assert "fill: #ffffff" in svgs[0]  # the figure's white background patch
    # ... and the whole image, whose fractional edge pixels the patch only half covers
    assert svgs[0].count('<svg style="background-color: #ffffff" ') == 1
