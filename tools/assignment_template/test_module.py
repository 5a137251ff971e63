"""seminar/__topic__.py: each closed form against its formula, brute force and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seminar.__topic__ import closest_point

reals = st.floats(-1e6, 1e6)


def test_inside_the_interval_the_centre_itself():
    assert closest_point(0.25, -1.0, 1.0) == 0.25


@given(c=reals, low=reals, width=st.floats(0, 1e3))
def test_no_point_of_a_grid_is_closer(c, low, width):
    high = low + width
    grid = np.linspace(low, high, 1001)
    best = closest_point(c, low, high)
    assert low <= best <= high
    assert (best - c) ** 2 <= np.min((grid - c) ** 2) + 1e-9 * (1 + c * c)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0.0, 1.0, -1.0), ValueError, "low must be at most high"),
        ((float("nan"), 0.0, 1.0), ValueError, "c must be finite"),
        (("0", 0.0, 1.0), TypeError, "c must be a real number"),
    ],
)
def test_bad_input_names_the_argument(args, error, message):
    with pytest.raises(error, match=message):
        closest_point(*args)
