"""Tests of seminar.weight_norm: the neuron, its gradient, one step, and SGD's equilibrium.

Every closed form is checked against the derivation's formula (written out here
independently), against brute force (finite differences, a real step, a numerical
minimiser, a simulation), and on bad input.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import minimize_scalar

from seminar.weight_norm import (
    Shrink,
    equilibrium,
    gd_step,
    largest_shrink,
    norm_after_step,
    norm_decrease_bound,
    simulate_sgd,
    weight_norm_grad,
    weight_norm_output,
)

RAISE = {"over": "raise", "invalid": "raise", "divide": "raise"}


def _vectors(min_dim: int = 2, max_dim: int = 12) -> st.SearchStrategy[np.ndarray]:
    """Vectors with entries in [-10, 10] and a norm of at least 0.1."""
    elements = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
    return hnp.arrays(np.float64, st.integers(min_dim, max_dim), elements=elements).filter(
        lambda v: np.linalg.norm(v) > 0.1
    )


@st.composite
def _steps(draw: st.DrawFn, min_lam: float, max_lam: float, max_dim: int) -> tuple:
    """(w0, g, r, a, lam): ||w0|| = r and g orthogonal to w0 with ||g|| = a."""
    d = draw(st.integers(2, max_dim))
    r, a = draw(st.floats(0.1, 10)), draw(st.floats(0, 10))
    lam = draw(st.floats(min_lam, max_lam))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    w0 = rng.standard_normal(d)
    w0 *= r / np.linalg.norm(w0)
    z = rng.standard_normal(d)
    g = z - (z @ w0) / (w0 @ w0) * w0
    return w0, a * g / np.linalg.norm(g), r, a, lam


def _teacher(seed: int, n: int = 4096, d: int = 20, sigma: float = 1.0):
    """Noisy linear-teacher data: t = x[:, 0] + sigma * noise."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    return x, x[:, 0] + sigma * rng.standard_normal(n), rng.standard_normal(d)


