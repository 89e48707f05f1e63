"""Figures for notebook 07 (frequency and circular convolution).

* :func:`show_sinusoid_sum`: a short signal as a sum of sinusoids, and its DFT's magnitudes.
* :func:`show_wrap_around`: linear convolution, circular convolution (the tail wrapped onto the
  start), and the zero-padded FFT that gives the linear one back.
* :func:`show_frequency_responses`: kernels beside their frequency responses (sign included).
* :func:`show_ringing`: an ideal low-pass against a Gaussian one, as kernels and on a step.
* :func:`show_method_times`: measured time per image of two methods against the kernel size.

Also the numbers behind them: :func:`frequency_response` (a symmetric kernel's real response),
:func:`zone_plate` (a test pattern whose frequency grows with the radius),
:func:`low_pass` (an ideal or Gaussian low-pass applied through the DFT) and
:func:`best_times` (each method's best time per kernel, the runs interleaved).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

from convlib.book.figures.common import stem
from convlib.convolution import convolve1d
from convlib.shifting import circular_convolve


def _vector(value: object, name: str, function: str) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{function}: {name} must be a non-empty 1-D array; got shape {array.shape}")
    return array


def frequency_response(kernel: object, frequencies: object) -> np.ndarray:
    """The response of a symmetric kernel, centred on its middle tap, at ``frequencies`` (cycles per sample).

    For a kernel that equals its own reverse the response is real:
    ``H(nu) = sum_m k[m] cos(2 pi nu (m - c))`` with ``c = (K - 1) / 2``. A negative value means
    that a sinusoid of that frequency comes out with its sign flipped.

    Examples
    --------
    >>> np.round(frequency_response(np.ones(5) / 5, [0.0, 0.2, 0.3]), 3)
    array([ 1.   ,  0.   , -0.247])
    """
    function = "frequency_response"
    k = _vector(kernel, "kernel", function)
    if not np.allclose(k, k[::-1]):
        raise ValueError(f"{function}: kernel must be symmetric (equal to its reverse); got {np.round(k, 3).tolist()}")
    nu = np.asarray(frequencies, dtype=float)
    offsets = np.arange(k.size) - (k.size - 1) / 2
    return np.cos(2 * np.pi * nu[..., None] * offsets) @ k


def zone_plate(size: int = 128, top_frequency: float = 0.5) -> np.ndarray:
    """A zone plate in ``[0, 1]``: rings whose frequency grows with the distance from the centre.

    At distance ``r`` from the centre the local frequency is ``r / R`` cycles per pixel, where
    ``R`` is chosen so that the corners reach ``top_frequency``.

    Examples
    --------
    >>> plate = zone_plate(64)
    >>> plate.shape, float(plate.min()) >= 0, float(plate.max()) <= 1
    ((64, 64), True, True)
    """
    y, x = np.mgrid[:size, :size] - (size - 1) / 2
    radius_squared = x**2 + y**2
    scale = np.sqrt(radius_squared.max()) / top_frequency
    return 0.5 + 0.5 * np.cos(np.pi * radius_squared / scale)


def low_pass(data: object, cutoff: float, kind: str = "ideal") -> np.ndarray:
    """Keep the frequencies below ``cutoff`` (cycles per sample) of a periodic signal or image, through the DFT.

    ``kind="ideal"`` multiplies the spectrum by 1 below the cutoff and 0 above it (a sharp
    cut-off); ``kind="gaussian"`` by ``exp(-nu**2 / (2 s**2))`` with ``s = cutoff / 2``, a smooth
    one. In 2-D, ``nu`` is the distance from zero frequency.

    Examples
    --------
    >>> step = np.r_[np.zeros(32), np.ones(32)]
    >>> bool(low_pass(step, 0.1).max() > 1.05), bool(low_pass(step, 0.1, "gaussian").max() <= 1 + 1e-9)
    (True, True)
    """
    x = np.asarray(data, dtype=float)
    grids = np.meshgrid(*[np.fft.fftfreq(n) for n in x.shape], indexing="ij")
    nu = np.sqrt(sum(g**2 for g in grids))
    if kind == "ideal":
        gain = (nu <= cutoff).astype(float)
    elif kind == "gaussian":
        gain = np.exp(-(nu**2) / (2 * (cutoff / 2) ** 2))
    else:
        raise ValueError(f"low_pass: kind must be 'ideal' or 'gaussian'; got {kind!r}")
    return np.real(np.fft.ifftn(np.fft.fftn(x) * gain))


def best_times(
    methods: Mapping[str, Callable[[object], object]],
    kernels: Sequence[object],
    repeats: int = 5,
    min_seconds: float = 0.003,
) -> dict[str, list[float]]:
    """Seconds per call of ``method(kernel)`` for every method and kernel: the best of ``repeats`` batches.

    Each batch repeats one call until it lasts at least ``min_seconds`` (the clock's resolution
    then does not matter). The batches are interleaved: every method on every kernel once, then
    again, so that a burst of load on a shared machine hits them alike. Noise only ever adds
    time, so the *minimum* over the batches is the steadiest estimate of what a call costs.

    Examples
    --------
    >>> times = best_times({"sum": sum, "sorted": sorted}, [range(10), range(1000)], repeats=2, min_seconds=0)
    >>> sorted(times), len(times["sum"]), all(t > 0 for t in times["sum"] + times["sorted"])
    (['sorted', 'sum'], 2, True)
    """
    if repeats < 1:
        raise ValueError(f"best_times: repeats must be at least 1; got {repeats}")

    def batch(method: Callable[[object], object], kernel: object, number: int) -> float:
        start = time.perf_counter()
        for _ in range(number):
            method(kernel)
        return time.perf_counter() - start

    numbers = {}
    for name, method in methods.items():
        for index, kernel in enumerate(kernels):
            number = 1
            while batch(method, kernel, number) < min_seconds and number < 2**16:
                number *= 2  # also warms the caches; these batches are not kept
            numbers[name, index] = number
    best = {name: [np.inf] * len(kernels) for name in methods}
    for _ in range(repeats):
        for index, kernel in enumerate(kernels):
            for name, method in methods.items():
                seconds = batch(method, kernel, numbers[name, index]) / numbers[name, index]
                best[name][index] = min(best[name][index], seconds)
    return best


def show_sinusoid_sum(n: int, parts: Mapping[str, tuple[float, float]]) -> Figure:
    """Left: a signal of ``n`` samples (stems) and the cosines it is the sum of (smooth curves). Right: ``|X[f]| / n``.

    Parameters
    ----------
    n : int
        Number of samples.
    parts : mapping of str to (amplitude, frequency)
        Each part is ``amplitude * cos(2 pi frequency t / n)``; frequency 0 is a constant.

    Examples
    --------
    >>> fig = show_sinusoid_sum(8, {"2": (2.0, 0), "cos": (1.0, 1)})
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    samples = np.arange(n)
    fine = np.linspace(0, n - 1, 40 * n)
    signal = sum(a * np.cos(2 * np.pi * f * samples / n) for a, f in parts.values())
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.4), gridspec_kw={"width_ratios": [1.3, 1]})
    for index, (name, (amplitude, frequency)) in enumerate(parts.items()):
        curve = amplitude * np.cos(2 * np.pi * frequency * fine / n)
        left.plot(fine, curve, "-", color=f"C{index + 1}", lw=1.6, label=name)
    stem(left, signal, color="C0", label="x[n], the sum")
    left.set_xlabel("sample n")
    left.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=12, frameon=False)
    left.set_title("a signal and its parts")
    stem(right, np.abs(np.fft.fft(signal)) / n, color="C0")
    right.set_xlabel("frequency index f")
    right.set_ylabel("|X[f]| / N")
    right.set_xticks(range(n) if n <= 16 else range(0, n, n // 8))
    right.set_title("its DFT")
    fig.tight_layout()
    return fig


def show_wrap_around(signal: object, kernel: object) -> Figure:
    """Three rows: linear convolution (``N + K - 1`` samples, the last ``K - 1`` in orange); circular
    convolution (``N`` samples: that tail added onto the start); the FFT of length ``N + K - 1``.

    Examples
    --------
    >>> fig = show_wrap_around([1, 2, 3, 4], [1, 1])
    >>> len(fig.axes)
    3
    >>> plt.close(fig)
    """
    function = "show_wrap_around"
    x, k = _vector(signal, "signal", function), _vector(kernel, "kernel", function)
    if k.size > x.size:
        raise ValueError(f"{function}: kernel must be no longer than the signal ({x.size}); got {k.size}")
    n, full = x.size, x.size + k.size - 1
    linear = convolve1d(x, k)
    circular = circular_convolve(x, k)
    padded = np.real(np.fft.ifft(np.fft.fft(x, full) * np.fft.fft(k, full)))
    fig, axes = plt.subplots(3, 1, figsize=(8.4, 5.4), sharex=True, sharey=True)
    top, middle, bottom = axes
    top.bar(np.arange(n), linear[:n], color="C0", width=0.7)
    top.bar(np.arange(n, full), linear[n:], color="C1", width=0.7, hatch="//", edgecolor="white")
    top.set_title(f"linear ('full'): N + K − 1 = {full} samples; the last K − 1 = {k.size - 1} stick out", loc="left")
    middle.bar(np.arange(n), linear[:n], color="C0", width=0.7)
    middle.bar(
        np.arange(k.size - 1),
        linear[n:],
        bottom=linear[: k.size - 1],
        color="C1",
        width=0.7,
        hatch="//",
        edgecolor="white",
    )
    middle.plot(np.arange(n), circular, "o", color="black", ms=5)
    middle.set_title(f"circular (FFT of length N = {n}): the tail wraps onto the start", loc="left")
    bottom.bar(np.arange(full), padded, color="C2", width=0.7)
    bottom.set_title(f"FFT of length N + K − 1 = {full} (zero padded): the linear result again", loc="left")
    for ax in axes:
        ax.axvline(n - 0.5, color="0.4", ls="--", lw=1)
        ax.axhline(0, color="0.6", lw=0.8)
    bottom.set_xlabel("sample index")
    bottom.set_xticks(range(full))
    fig.tight_layout()
    return fig


def show_frequency_responses(kernels: Mapping[str, object], mark: float | None = None) -> Figure:
    """Left: symmetric kernels, centred on 0. Right: their frequency responses from 0 to 0.5 cycles per sample.

    Negative responses (a sinusoid comes out upside down) are shaded; ``mark`` draws a vertical
    line at one frequency and labels each response's value there.

    Examples
    --------
    >>> fig = show_frequency_responses({"box 3": np.ones(3) / 3}, mark=0.4)
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    arrays = {name: _vector(k, f"kernels[{name!r}]", "show_frequency_responses") for name, k in kernels.items()}
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.6), gridspec_kw={"width_ratios": [1, 1.5]})
    nu = np.linspace(0, 0.5, 401)
    width = 0.8 / len(arrays)
    for index, (name, k) in enumerate(arrays.items()):
        offsets = np.arange(k.size) - (k.size - 1) // 2
        left.bar(offsets + (index - (len(arrays) - 1) / 2) * width, k, width=width, color=f"C{index}", label=name)
        response = frequency_response(k, nu)
        right.plot(nu, response, color=f"C{index}", lw=2, label=name)
        if mark is not None:
            value = float(frequency_response(k, [mark])[0])
            right.plot([mark], [value], "o", color=f"C{index}", ms=7)
            right.annotate(
                f"{value:+.2f}",
                (mark, value),
                xytext=(10, -16 if value < 0 else 8),
                ha="left",
                textcoords="offset points",
                color=f"C{index}",
                fontsize=12,
            )
    left.axhline(0, color="0.6", lw=0.8)
    left.set_xlabel("tap (offset from the centre)")
    left.set_title("kernels")
    left.set_ylim(
        min(0.0, *(float(k.min()) for k in arrays.values())), 1.5 * max(float(k.max()) for k in arrays.values())
    )
    left.legend(loc="upper right", fontsize=12)
    right.axhline(0, color="0.4", lw=0.8)
    right.axhspan(right.get_ylim()[0], 0, color="0.92", zorder=0)
    right.text(0.01, right.get_ylim()[0] + 0.02, "below 0: sign flipped", va="bottom", color="0.35", fontsize=12)
    if mark is not None:
        right.axvline(mark, color="0.5", ls=":", lw=1.2)
    right.set_xlim(0, 0.5)
    right.set_xlabel("frequency ν (cycles per sample)")
    right.set_ylabel("gain H(ν)")
    right.set_title("frequency responses")
    fig.tight_layout()
    return fig


def show_ringing(step: object, cutoff: float, window: tuple[int, int] | None = None) -> Figure:
    """An ideal and a Gaussian low-pass at ``cutoff``: left their kernels in space, right what each does to ``step``.

    Examples
    --------
    >>> fig = show_ringing(np.r_[np.zeros(32), np.ones(32)], 0.1)
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    x = _vector(step, "step", "show_ringing")
    n = x.size
    impulse = np.zeros(n)
    impulse[0] = 1.0
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.5))
    start, stop = window if window is not None else (0, n)
    index = np.arange(start, stop)
    right.plot(index, x[start:stop], color="0.6", lw=4, label="step")
    for colour, kind, label in (("C4", "ideal", "ideal (sharp cut-off)"), ("C1", "gaussian", "Gaussian (smooth)")):
        kernel = np.fft.fftshift(low_pass(impulse, cutoff, kind))
        left.plot(np.arange(n) - n // 2, kernel, color=colour, lw=1.8, label=label)
        right.plot(index, low_pass(x, cutoff, kind)[start:stop], color=colour, lw=1.8, label=label)
    left.set_xlim(-25, 25)
    low, high = left.get_ylim()
    left.set_ylim(low, high + 0.4 * (high - low))  # room for the legend above the peak
    left.axhline(0, color="0.6", lw=0.8)
    left.set_xlabel("offset (samples)")
    left.set_title("the low-pass kernels")
    left.legend(loc="upper left", fontsize=12)
    right.set_xlabel("sample")
    right.set_title("applied to a step")
    fig.tight_layout()
    return fig


def show_method_times(
    sizes: Sequence[int], times: Mapping[str, Sequence[float]], predicted: float | None = None
) -> Figure:
    """Milliseconds per image against the kernel size ``K`` (a ``K × K`` kernel), log axes; ``predicted`` marked.

    Examples
    --------
    >>> fig = show_method_times([3, 9, 27], {"direct": [1e-3, 9e-3, 8e-2], "FFT": [5e-3, 5e-3, 6e-3]}, 9)
    >>> plt.close(fig)
    """
    sizes = list(sizes)
    fig, ax = plt.subplots(figsize=(8.4, 4.2))
    for index, (name, seconds) in enumerate(times.items()):
        seconds = np.asarray(seconds, dtype=float)
        if seconds.shape != (len(sizes),):
            raise ValueError(f"show_method_times: {name!r} has {seconds.size} times for {len(sizes)} sizes")
        ax.plot(sizes, seconds * 1e3, marker="os^v"[index % 4], color=f"C{index}", lw=2, label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    if predicted is not None:
        ax.axvline(predicted, color="0.3", ls=":", lw=1.5, label=f"auto switches to the FFT (K = {predicted:g})")
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.minorticks_off()
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))  # 0.2, 0.5, 1, 2, 5, ... labelled
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xlabel("kernel size K (a K × K kernel)")
    ax.set_ylabel("milliseconds per image")
    ax.grid(True, which="major", color="0.9")
    ax.legend(loc="upper left", fontsize=12)
    fig.tight_layout()
    return fig
