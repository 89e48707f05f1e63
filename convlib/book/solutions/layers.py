"""Worked answers to the exercises of notebook 05 (inside a CNN layer)."""

from __future__ import annotations

CHECKS = [
    ("check_conv_parameters", "conv_parameters"),
    ("check_transposed_output_size", "transposed_output_size"),
    ("check_receptive_field", "receptive_field"),
]


def conv_parameters(c_in, c_out, k, groups):
    per_filter = (c_in // groups) * k * k + 1  # one K x K kernel per input channel of its group, and a bias
    return c_out * per_filter


def transposed_output_size(n, k, stride, padding, dilation, output_padding):
    spread = (n - 1) * stride + 1  # the inputs with stride - 1 zeros between them
    return spread + dilation * (k - 1) - 2 * padding + output_padding


def receptive_field(kernels, strides, dilations):
    field, jump = 1, 1  # jump: input samples between neighbouring outputs of the layers so far
    for k, s, d in zip(kernels, strides, dilations):
        field += d * (k - 1) * jump  # k taps placed d apart span d * (k - 1) + 1 samples
        jump *= s
    return field
