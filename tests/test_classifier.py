"""Tests of seminar.classifier: the numpy MLP that the attacks of assignments 2 and 4 target."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from seminar.classifier import MLP, _parameter_gradients, train_mlp

RAISE_ALL = {"all": "raise"}


def random_model(seed: int, n_features: int = 5, hidden: int = 7, n_classes: int = 4) -> MLP:
    rng = np.random.default_rng(seed)
    return MLP(
        w1=rng.normal(size=(n_features, hidden)),
        b1=rng.normal(size=hidden),
        w2=rng.normal(size=(hidden, n_classes)),
        b2=rng.normal(size=n_classes),
    )


def naive_loss(model: MLP, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cross-entropy straight from its definition (fine for moderate scores)."""
    scores = np.tanh(x @ model.w1 + model.b1) @ model.w2 + model.b2
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return -np.log(probs[np.arange(len(y)), y])


def central_differences(model: MLP, x: np.ndarray, y: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d loss_i / d x_ij by central differences, one coordinate j at a time for all i."""
    grad = np.empty_like(x)
    for j in range(x.shape[1]):
        step = np.zeros_like(x)
        step[:, j] = h
        grad[:, j] = (model.loss(x + step, y) - model.loss(x - step, y)) / (2 * h)
    return grad


@pytest.fixture(scope="module")
def digits_model() -> tuple[MLP, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The page's setup: 8x8 digits scaled to [0, 1], a stratified 75/25 split."""
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data / 16.0, digits.target, test_size=0.25, random_state=0, stratify=digits.target
    )
    return train_mlp(x_train, y_train, seed=0), x_train, y_train, x_test, y_test


# --- the forward pass ------------------------------------------------------------


def test_loss_matches_the_definition_of_cross_entropy() -> None:
    model = random_model(0)
    x = np.random.default_rng(1).normal(size=(6, 5))
    y = np.array([0, 1, 2, 3, 0, 1])
    np.testing.assert_allclose(model.loss(x, y), naive_loss(model, x, y), rtol=1e-12)


def test_predict_is_argmax_of_logits_and_accuracy_counts_hits() -> None:
    model = random_model(2)
    x = np.random.default_rng(3).normal(size=(50, 5))
    predicted = model.predict(x)
    np.testing.assert_array_equal(predicted, np.argmax(model.logits(x), axis=1))
    y = predicted.copy()
    y[:10] = (y[:10] + 1) % 4
    assert model.accuracy(x, y) == pytest.approx(0.8)


def test_loss_is_stable_for_huge_scores() -> None:
    # Scores of order 1e4: exp would overflow without the log-sum-exp shift.
    model = MLP(w1=np.eye(2), b1=np.zeros(2), w2=1e4 * np.array([[1.0, -1.0], [0.0, 0.0]]),
                b2=np.zeros(2))  # fmt: skip
    x = np.array([[10.0, 0.0], [10.0, 0.0]])
    with np.errstate(**RAISE_ALL):
        loss = model.loss(x, np.array([0, 1]))
        grad = model.input_gradient(x, np.array([0, 1]))
    margin = 2e4 * np.tanh(10.0)  # the gap between the two scores
    np.testing.assert_allclose(loss, [0.0, margin], rtol=1e-12)
    assert np.all(np.isfinite(grad))


# --- the input gradient -------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6))
def test_input_gradient_matches_finite_differences(seed: int, n: int) -> None:
    model = random_model(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5))
    y = rng.integers(0, 4, size=n)
    np.testing.assert_allclose(
        model.input_gradient(x, y), central_differences(model, x, y), rtol=1e-6, atol=1e-8
    )


