"""Worked answers for notebook 03 (borders and output size) and appendix A1 (padding names).

One top-level definition per exercise, named as the notebook's stub; ``CHECKS`` pairs each with
its checker in :mod:`convlib.book.exercises.borders`.
"""

from __future__ import annotations

import numpy as np

CHECKS = [
    ("check_pad_1d", "pad_1d"),
    ("check_output_size", "conv_output_size"),
    ("check_same_convolve", "same_convolve"),
    ("check_numpy_names", "numpy_names"),
]


def pad_1d(row, width, mode):
    n = len(row)
    positions = np.arange(-width, n + width)  # every position of the padded row, in the row's own indices
    if mode == "edge":
        index = np.clip(positions, 0, n - 1)
    elif mode == "wrap":
        index = positions % n
    elif mode == "symmetric":  # position -1 copies sample 0: the edge sample is repeated
        index = np.where(positions < 0, -1 - positions, np.where(positions >= n, 2 * n - 1 - positions, positions))
    else:  # "reflect": position -1 copies sample 1, position n copies sample n - 2
        index = np.where(positions < 0, -positions, np.where(positions >= n, 2 * (n - 1) - positions, positions))
    return np.asarray(row)[index]


def conv_output_size(n, kernel_size, stride, padding, dilation):
    span = dilation * (kernel_size - 1) + 1  # the dilated kernel's extent
    if span > n + 2 * padding:
        raise ValueError(f"a kernel spanning {span} samples does not fit in {n} + 2*{padding}")
    return (n + 2 * padding - span) // stride + 1  # window starts 0, S, 2S, ... while the span fits


def same_convolve(image, kernel):
    kh, kw = kernel.shape
    flipped = kernel[::-1, ::-1]  # convolution flips the kernel on both axes
    padded = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode="symmetric")
    out = np.zeros(image.shape)
    for i in range(image.shape[0]):  # every output pixel: range(H), not range(H - K)
        for j in range(image.shape[1]):
            out[i, j] = np.sum(padded[i : i + kh, j : j + kw] * flipped)
    return out


numpy_names = {
    ("scipy.ndimage", "reflect"): "symmetric",  # the trap: ndimage's reflect repeats the edge
    ("scipy.ndimage", "mirror"): "reflect",
    ("scipy.ndimage", "nearest"): "edge",
    ("opencv", "BORDER_REFLECT"): "symmetric",  # the same trap in OpenCV
    ("opencv", "BORDER_REFLECT_101"): "reflect",
    ("torch", "circular"): "wrap",
    ("torch.Conv2d", "zeros"): "constant",
    ("scipy.signal", "symm"): "symmetric",
}
