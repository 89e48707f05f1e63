"""Worked answers to notebook 01's exercises (convolution in 1-D)."""

from __future__ import annotations

import numpy as np

CHECKS = [
    ("check_convolve_1d", "my_convolve"),
    ("check_output_length", "output_length"),
    ("check_derivative_kernel", "derivative_kernel"),
]


def my_convolve(signal, kernel):
    n_out = len(signal) + len(kernel) - 1  # every position where the kernel touches the signal
    out = np.zeros(n_out)
    for n in range(n_out):
        for m in range(len(signal)):
            if 0 <= n - m < len(kernel):  # the kernel sample k[n - m] exists
                out[n] += signal[m] * kernel[n - m]
    return out


def output_length(n, k, mode):
    return {"full": n + k - 1, "same": n, "valid": n - k + 1}[mode]


# y[n] = x[n] - x[n - 1]: convolution flips the kernel, so the newest sample's weight comes first.
derivative_kernel = [1, -1]
