"""Training loops for notebook 06: fit one kernel by gradient descent, and train a small CNN epoch by epoch.

Everything is seeded by a ``numpy.random.Generator`` you pass (the batch order) and prints only
rounded numbers, one line per epoch, so a notebook that trains stores the same text on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from convlib.nn import SGD, Layer, Parameter, softmax_cross_entropy
from convlib.nn.functional import conv2d, conv2d_backward
from convlib.sizes import as_pair
from convlib.validation import as_numeric_array, as_real_number, check_positive_int

__all__ = [
    "History",
    "KernelFit",
    "accuracy",
    "batch_order",
    "fit",
    "fit_kernel",
    "progress_bar",
    "train_epoch",
    "train_step",
]


# --- one kernel ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KernelFit:
    """The path of a kernel fitted by gradient descent.

    Attributes
    ----------
    kernels : numpy.ndarray, shape (steps + 1, KH, KW)
        ``kernels[t]`` is the kernel after ``t`` steps (``kernels[0]`` the starting one).
    losses : numpy.ndarray, shape (steps + 1,)
        ``losses[t]``: the loss of ``kernels[t]``, half the mean squared error.
    """

    kernels: np.ndarray
    losses: np.ndarray

    @property
    def kernel(self) -> np.ndarray:
        """The final kernel."""
        return self.kernels[-1]

    @property
    def steps(self) -> int:
        """How many gradient steps were taken."""
        return len(self.kernels) - 1

    def first_step_within(self, kernel: object, tolerance: float) -> int | None:
        """The first step ``t`` with ``max|kernels[t] - kernel| < tolerance``, or ``None`` if never.

        Examples
        --------
        >>> path = KernelFit(np.array([[[0.0]], [[0.9]], [[0.999]]]), np.zeros(3))
        >>> path.first_step_within([[1.0]], 0.01), path.first_step_within([[1.0]], 1e-6)
        (2, None)
        """
        target = as_numeric_array(kernel, "kernel", "first_step_within")
        tolerance = as_real_number(tolerance, "tolerance", "first_step_within", low=0, closed_low=False)
        if target.shape != self.kernels.shape[1:]:
            raise ValueError(f"first_step_within: kernel must have shape {self.kernels.shape[1:]}; got {target.shape}")
        within = np.flatnonzero(np.abs(self.kernels - target).max(axis=(1, 2)) < tolerance)
        return int(within[0]) if within.size else None


def fit_kernel(
    image: object,
    target: object,
    kernel_size: int | tuple[int, int] = 3,
    *,
    lr: float,
    steps: int,
    momentum: float = 0.9,
    initial: object = None,
) -> KernelFit:
    """Find the kernel ``K`` with ``correlate2d(image, K, "valid") ≈ target`` by gradient descent.

    The model is one convolution layer with one filter and no bias: ``prediction = conv2d(image, K)``
    (cross-correlation, as every CNN layer). The loss is ``mean((prediction - target)**2) / 2``;
    its gradient with respect to ``K`` comes from :func:`convlib.conv2d_backward`, and
    :class:`convlib.nn.SGD` takes the steps.

    Parameters
    ----------
    image : array_like, shape (H, W)
    target : array_like, shape (H - KH + 1, W - KW + 1)
        The output the kernel should produce (a ``"valid"`` result).
    kernel_size : int or (int, int)
    lr : float, keyword-only
        Learning rate (> 0). Too large and the loss grows: lower it.
    steps : int, keyword-only
        Number of gradient steps (>= 1). All of them are recorded.
    momentum : float, keyword-only
        Heavy-ball momentum in [0, 1).
    initial : array_like, shape (KH, KW), optional
        Starting kernel; zeros by default.

    Returns
    -------
    KernelFit

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> image = rng.standard_normal((20, 20))
    >>> true = np.array([[0.0, 1.0], [-1.0, 0.5]])
    >>> path = fit_kernel(image, conv2d(image[None, None], true[None, None])[0, 0], 2, lr=0.5, steps=40, momentum=0.0)
    >>> np.round(path.kernel, 3)
    array([[ 0. ,  1. ],
           [-1. ,  0.5]])
    >>> bool(path.losses[-1] < 1e-8 < path.losses[0])
    True
    """
    function = "fit_kernel"
    pixels = as_numeric_array(image, "image", function).astype(np.float64)
    if pixels.ndim != 2:
        raise ValueError(f"{function}: image must be 2-D (H, W); got shape {pixels.shape}")
    kh, kw = as_pair(kernel_size, "kernel_size", function)
    expected = (pixels.shape[0] - kh + 1, pixels.shape[1] - kw + 1)
    if min(expected) < 1:
        raise ValueError(f"{function}: kernel_size {(kh, kw)} is larger than the image {pixels.shape}")
    goal = as_numeric_array(target, "target", function).astype(np.float64)
    if goal.shape != expected:
        raise ValueError(
            f"{function}: target must have the 'valid' output's shape (H - KH + 1, W - KW + 1) = {expected}; "
            f"got {goal.shape}"
        )
    steps = check_positive_int(steps, "steps", function)
    lr = as_real_number(lr, "lr", function, low=0, high=np.inf, closed_low=False, closed_high=False)
    momentum = as_real_number(momentum, "momentum", function, low=0, high=1, closed_high=False)
    start = np.zeros((kh, kw)) if initial is None else as_numeric_array(initial, "initial", function).astype(np.float64)
    if start.shape != (kh, kw):
        raise ValueError(f"{function}: initial must have shape {(kh, kw)}; got {start.shape}")

    x = pixels[None, None]
    kernel = Parameter(start[None, None])
    optimizer = SGD([kernel], lr=lr, momentum=momentum)

    def loss_and_gradient() -> float:
        residual = conv2d(x, kernel.data) - goal
        kernel.grad = conv2d_backward(residual / residual.size, x, kernel.data)[1]
        return float(np.mean(residual**2) / 2)

    kernels, losses = [kernel.data[0, 0].copy()], [loss_and_gradient()]
    for _ in range(steps):
        optimizer.step()
        losses.append(loss_and_gradient())
        kernels.append(kernel.data[0, 0].copy())
    return KernelFit(np.array(kernels), np.array(losses))


# --- a network ----------------------------------------------------------------------------------------------


def _check_data(x: object, labels: object, function: str, names: tuple[str, str] = ("x", "labels")):
    images = as_numeric_array(x, names[0], function)
    targets = as_numeric_array(labels, names[1], function)
    if images.ndim < 2 or images.shape[0] == 0:
        raise ValueError(f"{function}: {names[0]} must be a non-empty batch (N, ...); got shape {images.shape}")
    if targets.shape != (images.shape[0],):
        raise ValueError(
            f"{function}: {names[1]} must be 1-D with one label per row of {names[0]}, shape ({images.shape[0]},); "
            f"got shape {targets.shape}"
        )
    return images, targets


def batch_order(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """The indices ``0..n-1`` shuffled by ``rng`` and cut into batches (the last may be smaller).

    Examples
    --------
    >>> [b.tolist() for b in batch_order(5, 2, np.random.default_rng(0))]
    [[2, 4], [3, 0], [1]]
    """
    n = check_positive_int(n, "n", "batch_order")
    batch_size = check_positive_int(batch_size, "batch_size", "batch_order")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"batch_order: rng must be a numpy.random.Generator; got {type(rng).__name__}")
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def train_step(model: Layer, optimizer: object, x: object, labels: object) -> float:
    """One step: forward, softmax cross-entropy, backward, ``optimizer.step()``. Returns the batch's loss.

    Examples
    --------
    >>> from convlib.nn import Linear, Sequential
    >>> model = Sequential(Linear(2, 2, rng=np.random.default_rng(0)))
    >>> x, labels = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1])
    >>> optimizer = SGD(model.parameters(), lr=1.0)
    >>> first = train_step(model, optimizer, x, labels)
    >>> bool(train_step(model, optimizer, x, labels) < first)
    True
    """
    loss, grad = softmax_cross_entropy(model.forward(x), labels)
    model.backward(grad)
    optimizer.step()  # type: ignore[attr-defined]
    return loss


def train_epoch(model: Layer, optimizer: object, x: object, labels: object, batches: Sequence[np.ndarray]) -> float:
    """One pass over the data in the given ``batches`` (see :func:`batch_order`); the mean loss per example.

    Examples
    --------
    >>> from convlib.nn import Linear, Sequential
    >>> model = Sequential(Linear(2, 2, rng=np.random.default_rng(0)))
    >>> x, labels = np.eye(2), np.array([0, 1])
    >>> loss = train_epoch(model, SGD(model.parameters(), lr=0.5), x, labels, [np.array([0]), np.array([1])])
    >>> round(loss, 4) > 0
    True
    """
    x, labels = _check_data(x, labels, "train_epoch")
    total, count = 0.0, 0
    for batch in batches:
        total += train_step(model, optimizer, x[batch], labels[batch]) * len(batch)
        count += len(batch)
    if count == 0:
        raise ValueError("train_epoch: batches is empty")
    return total / count


def accuracy(model: Layer, x: object, labels: object, batch_size: int = 512) -> float:
    """The fraction of ``x`` whose largest logit is the true label.

    Parameters
    ----------
    model : Layer
        Maps a batch ``x[i:j]`` to logits of shape ``(j - i, classes)``.
    x : array_like, shape (N, ...)
        The inputs.
    labels : array_like, shape (N,)
        The true classes: whole numbers in ``0..classes-1`` (integers, or floats with whole values).
        A label outside that range could never be predicted, so it is a ``ValueError``, not a miss.
    batch_size : int
        How many rows of ``x`` go through ``model`` at a time.

    Returns
    -------
    float
        In ``[0, 1]``.

    Raises
    ------
    ValueError
        For labels that are not whole numbers in ``0..classes-1``, or of the wrong shape.
    TypeError
        For labels that are bool or not numbers.

    Examples
    --------
    >>> from convlib.nn import Linear, Sequential
    >>> model = Sequential(Linear(2, 2, rng=np.random.default_rng(0)))
    >>> model.load_state_dict({"0.weight": np.eye(2), "0.bias": np.zeros(2)})
    >>> accuracy(model, np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]]), np.array([0, 1, 1]))
    0.666...
    >>> accuracy(model, np.array([[1.0, 0.0]]), np.array([2]))
    Traceback (most recent call last):
    ...
    ValueError: accuracy: labels must be class indices in 0..1 (the model gives 2 classes); got 2 at index 0
    """
    x, labels = _check_data(x, labels, "accuracy")
    batch_size = check_positive_int(batch_size, "batch_size", "accuracy")
    labels = _class_indices(labels)
    right = 0
    for start in range(0, len(x), batch_size):
        logits = model.forward(x[start : start + batch_size])
        if start == 0:
            _check_label_range(labels, logits)
        right += int(np.sum(np.argmax(logits, axis=1) == labels[start : start + batch_size]))
    return right / len(x)


def _class_indices(labels: np.ndarray) -> np.ndarray:
    """``labels`` if they are whole numbers (of an integer dtype, or floats with whole values); else an error."""
    if labels.dtype.kind == "b":
        raise TypeError("accuracy: labels must be integer class indices; got an array of dtype bool")
    if labels.dtype.kind == "f":
        whole = np.isfinite(labels) & (labels == np.floor(labels))
        if not np.all(whole):
            index = int(np.argmin(whole))
            raise ValueError(
                f"accuracy: labels must be whole numbers (class indices); got {labels[index].item()!r} at index {index}"
            )
    return labels


def _check_label_range(labels: np.ndarray, logits: object) -> None:
    """Raise ``ValueError`` unless every label is in ``0..classes-1``, ``classes`` as the model's logits give."""
    shape = np.shape(logits)
    if len(shape) != 2:
        raise ValueError(f"accuracy: model must give 2-D logits (batch, classes); got shape {shape}")
    classes = shape[1]
    outside = (labels < 0) | (labels >= classes)
    if np.any(outside):
        index = int(np.argmax(outside))
        raise ValueError(
            f"accuracy: labels must be class indices in 0..{classes - 1} (the model gives {classes} classes); "
            f"got {labels[index].item()!r} at index {index}"
        )


