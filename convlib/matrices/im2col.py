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
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from convlib.sizes import as_pair, axis_output_size
from convlib.validation import as_numeric_array, check_positive_int, result_dtype

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
    return _windows(x, *_geometry(x.shape, kernel_size, stride, padding, dilation, function)[:4])


def _windows(x: np.ndarray, kernel, step, pad, dil) -> np.ndarray:
    """The strided view behind :func:`sliding_windows` (arguments already checked)."""
    x = x.astype(result_dtype(x), copy=False)
    if pad != (0, 0):
        x = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    span = (dil[0] * (kernel[0] - 1) + 1, dil[1] * (kernel[1] - 1) + 1)
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
        input on either axis.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> im2col(x, 2)   # four 2x2 windows, one per column
    array([[[0., 1., 3., 4.],
            [1., 2., 4., 5.],
            [3., 4., 6., 7.],
            [4., 5., 7., 8.]]])
    """
    function = "im2col"
    x = check_batch(x, "x", function)
    kernel, step, pad, dil, _ = _geometry(x.shape, kernel_size, stride, padding, dilation, function)
    windows = _windows(x, kernel, step, pad, dil)  # (N, C, OH, OW, KH, KW)
    n, c, oh, ow, kh, kw = windows.shape
    # (N, C, KH, KW, OH, OW) -> rows (c, i, j), columns (oy, ox). The reshape makes the one copy.
    return windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow)


def im2col_naive(x: object, kernel_size: Pair, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1) -> np.ndarray:
    """:func:`im2col` with explicit loops over windows and taps: slow, but every index is visible.

    Same parameters, result and layout as :func:`im2col`.

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
    cols = np.zeros((n, c, kh, kw, oh, ow), dtype=result_dtype(x))
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
    if len(input_shape) != 4:
        raise ValueError(f"{function}: input_shape must be (N, C, H, W); got {input_shape!r}")
    input_shape = tuple(check_positive_int(size, f"input_shape[{k}]", function) for k, size in enumerate(input_shape))
    kernel, step, pad, dil, out = _geometry(input_shape, kernel_size, stride, padding, dilation, function)
    n, c, height, width = input_shape
    expected = (n, c * kernel[0] * kernel[1], out[0] * out[1])
    if cols.shape != expected:
        raise ValueError(
            f"{function}: cols must have shape (N, C*KH*KW, OH*OW) = {expected} for input_shape {input_shape} and "
            f"these kernel_size/stride/padding/dilation; got {cols.shape}"
        )
    padded = _scatter(cols, (height + 2 * pad[0], width + 2 * pad[1]), kernel, step, dil, out)
    return padded[:, :, pad[0] : pad[0] + height, pad[1] : pad[1] + width]


def _scatter(cols: np.ndarray, canvas: tuple[int, int], kernel, step, dil, out) -> np.ndarray:
    """col2im onto a zero canvas of padded size ``canvas`` (arguments already checked).

    ``cols`` has shape ``(N, C*KH*KW, OH*OW)`` with ``out == (OH, OW)``; the canvas must hold
    every window. Returns the canvas, shape ``(N, C, *canvas)``, padding included.
    """
    n = cols.shape[0]
    c = cols.shape[1] // (kernel[0] * kernel[1])
    taps = cols.reshape(n, c, kernel[0], kernel[1], out[0], out[1])
    padded = np.zeros((n, c, *canvas), dtype=result_dtype(cols))
    # One tap (i, j) of every window at once: its entries land on a strided grid of distinct
    # pixels, so a plain += is exact. Windows overlap only across taps, where the += sums them.
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            top, left = i * dil[0], j * dil[1]
            rows = slice(top, top + step[0] * (out[0] - 1) + 1, step[0])
            columns = slice(left, left + step[1] * (out[1] - 1) + 1, step[1])
            padded[:, :, rows, columns] += taps[:, :, i, j]
    return padded
