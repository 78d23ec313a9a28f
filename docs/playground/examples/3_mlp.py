# An MLP's loss
# nn.MLP(2, [3, 1]) and its squared error
import nn
from autograd import Value
from autograd.draw import step_through

model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
prediction = model(x)[0]
loss = (prediction - 0.5) ** 2
loss.label = "L"
print("prediction", prediction.data, "loss", loss.data)

# one box per neuron: its weighted sum z and its output (its weights and bias hide inside)
groups = nn.neuron_groups(loss, pre_activations=True)
step_through(loss, groups=groups, inputs=x, number_format=".3g")
