# A second derivative
# y.backward(create_graph=True), then backward again
from autograd import Value

x = Value(0.5, label="x")
y = x * x.tanh()
y.label = "y"

y.backward(create_graph=True)  # x.grad_value: dy/dx as a Value, in a graph of its own
dy_dx = x.grad_value
dy_dx.label = "dy/dx"
print("dy/dx =", x.grad)

x.grad = 0.0  # backward adds into x.grad: start from zero to read d2y/dx2 alone
x.grad_value.backward()
print("d2y/dx2 =", x.grad)

dy_dx  # step through the graph of the derivative itself
