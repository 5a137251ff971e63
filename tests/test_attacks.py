"""Tests of seminar.attacks: FGSM, L2-FGM, PGD and the random-sign baseline."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from seminar.attacks import fgm, fgsm, pgd, random_sign_noise
from seminar.classifier import MLP
from seminar.trust_region import sample_lp_ball

RAISE_ALL = {"all": "raise"}
TOL = 1e-12

shapes = array_shapes(min_dims=1, max_dims=3, max_side=5)
radii = st.one_of(st.just(0.0), st.floats(1e-4, 2.0))


@st.composite
def batches(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Clean inputs in [0, 1] and a gradient of the same shape."""
    shape = draw(shapes)
    x = draw(arrays(np.float64, shape, elements=st.floats(0.0, 1.0)))
    grad = draw(arrays(np.float64, shape, elements=st.floats(-1e3, 1e3)))
    return x, grad


def as_rows(v: np.ndarray) -> np.ndarray:
    """One row per example; a 1-D array is one example."""
    return v.reshape(v.shape[0], -1) if v.ndim > 1 else v[None]


def per_example(v: np.ndarray, ord: float) -> np.ndarray:
    return np.linalg.norm(as_rows(v), ord=ord, axis=1)


def small_model(seed: int = 0) -> MLP:
    rng = np.random.default_rng(seed)
    return MLP(rng.normal(size=(6, 8)), rng.normal(size=8), rng.normal(size=(8, 3)), np.zeros(3))


# --- against the formulas ----------------------------------------------------------


def test_fgsm_is_x_plus_eps_sign_clipped() -> None:
    x = np.array([[0.2, 0.95, 0.0, 0.5]])
    grad = np.array([[1.0, 3.0, -2.0, 0.0]])
    np.testing.assert_allclose(fgsm(x, grad, 0.1), [[0.3, 1.0, 0.0, 0.5]])
    np.testing.assert_allclose(fgsm(x, grad, 0.1, clip=None), [[0.3, 1.05, -0.1, 0.5]])