def test_input_gradient_of_the_digits_model_matches_finite_differences(
    digits_model: tuple[MLP, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    model, _, _, x_test, y_test = digits_model
    x, y = x_test[:40], y_test[:40]
    exact = model.input_gradient(x, y)
    numeric = central_differences(model, x, y)
    assert np.max(np.abs(exact - numeric)) < 1e-7 * max(1.0, float(np.abs(exact).max()))


def test_training_gradients_match_finite_differences_of_the_mean_loss() -> None:
    model = random_model(5)
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(9, 5)), rng.integers(0, 4, size=9)
    params = [np.array(getattr(model, name)) for name in ("w1", "b1", "w2", "b2")]
    exact = _parameter_gradients(params, x, y)
    h = 1e-6
    for param, grad in zip(params, exact, strict=True):
        numeric = np.empty_like(param)
        for index in np.ndindex(param.shape):
            saved = param[index]
            param[index] = saved + h
            up = MLP(*params).loss(x, y).mean()
            param[index] = saved - h
            down = MLP(*params).loss(x, y).mean()
            param[index] = saved
            numeric[index] = (up - down) / (2 * h)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_each_row_of_the_gradient_depends_only_on_its_own_example(seed: int) -> None:
    model = random_model(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(5, 5))
    y = rng.integers(0, 4, size=5)
    batch = model.input_gradient(x, y)
    for i in range(5):
        np.testing.assert_allclose(batch[i], model.input_gradient(x[i : i + 1], y[i : i + 1])[0])


# --- training --------------------------------------------------------------------


def test_digits_model_reaches_95_percent_test_accuracy(
    digits_model: tuple[MLP, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    model, _, _, x_test, y_test = digits_model
    assert model.accuracy(x_test, y_test) >= 0.95


def test_training_is_deterministic_given_the_seed() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3))
    y = (x[:, 0] > 0).astype(int)
    first, again = train_mlp(x, y, epochs=3, seed=5), train_mlp(x, y, epochs=3, seed=5)
    other = train_mlp(x, y, epochs=3, seed=6)
    for name in ("w1", "b1", "w2", "b2"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert not np.array_equal(first.w1, other.w1)


def test_training_lowers_the_loss() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 4))
    y = (x[:, 0] + x[:, 1] > 0).astype(int) + 2 * (x[:, 2] > 0).astype(int)
    untrained = train_mlp(x, y, epochs=0, seed=0)
    trained = train_mlp(x, y, epochs=30, seed=0)
    assert trained.loss(x, y).mean() < 0.5 * untrained.loss(x, y).mean()
    assert trained.n_features == 4
    assert trained.n_classes == 4


def test_model_is_immutable() -> None:
    model = random_model(0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.w1 = np.zeros((5, 7))  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        model.w1[0, 0] = 1.0


# --- bad input -----------------------------------------------------------------


def test_inconsistent_weights_are_rejected() -> None:
    with pytest.raises(ValueError, match="shapes"):
        MLP(w1=np.zeros((3, 4)), b1=np.zeros(5), w2=np.zeros((4, 2)), b2=np.zeros(2))
    with pytest.raises(ValueError, match="w2 must be finite"):
        MLP(w1=np.zeros((3, 4)), b1=np.zeros(4), w2=np.full((4, 2), np.nan), b2=np.zeros(2))


def test_bad_inputs_and_labels_are_rejected() -> None:
    model = random_model(0)
    x = np.zeros((2, 5))
    with pytest.raises(ValueError, match=r"x must have shape \(n, 5\)"):
        model.logits(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="x must be finite"):
        model.loss(np.full((2, 5), np.inf), [0, 1])
    with pytest.raises(ValueError, match=r"y must lie in 0 \.\. 3"):
        model.loss(x, [0, 4])
    with pytest.raises(ValueError, match=r"y must have shape \(2,\)"):
        model.input_gradient(x, [0, 1, 2])
    with pytest.raises(TypeError, match="y must hold integer class labels"):
        model.accuracy(x, [0.0, 1.0])
    with pytest.raises(ValueError, match="at least one example"):
        model.accuracy(np.zeros((0, 5)), np.zeros(0, dtype=int))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"hidden": 0}, "hidden"),
        ({"epochs": -1}, "epochs"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"weight_decay": -1e-3}, "weight_decay"),
        ({"momentum": 1.0}, "momentum"),
        ({"batch_size": 0}, "batch_size"),
        ({"n_classes": 1}, r"y must lie in 0 \.\. 0"),
    ],
)
def test_bad_training_arguments_are_rejected(kwargs: dict[str, object], match: str) -> None:
    x = np.zeros((4, 2))
    with pytest.raises(ValueError, match=match):
        train_mlp(x, [0, 1, 0, 1], **kwargs)  # type: ignore[arg-type]


