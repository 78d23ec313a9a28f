"""Placeholder main job until nn lands: fit one tanh neuron to a line with gradient descent."""

from autograd import Value


def main() -> None:
    w, b = Value(0.1, label="w"), Value(0.0, label="b")
    xs, ys = [-1.0, -0.5, 0.0, 0.5, 1.0], [-0.76, -0.46, 0.0, 0.46, 0.76]
    for step in range(200):
        loss = sum(((w * x + b).tanh() - y) ** 2 for x, y in zip(xs, ys))
        w.grad = b.grad = 0.0
        loss.backward()
        for p in (w, b):
            p.data -= 0.1 * p.grad
        if step % 50 == 0:
            print(f"step {step:3d}  loss {loss.data:.5f}")
    print(f"w = {w.data:.3f}, b = {b.data:.3f} (target w = 1, b = 0)")


if __name__ == "__main__":
    main()
