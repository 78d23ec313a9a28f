# A neuron
# out = tanh(x1*w1 + x2*w2 + b)
from autograd import Value

x1 = Value(2.0, label="x1")
x2 = Value(0.0, label="x2")
w1 = Value(-3.0, label="w1")
w2 = Value(1.0, label="w2")
b = Value(6.8813735870195432, label="b")

n = x1 * w1 + x2 * w2 + b
n.label = "n"
out = n.tanh()
out.label = "out"

out  # the last line's value is what the page steps through