def test_fgm_is_x_plus_eps_unit_gradient_per_example() -> None:
    x = np.full((2, 2, 2), 0.5)
    grad = np.array([[[3.0, 0.0], [0.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]])
    expected = x.copy()
    expected[0] += 0.2 * grad[0] / 5.0  # the second example has no gradient: unchanged
    np.testing.assert_allclose(fgm(x, grad, 0.2), expected)


@settings(max_examples=200, deadline=None)
@given(batch=batches(), eps=radii)
def test_fgsm_stays_in_ball_and_box_and_moves_every_free_pixel_by_eps(
    batch: tuple[np.ndarray, np.ndarray], eps: float
) -> None:
    x, grad = batch
    adv = fgsm(x, grad, eps)
    assert np.all(np.abs(adv - x) <= eps + TOL)
    assert np.all((adv >= 0.0) & (adv <= 1.0))
    free = (grad != 0) & (x + eps * np.sign(grad) >= 0) & (x + eps * np.sign(grad) <= 1)
    np.testing.assert_allclose(np.abs(adv - x)[free], eps, atol=TOL)


@settings(max_examples=200, deadline=None)
@given(batch=batches(), eps=radii)
def test_fgm_stays_in_l2_ball_and_box(batch: tuple[np.ndarray, np.ndarray], eps: float) -> None:
    x, grad = batch
    adv = fgm(x, grad, eps)
    assert np.all(per_example(adv - x, 2) <= eps * (1 + 1e-12) + TOL)
    assert np.all((adv >= 0.0) & (adv <= 1.0))
    unclipped = fgm(x, grad, eps, clip=None)
    moved = np.any(as_rows(grad) != 0, axis=1)
    np.testing.assert_allclose(per_example(unclipped - x, 2)[moved], eps, rtol=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    g=arrays(np.float64, st.integers(1, 5), elements=st.floats(-10, 10)),
    seed=st.integers(0, 2**32 - 1),
)
def test_clipped_fgsm_is_the_exact_maximiser_over_ball_and_box(g: np.ndarray, seed: int) -> None:
    # Ball and box intersect in a box, so the problem still decouples per pixel.
    rng = np.random.default_rng(seed)
    x = rng.choice([0.0, 0.05, 0.5, 0.97, 1.0], size=(1, g.size))
    eps = 0.1
    best = float(g @ (fgsm(x, g[None], eps) - x)[0])
    steps = np.clip(x + sample_lp_ball(5000, g.size, np.inf, eps, seed=seed), 0, 1) - x
    assert float((steps @ g).max()) <= best + 1e-12


def test_an_empty_batch_gives_an_empty_batch() -> None:
    empty = np.zeros((0, 4))
    for adversarial in (
        fgsm(empty, empty, 0.1),
        fgm(empty, empty, 0.1),
        random_sign_noise(empty, 0.1, seed=0),
        pgd(empty, lambda z: z, 0.1, 0.05, 2, random_start=True, seed=0),
    ):
        assert adversarial.shape == (0, 4)


def test_random_sign_noise_has_fgsm_size_but_random_direction() -> None:
    x = np.full((50, 64), 0.5)
    noisy = random_sign_noise(x, 0.1, seed=0)
    np.testing.assert_allclose(np.abs(noisy - x), 0.1)
    np.testing.assert_array_equal(noisy, random_sign_noise(x, 0.1, seed=0))
    share_up = np.mean(noisy > x)
    assert 0.45 < share_up < 0.55


# --- attacks increase the loss of a real model ------------------------------------


def test_one_small_step_increases_every_examples_loss() -> None:
    model = small_model()
    rng = np.random.default_rng(1)
    x = rng.uniform(0.2, 0.8, size=(30, 6))  # interior: the box does not bind at eps = 1e-3
    y = rng.integers(0, 3, size=30)
    grad = model.input_gradient(x, y)
    clean = model.loss(x, y)
    eps = 1e-3
    for adv, rate in [
        (fgsm(x, grad, eps), np.abs(grad).sum(axis=1)),  # first order: eps ||g||_1
        (fgm(x, grad, eps), np.linalg.norm(grad, axis=1)),  # first order: eps ||g||_2
    ]:
        gain = model.loss(adv, y) - clean
        np.testing.assert_allclose(gain, eps * rate, rtol=1e-2)


def test_pgd_increases_the_loss_at_least_as_much_as_fgsm_on_average() -> None:
    model = small_model(2)
    rng = np.random.default_rng(3)
    x = rng.uniform(0.0, 1.0, size=(200, 6))
    y = model.predict(x)
    eps = 0.2

    def ascent(z: np.ndarray) -> np.ndarray:
        return model.input_gradient(z, y)

    one = model.loss(fgsm(x, ascent(x), eps), y).mean()
    many = model.loss(pgd(x, ascent, eps, eps / 4, 20), y).mean()
    assert model.loss(x, y).mean() < one <= many


# --- PGD ---------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    batch=batches(),
    eps=radii,
    step_size=st.floats(0.0, 1.0),
    steps=st.integers(0, 6),
    random_start=st.booleans(),
)
def test_pgd_stays_in_ball_and_box(
    batch: tuple[np.ndarray, np.ndarray],
    eps: float,
    step_size: float,
    steps: int,
    random_start: bool,
) -> None:
    x, direction = batch
    rng = np.random.default_rng(0)

    def wandering_gradient(z: np.ndarray) -> np.ndarray:  # a different direction every call
        return direction * rng.normal(size=z.shape)

    adv = pgd(x, wandering_gradient, eps, step_size, steps, random_start=random_start, seed=1)
    assert adv.shape == x.shape
    assert np.all(np.abs(adv - x) <= eps + TOL)
    assert np.all((adv >= 0.0) & (adv <= 1.0))


def test_one_pgd_step_of_size_eps_is_fgsm() -> None:
    model = small_model()
    x = np.random.default_rng(4).uniform(size=(10, 6))
    y = np.zeros(10, dtype=int)
    grad = model.input_gradient(x, y)
    adv = pgd(x, lambda z: model.input_gradient(z, y), 0.1, 0.1, 1)
    np.testing.assert_allclose(adv, fgsm(x, grad, 0.1))


def test_pgd_on_a_linear_loss_reaches_the_corner_fgsm_jumps_to() -> None:
    x = np.array([[0.5, 0.02, 0.99, 0.3]])
    g = np.array([[1.0, -1.0, 2.0, -0.5]])
    adv = pgd(x, lambda z: g, eps=0.1, step_size=0.03, steps=4)
    np.testing.assert_allclose(adv, fgsm(x, g, 0.1))


