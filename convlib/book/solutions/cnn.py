"""Worked answers to the exercises of notebook 06 (learned filters)."""

from __future__ import annotations

import numpy as np

CHECKS = [
    ("check_parameter_counts", "count_parameters"),
    ("check_strided_kernel_gradient", "strided_kernel_gradient"),
    ("check_softmax_cross_entropy", "my_softmax_cross_entropy"),
]


def count_parameters(height, width, kernel_size):
    outputs = (height - kernel_size + 1) * (width - kernel_size + 1)  # "valid": where the window fits
    dense = outputs * height * width  # every output pixel has a weight for every input pixel
    local = outputs * kernel_size**2  # ... only for the pixels of its own window
    shared = kernel_size**2  # ... and the same window weights everywhere: one kernel
    return dense, local, shared


def strided_kernel_gradient(image, grad_out, kernel_size, stride):
    # Output (i, j) read the window whose top-left corner is (stride*i, stride*j), and weight (a, b)
    # met image[stride*i + a, stride*j + b]. So each window adds grad_out[i, j] times itself.
    # (The same thing in one line: correlate the image with grad_out spread out by stride - 1 zeros.)
    grad = np.zeros((kernel_size, kernel_size))
    for i in range(grad_out.shape[0]):
        for j in range(grad_out.shape[1]):
            top, left = stride * i, stride * j
            grad += grad_out[i, j] * image[top : top + kernel_size, left : left + kernel_size]
    return grad


def my_softmax_cross_entropy(logits, labels):
    # softmax(z) = softmax(z - max z): subtract each row's maximum, so the largest exponent is exp(0) = 1.
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(labels))
    loss = -log_probabilities[rows, labels].mean()
    grad = np.exp(log_probabilities)
    grad[rows, labels] -= 1.0  # softmax minus one-hot ...
    return loss, grad / len(labels)  # ... divided by N, because the loss is a mean
