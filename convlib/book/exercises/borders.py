"""Checkers for notebook 03 (the border problem, padding modes, output sizes).

Each checker runs the learner's answer on many cases against convlib and, for a wrong answer,
names the mistake it recognises: the common first attempt's one-short loop (``range(H - K)``), a
missing pad, a kernel not flipped, the wrong border rule, ``reflect`` and ``symmetric`` swapped,
``np.pad`` used where the exercise asks for the indices, a forgotten dilation, rounding up instead
of down, and the same word meaning different rules in different libraries (appendix A1's quiz).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping

import numpy as np

from convlib.book.exercises.core import CheckResult, ExerciseError, NotAttempted, call_answer, run_checks
from convlib.convolution import convolve2d, correlate2d
from convlib.padding import PAD_MODES, pad, translate_mode
from convlib.sizes import mode_padding, output_size

__all__ = [
    "NAME_QUESTIONS",
    "check_numpy_names",
    "check_output_size",
    "check_pad_1d",
    "check_same_convolve",
]


# --- exercise: the first attempt's loop, fixed ---------------------------------------------------------------------


def _first_attempt(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """A common first attempt: flip, then ``range(H - K)`` windows anchored at their top-left corner."""
    flipped = kernel[::-1, ::-1]
    out = np.zeros(image.shape)
    kh, kw = kernel.shape
    for i in range(image.shape[0] - kh):
        for j in range(image.shape[1] - kw):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * flipped)
    return out


def _same_cases(draw: int = 3) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(draw)
    cases = []
    for (height, width), (kh, kw) in [((6, 7), (3, 3)), ((8, 5), (3, 5)), ((7, 9), (5, 3)), ((5, 5), (1, 3))]:
        cases.append((rng.integers(0, 10, (height, width)).astype(float), rng.integers(-3, 4, (kh, kw)).astype(float)))
    return cases


def check_same_convolve(function: Callable[[np.ndarray, np.ndarray], object]) -> CheckResult:
    """Check ``function(image, kernel)`` = ``convolve2d(image, kernel, "same", boundary="symmetric")``.

    The kernels are odd-sized (so ``"same"`` has one centre). Recognises the common first attempt's
    loop over ``range(H - K)`` (black frame, one short), a loop over every valid window without padding, correlation
    instead of convolution, another border rule, and an output shifted off-centre.

    Examples
    --------
    >>> check_same_convolve(lambda image, kernel: convolve2d(image, kernel, "same", boundary="symmetric"))
    same_convolve: correct!
    CheckResult(passed=True)
    """

    def checks() -> None:
        for image, kernel in _same_cases():
            got = np.asarray(call_answer(function, image.copy(), kernel.copy()), dtype=float)
            expected = convolve2d(image, kernel, "same", boundary="symmetric")
            where = f"for a {image.shape[0]}x{image.shape[1]} image and a {kernel.shape[0]}x{kernel.shape[1]} kernel"
            (height, width), (kh, kw) = image.shape, kernel.shape
            if got.shape != expected.shape:
                hints = {
                    (height - kh + 1, width - kw + 1): "the 'valid' size: pad the image first, by K // 2 on each side",
                    (height - kh, width - kw): "one short even of 'valid', like a loop over range(H - K)",
                }
                hint = hints.get(got.shape, "it must have the image's shape")
                raise ExerciseError(f"wrong shape {where}: expected {expected.shape}, got {got.shape}: {hint}")
            if np.allclose(got, expected):
                continue
            if np.allclose(got, _first_attempt(image, kernel)):
                raise ExerciseError(
                    f"this is the loop over range(H - K) {where}: it stops one window short of 'valid' "
                    f"and the last {kh} rows and {kw} columns stay 0 (the black frame). Pad the image by K // 2 on "
                    "each side and visit every output pixel."
                )
            valid = convolve2d(image, kernel, "valid")
            unpadded = np.zeros(image.shape)
            unpadded[: valid.shape[0], : valid.shape[1]] = valid
            if np.allclose(got, unpadded):
                raise ExerciseError(
                    f"you visited every valid window but did not pad {where}: the last {kh - 1} rows and {kw - 1} "
                    "columns stay 0 and the picture sits K // 2 pixels up and left of where it belongs. Pad the "
                    "image with np.pad(image, ..., mode='symmetric') first."
                )
            if np.allclose(got, correlate2d(image, kernel, "same", boundary="symmetric")):
                raise ExerciseError(
                    f"you computed cross-correlation {where}: convolution flips the kernel on both axes "
                    "(kernel[::-1, ::-1]) before sliding it"
                )
            for mode in PAD_MODES:
                if mode != "symmetric" and np.allclose(got, convolve2d(image, kernel, "same", boundary=mode)):
                    raise ExerciseError(
                        f"the border is {mode!r} padding {where}; the exercise asks for 'symmetric' (the edge "
                        "pixel repeated: 2 1 | 1 2 3 4 | 4 3)"
                    )
            full_symmetric = convolve2d(pad(image, ((kh - 1, kh - 1), (kw - 1, kw - 1)), "symmetric"), kernel, "valid")
            same_top, same_left = kh - 1 - mode_padding(kh, "same")[0], kw - 1 - mode_padding(kw, "same")[0]
            for dy in range(-(kh - 1), kh):
                for dx in range(-(kw - 1), kw):
                    top, left = same_top + dy, same_left + dx  # where "same" starts inside "full", shifted
                    if (dy, dx) != (0, 0) and 0 <= top and 0 <= left:
                        shifted = full_symmetric[top : top + height, left : left + width]
                        if shifted.shape == got.shape and np.allclose(got, shifted):
                            raise ExerciseError(
                                f"your output is shifted {where}: pixel (i, j) holds what belongs at "
                                f"(i{dy:+d}, j{dx:+d}). Pad K // 2 on *each* side, so that the kernel's centre "
                                "sits on the output pixel"
                            )
            raise ExerciseError(f"wrong values {where}: expected\n{expected}\ngot\n{got}")

    return run_checks("same_convolve", checks)


# --- exercise: padding by indexing ----------------------------------------------------------------------


class _PadUsed(Exception):
    """Raised in place of a padding function while the learner's ``pad_1d`` runs."""


