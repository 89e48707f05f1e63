"""Checkers for notebook 02 (2-D kernels on real images)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.book.exercises.core import ExerciseError, NotAttempted, call_answer, run_checks
from convlib.convolution import convolve2d, correlate2d


def _image_cases(seed: int = 2) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    cases = [(np.arange(16.0).reshape(4, 4), np.array([[1.0, 2.0], [3.0, 4.0]]))]
    for shape, kernel_shape in [((5, 6), (3, 3)), ((7, 5), (2, 3)), ((6, 6), (1, 1)), ((4, 9), (4, 2))]:
        cases.append((rng.integers(0, 9, shape).astype(float), rng.integers(-3, 4, kernel_shape).astype(float)))
    return cases


def check_correlate2d(function: Callable[[np.ndarray, np.ndarray], object]) -> bool:
    """Check a learner's ``function(image, kernel)`` that should return the ``"valid"`` cross-correlation.

    Recognises: convolution instead of correlation (a flipped kernel), the seed blog post's loop bound
    that stops one row and one column short, and transposed results.

    Examples
    --------
    >>> check_correlate2d(lambda image, kernel: correlate2d(image, kernel, mode="valid"))
    correlate2d: correct!
    True
    """

    def checks() -> None:
        for image, kernel in _image_cases():
            got = np.asarray(call_answer(function, image.copy(), kernel.copy()), dtype=float)
            expected = correlate2d(image, kernel, mode="valid")
            where = f"for an image of shape {image.shape} and a kernel of shape {kernel.shape}"
            if got.shape == tuple(s - 1 for s in expected.shape) and np.allclose(got, expected[:-1, :-1]):
                raise ExerciseError(
                    f"your output has shape {got.shape}, one row and one column short of {expected.shape} {where}: "
                    "range(H - KH) stops too early, the last window starts at H - KH, so use range(H - KH + 1)"
                )
            if got.shape != expected.shape:
                raise ExerciseError(
                    f"wrong shape {where}: 'valid' has (H - KH + 1, W - KW + 1) = {expected.shape}, got {got.shape}"
                )
            if np.allclose(got, expected):
                continue
            if np.allclose(got, convolve2d(image, kernel, mode="valid")):
                raise ExerciseError(
                    f"you computed a convolution (the kernel flipped) {where}; correlation slides the kernel as it is"
                )
            raise ExerciseError(f"wrong values {where}: expected\n{expected}\ngot\n{got}")

    return run_checks("correlate2d", checks)


def check_blur_kernel(kernel: object) -> bool:
    """Check a 5x5 blur that keeps brightness: non-negative weights summing to 1, heaviest in the centre.

    Recognises a kernel that does not sum to 1, negative weights, an off-centre peak, and one that
    keeps nearly all its weight in one place (the identity), which does not blur.

    Examples
    --------
    >>> check_blur_kernel(np.full((5, 5), 1 / 25))
    blur kernel: correct!
    True
    """

    def checks() -> None:
        if kernel is None:
            raise NotAttempted("my_blur is still None")
        weights = np.asarray(kernel, dtype=float)
        if weights.shape != (5, 5):
            raise ExerciseError(f"the kernel must be 5x5; got shape {weights.shape}")
        if np.any(weights < 0):
            raise ExerciseError("a blur averages: negative weights subtract neighbours (that sharpens or finds edges)")
        total = weights.sum()
        if not np.isclose(total, 1.0):
            raise ExerciseError(
                f"the weights sum to {total:g}, so a flat gray image comes out {total:g} times as bright: "
                f"divide the kernel by {total:g}"
            )
        if weights[2, 2] < weights.max() - 1e-12:
            raise ExerciseError("the centre weight should be the largest (or equal to the largest)")
        concentration = float((weights**2).sum())  # 1 for the identity, 1/25 for a 5x5 box
        if concentration > 0.5:
            raise ExerciseError(
                f"this kernel barely mixes neighbours (its squared weights sum to {concentration:.2f}; the "
                "identity's to 1, a 5x5 box's to 0.04): a blur spreads its weight over the neighbourhood"
            )

    return run_checks("blur kernel", checks)


def check_to_display(function: Callable[[np.ndarray], object]) -> bool:
    """Check a learner's ``function(response)`` turning a signed float edge response into a ``uint8`` picture.

    The picture must be ``uint8`` and order-preserving (a larger response never gets a darker gray),
    and use most of the 0..255 range. Recognises ``astype(np.uint8)`` on floats (negatives wrap,
    fractions truncate to 0), and clipping to ``0..1`` (every negative response becomes black).

    Examples
    --------
    >>> def to_display(response):
    ...     low, high = response.min(), response.max()
    ...     return np.round(255 * (response - low) / (high - low)).astype(np.uint8)
    >>> check_to_display(to_display)
    display conversion: correct!
    True
    """
    rng = np.random.default_rng(5)
    responses = [np.linspace(-3.0, 4.0, 64).reshape(8, 8), rng.normal(size=(16, 16)) * 200]

    def checks() -> None:
        for response in responses:
            got = np.asarray(call_answer(function, response.copy()))
            if got.shape != response.shape:
                raise ExerciseError(f"the picture must keep the shape {response.shape}; got {got.shape}")
            if got.dtype != np.uint8:
                raise ExerciseError(f"the picture must be uint8 (0..255), got dtype {got.dtype}")
            order = np.argsort(response, axis=None, kind="stable")
            if np.any(np.diff(got.ravel()[order].astype(int)) < 0):
                wrapped = np.array_equal(got, response.astype(np.uint8))
                raise ExerciseError(
                    "a larger response got a darker gray somewhere: "
                    + (
                        "astype(np.uint8) wraps negative values around (-1 becomes 255)"
                        if wrapped
                        else "the mapping is not monotonic"
                    )
                )
            if int(got.max()) - int(got.min()) < 200:
                raise ExerciseError(
                    f"the picture only uses gray levels {got.min()}..{got.max()}: scale it to use the 0..255 range"
                )
            negative_grays = np.unique(got[response < 0])
            if negative_grays.size < 5:
                shared = (
                    f"every negative response got the same gray ({negative_grays[0]})"
                    if negative_grays.size == 1
                    else f"the negative responses got only {negative_grays.size} gray levels"
                )
                raise ExerciseError(
                    f"{shared}: you clipped away the negative half; an edge response is signed, and its "
                    "negative values are edges too"
                )

    return run_checks("display conversion", checks)
