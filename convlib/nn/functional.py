"""Batched convolution and pooling, the way a CNN layer computes them, with their backward passes.

Shapes follow PyTorch: ``x`` is ``(N, C_in, H, W)``; a ``conv2d`` weight is ``(C_out, C_in/groups, KH, KW)``
and a ``conv_transpose2d`` weight ``(C_in, C_out/groups, KH, KW)``. ``kernel_size``, ``stride``,
``padding`` and ``dilation`` are an int or a (height, width) pair; padding is zeros (``conv2d`` also takes
``padding="same"``/``"valid"`` and torch.nn.Conv2d's ``padding_mode``). Values equal
``torch.nn.functional``'s functions of the same names: **cross-correlation** (no kernel flip),
output sizes rounded down (:func:`convlib.output_size`).

How they are computed:

* :func:`conv2d` = :func:`~convlib.matrices.im2col.im2col` + one matrix product
  ``(C_out, C_in*KH*KW) @ (N, C_in*KH*KW, OH*OW)``.
* :func:`conv2d_backward`: the weight gradient is the same product the other way round, and the
  input gradient is :func:`~convlib.matrices.im2col.col2im` (the adjoint of im2col) of ``W.T @ grad``.
* :func:`conv_transpose2d` *is* that input gradient: the adjoint (transpose) of :func:`conv2d`.
  Its backward pass :func:`conv_transpose2d_backward` is therefore :func:`conv2d` (input gradient) and
  conv2d_backward's weight product with input and output swapped (weight gradient).
* Pooling reduces the windows of :func:`~convlib.matrices.im2col.sliding_windows` (max pooling pads with
  ``-inf``); average pooling's backward pass routes the gradient back through
  :func:`~convlib.matrices.im2col.col2im`, max pooling's sends each window's gradient to its maximum's index.

dtype policy (as everywhere in convlib): bool and integer inputs give float64; floating inputs
give the widest float type among them (``float32`` stays ``float32``).
"""

from __future__ import annotations

import numpy as np

from convlib.matrices.im2col import Pair, _check_size, _scatter, _windows, check_batch
from convlib.padding import pad, translate_mode
from convlib.sizes import as_pair, axis_output_size
from convlib.validation import (
    accumulation_dtype,
    as_numeric_array,
    check_allocation,
    check_bool,
    check_positive_int,
    errors_named,
    result_dtype,
)


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


TORCH_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _check_conv_input(x: object, function: str) -> np.ndarray:
    """``x`` as a 4-D numeric array; an empty batch (N = 0) is allowed, as in PyTorch, other empty axes are not."""
    array = as_numeric_array(x, "x", function)
    if array.ndim == 4 and array.shape[0] == 0 and 0 not in array.shape[1:]:
        return array
    return check_batch(array, "x", function)


def _check_padding_mode(padding_mode: object, function: str) -> str:
    """convlib's :func:`~convlib.padding.pad` name for a ``torch.nn.Conv2d`` ``padding_mode``; else ``ValueError``."""
    if isinstance(padding_mode, str) and padding_mode in TORCH_PADDING_MODES:
        return translate_mode(padding_mode, source="torch.Conv2d", target="convlib")
    listed = ", ".join(map(repr, TORCH_PADDING_MODES))
    message = f"{function}: padding_mode must be one of {listed} (torch.nn.Conv2d's names); got {padding_mode!r}"
    if isinstance(padding_mode, str):
        for source in ("numpy", "torch", "scipy.ndimage", "opencv"):
            try:
                torch_name = translate_mode(padding_mode, source=source, target="torch.Conv2d")
            except ValueError:
                continue
            if torch_name is None:
                message += f", which is {source}'s name for a border rule torch.nn.Conv2d does not have"
            else:
                message += f", which is {source}'s name for padding_mode={torch_name!r}"
            break
    raise ValueError(message)


def _is_one(groups: object) -> bool:
    """Whether ``groups`` is the integer 1 (any other value, checked later, may be anything)."""
    number = groups[()] if isinstance(groups, np.ndarray) and groups.ndim == 0 else groups
    return isinstance(number, (int, np.integer)) and not isinstance(number, (bool, np.bool_)) and number == 1


def _weight_layout(groups: object) -> str:
    """How an error message spells a conv2d weight's axes."""
    return "(C_out, C_in, KH, KW)" if _is_one(groups) else "(C_out, C_in/groups, KH, KW)"


