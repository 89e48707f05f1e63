"""Worked answers to notebook 02's exercises (image kernels)."""

import numpy as np

CHECKS = [
    ("check_correlate2d", "my_correlate2d"),
    ("check_blur_kernel", "my_blur"),
    ("check_to_display", "to_display"),
]


def my_correlate2d(image, kernel):
    kernel_height, kernel_width = kernel.shape
    out = np.zeros((image.shape[0] - kernel_height + 1, image.shape[1] - kernel_width + 1))
    for i in range(out.shape[0]):  # range(H - KH + 1): the last window starts at row H - KH
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kernel_height, j : j + kernel_width] * kernel)
    return out


# The binomial weights 1 4 6 4 1 as an outer product (a sampled bell curve), divided by their sum 16 x 16.
my_blur = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256


def to_display(response):
    low, high = response.min(), response.max()  # map low..high to 0..255, then round and cast
    return np.round(255 * (response - low) / (high - low)).astype(np.uint8)
