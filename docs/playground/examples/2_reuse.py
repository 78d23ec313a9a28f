# A value used twice
# b = a + a; c = b + b: gradients add up
from autograd import Value

a = Value(3.0, label="a")
b = a + a  # a feeds b twice: its gradient is the sum of both edges
b.label = "b"
c = b + b
c.label = "c"

c  # dc/da = 4
