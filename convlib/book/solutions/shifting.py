"""Worked answers to the exercises of notebook 08 (shifting signals and the Neural Turing Machine)."""

from __future__ import annotations

import numpy as np

CHECKS = [
    ("check_delay_kernel", "delay_kernel"),
    ("check_ntm_shift", "my_ntm_shift"),
    ("check_blur_downsample", "blur_downsample"),
]


def delay_kernel(k):
    # Convolving with a spike at index k gives y[n] = x[n - k]: a delay of k samples.
    kernel = np.zeros(k + 1)
    kernel[k] = 1.0
    return kernel


def my_ntm_shift(weights, shift_weights):
    # Equation (8): slot i receives weights[(i - shift) mod N], weighted by s(shift); indices mod N wrap round.
    # The same with np.roll, which moves the weighting one slot on for a shift of +1:
    # s[0] * np.roll(weights, -1) + s[1] * weights + s[2] * np.roll(weights, 1)
    n = len(weights)
    out = np.zeros(n)
    for i in range(n):
        for shift, s_k in zip((-1, 0, 1), shift_weights):
            out[i] += weights[(i - shift) % n] * s_k
    return out


def blur_downsample(x, kernel):
    # The middle weight kernel[r] is offset 0, so weight m reaches the sample m - r places away.
    # np.roll wraps round the ends; the kernel is symmetric, so flipped or not gives the same blur.
    r = len(kernel) // 2
    blurred = sum(weight * np.roll(x, r - m) for m, weight in enumerate(kernel))
    return blurred[::2]
