"""Every entry of convlib.padding.MODE_NAMES, checked by running the library it names.

A name claims that the library, given it, extends a signal beyond its border the way convlib's
(numpy.pad's) mode of the same row does. Each claim is checked twice: on the row [1, 2, 3, 4]
padded by two (the library's own padding function, or a filter with a one-hot kernel that reads
the samples beyond the border), and on a random image filtered by the library and by convlib.
A ``None`` claims that the library has no such mode: every name the library accepts is tried
and none does it. Nothing here is skipped: numpy, scipy, PyTorch, OpenCV and Pillow are
dependencies of the notebooks and their tests.
"""

from __future__ import annotations

import inspect
import itertools

import cv2
import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
import torch
import torch.nn.functional as F
from PIL import Image, ImageFilter

import convlib
from convlib.padding import LIBRARIES, MODE_NAMES, PAD_MODES, translate_mode

ROW = np.array([1.0, 2.0, 3.0, 4.0])
WIDTH = 2
TAPS = 2 * WIDTH + 1
EXPECTED = {  # /work/shared/design/facts.md: padding [1, 2, 3, 4] by 2
    "constant": [0, 0, 1, 2, 3, 4, 0, 0],
    "edge": [1, 1, 1, 2, 3, 4, 4, 4],
    "reflect": [3, 2, 1, 2, 3, 4, 3, 2],
    "symmetric": [2, 1, 1, 2, 3, 4, 4, 3],
    "wrap": [3, 4, 1, 2, 3, 4, 1, 2],
}

#: Every border name each library accepts, as its documentation and error messages list them.
ACCEPTED = {
    "numpy": ("constant", "edge", "reflect", "symmetric", "wrap"),
    "scipy.ndimage": ("reflect", "grid-mirror", "constant", "grid-constant", "nearest", "mirror", "grid-wrap", "wrap"),
    "scipy.signal": ("fill", "pad", "wrap", "circular", "symm", "symmetric"),
    "torch": ("constant", "reflect", "replicate", "circular"),
    "torch.Conv2d": ("zeros", "reflect", "replicate", "circular"),
    "opencv": ("BORDER_CONSTANT", "BORDER_REPLICATE", "BORDER_REFLECT", "BORDER_WRAP", "BORDER_REFLECT_101"),
}


def one_hot(shift: int, correlation: bool = True) -> np.ndarray:
    """A kernel of TAPS taps that reads the sample ``shift`` away from each output position.

    A correlation computes ``out[i] = sum_j w[j] x[i + j - WIDTH]``; a convolution
    ``out[i] = sum_j w[j] x[i - j + WIDTH]``.
    """
    kernel = np.zeros(TAPS)
    kernel[WIDTH + shift if correlation else WIDTH - shift] = 1.0
    return kernel


def padded_by_reading(read) -> np.ndarray:
    """The row padded by WIDTH, from ``read(shift)``, a filtered row with ``out[i] = x_extended[i + shift]``."""
    left = [read(-d)[0] for d in range(WIDTH, 0, -1)]
    right = [read(d)[-1] for d in range(1, WIDTH + 1)]
    return np.array([*left, *ROW, *right])


