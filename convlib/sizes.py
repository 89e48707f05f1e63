"""Output sizes of a sliding window, and the int-or-pair parameters of the batched layers.

One axis of ``n`` samples, a kernel of ``K`` taps spread ``D`` apart (``dilation``), ``P`` zeros
added at each end (``padding``) and a step of ``S`` (``stride``)::

    the dilated kernel spans   D * (K - 1) + 1   samples
    the padded input holds     n + 2 * P         samples
    output size                floor((n + 2*P - D*(K - 1) - 1) / S) + 1

The ``floor`` is PyTorch's rule: a last window that would stick out past the padded input is
dropped, so some samples at the far end may never be read.
"""

from __future__ import annotations

import numpy as np

from convlib.validation import MODES, check_choice, check_positive_int


def as_pair(value: object, name: str, function: str, minimum: int = 1) -> tuple[int, int]:
    """Return ``value`` (an int, or a pair of ints for height and width) as ``(h, w)``.

    Raises ``TypeError`` for anything but whole numbers and ``ValueError`` for a pair of the wrong
    length or a number below ``minimum``; the message names the argument.

    Examples
    --------
    >>> as_pair(3, "stride", "conv2d")
    (3, 3)
    >>> as_pair((1, 2), "stride", "conv2d")
    (1, 2)
    >>> as_pair(0, "stride", "conv2d")
    Traceback (most recent call last):
    ...
    ValueError: conv2d: stride must be >= 1; got 0
    """
    if isinstance(value, str):
        hint = ""
        if name == "padding":
            hint = " (string paddings such as 'same' are not supported: pass the number of zeros per side)"
        raise TypeError(f"{function}: {name} must be an int or a pair of ints (height, width); got {value!r}{hint}")
    if isinstance(value, np.ndarray) and value.ndim == 0:  # one number, as numpy reductions return it
        number = check_positive_int(value, name, function, minimum)
        return number, number
    if isinstance(value, np.ndarray) and value.ndim != 1:
        raise ValueError(
            f"{function}: {name} must be an int or a pair of ints (height, width); got an array of shape {value.shape}"
        )
    if isinstance(value, (tuple, list, np.ndarray)):
        if len(value) != 2:
            raise ValueError(
                f"{function}: {name} must be an int or a pair of ints (height, width); "
                f"got {len(value)} values {value!r}"
            )
        return (
            check_positive_int(value[0], f"{name}[0] (height)", function, minimum),
            check_positive_int(value[1], f"{name}[1] (width)", function, minimum),
        )
    number = check_positive_int(value, name, function, minimum)
    return number, number


def mode_padding(kernel_size: int, mode: str) -> tuple[int, int]:
    """``(before, after)``: the zeros that make a ``"valid"`` slide give ``mode``'s output on one axis.

    The one place convlib writes the rule. ``"full"`` pads ``K - 1`` on each side. ``"same"`` keeps
    the centre of ``"full"``, starting at index ``(K - 1) // 2`` of it, as numpy and scipy.signal
    do: ``K // 2`` before and ``(K - 1) // 2`` after, so for an even kernel the extra zero goes
    *before* the input. ``"valid"`` pads nothing. ``mode``'s output starts at index
    ``K - 1 - before`` of ``"full"``.

    Examples
    --------
    >>> mode_padding(3, "same"), mode_padding(4, "same"), mode_padding(4, "full"), mode_padding(4, "valid")
    ((1, 1), (2, 1), (3, 3), (0, 0))
    """
    kernel_size = check_positive_int(kernel_size, "kernel_size", "mode_padding")
    check_choice(mode, "mode", MODES, "mode_padding")
    if mode == "full":
        return kernel_size - 1, kernel_size - 1
    if mode == "same":
        return kernel_size // 2, (kernel_size - 1) // 2
    return 0, 0


def axis_output_size(
    n: int, kernel_size: int, stride: int, padding: int, dilation: int, function: str, axis: str
) -> int:
    """Output size on one axis (arguments already checked); ``ValueError`` if the kernel does not fit.

    ``axis`` names the axis in the error message (``"height"`` or ``"width"``), so a mistake on
    one axis is never reported as the other.

    Examples
    --------
    >>> axis_output_size(5, 3, 2, 1, 1, "conv2d", "width")
    3
    """
    span = dilation * (kernel_size - 1) + 1
    padded = n + 2 * padding
    if span > padded:
        dilated = f" (dilated by {dilation}: {span})" if dilation != 1 else ""
        raise ValueError(
            f"{function}: the kernel's {axis} {kernel_size}{dilated} is larger than the padded input's {axis} "
            f"{n} + 2*{padding} = {padded}; no window fits"
        )
    return (padded - span) // stride + 1


def output_size(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    mode: str | None = None,
) -> int:
    """Length of a convolution's output along one axis.

    Parameters
    ----------
    n : int
        Input length on this axis (>= 1).
    kernel_size : int
        Kernel taps on this axis (>= 1).
    stride, padding, dilation : int
        Step between windows (>= 1), zeros added at *each* end (>= 0), spacing of the taps (>= 1).
    mode : {None, "full", "same", "valid"}
        ``None`` (default) uses the layer formula below. A mode gives instead the size of
        :func:`convlib.convolve1d` / :func:`convlib.convolve2d` in that mode: ``n + K - 1``,
        ``n`` or ``n - K + 1``, with ``K = dilation * (kernel_size - 1) + 1`` the span of the
        (dilated) kernel; ``stride`` and ``padding`` must then keep their defaults.

    Returns
    -------
    int
        ``floor((n + 2*padding - dilation*(kernel_size - 1) - 1) / stride) + 1`` when ``mode``
        is ``None``.

    Raises
    ------
    ValueError
        If the (dilated) kernel is larger than the padded input (or, in ``"valid"`` mode, than
        the input): there is no window, and a negative size would be nonsense. Also for
        ``stride``/``dilation`` < 1, ``padding`` < 0, and ``mode`` with non-default
        ``stride``/``padding``.
    TypeError
        If an argument is not an integer.

    Examples
    --------
    >>> output_size(32, 3)             # 'valid' slide
    30
    >>> output_size(32, 3, padding=1)  # keeps the size
    32
    >>> output_size(32, 3, stride=2, padding=1)
    16
    >>> output_size(7, 3, dilation=2)  # the dilated kernel spans 5 samples
    3
    >>> output_size(10, 4, mode="full"), output_size(10, 4, mode="same"), output_size(10, 4, mode="valid")
    (13, 10, 7)
    """
    function = "output_size"
    n = check_positive_int(n, "n", function)
    kernel_size = check_positive_int(kernel_size, "kernel_size", function)
    stride = check_positive_int(stride, "stride", function)
    padding = check_positive_int(padding, "padding", function, minimum=0)
    dilation = check_positive_int(dilation, "dilation", function)
    if mode is None:
        return axis_output_size(n, kernel_size, stride, padding, dilation, function, "size")
    check_choice(mode, "mode", MODES, function)
    if stride != 1 or padding != 0:
        raise ValueError(
            f"{function}: mode={mode!r} gives the size of convolve1d/convolve2d, which have no stride or "
            f"padding; got stride={stride}, padding={padding}. Pass either mode or stride/padding."
        )
    span = dilation * (kernel_size - 1) + 1
    if mode == "full":
        return n + span - 1
    if mode == "same":
        return n
    if span > n:
        raise ValueError(
            f"{function}: mode='valid' needs the kernel (span {span}) to be no longer than the input (n={n}); "
            "no window fits"
        )
    return n - span + 1
