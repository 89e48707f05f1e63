"""Answers to notebook 07's exercises (frequency and circular convolution)."""

from __future__ import annotations

import numpy as np

CHECKS = [("check_linear_by_fft", "linear_by_fft"), ("check_box_zeros", "box_zeros")]


def linear_by_fft(signal, kernel):
    length = len(signal) + len(kernel) - 1  # room for the whole result: nothing wraps round
    spectrum = np.fft.fft(signal, length) * np.fft.fft(kernel, length)  # fft(a, L) pads a with zeros to L
    return np.real(np.fft.ifft(spectrum))


def box_zeros(width, n):
    box = np.ones(width) / width
    gain = np.abs(np.fft.fft(box, n))  # the box's frequency response at f = 0, 1, ..., n - 1
    return np.flatnonzero(np.isclose(gain, 0, atol=1e-9)).tolist()  # round-off: never test == 0