def torch_row(row: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(row)[None, None, None, :]  # (N, C, H, W) = (1, 1, 1, len), for Conv2d


def torch_signal(row: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(row)[None, None, :]  # (N, C, L) = (1, 1, len): F.pad pads the last axis


def conv2d_module(name: str, kernel: np.ndarray) -> torch.nn.Conv2d:
    """A Conv2d with ``padding_mode=name``, "same" padding for an odd kernel, and weights ``kernel``."""
    kh, kw = kernel.shape
    module = torch.nn.Conv2d(1, 1, (kh, kw), padding=(kh // 2, kw // 2), padding_mode=name, bias=False).double()
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(kernel)[None, None])
    return module


# Each way of padding ROW by WIDTH with a library's name for the border rule.
PADDERS = {
    "numpy": {"np.pad": lambda name: np.pad(ROW, WIDTH, mode=name)},
    "convlib": {"convlib.pad": lambda name: convlib.pad(ROW, WIDTH, name)},
    "scipy.ndimage": {
        "correlate1d": lambda name: padded_by_reading(
            lambda s: scipy.ndimage.correlate1d(ROW, one_hot(s), mode=name, cval=0.0)
        ),
        "convolve1d": lambda name: padded_by_reading(
            lambda s: scipy.ndimage.convolve1d(ROW, one_hot(s, correlation=False), mode=name, cval=0.0)
        ),
        "correlate": lambda name: padded_by_reading(
            lambda s: scipy.ndimage.correlate(ROW[None], one_hot(s)[None], mode=name, cval=0.0)[0]
        ),
        "convolve": lambda name: padded_by_reading(
            lambda s: scipy.ndimage.convolve(ROW[None], one_hot(s, correlation=False)[None], mode=name, cval=0.0)[0]
        ),
    },
    "scipy.signal": {
        "convolve2d": lambda name: padded_by_reading(
            lambda s: scipy.signal.convolve2d(ROW[None], one_hot(s, correlation=False)[None], "same", boundary=name)[0]
        ),
        "correlate2d": lambda name: padded_by_reading(
            lambda s: scipy.signal.correlate2d(ROW[None], one_hot(s)[None], "same", boundary=name)[0]
        ),
    },
    "torch": {"F.pad": lambda name: F.pad(torch_signal(ROW), (WIDTH, WIDTH), mode=name).flatten().numpy()},
    "torch.Conv2d": {
        "Conv2d": lambda name: padded_by_reading(
            lambda s: conv2d_module(name, one_hot(s)[None])(torch_row(ROW)).detach().flatten().numpy()
        )
    },
    "opencv": {
        "copyMakeBorder": lambda name: cv2.copyMakeBorder(ROW[None], 0, 0, WIDTH, WIDTH, getattr(cv2, name))[0],
        "filter2D": lambda name: padded_by_reading(
            lambda s: cv2.filter2D(ROW[None], -1, one_hot(s)[None], borderType=getattr(cv2, name))[0]
        ),
    },
}

NAMED = [
    (concept, library, via)
    for concept in PAD_MODES
    for library, ways in PADDERS.items()
    for via in ways
    if MODE_NAMES[concept][library] is not None and not (via == "filter2D" and concept == "wrap")
]


def test_table_covers_every_library_and_concept():
    assert set(MODE_NAMES) == set(PAD_MODES)
    assert all(set(names) == set(LIBRARIES) for names in MODE_NAMES.values())
    assert set(PADDERS) | {"pillow"} == set(LIBRARIES)
    for library, accepted in ACCEPTED.items():  # every name in the table is one the library accepts
        for concept in PAD_MODES:
            assert MODE_NAMES[concept][library] in (*accepted, None), (concept, library)


@pytest.mark.parametrize(("concept", "library", "via"), NAMED, ids=["-".join(case) for case in NAMED])
def test_named_mode_pads_the_row_as_the_table_says(concept, library, via):
    name = MODE_NAMES[concept][library]
    padded = np.asarray(PADDERS[library][via](name), dtype=float)
    np.testing.assert_array_equal(padded, EXPECTED[concept])
    np.testing.assert_array_equal(padded, np.pad(ROW, WIDTH, mode=concept))


@pytest.mark.parametrize("library", [lib for lib in ACCEPTED if None in (MODE_NAMES[c][lib] for c in PAD_MODES)])
def test_none_means_no_accepted_name_does_it(library):
    """Where the table says None, try every name the library accepts: none pads that way."""
    missing = [concept for concept in PAD_MODES if MODE_NAMES[concept][library] is None]
    assert missing
    for via, padder in PADDERS[library].items():
        for name in ACCEPTED[library]:
            if via == "filter2D" and name == "BORDER_WRAP":
                continue  # OpenCV's filters refuse it (test_libraries_refuse_the_names_they_lack)
            padded = np.asarray(padder(name), dtype=float)  # every accepted name runs
            for concept in missing:
                assert not np.array_equal(padded, EXPECTED[concept]), (library, via, name, concept)


def test_libraries_refuse_the_names_they_lack():
    for name in ("edge", "nearest", "replicate", "reflect", "mirror"):  # scipy.signal: no edge, no mirror
        with pytest.raises(ValueError, match=r"boundary"):
            scipy.signal.convolve2d(ROW[None], np.ones((1, 3)), "same", boundary=name)
    with pytest.raises(NotImplementedError, match=r"symmetric"):  # torch: no symmetric
        F.pad(torch_signal(ROW), (WIDTH, WIDTH), mode="symmetric")
    with pytest.raises(ValueError, match=r"padding_mode must be one of"):
        torch.nn.Conv2d(1, 1, 3, padding=1, padding_mode="symmetric")
    with pytest.raises(cv2.error):  # OpenCV pads with BORDER_WRAP but its filters refuse it
        cv2.filter2D(ROW[None], -1, np.ones((1, 3)), borderType=cv2.BORDER_WRAP)
    np.testing.assert_array_equal(PADDERS["opencv"]["copyMakeBorder"]("BORDER_WRAP"), EXPECTED["wrap"])


# --- the same claims on a 2-D image, through each library's filter --------------------------------------

RNG = np.random.default_rng(7)
IMAGE = RNG.random((9, 11))
KERNEL = RNG.normal(size=(3, 5))  # odd: every library agrees where "same" centres it


def library_filter(library: str, name: str, kind: str) -> np.ndarray:
    """IMAGE filtered with KERNEL by ``library`` with border name ``name``; ``kind`` is the operation."""
    if library == "scipy.ndimage":
        function = scipy.ndimage.correlate if kind == "correlate" else scipy.ndimage.convolve
        return function(IMAGE, KERNEL, mode=name, cval=0.0)
    if library == "scipy.signal":
        function = scipy.signal.correlate2d if kind == "correlate" else scipy.signal.convolve2d
        return function(IMAGE, KERNEL, "same", boundary=name)
    if library == "torch.Conv2d":  # a CNN layer: correlation
        return conv2d_module(name, KERNEL)(torch.from_numpy(IMAGE)[None, None]).detach()[0, 0].numpy()
    if library == "torch":  # F.pad, then a 'valid' F.conv2d (correlation)
        padded = F.pad(torch.from_numpy(IMAGE)[None, None], (2, 2, 1, 1), mode=name)
        return F.conv2d(padded, torch.from_numpy(KERNEL)[None, None])[0, 0].numpy()
    if library == "opencv":  # filter2D computes correlation
        return cv2.filter2D(IMAGE, -1, KERNEL, borderType=getattr(cv2, name))
    if library == "numpy":
        padded = np.pad(IMAGE, ((1, 1), (2, 2)), mode=name)
        return scipy.signal.correlate2d(padded, KERNEL, "valid")
    raise AssertionError(library)


FILTERED = [
    (concept, library, kind)
    for concept in PAD_MODES
    for library, kinds in {
        "numpy": ["correlate"],
        "scipy.ndimage": ["correlate", "convolve"],
        "scipy.signal": ["correlate", "convolve"],
        "torch": ["correlate"],
        "torch.Conv2d": ["correlate"],
        "opencv": ["correlate"],
    }.items()
    for kind in kinds
    if MODE_NAMES[concept][library] is not None and not (library == "opencv" and concept == "wrap")
]


@pytest.mark.parametrize(("concept", "library", "kind"), FILTERED, ids=["-".join(case) for case in FILTERED])
def test_named_mode_filters_an_image_as_convlib_does(concept, library, kind):
    got = library_filter(library, MODE_NAMES[concept][library], kind)
    function = convlib.correlate2d if kind == "correlate" else convlib.convolve2d
    expected = function(IMAGE, KERNEL, "same", boundary=concept)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    if concept != "constant":  # and the border matters: zeros would give something else
        assert not np.allclose(got, function(IMAGE, KERNEL, "same", boundary="constant"))


# --- Pillow: no border mode at all ----------------------------------------------------------------------


def pillow_filter(image_uint8: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    size = kernel.shape
    return np.asarray(Image.fromarray(image_uint8).filter(ImageFilter.Kernel(size, kernel.ravel().tolist(), scale=1)))


def test_pillow_column_is_none_because_pillow_leaves_the_border_unfiltered():
    assert all(MODE_NAMES[concept]["pillow"] is None for concept in PAD_MODES)
    parameters = set(inspect.signature(ImageFilter.Kernel).parameters)
    assert parameters == {"size", "kernel", "scale", "offset"}  # nothing to choose a border with
    image = RNG.integers(0, 256, (9, 11)).astype(np.uint8)
    for size in (3, 5):
        kernel = RNG.integers(0, 3, (size, size)).astype(float)
        kernel /= kernel.sum() or 1.0
        out = pillow_filter(image, kernel)
        rim = size // 2
        border = np.ones(image.shape, bool)
        border[rim:-rim, rim:-rim] = False
        np.testing.assert_array_equal(out[border], image[border])  # copied, not filtered
        # Inside, Pillow correlates with the kernel flipped upside down, rounding to the nearest level.
        inside = convlib.correlate2d(image, kernel[::-1, :], "valid")
        assert np.abs(out[rim:-rim, rim:-rim] - inside).max() <= 0.5 + 1e-9
        for concept in PAD_MODES:  # no border rule reproduces the copied border
            filtered = np.rint(convlib.correlate2d(image, kernel[::-1, :], "same", boundary=concept))
            assert not np.array_equal(out[border], filtered[border]), concept


def test_pillow_kernel_sizes_are_3_and_5_only():
    image = Image.fromarray(np.zeros((9, 9), np.uint8))
    for size in ((4, 4), (7, 7), (3, 5), (1, 1)):  # the filter is made, but refuses to run
        with pytest.raises(ValueError, match=r"bad kernel size"):
            image.filter(ImageFilter.Kernel(size, [1.0] * (size[0] * size[1])))


def test_pillow_flips_rows_but_not_columns():
    image = RNG.integers(0, 256, (7, 8)).astype(np.uint8)
    top = np.zeros((3, 3))
    top[0, 1] = 1  # a correlation would read the row above; Pillow reads the row below
    np.testing.assert_array_equal(pillow_filter(image, top)[1:-1, 1:-1], image[2:, 1:-1])
    left = np.zeros((3, 3))
    left[1, 0] = 1  # and it reads the column to the left, as a correlation does
    np.testing.assert_array_equal(pillow_filter(image, left)[1:-1, 1:-1], image[1:-1, :-2])


# --- the traps the notebook states ----------------------------------------------------------------------


def test_default_borders():
    # scipy.ndimage's default mode is its 'reflect', numpy's 'symmetric'.
    np.testing.assert_allclose(
        scipy.ndimage.correlate(IMAGE, KERNEL), convlib.correlate2d(IMAGE, KERNEL, "same", boundary="symmetric")
    )
    # OpenCV filters default to BORDER_REFLECT_101 (numpy's 'reflect'), not zeros.
    assert cv2.BORDER_DEFAULT == cv2.BORDER_REFLECT_101 == cv2.BORDER_REFLECT101
    np.testing.assert_allclose(
        cv2.filter2D(IMAGE, -1, KERNEL), convlib.correlate2d(IMAGE, KERNEL, "same", boundary="reflect")
    )
    # scipy.signal.convolve2d and torch pad with zeros unless told otherwise.
    np.testing.assert_allclose(
        scipy.signal.convolve2d(IMAGE, KERNEL, "same"), convlib.convolve2d(IMAGE, KERNEL, "same")
    )


def test_pad_width_limits():
    row = torch_signal(ROW)
    with pytest.raises(RuntimeError):  # torch reflect needs a pad smaller than the size
        F.pad(row, (4, 4), mode="reflect")
    assert F.pad(row, (3, 3), mode="reflect").shape[-1] == 10
    assert F.pad(row, (4, 4), mode="circular").shape[-1] == 12  # circular: at most the size
    with pytest.raises(RuntimeError):
        F.pad(row, (5, 5), mode="circular")
    # numpy keeps reflecting, back and forth: period 2 * (4 - 1) = 6
    np.testing.assert_array_equal(np.pad(ROW, 6, mode="reflect"), [1, 2, 3, 4, 3, 2] * 2 + [1, 2, 3, 4])


# --- translate_mode ---------------------------------------------------------------------------------------

PAIRS = list(itertools.permutations(LIBRARIES, 2))


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{s}->{t}" for s, t in PAIRS])
def test_translate_mode_round_trips(source, target):
    for concept, names in MODE_NAMES.items():
        if names[source] is None:
            continue
        there = translate_mode(names[source], source=source, target=target)
        assert there == names[target], (concept, source, target)
        if there is not None:
            assert translate_mode(there, source=target, target=source) == names[source]
            assert translate_mode(there, source=target, target="numpy") == concept


def test_translate_mode_accepts_cv2_prefix_and_refuses_unknown_names():
    assert translate_mode("cv2.BORDER_REFLECT", source="opencv", target="numpy") == "symmetric"
    assert translate_mode("reflect", source="scipy.ndimage", target="numpy") == "symmetric"
    assert translate_mode("mirror", source="scipy.ndimage", target="numpy") == "reflect"
    with pytest.raises(ValueError, match=r"name must be a mode of torch"):
        translate_mode("symmetric", source="torch", target="numpy")
    with pytest.raises(ValueError, match=r"source must be one of"):
        translate_mode("wrap", source="matlab", target="numpy")
