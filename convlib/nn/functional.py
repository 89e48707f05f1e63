"""Batched convolution and pooling, the way a CNN layer computes them, with their backward passes.

Shapes follow PyTorch: ``x`` is ``(N, C_in, H, W)``; a ``conv2d`` weight is ``(C_out, C_in, KH, KW)``
and a ``conv_transpose2d`` weight ``(C_in, C_out, KH, KW)``. ``kernel_size``, ``stride``,
``padding`` and ``dilation`` are an int or a (height, width) pair; padding is zeros. Values equal
``torch.nn.functional``'s functions of the same names: **cross-correlation** (no kernel flip),
output sizes rounded down (:func:`convlib.output_size`).

How they are computed:

* :func:`conv2d` = :func:`~convlib.matrices.im2col.im2col` + one matrix product
  ``(C_out, C_in*KH*KW) @ (N, C_in*KH*KW, OH*OW)``.
* :func:`conv2d_backward`: the weight gradient is the same product the other way round, and the
  input gradient is :func:`~convlib.matrices.im2col.col2im` (the adjoint of im2col) of ``W.T @ grad``.
* :func:`conv_transpose2d` *is* that input gradient: the adjoint (transpose) of :func:`conv2d`.
* Pooling reduces the windows of :func:`~convlib.matrices.im2col.sliding_windows`; the backward passes
  route the gradient back through :func:`~convlib.matrices.im2col.col2im`.

dtype policy (as everywhere in convlib): bool and integer inputs give float64; floating inputs
give the widest float type among them (``float32`` stays ``float32``).
"""

from __future__ import annotations

import numpy as np

from convlib.matrices.im2col import Pair, _geometry, _scatter, _windows, check_batch, col2im, im2col
from convlib.sizes import as_pair
from convlib.validation import as_numeric_array, result_dtype


def _check_weight(x: np.ndarray, weight: object, function: str, layout: str) -> np.ndarray:
    """``weight`` as a 4-D array whose input-channel axis matches ``x``'s channels."""
    weight = check_batch(weight, "weight", function, layout)
    in_axis = 1 if layout.startswith("(C_out") else 0
    if weight.shape[in_axis] != x.shape[1]:
        raise ValueError(
            f"{function}: x has {x.shape[1]} channels (shape {x.shape}) but weight {layout} expects "
            f"C_in = {weight.shape[in_axis]} (shape {weight.shape}); the channel counts must match"
        )
    return weight


def _check_bias(bias: object, channels: int, function: str) -> np.ndarray | None:
    if bias is None:
        return None
    bias = as_numeric_array(bias, "bias", function)
    if bias.shape != (channels,):
        raise ValueError(
            f"{function}: bias must be 1-D with one value per output channel, shape ({channels},); "
            f"got shape {bias.shape}"
        )
    return bias


def check_grad_out(grad_out: object, expected: tuple[int, ...], function: str) -> np.ndarray:
    """``grad_out`` as an array, if it has the forward output's shape ``expected``; else ``ValueError``."""
    grad_out = as_numeric_array(grad_out, "grad_out", function)
    if grad_out.shape != expected:
        raise ValueError(f"{function}: grad_out must have the forward output's shape {expected}; got {grad_out.shape}")
    return grad_out


