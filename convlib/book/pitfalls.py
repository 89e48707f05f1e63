"""Three DELIBERATELY WRONG versions of the NTM shift, for notebook 08. Do not use them.

Each has the signature of :func:`convlib.shifting.ntm_shift`: a common first attempt at equation (8)
of Graves et al. 2014. On a weighting away from the ends, with a symmetric shift distribution, all
three can look right; notebook 08 (and ``tests/test_shifting.py``) shows the simple case where each
one goes wrong:

* :func:`shift_noncircular` uses an ordinary (zero-padded) convolution: weight that moves past
  either end falls off instead of wrapping round, and the result no longer sums to 1.
  snipsco/ntm-lasagne computes its shift this way (``ntm/heads.py``; its author confirmed the
  choice in https://github.com/snipsco/ntm-lasagne/issues/27).
* :func:`shift_reversed_labels` pairs the shift distribution with its labels in reverse order:
  weight on ``+1`` moves the focus by ``-1`` (it computes a correlation, not a convolution).
  loudinthecloud/pytorch-ntm's ``_convolve`` (``ntm/memory.py``, PyTorch's ``conv1d`` on a circularly
  padded weighting) computes exactly this; a trained controller learns its own labels, so there it
  is a reversed reading of ``s``, not a failure to train.
* :func:`shift_wrong_axis` rolls and sums along the batch axis instead of the memory axis: with
  a batch of one, nothing moves at all and the result is the input.

Notebook 08 writes each one out in a few lines (for the shifts ``(-1, 0, 1)``), so that the learner sees
the mistake; these general versions are what the checker's examples and the tests use.
``tests/test_shifting_lessons.py`` holds numpy transcriptions of the cited code against these.
They skip convlib's input checks on purpose, to stay as short as the code they imitate.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["shift_noncircular", "shift_reversed_labels", "shift_wrong_axis"]


def _kernel(shift_weights: object, shifts: Sequence[int]) -> np.ndarray:
    """``shift_weights`` laid out from the smallest to the largest shift, zeros in any gaps."""
    shifts = np.asarray(shifts)
    kernel = np.zeros(shifts.max() - shifts.min() + 1)
    kernel[shifts - shifts.min()] = np.asarray(shift_weights, dtype=float)
    return kernel


def shift_noncircular(weights: object, shift_weights: object, shifts: Sequence[int] = (-1, 0, 1)) -> np.ndarray:
    """WRONG: a plain convolution with zero padding, so nothing wraps round the ends.

    Right direction, right values in the interior; but weight shifted past the last row (or
    before the first) is lost, where equation (8) brings it back at the other end.

    Parameters
    ----------
    weights : array_like, shape (N,)
    shift_weights : array_like, shape (S,)
    shifts : sequence of int, length S (centred on 0, such as ``(-1, 0, 1)``)

    Returns
    -------
    numpy.ndarray, shape (N,)
        (``max(N, S)`` when ``N < S``: ``np.convolve``'s ``"same"`` keeps the longer length.)

    Examples
    --------
    >>> shift_noncircular([0, 0, 0, 1], [0, 0, 1])  # ntm_shift gives [1, 0, 0, 0]
    array([0., 0., 0., 0.])
    """
    kernel = _kernel(shift_weights, shifts)
    return np.convolve(np.asarray(weights, dtype=float), kernel, mode="same")  # BUG: no wrap-round


def shift_wrong_axis(weights: object, shift_weights: object, shifts: Sequence[int] = (-1, 0, 1)) -> np.ndarray:
    """WRONG: rolls and sums along the batch axis, not the memory axis, so nothing moves.

    The weighting is held as a batch of one, shape ``(1, N)``; rolling along axis 0 (the batch)
    leaves it as it was, and the weighted sum of ``S`` unmoved copies is ``sum(s) * w = w``.

    Parameters
    ----------
    weights : array_like, shape (N,)
    shift_weights : array_like, shape (S,)
    shifts : sequence of int, length S

    Returns
    -------
    numpy.ndarray, shape (N,)

    Examples
    --------
    >>> shift_wrong_axis([0, 1, 0, 0], [0, 0, 1])  # ntm_shift gives [0, 0, 1, 0]
    array([0., 1., 0., 0.])
    """
    batch = np.asarray(weights, dtype=float)[np.newaxis, :]  # shape (1, N)
    copies = np.stack([np.roll(batch, shift, axis=0) for shift in shifts])  # BUG: axis 0 is the batch
    return np.tensordot(np.asarray(shift_weights, dtype=float), copies, axes=1)[0]


def shift_reversed_labels(weights: object, shift_weights: object, shifts: Sequence[int] = (-1, 0, 1)) -> np.ndarray:
    """WRONG: reads the shift distribution against its labels in reverse order.

    ``shift_weights[k]`` is used for ``shifts[-1 - k]``, so weight on ``+1`` moves the focus
    to ``i - 1``. For a symmetric shift distribution the answer is right, which hides the bug.

    Parameters
    ----------
    weights : array_like, shape (N,)
    shift_weights : array_like, shape (S,)
    shifts : sequence of int, length S

    Returns
    -------
    numpy.ndarray, shape (N,)

    Examples
    --------
    >>> shift_reversed_labels([0, 1, 0, 0], [0, 0, 1])  # ntm_shift gives [0, 0, 1, 0]
    array([1., 0., 0., 0.])
    """
    w = np.asarray(weights, dtype=float)
    reversed_weights = np.asarray(shift_weights, dtype=float)[::-1]  # BUG: labels in the wrong order
    return sum(weight * np.roll(w, shift) for shift, weight in zip(shifts, reversed_weights))
