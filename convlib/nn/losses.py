"""The classification loss: softmax and cross-entropy, with the gradient a backward pass starts from."""

from __future__ import annotations

import numpy as np

from convlib.validation import as_numeric_array

__all__ = ["softmax", "softmax_cross_entropy"]


def _check_logits_labels(logits: object, labels: object, function: str) -> tuple[np.ndarray, np.ndarray]:
    scores = as_numeric_array(logits, "logits", function)
    if scores.ndim != 2 or scores.size == 0:
        raise ValueError(f"{function}: logits must be 2-D (N, classes) and not empty; got shape {scores.shape}")
    if scores.dtype.kind not in "f":
        scores = scores.astype(np.float64)
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

    Examples
    --------
    >>> softmax(np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]]))
    array([[0.25, 0.75],
           [0.5 , 0.5 ]])
    """
    scores = as_numeric_array(logits, "logits", "softmax")
    if scores.ndim != 2:
        raise ValueError(f"softmax: logits must be 2-D (N, classes); got shape {scores.shape}")
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
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
        For logits that are not 2-D, labels of the wrong length, or labels out of range.
    TypeError
        For labels that are not integers.

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
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1))
    rows = np.arange(n)
    loss = float(np.mean(log_sum - shifted[rows, targets]))
    grad = np.exp(shifted - log_sum[:, None])
    grad[rows, targets] -= 1.0
    grad /= n
    return loss, grad