def _conv_geometry(
    x_shape: tuple[int, ...],
    weight: np.ndarray,
    stride: Pair,
    padding: Pair | str,
    dilation: Pair,
    groups: int,
    function: str,
) -> tuple[tuple[int, int], tuple[int, int], tuple[tuple[int, int], tuple[int, int]], tuple[int, int], int]:
    """Checked ``(stride, dilation, ((top, bottom), (left, right)), (OH, OW), groups)`` of a grouped convolution.

    ``padding="valid"`` is no padding; ``padding="same"`` (stride 1 only) pads ``D*(K - 1)`` in total per axis,
    ``total // 2`` before and the rest after, as PyTorch. ``weight`` must be ``(C_out, C_in/groups, KH, KW)``.
    """
    groups = check_positive_int(groups, "groups", function)
    c_in = x_shape[1]
    c_out, c_group, kh, kw = weight.shape
    if c_in % groups or c_out % groups:
        raise ValueError(
            f"{function}: groups={groups} must divide both the input channels C_in = {c_in} and the output "
            f"channels C_out = {c_out} (weight shape {weight.shape})"
        )
    if c_group * groups != c_in and groups == 1:
        raise ValueError(
            f"{function}: x has {c_in} channels (shape {tuple(x_shape)}) but weight (C_out, C_in, KH, KW) expects "
            f"C_in = {c_group} (shape {weight.shape}); the channel counts must match"
        )
    if c_group * groups != c_in:
        raise ValueError(
            f"{function}: x has {c_in} channels (shape {tuple(x_shape)}) and groups={groups}, so weight "
            f"(C_out, C_in/groups, KH, KW) must have C_in/groups = {c_in // groups} on axis 1; got "
            f"{c_group} (shape {weight.shape}); the channel counts must match"
        )
    step = as_pair(stride, "stride", function)
    dil = as_pair(dilation, "dilation", function)
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            raise ValueError(
                f"{function}: padding must be 'valid', 'same', an int or a pair of ints; got {padding!r}"
            )
        if padding == "same" and step != (1, 1):
            raise ValueError(
                f"{function}: padding='same' is not supported for strided convolutions (as in PyTorch); "
                f"got stride={stride!r}"
            )
        if padding == "valid":
            pads = ((0, 0), (0, 0))
        else:
            totals = (dil[0] * (kh - 1), dil[1] * (kw - 1))
            pads = tuple((total // 2, total - total // 2) for total in totals)
    else:
        pad = as_pair(padding, "padding", function, minimum=0)
        pads = ((pad[0], pad[0]), (pad[1], pad[1]))
    out = []
    for axis, n, k, s, (before, after), d in zip(("height", "width"), x_shape[2:], (kh, kw), step, pads, dil):
        if before == after:
            out.append(axis_output_size(n, k, s, before, d, function, axis))
        else:  # only 'same' pads unevenly; its output always has the input's size
            out.append(n)
    return step, dil, pads, tuple(out), groups


def _pad_input(x: np.ndarray, pads: tuple[tuple[int, int], ...], mode: str, function: str) -> np.ndarray:
    """``x`` padded on its last two axes with convlib's border ``mode``, refusing what PyTorch refuses."""
    if pads == ((0, 0), (0, 0)):
        return x
    for axis, n, (before, after) in zip(("height", "width"), x.shape[2:], pads):
        largest = max(before, after)
        if (mode == "reflect" and largest >= n) or (mode == "wrap" and largest > n):
            limit = "smaller than" if mode == "reflect" else "at most"
            raise ValueError(
                f"{function}: padding_mode={translate_mode(mode, 'convlib', 'torch.Conv2d')!r} needs the padding "
                f"({largest}) to be {limit} the input's {axis} {n}, as in PyTorch"
            )
    if x.shape[0] == 0:
        return np.zeros((*x.shape[:2], x.shape[2] + sum(pads[0]), x.shape[3] + sum(pads[1])), dtype=x.dtype)
    with errors_named(function):  # pad's refusal of a huge padding: "conv2d: pad: padding an array ..."
        return pad(x, ((0, 0), (0, 0), *pads), mode=mode)


def _unpad_gradient(
    grad: np.ndarray, shape: tuple[int, ...], pads: tuple[tuple[int, int], ...], mode: str
) -> np.ndarray:
    """The adjoint of :func:`_pad_input`: sum each padded pixel's gradient back onto the pixel it copies."""
    (top, bottom), (left, right) = pads
    height, width = shape[2:]
    if mode == "constant":
        return grad[:, :, top : top + height, left : left + width]
    out = grad
    for axis, n, widths in ((2, height, (top, bottom)), (3, width, (left, right))):
        source = np.pad(np.arange(n), widths, mode=mode)  # padded position -> input position
        summed = np.zeros((*out.shape[:axis], n, *out.shape[axis + 1 :]), dtype=out.dtype)
        index = (slice(None),) * axis + (source,)
        np.add.at(summed, index, out)
        out = summed
    return out


def _grouped_columns(x: np.ndarray, kernel: tuple[int, int], step, dil, groups: int, function: str) -> np.ndarray:
    """im2col of an already padded ``x`` split by group: shape ``(N, G, C_in/G*KH*KW, OH*OW)``."""
    windows = _windows(x, kernel, step, (0, 0), dil, function=function)  # (N, C, OH, OW, KH, KW)
    n, c, oh, ow, kh, kw = windows.shape
    return windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, groups, c // groups * kh * kw, oh * ow)


def conv2d(
    x: object,
    weight: object,
    bias: object = None,
    stride: Pair = 1,
    padding: Pair | str = 0,
    dilation: Pair = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """A 2-D convolution layer (cross-correlation) over a batch: im2col, then one matrix product per group.

    ``out[n, o, y, x] = bias[o] + sum over c, i, j of
    weight[o, c, i, j] * x_padded[n, g*C_in/G + c, y*SH + i*DH, x*SW + j*DW]`` with ``g = o // (C_out/G)``
    the group of output channel ``o``. Equals ``torch.nn.functional.conv2d`` (and, with ``padding_mode``,
    ``torch.nn.Conv2d``).

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
        A batch of images (a single image ``(C, H, W)`` is ``x[None]``). ``N`` may be 0.
    weight : array_like, shape (C_out, C_in/groups, KH, KW)
        One ``C_in/groups x KH x KW`` filter per output channel.
    bias : array_like, shape (C_out,), optional
        Added to every pixel of each output channel.
    stride, dilation : int or (int, int)
        Step between windows (>= 1), spacing of the taps (>= 1).
    padding : int, (int, int), "valid" or "same"
        Pixels added on each side (>= 0). ``"valid"`` is 0; ``"same"`` (stride 1 only) keeps the input's
        size, padding ``D*(K - 1)`` in total per axis, ``total // 2`` before and the rest after (PyTorch's rule:
        an even kernel gets the extra pixel *after*).
    groups : int
        Split the channels into ``groups`` independent convolutions; ``C_in`` and ``C_out`` must be divisible by
        it. ``groups == C_in`` is a depthwise convolution.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        ``torch.nn.Conv2d``'s names for the border (numpy's ``constant``, ``reflect``, ``edge``, ``wrap``).

    Returns
    -------
    numpy.ndarray, shape (N, C_out, OH, OW)
        ``OH = floor((H + 2*PH - DH*(KH - 1) - 1) / SH) + 1``, likewise ``OW`` (``H`` for ``"same"``).

    Raises
    ------
    ValueError
        For ``x`` or ``weight`` not 4-D, a channel or groups mismatch, a ``bias`` of the wrong length, a
        parameter out of range, ``padding="same"`` with a stride, an unknown ``padding``/``padding_mode``, or a
        kernel larger than the padded input.
    TypeError
        For non-numeric data or non-integer parameters.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> edge = np.array([[[[1.0, -1.0]]]])          # (C_out, C_in, KH, KW) = (1, 1, 1, 2)
    >>> conv2d(x, edge, stride=(2, 1))
    array([[[[-1., -1., -1.],
             [-1., -1., -1.]]]])
    >>> conv2d(x, np.ones((1, 1, 2, 2)), padding="same")[0, 0]   # the extra row and column go after
    array([[10., 14., 18., 10.],
           [26., 30., 34., 18.],
           [42., 46., 50., 26.],
           [25., 27., 29., 15.]])
    >>> conv2d(np.ones((1, 2, 3, 3)), np.ones((2, 1, 3, 3)), groups=2).shape   # depthwise
    (1, 2, 1, 1)
    """
    function = "conv2d"
    x = _check_conv_input(x, function)
    weight = check_batch(weight, "weight", function, _weight_layout(groups))
    mode = _check_padding_mode(padding_mode, function)
    step, dil, pads, (oh, ow), groups = _conv_geometry(x.shape, weight, stride, padding, dilation, groups, function)
    c_out, _, kh, kw = weight.shape
    bias = _check_bias(bias, c_out, function)
    dtype = result_dtype(x, weight, *([] if bias is None else [bias]))
    padded = _pad_input(x.astype(dtype, copy=False), pads, mode, function)  # refuses a padding too large first
    check_allocation(
        (x.shape[0], c_out, oh, ow),
        dtype,
        function,
        lambda: (
            f"weight's C_out = {c_out} output channels (weight shape {weight.shape}) over {oh} x {ow} output "
            f"pixels (x shape {x.shape}, stride {step}, padding {pads})"
        ),
    )
    cols = _grouped_columns(padded, (kh, kw), step, dil, groups, "conv2d")  # (N, G, C_in/G*KH*KW, L)
    matrix = weight.reshape(groups, c_out // groups, -1).astype(dtype, copy=False)  # (G, C_out/G, C_in/G*KH*KW)
    with np.errstate(over="ignore", invalid="ignore"):  # inf where a sum overflows, as convolve2d gives
        out = (matrix @ cols).reshape(x.shape[0], c_out, oh, ow)  # (N, G, C_out/G, L) -> (N, C_out, OH, OW)
    if bias is not None:
        out += bias.astype(dtype, copy=False)[:, None, None]
    return out


def conv2d_backward(
    grad_out: object,
    x: object,
    weight: object,
    stride: Pair = 1,
    padding: Pair | str = 0,
    dilation: Pair = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a loss through :func:`conv2d`, given the gradient at its output.

    With ``cols = im2col(x_padded)`` split into groups and ``W[g]`` group ``g``'s filters as a matrix, the
    forward pass is ``out[g] = W[g] @ cols[g] + bias``, so

    * ``grad_weight[g] = sum over n of grad_out[n, g] @ cols[n, g].T``,
    * ``grad_x = unpad(col2im(W[g].T @ grad_out[g]))`` (col2im is im2col's adjoint; ``unpad`` is the padding's
      adjoint: it crops zeros, and sums copied border pixels back onto their sources for the other modes),
    * ``grad_bias = grad_out`` summed over the batch and the pixels.

    Parameters
    ----------
    grad_out : array_like, shape (N, C_out, OH, OW)
        dLoss/dOut.
    x, weight, stride, padding, dilation, groups, padding_mode
        As given to :func:`conv2d` (the bias plays no part in the gradients).

    Returns
    -------
    grad_x : numpy.ndarray, shape (N, C_in, H, W)
    grad_weight : numpy.ndarray, shape (C_out, C_in/groups, KH, KW)
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
    x = _check_conv_input(x, function)
    weight = check_batch(weight, "weight", function, _weight_layout(groups))
    mode = _check_padding_mode(padding_mode, function)
    step, dil, pads, (oh, ow), groups = _conv_geometry(x.shape, weight, stride, padding, dilation, groups, function)
    c_out, _, kh, kw = weight.shape
    padded = _pad_input(x, pads, mode, function)  # before grad_out's check: a bad padding is the first error
    grad_out = check_grad_out(grad_out, (x.shape[0], c_out, oh, ow), function)
    dtype = result_dtype(grad_out, x, weight)
    n = x.shape[0]
    grad = grad_out.astype(dtype, copy=False).reshape(n, groups, c_out // groups, oh * ow)  # (N, G, C_out/G, L)
    padded = padded.astype(dtype, copy=False)
    cols = _grouped_columns(padded, (kh, kw), step, dil, groups, "conv2d_backward")  # (N, G, K, L)
    matrix = weight.reshape(groups, c_out // groups, -1).astype(dtype, copy=False)  # (G, C_out/G, K)
    with np.errstate(over="ignore", invalid="ignore"):
        grad_weight = np.einsum("ngol,ngkl->gok", grad, cols).reshape(weight.shape)
        grad_cols = (matrix.transpose(0, 2, 1) @ grad).reshape(n, x.shape[1] * kh * kw, oh * ow)  # (N, C_in*KH*KW, L)
    grad_padded = _scatter(grad_cols, padded.shape[2:], (kh, kw), step, dil, (oh, ow), function="conv2d_backward")
    grad_x = _unpad_gradient(grad_padded, x.shape, pads, mode)
    grad_bias = grad.sum(axis=(0, 3)).reshape(c_out)
    return grad_x, grad_weight, grad_bias


def _transpose_weight_layout(groups: object) -> str:
    """How an error message spells a conv_transpose2d weight's axes."""
    return "(C_in, C_out, KH, KW)" if _is_one(groups) else "(C_in, C_out/groups, KH, KW)"


def _output_size_pair(output_size: object, function: str) -> tuple[int, int]:
    """``output_size``'s ``(H_out, W_out)``: a pair, or ``(N, C_out, H_out, W_out)`` whose first two are ignored."""
    if isinstance(output_size, (str, bytes)) or not isinstance(output_size, (tuple, list, np.ndarray)):
        raise TypeError(
            f"{function}: output_size must be a pair (H_out, W_out) or (N, C_out, H_out, W_out) of ints, as "
            f"torch.nn.ConvTranspose2d's forward takes; got {output_size!r}"
        )
    if isinstance(output_size, np.ndarray) and output_size.ndim != 1:
        raise ValueError(
            f"{function}: output_size must be a pair (H_out, W_out) or (N, C_out, H_out, W_out) of ints; got an "
            f"array of shape {output_size.shape}"
        )
    sizes = list(output_size)
    if len(sizes) not in (2, 4):
        raise ValueError(
            f"{function}: for 4-D input, output_size must have 2 or 4 elements (H_out, W_out) or "
            f"(N, C_out, H_out, W_out); got {len(sizes)}: {output_size!r}"
        )
    first = len(sizes) - 2
    for k in range(first):  # N and C_out: ignored, as in PyTorch, but they must be whole numbers
        check_positive_int(sizes[k], f"output_size[{k}]", function, minimum=0)
    return tuple(check_positive_int(sizes[first + k], f"output_size[{first + k}]", function) for k in range(2))


def _transpose_geometry(
    x_shape: tuple[int, ...],
    weight: np.ndarray,
    stride: Pair,
    padding: Pair,
    output_padding: Pair,
    groups: int,
    dilation: Pair,
    output_size: object,
    function: str,
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int], int, int]:
    """Checked ``(stride, padding, dilation, (OH, OW), groups, C_out)`` of a grouped transposed convolution.

    ``weight`` is ``(C_in, C_out/groups, KH, KW)``. ``OH = (H - 1)*SH - 2*PH + DH*(KH - 1) + OPH + 1``, with
    ``OPH`` the ``output_padding`` (smaller than the stride or the dilation), or, given ``output_size``,
    the one that gives it: PyTorch's ``ConvTranspose2d`` accepts sizes from ``OPH = 0`` to ``OPH = SH - 1``.
    """
    groups = check_positive_int(groups, "groups", function)
    c_in, c_group, kh, kw = weight.shape
    if c_in != x_shape[1]:
        raise ValueError(
            f"{function}: x has {x_shape[1]} channels (shape {tuple(x_shape)}) but weight "
            f"{_transpose_weight_layout(groups)} expects C_in = {c_in} (shape {weight.shape}); "
            "the channel counts must match"
        )
    if c_in % groups:
        raise ValueError(
            f"{function}: groups={groups} must divide the input channels C_in = {c_in} "
            f"(x shape {tuple(x_shape)}, weight shape {weight.shape})"
        )
    step = as_pair(stride, "stride", function)
    pad = as_pair(padding, "padding", function, minimum=0)
    dil = as_pair(dilation, "dilation", function)
    extra = as_pair(output_padding, "output_padding", function, minimum=0)
    smallest = [(n - 1) * s - 2 * p + d * (k - 1) + 1 for n, k, s, p, d in zip(x_shape[2:], (kh, kw), step, pad, dil)]
    if output_size is not None:
        wanted = _output_size_pair(output_size, function)
        largest = [size + s - 1 for size, s in zip(smallest, step)]
        if any(not low <= size <= high for size, low, high in zip(wanted, smallest, largest)):
            raise ValueError(
                f"{function}: requested an output_size of {list(wanted)}, but valid sizes range from {smallest} "
                f"to {largest} (for an input of {list(x_shape[2:])}, stride={step}, padding={pad}, "
                f"dilation={dil} and kernel {(kh, kw)}; PyTorch's range: output_padding from 0 to stride - 1)"
            )
        implied = tuple(size - low for size, low in zip(wanted, smallest))
        if extra != (0, 0) and extra != implied:
            raise ValueError(
                f"{function}: output_padding={output_padding!r} contradicts output_size={output_size!r}, which "
                f"needs output_padding={implied}; pass only one of them"
            )
        extra = implied
    out = []
    for axis, n, k, s, p, d, e, low in zip(("height", "width"), x_shape[2:], (kh, kw), step, pad, dil, extra, smallest):
        if e >= s and e >= d:
            raise ValueError(
                f"{function}: output_padding's {axis} {e} must be smaller than either the stride's {axis} {s} or "
                f"the dilation's {axis} {d} (PyTorch's rule)"
            )
        size = low + e
        if size < 1:
            raise ValueError(
                f"{function}: padding's {axis} {p} is too large: the output {axis} would be "
                f"({n} - 1)*{s} - 2*{p} + {d}*({k} - 1) + {e} + 1 = {size}"
            )
        out.append(size)
    return step, pad, dil, tuple(out), groups, c_group * groups


def conv_transpose2d(
    x: object,
    weight: object,
    bias: object = None,
    stride: Pair = 1,
    padding: Pair = 0,
    output_padding: Pair = 0,
    groups: int = 1,
    dilation: Pair = 1,
    output_size: tuple[int, ...] | None = None,
) -> np.ndarray:
    """Transposed convolution: the adjoint of :func:`conv2d`, computed with col2im.

    :func:`conv2d` with weight ``w`` (and the same stride, padding, dilation and groups) maps
    ``(N, C_out, H_out, W_out)`` images to ``(N, C_in, H, W)``. Its transpose maps them back: every input
    pixel *scatters* a copy of its filter, scaled, into the (larger) output, and overlaps add up::

        out[n, g*C_out/G + o, y*SH + i*DH - PH, x*SW + j*DW - PW] += x[n, c, y, x] * weight[c, o, i, j]

    for every input channel ``c`` of group ``g = c // (C_in/G)``, then ``bias`` is added. Equals
    ``torch.nn.functional.conv_transpose2d`` (also called "deconvolution"; it is not an inverse), and with
    ``output_size`` ``torch.nn.ConvTranspose2d``'s ``forward(x, output_size)``.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
        ``N`` may be 0 (an empty result).
    weight : array_like, shape (C_in, C_out/groups, KH, KW)
        Note the order: input channels first, as in PyTorch.
    bias : array_like, shape (C_out,), optional
    stride, padding : int or (int, int)
        Those of the :func:`conv2d` this is the transpose of: ``padding`` (>= 0) *removes* rows and
        columns from each side of the output.
    output_padding : int or (int, int)
        Extra rows/columns at the bottom/right, each smaller than the stride or the dilation on its axis
        (PyTorch's rule). A strided conv2d maps several input sizes to the same output size; this picks the
        larger ones.
    groups : int
        Split the channels into ``groups`` independent transposed convolutions; ``C_in`` must be divisible
        by it, and ``C_out = weight.shape[1] * groups``. ``groups == C_in`` is depthwise.
    dilation : int or (int, int)
        Spacing of the taps (>= 1).
    output_size : (H_out, W_out) or (N, C_out, H_out, W_out), optional
        The output size wanted, as ``torch.nn.ConvTranspose2d``'s ``forward`` takes it (the first two of four
        are ignored, as there): picks the ``output_padding`` that gives it, which must lie in PyTorch's range
        ``0 .. stride - 1``. A non-zero ``output_padding`` passed with it must agree.

    Returns
    -------
    numpy.ndarray, shape (N, C_out, H_out, W_out)
        ``H_out = (H - 1)*SH - 2*PH + DH*(KH - 1) + OPH + 1``, likewise ``W_out``.

    Raises
    ------
    ValueError
        For ``x`` or ``weight`` not 4-D, a channel or groups mismatch, a ``bias`` of the wrong length, a
        parameter out of range, an ``output_padding`` not smaller than the stride or the dilation, an
        ``output_size`` out of range, or a ``padding`` that leaves no output.
    TypeError
        For non-numeric data or non-integer parameters.

    Examples
    --------
    >>> x = np.array([[[[1.0, 2.0]]]])                 # (1, 1, 1, 2)
    >>> conv_transpose2d(x, np.ones((1, 1, 1, 3)), stride=2)   # each pixel paints 3 ones
    array([[[[1., 1., 3., 2., 2.]]]])
    >>> conv_transpose2d(x, np.ones((1, 1, 1, 3)), None, 2, 0, (0, 1))   # output_padding adds a column
    array([[[[1., 1., 3., 2., 2., 0.]]]])
    >>> conv_transpose2d(x, np.ones((1, 1, 1, 3)), stride=2, output_size=(1, 6)).shape
    (1, 1, 1, 6)
    >>> conv_transpose2d(np.ones((1, 2, 1, 1)), np.array([[[[1.0]]], [[[2.0]]]]), groups=2)[:, :, 0, 0]  # depthwise
    array([[1., 2.]])
    """
    function = "conv_transpose2d"
    x = _check_conv_input(x, function)
    weight = check_batch(weight, "weight", function, _transpose_weight_layout(groups))
    step, pad, dil, (oh, ow), groups, c_out = _transpose_geometry(
        x.shape, weight, stride, padding, output_padding, groups, dilation, output_size, function
    )
    c_in, c_group, kh, kw = weight.shape
    bias = _check_bias(bias, c_out, function)
    dtype = result_dtype(x, weight, *([] if bias is None else [bias]))
    n, _, height, width = x.shape
    check_allocation(
        (n, c_out * kh * kw, height * width),
        dtype,
        function,
        lambda: (
            f"weight of shape {weight.shape} (C_out*KH*KW = {c_out * kh * kw} rows) over x's {height} x {width} "
            "pixels (the columns W.T @ x)"
        ),
    )
    canvas = (oh + 2 * pad[0], ow + 2 * pad[1])
    check_allocation(
        (n, c_out, *canvas),
        dtype,
        function,
        lambda: f"stride {step}, dilation {dil} and weight of shape {weight.shape} (an output of {oh} x {ow})",
    )
    matrix = weight.reshape(groups, c_in // groups, c_group * kh * kw).astype(dtype, copy=False)  # conv2d's W
    images = x.astype(dtype, copy=False).reshape(n, groups, c_in // groups, height * width)
    with np.errstate(over="ignore", invalid="ignore"):  # inf where a sum overflows, as convolve2d gives
        cols = (matrix.transpose(0, 2, 1) @ images).reshape(n, c_out * kh * kw, height * width)
    # col2im onto the padded output, then cut the padding off (output_padding rows stay).
    out = _scatter(cols, canvas, (kh, kw), step, dil, (height, width), function="conv_transpose2d")
    out = out[:, :, pad[0] : pad[0] + oh, pad[1] : pad[1] + ow]
    if bias is not None:
        out += bias.astype(dtype, copy=False)[:, None, None]
    return out


def conv_transpose2d_backward(
    grad_out: object,
    x: object,
    weight: object,
    stride: Pair = 1,
    padding: Pair = 0,
    output_padding: Pair = 0,
    groups: int = 1,
    dilation: Pair = 1,
    output_size: tuple[int, ...] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a loss through :func:`conv_transpose2d`, given the gradient at its output.

    :func:`conv_transpose2d` is ``cols[g] = W[g].T @ x[g]`` (``W[g]`` group ``g``'s weight as a
    ``(C_in/G, C_out/G*KH*KW)`` matrix) followed by col2im and a crop. The adjoint of col2im-and-crop is
    pad-and-im2col, so with ``grad_cols = im2col(grad_out padded by the padding)``:

    * ``grad_x[g] = W[g] @ grad_cols[g]``: :func:`conv2d` of ``grad_out`` with the same weight, stride,
      padding, dilation and groups (cut to ``x``'s size when ``output_padding`` reaches a further window);
    * ``grad_weight[g] = sum over n of x[n, g] @ grad_cols[n, g].T``: :func:`conv2d_backward`'s weight
      gradient with the roles of input and output swapped;
    * ``grad_bias = grad_out`` summed over the batch and the pixels.

    Equals ``torch.autograd`` through ``torch.nn.functional.conv_transpose2d``.

    Parameters
    ----------
    grad_out : array_like, shape (N, C_out, H_out, W_out)
        dLoss/dOut: the forward output's shape.
    x, weight, stride, padding, output_padding, groups, dilation, output_size
        As given to :func:`conv_transpose2d` (the bias plays no part in the gradients).

    Returns
    -------
    grad_x : numpy.ndarray, shape (N, C_in, H, W)
    grad_weight : numpy.ndarray, shape (C_in, C_out/groups, KH, KW)
    grad_bias : numpy.ndarray, shape (C_out,)

    Raises
    ------
    ValueError, TypeError
        As :func:`conv_transpose2d`, and ``ValueError`` for a ``grad_out`` not of the output's shape.

    Examples
    --------
    >>> x = np.array([[[[1.0, 2.0]]]]); weight = np.ones((1, 1, 1, 3))
    >>> grad_x, grad_weight, grad_bias = conv_transpose2d_backward(np.ones((1, 1, 1, 5)), x, weight, stride=2)
    >>> grad_x                       # each pixel painted 3 output pixels
    array([[[[3., 3.]]]])
    >>> grad_weight, grad_bias       # each tap was painted by both pixels; 5 output pixels
    (array([[[[3., 3., 3.]]]]), array([5.]))
    """
    function = "conv_transpose2d_backward"
    x = _check_conv_input(x, function)
    weight = check_batch(weight, "weight", function, _transpose_weight_layout(groups))
    step, pad, dil, (oh, ow), groups, c_out = _transpose_geometry(
        x.shape, weight, stride, padding, output_padding, groups, dilation, output_size, function
    )
    n, c_in, height, width = x.shape
    _, c_group, kh, kw = weight.shape
    grad_out = check_grad_out(grad_out, (n, c_out, oh, ow), function)
    dtype = result_dtype(grad_out, x, weight)
    # grad_out padded as the forward's canvas, less output_padding's rows/columns no window reaches
    canvas = ((height - 1) * step[0] + dil[0] * (kh - 1) + 1, (width - 1) * step[1] + dil[1] * (kw - 1) + 1)
    widths = ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1]))
    padded = np.pad(grad_out.astype(dtype, copy=False), widths)[:, :, : canvas[0], : canvas[1]]
    # (N, G, C_out/G*KH*KW, H*W)
    grad_cols = _grouped_columns(padded, (kh, kw), step, dil, groups, "conv_transpose2d_backward")
    matrix = weight.reshape(groups, c_in // groups, c_group * kh * kw).astype(dtype, copy=False)
    images = x.astype(dtype, copy=False).reshape(n, groups, c_in // groups, height * width)
    with np.errstate(over="ignore", invalid="ignore"):  # inf where a sum overflows, as convolve2d gives
        grad_x = (matrix @ grad_cols).reshape(x.shape)  # (N, G, C_in/G, H*W) -> (N, C_in, H, W)
        grad_weight = np.einsum("ngcl,ngkl->gck", images, grad_cols).reshape(weight.shape)
    grad_bias = grad_out.astype(dtype, copy=False).sum(axis=(0, 2, 3))
    return grad_x, grad_weight, grad_bias


def _check_pool_input(x: object, function: str) -> np.ndarray:
    """``x`` as a 4-D numeric array; unlike convolution, an empty batch (N = 0) is allowed, as in PyTorch."""
    array = as_numeric_array(x, "x", function)
    if array.ndim == 4 and array.shape[0] == 0 and 0 not in array.shape[1:]:
        return array
    return check_batch(array, "x", function)


def _pool_geometry(
    shape: tuple[int, ...],
    kernel_size: Pair,
    stride: Pair | None,
    padding: Pair,
    dilation: Pair,
    ceil_mode: bool,
    function: str,
) -> tuple[tuple[int, int], ...]:
    """Checked ``(kernel, stride, padding, dilation, output, extra)`` pairs of a pooling window, PyTorch's rules.

    ``stride=None`` is ``kernel_size``; ``padding`` may be at most ``kernel_size // 2`` per axis. The output
    size is ``floor((n + 2*P - D*(K - 1) - 1) / S) + 1``, or with ``ceil_mode`` the same with ``ceil``, minus
    one if that last window would start past the input (``(out - 1)*S >= n + P``). ``extra`` is how far the
    last window sticks out past the padded input (only with ``ceil_mode``).
    """
    kernel = as_pair(kernel_size, "kernel_size", function)
    step = kernel if stride is None else as_pair(stride, "stride", function)
    pad = as_pair(padding, "padding", function, minimum=0)
    dil = as_pair(dilation, "dilation", function)
    ceil_mode = check_bool(ceil_mode, "ceil_mode", function)
    out, extra = [], []
    for axis, n, k, s, p, d in zip(("height", "width"), shape[2:], kernel, step, pad, dil):
        if p > k // 2:
            raise ValueError(
                f"{function}: padding's {axis} {p} is more than half the kernel_size's {axis} {k}; "
                f"pooling needs padding <= kernel_size // 2 = {k // 2} (PyTorch's rule)"
            )
        span = d * (k - 1) + 1
        size = (n + 2 * p - span + (s - 1 if ceil_mode else 0)) // s + 1
        if ceil_mode and (size - 1) * s >= n + p:  # the last window must start inside the input or left padding
            size -= 1
        if size < 1:  # only if the kernel is larger than the padded input: raises with the usual message
            axis_output_size(n, k, s, p, d, function, axis)
        out.append(size)
        extra.append(max(0, (size - 1) * s + span - (n + 2 * p)))
    return kernel, step, pad, dil, tuple(out), tuple(extra)


def _pool_windows(x: np.ndarray, geometry: tuple[tuple[int, int], ...], fill: float, function: str) -> np.ndarray:
    """Every pooling window, shape ``(N, C, OH, OW, KH, KW)``, of ``x`` padded with ``fill`` (and ceil_mode's extra)."""
    kernel, step, pad, dil, out, extra = geometry
    widths = ((0, 0), (0, 0), (pad[0], pad[0] + extra[0]), (pad[1], pad[1] + extra[1]))
    shape = (*x.shape[:2], x.shape[2] + sum(widths[2]), x.shape[3] + sum(widths[3]))
    _check_size(shape, x.dtype, function, lambda: f"padding {pad} (and ceil_mode's {extra}) of x with shape {x.shape}")
    padded = np.pad(x, widths, constant_values=fill) if any(pad + extra) else x
    return _windows(padded, kernel, step, (0, 0), dil, function=function)[:, :, : out[0], : out[1]]


def _max_pool_winners(
    x: np.ndarray, geometry: tuple[tuple[int, int], ...], function: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Max pooling's values, PyTorch's indices and the windows that have no tap inside the input.

    ``function``, the public function asking, is named in an error message.

    The winner of a window is its first maximum in row-major scan order, or its last NaN if it holds one
    (as PyTorch's CPU kernel). A window whose taps all fall on padding (possible only with dilation) has
    value ``-inf`` and, as in PyTorch, the index of its first taps at or after 0 on each axis.
    """
    kernel, step, pad, dil, (oh, ow), _ = geometry
    height, width = x.shape[2:]
    windows = _pool_windows(x, geometry, -np.inf, function)  # (N, C, OH, OW, KH, KW)
    values = windows.max(axis=(-2, -1))  # NaN propagates
    rows = np.arange(oh)[:, None] * step[0] - pad[0] + np.arange(kernel[0]) * dil[0]  # (OH, KH) input rows
    cols = np.arange(ow)[:, None] * step[1] - pad[1] + np.arange(kernel[1]) * dil[1]  # (OW, KW) input columns
    row_in, col_in = (rows >= 0) & (rows < height), (cols >= 0) & (cols < width)
    inside = (row_in[:, None, :, None] & col_in[None, :, None, :]).reshape(oh, ow, -1)  # (OH, OW, KH*KW)
    taps = windows.reshape(*values.shape, kernel[0] * kernel[1])  # (N, C, OH, OW, KH*KW)
    first_max = np.argmax((taps == values[..., None]) & inside, axis=-1)
    last_nan = taps.shape[-1] - 1 - np.argmax(np.isnan(taps[..., ::-1]), axis=-1)
    i, j = np.divmod(np.where(np.isnan(values), last_nan, first_max), kernel[1])
    indices = (rows[np.arange(oh)[:, None], i] * width + cols[np.arange(ow), j]).astype(np.int64)
    empty = ~inside.any(axis=-1)  # (OH, OW)
    if empty.any():
        first_row = rows[np.arange(oh), np.argmax(rows >= 0, axis=1)]  # rows >= 0 always holds somewhere
        first_col = cols[np.arange(ow), np.argmax(cols >= 0, axis=1)]
        indices = np.where(empty, first_row[:, None] * width + first_col[None, :], indices)
    return values, indices, empty


def max_pool2d(
    x: object,
    kernel_size: Pair,
    stride: Pair | None = None,
    padding: Pair = 0,
    dilation: Pair = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Max pooling: the largest value of each ``KH x KW`` window, per channel.

    Equals ``torch.nn.functional.max_pool2d``, values and indices, with the same arguments and rules.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
        ``N`` may be 0 (an empty result).
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``kernel_size`` (windows side by side, no overlap).
    padding : int or (int, int)
        ``-inf`` added on each side (it never wins); at most ``kernel_size // 2``, as in PyTorch.
    dilation : int or (int, int)
        Spacing of the taps inside a window.
    ceil_mode : bool
        Round the output size up instead of down, keeping a last partial window, provided it starts
        inside the input or its left padding.
    return_indices : bool
        Also return where each maximum is.

    Returns
    -------
    out : numpy.ndarray, shape (N, C, OH, OW)
        ``OH = floor((H + 2*PH - DH*(KH - 1) - 1) / SH) + 1`` (``ceil`` with ``ceil_mode``, less one if
        that last window would start at or past ``H + PH``). NaN propagates.
    indices : numpy.ndarray of int64, shape (N, C, OH, OW)
        Only with ``return_indices``: the position ``row * W + column`` of each maximum in its
        (unpadded) input plane. Ties go to the first maximum in the window's row-major order; a
        window holding NaN reports its last NaN (both as PyTorch's CPU kernel).

    Raises
    ------
    ValueError
        For ``x`` not 4-D, a parameter out of range, ``padding > kernel_size // 2``, or no window.
    TypeError
        For non-numeric data, non-integer parameters (``bool`` included), or a non-bool flag.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> max_pool2d(x, 2)
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    >>> out, indices = max_pool2d(x, 3, stride=2, padding=1, return_indices=True)
    >>> out
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    >>> indices
    array([[[[ 5,  7],
             [13, 15]]]])
    >>> max_pool2d(np.arange(25.0).reshape(1, 1, 5, 5), 2, ceil_mode=True)[0, 0]
    array([[ 6.,  8.,  9.],
           [16., 18., 19.],
           [21., 23., 24.]])
    """
    function = "max_pool2d"
    x = _check_pool_input(x, function)
    geometry = _pool_geometry(x.shape, kernel_size, stride, padding, dilation, ceil_mode, function)
    if check_bool(return_indices, "return_indices", function):
        values, indices, _ = _max_pool_winners(x.astype(result_dtype(x), copy=False), geometry, "max_pool2d")
        return values, indices
    return _pool_windows(x.astype(result_dtype(x), copy=False), geometry, -np.inf, "max_pool2d").max(axis=(-2, -1))


def _avg_pool_divisors(
    shape: tuple[int, ...],
    geometry: tuple[tuple[int, int], ...],
    count_include_pad: bool,
    divisor_override: int | None,
    function: str,
) -> np.ndarray:
    """What each window's sum is divided by, shape ``(OH, OW)``: PyTorch's rule.

    A window is first cut at the padded input's end (ceil_mode's extra never counts); ``count_include_pad``
    counts the padding left in it, otherwise only input pixels count; ``divisor_override`` replaces both.
    """
    count_include_pad = check_bool(count_include_pad, "count_include_pad", function)
    kernel, step, pad, _, out, _ = geometry
    if divisor_override is not None:
        return np.full(out, check_positive_int(divisor_override, "divisor_override", function), dtype=np.int64)
    counts = []
    for n, k, s, p, o in zip(shape[2:], kernel, step, pad, out):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        counts.append(end - start if count_include_pad else np.minimum(end, n) - np.maximum(start, 0))
    return counts[0][:, None] * counts[1][None, :]


def avg_pool2d(
    x: object,
    kernel_size: Pair,
    stride: Pair | None = None,
    padding: Pair = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """Average pooling: the mean of each ``KH x KW`` window, per channel.

    Equals ``torch.nn.functional.avg_pool2d`` with the same arguments. Without padding or ``ceil_mode``
    it is a convolution with a box filter of weight ``1 / (KH*KW)`` applied to each channel on its own.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
        ``N`` may be 0 (an empty result).
    kernel_size, stride, ceil_mode
        As in :func:`max_pool2d` (``stride`` defaults to ``kernel_size``).
    padding : int or (int, int)
        Zeros added on each side; at most ``kernel_size // 2``, as in PyTorch.
    count_include_pad : bool
        Divide by the window's size including its padding zeros (but not the part of a ``ceil_mode``
        window beyond the padded input). If False, divide by the number of input pixels in it.
    divisor_override : int, optional
        A positive int to divide every window's sum by instead.

    Returns
    -------
    numpy.ndarray, shape (N, C, OH, OW)
        Output size as in :func:`max_pool2d` with ``dilation=1``.

    Raises
    ------
    ValueError
        As :func:`max_pool2d`, and for ``divisor_override < 1``.
    TypeError
        As :func:`max_pool2d`, and for a ``divisor_override`` that is not an int (``bool`` included).

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> avg_pool2d(x, 2)
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]])
    >>> avg_pool2d(np.ones((1, 1, 3, 3)), 2, padding=1)[0, 0]  # padding zeros count
    array([[0.25, 0.5 ],
           [0.5 , 1.  ]])
    >>> avg_pool2d(np.ones((1, 1, 3, 3)), 2, padding=1, count_include_pad=False)[0, 0]
    array([[1., 1.],
           [1., 1.]])
    """
    function = "avg_pool2d"
    x = _check_pool_input(x, function)
    geometry = _pool_geometry(x.shape, kernel_size, stride, padding, 1, ceil_mode, function)
    divisors = _avg_pool_divisors(x.shape, geometry, count_include_pad, divisor_override, function)
    dtype = result_dtype(x)
    work = accumulation_dtype(dtype)  # float16 is summed in float64 and rounded once
    sums = _pool_windows(x.astype(work, copy=False), geometry, 0, "avg_pool2d").sum(axis=(-2, -1))
    return (sums / divisors.astype(work)).astype(dtype, copy=False)


def max_pool2d_backward(
    grad_out: object,
    x: object,
    kernel_size: Pair,
    stride: Pair | None = None,
    padding: Pair = 0,
    dilation: Pair = 1,
    ceil_mode: bool = False,
) -> np.ndarray:
    """Gradient of a loss through :func:`max_pool2d`: each window's gradient goes to its maximum.

    The other pixels of the window get nothing from it. Where windows overlap (stride smaller
    than the kernel) a pixel that is the maximum of several windows receives their sum. Equals
    ``torch.autograd`` through ``torch.nn.functional.max_pool2d``.

    **Ties.** If a window's maximum occurs more than once, the whole gradient goes to the *first*
    one in row-major order within the window, and a window holding NaN routes its gradient to its
    *last* NaN: the ``indices`` of :func:`max_pool2d`, as PyTorch's CPU kernel (GPUs may choose
    another). A window with no tap inside the input (all on padding, possible only with dilation)
    is the constant ``-inf`` and passes no gradient on (PyTorch sends it to the pixel its index
    names).

    Parameters
    ----------
    grad_out : array_like, shape (N, C, OH, OW)
    x, kernel_size, stride, padding, dilation, ceil_mode
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
    >>> max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 3, stride=1, padding=1)[0, 0]  # 4 windows, one maximum
    array([[0., 4.],
           [0., 0.]])
    """
    function = "max_pool2d_backward"
    x = _check_pool_input(x, function)
    geometry = _pool_geometry(x.shape, kernel_size, stride, padding, dilation, ceil_mode, function)
    n, c, height, width = x.shape
    grad_out = check_grad_out(grad_out, (n, c, *geometry[4]), function)
    dtype = result_dtype(grad_out, x)
    _, indices, empty = _max_pool_winners(x.astype(result_dtype(x), copy=False), geometry, "max_pool2d_backward")
    plane = height * width
    targets = indices + (np.arange(n * c, dtype=np.int64) * plane).reshape(n, c, 1, 1)
    keep = np.broadcast_to(~empty, targets.shape)
    grad = grad_out.astype(dtype, copy=False)
    # PyTorch's backward: grad_x.flat[index] += grad, summing where one pixel wins several windows.
    if dtype.itemsize <= 8:  # bincount sums in float64, which holds float16, float32 and float64 exactly
        grad_x = np.bincount(targets[keep], weights=grad[keep], minlength=n * c * plane)
    else:  # longdouble: add in its own precision
        grad_x = np.zeros(n * c * plane, dtype=dtype)
        np.add.at(grad_x, targets[keep], grad[keep])
    return grad_x.astype(dtype, copy=False).reshape(x.shape)


def avg_pool2d_backward(
    grad_out: object,
    x: object,
    kernel_size: Pair,
    stride: Pair | None = None,
    padding: Pair = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """Gradient of a loss through :func:`avg_pool2d`: each window shares its gradient equally.

    Every input pixel of a window receives ``grad / divisor`` from it (the divisor of the forward
    pass), summed over the windows that cover it; padding gets nothing. Only ``x``'s shape (and
    dtype) matter. Equals ``torch.autograd`` through ``torch.nn.functional.avg_pool2d``.

    Parameters
    ----------
    grad_out : array_like, shape (N, C, OH, OW)
    x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
        As given to :func:`avg_pool2d`.

    Returns
    -------
    numpy.ndarray, shape (N, C, H, W)

    Examples
    --------
    >>> avg_pool2d_backward(np.array([[[[4.0]]]]), np.zeros((1, 1, 2, 3)), 2)
    array([[[[1., 1., 0.],
             [1., 1., 0.]]]])
    >>> avg_pool2d_backward(np.array([[[[4.0, 4.0]]]]), np.zeros((1, 1, 2, 3)), 2, ceil_mode=True)  # 2 + 1 windows
    array([[[[1., 1., 2.],
             [1., 1., 2.]]]])
    """
    function = "avg_pool2d_backward"
    x = _check_pool_input(x, function)
    geometry = _pool_geometry(x.shape, kernel_size, stride, padding, 1, ceil_mode, function)
    kernel, step, pad, _, (oh, ow), extra = geometry
    n, c, height, width = x.shape
    grad_out = check_grad_out(grad_out, (n, c, oh, ow), function)
    divisors = _avg_pool_divisors(x.shape, geometry, count_include_pad, divisor_override, function)
    dtype = result_dtype(grad_out, x)
    canvas = (height + 2 * pad[0] + extra[0], width + 2 * pad[1] + extra[1])
    check_allocation(
        (n, c, *canvas), dtype, function, lambda: f"padding {pad} (and ceil_mode's {extra}) of x with shape {x.shape}"
    )
    check_allocation(
        (n, c * kernel[0] * kernel[1], oh * ow),
        dtype,
        function,
        lambda: f"the {oh} x {ow} windows of kernel_size {kernel} over x of shape {x.shape}",
    )
    share = (grad_out.astype(dtype, copy=False) / divisors.astype(dtype)).reshape(n, c, 1, oh * ow)
    cols = np.broadcast_to(share, (n, c, kernel[0] * kernel[1], oh * ow)).reshape(n, c * kernel[0] * kernel[1], oh * ow)
    # col2im onto the padded input (with ceil_mode's extra), then cut the padding off.
    padded = _scatter(cols, canvas, kernel, step, (1, 1), (oh, ow), function="avg_pool2d_backward")
    return padded[:, :, pad[0] : pad[0] + height, pad[1] : pad[1] + width]
