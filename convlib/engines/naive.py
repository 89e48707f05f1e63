"""The readable versions: explicit loops over output positions.

These are the definitions the notebooks show and the tests hold the fast methods
against. Both functions compute *cross-correlation* (the kernel is slid over the
input as it is, not flipped) over the ``"valid"`` positions only, where the
kernel lies wholly inside the input. Convolution, padding and the other modes are
built on top of them in :mod:`convlib.convolution`, which flips the kernel in
plain sight: ``convolve(x, k) == correlate(x, k[::-1])``.

They follow convlib's dtype policy like every other function: integers are computed in
``float64``, so ``uint8`` pixels never wrap (``np.uint8(200) * 2`` is 144 in numpy). ``float16``
is summed in ``float64`` (a ``float16`` sum stops growing at 2048) and rounded once at the end.

Loops in Python are slow: about 0.25 µs per multiply-add in 1-D and 4 µs per output pixel in 2-D
(:data:`SECONDS_PER_MULTIPLY_ADD`, :data:`SECONDS_PER_WINDOW`). Inputs whose estimated time
(:func:`estimated_seconds`) exceeds :data:`MAX_NAIVE_SECONDS` (a minute) are refused up front with
a ``ValueError`` that says to use ``method="direct"`` or ``"fft"``, which give the same result in
a fraction of the time. The notebooks' loops (a 128 x 128 image, a few hundred samples) take
milliseconds, far below it.
"""

from __future__ import annotations

import numpy as np

from convlib.validation import accumulation_dtype, result_dtype

#: Seconds per step of :func:`correlate1d_valid`'s inner loop (index, multiply, add numpy scalars), measured on
#: a 2020s x86 core; each output costs about one more step (the outer loop and the store).
SECONDS_PER_MULTIPLY_ADD = 2.5e-7

#: Seconds per output pixel of :func:`correlate2d_valid` (slice, multiply, ``np.sum``, store), measured likewise...
SECONDS_PER_WINDOW = 4e-6

#: ... plus this per pixel and kernel tap (the multiply and sum inside numpy: 10 µs more for a 101 x 101 kernel).
SECONDS_PER_WINDOW_TAP = 1e-9

#: The longest estimated run the naive loops start (one minute); longer ones are a ``ValueError``.
#: Read at every call: set it (or monkeypatch it in a test) to change it.
MAX_NAIVE_SECONDS = 60.0


def estimated_seconds(output_shape: tuple[int, ...], kernel_shape: tuple[int, ...]) -> float:
    """Roughly how long the loops take for a ``"valid"`` output of ``output_shape`` (1-D or 2-D).

    1-D: ``N_out * (K + 1) * SECONDS_PER_MULTIPLY_ADD`` (one Python step per multiply-add);
    2-D: ``OH * OW * (SECONDS_PER_WINDOW + KH * KW * SECONDS_PER_WINDOW_TAP)`` (one ``np.sum`` per pixel).
    An estimate for a typical machine: a slow one may take a few times longer.

    Parameters
    ----------
    output_shape : tuple of int
        ``(N_out,)`` or ``(OH, OW)``; sizes below 0 count as 0.
    kernel_shape : tuple of int
        ``(K,)`` or ``(KH, KW)``.

    Returns
    -------
    float
        Seconds.

    Examples
    --------
    >>> round(estimated_seconds((126, 126), (3, 3)), 3)   # notebook 02: a 128 x 128 crop
    0.064
    >>> round(estimated_seconds((10**6,), (99,)))          # a million samples, 99 taps
    25
    """
    outputs = 1
    for size in output_shape:
        outputs *= max(int(size), 0)
    taps = 1
    for size in kernel_shape:
        taps *= int(size)
    if len(output_shape) == 1:
        return outputs * (taps + 1) * SECONDS_PER_MULTIPLY_ADD
    return outputs * (SECONDS_PER_WINDOW + taps * SECONDS_PER_WINDOW_TAP)


def _duration(seconds: float) -> str:
    """``"about 3 minutes"``, ``"about 2.5 hours"``, ``"about 40 days"``."""
    for unit, length in (("days", 86400.0), ("hours", 3600.0), ("minutes", 60.0)):
        if seconds >= 2 * length:
            value = seconds / length
            return f"about {value:.2g} {unit}" if value < 100 else f"about {value:.0f} {unit}"
    return f"about {seconds:.0f} seconds"