def test_pgd_random_start_is_seeded_and_inside() -> None:
    x = np.full((3, 4), 0.5)
    start = pgd(x, lambda z: np.zeros_like(z), 0.1, 0.0, 0, random_start=True, seed=7)
    again = pgd(x, lambda z: np.zeros_like(z), 0.1, 0.0, 0, random_start=True, seed=7)
    np.testing.assert_array_equal(start, again)
    assert not np.array_equal(start, x)
    assert np.all(np.abs(start - x) <= 0.1)
    np.testing.assert_array_equal(pgd(x, lambda z: z, 0.1, 0.05, 0), x)


def test_attacks_raise_no_floating_point_errors() -> None:
    x = np.array([[0.0, 1.0, 0.5]])
    grad = np.array([[1e300, -1e300, 1e-300]])
    with np.errstate(**RAISE_ALL):
        assert np.all(np.isfinite(fgm(x, grad, 0.5)))
        assert np.all(np.isfinite(fgsm(x, grad, 0.5)))
        assert np.all(np.isfinite(pgd(x, lambda z: grad, 0.5, 0.1, 3)))


# --- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("attack", [fgsm, fgm])
def test_single_step_attacks_reject_bad_input(
    attack: Callable[..., np.ndarray],
) -> None:
    x, grad = np.full((2, 3), 0.5), np.ones((2, 3))
    with pytest.raises(ValueError, match="eps"):
        attack(x, grad, -0.1)
    with pytest.raises(ValueError, match="x and grad must have the same shape"):
        attack(x, np.ones((2, 4)), 0.1)
    with pytest.raises(ValueError, match="grad must be finite"):
        attack(x, np.full((2, 3), np.nan), 0.1)
    with pytest.raises(ValueError, match="x must be finite"):
        attack(np.full((2, 3), np.inf), grad, 0.1)
    with pytest.raises(ValueError, match=r"x must lie in the clip box \[0.0, 1.0\]"):
        attack(x + 1.0, grad, 0.1)
    with pytest.raises(ValueError, match="clip must have low <= high"):
        attack(x, grad, 0.1, clip=(1.0, 0.0))
    with pytest.raises(TypeError, match="clip must be None or a pair"):
        attack(x, grad, 0.1, clip=1.0)
    with pytest.raises(ValueError, match=r"x must be one example \(1-D"):
        attack(0.5, 1.0, 0.1)


def test_pgd_rejects_bad_input() -> None:
    x = np.full((2, 3), 0.5)

    def ok(z: np.ndarray) -> np.ndarray:
        return np.ones_like(z)

    with pytest.raises(ValueError, match="eps"):
        pgd(x, ok, -1.0, 0.1, 3)
    with pytest.raises(ValueError, match="step_size"):
        pgd(x, ok, 0.1, -0.1, 3)
    with pytest.raises(ValueError, match="steps"):
        pgd(x, ok, 0.1, 0.1, -1)
    with pytest.raises(ValueError, match="steps"):
        pgd(x, ok, 0.1, 0.1, 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"x and grad_fn\(x_adv\) must have the same shape"):
        pgd(x, lambda z: np.ones(3), 0.1, 0.1, 1)
    with pytest.raises(ValueError, match=r"grad_fn\(x_adv\) must be finite"):
        pgd(x, lambda z: np.full_like(z, np.nan), 0.1, 0.1, 1)
    with pytest.raises(ValueError, match="x must lie in the clip box"):
        pgd(x - 1.0, ok, 0.1, 0.1, 1)


def test_random_sign_noise_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="eps"):
        random_sign_noise(np.zeros((1, 2)), -0.5)
    with pytest.raises(ValueError, match="x must be finite"):
        random_sign_noise(np.full((1, 2), np.nan), 0.5)


# Bad array arguments: the value, the error, and what the message says after the name.
BAD_ARRAYS = {
    "ragged": ([[0.5, 0.5, 0.5], [0.5]], ValueError, "must be a rectangular array"),
    "complex": (np.full((2, 3), 0.5 + 0j), TypeError, "must be an array of real numbers"),
    "bool": (np.ones((2, 3), dtype=bool), TypeError, "must be an array of real numbers"),
    "nan": ([[np.nan, 0.5, 0.5]], ValueError, "must be finite"),
    "inf": ([[0.5, -np.inf, 0.5]], ValueError, "must be finite"),
    "empty example": (np.zeros((2, 0)), ValueError, "must hold at least one entry per example"),
    "empty 1-D": (np.zeros(0), ValueError, "must hold at least one entry per example"),
    "scalar": (0.5, ValueError, r"must be one example \(1-D, e.g. shape \(d,\)\)"),
}
bad_array = pytest.mark.parametrize(
    ("bad", "error", "message"), BAD_ARRAYS.values(), ids=BAD_ARRAYS.keys()
)
GRAD = np.ones((2, 3))
ON_X: dict[str, Callable[[object], np.ndarray]] = {
    "fgsm": lambda x: fgsm(x, GRAD, 0.1),  # type: ignore[arg-type]
    "fgm": lambda x: fgm(x, GRAD, 0.1),  # type: ignore[arg-type]
    "pgd": lambda x: pgd(x, np.ones_like, 0.1, 0.05, 2),  # type: ignore[arg-type]
    "random_sign_noise": lambda x: random_sign_noise(x, 0.1, seed=0),  # type: ignore[arg-type]
}
every_attack = pytest.mark.parametrize("attack", ON_X.values(), ids=ON_X.keys())