def _padding_functions() -> list[tuple[object, str, object]]:
    """(module, attribute, original) for every ready-made padding function a learner might call."""
    import convlib
    import convlib.padding

    return [(np, "pad", np.pad), (convlib, "pad", convlib.pad), (convlib.padding, "pad", convlib.padding.pad)]


@contextlib.contextmanager
def _without_padding_functions(function: Callable[..., object]) -> Iterator[None]:
    """Make ``np.pad`` and ``convlib.pad`` raise :class:`_PadUsed` while ``function`` runs.

    The names are replaced where they live (``np.pad``, ``numpy.pad``, ``convlib.pad``) and in
    ``function``'s own globals (``from numpy import pad``), and put back afterwards.
    """
    originals = _padding_functions()
    ready_made = {id(original) for _, _, original in originals}

    def refuse(*args: object, **kwargs: object) -> None:
        raise _PadUsed("np.pad")

    namespace = getattr(function, "__globals__", {})
    rebound = {name: value for name, value in namespace.items() if id(value) in ready_made}
    try:
        for module, attribute, _ in originals:
            setattr(module, attribute, refuse)
        for name in rebound:
            namespace[name] = refuse
        yield
    finally:
        for module, attribute, original in originals:
            setattr(module, attribute, original)
        namespace.update(rebound)


