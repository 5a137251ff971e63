"""The argument checks every public function relies on."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seminar._checks import (
    as_array,
    as_callable,
    as_examples,
    as_float_array,
    as_int,
    as_real,
    as_seed,
    in_range,
    same_shape,
)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=20))
def test_finite_numbers_pass_through_as_float64(values):
    array = as_float_array("x", values)
    assert array.dtype == np.float64
    np.testing.assert_array_equal(array, np.asarray(values, dtype=float))


def test_as_float_array_copies_its_input():
    original = np.zeros(3)
    as_float_array("x", original)[0] = 1.0
    assert original[0] == 0.0


@pytest.mark.parametrize("bad", [[1.0, np.nan], [np.inf], [[0.0, -np.inf]]])
def test_non_finite_entries_are_rejected_by_name(bad):
    with pytest.raises(ValueError, match="grad must be finite"):
        as_float_array("grad", bad)


def test_infinities_pass_where_allowed_but_nan_never_does():
    np.testing.assert_array_equal(
        as_float_array("z", [-np.inf, 0, np.inf], allow_infinite=True), [-np.inf, 0.0, np.inf]
    )
    with pytest.raises(ValueError, match="z must not be NaN, got 1 NaN entries out of 2"):
        as_float_array("z", [np.inf, np.nan], allow_infinite=True)


@pytest.mark.parametrize("bad", [["a", "b"], [True, False], [1 + 2j], [None]])
def test_non_real_arrays_are_a_type_error(bad):
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        as_float_array("x", bad)


@pytest.mark.parametrize("bad", ["1", None, True, 1j])
def test_as_real_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="eps must be a real number"):
        as_real("eps", bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_as_real_rejects_non_finite(bad):
    with pytest.raises(ValueError, match="eps must be finite"):
        as_real("eps", bad)


def test_in_range_names_the_interval():
    assert in_range("alpha", 0.1, 0.0, low_open=True) == 0.1
    with pytest.raises(ValueError, match=r"alpha must be in \(0.0, inf\), got 0"):
        in_range("alpha", 0, 0.0, low_open=True)
    with pytest.raises(ValueError, match=r"x0 must be in \(0.0, 1.0\), got 1.0"):
        in_range("x0", 1.0, 0.0, 1.0, low_open=True, high_open=True)
    with pytest.raises(ValueError, match=r"p must be in \[1.0, inf\), got 0.5"):
        in_range("p", 0.5, 1.0)


def test_as_int_accepts_numpy_integers_and_rejects_the_rest():
    assert as_int("k", np.int64(3), 1) == 3
    with pytest.raises(ValueError, match="k must be an integer >= 1, got 0"):
        as_int("k", 0, 1)
    with pytest.raises(ValueError, match=r"k must be an integer >= 1, got 2\.5"):
        as_int("k", 2.5, 1)
    with pytest.raises(TypeError, match="k must be an integer"):
        as_int("k", True, 1)
    with pytest.raises(TypeError, match="k must be an integer"):
        as_int("k", "3", 1)


def test_same_shape_names_both_arguments():
    same_shape("x", np.zeros(3), "grad", np.ones(3))
    message = r"x and grad must have the same shape, got \(3,\) and \(2,\)"
    with pytest.raises(ValueError, match=message):
        same_shape("x", np.zeros(3), "grad", np.ones(2))


@pytest.mark.parametrize("ragged", [[[1, 2], [3]], [[0.5], [0.5, 0.5]], [[[1]], [2]]])
def test_a_ragged_list_is_a_value_error_naming_the_argument(ragged):
    with pytest.raises(ValueError, match=r"grad must be a rectangular array \(nested lists"):
        as_float_array("grad", ragged)
    with pytest.raises(ValueError, match="y must be a rectangular array"):
        as_array("y", ragged)


@pytest.mark.parametrize("empty", [[], np.zeros((2, 0)), np.zeros((0, 3))])
def test_non_empty_rejects_an_array_without_entries(empty):
    assert as_float_array("g", empty).size == 0  # allowed unless asked for
    with pytest.raises(ValueError, match=r"g must hold at least one entry, got shape \("):
        as_float_array("g", empty, non_empty=True)


def test_as_examples_takes_one_example_or_a_batch_of_any_size():
    assert as_examples("x", [0.5, 0.5]).shape == (2,)
    assert as_examples("x", np.zeros((3, 2, 2))).shape == (3, 2, 2)
    assert as_examples("x", np.zeros((0, 4))).shape == (0, 4)  # a batch of no examples


def test_as_examples_rejects_a_scalar_and_says_how_to_pass_one_example():
    with pytest.raises(ValueError, match=r"x must be one example \(1-D, e.g. shape \(d,\)\)"):
        as_examples("x", 0.5)


@pytest.mark.parametrize("empty", [[], np.zeros((2, 0)), np.zeros((0, 0))])
def test_as_examples_rejects_examples_without_entries(empty):
    with pytest.raises(ValueError, match="x must hold at least one entry per example"):
        as_examples("x", empty)


def test_as_examples_checks_the_entries_like_as_float_array():
    with pytest.raises(ValueError, match="x must be finite"):
        as_examples("x", [[0.5, np.inf]])
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        as_examples("x", [[True]])


def test_as_callable_returns_a_callable_and_names_anything_else():
    assert as_callable("grad_fn", abs) is abs
    for bad in (None, 3, np.ones(2)):
        with pytest.raises(TypeError, match="grad_fn must be callable"):
            as_callable("grad_fn", bad)


def test_as_seed_takes_none_or_a_non_negative_integer():
    assert as_seed("seed", None) is None
    assert as_seed("seed", np.int64(7)) == 7
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -1"):
        as_seed("seed", -1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        as_seed("seed", "0")