# --- the neuron and its gradient ----------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(w=_vectors(), seed=st.integers(0, 2**32 - 1), scale=st.floats(1e-3, 1e3))
def test_output_is_normalised_dot_product_and_scale_invariant(
    w: np.ndarray, seed: int, scale: float
) -> None:
    x = np.random.default_rng(seed).standard_normal((5, w.size))
    with np.errstate(**RAISE):
        y = weight_norm_output(w, x)
        np.testing.assert_allclose(y, x @ w / np.linalg.norm(w), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(weight_norm_output(scale * w, x), y, rtol=1e-11, atol=1e-12)
        assert weight_norm_output(w, x[0]).shape == ()


@settings(max_examples=40, deadline=None)
@given(w=_vectors(max_dim=8), seed=st.integers(0, 2**32 - 1))
def test_gradient_matches_central_finite_differences(w: np.ndarray, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal((6, w.size)), rng.standard_normal(6)

    def loss(v: np.ndarray) -> float:
        return 0.5 * float(np.sum((weight_norm_output(v, x) - t) ** 2))

    grad = weight_norm_grad(w, x, weight_norm_output(w, x) - t)
    h = 1e-6 * np.linalg.norm(w)
    numeric = np.array([(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(w.size)])
    # rounding of the differences is about 1e-16 * loss / h <= 1e-8 for these sizes
    assert np.linalg.norm(numeric - grad) <= 1e-5 * max(np.linalg.norm(grad), 1e-2)


def test_gradient_formula_of_the_derivation() -> None:
    # (I - w w^T / ||w||^2) x / ||w|| for w = (3, 4), x = (1, 2): w.x = 11, ||w|| = 5.
    expected = (np.array([1.0, 2.0]) - 11 / 25 * np.array([3.0, 4.0])) / 5
    np.testing.assert_allclose(weight_norm_grad([3.0, 4.0], [1.0, 2.0]), expected, rtol=1e-14)


@settings(max_examples=60, deadline=None)
@given(w=_vectors(max_dim=40), seed=st.integers(0, 2**32 - 1), c=st.floats(1e-3, 1e3))
def test_gradient_is_orthogonal_and_homogeneous_of_degree_minus_one(
    w: np.ndarray, seed: int, c: float
) -> None:
    rng = np.random.default_rng(seed)
    x, upstream = rng.standard_normal((7, w.size)), rng.standard_normal(7)
    with np.errstate(**RAISE):
        g = weight_norm_grad(w, x, upstream)
        # rounding in s - (w_hat.s) w_hat is relative to s = sum_i upstream_i x_i
        assert abs(w @ g) <= 1e-13 * np.linalg.norm(x.T @ upstream)
        np.testing.assert_allclose(c * weight_norm_grad(c * w, x, upstream), g, atol=1e-12)


def test_batched_gradient_is_the_sum_over_inputs() -> None:
    rng = np.random.default_rng(0)
    w, x, up = rng.standard_normal(4), rng.standard_normal((3, 4)), rng.standard_normal(3)
    single = sum(weight_norm_grad(w, x[i], up[i]) for i in range(3))
    np.testing.assert_allclose(weight_norm_grad(w, x, up), single, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(weight_norm_grad(w, x, 2.0), 2 * weight_norm_grad(w, x), atol=0)


def test_huge_and_tiny_weights_keep_their_direction() -> None:
    x = np.array([1.0, 2.0])
    with np.errstate(all="raise"):
        for scale in (1e-200, 1e200):
            w = scale * np.array([3.0, 4.0])
            assert float(weight_norm_output(w, x)) == pytest.approx(2.2, rel=1e-15)
            g = weight_norm_grad(w, x)
            # (I - w_hat w_hat^T) x / ||w|| with w_hat = (0.6, 0.8), w_hat.x = 2.2, ||w|| = 5 scale
            np.testing.assert_allclose(g * scale, np.array([-0.32, 0.24]) / 5, rtol=1e-12)


# --- one step (parts a and c) ----------------------------------------------------------


def test_gd_step_is_descent_on_the_regularised_loss() -> None:
    w, g = np.array([1.0, -2.0, 0.5]), np.array([0.3, 0.1, -0.2])
    np.testing.assert_allclose(gd_step(w, g, 0.1, 0.5), w - 0.5 * (g + 0.1 * w), rtol=1e-15)


def test_gradient_descent_from_an_optimum_shrinks_geometrically() -> None:
    # Part (a): noise-free targets t = x[:, 0]; w0 = 2 e_1 is optimal, L = 0.
    rng = np.random.default_rng(1)
    x = rng.standard_normal((50, 5))
    t = x[:, 0]
    w = np.array([2.0, 0.0, 0.0, 0.0, 0.0])
    alpha, lam = 0.2, 0.5
    for step in range(1, 101):
        residual = weight_norm_output(w, x) - t
        w = gd_step(w, weight_norm_grad(w, x, residual), lam, alpha)
        assert np.linalg.norm(w) == pytest.approx(2 * (1 - alpha * lam) ** step, rel=1e-13)
    np.testing.assert_allclose(weight_norm_output(w, x), t, atol=1e-13)


@settings(max_examples=80, deadline=None)
@given(step=_steps(min_lam=0, max_lam=2, max_dim=30), alpha_frac=st.floats(1e-3, 3))
def test_norm_after_step_matches_a_real_step(step: tuple, alpha_frac: float) -> None:
    w0, g, r, a, lam = step
    alpha = alpha_frac / max(lam, a / r, 0.1)  # step sizes on the scale of the problem
    expected = math.sqrt((1 - alpha * lam) ** 2 * r**2 + alpha**2 * a**2)  # the derivation
    actual = norm_after_step(a, lam, alpha, r)
    tiny = 1e-14 * r  # 1 - alpha lam may cancel to nearly 0
    assert actual == pytest.approx(expected, rel=1e-12, abs=tiny)
    stepped = float(np.linalg.norm(gd_step(w0, g, lam, alpha)))
    assert stepped == pytest.approx(actual, rel=1e-12, abs=tiny)


@settings(max_examples=150, deadline=None)
@given(step=_steps(min_lam=0.01, max_lam=10, max_dim=12))
def test_bound_against_a_real_step_just_below_and_just_above(step: tuple) -> None:
    # At alpha = bound (1 + delta), ||w1||^2 - r^2 = 4 lam^2 r^2 delta (1 + delta) / (lam^2 + u^2)
    # with u = a / r: for these ranges and |delta| = 1e-3 that is above 4e-11 r^2, far above
    # rounding, so the sign of the change is decided by the bound and not by rounding.
    w0, g, r, a, lam = step
    bound = norm_decrease_bound(a, lam, r)
    below = np.linalg.norm(gd_step(w0, g, lam, bound * (1 - 1e-3)))
    above = np.linalg.norm(gd_step(w0, g, lam, bound * (1 + 1e-3)))
    assert below < r
    assert above >= r


@settings(max_examples=100, deadline=None)
@given(a=st.floats(0, 100), lam=st.floats(1e-4, 100), r=st.floats(1e-2, 100))
def test_bound_formula_and_its_radius_scaling(a: float, lam: float, r: float) -> None:
    assert norm_decrease_bound(a, lam) == pytest.approx(2 * lam / (lam**2 + a**2), rel=1e-13)
    assert norm_decrease_bound(a, lam, r) == pytest.approx(
        2 * lam * r**2 / (lam**2 * r**2 + a**2), rel=1e-13
    )
    # The step is linear in (w0, g): scaling the picture by 1/r gives ||w0|| = 1, ||g|| = a/r.
    # (g/r is not the gradient at w0/r; that one is r g, see the next test.)
    assert norm_decrease_bound(a, lam, r) == pytest.approx(
        norm_decrease_bound(a / r, lam), rel=1e-13
    )
    assert norm_after_step(a, lam, norm_decrease_bound(a, lam, r), r) == pytest.approx(r, rel=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    r=st.floats(0.1, 10).filter(lambda r: abs(r - 1) > 0.1),
    lam=st.floats(0.01, 1),
    size=st.floats(0.3, 3),
)
def test_bound_at_radius_r_takes_the_gradient_at_w0_itself(
    seed: int, r: float, lam: float, size: float
) -> None:
    rng = np.random.default_rng(seed)
    d = int(rng.integers(2, 10))
    w0 = rng.standard_normal(d)
    w0 *= r / np.linalg.norm(w0)
    x, upstream = rng.standard_normal((5, d)), rng.standard_normal(5)
    upstream *= size * lam * r / np.linalg.norm(weight_norm_grad(w0, x, upstream))
    g = weight_norm_grad(w0, x, upstream)  # a real gradient at ||w0|| = r, ||g|| = size lam r
    a = float(np.linalg.norm(g))
    a_unit = float(np.linalg.norm(weight_norm_grad(w0 / r, x, upstream)))  # at w0 / r
    assert a_unit == pytest.approx(a * r, rel=1e-12)  # degree -1: r times longer
    bound = norm_decrease_bound(a, lam, r)
    assert bound == pytest.approx(2 * lam * r**4 / (lam**2 * r**4 + a_unit**2), rel=1e-12)
    for alpha, shrinks in ((bound * (1 - 1e-3), True), (bound * (1 + 1e-3), False)):
        assert (np.linalg.norm(gd_step(w0, g, lam, alpha)) < r) == shrinks
    # Reading a as the unit-sphere gradient gives another bound (off by at least 1.5 % for
    # these ranges), and a real step between the two bounds contradicts that reading.
    wrong = norm_decrease_bound(a_unit, lam, r)
    between = math.sqrt(bound * wrong)
    assert (between < wrong) != (between < bound)
    assert (np.linalg.norm(gd_step(w0, g, lam, between)) < r) == (between < bound)


def test_bound_special_cases() -> None:
    assert norm_decrease_bound(0.0, 0.4) == pytest.approx(5.0)  # part (a): |1 - alpha lam| < 1
    assert norm_decrease_bound(0.3, 0.0) == 0.0  # no weight decay: no step shrinks
    assert norm_decrease_bound(0.0, 0.0) == 0.0
    assert norm_after_step(0.3, 0.0, 1.0) > 1.0  # and every step grows the norm
    assert largest_shrink(0.3, 0.0) == Shrink(alpha=0.0, norm=1.0)
    assert largest_shrink(0.3, 0.0, 2.0).norm == 2.0
    assert largest_shrink(0.0, 0.5).alpha == pytest.approx(2.0)  # lands on w = 0
    assert largest_shrink(0.0, 0.5).norm == 0.0
    with np.errstate(all="raise"):  # extreme but valid sizes stay finite
        assert math.isfinite(norm_decrease_bound(1e300, 1e-300, 1e-300))
        assert norm_decrease_bound(1e-300, 1e300, 1e300) == pytest.approx(2e-300)


@settings(max_examples=60, deadline=None)
@given(a=st.floats(1e-2, 10), lam=st.floats(1e-2, 10), r=st.floats(0.1, 10))
def test_largest_shrink_against_a_numerical_minimiser(a: float, lam: float, r: float) -> None:
    best = largest_shrink(a, lam, r)
    bound = norm_decrease_bound(a, lam, r)
    assert best.alpha == pytest.approx(bound / 2, rel=1e-13)
    assert best.norm == pytest.approx(r * a / math.sqrt(lam**2 * r**2 + a**2), rel=1e-13)
    found = minimize_scalar(
        lambda alpha: norm_after_step(a, lam, alpha, r),
        bounds=(1e-9 * bound, bound),
        method="bounded",
        options={"xatol": 1e-12 * bound},
    )
    assert found.fun == pytest.approx(best.norm, rel=1e-10)
    assert found.fun >= best.norm * (1 - 1e-14)  # nothing beats the formula
    assert found.x == pytest.approx(best.alpha, rel=1e-3)


# --- SGD and its equilibrium ------------------------------------------------------


def test_equilibrium_formulas() -> None:
    eq = equilibrium(alpha=0.05, lam=0.01, grad_sq=4.0)
    assert eq.norm**4 == pytest.approx(0.05 * 4.0 / (2 * 0.01))
    assert eq.effective_lr == pytest.approx(0.05 / eq.norm**2)
    assert eq.angle == pytest.approx(math.sqrt(2 * 0.05 * 0.01))
    with_momentum = equilibrium(alpha=0.05, lam=0.01, grad_sq=4.0, beta=0.9)
    assert with_momentum.angle == pytest.approx(math.sqrt(2 * 0.05 * 0.01 / 1.9))
    assert with_momentum.norm == pytest.approx(eq.norm / 0.1**0.25)
    assert equilibrium(0.05, 0.01, 400.0).angle == eq.angle  # the angle ignores the gradients


@pytest.mark.parametrize("beta", [0.0, 0.9])
def test_simulated_equilibrium_matches_the_formulas(beta: float) -> None:
    x, t, w0 = _teacher(seed=11)
    alpha, lam, steps = 0.05, 0.01, 6000
    trace = simulate_sgd(x, t, w0, alpha=alpha, lam=lam, beta=beta, batch_size=4, steps=steps)
    steady = slice(steps // 2, None)
    eq = equilibrium(alpha, lam, float(np.mean(trace.grad_sq[steady])), beta)
    # Stated tolerances, as on the page (finite runs, leading-order formulas): 1 % for plain
    # SGD, 5 % with momentum, whose norm also assumes uncorrelated gradients. Dropping the
    # factors of beta from the formulas would miss by about 25 % (angle) and 75 % (norm).
    tolerance = 0.01 if beta == 0 else 0.05
    assert np.mean(trace.norms[steady]) == pytest.approx(eq.norm, rel=tolerance)
    assert np.mean(trace.effective_lr[steady]) == pytest.approx(eq.effective_lr, rel=tolerance)
    assert np.sqrt(np.mean(trace.angles[steady] ** 2)) == pytest.approx(eq.angle, rel=tolerance)
    # Without weight decay the same data never settle: the norm keeps growing, far past it.
    free = simulate_sgd(x, t, w0, alpha=alpha, lam=0.0, beta=beta, batch_size=4, steps=steps)
    assert free.norms[-1] > free.norms[steps // 2] > free.norms[0]
    assert free.norms[-1] > 2 * eq.norm


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_balance_identity_holds_exactly_for_a_finite_run(beta: float) -> None:
    # (1 + beta)/2 sum ||d_t||^2 = alpha lam sum ||w_t||^2 + (1 - beta)(||w_T||^2 - ||w_0||^2)/2
    #                              + beta w_T . d_{T-1}          (exact, for every T)
    x, t, w0 = _teacher(seed=12, n=500, d=8)
    alpha, lam, steps = 0.1, 0.02, 700
    trace = simulate_sgd(x, t, w0, alpha=alpha, lam=lam, beta=beta, batch_size=3, steps=steps)
    w = trace.weights
    d = np.diff(w, axis=0)
    lhs = (1 + beta) / 2 * np.sum(d**2)
    rhs = (
        alpha * lam * np.sum(w[:-1] ** 2)
        + (1 - beta) * (w[-1] @ w[-1] - w[0] @ w[0]) / 2
        + beta * (w[-1] @ d[-1])
    )
    assert lhs == pytest.approx(rhs, rel=1e-9)


@pytest.mark.parametrize("alpha", [1e-9, 0.05, 0.5])
def test_angle_per_step_of_plain_sgd_is_the_right_triangle(alpha: float) -> None:
    # beta = 0: w_{t+1} = (1 - alpha lam) w_t - alpha g_t with g_t orthogonal to w_t, so
    # tan(theta_t) = alpha ||g~_t|| / ((1 - alpha lam) ||w_t||^2). alpha = 1e-9 gives angles
    # near 1e-9, where arccos of the cosine would lose half the digits.
    x, t, w0 = _teacher(seed=16, n=300, d=6)
    lam = 0.1
    trace = simulate_sgd(x, t, w0, alpha=alpha, lam=lam, batch_size=3, steps=200)
    tangent = alpha * np.sqrt(trace.grad_sq) / ((1 - alpha * lam) * trace.norms[:-1] ** 2)
    # The stored weights are rounded (1e-16 relative), which limits any angle between them
    # to about 1e-16 absolute; arccos would be off by about 1e-8 at alpha = 1e-9.
    np.testing.assert_allclose(trace.angles, np.arctan(tangent), rtol=1e-12, atol=1e-15)


def test_without_weight_decay_the_fourth_power_of_the_norm_grows_by_the_gradients() -> None:
    # r_{t+1}^4 = r_t^4 + 2 alpha^2 |g~_t|^2 + alpha^4 |g~_t|^4 / r_t^4, exactly (lam = beta = 0)
    x, t, w0 = _teacher(seed=13, n=300, d=6)
    alpha = 0.3
    trace = simulate_sgd(x, t, w0, alpha=alpha, lam=0.0, batch_size=2, steps=400)
    r4 = trace.norms**4
    predicted = r4[:-1] + 2 * alpha**2 * trace.grad_sq + alpha**4 * trace.grad_sq**2 / r4[:-1]
    np.testing.assert_allclose(r4[1:], predicted, rtol=1e-12)
    assert np.all(np.diff(trace.norms) > 0)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_at_an_optimum_momentum_shrinks_by_the_larger_root(beta: float) -> None:
    # Zero gradient on the ray of w0 = e_1 (x = I, t = e_1): w_{t+1} = (1 + beta - alpha lam) w_t
    # - beta w_{t-1}, so the norm shrinks by the larger root z of z^2 - (1 + beta - alpha lam) z
    # + beta, which is 1 - alpha lam / (1 - beta) to first order in alpha lam.
    alpha, lam = 0.1, 1e-3
    trace = simulate_sgd(
        np.eye(3), np.eye(3)[:, 0], [1.0, 0.0, 0.0], alpha=alpha, lam=lam, beta=beta, steps=600
    )
    assert np.all(trace.weights[:, 1:] == 0.0)  # the direction never changes
    p = 1 + beta - alpha * lam
    z = (p + math.sqrt(p * p - 4 * beta)) / 2
    late = trace.norms[401:] / trace.norms[400:-1]  # the smaller root has died out by now
    np.testing.assert_allclose(late, z, rtol=1e-12)
    assert 1 - z == pytest.approx(alpha * lam / (1 - beta), rel=0.02)


def test_only_the_product_alpha_lambda_matters_for_the_directions() -> None:
    x, t, w0 = _teacher(seed=14, n=400, d=5)
    base = simulate_sgd(x, t, w0, alpha=0.05, lam=0.02, beta=0.9, batch_size=4, steps=500)
    scaled = simulate_sgd(
        x, t, 3 * w0, alpha=9 * 0.05, lam=0.02 / 9, beta=0.9, batch_size=4, steps=500
    )
    np.testing.assert_allclose(scaled.weights, 3 * base.weights, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scaled.angles, base.angles, rtol=1e-9)


def test_simulation_is_deterministic_and_logistic_loss_learns() -> None:
    rng = np.random.default_rng(15)
    x = rng.standard_normal((400, 4))
    labels = (x[:, 1] > 0).astype(float)
    runs = [
        simulate_sgd(
            x,
            labels,
            np.ones(4),
            alpha=0.5,
            lam=1e-3,
            batch_size=8,
            steps=300,
            seed=3,
            loss="logistic",
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(runs[0].weights, runs[1].weights)
    direction = runs[0].weights[-1] / runs[0].norms[-1]
    assert direction[1] > 0.9  # it found the separating direction
    first, last = (np.mean((x @ w > 0) == labels) for w in runs[0].weights[[0, -1]])
    assert last > 0.9 > first


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: weight_norm_output([0.0, 0.0], [1.0, 2.0]), "w must be non-zero"),
        (lambda: weight_norm_output([1.0, 2.0], [1.0, 2.0, 3.0]), "x must have shape"),
        (lambda: weight_norm_output([[1.0, 2.0]], [1.0, 2.0]), "w must be a non-empty 1-D"),
        (lambda: weight_norm_output([1.0, np.nan], [1.0, 2.0]), "w must be finite"),
        (lambda: weight_norm_grad([0.0, 0.0], [1.0, 2.0]), "w must be non-zero"),
        (lambda: weight_norm_grad([1.0, 2.0], np.ones((3, 2)), [1.0, 2.0]), "upstream"),
        (lambda: weight_norm_grad([1.0, 2.0], np.ones((3, 3))), "x must have shape"),
        (lambda: gd_step([0.0, 0.0], [1.0, 0.0], 0.1, 0.1), "w must be non-zero"),
        (lambda: gd_step([1.0, 0.0], [1.0, 0.0, 0.0], 0.1, 0.1), "w and g must have the same"),
        (lambda: gd_step([1.0, 0.0], [0.0, 1.0], -0.1, 0.1), "lam must be in"),
        (lambda: gd_step([1.0, 0.0], [0.0, 1.0], 0.1, 0.0), "alpha must be in"),
        (lambda: gd_step([1.0, 0.0], [0.0, 1.0], 0.1, -1.0), "alpha must be in"),
        (lambda: norm_decrease_bound(-1.0, 0.1), "a must be in"),
        (lambda: norm_decrease_bound(1.0, -0.1), "lam must be in"),
        (lambda: norm_decrease_bound(1.0, 0.1, r=0.0), "r must be in"),
        (lambda: norm_decrease_bound(math.inf, 0.1), "a must be finite"),
        (lambda: norm_after_step(1.0, 0.1, alpha=0.0), "alpha must be in"),
        (lambda: largest_shrink(1.0, 0.1, r=-1.0), "r must be in"),
        (lambda: equilibrium(0.1, 0.0, 1.0), "lam must be in"),
        (lambda: equilibrium(0.1, 0.1, 0.0), "grad_sq must be in"),
        (lambda: equilibrium(0.1, 0.1, 1.0, beta=1.0), "beta must be in"),
        (lambda: equilibrium(0.0, 0.1, 1.0), "alpha must be in"),
    ],
)
def test_bad_input_is_rejected_naming_the_argument(call, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"w0": np.zeros(3)}, "w0 must be non-zero"),
        ({"w0": np.ones(4)}, "w0 must have length 3"),
        ({"target": np.ones(5)}, "target must have shape"),
        ({"x": np.ones(3)}, "x must have shape"),
        ({"alpha": 0.0}, "alpha must be in"),
        ({"lam": -1.0}, "lam must be in"),
        ({"beta": 1.0}, "beta must be in"),
        ({"batch_size": 0}, "batch_size must be an integer"),
        ({"steps": 2.5}, "steps must be an integer"),
        ({"seed": -1}, "seed must be an integer"),
        ({"loss": "hinge"}, "loss must be"),
        ({"loss": "logistic"}, "target must hold labels"),
    ],
)
def test_simulation_rejects_bad_input(kwargs: dict[str, object], name: str) -> None:
    rng = np.random.default_rng(0)
    args: dict[str, object] = {
        "x": rng.standard_normal((10, 3)),
        "target": rng.standard_normal(10),
        "w0": np.ones(3),
        "alpha": 0.1,
        "lam": 0.01,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        simulate_sgd(**args)  # type: ignore[arg-type]


def test_wrong_types_raise_type_error() -> None:
    with pytest.raises(TypeError, match="lam"):
        gd_step([1.0, 0.0], [0.0, 1.0], True, 0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="w"):
        weight_norm_output(["a", "b"], [1.0, 2.0])


def test_simulation_stops_with_an_error_instead_of_nan() -> None:
    x = np.eye(3)
    t = x[:, 0]  # w0 = e_1 is exactly optimal: a zero gradient, then alpha lam = 1 lands on 0
    with pytest.raises(ValueError, match=r"w = 0 at step 1"):
        simulate_sgd(x, t, [1.0, 0.0, 0.0], alpha=1.0, lam=1.0, steps=3)
    rng = np.random.default_rng(0)
    xs, ts = rng.standard_normal((20, 3)), rng.standard_normal(20)
    with pytest.raises(ValueError, match="alpha = 1e\\+300 is far too large"):
        simulate_sgd(xs, ts, np.ones(3), alpha=1e300, lam=0.5, steps=50)


# Bad array arguments: the value, the error, and what the message says after the name.
BAD_ARRAYS = {
    "ragged": ([[1.0, 2.0], [3.0]], ValueError, "must be a rectangular array"),
    "complex": (np.full((2, 2), 1.0 + 0j), TypeError, "must be an array of real numbers"),
    "bool": (np.ones((2, 2), dtype=bool), TypeError, "must be an array of real numbers"),
    "nan": ([[1.0, np.nan], [1.0, 1.0]], ValueError, "must be finite"),
    "inf": ([[1.0, 1.0], [np.inf, 1.0]], ValueError, "must be finite"),
    "empty": (np.zeros(0), ValueError, "must"),  # each function says what shape it needs
}
X = np.ones((2, 2))
SGD = {"alpha": 0.1, "lam": 0.1, "steps": 1}
ARRAY_ARGUMENTS = {  # function-argument: (the argument's name, the call with a value for it)
    "weight_norm_output-w": ("w", lambda v: weight_norm_output(v, [1.0, 2.0])),
    "weight_norm_output-x": ("x", lambda v: weight_norm_output([1.0, 2.0], v)),
    "weight_norm_grad-w": ("w", lambda v: weight_norm_grad(v, X)),
    "weight_norm_grad-x": ("x", lambda v: weight_norm_grad([1.0, 2.0], v)),
    "weight_norm_grad-upstream": ("upstream", lambda v: weight_norm_grad([1.0, 2.0], X, v)),
    "gd_step-w": ("w", lambda v: gd_step(v, [1.0, 0.0], 0.1, 0.1)),
    "gd_step-g": ("g", lambda v: gd_step([1.0, 0.0], v, 0.1, 0.1)),
    "simulate_sgd-x": ("x", lambda v: simulate_sgd(v, [0.0, 1.0], [1.0, 0.0], **SGD)),
    "simulate_sgd-target": ("target", lambda v: simulate_sgd(X, v, [1.0, 0.0], **SGD)),
    "simulate_sgd-w0": ("w0", lambda v: simulate_sgd(X, [0.0, 1.0], v, **SGD)),
}


@pytest.mark.parametrize(("name", "call"), ARRAY_ARGUMENTS.values(), ids=ARRAY_ARGUMENTS.keys())
@pytest.mark.parametrize(("bad", "error", "message"), BAD_ARRAYS.values(), ids=BAD_ARRAYS.keys())
def test_a_bad_array_is_rejected_naming_the_argument(
    name: str, call, bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=rf"^(\w+ and )?{name} {message}"):  # "w and g must have"
        call(bad)