def check_pad_1d(function: Callable[[np.ndarray, int, str], object]) -> CheckResult:
    """Check ``function(row, width, mode)`` = ``numpy.pad(row, width, mode)`` for the four copying modes.

    ``mode`` is ``"edge"``, ``"reflect"``, ``"symmetric"`` or ``"wrap"``; ``width`` is at most
    ``len(row) - 1`` (one reflection is enough). The exercise is to work out the indices, so
    ``np.pad`` and ``convlib.pad`` are refused while the answer runs. Recognises a ready-made pad
    used, ``reflect`` and ``symmetric`` swapped, the two sides swapped, and a pad reversed.

    Examples
    --------
    >>> def pad_1d(row, width, mode):
    ...     positions = np.arange(-width, len(row) + width)
    ...     return np.asarray(row)[positions % len(row)]  # right for "wrap" only
    >>> check_pad_1d(pad_1d)
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: this is the 'wrap' rule for row=[1, 2, 3, 4, 5], width=1, ...
    >>> check_pad_1d(lambda row, width, mode: np.pad(row, width, mode=mode))
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: your answer calls np.pad (or convlib.pad)...
    """

    def answer(row: np.ndarray, width: int, mode: str) -> np.ndarray:
        try:
            with _without_padding_functions(function):
                return np.asarray(call_answer(function, row.copy(), width, mode))
        except ExerciseError as error:
            if isinstance(error.__cause__, _PadUsed):
                raise ExerciseError(
                    "your answer calls np.pad (or convlib.pad), which does the whole job: the exercise is to "
                    "work out, for each position -width .. len(row) + width - 1, which sample of the row it "
                    "copies, and index the row with those positions"
                ) from None
            raise

    def checks() -> None:
        rng = np.random.default_rng(5)
        rows = [np.array([1, 2, 3, 4, 5])] + [rng.permutation(10)[:n] + 1 for n in (2, 3, 6)]
        for mode in ("edge", "reflect", "symmetric", "wrap"):
            for row in rows:
                for width in range(1, row.size):
                    got = answer(row, width, mode)
                    expected = pad(row, width, mode)
                    where = f"for row={row.tolist()}, width={width}, mode={mode!r}"
                    if got.shape != expected.shape:
                        raise ExerciseError(
                            f"wrong length {where}: expected len(row) + 2 * width = {expected.size}, got {got.size}"
                        )
                    if np.array_equal(got, expected):
                        continue
                    if not np.array_equal(got[width : width + row.size], row):
                        raise ExerciseError(
                            f"the row itself must sit unchanged in the middle {where}; got {got.tolist()}"
                        )
                    other = {"reflect": "symmetric", "symmetric": "reflect"}.get(mode)
                    if other and np.array_equal(got, pad(row, width, other)):
                        detail = (
                            "'reflect' mirrors about the edge sample, which is not repeated: 3 2 | 1 2 3 4 | 3 2"
                            if mode == "reflect"
                            else "'symmetric' mirrors about the edge itself, so the edge sample is repeated: "
                            "2 1 | 1 2 3 4 | 4 3"
                        )
                        raise ExerciseError(f"you computed {other!r} {where}: {detail}")
                    for rule in ("edge", "wrap", "reflect", "symmetric"):
                        if rule != mode and all(
                            np.array_equal(answer(r, w, mode), pad(r, w, rule)) for r in rows for w in range(1, r.size)
                        ):
                            raise ExerciseError(
                                f"this is the {rule!r} rule {where}, not {mode!r}: does your answer look at mode?"
                            )
                    left, right = got[:width], got[width + row.size :]
                    if np.array_equal(left, expected[width + row.size :]) and np.array_equal(right, expected[:width]):
                        raise ExerciseError(f"left and right pads are swapped {where}: got {got.tolist()}")
                    if np.array_equal(left, expected[:width][::-1]) or np.array_equal(
                        right, expected[width + row.size :][::-1]
                    ):
                        raise ExerciseError(
                            f"a pad is in reverse order {where}: expected {expected.tolist()}, got {got.tolist()}"
                        )
                    raise ExerciseError(f"wrong values {where}: expected {expected.tolist()}, got {got.tolist()}")

    return run_checks("pad_1d", checks)


# --- exercise: the output-size formula ------------------------------------------------------------------


def _size_cases() -> list[tuple[int, int, int, int, int]]:
    cases = []
    for n in (1, 2, 5, 7, 8, 32):
        for k in (1, 2, 3, 5):
            for s in (1, 2, 3):
                for p in (0, 1, 2):
                    for d in (1, 2, 3):
                        if d * (k - 1) + 1 <= n + 2 * p:
                            cases.append((n, k, s, p, d))
    return cases