def progress_bar(done: int, total: int, width: int = 20) -> str:
    """A text bar like ``[██████░░░░] 3/5``: deterministic, so it is safe in stored notebook output.

    Examples
    --------
    >>> progress_bar(3, 5, width=10)
    '[██████░░░░] 3/5'
    """
    total = check_positive_int(total, "total", "progress_bar")
    done = check_positive_int(done, "done", "progress_bar", minimum=0)
    width = check_positive_int(width, "width", "progress_bar")
    filled = round(width * min(done, total) / total)
    digits = len(str(total))
    return f"[{'█' * filled}{'░' * (width - filled)}] {done:>{digits}}/{total}"


@dataclass
class History:
    """Per-epoch numbers from :func:`fit` (all floats; accuracies are fractions in 0..1)."""

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)


def fit(
    model: Layer,
    optimizer: object,
    x_train: object,
    y_train: object,
    x_test: object,
    y_test: object,
    *,
    epochs: int,
    batch_size: int,
    rng: np.random.Generator,
    log: Callable[[str], None] | None = print,
) -> History:
    """Train for ``epochs`` passes in batches shuffled by ``rng``, logging one line per epoch.

    Each line is a progress bar and the epoch's training loss and accuracies, rounded (loss to
    3 decimals, accuracy to 0.1%), so stored outputs do not change from run to run. No timings are
    printed. ``log=None`` trains silently.

    Returns
    -------
    History

    Examples
    --------
    >>> from convlib.nn import Linear, Sequential
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((40, 2)); y = (x[:, 0] > 0).astype(int)
    >>> model = Sequential(Linear(2, 2, rng=rng))
    >>> history = fit(model, SGD(model.parameters(), lr=0.5), x, y, x, y, epochs=2, batch_size=10, rng=rng)
    epoch [██████████░░░░░░░░░░]  1/2  loss 0.582  train 95.0%  test 95.0%
    epoch [████████████████████]  2/2  loss 0.347  train 97.5%  test 97.5%
    """
    x_train, y_train = _check_data(x_train, y_train, "fit", ("x_train", "y_train"))
    x_test, y_test = _check_data(x_test, y_test, "fit", ("x_test", "y_test"))
    epochs = check_positive_int(epochs, "epochs", "fit")
    history = History()
    for epoch in range(1, epochs + 1):
        batches = batch_order(len(x_train), batch_size, rng)
        history.train_loss.append(train_epoch(model, optimizer, x_train, y_train, batches))
        history.train_accuracy.append(accuracy(model, x_train, y_train))
        history.test_accuracy.append(accuracy(model, x_test, y_test))
        if log is not None:
            log(
                f"epoch {progress_bar(epoch, epochs)}  loss {history.train_loss[-1]:.3f}  "
                f"train {history.train_accuracy[-1]:5.1%}  test {history.test_accuracy[-1]:5.1%}"
            )
    return history