@every_attack
@bad_array
def test_a_bad_x_is_rejected_naming_x(
    attack: Callable[[object], np.ndarray], bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^x {message}"):
        attack(bad)


# A gradient has x's shape, so only the values of the entries can be wrong on their own.
BAD_VALUES = {name: BAD_ARRAYS[name] for name in ("ragged", "complex", "bool", "nan", "inf")}
bad_values = pytest.mark.parametrize(
    ("bad", "error", "message"), BAD_VALUES.values(), ids=BAD_VALUES.keys()
)


@pytest.mark.parametrize("attack", [fgsm, fgm])
@bad_values
def test_a_bad_grad_is_rejected_naming_grad(
    attack: Callable[..., np.ndarray], bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^grad {message}"):
        attack(np.full((2, 3), 0.5), bad, 0.1)


@pytest.mark.parametrize("grad_fn", [None, 3, np.ones((2, 3))])
def test_a_non_callable_grad_fn_is_a_type_error_naming_it(grad_fn: object) -> None:
    with pytest.raises(TypeError, match=r"^grad_fn must be callable"):
        pgd(np.full((2, 3), 0.5), grad_fn, 0.1, 0.05, 2)  # type: ignore[arg-type]


@bad_values
def test_a_bad_gradient_from_grad_fn_is_rejected_naming_it(
    bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=rf"^grad_fn\(x_adv\) {message}"):
        pgd(np.full((2, 3), 0.5), lambda z: bad, 0.1, 0.05, 2)


@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), ("0", TypeError), (1.5, ValueError)])
@pytest.mark.parametrize(
    "attack",
    [
        lambda seed: random_sign_noise(np.full((2, 3), 0.5), 0.1, seed=seed),
        lambda seed: pgd(np.full((2, 3), 0.5), np.ones_like, 0.1, 0.05, 2, seed=seed),
    ],
    ids=["random_sign_noise", "pgd"],
)
def test_a_bad_seed_is_rejected_naming_seed(
    attack: Callable[[object], np.ndarray], seed: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^seed must be an integer >= 0"):
        attack(seed)


# --- one example as a 1-D array -------------------------------------------------------


def test_fgm_of_one_1d_example_takes_the_l2_norm_of_the_whole_vector() -> None:
    np.testing.assert_allclose(fgm([0.5, 0.5], [3.0, -4.0], 0.25), [0.65, 0.3])


@pytest.mark.parametrize("name", ["fgsm", "fgm", "pgd", "random_sign_noise"])
def test_one_1d_example_gives_the_result_of_x_none_in_1d(name: str) -> None:
    x, grad = np.array([0.2, 0.5, 0.9]), np.array([3.0, -0.5, 1.0])
    seen: list[tuple[int, ...]] = []

    def grad_fn(z: np.ndarray) -> np.ndarray:
        seen.append(z.shape)
        return grad.reshape(z.shape) * (1.5 - z)

    attack: Callable[[np.ndarray], np.ndarray] = {
        "fgsm": lambda x: fgsm(x, grad.reshape(x.shape), 0.1),
        "fgm": lambda x: fgm(x, grad.reshape(x.shape), 0.1),
        "pgd": lambda x: pgd(x, grad_fn, 0.1, 0.03, 4, random_start=True, seed=0),
        "random_sign_noise": lambda x: random_sign_noise(x, 0.1, seed=3),
    }[name]
    one = attack(x)
    assert one.shape == (3,)
    assert set(seen) <= {(3,)}  # pgd hands grad_fn arrays of x's own shape
    np.testing.assert_array_equal(one, attack(x[None])[0])