def conv2d(
    x: object, weight: object, bias: object = None, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1
) -> np.ndarray:
    """A 2-D convolution layer (cross-correlation) over a batch: im2col, then one matrix product.

    ``out[n, o, y, x] = bias[o] + sum over c, i, j of
    weight[o, c, i, j] * x_padded[n, c, y*SH + i*DH, x*SW + j*DW]``.
    Equals ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
        A batch of images (a single image ``(C, H, W)`` is ``x[None]``).
    weight : array_like, shape (C_out, C_in, KH, KW)
        One ``C_in x KH x KW`` filter per output channel.
    bias : array_like, shape (C_out,), optional
        Added to every pixel of each output channel.
    stride, padding, dilation : int or (int, int)
        Step between windows (>= 1), zeros on each side (>= 0), spacing of the taps (>= 1).

    Returns
    -------
    numpy.ndarray, shape (N, C_out, OH, OW)
        ``OH = floor((H + 2*PH - DH*(KH - 1) - 1) / SH) + 1``, likewise ``OW``.

    Raises
    ------
    ValueError
        For ``x`` or ``weight`` not 4-D, a channel mismatch, a ``bias`` of the wrong length, a
        parameter out of range, or a kernel larger than the padded input.
    TypeError
        For non-numeric data or non-integer parameters.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> edge = np.array([[[[1.0, -1.0]]]])          # (C_out, C_in, KH, KW) = (1, 1, 1, 2)
    >>> conv2d(x, edge, stride=(2, 1))
    array([[[[-1., -1., -1.],
             [-1., -1., -1.]]]])
    """
    function = "conv2d"
    x = check_batch(x, "x", function)
    weight = _check_weight(x, weight, function, "(C_out, C_in, KH, KW)")
    c_out, _, kh, kw = weight.shape
    bias = _check_bias(bias, c_out, function)
    dtype = result_dtype(x, weight, *([] if bias is None else [bias]))
    *_, (oh, ow) = _geometry(x.shape, (kh, kw), stride, padding, dilation, function)
    cols = im2col(x.astype(dtype, copy=False), (kh, kw), stride, padding, dilation)  # (N, C_in*KH*KW, OH*OW)
    out = weight.reshape(c_out, -1).astype(dtype, copy=False) @ cols  # (N, C_out, OH*OW)
    out = out.reshape(x.shape[0], c_out, oh, ow)
    if bias is not None:
        out += bias.astype(dtype, copy=False)[:, None, None]
    return out


