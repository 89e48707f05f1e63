"""Worked answers to notebook 04's exercises (convolution as matrix multiplication).

Each definition is named exactly like the notebook's stub; ``CHECKS`` pairs it with its checker
in :mod:`convlib.book.exercises.matrices`.
"""

from __future__ import annotations

import numpy as np

CHECKS = [
    ("check_toeplitz_matrix", "toeplitz_matrix"),
    ("check_im2col", "my_im2col"),
    ("check_winograd_f22", "winograd_f22"),
]


def toeplitz_matrix(kernel, n, mode):
    k = len(kernel)
    full = np.zeros((n + k - 1, n))
    for j in range(n):
        full[j : j + k, j] = kernel  # column j: the kernel, shifted down by j (the impulse response)
    start = {"full": 0, "same": (k - 1) // 2, "valid": k - 1}[mode]
    length = {"full": n + k - 1, "same": n, "valid": n - k + 1}[mode]
    return full[start : start + length]


def my_im2col(image, kernel_shape):
    kh, kw = kernel_shape
    oh, ow = image.shape[0] - kh + 1, image.shape[1] - kw + 1  # + 1: the last window fits exactly
    cols = np.zeros((kh * kw, oh * ow))
    for oy in range(oh):
        for ox in range(ow):
            cols[:, oy * ow + ox] = image[oy : oy + kh, ox : ox + kw].ravel()
    return cols


def winograd_f22(d, g):
    shared = d[1] * (g[0] + g[1])  # d1 meets both taps in both outputs: one product for both
    y0 = (d[0] - d[1]) * g[0] + shared  # = d0 g0 + d1 g1
    y1 = shared + (d[2] - d[1]) * g[1]  # = d1 g0 + d2 g1
    return [y0, y1]
