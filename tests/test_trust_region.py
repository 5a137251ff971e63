"""Tests of seminar.trust_region: the best step of a linear model in an l_p ball."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from seminar.trust_region import (
    batched_lp_step,
    dual_exponent,
    dual_norm,
    l2_step,
    linf_step,
    lp_step,
    sample_lp_ball,
)

P_VALUES = [1.0, 1.2, 1.5, 2.0, 3.0, 7.5, np.inf]
RAISE_ALL = {"all": "raise"}

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
gradients = arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=5), elements=finite)
exponents = st.one_of(st.sampled_from(P_VALUES), st.floats(1.0, 60.0))
radii = st.one_of(st.just(0.0), st.floats(1e-6, 1e3))


def p_norm(v: np.ndarray, p: float) -> float:
    """The l_p norm of all entries, the textbook way (fine for moderate values)."""
    flat = np.abs(np.ravel(v))
    if p == np.inf:
        return float(flat.max(initial=0.0))
    return float(np.sum(flat**p) ** (1.0 / p))


# --- against the derivation's formulas ---------------------------------------


def test_l2_step_is_minus_eps_times_unit_gradient() -> None:
    g = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(l2_step(g, 0.7), -0.7 * g / np.sqrt(np.sum(g**2)))


def test_linf_step_is_minus_eps_times_sign() -> None:
    g = np.array([0.3, -2.0, 0.0, 1e-300])
    np.testing.assert_array_equal(linf_step(g, 0.25), [-0.25, 0.25, 0.0, -0.25])


@pytest.mark.parametrize("p", [1.5, 2.0, 3.0, 10.0])
def test_lp_step_matches_holder_formula(p: float) -> None:
    g = np.array([0.4, -1.3, 2.2, 0.0, -0.7])
    q = p / (p - 1)
    expected = -0.9 * np.sign(g) * np.abs(g) ** (q - 1) / np.sum(np.abs(g) ** q) ** ((q - 1) / q)
    np.testing.assert_allclose(lp_step(g, 0.9, p), expected, rtol=1e-12)


def test_p1_puts_everything_on_the_largest_coordinate() -> None:
    g = np.array([0.5, -3.0, 2.9])
    np.testing.assert_array_equal(lp_step(g, 2.0, 1), [0.0, 2.0, 0.0])


def test_p1_splits_exact_ties_equally_and_keeps_the_value() -> None:
    g = np.array([2.0, -2.0, 1.0, 2.0])
    step = lp_step(g, 1.5, 1)
    np.testing.assert_allclose(step, [-0.5, 0.5, 0.0, -0.5])
    assert g @ step == pytest.approx(-1.5 * 2.0)


def test_p_near_one_tends_to_the_p1_step() -> None:
    g = np.array([0.5, -3.0, 2.9, 1.0])
    with np.errstate(**RAISE_ALL):
        near = lp_step(g, 1.0, 1.0 + 1e-9)
    np.testing.assert_allclose(near, lp_step(g, 1.0, 1), atol=1e-12)


def test_large_p_tends_to_the_sign_step() -> None:
    g = np.array([0.5, -3.0, 2.9, 1.0])
    np.testing.assert_allclose(lp_step(g, 1.0, 1e9), linf_step(g, 1.0), atol=1e-8)


def test_dual_norm_matches_numpy() -> None:
    g = np.array([0.4, -1.3, 2.2, -0.7])
    for p in P_VALUES:
        q = dual_exponent(p)
        assert dual_norm(g, p) == pytest.approx(np.linalg.norm(g, ord=q), rel=1e-12)


@given(p=exponents)
def test_dual_exponents_are_conjugate(p: float) -> None:
    q = dual_exponent(p)
    assert q >= 1.0
    assert 1.0 / p + 1.0 / q == pytest.approx(1.0)


# --- properties on random gradients: feasible, optimal, symmetric -----------------


@settings(max_examples=300, deadline=None)
@given(g=gradients, eps=radii, p=exponents)
def test_step_is_feasible_and_attains_minus_eps_dual_norm(
    g: np.ndarray, eps: float, p: float
) -> None:
    with np.errstate(**RAISE_ALL):
        step = lp_step(g, eps, p)
        value = dual_norm(g, p)
    assert step.shape == g.shape
    assert np.all(np.isfinite(step))
    if eps == 0.0 or not np.any(g):
        assert not np.any(step)
        return
    # on the sphere (measured on step / eps, which keeps |.|**p clear of overflow) ...
    assert p_norm(step / eps, p) == pytest.approx(1.0, rel=1e-9)
    # ... and the linear model drops by exactly eps times the dual norm
    assert float(np.sum(g * step)) == pytest.approx(-eps * value, rel=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    g=arrays(np.float64, st.integers(1, 6), elements=st.floats(-10, 10)),
    p=exponents,
    seed=st.integers(0, 2**32 - 1),
)
def test_no_random_feasible_step_beats_the_closed_form(g: np.ndarray, p: float, seed: int) -> None:
    best = float(g @ lp_step(g, 1.0, p))
    inside = sample_lp_ball(2000, g.size, p, 1.0, seed=seed)
    sphere = sample_lp_ball(2000, g.size, p, 1.0, surface=True, seed=seed + 1)
    values = np.concatenate([inside @ g, sphere @ g])
    assert values.min() >= best - 1e-9 * (1.0 + abs(best))


@settings(max_examples=60, deadline=None)
@given(
    g=arrays(np.float64, st.integers(1, 6), elements=st.floats(-10, 10)),
    seed=st.integers(0, 2**32 - 1),
)
@pytest.mark.parametrize(("step", "p"), [(l2_step, 2.0), (linf_step, np.inf)])
def test_the_sheets_steps_are_feasible_and_never_beaten(
    step: Callable[[np.ndarray, float], np.ndarray], p: float, g: np.ndarray, seed: int
) -> None:
    closed = step(g, 0.5)
    assert p_norm(closed, p) <= 0.5 * (1 + 1e-12)
    best = float(g @ closed)
    # the boxed values: -eps ||g||_2 in part (a), -eps ||g||_1 in part (b)
    assert best == pytest.approx(-0.5 * np.linalg.norm(g, ord=dual_exponent(p)), rel=1e-12)
    sphere = sample_lp_ball(2000, g.size, p, 0.5, surface=True, seed=seed)
    assert float((sphere @ g).min()) >= best - 1e-9 * (1.0 + abs(best))


@pytest.mark.parametrize("p", P_VALUES)
def test_random_steps_come_close_to_the_closed_form_in_low_dimension(p: float) -> None:
    g = np.array([0.8, -0.3])
    sphere = sample_lp_ball(20_000, 2, p, 1.0, surface=True, seed=1)
    best_random = float((sphere @ g).min())
    closed = float(g @ lp_step(g, 1.0, p))
    assert closed <= best_random < closed + 1e-2 * abs(closed)


@settings(max_examples=100, deadline=None)
@given(g=gradients, eps=radii, p=exponents, c=st.floats(1e-3, 1e3))
def test_step_is_odd_in_g_invariant_to_its_scale_and_linear_in_eps(
    g: np.ndarray, eps: float, p: float, c: float
) -> None:
    step = lp_step(g, eps, p)
    np.testing.assert_allclose(lp_step(-g, eps, p), -step)
    np.testing.assert_allclose(lp_step(c * g, eps, p), step, rtol=1e-9, atol=1e-12 * eps)
    # Below the smallest normal float (subnormals) relative precision is lost by design,
    # so entries there are compared to within that float, not relatively.
    subnormal = np.finfo(np.float64).smallest_normal
    np.testing.assert_allclose(lp_step(g, 2 * eps, p), 2 * step, rtol=1e-12, atol=subnormal)


@settings(max_examples=100, deadline=None)
@given(
    g=arrays(np.float64, array_shapes(min_dims=2, max_dims=3, max_side=4), elements=finite),
    eps=radii,
    p=exponents,
)
def test_batched_step_is_the_step_of_each_example(g: np.ndarray, eps: float, p: float) -> None:
    batch = batched_lp_step(g, eps, p)
    for row, step in zip(g, batch, strict=True):
        np.testing.assert_array_equal(step, lp_step(row, eps, p))


# --- degenerate and extreme input: defined results, no overflow ------------------


@pytest.mark.parametrize("p", P_VALUES)
def test_zero_gradient_gives_zero_step_not_nan(p: float) -> None:
    with np.errstate(**RAISE_ALL):
        step = lp_step(np.zeros((2, 3)), 1.0, p)
        assert dual_norm(np.zeros(3), p) == 0.0
    np.testing.assert_array_equal(step, np.zeros((2, 3)))


@pytest.mark.parametrize("p", [1.0, 1.001, 1.5, 2.0, 50.0, np.inf])
@pytest.mark.parametrize("magnitude", [1e-300, 1e300])
def test_huge_and_tiny_gradients_do_not_overflow(p: float, magnitude: float) -> None:
    g = magnitude * np.array([1.0, -0.5, 0.25, 1e-3])
    with np.errstate(**RAISE_ALL):
        step = lp_step(g, 1.0, p)
        value = dual_norm(g, p)
    np.testing.assert_allclose(step, lp_step(g / magnitude, 1.0, p), rtol=1e-12)
    assert value == pytest.approx(magnitude * dual_norm(g / magnitude, p), rel=1e-12)


def test_a_batch_of_no_examples_and_zero_radius() -> None:
    assert batched_lp_step(np.zeros((0, 3)), 1.0, 2).shape == (0, 3)  # a batch of no examples
    np.testing.assert_array_equal(lp_step(np.array([1.0, -2.0]), 0.0, 2), [0.0, 0.0])


def test_sampled_points_are_feasible_and_on_the_sphere_when_asked() -> None:
    for p in P_VALUES:
        inside = sample_lp_ball(500, 5, p, 0.3, seed=0)
        sphere = sample_lp_ball(500, 5, p, 0.3, surface=True, seed=0)
        assert max(p_norm(v, p) for v in inside) <= 0.3 * (1 + 1e-12)
        np.testing.assert_allclose([p_norm(v, p) for v in sphere], 0.3, rtol=1e-12)


def test_sampling_inside_the_ball_is_uniform() -> None:
    # uniform in a d-ball: P(||x|| <= r) = r**d; here d = 2, r**2 = 1/2
    points = sample_lp_ball(40_000, 2, 1.5, 1.0, seed=3)
    inner = np.mean(np.sum(np.abs(points) ** 1.5, axis=1) <= 0.5**0.75)
    assert inner == pytest.approx(0.5, abs=0.01)


# --- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"eps": -0.1}, ValueError, "eps"),
        ({"eps": float("nan")}, ValueError, "eps"),
        ({"eps": float("inf")}, ValueError, "eps"),
        ({"p": 0.5}, ValueError, "p must be in"),
        ({"p": float("nan")}, ValueError, "p must be"),
        ({"p": -np.inf}, ValueError, "p must be"),
        ({"p": True}, TypeError, "p must be a real number"),
        ({"g": [1.0, float("nan")]}, ValueError, "g must be finite"),
        ({"g": [1.0, float("inf")]}, ValueError, "g must be finite"),
        ({"g": [1 + 2j]}, TypeError, "g must be an array of real numbers"),
    ],
)
def test_bad_input_is_rejected_with_the_argument_named(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    arguments: dict[str, object] = {"g": [1.0, -2.0], "eps": 0.5, "p": 2.0} | kwargs
    with pytest.raises(error, match=match):
        lp_step(**arguments)  # type: ignore[arg-type]


def test_other_entry_points_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="eps"):
        l2_step([1.0], -1.0)
    with pytest.raises(ValueError, match="g must be finite"):
        linf_step([np.nan], 1.0)
    with pytest.raises(ValueError, match="g must have a first axis"):
        batched_lp_step(1.0, 1.0, 2)
    with pytest.raises(ValueError, match="p must be in"):
        dual_norm([1.0], 0.0)
    with pytest.raises(ValueError, match="dim"):
        sample_lp_ball(3, 0, 2, 1.0)


# Bad gradients: the value, the error, and what the message says after the name g.
BAD_GRADIENTS = {
    "ragged": ([[1.0, 2.0], [3.0]], ValueError, "must be a rectangular array"),
    "complex": ([[1.0 + 2j, 0.0]], TypeError, "must be an array of real numbers"),
    "bool": ([[True, False]], TypeError, "must be an array of real numbers"),
    "nan": ([[1.0, np.nan]], ValueError, "must be finite"),
    "inf": ([[1.0, np.inf]], ValueError, "must be finite"),
}
ON_G: dict[str, Callable[[object], object]] = {
    "lp_step": lambda g: lp_step(g, 1.0, 3.0),  # type: ignore[arg-type]
    "l2_step": lambda g: l2_step(g, 1.0),  # type: ignore[arg-type]
    "linf_step": lambda g: linf_step(g, 1.0),  # type: ignore[arg-type]
    "batched_lp_step": lambda g: batched_lp_step(g, 1.0, 2.0),  # type: ignore[arg-type]
    "dual_norm": lambda g: dual_norm(g, 2.0),  # type: ignore[arg-type]
}
every_g = pytest.mark.parametrize("function", ON_G.values(), ids=ON_G.keys())


@every_g
@pytest.mark.parametrize(
    ("bad", "error", "message"), BAD_GRADIENTS.values(), ids=BAD_GRADIENTS.keys()
)
def test_a_bad_gradient_is_rejected_naming_g(
    function: Callable[[object], object], bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^g {message}"):
        function(bad)


@pytest.mark.parametrize(
    ("function", "empty"),
    [(ON_G[name], np.zeros(0)) for name in ON_G if name != "batched_lp_step"]
    + [(function, np.zeros((2, 0))) for function in ON_G.values()],
    ids=[f"{name}-(0,)" for name in ON_G if name != "batched_lp_step"]
    + [f"{name}-(2, 0)" for name in ON_G],
)
def test_an_empty_gradient_is_rejected_naming_g(
    function: Callable[[object], object], empty: np.ndarray
) -> None:
    # batched_lp_step takes a batch of no examples, np.zeros(0); not examples of no entries.
    with pytest.raises(ValueError, match=r"^g must hold at least one entry"):
        function(empty)


@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), ("0", TypeError)])
def test_a_bad_seed_is_rejected_naming_seed(seed: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=r"^seed must be an integer >= 0"):
        sample_lp_ball(3, 2, 2.0, 1.0, seed=seed)  # type: ignore[arg-type]
