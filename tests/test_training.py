"""convlib.nn.training: kernel recovery by gradient descent, seeded batches, deterministic epoch logs."""

from __future__ import annotations

import numpy as np
import pytest

from convlib import kernels, nn
from convlib.book.figures.cnn import KernelConvergenceViewer
from convlib.convolution import convolve2d, correlate2d
from convlib.images import load_image
from convlib.nn.training import (
    History,
    KernelFit,
    accuracy,
    batch_order,
    fit,
    fit_kernel,
    progress_bar,
    train_epoch,
    train_step,
)


@pytest.fixture(scope="module")
def photo():
    return load_image("camera", gray=True)[::8, ::8]


@pytest.mark.parametrize(
    ("name", "steps"), [("sobel x", 200), ("gaussian blur", 200), ("emboss", 400), ("laplacian", 400)]
)
def test_fit_kernel_recovers_a_kernel_from_a_photo(photo, name, steps):
    kernel = kernels.gallery()[name]
    path = fit_kernel(photo, correlate2d(photo, kernel, "valid"), 3, lr=0.5, steps=steps)
    assert np.abs(path.kernel - kernel).max() < 1e-3
    assert path.kernels.shape == (steps + 1, 3, 3) and path.losses.shape == (steps + 1,)
    assert np.array_equal(path.kernels[0], np.zeros((3, 3)))
    assert path.losses[-1] < 1e-6 * path.losses[0]
    assert path.first_step_within(kernel, 1e-3) <= steps


def test_a_convolution_target_is_learned_as_the_flipped_kernel(photo):
    kernel = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0], [0.0, -1.0, -3.0]]) / 3
    path = fit_kernel(photo, convolve2d(photo, kernel, "valid"), 3, lr=0.5, steps=200)
    assert np.abs(path.kernel - kernel[::-1, ::-1]).max() < 1e-3
    assert np.abs(path.kernel - kernel).max() > 0.5


def test_fit_kernel_with_a_non_square_kernel_and_a_start():
    rng = np.random.default_rng(0)
    image = rng.standard_normal((12, 15))
    kernel = rng.standard_normal((2, 4))
    start = np.ones((2, 4))
    path = fit_kernel(image, correlate2d(image, kernel, "valid"), (2, 4), lr=0.5, steps=60, momentum=0.0, initial=start)
    assert np.array_equal(path.kernels[0], start)
    np.testing.assert_allclose(path.kernel, kernel, atol=1e-8)


def test_plain_gradient_descent_is_slow_on_a_smooth_image_and_fast_on_noise(photo):
    sobel = kernels.sobel_x()
    noise = np.random.default_rng(1).standard_normal(photo.shape)
    fast = fit_kernel(noise, correlate2d(noise, sobel, "valid"), 3, lr=0.5, steps=200, momentum=0.0)
    slow = fit_kernel(photo, correlate2d(photo, sobel, "valid"), 3, lr=0.5, steps=200, momentum=0.0)
    assert fast.first_step_within(sobel, 1e-3) < 30
    assert slow.first_step_within(sobel, 1e-3) is None


def test_too_large_a_step_diverges_rather_than_hiding_it(photo):
    path = fit_kernel(photo, correlate2d(photo, kernels.box(3), "valid"), 3, lr=5.0, steps=30, momentum=0.0)
    assert path.losses[-1] > path.losses[0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image": np.zeros(5)}, ValueError, r"image must be 2-D"),
        ({"target": np.zeros((4, 4))}, ValueError, r"target must have the 'valid' output's shape .* \(6, 6\)"),
        ({"kernel_size": 9}, ValueError, "larger than the image"),
        ({"steps": 0}, ValueError, "steps must be >= 1"),
        ({"lr": -1.0}, ValueError, "lr must be in"),
        ({"momentum": 1.5}, ValueError, "momentum must be in"),
        ({"initial": np.zeros((2, 2))}, ValueError, r"initial must have shape \(3, 3\)"),
        ({"image": [["a"] * 8] * 8}, TypeError, "image must hold numbers"),
    ],
)
def test_fit_kernel_errors_name_the_argument(kwargs, error, match):
    arguments = {"image": np.zeros((8, 8)), "target": np.zeros((6, 6)), "kernel_size": 3, "lr": 0.1, "steps": 2}
    arguments.update(kwargs)
    image, target = arguments.pop("image"), arguments.pop("target")
    with pytest.raises(error, match=match):
        fit_kernel(image, target, **arguments)


def test_first_step_within_checks_the_shape():
    path = KernelFit(np.zeros((3, 2, 2)), np.zeros(3))
    assert path.first_step_within(np.zeros((2, 2)), 1e-9) == 0
    assert path.steps == 2
    with pytest.raises(ValueError, match=r"kernel must have shape \(2, 2\)"):
        path.first_step_within(np.zeros(3), 0.1)


def test_batch_order_is_a_seeded_partition():
    batches = batch_order(103, 10, np.random.default_rng(0))
    assert [len(b) for b in batches] == [10] * 10 + [3]
    assert sorted(np.concatenate(batches).tolist()) == list(range(103))
    again = batch_order(103, 10, np.random.default_rng(0))
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        batch_order(10, 2, 0)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        batch_order(10, 0, np.random.default_rng())