def check_output_size(function: Callable[[int, int, int, int, int], object]) -> CheckResult:
    """Check ``function(n, kernel_size, stride, padding, dilation)`` against :func:`convlib.sizes.output_size`.

    It must also raise ``ValueError`` when the dilated kernel is larger than the padded input.
    Recognises a forgotten dilation, rounding up, padding counted once, and an off-by-one.

    Examples
    --------
    >>> def size(n, k, s, p, d):
    ...     if d * (k - 1) + 1 > n + 2 * p:
    ...         raise ValueError("no window fits")
    ...     return (n + 2 * p - d * (k - 1) - 1) // s + 1
    >>> check_output_size(size)
    conv_output_size: correct!
    CheckResult(passed=True)
    """

    def formula(n: int, k: int, s: int, p: int, d: int, *, ceil: bool = False, sides: int = 2) -> int:
        top = n + sides * p - d * (k - 1) - 1
        return -(-top // s) + 1 if ceil else top // s + 1

    def checks() -> None:
        cases = _size_cases()
        answers = {case: call_answer(function, *case) for case in cases}
        for case, got in answers.items():
            expected = output_size(*case)
            if got == expected:
                continue
            n, k, s, p, d = case
            where = f"conv_output_size(n={n}, kernel_size={k}, stride={s}, padding={p}, dilation={d})"
            if not isinstance(got, int | np.integer):
                raise ExerciseError(f"{where} returned {got!r}; a size is a whole number (use // for the floor)")
            if all(answers[c] == formula(*c[:4], 1) for c in cases):
                raise ExerciseError(
                    f"{where} = {expected}, got {got}: you left out the dilation. Taps D apart make the kernel "
                    "span D(K - 1) + 1 samples."
                )
            if all(answers[c] == formula(*c, ceil=True) for c in cases):
                raise ExerciseError(
                    f"{where} = {expected}, got {got}: you rounded up. A last window that would stick out past the "
                    "padded input is dropped: floor, i.e. //."
                )
            if all(answers[c] == formula(*c, sides=1) for c in cases):
                raise ExerciseError(f"{where} = {expected}, got {got}: padding is added at both ends, so it counts 2P")
            if all(answers[c] - output_size(*c) == got - expected for c in cases):
                raise ExerciseError(f"{where} = {expected}, got {got}: off by {got - expected:+d} on every case")
            raise ExerciseError(f"{where} should be {expected}, got {got}")
        for n, k, s, p, d in [(3, 5, 1, 0, 1), (4, 3, 1, 0, 3), (2, 5, 2, 1, 1)]:  # no window fits
            where = f"conv_output_size(n={n}, kernel_size={k}, stride={s}, padding={p}, dilation={d})"
            try:
                got = call_answer(function, n, k, s, p, d)
            except ExerciseError as error:
                if isinstance(error.__cause__, ValueError):
                    continue
                raise
            except NotAttempted:
                raise
            raise ExerciseError(
                f"{where} returned {got!r}: the dilated kernel (span {d * (k - 1) + 1}) is larger than the padded "
                f"input ({n} + 2*{p} = {n + 2 * p}), so no window fits. Raise ValueError rather than return a size."
            )

    return run_checks("conv_output_size", checks)


# --- exercise: the Rosetta quiz -------------------------------------------------------------------------

#: The names the quiz asks about: (library, that library's name for a border mode).
NAME_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("scipy.ndimage", "reflect"),
    ("scipy.ndimage", "mirror"),
    ("scipy.ndimage", "nearest"),
    ("opencv", "BORDER_REFLECT"),
    ("opencv", "BORDER_REFLECT_101"),
    ("torch", "circular"),
    ("torch.Conv2d", "zeros"),
    ("scipy.signal", "symm"),
)


def check_numpy_names(answers: Mapping[tuple[str, str], object]) -> CheckResult:
    """Check the numpy.pad name given for each (library, name) of :data:`NAME_QUESTIONS`.

    The right answers are read from :data:`convlib.padding.MODE_NAMES` (which the tests check
    by running every library). Recognises the same word taken for the same rule.

    Examples
    --------
    >>> check_numpy_names({q: translate_mode(q[1], source=q[0], target="numpy") for q in NAME_QUESTIONS})
    numpy names: correct!
    CheckResult(passed=True)
    """

    def checks() -> None:
        if not isinstance(answers, Mapping):
            raise ExerciseError(
                f"answers must be a dict of (library, name) -> numpy name; got {type(answers).__name__}"
            )
        missing = [q for q in NAME_QUESTIONS if q not in answers]
        if missing:
            raise ExerciseError(f"answers is missing the question(s) {missing}: keep every key of the stub")
        if all(answers[q] is None for q in NAME_QUESTIONS):
            raise NotAttempted("every answer is still None")
        for library, name in NAME_QUESTIONS:
            got = answers[(library, name)]
            expected = translate_mode(name, source=library, target="numpy")
            if got == expected:
                continue
            question = f"{library} {name!r}"
            if got is None:
                raise ExerciseError(f"{question}: no answer yet (None)")
            if got not in PAD_MODES:
                raise ExerciseError(
                    f"{question}: numpy.pad has no mode {got!r} among the five border rules; "
                    f"they are {', '.join(map(repr, PAD_MODES))}"
                )
            rule = {
                "constant": "0 0 | 1 2 3 4 | 0 0",
                "edge": "1 1 | 1 2 3 4 | 4 4",
                "reflect": "3 2 | 1 2 3 4 | 3 2",
                "symmetric": "2 1 | 1 2 3 4 | 4 3",
                "wrap": "3 4 | 1 2 3 4 | 1 2",
            }[expected]
            trap = ""
            if got in name.lower():
                trap = " The same word does not mean the same rule in every library."
            raise ExerciseError(
                f"{question} is numpy's {expected!r}, not {got!r}: it pads [1, 2, 3, 4] as {rule}.{trap} "
                f"(MODE_NAMES[{expected!r}] lists every library's name for it.)"
            )

    return run_checks("numpy names", checks)
