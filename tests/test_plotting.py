"""The shared figure style: opaque, colour-blind-safe, and byte-for-byte reproducible."""

from __future__ import annotations

import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from seminar.plotting import PALETTE, use_style


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