BAD_ARRAYS = {  # the value, the error, and what the message says after the name
    "ragged": ([[1.0, 2.0], [3.0]], ValueError, "must be a rectangular array"),
    "complex": (np.ones((2, 5), dtype=complex), TypeError, "must be an array of real numbers"),
    "bool": (np.ones((2, 5), dtype=bool), TypeError, "must be an array of real numbers"),
    "nan": (np.full((2, 5), np.nan), ValueError, "must be finite"),
    "inf": (np.full((2, 5), -np.inf), ValueError, "must be finite"),
    "empty": (np.zeros(0), ValueError, "must (hold at least one entry|have shape)"),
}
bad_array = pytest.mark.parametrize(
    ("bad", "error", "message"), BAD_ARRAYS.values(), ids=BAD_ARRAYS.keys()
)
MODEL = random_model(0)
WEIGHTS = {"w1": MODEL.w1, "b1": MODEL.b1, "w2": MODEL.w2, "b2": MODEL.b2}
ON_X = {
    "logits": lambda x: MODEL.logits(x),
    "predict": lambda x: MODEL.predict(x),
    "loss": lambda x: MODEL.loss(x, [0, 1]),
    "input_gradient": lambda x: MODEL.input_gradient(x, [0, 1]),
    "accuracy": lambda x: MODEL.accuracy(x, [0, 1]),
    "train_mlp": lambda x: train_mlp(x, [0, 1], epochs=1),
}
X = np.zeros((2, 5))
ON_Y = {
    "loss": lambda y: MODEL.loss(X, y),
    "input_gradient": lambda y: MODEL.input_gradient(X, y),
    "accuracy": lambda y: MODEL.accuracy(X, y),
    "train_mlp": lambda y: train_mlp(X, y, epochs=1),
    "train_mlp with n_classes": lambda y: train_mlp(X, y, epochs=1, n_classes=2),
}


@pytest.mark.parametrize("name", WEIGHTS)
@bad_array
def test_a_bad_weight_is_rejected_naming_it(
    name: str, bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{name} {message}"):
        MLP(**(WEIGHTS | {name: bad}))  # type: ignore[arg-type]


@pytest.mark.parametrize("call", ON_X.values(), ids=ON_X.keys())
@bad_array
def test_a_bad_x_is_rejected_naming_x(
    call, bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^x {message}"):
        call(bad)


@pytest.mark.parametrize("call", list(ON_X.values())[:5], ids=list(ON_X)[:5])
def test_one_1d_example_is_rejected_saying_how_to_pass_it(call) -> None:
    with pytest.raises(
        ValueError, match=r"^x must have shape \(n, 5\), got shape \(5,\); .*x\[None\]"
    ):
        call(np.zeros(5))


@pytest.mark.parametrize("call", ON_Y.values(), ids=ON_Y.keys())
@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ([[0], [1, 1]], ValueError, "must be a rectangular array"),
        ([True, False], TypeError, "must hold integer class labels"),
        ([0.0, 1.0], TypeError, "must hold integer class labels"),
        ([0, 1j], TypeError, "must hold integer class labels"),
        (np.zeros(0, dtype=int), ValueError, r"must have shape \(2,\)"),
    ],
    ids=["ragged", "bool", "float", "complex", "empty"],
)
def test_bad_labels_are_rejected_naming_y(
    call, bad: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^y {message}"):
        call(bad)


@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), ("0", TypeError), (None, TypeError)])
def test_a_bad_training_seed_is_rejected_naming_seed(seed: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=r"^seed must be an integer >= 0"):
        train_mlp(X, [0, 1], epochs=1, seed=seed)  # type: ignore[arg-type]