def check_time(input_shape: tuple[int, ...], kernel_shape: tuple[int, ...], function: str) -> None:
    """Raise ``ValueError`` before looping if :func:`estimated_seconds` exceeds :data:`MAX_NAIVE_SECONDS`.

    A few integer multiplications: the convolution functions call it for ``method="naive"``
    before they pad, and the loops below call it too.

    Parameters
    ----------
    input_shape : tuple of int
        The (padded) input's shape, ``(N,)`` or ``(H, W)``: the ``"valid"`` output is ``N - K + 1``
        per axis.
    kernel_shape : tuple of int
        ``(K,)`` or ``(KH, KW)``.
    function : str
        The public function whose call it is; starts the message.

    Raises
    ------
    ValueError
        The loops would run longer than :data:`MAX_NAIVE_SECONDS`: use ``method="direct"`` or ``"fft"``.

    Examples
    --------
    >>> check_time((128, 128), (3, 3), "correlate2d")   # a notebook's size: milliseconds
    >>> check_time((4002, 4002), (3, 3), "correlate2d")
    Traceback (most recent call last):
    ...
    ValueError: correlate2d: method='naive' loops in Python over 4000 x 4000 output pixels ... about 64 seconds ...
    """
    output_shape = tuple(int(n) - int(k) + 1 for n, k in zip(input_shape, kernel_shape))
    seconds = estimated_seconds(output_shape, kernel_shape)
    if seconds <= MAX_NAIVE_SECONDS:
        return
    if len(output_shape) == 1:
        work = f"{output_shape[0]} outputs x {kernel_shape[0]} kernel taps (one multiply-add per step)"
        instead = "convlib.correlate1d(signal, kernel, 'valid', method='direct')"
    else:
        pixels = " x ".join(map(str, output_shape))
        work = f"{pixels} output pixels (one np.sum of {' x '.join(map(str, kernel_shape))} taps each)"
        instead = "convlib.correlate2d(image, kernel, 'valid', method='direct')"
    example = f" ({instead})" if function.endswith("_valid") else ""
    check_seconds(
        seconds, function, f"method='naive' loops in Python over {work}", f"method='direct' or method='fft'{example}"
    )


def check_seconds(seconds: float, function: str, work: str, instead: str) -> None:
    """Raise ``ValueError`` if a Python loop estimated at ``seconds`` would run longer than :data:`MAX_NAIVE_SECONDS`.

    The message for every loop convlib refuses (here and :func:`convlib.im2col_naive`):
    ``"{function}: {work} and would take about ... (estimated); the limit is ... Use {instead}: ..."``.

    Examples
    --------
    >>> check_seconds(1.0, "im2col_naive", "the loops", "im2col")
    >>> check_seconds(600.0, "im2col_naive", "the loops", "im2col")
    Traceback (most recent call last):
    ...
    ValueError: im2col_naive: the loops and would take about 10 minutes (estimated); the limit is ... Use im2col: ...
    """
    limit = MAX_NAIVE_SECONDS
    if seconds <= limit:
        return
    raise ValueError(
        f"{function}: {work} and would take {_duration(seconds)} (estimated); the limit is "
        f"MAX_NAIVE_SECONDS = {limit:g} s (convlib.engines.naive). Use {instead}: the same result, in a fraction "
        "of the time"
    )


def correlate1d_valid(signal: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` along ``signal``; at each stop, multiply and sum.

    ``out[n] = sum over m of signal[n + m] * kernel[m]``, for every ``n`` where
    the kernel fits: ``len(signal) - len(kernel) + 1`` outputs. Refuses to start a loop that would
    run for minutes (:func:`check_time`).

    Examples
    --------
    >>> correlate1d_valid(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 0.0, -1.0]))
    array([-2., -2.])
    """
    check_time(np.shape(signal), np.shape(kernel), "correlate1d_valid")  # refuses minutes of looping
    dtype = result_dtype(np.asarray(signal), np.asarray(kernel))  # float64 for integers: no wrapping
    work = accumulation_dtype(dtype)  # float16 is summed in float64
    signal, kernel = np.asarray(signal, work), np.asarray(kernel, work)
    n_out = len(signal) - len(kernel) + 1
    out = np.zeros(n_out, dtype=work)
    for n in range(n_out):
        total = 0
        for m in range(len(kernel)):
            total += signal[n + m] * kernel[m]
        out[n] = total
    return out.astype(dtype, copy=False)


def correlate2d_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` over ``image``; at each stop, multiply the window by the kernel and sum.

    ``out[i, j] = sum over (a, b) of image[i + a, j + b] * kernel[a, b]``, for every
    ``(i, j)`` where the kernel fits: shape ``(H - KH + 1, W - KW + 1)``. Refuses to start loops
    that would run for minutes (:func:`check_time`).

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> correlate2d_valid(image, np.array([[1.0, 0.0], [0.0, -1.0]]))
    array([[-4., -4.],
           [-4., -4.]])
    >>> correlate2d_valid(np.full((1, 1), 200, np.uint8), np.full((1, 1), 2, np.uint8))  # not 144
    array([[400.]])
    >>> float(correlate2d_valid(np.ones((1, 2050), np.float16), np.ones((1, 2050), np.float16))[0, 0])  # not 2048
    2050.0
    """
    check_time(np.shape(image), np.shape(kernel), "correlate2d_valid")  # refuses minutes of looping
    dtype = result_dtype(np.asarray(image), np.asarray(kernel))  # float64 for integers: no wrapping
    work = accumulation_dtype(dtype)  # float16 is summed in float64
    image, kernel = np.asarray(image, work), np.asarray(kernel, work)
    kernel_height, kernel_width = kernel.shape
    out_height = image.shape[0] - kernel_height + 1
    out_width = image.shape[1] - kernel_width + 1
    out = np.zeros((out_height, out_width), dtype=work)
    for i in range(out_height):
        for j in range(out_width):
            window = image[i : i + kernel_height, j : j + kernel_width]
            out[i, j] = np.sum(window * kernel)
    return out.astype(dtype, copy=False)
