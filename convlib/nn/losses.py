"""The classification loss: softmax and cross-entropy, with the gradient a backward pass starts from."""

from __future__ import annotations

import numpy as np

from convlib.validation import as_numeric_array, check_finite

__all__ = ["softmax", "softmax_cross_entropy"]


_NOT_FINITE = "softmax needs finite scores (a NaN or infinite logit has no defined probability)"


def _check_logits(logits: object, function: str) -> np.ndarray:
    """Finite 2-D logits; bool and integer logits as float64 (integer subtraction of the maximum could wrap)."""
    scores = as_numeric_array(logits, "logits", function)
    if scores.ndim != 2 or scores.size == 0:
        raise ValueError(f"{function}: logits must be 2-D (N, classes) and not empty; got shape {scores.shape}")
    if scores.dtype.kind != "f":
        scores = scores.astype(np.float64)
    check_finite(scores, "logits", function, _NOT_FINITE)
    return scores


def _check_logits_labels(logits: object, labels: object, function: str) -> tuple[np.ndarray, np.ndarray]:
    scores = _check_logits(logits, function)
    targets = as_numeric_array(labels, "labels", function)
    if targets.dtype.kind not in "iu":
        raise TypeError(f"{function}: labels must be integers (class indices); got dtype {targets.dtype}")
    if targets.shape != (scores.shape[0],):
        raise ValueError(
            f"{function}: labels must be 1-D with one class index per row of logits, shape ({scores.shape[0]},); "
            f"got shape {targets.shape}"
        )
    if targets.min() < 0 or targets.max() >= scores.shape[1]:
        raise ValueError(
            f"{function}: labels must lie in 0..{scores.shape[1] - 1} (logits has {scores.shape[1]} classes); "
            f"got values from {targets.min()} to {targets.max()}"
        )
    return scores, targets


def softmax(logits: object) -> np.ndarray:
    """Row-wise softmax ``exp(z) / sum(exp(z))``, computed stably (the row's maximum is subtracted first).

    Parameters
    ----------
    logits : array_like, shape (N, classes)
        Finite scores. Bool and integer logits are computed in float64 (subtracting the maximum in
        ``int8`` or ``int64`` could wrap); floating logits keep their dtype.

    Returns
    -------
    numpy.ndarray, shape (N, classes)
        Each row a distribution. A difference from the row's maximum too large for the dtype (logits
        ``1e308`` and ``-1e308``) gives probability 0, as the exact value rounds to.

    Raises
    ------
    ValueError
        For logits that are not 2-D, are empty, or hold NaN or infinity.
    TypeError
        For logits that are not real numbers.

    Examples
    --------
    >>> softmax(np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]]))
    array([[0.25, 0.75],
           [0.5 , 0.5 ]])
    >>> softmax(np.array([[-128, 127]], dtype=np.int8)).round(3)  # float64: no int8 wrap-around
    array([[0., 1.]])
    """
    scores = _check_logits(logits, "softmax")
    with np.errstate(over="ignore"):  # z - max(z) may overflow to -inf (logits 1e308 and -1e308): exp gives 0
        shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)  # the maximum gives exp(0) = 1, so each row's sum is >= 1
    return exp / exp.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits: object, labels: object) -> tuple[float, np.ndarray]:
    """The mean cross-entropy of softmax(logits) against integer labels, and its gradient.

    ``loss = mean over n of (logsumexp(logits[n]) - logits[n, labels[n]])``, equal to
    ``torch.nn.functional.cross_entropy(logits, labels)``; the gradient is
    ``(softmax(logits) - one_hot(labels)) / N``.

    Parameters
    ----------
    logits : array_like, shape (N, classes)
        Unnormalised scores (the last layer's output).
    labels : array_like of int, shape (N,)
        The true class of each row, in ``0..classes-1``.

    Returns
    -------
    loss : float
    grad : numpy.ndarray, shape (N, classes)
        dLoss/dLogits.

    Raises
    ------
    ValueError
        For logits that are not 2-D or hold NaN or infinity, labels of the wrong length, or labels out of range.
    TypeError
        For labels that are not integers.

    Notes
    -----
    Bool and integer logits are computed in float64; floating logits keep their dtype in ``grad``.
    The loss is computed in float64 from ``logsumexp(z) - max(z)`` (between 0 and ``log(classes)``)
    plus ``max(z) - z[label]``, so it is exact to rounding however large the logits; it is ``inf``
    only where the exact loss exceeds float64's range (logits ``1e308`` and ``-1e308``).

    Examples
    --------
    >>> loss, grad = softmax_cross_entropy(np.array([[0.0, 0.0], [0.0, 0.0]]), np.array([0, 1]))
    >>> round(loss, 6)                        # log 2: a 50/50 guess
    0.693147
    >>> grad
    array([[-0.25,  0.25],
           [ 0.25, -0.25]])
    """
    scores, targets = _check_logits_labels(logits, labels, "softmax_cross_entropy")
    n = scores.shape[0]
    rows = np.arange(n)
    top = scores.max(axis=1, keepdims=True)
    with np.errstate(over="ignore"):  # z - max(z) may overflow to -inf: exp gives 0, as the exact value rounds to
        shifted = scores - top
    log_sum = np.log(np.exp(shifted).sum(axis=1))  # in [0, log(classes)]: the maximum contributes exp(0) = 1
    with np.errstate(over="ignore"):  # in float64, so float32 logits 3e38 apart still give a finite loss
        gap = top[:, 0].astype(np.float64) - scores[rows, targets].astype(np.float64)
        loss = float(np.mean(log_sum.astype(np.float64) + gap))
    grad = np.exp(shifted - log_sum[:, None])
    grad[rows, targets] -= 1.0
    grad /= n
    return loss, grad