def test_progress_bar():
    assert progress_bar(0, 4, width=8) == "[░░░░░░░░] 0/4"
    assert progress_bar(4, 4, width=8) == "[████████] 4/4"
    assert progress_bar(5, 10, width=4) == "[██░░]  5/10"
    with pytest.raises(ValueError, match="total must be >= 1"):
        progress_bar(0, 0)


def small_problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((60, 1, 4, 4))
    labels = (x[:, 0, :, :2].sum(axis=(1, 2)) > x[:, 0, :, 2:].sum(axis=(1, 2))).astype(int)  # left or right heavier
    model_rng = np.random.default_rng(seed + 1)
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3, padding=1, rng=model_rng), nn.ReLU(), nn.Flatten(), nn.Linear(32, 2, rng=model_rng)
    )
    return model, x, labels


def test_fit_logs_one_deterministic_line_per_epoch_and_learns(capsys):
    outputs, histories = [], []
    for _ in range(2):
        model, x, labels = small_problem()
        optimizer = nn.SGD(model.parameters(), lr=0.1, momentum=0.9)
        histories.append(
            fit(model, optimizer, x, labels, x, labels, epochs=6, batch_size=8, rng=np.random.default_rng(3))
        )
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    lines = outputs[0].splitlines()
    assert len(lines) == 6 and lines[-1].startswith("epoch [████████████████████] 6/6  loss ")
    assert "ms" not in outputs[0] and " s " not in outputs[0]  # no timings in stored output
    history = histories[0]
    assert isinstance(history, History) and len(history.train_loss) == len(history.test_accuracy) == 6
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.train_accuracy[-1] > 0.9


def test_fit_can_be_silent_and_checks_its_data(capsys):
    model, x, labels = small_problem()
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    fit(model, optimizer, x, labels, x, labels, epochs=1, batch_size=30, rng=np.random.default_rng(0), log=None)
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError, match=r"y_train must be 1-D with one label per row of x_train"):
        fit(model, optimizer, x, labels[:5], x, labels, epochs=1, batch_size=4, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        fit(model, optimizer, x, labels, x, labels, epochs=0, batch_size=4, rng=np.random.default_rng(0))


def test_train_epoch_is_train_step_over_the_batches():
    model_a, x, labels = small_problem(4)
    model_b, _, _ = small_problem(4)
    batches = batch_order(len(x), 16, np.random.default_rng(1))
    opt_a, opt_b = nn.SGD(model_a.parameters(), lr=0.1), nn.SGD(model_b.parameters(), lr=0.1)
    mean_loss = train_epoch(model_a, opt_a, x, labels, batches)
    losses = [train_step(model_b, opt_b, x[b], labels[b]) for b in batches]
    assert np.isclose(mean_loss, np.average(losses, weights=[len(b) for b in batches]))
    assert all(np.array_equal(p.data, q.data) for p, q in zip(model_a.parameters(), model_b.parameters()))
    with pytest.raises(ValueError, match="batches is empty"):
        train_epoch(model_a, opt_a, x, labels, [])


def test_accuracy_counts_the_largest_logit_in_batches():
    model = nn.Sequential(nn.Linear(2, 3, rng=np.random.default_rng(0)))
    model.load_state_dict({"0.weight": [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]], "0.bias": [0.0, 0.0, 0.0]})
    x = np.array([[2.0, 1.0], [0.0, 3.0], [-1.0, -1.0], [1.0, 0.5], [0.1, 0.0]])
    labels = np.array([0, 1, 2, 1, 0])
    assert accuracy(model, x, labels) == 0.8
    assert accuracy(model, x, labels, batch_size=2) == 0.8


def test_kernel_convergence_viewer_shows_each_step_with_a_static_picture():
    image = np.random.default_rng(0).standard_normal((10, 10))
    sobel = kernels.sobel_x()
    path = fit_kernel(image, correlate2d(image, sobel, "valid"), 3, lr=0.5, steps=12, momentum=0.0)
    viewer = KernelConvergenceViewer(path, sobel, title="Sobel x")
    assert viewer.step == 12 and np.array_equal(viewer.kernel, path.kernel)
    viewer.widget.step = 3  # as the browser's slider does
    assert np.array_equal(viewer.kernel, path.kernels[3])
    bundle = viewer._repr_mimebundle_()
    assert {"text/plain", "image/png", "application/vnd.jupyter.widget-view+json"} <= set(bundle)
    assert bundle["text/plain"] == "KernelConvergenceViewer(steps=12, step=3, kernel 3x3, title='Sobel x')"
    with pytest.raises(ValueError, match=r"step must be in 0..12"):
        viewer.step = 13
    with pytest.raises(ValueError, match=r"target must have the kernels' shape \(3, 3\)"):
        KernelConvergenceViewer(path, np.zeros((2, 2)))
    with pytest.raises(TypeError, match="fit must be a KernelFit"):
        KernelConvergenceViewer(path.kernels, sobel)
    viewer.close()
