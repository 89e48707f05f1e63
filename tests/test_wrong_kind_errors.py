"""Bad input gives a ``ValueError`` or ``TypeError`` that starts with the public function's name: nothing else.

Two parts:

* **Memory.** Sizes that come from arguments and would need far more memory than a machine has are refused
  at once (well within a second, under 100 MB of allocations), with a message that names the argument and
  the size: conv2d's output, conv_transpose2d's columns and canvas, pooling's padded input, the kernels, and
  the layers' parameters.
* **The sweep.** Every public function of convlib (``convlib.__all__``, ``convlib.nn.__all__``, the kernels,
  :mod:`convlib.padding`, :mod:`convlib.sizes`, :mod:`convlib.matrices`) is called with a valid baseline in
  which one argument at a time is replaced by a bad value of many kinds (``None``, strings, bools, dicts,
  objects, floats, negative and huge ints, wrong-length shapes, ragged lists, empty arrays, torch tensors,
  ...). A call may succeed (some values are valid) or raise ``ValueError``/``TypeError`` whose message
  starts with ``"{function}: "``; any other exception, or another prefix, is a leak. Values that must be
  accepted (0-d integer arrays and numpy integers for ints, a plain CPU torch tensor for an array) must work.
  :data:`convlib.validation.MAX_ARRAY_BYTES` is lowered to 64 MiB during the sweep, so a huge size is
  refused quickly instead of allocated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
import torch
from allocation_checks import refused

import convlib
from convlib import kernels, padding, sizes, validation
from convlib import nn as cnn

# ----------------------------------------------------------------------------------------------------------------
# Memory


def test_conv2d_output_is_refused():
    x = np.ones((1, 1, 2000, 2000))
    weight = np.ones((10**5, 1, 1, 1))  # 100 000 output channels x 4e6 pixels = 3 TB of float64
    refused(lambda: convlib.conv2d(x, weight), "conv2d:", "weight", "100000")


def test_conv2d_padding_of_a_batch_is_refused():
    refused(lambda: convlib.conv2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 1, 1)), padding=10**6), "conv2d:", "padding")
    refused(
        lambda: convlib.conv2d_backward(
            np.ones((1, 1, 1, 1)), np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), padding=10**6
        ),
        "conv2d_backward:",
        "padding",
    )


def test_conv_transpose2d_columns_are_refused():
    x = np.ones((1, 1, 1000, 1000))
    weight = np.ones((1, 10**4, 3, 3))  # cols: (90 000 x 1e6) float64 = 670 GiB
    refused(lambda: convlib.conv_transpose2d(x, weight), "conv_transpose2d:", "weight")


def test_conv_transpose2d_canvas_is_refused():
    x = np.ones((1, 1, 3, 3))
    weight = np.ones((1, 1, 1, 1))
    refused(lambda: convlib.conv_transpose2d(x, weight, stride=10**6), "conv_transpose2d:", "stride")
    refused(lambda: convlib.conv_transpose2d(x, np.ones((1, 1, 2, 2)), dilation=10**6), "conv_transpose2d:", "dilation")


@pytest.mark.parametrize(
    "call",
    [
        lambda x: convlib.max_pool2d(x, 10**5, padding=5 * 10**4),
        lambda x: convlib.avg_pool2d(x, 10**5, padding=5 * 10**4),
        lambda x: convlib.max_pool2d(x, 10**5, padding=5 * 10**4, return_indices=True),
        lambda x: convlib.max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 10**5, padding=5 * 10**4),
        lambda x: convlib.avg_pool2d_backward(np.ones((1, 1, 1, 1)), x, 10**5, padding=5 * 10**4),
    ],
)
def test_pooling_padding_is_refused(call):
    message = refused(lambda: call(np.ones((1, 1, 4, 4))), "padding")
    assert message.split(":")[0] in ("max_pool2d", "avg_pool2d", "max_pool2d_backward", "avg_pool2d_backward")


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: kernels.box(10**6), "box"),
        (lambda: kernels.box((10**6, 10**7)), "box"),
        (lambda: kernels.identity(10**6 + 1), "identity"),
        (lambda: kernels.gaussian(10**6, 1.0), "gaussian"),
        (lambda: kernels.gaussian_1d(10**12, 1.0), "gaussian_1d"),
    ],
)
def test_huge_kernels_are_refused(call, name):
    assert refused(call, "size").startswith(f"{name}:")


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: cnn.Conv2d(10**5, 10**5, 3, rng=np.random.default_rng(0)), "Conv2d"),
        (lambda: cnn.Conv2d(1, 1, 10**6, rng=np.random.default_rng(0)), "Conv2d"),
        (lambda: cnn.Linear(10**6, 10**6, rng=np.random.default_rng(0)), "Linear"),
    ],
)
def test_huge_layers_are_refused(call, name):
    assert refused(call).startswith(f"{name}:")


def test_moderate_sizes_still_work():
    x = np.ones((2, 3, 8, 8))
    assert convlib.conv2d(x, np.ones((4, 3, 3, 3))).shape == (2, 4, 6, 6)
    assert convlib.conv_transpose2d(x, np.ones((3, 2, 3, 3)), stride=2).shape == (2, 2, 17, 17)
    assert convlib.max_pool2d(x, 3, padding=1).shape == (2, 3, 3, 3)
    assert convlib.avg_pool2d(x, 5, padding=2, ceil_mode=True).shape == (2, 3, 2, 2)
    assert kernels.box(5).shape == (5, 5)
    assert cnn.Linear(100, 10, rng=np.random.default_rng(0)).weight.shape == (10, 100)


# ----------------------------------------------------------------------------------------------------------------
# The sweep


class _Thing:
    """An object that is nothing in particular."""


def _ragged() -> list:
    return [[1, 2], [3]]


_GRAD_TENSOR = torch.ones((2, 2), requires_grad=True)

#: Bad values for any argument, by label.
COMMON: dict[str, object] = {
    "None": None,
    "str": "abc",
    "empty str": "",
    "dict": {"a": 1},
    "object": _Thing(),
    "set": {1, 2},
    "callable": print,
    "bytes": b"12",
    "complex": 1 + 2j,
}

NUMBERS: dict[str, object] = {
    "True": True,
    "np.True_": np.True_,
    "float": 2.5,
    "float 2.0": 2.0,
    "nan": float("nan"),
    "inf": float("inf"),
    "negative": -3,
    "zero": 0,
    "huge int": 10**30,
    "large int": 10**12,
    "int64 max": np.iinfo(np.int64).max,
    "np.float64": np.float64(2.0),
    "np.uint64 huge": np.uint64(2**63 + 5),
    "0-d float array": np.array(2.5),
    "0-d bool array": np.array(True),
    "1-d array": np.array([1, 2]),
    "list of ints": [1, 2],
    "tuple of 3": (1, 2, 3),
    "empty tuple": (),
    "tuple with None": (None, 1),
    "tuple with str": ("a", 1),
    "tuple with float": (1.5, 1),
    "tuple with huge": (10**30, 1),
    "nested tuple": ((1, 2), (3, 4)),
    "2-d array": np.ones((2, 2), dtype=int),
    "0-d tensor": torch.tensor(2),
}

ARRAYS: dict[str, object] = {
    "ragged": _ragged(),
    "ragged deep": [[[1, 2], [3, 4]], [[1, 2], [3]]],
    "empty": np.array([]),
    "empty 2-d": np.zeros((0, 3)),
    "empty 4-d": np.zeros((1, 0, 3, 3)),
    "0-d": np.array(1.0),
    "5-d": np.ones((1, 1, 1, 2, 2)),
    "strings": np.array(["a", "b"]),
    "objects": np.array([_Thing(), 1], dtype=object),
    "datetimes": np.array(["2020-01-01"], dtype="datetime64[D]"),
    "complex array": np.ones((2, 2), dtype=complex),
    "nan array": np.full((2, 2), np.nan),
    "huge ints list": [10**30, 1],
    "tensor requires_grad": _GRAD_TENSOR,
    "list of None": [None, None],
    "bool": True,
    "int": 3,
}

BAD_VALUES: dict[str, object] = COMMON | NUMBERS | ARRAYS


@dataclass
class Case:
    """A public callable, a valid call, and the values that must be accepted for some arguments."""

    name: str
    call: Callable[..., object]
    args: dict[str, object]
    must_work: dict[str, list[object]] = field(default_factory=dict)
    prefixes: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()  # arguments not swept (e.g. a callable whose bad output is tested elsewhere)

    def __call__(self, **kwargs: object) -> object:
        return self.call(**(self.args | kwargs))


def _x4(shape=(1, 2, 5, 5)) -> np.ndarray:
    return np.arange(float(np.prod(shape))).reshape(shape) / 7.0


INT_OK = [np.int64(2), np.array(2), np.int32(2), np.uint8(2)]
PAIR_OK = [np.int64(1), np.array(1), (np.int64(1), np.array(1)), [1, 1], np.array([1, 1])]


def _tensor(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(array))


def _cases() -> list[Case]:
    x = _x4()
    rng = np.random.default_rng(0)
    weight = np.ones((3, 2, 2, 2))
    tweight = np.ones((2, 3, 2, 2))
    img = np.arange(36.0).reshape(6, 6)
    memory = np.arange(12.0).reshape(4, 3) / 10
    weights4 = np.array([0.1, 0.2, 0.3, 0.4])
    cases = [
        Case(
            "pad",
            convlib.pad,
            {"array": img, "pad_width": 1, "mode": "constant", "fill_value": 0.0},
            {"pad_width": [np.int64(1), np.array(1)], "array": [_tensor(img)]},
        ),
        Case("translate_mode", convlib.translate_mode, {"name": "reflect", "source": "numpy", "target": "torch"}),
        Case(
            "output_size",
            convlib.output_size,
            {"n": 10, "kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1, "mode": None},
            {
                "n": [np.int64(10), np.array(10), np.uint8(10)],
                "kernel_size": INT_OK,
                "stride": INT_OK,
                "padding": INT_OK,
                "dilation": INT_OK,
            },
        ),
        Case("mode_padding", sizes.mode_padding, {"kernel_size": 3, "mode": "same"}, {"kernel_size": INT_OK}),
        Case(
            "as_pair",
            lambda **kw: sizes.as_pair(function="as_pair", **kw),
            {"value": 2, "name": "stride"},
            {"value": PAIR_OK},
            skip=("name",),
        ),
        Case(
            "check_boundary", lambda **kw: padding.check_boundary(function="check_boundary", **kw), {"boundary": "edge"}
        ),
        Case(
            "convolve1d",
            convlib.convolve1d,
            {
                "signal": np.arange(8.0),
                "kernel": np.ones(3),
                "mode": "full",
                "method": "auto",
                "boundary": "constant",
                "fill_value": 0.0,
            },
            {"signal": [_tensor(np.arange(8.0))]},
        ),
        Case(
            "correlate1d",
            convlib.correlate1d,
            {
                "signal": np.arange(8.0),
                "kernel": np.ones(3),
                "mode": "same",
                "method": "direct",
                "boundary": "wrap",
                "fill_value": 0.0,
            },
        ),
        Case(
            "convolve2d",
            convlib.convolve2d,
            {
                "image": img,
                "kernel": np.ones((2, 2)),
                "mode": "full",
                "boundary": "constant",
                "fill_value": 0.0,
                "method": "auto",
            },
            {"image": [_tensor(img)], "kernel": [torch.ones(2, 2)]},
        ),
        Case(
            "correlate2d",
            convlib.correlate2d,
            {
                "image": img,
                "kernel": np.ones((3, 3)),
                "mode": "same",
                "boundary": "reflect",
                "fill_value": 0.0,
                "method": "fft",
            },
        ),
        Case(
            "choose_method",
            convlib.choose_method,
            {"image": img, "kernel": np.ones((3, 3)), "mode": "full", "boundary": "constant", "fill_value": 0.0},
        ),
        Case(
            "circular_convolve",
            convlib.circular_convolve,
            {"signal": np.arange(6.0), "kernel": np.array([0.0, 1.0, 0.0]), "method": "auto"},
        ),
        Case(
            "ntm_content_weights",
            convlib.ntm_content_weights,
            {"memory": memory, "key": np.array([0.1, 0.2, 0.3]), "key_strength": 2.0},
        ),
        Case(
            "ntm_interpolate",
            convlib.ntm_interpolate,
            {"content_weights": weights4, "previous_weights": weights4[::-1].copy(), "gate": 0.5},
        ),
        Case("ntm_sharpen", convlib.ntm_sharpen, {"weights": weights4, "gamma": 2.0}),
        Case(
            "ntm_shift",
            convlib.ntm_shift,
            {"weights": weights4, "shift_weights": np.array([0.2, 0.5, 0.3]), "shifts": (-1, 0, 1)},
            {"shifts": [np.array([-1, 0, 1]), [np.int64(-1), 0, 1]]},
        ),
        Case(
            "ntm_address",
            convlib.ntm_address,
            {
                "memory": memory,
                "key": np.array([0.1, 0.2, 0.3]),
                "key_strength": 2.0,
                "gate": 0.5,
                "shift_weights": np.array([0.2, 0.5, 0.3]),
                "gamma": 2.0,
                "previous_weights": weights4,
                "shifts": (-1, 0, 1),
                "return_stages": False,
            },
        ),
        Case(
            "convolution_matrix",
            convlib.convolution_matrix,
            {"kernel": np.ones(3), "input_shape": 5, "mode": "full", "sparse": False},
            {"input_shape": [np.int64(5), np.array(5), (np.int64(5),)]},
        ),
        Case(
            "convolution_matrix",
            convlib.convolution_matrix,
            {"kernel": np.ones((2, 2)), "input_shape": (3, 3), "mode": "same", "sparse": True},
            {"input_shape": [(np.int64(3), np.array(3))]},
        ),
        Case(
            "linear_map_matrix",
            convlib.linear_map_matrix,
            {"function": lambda v: 2 * v, "input_shape": (3,)},
            {"input_shape": [np.int64(3), (np.array(3),)]},
        ),
        Case(
            "im2col",
            convlib.im2col,
            {"x": x, "kernel_size": 2, "stride": 1, "padding": 0, "dilation": 1},
            {"kernel_size": PAIR_OK, "stride": PAIR_OK, "x": [_tensor(x)]},
        ),
        Case(
            "im2col_naive",
            convlib.im2col_naive,
            {"x": x, "kernel_size": 2, "stride": 1, "padding": 0, "dilation": 1},
            {"padding": PAIR_OK},
        ),
        Case(
            "sliding_windows",
            convlib.sliding_windows,
            {"x": x, "kernel_size": 2, "stride": 1, "padding": 0, "dilation": 1},
            {"dilation": PAIR_OK},
        ),
        Case(
            "col2im",
            convlib.col2im,
            {
                "cols": convlib.im2col(x, 2),
                "input_shape": x.shape,
                "kernel_size": 2,
                "stride": 1,
                "padding": 0,
                "dilation": 1,
            },
            {"input_shape": [np.array(x.shape), tuple(np.int64(n) for n in x.shape)]},
        ),
        Case(
            "conv2d",
            convlib.conv2d,
            {
                "x": x,
                "weight": weight,
                "bias": None,
                "stride": 1,
                "padding": 0,
                "dilation": 1,
                "groups": 1,
                "padding_mode": "zeros",
            },
            {
                "stride": PAIR_OK,
                "padding": PAIR_OK,
                "groups": [np.int64(1), np.array(1)],
                "x": [_tensor(x)],
                "weight": [_tensor(weight)],
                "bias": [np.ones(3), torch.ones(3)],
            },
        ),
        Case(
            "conv2d_backward",
            convlib.conv2d_backward,
            {
                "grad_out": np.ones((1, 3, 4, 4)),
                "x": x,
                "weight": weight,
                "stride": 1,
                "padding": 0,
                "dilation": 1,
                "groups": 1,
                "padding_mode": "zeros",
            },
            {"dilation": PAIR_OK, "grad_out": [torch.ones((1, 3, 4, 4))]},
        ),
        Case(
            "conv_transpose2d",
            convlib.conv_transpose2d,
            {
                "x": x,
                "weight": tweight,
                "bias": None,
                "stride": 1,
                "padding": 0,
                "output_padding": 0,
                "groups": 1,
                "dilation": 1,
                "output_size": None,
            },
            {
                "stride": PAIR_OK,
                "output_padding": [np.int64(0), np.array(0)],
                "output_size": [(6, 6), (np.int64(6), np.array(6)), np.array([1, 3, 6, 6])],
            },
        ),
        Case(
            "conv_transpose2d_backward",
            convlib.conv_transpose2d_backward,
            {
                "grad_out": np.ones((1, 3, 6, 6)),
                "x": x,
                "weight": tweight,
                "stride": 1,
                "padding": 0,
                "output_padding": 0,
                "groups": 1,
                "dilation": 1,
                "output_size": None,
            },
            {"groups": [np.int64(1), np.array(1)]},
        ),
        Case(
            "max_pool2d",
            convlib.max_pool2d,
            {
                "x": x,
                "kernel_size": 2,
                "stride": None,
                "padding": 0,
                "dilation": 1,
                "ceil_mode": False,
                "return_indices": False,
            },
            {"kernel_size": PAIR_OK, "stride": PAIR_OK, "padding": [np.int64(1), np.array(1)], "x": [_tensor(x)]},
        ),
        Case(
            "avg_pool2d",
            convlib.avg_pool2d,
            {
                "x": x,
                "kernel_size": 2,
                "stride": None,
                "padding": 0,
                "ceil_mode": False,
                "count_include_pad": True,
                "divisor_override": None,
            },
            {"kernel_size": PAIR_OK, "divisor_override": [np.int64(3), np.array(3)]},
        ),
        Case(
            "max_pool2d_backward",
            convlib.max_pool2d_backward,
            {
                "grad_out": np.ones((1, 2, 2, 2)),
                "x": x,
                "kernel_size": 2,
                "stride": None,
                "padding": 0,
                "dilation": 1,
                "ceil_mode": False,
            },
        ),
        Case(
            "avg_pool2d_backward",
            convlib.avg_pool2d_backward,
            {
                "grad_out": np.ones((1, 2, 2, 2)),
                "x": x,
                "kernel_size": 2,
                "stride": None,
                "padding": 0,
                "ceil_mode": False,
                "count_include_pad": True,
                "divisor_override": None,
            },
        ),
        Case(
            "numerical_gradient",
            convlib.numerical_gradient,
            {"f": lambda v: float(np.sum(v**2)), "x": np.array([1.0, 2.0]), "eps": 1e-6},
        ),
        Case(
            "gradient_check",
            convlib.gradient_check,
            {"f": lambda v: float(np.sum(v**2)), "grad_f": lambda v: 2 * v, "x": np.array([1.0, 2.0]), "eps": 1e-6},
        ),
        Case("relative_error", convlib.relative_error, {"analytic": np.ones(3), "numeric": np.ones(3) * 1.1}),
        Case("to_uint8", convlib.to_uint8, {"array": img, "scaling": "rescale"}, {"array": [_tensor(img)]}),
        Case("load_image", convlib.load_image, {"name": "coins", "gray": True}),
        Case("softmax", cnn.softmax, {"logits": np.ones((2, 3))}, {"logits": [torch.ones(2, 3)]}),
        Case(
            "softmax_cross_entropy",
            cnn.softmax_cross_entropy,
            {"logits": np.ones((2, 3)), "labels": np.array([0, 2])},
            {"labels": [[0, 2], torch.tensor([0, 2])]},
        ),
        Case("Parameter", cnn.Parameter, {"data": np.ones(3)}, {"data": [torch.ones(3)]}),
        Case(
            "Conv2d",
            cnn.Conv2d,
            {
                "in_channels": 2,
                "out_channels": 3,
                "kernel_size": 3,
                "rng": rng,
                "stride": 1,
                "padding": 0,
                "bias": True,
            },
            {"in_channels": INT_OK, "kernel_size": PAIR_OK},
        ),
        Case(
            "Linear",
            cnn.Linear,
            {"in_features": 4, "out_features": 3, "rng": rng, "bias": True},
            {"in_features": INT_OK},
        ),
        Case(
            "MaxPool2d",
            cnn.MaxPool2d,
            {"kernel_size": 2, "stride": None, "padding": 0, "dilation": 1, "ceil_mode": False},
            {"kernel_size": PAIR_OK},
        ),
        Case("SGD", cnn.SGD, {"parameters": [cnn.Parameter(np.ones(3))], "lr": 0.1, "momentum": 0.9}),
        Case(
            "Adam", cnn.Adam, {"parameters": [cnn.Parameter(np.ones(3))], "lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8}
        ),
        Case("Sequential", lambda layer: cnn.Sequential(layer), {"layer": cnn.ReLU()}),
        Case(
            "model_gradient_errors",
            cnn.model_gradient_errors,
            {
                "model": cnn.Sequential(cnn.Flatten(), cnn.Linear(4, 3, rng=np.random.default_rng(1))),
                "x": np.ones((2, 1, 2, 2)),
                "labels": np.array([0, 1]),
                "eps": 1e-6,
                "max_entries": 4,
                "rng": np.random.default_rng(2),
            },
        ),
        Case("box", kernels.box, {"size": 3}, {"size": [*INT_OK, (np.int64(2), np.array(3))]}),
        Case("identity", kernels.identity, {"size": 3}, {"size": [np.int64(3), np.array(3)]}),
        Case("gaussian", kernels.gaussian, {"size": 5, "sigma": 1.0}, {"size": INT_OK, "sigma": [np.array(1.0)]}),
        Case("gaussian_1d", kernels.gaussian_1d, {"size": 5, "sigma": 1.0}, {"size": INT_OK}),
    ]
    # The layers' forward passes, with bad input x (their messages name the layer or the function it calls).
    layers = {
        "Conv2d.forward": (cnn.Conv2d(2, 3, 3, rng=rng).forward, ("Conv2d", "conv2d")),
        "MaxPool2d.forward": (cnn.MaxPool2d(2).forward, ("MaxPool2d", "max_pool2d")),
        "ReLU.forward": (cnn.ReLU().forward, ("ReLU",)),
        "Flatten.forward": (cnn.Flatten().forward, ("Flatten",)),
        "Linear.forward": (cnn.Linear(50, 3, rng=rng).forward, ("Linear",)),
    }
    for name, (method, prefixes) in layers.items():
        good = x.reshape(1, 50) if name == "Linear.forward" else x
        cases.append(Case(name, method, {"x": good}, {"x": [_tensor(good)]}, prefixes=prefixes))
    return cases


CASES = _cases()


def _check_error(case: Case, argument: str, label: str, error: BaseException) -> str | None:
    """A description of what is wrong with ``error``, or None."""
    message = str(error)
    if not isinstance(error, (ValueError, TypeError)):
        return f"{type(error).__name__}: {message[:200]}"
    prefixes = case.prefixes or (case.name,)
    if not any(message.startswith(f"{prefix}: ") for prefix in prefixes):
        return f"{type(error).__name__} without the prefix {prefixes[0]!r}: {message[:200]}"
    return None


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(validation, "MAX_ARRAY_BYTES", 64 * 2**20)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.name}-{i}" for i, c in enumerate(CASES)])
def test_bad_arguments_give_value_or_type_errors(case: Case, small_limit):
    assert case() is not None or case.name in ("Sequential",)  # the baseline works
    leaks = []
    for argument in case.args:
        if argument in case.skip:
            continue
        for label, value in BAD_VALUES.items():
            try:
                case(**{argument: value})
            except BaseException as error:  # anything but ValueError/TypeError is the point
                if isinstance(error, KeyboardInterrupt):
                    raise
                problem = _check_error(case, argument, label, error)
                if problem:
                    leaks.append(f"{case.name}({argument}={label}): {problem}")
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("case", [c for c in CASES if c.must_work], ids=lambda c: c.name)
def test_accepted_kinds_work(case: Case):
    for argument, values in case.must_work.items():
        for value in values:
            case(**{argument: value})  # must not raise


def test_tensor_that_requires_grad_says_detach():
    tensor = torch.ones((1, 1, 3, 3), requires_grad=True)
    with pytest.raises(TypeError, match=r"^conv2d: x .*\.detach\(\)"):
        convlib.conv2d(tensor, np.ones((1, 1, 2, 2)))
    with pytest.raises(TypeError, match=r"^pad: array .*detach"):
        convlib.pad(torch.ones(3, requires_grad=True), 1)
    assert np.array_equal(convlib.pad(torch.ones(3), 1), [0, 1, 1, 1, 0])
    assert np.array_equal(convlib.pad(tensor.detach(), 1)[0, 0, 0], np.zeros(5))


def test_zero_d_integer_arrays_and_numpy_ints_are_ints():
    x = np.ones((1, 1, 4, 4))
    expected = convlib.conv2d(x, np.ones((1, 1, 2, 2)), stride=2)
    for stride in (np.array(2), np.int64(2), (np.array(2), np.int32(2)), np.array([2, 2])):
        assert np.array_equal(convlib.conv2d(x, np.ones((1, 1, 2, 2)), stride=stride), expected)
    assert convlib.output_size(np.array(10), np.int64(3)) == 8
    assert kernels.box(np.array(2)).shape == (2, 2)


def test_a_float_or_a_bool_is_not_an_int():
    with pytest.raises(TypeError, match=r"^conv2d: stride must be an integer; got 2\.0"):
        convlib.conv2d(np.ones((1, 1, 4, 4)), np.ones((1, 1, 2, 2)), stride=2.0)
    with pytest.raises(TypeError, match=r"^output_size: n must be an integer"):
        convlib.output_size(np.array(10.0), 3)
    with pytest.raises(TypeError, match=r"^im2col: stride"):
        convlib.im2col(np.ones((1, 1, 4, 4)), 2, stride=True)
