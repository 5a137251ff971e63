"""Tests of seminar.mirror_descent: closed forms, brute force, floating-point edges, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from seminar.attacks import pgd
from seminar.classifier import train_mlp
from seminar.mirror_descent import (
    LOGIT_BOUND,
    bernoulli_kl,
    box_quadratic_minimizer,
    logit,
    mirror_descent,
    mirror_descent_attack,
    mirror_descent_logits,
    projected_gradient_descent,
    prox_step,
    reparameterized_gradient_descent,
    sigmoid,
)

TINY = 5e-324  # the smallest positive double
BELOW_ONE = 1.0 - 2.0**-53  # the largest double below 1
EXTREME_X0 = [TINY, 1e-300, 1e-20, 0.5, 1.0 - 1e-15, BELOW_ONE]
HUGE = [-np.inf, -1e308, -1e3, 0.0, 1e3, 1e308, np.inf]

unit_open = st.floats(0.0, 1.0, exclude_min=True, exclude_max=True, allow_subnormal=True)
moderate = st.floats(-30.0, 30.0)


def quadratic(hessian: np.ndarray, center: np.ndarray):  # type: ignore[no-untyped-def]
    """f(x) = (x - c)^T A (x - c) / 2 and its gradient."""

    def f(x: np.ndarray) -> np.ndarray:
        d = x - center
        return 0.5 * np.einsum("...i,ij,...j->...", d, hessian, d)

    def grad(x: np.ndarray) -> np.ndarray:
        return (x - center) @ hessian

    return f, grad


def random_spd(rng: np.random.Generator, n: int) -> np.ndarray:
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return q @ np.diag(rng.uniform(0.5, 10.0, size=n)) @ q.T


# --- sigmoid and logit ---------------------------------------------------------------------


def test_sigmoid_against_formulas() -> None:
    z = np.linspace(-30.0, 30.0, 601)
    expected = np.array([1.0 / (1.0 + math.exp(-v)) for v in z])
    np.testing.assert_allclose(sigmoid(z), expected, rtol=1e-15, atol=0)
    np.testing.assert_allclose(sigmoid(z), (1.0 + np.tanh(z / 2.0)) / 2.0, rtol=0, atol=1e-15)
    assert float(sigmoid(0.0)) == 0.5


def test_sigmoid_keeps_relative_precision_far_left() -> None:
    # sigma(z) = e^z / (1 + e^z) ~ e^z: full relative precision while e^z is a normal double.
    z = np.array([-40.0, -300.0, -700.0, -708.0])
    np.testing.assert_allclose(sigmoid(z), np.exp(z) / (1.0 + np.exp(z)), rtol=1e-15)


def test_sigmoid_extremes_raise_no_floating_point_error() -> None:
    z = np.array([-1e3, -745.5, -745.0, -720.0, 36.0, 40.0, 1e3, -np.inf, np.inf])
    with np.errstate(all="raise"):
        s = sigmoid(z)
    assert np.all((s >= 0.0) & (s <= 1.0))
    assert s[0] == 0.0
    assert s[1] == 0.0
    assert s[-2] == 0.0
    assert s[2] == TINY  # e^-745 rounds to the smallest subnormal, not to 0
    assert s[5] == 1.0
    assert s[6] == 1.0
    assert s[-1] == 1.0
    assert s[4] < 1.0


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5), elements=st.floats(-1e3, 1e3))
)
def test_sigmoid_property_range_monotone_symmetric(z: np.ndarray) -> None:
    with np.errstate(all="raise"):
        s, s_neg = sigmoid(z), sigmoid(-z)
    assert s.shape == z.shape
    assert np.all((s >= 0.0) & (s <= 1.0))
    np.testing.assert_allclose(s + s_neg, 1.0, rtol=0, atol=2.3e-16)  # one ulp of 1
    flat = np.sort(z.ravel())
    assert np.all(np.diff(sigmoid(flat)) >= 0.0)


def test_logit_against_formulas() -> None:
    p = np.linspace(0.001, 0.999, 999)
    np.testing.assert_allclose(logit(p), [math.log(v / (1.0 - v)) for v in p], rtol=1e-12)
    np.testing.assert_allclose(logit(p), 2.0 * np.arctanh(2.0 * p - 1.0), rtol=1e-9, atol=1e-12)


def test_logit_next_to_the_edges() -> None:
    with np.errstate(all="raise"):
        values = logit(np.array([TINY, 1e-300, BELOW_ONE, 0.0, 1.0]))
    # log(p) - log(1 - p) with 1 - p = p (to double precision) at the left, 2^-53 at the right.
    assert values[0] == pytest.approx(math.log(TINY), rel=1e-15)
    assert values[1] == pytest.approx(-300.0 * math.log(10.0), rel=1e-15)
    assert values[2] == pytest.approx(53.0 * math.log(2.0), rel=1e-15)
    assert values[3] == -np.inf
    assert values[4] == np.inf


@settings(max_examples=200, deadline=None)
@given(unit_open)
def test_logit_inverts_sigmoid_at_any_double(p: float) -> None:
    with np.errstate(all="raise"):
        eta = float(logit(p))
        back, back_complement = float(sigmoid(eta)), float(sigmoid(-eta))
    assert math.isfinite(eta)
    # relative error ~ |eta| * 2^-53 (at most 745 * 1.1e-16); subnormal p also lose their grid.
    assert abs(back - p) <= 1e-13 * p + 2 * TINY
    if p >= 0.5:  # then 1 - p is exact and sigma(-eta) must match it to relative precision
        assert abs(back_complement - (1.0 - p)) <= 1e-13 * (1.0 - p)


@pytest.mark.parametrize("bad", [float("nan"), [0.5, float("nan")]])
def test_sigmoid_and_logit_reject_nan(bad: object) -> None:
    with pytest.raises(ValueError, match="z must not be NaN"):
        sigmoid(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="p must not be NaN"):
        logit(bad)  # type: ignore[arg-type]


def test_logit_rejects_values_outside_the_closed_interval() -> None:
    with pytest.raises(ValueError, match=r"p must lie in the closed interval \[0, 1\].*1\.5"):
        logit([0.5, 1.5])
    with pytest.raises(ValueError, match="p must lie"):
        logit(-1e-300)
    with pytest.raises(TypeError, match="z must be an array of real numbers"):
        sigmoid(np.array([1 + 2j]))
    with pytest.raises(TypeError, match="p must be an array of real numbers"):
        logit(True)


# --- the divergence ----------------------------------------------------------------------


def test_bernoulli_kl_against_its_definitions() -> None:
    x = np.linspace(0.0, 1.0, 101)
    for x0 in (0.01, 0.3, 0.5, 0.97):
        entropy_term = np.array([v * math.log(v) if v > 0 else 0.0 for v in x])
        neg_entropy = entropy_term + entropy_term[::-1]  # h(x) = x log x + (1-x) log(1-x)
        h0 = x0 * math.log(x0) + (1 - x0) * math.log(1 - x0)
        bregman = neg_entropy - h0 - math.log(x0 / (1 - x0)) * (x - x0)
        np.testing.assert_allclose(bernoulli_kl(x, x0), bregman, rtol=1e-10, atol=1e-14)
        assert float(bernoulli_kl(0.0, x0)) == pytest.approx(-math.log(1 - x0), rel=1e-14)
        assert float(bernoulli_kl(1.0, x0)) == pytest.approx(-math.log(x0), rel=1e-14)


@settings(max_examples=100, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(1e-6, 1 - 1e-6))
def test_bernoulli_kl_properties(x: float, x0: float) -> None:
    d = float(bernoulli_kl(x, x0))
    assert d >= 2.0 * (x - x0) ** 2 - 1e-15  # Pinsker's inequality
    if x == x0:
        assert d == 0.0
    if abs(x - x0) < 1e-3 and 0.01 < x0 < 0.99:  # second order: (x - x0)^2 / (2 x0 (1 - x0))
        quad = (x - x0) ** 2 / (2 * x0 * (1 - x0))
        assert d == pytest.approx(quad, rel=0.1, abs=1e-15)


def test_bernoulli_kl_derivative_is_the_logit_difference_and_blows_up_at_the_edges() -> None:
    x0, h = 0.3, 1e-6
    x = np.linspace(0.01, 0.99, 99)
    numeric = (bernoulli_kl(x + h, x0) - bernoulli_kl(x - h, x0)) / (2 * h)
    np.testing.assert_allclose(numeric, logit(x) - logit(x0), rtol=1e-6, atol=1e-8)
    second = np.diff(bernoulli_kl(np.linspace(0, 1, 1001), x0), 2)
    assert np.all(second > 0)  # strictly convex
    edges = np.array([1e-12, 1e-9, 1e-6])
    slopes = (bernoulli_kl(2 * edges, x0) - bernoulli_kl(edges, x0)) / edges
    assert np.all(np.diff(slopes) > 0)
    assert slopes[0] < -20


def test_bernoulli_kl_bad_input() -> None:
    with pytest.raises(ValueError, match=r"x must lie in the closed interval"):
        bernoulli_kl(1.2, 0.5)
    with pytest.raises(ValueError, match=r"x0 must lie in the open interval"):
        bernoulli_kl(0.2, 0.0)
    with pytest.raises(ValueError, match="x0 must be finite"):
        bernoulli_kl(0.2, float("nan"))
    with pytest.raises(ValueError, match="x and x0 must broadcast"):
        bernoulli_kl([0.1, 0.2], [0.3, 0.4, 0.5])


# --- the proximal step ---------------------------------------------------------------------


def prox_objective(x: np.ndarray, x0: float, grad: float, eps: float) -> np.ndarray:
    return grad * (x - x0) + bernoulli_kl(x, x0) / eps


@settings(max_examples=100, deadline=None)
@given(st.floats(0.01, 0.99), st.floats(-5.0, 5.0), st.floats(0.05, 3.0))
def test_prox_step_against_formula_and_multiplicative_form(x0: float, g: float, eps: float) -> None:
    x = float(prox_step(x0, g, eps))
    assert x == pytest.approx(
        1.0 / (1.0 + math.exp(-(math.log(x0 / (1 - x0)) - eps * g))), rel=1e-12
    )
    weight = x0 * math.exp(-eps * g)  # exponentiated gradient on (x, 1 - x)
    assert x == pytest.approx(weight / (weight + 1.0 - x0), rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.01, 0.99), st.floats(-5.0, 5.0), st.floats(0.05, 3.0))
def test_prox_step_against_brute_force(x0: float, g: float, eps: float) -> None:
    x_star = float(prox_step(x0, g, eps))
    # every point of a fine grid over (0, 1), denser next to the edges, does no better
    grid = np.concatenate([np.linspace(1e-9, 1 - 1e-9, 20001), np.geomspace(1e-15, 1e-2, 2001)])
    grid = np.concatenate([grid, 1.0 - grid])
    values = prox_objective(grid, x0, g, eps)
    best = grid[np.argmin(values)]
    assert float(prox_objective(np.array(x_star), x0, g, eps)) <= values.min() + 1e-13
    assert abs(best - x_star) <= 1e-4
    # and the derivative of the objective vanishes there (central differences)
    h = 1e-4 * min(x_star, 1 - x_star)
    slope = prox_objective(np.array([x_star + h, x_star - h]), x0, g, eps) @ [1, -1] / (2 * h)
    assert abs(slope) <= 1e-5 * (abs(g) + 1 / eps)


def test_prox_step_zero_gradient_stays_and_is_monotone_in_the_gradient() -> None:
    x0 = np.array([0.1, 0.5, 0.9])
    np.testing.assert_allclose(prox_step(x0, np.zeros(3), 1.0), x0, rtol=1e-15)
    steps = prox_step(np.full(50, 0.3), np.linspace(-5, 5, 50), 0.7)
    assert np.all(np.diff(steps) < 0)


@pytest.mark.parametrize("eps", [1e-300, 1.0, 1e300])
def test_prox_step_extreme_but_valid_input_stays_in_the_box(eps: float) -> None:
    x0, g = np.meshgrid(EXTREME_X0, HUGE)
    with np.errstate(all="raise"):
        x = prox_step(x0, g, eps)
    assert np.all((x >= 0.0) & (x <= 1.0))
    if eps >= 1.0:
        assert np.all(x[g >= 1e308] == 0.0)
        assert np.all(x[g <= -1e308] == 1.0)
    # a zero gradient leaves x0 where it is, up to the rounding of sigmoid(logit(x0))
    np.testing.assert_allclose(x[g == 0.0], x0[g == 0.0], rtol=1e-13, atol=2 * TINY)


def test_prox_step_bad_input() -> None:
    for bad in (0.0, 1.0, 1.5, -0.2):
        with pytest.raises(ValueError, match=r"x0 must lie in the open interval \(0, 1\)"):
            prox_step(bad, 1.0, 1.0)
    with pytest.raises(ValueError, match="x0 must be finite"):
        prox_step(float("nan"), 1.0, 1.0)
    with pytest.raises(ValueError, match="grad must not be NaN"):
        prox_step(0.5, float("nan"), 1.0)
    for eps in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="eps must"):
            prox_step(0.5, 1.0, eps)
    with pytest.raises(TypeError, match="eps must be a real number"):
        prox_step(0.5, 1.0, "1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="x0 and grad must have the same shape"):
        prox_step([0.5, 0.5], [1.0, 2.0, 3.0], 1.0)


# --- the iteration -----------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(0.02, 0.98)),
    st.floats(0.05, 2.0),
    st.floats(0.2, 0.8),
)
def test_eta_iteration_equals_the_x_iteration(x0: np.ndarray, eps: float, c: float) -> None:
    def grad(x: np.ndarray) -> np.ndarray:
        return (x - c) + 0.3 * np.sin(5 * x)  # not convex: the identity holds for any f

    steps = 25
    xs = mirror_descent(grad, x0, eps, steps)
    x = x0.copy()
    for t in range(1, steps + 1):  # the sheet's algorithm: solve the prox problem at x
        x = prox_step(x, grad(x), eps)
        np.testing.assert_allclose(xs[t], x, rtol=1e-11)
        np.testing.assert_allclose(logit(xs[t]), logit(x), rtol=1e-9, atol=1e-9)


def test_mirror_descent_shape_start_and_zero_steps() -> None:
    x0 = np.full((2, 3), 0.25)
    xs = mirror_descent(lambda x: x, x0, 0.5, 4)
    assert xs.shape == (5, 2, 3)
    np.testing.assert_array_equal(xs[0], x0)
    np.testing.assert_array_equal(mirror_descent(lambda x: x, 0.3, 1.0, 0), [0.3])
    np.testing.assert_array_equal(mirror_descent(lambda x: 0 * x, 0.3, 1.0, 3), np.full(4, 0.3))


def test_mirror_descent_resumes_from_the_logits() -> None:
    def grad(x: np.ndarray) -> np.ndarray:
        return x - 0.8

    whole = mirror_descent_logits(grad, [-3.0, 2.0], 0.9, 20)
    first = mirror_descent_logits(grad, [-3.0, 2.0], 0.9, 8)
    second = mirror_descent_logits(grad, first[-1], 0.9, 12)
    np.testing.assert_array_equal(whole, np.concatenate([first, second[1:]]))


def test_mirror_descent_keeps_going_after_x_rounds_to_one() -> None:
    # 40 steps with f'(x) = -1 take eta from 0 to 40 (x rounds to 1.0); 10 with +1 back to 30.
    up = mirror_descent_logits(lambda x: -np.ones_like(x), 0.0, 1.0, 40)
    down = mirror_descent_logits(lambda x: np.ones_like(x), up[-1], 1.0, 10)
    assert sigmoid(up[-1]) == 1.0
    assert float(down[-1]) == 30.0
    assert float(sigmoid(-down[-1])) == pytest.approx(math.exp(-30) / (1 + math.exp(-30)))


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_mirror_descent_decreases_and_converges_on_a_convex_quadratic(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    hessian = random_spd(rng, n)
    center = rng.uniform(-0.5, 1.5, size=n)
    f, grad = quadratic(hessian, center)
    # f'' <= L and h'' = 1 / (x (1 - x)) >= 4, so f is (L/4)-smooth relative to h: with
    # eps = 4 / L every step decreases f (the descent lemma of relative smoothness).
    eps = 4.0 / np.linalg.eigvalsh(hessian).max()
    xs = mirror_descent(grad, rng.uniform(0.05, 0.95, size=n), eps, 600)
    values = f(xs)
    assert np.all(np.diff(values) <= 1e-12 * (1 + abs(values[0])))
    x_star = box_quadratic_minimizer(hessian, center)
    assert values[-1] - f(x_star) <= 1e-4 * (1 + abs(f(x_star)))
    assert np.all((xs >= 0) & (xs <= 1))


def test_mirror_descent_interior_optimum_and_boundary_optimum() -> None:
    xs = mirror_descent(lambda x: x - 0.3, 0.9, 4.0, 200)
    assert xs[-1] == pytest.approx(0.3, abs=1e-12)
    xs = mirror_descent(lambda x: x - 1.4, 0.1, 4.0, 200)  # optimum on the edge x = 1
    assert np.all(np.diff(xs) > 0) or np.all(xs[np.argmax(xs == 1.0) :] == 1.0)
    assert 1.0 - xs[-1] < 1e-15


@pytest.mark.parametrize("scale", [1e3, 1e300, np.inf])
def test_mirror_descent_huge_gradients_keep_logits_finite(scale: float) -> None:
    def grad(x: np.ndarray) -> np.ndarray:
        return np.where(x > 0.5, scale, -scale)  # pushes across the box every step

    x0 = np.array(EXTREME_X0)
    with np.errstate(all="raise"):
        logits = mirror_descent_logits(grad, logit(x0), 10.0, 30)
        xs = mirror_descent(grad, x0, 10.0, 30)
    assert np.all(np.isfinite(logits))
    assert np.all(np.abs(logits[1:]) <= LOGIT_BOUND)
    assert np.all((xs >= 0.0) & (xs <= 1.0))
    np.testing.assert_array_equal(xs[1:], sigmoid(logits[1:]))


def test_mirror_descent_reports_a_nan_gradient() -> None:
    def grad(x: np.ndarray) -> np.ndarray:
        return np.where(x < 0.5, np.nan, 1.0)  # undefined left of 1/2

    # eta^t = logit(0.9) - t = 2.197 - t: x^1, x^2 > 1/2, x^3 < 1/2
    with pytest.raises(
        ValueError, match=r"grad_f\(x\) at iterate 3 must not be NaN, got 1 NaN .* of 1"
    ):
        mirror_descent(grad, 0.9, 1.0, 5)
    with pytest.raises(
        ValueError, match=r"grad_f\(x\) at iterate 0 must not be NaN, got 1 NaN .* of 2"
    ):
        mirror_descent(grad, [0.9, 0.2], 1.0, 5)


def test_mirror_descent_bad_input() -> None:
    def grad(x: np.ndarray) -> np.ndarray:
        return x

    for bad in (0.0, 1.0, [0.5, 1.0], 2.0):
        with pytest.raises(ValueError, match=r"x0 must lie in the open interval \(0, 1\)"):
            mirror_descent(grad, bad, 1.0, 3)
    with pytest.raises(ValueError, match="x0 must be finite"):
        mirror_descent(grad, [0.5, float("nan")], 1.0, 3)
    for eps in (0.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="eps must be"):
            mirror_descent(grad, 0.5, eps, 3)
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        mirror_descent(grad, 0.5, 1.0, -1)
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        mirror_descent(grad, 0.5, 1.0, 2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="grad_f must be callable"):
        mirror_descent(0.5, 0.5, 1.0, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"grad_f\(x\) at iterate 0 must have the shape of x"):
        mirror_descent(lambda x: np.ones(3), [0.5, 0.5], 1.0, 3)
    with pytest.raises(TypeError, match=r"grad_f\(x\) at iterate 0 must be an array of real"):
        mirror_descent(lambda x: x * 1j, 0.5, 1.0, 3)
    with pytest.raises(ValueError, match="eta0 must be finite"):
        mirror_descent_logits(grad, np.inf, 1.0, 3)


def test_grad_f_cannot_change_the_iterates() -> None:
    def rude_grad(x: np.ndarray) -> np.ndarray:
        g = x - 0.2
        x[...] = 0.0  # writes into its argument
        return g

    np.testing.assert_allclose(
        mirror_descent(rude_grad, [0.7, 0.4], 1.0, 5),
        mirror_descent(lambda x: x - 0.2, [0.7, 0.4], 1.0, 5),
    )


# --- the methods compared ------------------------------------------------------------------


def test_projected_gradient_descent_steps_and_converges() -> None:
    xs = projected_gradient_descent(lambda x: x - np.array([0.3, 1.7]), [0.9, 0.0], 0.5, 60)
    np.testing.assert_allclose(xs[1], np.clip([0.9, 0.0] - 0.5 * np.array([0.6, -1.7]), 0, 1))
    np.testing.assert_allclose(xs[-1], [0.3, 1.0], atol=1e-12)
    with np.errstate(all="raise"):
        xs = projected_gradient_descent(lambda x: np.full_like(x, -np.inf), [0.0, 1.0], 1e-300, 2)
    np.testing.assert_array_equal(xs[-1], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"x0 must lie in the closed interval \[0, 1\]"):
        projected_gradient_descent(lambda x: x, 1.5, 0.1, 3)
    with pytest.raises(ValueError, match="step must be in"):
        projected_gradient_descent(lambda x: x, 0.5, 0.0, 3)


def test_reparameterized_gradient_descent_follows_the_chain_rule() -> None:
    def f(x: np.ndarray) -> np.ndarray:
        return (x - 0.2) ** 2 + np.sin(4 * x)

    def grad(x: np.ndarray) -> np.ndarray:
        return 2 * (x - 0.2) + 4 * np.cos(4 * x)

    eta, alpha, h = np.linspace(-4, 4, 9), 0.3, 1e-6
    x1 = reparameterized_gradient_descent(grad, sigmoid(eta), alpha, 1)[1]
    numeric = (f(sigmoid(eta + h)) - f(sigmoid(eta - h))) / (2 * h)  # dF/deta, F = f o sigmoid
    np.testing.assert_allclose(logit(x1), eta - alpha * numeric, rtol=1e-8, atol=1e-8)


def test_natural_gradient_on_eta_is_mirror_descent() -> None:
    # Dividing the eta-gradient x (1 - x) f'(x) by the Fisher information x (1 - x) of
    # Ber(sigmoid(eta)) leaves f'(x): natural gradient descent on eta is mirror descent.
    def grad(x: np.ndarray) -> np.ndarray:
        return x - np.array([0.1, 0.6, 1.3])

    x0 = np.array([0.8, 0.2, 0.4])
    natural = reparameterized_gradient_descent(lambda x: grad(x) / (x * (1 - x)), x0, 0.8, 40)
    np.testing.assert_allclose(natural, mirror_descent(grad, x0, 0.8, 40), rtol=1e-12)


def test_reparameterized_descent_crawls_where_mirror_descent_does_not() -> None:
    # f(x) = -x, steps matched at x = 1/2 (sigma'(0) = 1/4): GD on eta gains ~ log t in eta,
    # mirror descent gains eps per step, so 1 - x decays like 1/t against e^{-eps t}.
    def grad(x: np.ndarray) -> np.ndarray:
        return -np.ones_like(x)

    steps = 200
    md = mirror_descent_logits(grad, 0.0, 0.25, steps)[-1]
    gd = logit(reparameterized_gradient_descent(grad, 0.5, 1.0, steps)[-1])
    assert float(md) == pytest.approx(0.25 * steps)
    assert float(gd) < math.log(steps)  # e^eta grows at most by 1 per step once x > 1/2


# --- the exact minimiser of a quadratic on the box -------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_box_quadratic_minimizer_satisfies_the_optimality_condition(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    hessian, center = random_spd(rng, n), rng.uniform(-1.0, 2.0, size=n)
    x = box_quadratic_minimizer(hessian, center)
    _, grad = quadratic(hessian, center)
    # x* is optimal on a box iff it is a fixed point of a projected gradient step
    np.testing.assert_allclose(x, np.clip(x - 0.1 * grad(x), 0.0, 1.0), atol=1e-12)


def test_box_quadratic_minimizer_against_a_grid() -> None:
    rng = np.random.default_rng(7)
    grid = np.stack(np.meshgrid(np.linspace(0, 1, 401), np.linspace(0, 1, 401)), axis=-1)
    for _ in range(10):
        hessian, center = random_spd(rng, 2), rng.uniform(-1.0, 2.0, size=2)
        f, _ = quadratic(hessian, center)
        x = box_quadratic_minimizer(hessian, center)
        assert f(x) <= f(grid).min() + 1e-12
        assert np.linalg.norm(x - grid.reshape(-1, 2)[np.argmin(f(grid))]) < 0.05


def test_box_quadratic_minimizer_bad_input() -> None:
    with pytest.raises(ValueError, match="hessian must be symmetric positive definite"):
        box_quadratic_minimizer([[1.0, 2.0], [2.0, 1.0]], [0.5, 0.5])
    with pytest.raises(ValueError, match="center must have shape"):
        box_quadratic_minimizer(np.eye(2), [0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match="center must have shape"):
        box_quadratic_minimizer(np.eye(9), np.zeros(9))


# --- the attack ----------------------------------------------------------------------------


def linear_gain(weights: np.ndarray):  # type: ignore[no-untyped-def]
    """The gradient map of the linear loss L(x) = <w, x> for every row of x."""
    return lambda x: np.broadcast_to(weights, x.shape).copy()


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(np.float64, (3, 5), elements=st.floats(0.0, 1.0)),
    st.floats(0.01, 0.5),
    st.floats(0.1, 20.0),
    st.integers(0, 2**32 - 1),
)
def test_attack_stays_in_the_ball_and_the_valid_range(
    x: np.ndarray, eps: float, step: float, seed: int
) -> None:
    weights = np.random.default_rng(seed).normal(size=(3, 5))

    def grad(x_adv: np.ndarray) -> np.ndarray:
        return weights * np.cos(3 * x_adv)  # not linear: the path wanders

    with np.errstate(all="raise"):
        path = mirror_descent_attack(x, grad, eps, step, 8)
    assert path.shape == (9, 3, 5)
    assert np.all(np.abs(path - x) <= eps * (1 + 1e-12))
    assert np.all((path >= 0.0) & (path <= 1.0))


def test_attack_on_a_linear_loss_reaches_the_best_corner_like_pgd() -> None:
    rng = np.random.default_rng(3)
    x = rng.choice([0.0, 0.3, 1.0], size=(4, 16))  # pixels on the edges of their boxes too
    # |w_i| within a factor 2 of each other, so every pixel's logit moves >= 5/4 per step
    weights = rng.choice([-1.0, 1.0], size=(4, 16)) * rng.uniform(0.5, 1.0, size=(4, 16))
    eps = 0.1
    path = mirror_descent_attack(x, linear_gain(weights), eps, 5.0, 60)
    gains = np.sum(weights * path, axis=(1, 2))
    assert np.all(np.diff(gains) >= 0)  # no step lowers a linear loss (until it saturates)
    corner = np.where(weights > 0, np.minimum(x + eps, 1.0), np.maximum(x - eps, 0.0))
    np.testing.assert_allclose(path[-1], corner, atol=1e-9)
    np.testing.assert_allclose(pgd(x, linear_gain(weights), eps, eps / 4, 10), corner)


def test_attack_is_unit_box_mirror_ascent_after_rescaling() -> None:
    x = np.array([[0.0, 0.5, 1.0, 0.05]])
    eps = 0.1
    lower, upper = np.maximum(x - eps, 0), np.minimum(x + eps, 1)
    width = upper - lower
    weights = np.array([[1.0, -2.0, 0.5, 4.0]])
    path = mirror_descent_attack(x, linear_gain(weights), eps, 0.7, 6)
    np.testing.assert_allclose(path[0], (lower + upper) / 2)
    assert path[0, 0, 1] == 0.5  # an interior pixel starts at itself
    # Mirror descent on -L in z, with x = l + (u - l) z and the normalisation written out:
    # the gradient in z is (u - l) w, whose largest entry is 0.6 here.
    zs = mirror_descent(lambda z: -width * weights / 0.6, np.full_like(x, 0.5), 0.7, 6)
    np.testing.assert_allclose(path, lower + width * zs, rtol=1e-12)
    start = lower + 0.25 * width
    from_start = mirror_descent_attack(x, linear_gain(weights), eps, 0.7, 6, start=start)
    zs = mirror_descent(lambda z: -width * weights / 0.6, np.full_like(x, 0.25), 0.7, 6)
    np.testing.assert_allclose(from_start, lower + width * zs, rtol=1e-12)
    assert np.all((path >= lower) & (path <= upper))


def test_attack_step_does_not_depend_on_the_gradient_scale() -> None:
    x = np.random.default_rng(4).uniform(0, 1, size=(2, 6))
    weights = np.random.default_rng(5).normal(size=(2, 6))
    tiny = weights * np.array([[1e-12], [1.0]])  # a confidently classified first example
    np.testing.assert_allclose(
        mirror_descent_attack(x, linear_gain(tiny), 0.1, 2.0, 5),
        mirror_descent_attack(x, linear_gain(weights), 0.1, 2.0, 5),
        rtol=1e-12,
    )
    still = mirror_descent_attack(x, linear_gain(np.zeros((2, 6))), 0.1, 2.0, 5)
    np.testing.assert_array_equal(still, np.broadcast_to(still[0], still.shape))


def test_attack_raises_the_loss_of_a_real_classifier() -> None:
    rng = np.random.default_rng(0)
    centers = rng.uniform(0.2, 0.8, size=(3, 8))
    y = np.repeat(np.arange(3), 30)
    x = np.clip(centers[y] + rng.normal(0, 0.05, size=(90, 8)), 0, 1)
    model = train_mlp(x, y, hidden=16, epochs=30, seed=0)
    path = mirror_descent_attack(x, lambda x_adv: model.input_gradient(x_adv, y), 0.2, 8.0, 10)
    assert model.loss(path[-1], y).mean() > 5 * model.loss(x, y).mean()


def test_attack_with_a_zero_budget_returns_x() -> None:
    x = np.array([[0.0, 0.4]])
    path = mirror_descent_attack(x, linear_gain(np.ones((1, 2))), 0.0, 1.0, 3)
    np.testing.assert_array_equal(path, np.repeat(x[None], 4, axis=0))


def test_attack_bad_input() -> None:
    x = np.array([[0.0, 0.5]])
    grad = linear_gain(np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"x must lie in the closed interval \[0, 1\]"):
        mirror_descent_attack(x + 1.0, grad, 0.1, 1.0, 3)
    with pytest.raises(ValueError, match="x must be finite"):
        mirror_descent_attack([[np.nan, 0.5]], grad, 0.1, 1.0, 3)
    with pytest.raises(ValueError, match="eps must be in"):
        mirror_descent_attack(x, grad, -0.1, 1.0, 3)
    with pytest.raises(ValueError, match="step_size must be in"):
        mirror_descent_attack(x, grad, 0.1, 0.0, 3)
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        mirror_descent_attack(x, grad, 0.1, 1.0, -1)
    with pytest.raises(ValueError, match="start must have the shape of x"):
        mirror_descent_attack(x, grad, 0.1, 1.0, 3, start=x)  # pixel 0 is on its edge
    with pytest.raises(TypeError, match="grad_fn must be callable"):
        mirror_descent_attack(x, None, 0.1, 1.0, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"grad_fn\(x_adv\) at iterate 0 must be finite"):
        mirror_descent_attack(x, lambda x_adv: x_adv * np.nan, 0.1, 1.0, 3)
    with pytest.raises(ValueError, match=r"grad_fn\(x_adv\) at iterate 0 .* \(1, 2\) and \(2,\)"):
        mirror_descent_attack(x, lambda x_adv: np.ones(2), 0.1, 1.0, 3)


# --- bad input, argument by argument ---------------------------------------------------------

BAD_ARRAYS = {  # the value, the error, and what the message says after the name
    "ragged": ([[0.5, 0.5], [0.5]], ValueError, "must be a rectangular array"),
    "complex": (np.full((1, 2), 0.5 + 0j), TypeError, "must be an array of real numbers"),
    "bool": (np.ones((1, 2), dtype=bool), TypeError, "must be an array of real numbers"),
    "nan": ([[0.5, np.nan]], ValueError, "must (be finite|not be NaN)"),
    "empty": (np.zeros(0), ValueError, "must (hold at least one entry|have the (same )?shape)"),
}
X = np.array([[0.2, 0.5]])
ARRAY_ARGUMENTS = {  # function-argument: (the argument's name, the call with a value for it)
    "sigmoid-z": ("z", sigmoid),
    "logit-p": ("p", logit),
    "bernoulli_kl-x": ("x", lambda v: bernoulli_kl(v, 0.5)),
    "bernoulli_kl-x0": ("x0", lambda v: bernoulli_kl(0.5, v)),
    "prox_step-x0": ("x0", lambda v: prox_step(v, [1.0, 1.0], 1.0)),
    "prox_step-grad": ("grad", lambda v: prox_step([0.5, 0.5], v, 1.0)),
    "mirror_descent-x0": ("x0", lambda v: mirror_descent(np.sin, v, 1.0, 2)),
    "mirror_descent_logits-eta0": ("eta0", lambda v: mirror_descent_logits(np.sin, v, 1.0, 2)),
    "projected_gradient_descent-x0": (
        "x0",
        lambda v: projected_gradient_descent(np.sin, v, 1.0, 2),
    ),
    "reparameterized_gradient_descent-x0": (
        "x0",
        lambda v: reparameterized_gradient_descent(np.sin, v, 1.0, 2),
    ),
    "box_quadratic_minimizer-hessian": ("hessian", lambda v: box_quadratic_minimizer(v, [0.5])),
    "box_quadratic_minimizer-center": ("center", lambda v: box_quadratic_minimizer([[1.0]], v)),
    "mirror_descent_attack-x": ("x", lambda v: mirror_descent_attack(v, np.cos, 0.1, 1.0, 2)),
    "mirror_descent_attack-start": (
        "start",
        lambda v: mirror_descent_attack(X, np.cos, 0.1, 1.0, 2, start=v),
    ),
}


@pytest.mark.parametrize(("name", "call"), ARRAY_ARGUMENTS.values(), ids=ARRAY_ARGUMENTS.keys())
@pytest.mark.parametrize(("bad", "error", "message"), BAD_ARRAYS.values(), ids=BAD_ARRAYS.keys())
def test_a_bad_array_is_rejected_naming_the_argument(
    name: str, call, bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=rf"^(\w+ and )?{name} {message}"):  # "x0 and grad must"
        call(bad)


# sigmoid, logit and the gradient of prox_step take the limits +-inf.
FINITE_ONLY = [
    name for name in ARRAY_ARGUMENTS if name not in ("sigmoid-z", "logit-p", "prox_step-grad")
]


@pytest.mark.parametrize("name", FINITE_ONLY)
def test_an_infinite_entry_is_rejected_where_only_finite_ones_are_allowed(name: str) -> None:
    argument, call = ARRAY_ARGUMENTS[name]
    with pytest.raises(ValueError, match=f"^{argument} must be finite"):
        call([[0.5, np.inf]])


ITERATIONS = {
    "mirror_descent": lambda f: mirror_descent(f, [0.5, 0.5], 1.0, 2),
    "mirror_descent_logits": lambda f: mirror_descent_logits(f, [0.0, 0.0], 1.0, 2),
    "projected_gradient_descent": lambda f: projected_gradient_descent(f, [0.5, 0.5], 1.0, 2),
    "reparameterized_gradient_descent": (
        lambda f: reparameterized_gradient_descent(f, [0.5, 0.5], 1.0, 2)
    ),
    "mirror_descent_attack": lambda f: mirror_descent_attack([0.2, 0.5], f, 0.1, 1.0, 2),
}
every_iteration = pytest.mark.parametrize(
    ("function", "name"),
    [
        (f, "grad_fn" if key == "mirror_descent_attack" else "grad_f")
        for key, f in ITERATIONS.items()
    ],
    ids=ITERATIONS.keys(),
)


@every_iteration
@pytest.mark.parametrize("bad", [None, 0.5, np.ones(2)])
def test_a_non_callable_gradient_map_is_a_type_error_naming_it(
    function, name: str, bad: object
) -> None:
    with pytest.raises(TypeError, match=f"^{name} must be callable"):
        function(bad)


@every_iteration
@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [BAD_ARRAYS[key] for key in ("ragged", "complex", "bool", "nan")],
    ids=["ragged", "complex", "bool", "nan"],
)
def test_a_bad_gradient_is_rejected_naming_the_gradient_map(
    function, name: str, bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=rf"^{name}\((x|x_adv)\) at iterate 0 {message}"):
        function(lambda x: bad)


def test_attack_on_one_1d_example_gives_the_path_of_x_none() -> None:
    x, weights = np.array([0.2, 0.5, 0.95]), np.array([1.0, -0.25, 0.5])
    seen: list[tuple[int, ...]] = []

    def gain(x_adv: np.ndarray) -> np.ndarray:
        seen.append(x_adv.shape)
        return weights.reshape(x_adv.shape[-1:]) * np.cos(x_adv)

    one = mirror_descent_attack(x, gain, 0.1, 1.0, 6)
    assert one.shape == (7, 3)
    assert set(seen) == {(3,)}  # grad_fn gets x's own shape
    # The largest |G_i| of the whole example sets the scale, as for x[None].
    np.testing.assert_array_equal(one, mirror_descent_attack(x[None], gain, 0.1, 1.0, 6)[:, 0])
