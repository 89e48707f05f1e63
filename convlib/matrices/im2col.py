"""im2col and col2im: turn every window of a batch of images into a column, and back.

A convolution layer multiplies each ``C x KH x KW`` window of the input by each filter and sums.
Lay every window out as one column of a matrix (*im2col*) and the whole layer is **one matrix
product**: ``(C_out, C*KH*KW) @ (C*KH*KW, OH*OW)``. That is how most deep-learning libraries
compute convolutions (PyTorch calls im2col ``unfold``).

Layout of the columns (the same as ``torch.nn.functional.unfold``)::

    cols.shape == (N, C*KH*KW, OH*OW)
    cols[n, (c*KH + i)*KW + j, oy*OW + ox] == x_padded[n, c, oy*SH + i*DH, ox*SW + j*DW]

with ``x_padded`` the input with ``padding`` zeros on each side, ``(SH, SW)`` the stride and
``(DH, DW)`` the dilation. :func:`col2im` is the *adjoint* (transpose) of :func:`im2col`: it
puts each column entry back where it came from and **sums** where windows overlap, so
``<im2col(x), c> == <x, col2im(c)>`` for every ``x`` and ``c``.

:func:`im2col` copies no pixel in Python: :func:`sliding_windows` is a strided *view* of the
padded input (``numpy.lib.stride_tricks.sliding_window_view``), and one reshape gathers it.
:func:`im2col_naive` spells the same thing out with loops, for reading and for the tests.

The columns hold ``KH*KW`` copies of the image: a large padding, stride or kernel can ask for far
more memory than a machine has. Every array made here (the padded input, the columns, col2im's
canvas) is checked against :data:`convlib.validation.MAX_ARRAY_BYTES` *before* it is allocated, in
the helpers that :func:`convlib.conv2d`, the pooling functions and :func:`convlib.conv_transpose2d`
share; the message names the public function that was called.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from convlib import validation
from convlib.engines.naive import check_seconds
from convlib.sizes import as_pair, axis_output_size
from convlib.validation import as_numeric_array, as_shape, check_allocation, result_dtype

#: Seconds per step of :func:`im2col_naive`'s loops (one window tap of every image and channel), measured on a
#: 2020s x86 core, plus :data:`_SECONDS_PER_COPIED_VALUE` for each of the ``N*C`` values the step copies.
_SECONDS_PER_STEP = 1e-6
_SECONDS_PER_COPIED_VALUE = 1e-9

Pair = int | tuple[int, int]


def check_batch(x: object, name: str, function: str, layout: str = "(N, C, H, W)") -> np.ndarray:
    """Return ``x`` as a non-empty 4-D numeric array, or raise with a message naming ``name``.

    Examples
    --------
    >>> check_batch(np.zeros((3, 5, 5)), "x", "conv2d")
    Traceback (most recent call last):
    ...
    ValueError: conv2d: x must be 4-D (N, C, H, W); got 3-D data of shape (3, 5, 5). ... pass x[None].
    """
    array = as_numeric_array(x, name, function)
    if array.ndim != 4:
        hint = ""
        if name == "x" and array.ndim == 3:
            hint = " For a single image of shape (C, H, W) pass x[None]."
        elif name == "x" and array.ndim == 2:
            hint = " For a single grayscale image of shape (H, W) pass x[None, None]."
        raise ValueError(
            f"{function}: {name} must be 4-D {layout}; got {array.ndim}-D data of shape {array.shape}.{hint}"
        )
    if array.size == 0:
        raise ValueError(f"{function}: {name} must not be empty; got shape {array.shape}")
    return array


def _check_size(shape: tuple[int, ...], dtype: np.dtype, function: str, describe: Callable[[], str]) -> None:
    """:func:`~convlib.validation.check_allocation` for a helper: the message is built only when refusing.

    ``function`` is the public function the user called, named in the message.
    """
    if math.prod(shape) * dtype.itemsize > validation.MAX_ARRAY_BYTES:
        check_allocation(shape, dtype, function, describe())


def _geometry(
    input_shape: tuple[int, ...], kernel_size: Pair, stride: Pair, padding: Pair, dilation: Pair, function: str
) -> tuple[tuple[int, int], ...]:
    """Checked ``(kernel, stride, padding, dilation, output)`` pairs for an ``(N, C, H, W)`` input."""
    kernel = as_pair(kernel_size, "kernel_size", function)
    step = as_pair(stride, "stride", function)
    pad = as_pair(padding, "padding", function, minimum=0)
    dil = as_pair(dilation, "dilation", function)
    height, width = input_shape[2], input_shape[3]
    out = (
        axis_output_size(height, kernel[0], step[0], pad[0], dil[0], function, "height"),
        axis_output_size(width, kernel[1], step[1], pad[1], dil[1], function, "width"),
    )
    return kernel, step, pad, dil, out


def sliding_windows(
    x: object, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1
) -> np.ndarray:
    """Every window of a batch of images, as a read-only strided view (no copy of the windows).

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
        A batch of images.
    kernel_size, stride, padding, dilation : int or (int, int)
        Window size, step, zeros per side, tap spacing; a pair is (height, width).

    Returns
    -------
    numpy.ndarray, shape (N, C, OH, OW, KH, KW)
        ``windows[n, c, oy, ox]`` is the window whose top-left tap sits at
        ``(oy*SH, ox*SW)`` of the padded input. A view of ``x`` itself when ``padding`` is 0
        (bool and integer inputs are converted to float64 first). Do not write to it.

    Raises
    ------
    ValueError
        If ``x`` is not 4-D, a parameter is out of range, no window fits, or (up front) the padded
        copy of ``x`` would exceed :data:`convlib.validation.MAX_ARRAY_BYTES`. The view itself
        costs no memory and is not limited.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> windows = sliding_windows(x, 2, stride=2)
    >>> windows.shape
    (1, 1, 2, 2, 2, 2)
    >>> windows[0, 0, 1, 0]
    array([[ 8.,  9.],
           [12., 13.]])
    """
    function = "sliding_windows"
    x = check_batch(x, "x", function)
    geometry = _geometry(x.shape, kernel_size, stride, padding, dilation, function)[:4]
    return _windows(x, *geometry, function=function, gathered=False)


def _windows(x: np.ndarray, kernel, step, pad, dil, *, function: str, gathered: bool = True) -> np.ndarray:
    """The strided view behind :func:`sliding_windows` (arguments already checked).

    Refuses up front (``ValueError``) a padded copy of ``x`` above ``MAX_ARRAY_BYTES`` and, unless
    ``gathered`` is False (a view that is returned as it is), windows whose gathered copy
    ``(N, C*KH*KW, OH*OW)`` would be: im2col, conv2d and max pooling's indices and backward pass
    copy them. (Pooling's forward reductions do not, so for them the check is conservative.)
    ``function``, the public function the user called, is named in the message.
    """
    dtype = result_dtype(x)
    n, c, height, width = x.shape
    padded = (n, c, height + 2 * pad[0], width + 2 * pad[1])
    span = (dil[0] * (kernel[0] - 1) + 1, dil[1] * (kernel[1] - 1) + 1)
    if pad != (0, 0) or x.dtype != dtype:  # a copy of x is made
        _check_size(padded, dtype, function, lambda: f"padding {pad} of x with shape {x.shape}")
    if gathered:
        windows = ((padded[2] - span[0]) // step[0] + 1, (padded[3] - span[1]) // step[1] + 1)
        _check_size(
            (n, c * kernel[0] * kernel[1], windows[0] * windows[1]),
            dtype,
            function,
            lambda: (
                f"the {windows[0]} x {windows[1]} windows of kernel_size {kernel} (stride {step}, dilation {dil}) "
                f"over an input of shape {padded}"
            ),
        )
    x = x.astype(dtype, copy=False)
    if pad != (0, 0):
        x = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    # (N, C, H', W', span_h, span_w): every span x span block. Keep every stride-th block and
    # every dilation-th tap inside it; all of it is slicing of a view, nothing is copied.
    blocks = sliding_window_view(x, span, axis=(2, 3))
    return blocks[:, :, :: step[0], :: step[1], :: dil[0], :: dil[1]]


def im2col(x: object, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    """Gather every ``C x KH x KW`` window of a batch of images into one column.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
        A batch of images.
    kernel_size, stride, padding, dilation : int or (int, int)
        Window size, step between windows, zeros added on each side, spacing of the taps.
        A pair is (height, width).

    Returns
    -------
    numpy.ndarray, shape (N, C*KH*KW, OH*OW)
        ``cols[n, (c*KH + i)*KW + j, oy*OW + ox] == x_padded[n, c, oy*SH + i*DH, ox*SW + j*DW]``,
        the layout of ``torch.nn.functional.unfold``. ``OH``, ``OW`` are
        :func:`convlib.output_size` of each axis. float64 for bool/int input, else ``x``'s dtype.

    Raises
    ------
    ValueError
        If ``x`` is not 4-D, a parameter is out of range, or the kernel is larger than the padded
        input on either axis; up front, if the padded input or the columns would exceed
        :data:`convlib.validation.MAX_ARRAY_BYTES` (4 GiB), with the memory they would need.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> im2col(x, 2)   # four 2x2 windows, one per column
    array([[[0., 1., 3., 4.],
            [1., 2., 4., 5.],
            [3., 4., 6., 7.],
            [4., 5., 7., 8.]]])
    >>> im2col(x, 3, padding=10_000)   # 9 rows of 20 001 x 20 001 windows
    Traceback (most recent call last):
    ...
    ValueError: im2col: the 20001 x 20001 windows of kernel_size (3, 3) ... would make an array of 26.8 GiB ...
    """
    function = "im2col"
    x = check_batch(x, "x", function)
    kernel, step, pad, dil, _ = _geometry(x.shape, kernel_size, stride, padding, dilation, function)
    windows = _windows(x, kernel, step, pad, dil, function=function)  # (N, C, OH, OW, KH, KW)
    n, c, oh, ow, kh, kw = windows.shape
    # (N, C, KH, KW, OH, OW) -> rows (c, i, j), columns (oy, ox). The reshape makes the one copy ...
    cols = windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow)
    # ... except where the windows lie in memory as the columns do (one window, or 1x1 kernels): then a view of x
    return cols.copy() if np.may_share_memory(cols, x) else cols


def im2col_naive(x: object, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    """:func:`im2col` with explicit loops over windows and taps: slow, but every index is visible.

    Same parameters, result and layout as :func:`im2col`. Refuses up front (``ValueError``) columns
    above :data:`convlib.validation.MAX_ARRAY_BYTES` and loops estimated to run longer than
    :data:`convlib.engines.naive.MAX_NAIVE_SECONDS` (about 1 µs per window tap): use :func:`im2col`.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> np.array_equal(im2col_naive(x, 2, padding=1), im2col(x, 2, padding=1))
    True
    """
    function = "im2col_naive"
    x = check_batch(x, "x", function)
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = _geometry(
        x.shape, kernel_size, stride, padding, dilation, function
    )
    n, c, height, width = x.shape
    dtype = result_dtype(x)
    cols_shape = (n, c * kh * kw, oh * ow)
    geometry = f"kernel_size {(kh, kw)}, stride {(sh, sw)}, padding {(ph, pw)} and dilation {(dh, dw)}"
    check_allocation(cols_shape, dtype, function, f"{geometry} on x of shape {x.shape}")
    steps = oh * ow * kh * kw
    check_seconds(
        steps * (_SECONDS_PER_STEP + n * c * _SECONDS_PER_COPIED_VALUE),
        function,
        f"it loops in Python over {oh} x {ow} windows x {kh} x {kw} taps ({steps} steps of N x C = {n} x {c} values)",
        "im2col(...)",
    )
    cols = np.zeros((n, c, kh, kw, oh, ow), dtype=dtype)
    for oy in range(oh):
        for ox in range(ow):
            for i in range(kh):
                for j in range(kw):
                    row = oy * sh + i * dh - ph  # position in the unpadded input
                    col = ox * sw + j * dw - pw
                    if 0 <= row < height and 0 <= col < width:  # outside: a padding zero
                        cols[:, :, i, j, oy, ox] = x[:, :, row, col]
    return cols.reshape(n, c * kh * kw, oh * ow)


def col2im(
    cols: object,
    input_shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
) -> np.ndarray:
    """The adjoint of :func:`im2col`: put every column entry back in its place, summing overlaps.

    Parameters
    ----------
    cols : array_like, shape (N, C*KH*KW, OH*OW)
        Columns in :func:`im2col`'s layout.
    input_shape : (N, C, H, W)
        Shape of the image batch the columns were (or could have been) taken from.
    kernel_size, stride, padding, dilation : int or (int, int)
        As given to :func:`im2col`.

    Returns
    -------
    numpy.ndarray, shape (N, C, H, W)
        ``out[n, c, y, x]`` is the sum of every column entry that :func:`im2col` would have read
        from pixel ``(y, x)``; entries that fall on the padding are dropped. So
        ``col2im(im2col(x))`` is ``x`` times the number of windows covering each pixel, and
        ``<im2col(x), cols> == <x, col2im(cols)>``. Equals ``torch.nn.functional.fold``.

    Raises
    ------
    ValueError
        For a wrong ``input_shape`` or ``cols`` shape, a parameter out of range, or (up front) an
        ``input_shape`` and ``padding`` whose padded image would exceed
        :data:`convlib.validation.MAX_ARRAY_BYTES` (4 GiB).

    Examples
    --------
    >>> x = np.ones((1, 1, 3, 3))
    >>> col2im(im2col(x, 2), x.shape, 2)   # how many 2x2 windows cover each pixel
    array([[[[1., 2., 1.],
             [2., 4., 2.],
             [1., 2., 1.]]]])
    """
    function = "col2im"
    cols = as_numeric_array(cols, "cols", function)
    input_shape = as_shape(input_shape, "input_shape", function, allow_int=False)
    if len(input_shape) != 4:
        raise ValueError(f"{function}: input_shape must be (N, C, H, W); got {input_shape!r}")
    kernel, step, pad, dil, out = _geometry(input_shape, kernel_size, stride, padding, dilation, function)
    n, c, height, width = input_shape
    expected = (n, c * kernel[0] * kernel[1], out[0] * out[1])
    if cols.shape != expected:
        raise ValueError(
            f"{function}: cols must have shape (N, C*KH*KW, OH*OW) = {expected} for input_shape {input_shape} and "
            f"these kernel_size/stride/padding/dilation; got {cols.shape}"
        )
    canvas = (height + 2 * pad[0], width + 2 * pad[1])
    check_allocation((n, c, *canvas), result_dtype(cols), function, f"input_shape {input_shape} with padding {pad}")
    padded = _scatter(cols, canvas, kernel, step, dil, out, function=function)
    return padded[:, :, pad[0] : pad[0] + height, pad[1] : pad[1] + width]


def _scatter(cols: np.ndarray, canvas: tuple[int, int], kernel, step, dil, out, *, function: str) -> np.ndarray:
    """col2im onto a zero canvas of padded size ``canvas`` (arguments already checked).

    ``cols`` has shape ``(N, C*KH*KW, OH*OW)`` with ``out == (OH, OW)``; the canvas must hold
    every window. Returns the canvas, shape ``(N, C, *canvas)``, padding included. A canvas above
    ``MAX_ARRAY_BYTES`` (a transposed convolution's stride of 10**5) is refused up front, naming
    ``function``, the public function the user called.
    """
    n = cols.shape[0]
    c = cols.shape[1] // (kernel[0] * kernel[1])
    dtype = result_dtype(cols)
    _check_size(
        (n, c, *canvas),
        dtype,
        function,
        lambda: (
            f"stride {step}, kernel_size {kernel} and dilation {dil} over {out[0]} x {out[1]} input positions "
            f"(a col2im canvas of {canvas[0]} x {canvas[1]})"
        ),
    )
    taps = cols.reshape(n, c, kernel[0], kernel[1], out[0], out[1])
    padded = np.zeros((n, c, *canvas), dtype=dtype)
    # One tap (i, j) of every window at once: its entries land on a strided grid of distinct
    # pixels, so a plain += is exact. Windows overlap only across taps, where the += sums them.
    # A sum beyond the range is inf (and inf - inf NaN), as in convolve2d: no warning for them.
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(kernel[0]):
            for j in range(kernel[1]):
                top, left = i * dil[0], j * dil[1]
                rows = slice(top, top + step[0] * (out[0] - 1) + 1, step[0])
                columns = slice(left, left + step[1] * (out[1] - 1) + 1, step[1])
                padded[:, :, rows, columns] += taps[:, :, i, j]
    return padded
