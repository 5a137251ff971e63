"""Receptive fields: recurrence, closed form and forward-pass measurement agree."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seminar.receptive_field import (
    Layer,
    ReceptiveField,
    Residual,
    alexnet,
    central_mass_width,
    effective_receptive_field,
    empirical_receptive_field,
    forward,
    next_receptive_field,
    receptive_field,
    receptive_field_closed_form,
    receptive_fields,
    resnet50,
    resnet50_graph,
    resnet50_torchvision,
    resnet50_torchvision_graph,
    smallest_measurable_input,
    vgg16,
)

layers_strategy = st.builds(
    Layer,
    kernel_size=st.integers(1, 5),
    stride=st.integers(1, 3),
    padding=st.integers(0, 4),
    dilation=st.integers(1, 3),
    kind=st.sampled_from(["conv", "max_pool"]),
)
networks = st.lists(layers_strategy, min_size=1, max_size=6)


def by_name(layers: list[Layer]) -> dict[str, ReceptiveField]:
    return dict(zip([layer.name for layer in layers], receptive_fields(layers), strict=True))


def brute_force_receptive_field(layers: list[Layer], index: int) -> tuple[int, int]:
    """First and last input position connected to output neuron ``index``, by index tracing.

    Follows the definition of a layer directly: neuron i reads positions
    i*s - p + m*d, m = 0..k-1, of the layer below (padding positions included).
    """
    positions = {index}
    for layer in reversed(layers):
        positions = {
            i * layer.stride - layer.padding + m * layer.dilation
            for i in positions
            for m in range(layer.kernel_size)
        }
    return min(positions), max(positions)


# --- The recurrence and the closed form -----------------------------------------


def test_recurrence_on_the_sheets_cases():
    # A neuron sees k neighbours T apart, each of size S: S + (k - 1) T; strides multiply.
    assert next_receptive_field(1, 1, 3, 1) == (3, 1)
    assert next_receptive_field(3, 1, 2, 2) == (4, 2)
    assert next_receptive_field(4, 2, 3, 1) == (8, 2)
    assert next_receptive_field(8, 2, 3, 1, dilation=3) == (20, 2)


def test_stride_one_stacks_grow_linearly_and_stride_two_stacks_geometrically():
    for depth in range(1, 12):
        assert receptive_field([Layer(3)] * depth).size == 2 * depth + 1
        assert receptive_field([Layer(3, stride=2)] * depth).size == 2 ** (depth + 1) - 1


@settings(max_examples=200, deadline=None)
@given(networks)
def test_recurrence_equals_closed_form(layers):
    assert receptive_field(layers) == receptive_field_closed_form(layers)


@settings(max_examples=200, deadline=None)
@given(networks, st.integers(0, 5))
def test_box_of_a_neuron_equals_index_tracing(layers, index):
    rf = receptive_field(layers)
    assert brute_force_receptive_field(layers, index) == (rf.start(index), rf.end(index))


@given(networks)
def test_receptive_fields_gives_one_field_per_prefix(layers):
    fields = receptive_fields(layers)
    assert len(fields) == len(layers)
    for depth, field in enumerate(fields, start=1):
        assert field == receptive_field_closed_form(layers[:depth])


def test_padding_moves_the_box_but_keeps_its_size():
    plain = receptive_field([Layer(3), Layer(2, stride=2), Layer(3)])
    padded = receptive_field([Layer(3, padding=1), Layer(2, stride=2), Layer(3, padding=1)])
    assert (plain.size, plain.stride) == (padded.size, padded.stride)
    assert padded.start(0) == plain.start(0) - 3  # P = 1 * 1 + 1 * 2


def test_receptive_field_positions():
    rf = ReceptiveField(size=7, stride=4, padding=3)
    assert [rf.start(i) for i in range(3)] == [-3, 1, 5]
    assert [rf.end(i) for i in range(3)] == [3, 7, 11]
    assert rf.center(2) == (rf.start(2) + rf.end(2)) / 2


# --- Published values --------------------------------------------------------------
# Araujo, Norris and Sim, "Computing Receptive Fields of Convolutional Neural Networks",
# Distill 2019, report 195 px (stride 32) for AlexNet, 212 px (stride 32) for VGG-16 and
# 483 px (stride 32) for ResNet-50. The per-layer effective paddings below are from the
# table of the authors' library (github.com/google-research/receptive_field,
# RECEPTIVE_FIELD_TABLE.md), computed on the TF-Slim models alexnet_v2, vgg_16 and
# resnet_v1_50 (at 224 px for ResNet, whose TF padding depends on the input size).

PUBLISHED_ALEXNET = {  # name: (size, stride, effective padding)
    "conv1": (11, 4, 0),
    "pool1": (19, 8, 0),
    "conv2": (51, 8, 16),
    "conv3": (99, 16, 32),
    "conv4": (131, 16, 48),
    "conv5": (163, 16, 64),
    "pool5": (195, 32, 64),
}
PUBLISHED_VGG16 = {
    "conv1_1": (3, 1, 1),
    "pool1": (6, 2, 2),
    "conv2_1": (10, 2, 4),
    "pool2": (16, 4, 6),
    "conv3_1": (24, 4, 10),
    "conv3_2": (32, 4, 14),
    "pool3": (44, 8, 18),
    "conv4_1": (60, 8, 26),
    "conv4_2": (76, 8, 34),
    "pool4": (100, 16, 42),
    "conv5_1": (132, 16, 58),
    "conv5_2": (164, 16, 74),
    "pool5": (212, 32, 90),
}


@pytest.mark.parametrize(
    ("layers", "published"), [(alexnet(), PUBLISHED_ALEXNET), (vgg16(), PUBLISHED_VGG16)]
)
def test_single_path_networks_match_the_published_table(layers, published):
    fields = by_name(layers)
    for name, (size, stride, padding) in published.items():
        assert (fields[name].size, fields[name].stride, fields[name].padding) == (
            size,
            stride,
            padding,
        ), name


def test_resnet50_matches_the_published_values():
    rf = receptive_field(resnet50())
    assert (rf.size, rf.stride) == (483, 32)
    assert rf.padding == 239  # resnet_v1_50 at 224 px in the library's table
    # Ends of the four stages, TF-Slim's block1..block4 in the library's table: sizes 35, 99,
    # 291, 483 and effective paddings 15, 47, 143, 239 (TF-Slim counts a stage's closing
    # stride in it, so its strides are those of the next stage here).
    fields = by_name(resnet50())
    ends = [fields[name] for name in ("res2c_branch2c", "res3d_branch2c")]
    ends += [fields[name] for name in ("res4f_branch2c", "res5c_branch2c")]
    assert [rf.size for rf in ends] == [35, 99, 291, 483]
    assert [rf.padding for rf in ends] == [15, 47, 143, 239]


def test_torchvision_resnet50_loses_two_strides_per_downsampling_stage():
    # Moving the stride from the 1x1 to the 3x3 convolution of conv3_x..conv5_x makes each
    # of those 3x3 kernels act on a grid of half the spacing: 2 * T_before less per stage,
    # with T_before = 4, 8, 16.
    original, torchvision = receptive_field(resnet50()), receptive_field(resnet50_torchvision())
    assert torchvision.stride == original.stride == 32
    assert torchvision.size == original.size - 2 * (4 + 8 + 16)
    # Each 3x3 keeps "same" padding, so the box shrinks symmetrically (P by 4 + 8 + 16); the
    # max-pooling's padding of 1, at T = 2, moves every box 2 pixels to the left.
    assert torchvision.padding == original.padding - (4 + 8 + 16) + 2
    assert torchvision.center(0) == original.center(0) - 2


def test_layer_lists_have_their_sources_shape():
    assert len(alexnet()) == 8
    assert len(vgg16()) == 18
    assert sum(layer.kind == "conv" for layer in vgg16()) == 13
    assert len(resnet50()) == len(resnet50_torchvision()) == 2 + 3 * 16
    names = [layer.name for layer in resnet50()]
    assert len(set(names)) == len(names)
    assert [layer.stride for layer in resnet50() if layer.stride > 1] == [2] * 5
    assert next(layer for layer in resnet50() if layer.name == "res3a_branch2a").stride == 2
    assert (
        next(layer for layer in resnet50_torchvision() if layer.name == "layer2.0.conv2").stride
        == 2
    )


# --- The forward pass ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), layers_strategy, st.integers(0, 2**32 - 1))
def test_a_layer_computes_a_real_convolution_or_max_pooling(length, layer, seed):
    x = np.random.default_rng(seed).random((2, length))
    span = layer.effective_kernel_size
    if length + 2 * layer.padding < span:
        with pytest.raises(ValueError, match="signals too short"):
            forward([layer], x)
        return
    padded = np.pad(x, ((0, 0), (layer.padding, layer.padding)))
    if layer.kind == "conv":
        dilated = np.zeros(span)
        dilated[:: layer.dilation] = 1.0  # the all-ones kernel, with holes
        # numpy's own cross-correlation, then every stride-th output.
        expected = np.stack([np.correlate(row, dilated, mode="valid") for row in padded])
        expected = expected[:, :: layer.stride]
    else:
        starts = range(0, padded.shape[1] - span + 1, layer.stride)
        expected = np.stack(
            [padded[:, i : i + span : layer.dilation].max(axis=1) for i in starts], axis=1
        )
    np.testing.assert_allclose(forward([layer], x), expected, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(networks, st.integers(0, 20))
def test_forward_pass_measures_what_the_recurrence_predicts(layers, extra):
    theory = receptive_field(layers)
    with np.errstate(all="raise"):
        measured = empirical_receptive_field(layers, smallest_measurable_input(theory) + extra)
    assert measured == theory


@settings(max_examples=60, deadline=None)
@given(networks)
def test_one_pixel_less_than_needed_is_rejected(layers):
    too_short = smallest_measurable_input(receptive_field(layers)) - 1
    if too_short < 1:
        return
    with pytest.raises(ValueError, match=f"input_size={too_short} is too small"):
        empirical_receptive_field(layers, too_short)


def test_every_output_neuron_away_from_the_padding_sees_its_predicted_box():
    layers = [Layer(3, padding=1), Layer(3, stride=2, padding=1), Layer(2, 2, kind="max_pool")]
    layers += [Layer(3, padding=2, dilation=2)]
    rf, n = receptive_field(layers), 64
    responses = forward(layers, np.eye(n)) > 0
    for i in range(responses.shape[1]):
        if rf.start(i) >= 0 and rf.end(i) < n:
            seen = np.flatnonzero(responses[:, i])
            assert (seen.min(), seen.max()) == (rf.start(i), rf.end(i))


def test_dilation_can_leave_holes_inside_the_box():
    # k = 2, d = 3: a neuron reads pixels i and i + 3 only, yet its box has 4 pixels.
    layers = [Layer(2, dilation=3)]
    responses = forward(layers, np.eye(10)) > 0
    assert np.flatnonzero(responses[:, 2]).tolist() == [2, 5]
    assert empirical_receptive_field(layers, 10) == ReceptiveField(4, 1, 0)


@pytest.mark.parametrize(
    ("graph", "chain"),
    [(resnet50_graph, resnet50), (resnet50_torchvision_graph, resnet50_torchvision)],
)
def test_resnet_with_shortcuts_has_the_receptive_field_of_its_main_path(graph, chain):
    theory = receptive_field(chain())
    with np.errstate(all="raise"):
        assert empirical_receptive_field(graph(), smallest_measurable_input(theory)) == theory


@pytest.mark.parametrize("network", [alexnet, vgg16])
def test_real_single_path_networks_measured(network):
    theory = receptive_field(network())
    with np.errstate(all="raise"):
        assert empirical_receptive_field(network(), smallest_measurable_input(theory)) == theory


def test_mismatched_residual_paths_are_rejected():
    block = Residual((Layer(3),), (), name="bad")
    with pytest.raises(ValueError, match="residual block 'bad'"):
        forward([block], np.ones((1, 8)))


# --- Effective receptive field -------------------------------------------------------


@pytest.mark.parametrize("relu", [True, False])
def test_effective_receptive_field_vanishes_outside_the_theoretical_box(relu):
    layers = [Layer(3, padding=1), Layer(3, padding=2, dilation=2), Layer(3, padding=1)]
    rf, n = receptive_field(layers), 21
    centre = (n - 1) // 2
    erf = effective_receptive_field(layers, n, n_seeds=4, relu=relu)
    inside = np.zeros((n, n), dtype=bool)
    box = slice(rf.start(centre), rf.end(centre) + 1)
    inside[box, box] = True
    assert np.all(erf[~inside] == 0.0)
    assert np.all(erf[inside] > 0.0)  # generic random weights reach every pixel of this box


@pytest.mark.parametrize("relu", [True, False])
def test_effective_receptive_field_is_the_gradient(relu):
    from seminar.receptive_field import _random_conv_stack, _stack_output_and_input_gradient

    layers = (Layer(3, padding=1), Layer(3, stride=2, padding=1), Layer(3, dilation=2))
    inputs, weights = _random_conv_stack(layers, 11, 3, 2, seed=5)
    _, gradient = _stack_output_and_input_gradient(layers, inputs, weights, relu)
    h = 1e-6
    rng = np.random.default_rng(0)
    for row, col in rng.integers(0, 11, size=(12, 2)):
        step = np.zeros_like(inputs)
        step[:, 0, row, col] = h
        up, _ = _stack_output_and_input_gradient(layers, inputs + step, weights, relu)
        down, _ = _stack_output_and_input_gradient(layers, inputs - step, weights, relu)
        np.testing.assert_allclose((up - down) / (2 * h), gradient[:, row, col], atol=1e-6)


def test_central_mass_width():
    image = np.zeros((7, 7))
    image[3, 3] = 1.0
    assert central_mass_width(image, 1.0) == 1
    image[0, 6] = 1.0
    assert central_mass_width(image, 0.5) == 1
    assert central_mass_width(image, 0.6) == 7
    assert central_mass_width(np.ones((5, 5)), 9 / 25) == 3


# --- Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"kernel_size": 0}, "kernel_size"),
        ({"kernel_size": 2.5}, "kernel_size"),
        ({"kernel_size": 3, "stride": 0}, "stride"),
        ({"kernel_size": 3, "stride": 1.0}, "stride"),
        ({"kernel_size": 3, "dilation": 0}, "dilation"),
        ({"kernel_size": 3, "padding": -1}, "padding"),
        ({"kernel_size": 3, "kind": "avg_pool"}, "kind"),
    ],
)
def test_bad_layers_are_rejected(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Layer(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"kernel_size": "3"}, "kernel_size"), ({"kernel_size": True}, "kernel_size")],
)
def test_layers_of_the_wrong_type_are_rejected(kwargs, name):
    with pytest.raises(TypeError, match=name):
        Layer(**kwargs)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((0, 1, 3, 1), "size"),
        ((1, 0, 3, 1), "stride"),
        ((1, 1, 0, 1), "kernel_size"),
        ((1, 1, 3, 0), "layer_stride"),
        ((1, 1, 3, 1, 0), "dilation"),
        ((1, 1, 1.5, 1), "kernel_size"),
    ],
)
def test_bad_recurrence_arguments_are_rejected(args, name):
    with pytest.raises(ValueError, match=name):
        next_receptive_field(*args)


@pytest.mark.parametrize(
    "function", [receptive_fields, receptive_field, receptive_field_closed_form]
)
def test_an_empty_network_is_rejected(function):
    with pytest.raises(ValueError, match="layers must hold at least one Layer"):
        function([])
    with pytest.raises(TypeError, match=r"layers\[1\] must be a Layer"):
        function([Layer(3), (3, 1)])


def test_bad_measurements_are_rejected():
    with pytest.raises(ValueError, match="network must hold at least one Layer"):
        empirical_receptive_field([], 10)
    with pytest.raises(ValueError, match="input_size"):
        empirical_receptive_field([Layer(3)], 0)
    with pytest.raises(ValueError, match="input_size=5 is too small"):
        empirical_receptive_field([Layer(11)], 5)
    with pytest.raises(ValueError, match="index"):
        ReceptiveField(3, 1, 0).start(-1)
    with pytest.raises(ValueError, match="signals must be a 2-D array"):
        forward([Layer(3)], np.ones(5))
    with pytest.raises(TypeError, match=r"network\[0\] must be a Layer or Residual"):
        forward([(3, 1)], np.ones((1, 5)))
    with pytest.raises(ValueError, match="signals must be finite"):
        forward([Layer(3)], np.array([[0.0, np.nan, 0.0]]))


def test_bad_effective_receptive_field_arguments_are_rejected():
    with pytest.raises(ValueError, match="convolution"):
        effective_receptive_field([Layer(2, 2, kind="max_pool")], 8)
    with pytest.raises(ValueError, match="input_size=2 is too small"):
        effective_receptive_field([Layer(5)], 2)
    # Two 3-wide kernels without padding need 5 pixels: the second layer fails on 4.
    assert effective_receptive_field([Layer(3), Layer(3)], 5).shape == (5, 5)
    with pytest.raises(ValueError, match="input_size=4 is too small"):
        effective_receptive_field([Layer(3), Layer(3)], 4)
    with pytest.raises(ValueError, match="channels"):
        effective_receptive_field([Layer(3)], 8, channels=0)
    with pytest.raises(ValueError, match="image"):
        central_mass_width(np.ones((4, 4)))
    with pytest.raises(ValueError, match="image"):
        central_mass_width(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="fraction"):
        central_mass_width(np.ones((3, 3)), 0.0)


BAD_ARRAYS = {  # the value, the error, and what the message says after the name
    "ragged": ([[1.0, 1.0, 1.0], [1.0]], ValueError, "must be a rectangular array"),
    "complex": (np.ones((3, 3), dtype=complex), TypeError, "must be an array of real numbers"),
    "bool": (np.ones((3, 3), dtype=bool), TypeError, "must be an array of real numbers"),
    "nan": (np.full((3, 3), np.nan), ValueError, "must be finite"),
    "inf": (np.full((3, 3), np.inf), ValueError, "must be finite"),
    "empty": (np.zeros((0, 0)), ValueError, "(must be|too short)"),  # "signals too short: ..."
    "wrong shape": (np.ones(3), ValueError, "must be a"),
}
ARRAY_ARGUMENTS = {
    "forward-signals": ("signals", lambda v: forward([Layer(1)], v)),
    "central_mass_width-image": ("image", central_mass_width),
}


@pytest.mark.parametrize(("name", "call"), ARRAY_ARGUMENTS.values(), ids=ARRAY_ARGUMENTS.keys())
@pytest.mark.parametrize(("bad", "error", "message"), BAD_ARRAYS.values(), ids=BAD_ARRAYS.keys())
def test_a_bad_array_is_rejected_naming_the_argument(name, call, bad, error, message):
    with pytest.raises(error, match=f"^{name} {message}"):
        call(bad)


def test_one_1d_signal_is_rejected_saying_how_to_pass_it():
    with pytest.raises(ValueError, match=r"^signals must be a 2-D array .*signals\[None\]"):
        forward([Layer(3)], np.ones(5))