def conv2d_backward(
    grad_out: object, x: object, weight: object, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a loss through :func:`conv2d`, given the gradient at its output.

    With ``cols = im2col(x)`` and ``W = weight.reshape(C_out, -1)`` the forward pass is
    ``out = W @ cols + bias``, so

    * ``grad_weight = sum over n of grad_out[n] @ cols[n].T``,
    * ``grad_x = col2im(W.T @ grad_out)`` (col2im is im2col's adjoint),
    * ``grad_bias = grad_out`` summed over the batch and the pixels.

    Parameters
    ----------
    grad_out : array_like, shape (N, C_out, OH, OW)
        dLoss/dOut.
    x, weight, stride, padding, dilation
        As given to :func:`conv2d` (the bias plays no part in the gradients).

    Returns
    -------
    grad_x : numpy.ndarray, shape (N, C_in, H, W)
    grad_weight : numpy.ndarray, shape (C_out, C_in, KH, KW)
    grad_bias : numpy.ndarray, shape (C_out,)

    Examples
    --------
    >>> x = np.ones((1, 1, 3, 3)); weight = np.ones((1, 1, 2, 2))
    >>> grad_x, grad_weight, grad_bias = conv2d_backward(np.ones((1, 1, 2, 2)), x, weight)
    >>> grad_x[0, 0]       # how many windows read each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> grad_weight[0, 0], grad_bias
    (array([[4., 4.],
           [4., 4.]]), array([4.]))
    """
    function = "conv2d_backward"
    x = check_batch(x, "x", function)
    weight = _check_weight(x, weight, function, "(C_out, C_in, KH, KW)")
    c_out, _, kh, kw = weight.shape
    *_, (oh, ow) = _geometry(x.shape, (kh, kw), stride, padding, dilation, function)
    grad_out = check_grad_out(grad_out, (x.shape[0], c_out, oh, ow), function)
    dtype = result_dtype(grad_out, x, weight)
    grad = grad_out.astype(dtype, copy=False).reshape(x.shape[0], c_out, oh * ow)  # (N, C_out, L)
    cols = im2col(x.astype(dtype, copy=False), (kh, kw), stride, padding, dilation)  # (N, K, L)
    matrix = weight.reshape(c_out, -1).astype(dtype, copy=False)  # (C_out, K)
    grad_weight = np.tensordot(grad, cols, axes=([0, 2], [0, 2])).reshape(weight.shape)
    grad_x = col2im(matrix.T @ grad, x.shape, (kh, kw), stride, padding, dilation)
    grad_bias = grad.sum(axis=(0, 2))
    return grad_x, grad_weight, grad_bias


def conv_transpose2d(
    x: object,
    weight: object,
    bias: object = None,
    stride: Pair = 1,
    padding: Pair = 0,
    *,
    output_padding: Pair = 0,
    dilation: Pair = 1,
) -> np.ndarray:
    """Transposed convolution: the adjoint of :func:`conv2d`, computed with col2im.

    :func:`conv2d` with weight ``w`` maps ``(N, C_out, H_out, W_out)`` images to
    ``(N, C_in, H, W)``. Its transpose maps them back: every input pixel *scatters* a copy of
    its filter, scaled, into the (larger) output, and overlaps add up. Same as
    ``torch.nn.functional.conv_transpose2d`` (also called "deconvolution"; it is not an inverse).

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
    weight : array_like, shape (C_in, C_out, KH, KW)
        Note the order: input channels first, as in PyTorch.
    bias : array_like, shape (C_out,), optional
    stride, padding : int or (int, int)
        Those of the :func:`conv2d` this is the transpose of: ``padding`` *removes* rows and
        columns from each side of the output.
    output_padding : int or (int, int), keyword-only
        Extra rows/columns at the bottom/right (each < stride or < dilation). A strided conv2d
        maps several input sizes to the same output size; this picks the larger ones.
    dilation : int or (int, int), keyword-only

    Returns
    -------
    numpy.ndarray, shape (N, C_out, H_out, W_out)
        ``H_out = (H - 1)*SH - 2*PH + DH*(KH - 1) + OPH + 1``, likewise ``W_out``.

    Examples
    --------
    >>> x = np.array([[[[1.0, 2.0]]]])                 # (1, 1, 1, 2)
    >>> conv_transpose2d(x, np.ones((1, 1, 1, 3)), stride=2)   # each pixel paints 3 ones
    array([[[[1., 1., 3., 2., 2.]]]])
    """
    function = "conv_transpose2d"
    x = check_batch(x, "x", function)
    weight = _check_weight(x, weight, function, "(C_in, C_out, KH, KW)")
    c_in, c_out, kh, kw = weight.shape
    bias = _check_bias(bias, c_out, function)
    step = as_pair(stride, "stride", function)
    pad = as_pair(padding, "padding", function, minimum=0)
    dil = as_pair(dilation, "dilation", function)
    extra = as_pair(output_padding, "output_padding", function, minimum=0)
    out_size = []
    for axis, n, k, s, p, d, e in zip(("height", "width"), x.shape[2:], (kh, kw), step, pad, dil, extra):
        if e >= s and e >= d:
            raise ValueError(f"{function}: output_padding's {axis} {e} must be smaller than stride or dilation")
        size = (n - 1) * s - 2 * p + d * (k - 1) + e + 1
        if size < 1:
            raise ValueError(
                f"{function}: padding's {axis} {p} is too large: the output {axis} would be "
                f"({n} - 1)*{s} - 2*{p} + {d}*({k} - 1) + {e} + 1 = {size}"
            )
        out_size.append(size)
    dtype = result_dtype(x, weight, *([] if bias is None else [bias]))
    matrix = weight.reshape(c_in, c_out * kh * kw).astype(dtype, copy=False)  # conv2d's W, transposed
    cols = matrix.T @ x.astype(dtype, copy=False).reshape(x.shape[0], c_in, -1)  # (N, C_out*KH*KW, H*W)
    # col2im onto the padded output, then cut the padding off (output_padding rows stay).
    canvas = (out_size[0] + 2 * pad[0], out_size[1] + 2 * pad[1])
    out = _scatter(cols, canvas, (kh, kw), step, dil, x.shape[2:])
    out = out[:, :, pad[0] : pad[0] + out_size[0], pad[1] : pad[1] + out_size[1]]
    if bias is not None:
        out += bias.astype(dtype, copy=False)[:, None, None]
    return out


def _pool_geometry(x: np.ndarray, kernel_size: Pair, stride: Pair | None, function: str):
    """Checked geometry of a pooling window: no padding, no dilation, ``stride=None`` is ``kernel_size``."""
    return _geometry(x.shape, kernel_size, kernel_size if stride is None else stride, 0, 1, function)


def max_pool2d(x: object, kernel_size: Pair, stride: Pair | None = None) -> np.ndarray:
    """Max pooling: the largest value of each ``KH x KW`` window, per channel.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``kernel_size`` (windows side by side, no overlap).

    Returns
    -------
    numpy.ndarray, shape (N, C, OH, OW)
        ``OH = floor((H - KH) / SH) + 1``: a last partial window is dropped. NaN propagates.
        Equals ``torch.nn.functional.max_pool2d``.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> max_pool2d(x, 2)
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    """
    function = "max_pool2d"
    x = check_batch(x, "x", function)
    return _windows(x, *_pool_geometry(x, kernel_size, stride, function)[:4]).max(axis=(-2, -1))


def avg_pool2d(x: object, kernel_size: Pair, stride: Pair | None = None) -> np.ndarray:
    """Average pooling: the mean of each ``KH x KW`` window, per channel.

    Same parameters and output shape as :func:`max_pool2d`; equals
    ``torch.nn.functional.avg_pool2d``. It is a convolution with a box filter of weight
    ``1 / (KH*KW)`` applied to each channel on its own.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> avg_pool2d(x, 2)
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]])
    """
    function = "avg_pool2d"
    x = check_batch(x, "x", function)
    return _windows(x, *_pool_geometry(x, kernel_size, stride, function)[:4]).mean(axis=(-2, -1))


def max_pool2d_backward(grad_out: object, x: object, kernel_size: Pair, stride: Pair | None = None) -> np.ndarray:
    """Gradient of a loss through :func:`max_pool2d`: each window's gradient goes to its maximum.

    The other pixels of the window get nothing from it. Where windows overlap (stride smaller
    than the kernel) a pixel that is the maximum of several windows receives their sum.

    **Ties.** If a window's maximum occurs more than once, the whole gradient goes to the *first*
    one in row-major order within the window (``numpy.argmax``), which is also what PyTorch's CPU
    kernel picks; other implementations (GPU) may choose another. A window holding NaN routes its
    gradient to its first NaN (PyTorch's CPU kernel picks the last).

    Parameters
    ----------
    grad_out : array_like, shape (N, C, OH, OW)
    x, kernel_size, stride
        As given to :func:`max_pool2d`.

    Returns
    -------
    numpy.ndarray, shape (N, C, H, W)

    Examples
    --------
    >>> x = np.array([[[[1.0, 3.0], [2.0, 0.0]]]])
    >>> max_pool2d_backward(np.array([[[[10.0]]]]), x, 2)
    array([[[[ 0., 10.],
             [ 0.,  0.]]]])
    """
    function = "max_pool2d_backward"
    x = check_batch(x, "x", function)
    kernel, step, pad, dil, (oh, ow) = _pool_geometry(x, kernel_size, stride, function)
    n, c = x.shape[:2]
    grad_out = check_grad_out(grad_out, (n, c, oh, ow), function)
    dtype = result_dtype(grad_out, x)
    windows = _windows(x, kernel, step, pad, dil).reshape(n, c, oh, ow, -1)  # (N, C, OH, OW, KH*KW)
    winner = windows.argmax(axis=-1)  # first maximum in row-major order
    routed = (np.arange(windows.shape[-1]) == winner[..., None]) * grad_out.astype(dtype)[..., None]
    # To im2col's layout (N, C*KH*KW, OH*OW), then back onto the pixels, summing overlaps.
    cols = routed.transpose(0, 1, 4, 2, 3).reshape(n, -1, oh * ow)
    return col2im(cols, x.shape, kernel, step)


def avg_pool2d_backward(grad_out: object, x: object, kernel_size: Pair, stride: Pair | None = None) -> np.ndarray:
    """Gradient of a loss through :func:`avg_pool2d`: each window shares its gradient equally.

    Every pixel of a window receives ``grad / (KH*KW)`` from it, summed over the windows that
    cover it. Only ``x``'s shape (and dtype) matter.

    Parameters
    ----------
    grad_out : array_like, shape (N, C, OH, OW)
    x, kernel_size, stride
        As given to :func:`avg_pool2d`.

    Returns
    -------
    numpy.ndarray, shape (N, C, H, W)

    Examples
    --------
    >>> avg_pool2d_backward(np.array([[[[4.0]]]]), np.zeros((1, 1, 2, 3)), 2)
    array([[[[1., 1., 0.],
             [1., 1., 0.]]]])
    """
    function = "avg_pool2d_backward"
    x = check_batch(x, "x", function)
    kernel, step, _, _, (oh, ow) = _pool_geometry(x, kernel_size, stride, function)
    n, c = x.shape[:2]
    grad_out = check_grad_out(grad_out, (n, c, oh, ow), function)
    dtype = result_dtype(grad_out, x)
    share = grad_out.astype(dtype, copy=False).reshape(n, c, 1, oh * ow) / (kernel[0] * kernel[1])
    cols = np.broadcast_to(share, (n, c, kernel[0] * kernel[1], oh * ow)).reshape(n, -1, oh * ow)
    return col2im(cols, x.shape, kernel, step)
