"""Module: parameter order and names, zero_grad, repr, state_dict, save/load and every bad file."""

import copy
import json
import math
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import nn
from autograd import Value
from nn import MLP, Layer, ModelFileError, Module, Neuron

ROOT = Path(__file__).resolve().parents[2]


def test_parameter_order_is_layer_neuron_weights_then_bias():
    model = MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == [
        "layers.0.neurons.0.weights.0",
        "layers.0.neurons.0.weights.1",
        "layers.0.neurons.0.bias",
    ]
    assert names[-1] == "layers.1.neurons.0.bias"
    assert len(names) == len(set(names)) == model.num_parameters() == 3 * 3 + 4
    assert [p for _, p in model.named_parameters()] == model.parameters()  # same objects, same order
    expected = [
        p for layer in model.layers for neuron in layer.neurons for p in [*neuron.weights, neuron.bias]
    ]
    assert all(a is b for a, b in zip(model.parameters(), expected))


def test_parameter_order_is_stable_across_models_and_calls():
    a, b = MLP(3, [4, 4, 2], seed=1), MLP(3, [4, 4, 2], seed=2)
    assert [n for n, _ in a.named_parameters()] == [n for n, _ in b.named_parameters()]
    assert all(p is q for p, q in zip(a.parameters(), a.parameters()))


def test_a_custom_module_finds_values_modules_and_lists_in_assignment_order():
    class Net(Module):
        def __init__(self):
            self.scale = Value(2.0)
            self.body = MLP(1, [2, 1], seed=0)
            self.extras = [Value(1.0), Value(3.0)]
            self._cache = Value(9.0)  # private: not a parameter
            self.name = "net"

    net = Net()
    names = [name for name, _ in net.named_parameters()]
    assert names[0] == "scale" and names[-2:] == ["extras.0", "extras.1"]
    assert "body.layers.0.neurons.0.weights.0" in names
    assert net.num_parameters() == 1 + 7 + 2
    assert all(p is q for (_, p), q in zip(net.named_parameters(), net.parameters()))


def test_a_tied_parameter_is_listed_once_and_updated_once():
    class Tied(Module):
        def __init__(self):
            self.weight = Value(1.0)
            self.same_weight = self.weight  # tied: one parameter under two names
            self.pair = [self.weight, Value(2.0)]

    tied = Tied()
    assert [name for name, _ in tied.named_parameters()] == ["weight", "pair.1"]
    assert tied.parameters() == [tied.weight, tied.pair[1]]
    assert list(tied.state_dict()) == ["weight", "pair.1"]
    tied.weight.grad = 1.0
    nn.SGD(tied.parameters(), lr=0.5).step()
    assert tied.weight.data == 0.5  # PyTorch's answer; listed twice, it was updated twice (0.0)


def test_a_shared_sub_module_is_listed_once_and_cycles_end():
    class Twice(Module):
        def __init__(self):
            self.first = Neuron(2, seed=0)
            self.second = self.first
            self.last = MLP(2, [1], seed=0)
            self.last.layers[0].neurons[0].weights[1] = self.first.weights[0]

    model = Twice()
    names = [name for name, _ in model.named_parameters()]
    assert names == [
        "first.weights.0",
        "first.weights.1",
        "first.bias",
        "last.layers.0.neurons.0.weights.0",
        "last.layers.0.neurons.0.bias",
    ]
    assert model.num_parameters() == 5
    model.last.owner = model  # a module that refers back to its owner: no endless search
    assert model.num_parameters() == 5


def test_an_optimizer_refuses_a_parameter_listed_twice():
    weight = Value(1.0)
    with pytest.raises(ValueError, match="SGD: parameter 2 is parameter 0 again; list each parameter once"):
        nn.SGD([weight, Value(2.0), weight], lr=0.1)


def test_zero_grad_resets_grad_and_grad_value():
    model = MLP(2, [3, 1], seed=0)
    out = model([1.0, -1.0])[0] ** 2
    out.backward(create_graph=True)
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(p.grad == 0.0 and p.grad_value is None for p in model.parameters())
    out.backward(create_graph=True)
    model.zero_grad()
    assert all(p.grad is None and p.grad_value is None for p in model.parameters())


def test_a_model_whose_grads_are_none_works_everywhere(tmp_path):
    X, y = nn.make_moons(12, noise=0.1, seed=0)
    labels = [2 * c - 1 for c in y]
    model = MLP(2, [4, 1], seed=0)
    model.zero_grad()
    assert repr(model.parameters()[0]) == f"Value(data={model.parameters()[0].data!r}, grad=None, label='w0')"
    outputs = nn.predict(model, X)
    assert nn.accuracy(outputs, labels) == nn.accuracy([model(x) for x in X], labels)
    assert nn.neuron_groups(model(X[0])[0])[-1].name == "layer 2, neuron 1"
    model.save(tmp_path / "model.json")
    assert nn.load_model(tmp_path / "model.json").state_dict() == model.state_dict()
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert twin.state_dict() == model.state_dict() and twin.parameters()[0].grad is None
    history = nn.fit(
        model,
        X,
        labels,
        loss=nn.hinge,
        epochs=3,
        progress=False,
        optimizer=nn.Adam(model.parameters(), lr=0.05),
    )
    assert all(p.grad is not None for p in model.parameters())  # fit's last step left gradients
    model.zero_grad()
    again = nn.fit(
        model,
        X,
        labels,
        loss=nn.hinge,
        epochs=3,
        progress=False,
        optimizer=nn.Adam(model.parameters(), lr=0.05),
    )
    assert again["loss"][0] < history["loss"][0]


class TiedHead(Module):
    """A model with a tied part, defined at module level so that pickle can find it."""

    def __init__(self):
        self.body = MLP(2, [3, 1], "tanh", seed=0)
        self.head = Neuron(1, "linear", seed=0)
        self.also_head = self.head

    def __call__(self, x):
        return self.head(self.body(x))


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_a_trained_model_and_its_optimizer_pickle_and_deepcopy(how, protocol):
    model = TiedHead()
    optimizer = nn.Adam(model.parameters(), lr=0.1)
    for x in ([0.5, -1.0], [1.0, 2.0]):
        optimizer.zero_grad()
        (model(x) ** 2).backward(create_graph=True)  # parameters hold differentiable gradients
        optimizer.step()
    if how == "pickle":
        copy_model, copy_optimizer = pickle.loads(pickle.dumps((model, optimizer), protocol=protocol))
    else:
        copy_model, copy_optimizer = copy.deepcopy((model, optimizer))
    assert copy_model.state_dict() == model.state_dict()
    assert copy_model([0.3, 0.4]).data == model([0.3, 0.4]).data
    assert copy_model.also_head is copy_model.head
    assert all(a is b for a, b in zip(copy_optimizer.parameters, copy_model.parameters()))
    for optimizer_now in (optimizer, copy_optimizer):  # the copy goes on exactly as the original
        optimizer_now.zero_grad()
        for p in optimizer_now.parameters:
            p.grad = 1.0
        optimizer_now.step()
    assert copy_model.state_dict() == model.state_dict()
    assert copy.deepcopy(nn.SGD(model.parameters(), 0.1)).learning_rate == 0.1


def test_repr_is_readable():
    assert repr(Neuron(3, "tanh", seed=0)) == "Neuron(3, activation='tanh')"
    assert repr(Layer(3, 2, seed=0)) == "Layer(3 -> 2, activation='relu')"
    text = repr(MLP(2, [16, 16, 1], seed=0))
    assert text.splitlines()[0].startswith("MLP(2 -> [16, 16, 1]") and "parameters=337" in text


def test_state_dict_round_trip_and_errors_change_nothing():
    model = MLP(2, [3, 1], seed=0)
    state = model.state_dict()
    other = MLP(2, [3, 1], seed=5)
    other.load_state_dict(state)
    assert other.state_dict() == state
    before = other.state_dict()
    broken = dict(state)
    broken["layers.1.neurons.0.bias"] = "x"
    with pytest.raises(ValueError, match="'layers.1.neurons.0.bias': expected a number"):
        other.load_state_dict(broken)
    missing = dict(state)
    del missing["layers.0.neurons.2.weights.1"]
    with pytest.raises(ValueError, match="no value for parameter 'layers.0.neurons.2.weights.1'"):
        other.load_state_dict(missing)
    extra = dict(state, **{"layers.2.neurons.0.bias": 1.0})
    with pytest.raises(ValueError, match="'layers.2.neurons.0.bias', which this MLP does not have"):
        other.load_state_dict(extra)
    with pytest.raises(ValueError, match="expected a number"):
        other.load_state_dict(dict(state, **{"layers.0.neurons.0.bias": True}))
    assert other.state_dict() == before


def test_save_load_round_trip_is_exact(tmp_path):
    model = MLP(2, [5, 4, 1], "tanh", seed=3)
    model.parameters()[0].data = 0.1 + 0.2  # a float with a long repr
    path = tmp_path / "model.json"
    model.save(path)
    copy = MLP(2, [5, 4, 1], "tanh", seed=4).load(path)
    assert copy.state_dict() == model.state_dict()
    assert copy.evaluate([0.3, -0.7]) == model.evaluate([0.3, -0.7])
    document = json.loads(path.read_text())
    assert document["architecture"] == model.config()
    loaded = nn.load_model(path)
    assert isinstance(loaded, MLP) and loaded.config() == model.config()
    assert loaded.state_dict() == model.state_dict()
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]  # no temporary file left behind


def test_save_replaces_an_existing_file_and_keeps_usual_permissions(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [2, 1], seed=0).save(path)
    model = MLP(2, [2, 1], seed=1)
    model.save(path)
    assert MLP(2, [2, 1], seed=2).load(path).state_dict() == model.state_dict()
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    old = MLP(2, [2, 1], seed=0)
    old.save(path)
    text = path.read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        MLP(2, [2, 1], seed=1).save(path)
    assert path.read_text() == text
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


def test_save_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [2, 1], seed=0).save(path)
    path.chmod(0o600)
    MLP(2, [2, 1], seed=1).save(path)
    assert path.stat().st_mode & 0o777 == 0o600


def test_save_writes_through_a_symbolic_link(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "model.json"
    link = tmp_path / "model.json"
    link.symlink_to(target)  # dangling: saving creates the target
    MLP(2, [2, 1], seed=0).save(link)
    model = MLP(2, [2, 1], seed=1)
    model.save(link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert MLP(2, [2, 1], seed=2).load(target).state_dict() == model.state_dict()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["model.json", "model.json", "real"]


def test_a_killed_save_leaves_a_recognisable_file_that_load_refuses(tmp_path):
    path = tmp_path / "model.json"
    old = MLP(2, [2, 1], seed=0)
    old.save(path)
    killed_midway = (
        "import os, signal, sys\n"
        "import nn\n"
        "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
        "nn.MLP(2, [2, 1], seed=1).save(sys.argv[1])\n"
    )
    result = subprocess.run([sys.executable, "-c", killed_midway, str(path)], cwd=ROOT, timeout=60)
    assert result.returncode == -9
    (partial,) = [p for p in tmp_path.iterdir() if p.name != "model.json"]
    assert partial.name.startswith(".model.json.") and partial.name.endswith(".chainrule-partial")
    assert list(tmp_path.glob("*.json")) == [path]
    for load in (nn.load_model, MLP(2, [2, 1], seed=2).load):
        with pytest.raises(ModelFileError, match="the temporary file of a save that did not finish"):
            load(partial)
    assert nn.load_model(path).state_dict() == old.state_dict()


def test_a_save_error_names_the_target_not_the_temporary_file(tmp_path):
    path = tmp_path / "no-such-folder" / "model.json"
    with pytest.raises(FileNotFoundError) as error:
        MLP(2, [2, 1], seed=0).save(path)
    assert f"cannot save the model to {path}: No such file or directory" in str(error.value)
    assert "partial" not in str(error.value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_save_refuses_a_parameter_that_is_not_finite_by_name_and_writes_nothing(tmp_path, bad):
    path = tmp_path / "model.json"
    model = MLP(2, [2, 1], seed=0)
    model.save(path)
    text = path.read_text()
    model.layers[1].neurons[0].bias.data = bad
    with pytest.raises(ValueError, match=f"parameter 'layers.1.neurons.0.bias' is {bad}: a model file holds"):
        model.save(path)
    assert path.read_text() == text and [p.name for p in tmp_path.iterdir()] == ["model.json"]


@pytest.fixture
def saved(tmp_path):
    model = MLP(2, [4, 1], seed=0)
    path = tmp_path / "model.json"
    model.save(path)
    target = MLP(2, [4, 1], seed=9)
    return path, target, target.state_dict()


def test_wrong_architecture_names_the_first_difference(saved):
    path, _, _ = saved
    wrong = MLP(2, [5, 1], seed=9)
    before = wrong.state_dict()
    with pytest.raises(ValueError, match=r"sizes is \[4, 1\] in the file but \[5, 1\] in this model"):
        wrong.load(path)
    assert wrong.state_dict() == before
    with pytest.raises(ValueError, match="activation is 'relu' in the file but 'tanh'"):
        MLP(2, [4, 1], "tanh", seed=0).load(path)
    with pytest.raises(ValueError, match="type is 'MLP' in the file but 'Layer'"):
        Layer(2, 4, seed=0).load(path)


def test_wrong_shape_of_parameters_changes_nothing(saved):
    path, target, before = saved
    document = json.loads(path.read_text())
    del document["parameters"]["layers.1.neurons.0.weights.3"]
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="no value for parameter 'layers.1.neurons.0.weights.3'"):
        target.load(path)
    assert target.state_dict() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "truncated or corrupt"),  # the real file cut in half
        ("", "truncated or corrupt"),
        ("not json at all", "bad JSON"),
        ("[1, 2, 3]", "not a chainrule model file"),
        ('{"format": "something else"}', "not a chainrule model file"),
        ('{"format": "chainrule.nn", "version": 99, "architecture": {}, "parameters": {}}', "version 99"),
        ('{"format": "chainrule.nn", "version": 1, "parameters": {}}', 'no "architecture"'),
        ('{"format": "chainrule.nn", "version": 1, "architecture": {"type": "MLP"}}', 'no "parameters"'),
    ],
)
def test_bad_files_are_clear_errors_and_change_nothing(saved, content, message):
    path, target, before = saved
    if content is None:
        text = path.read_text()
        path.write_text(text[: len(text) // 2])
    else:
        path.write_text(content)
    with pytest.raises(ModelFileError, match=message):
        target.load(path)
    with pytest.raises(ModelFileError):
        nn.load_model(path)
    assert target.state_dict() == before


def _write_with(path, place, text):
    """Rewrite the model file at ``path`` with the raw JSON ``text`` at ``place`` (a list of keys)."""
    document = json.loads(path.read_text())
    inner = document
    for key in place[:-1]:
        inner = inner[key]
    inner[place[-1]] = "PLACEHOLDER"
    path.write_text(json.dumps(document).replace('"PLACEHOLDER"', text))


@pytest.mark.parametrize(
    "text, message",
    [
        ("1" * 400, "is not a finite number"),
        ("-" + "1" * 5000, "is not a finite number"),
        ("1" * 400 + ".5", "is not a finite number"),
        ("NaN", "is not a finite number"),
        ('"0.5"', "is str '0.5', not a number"),
    ],
)
def test_a_parameter_that_is_no_finite_number_names_the_file_and_the_parameter(saved, text, message):
    path, target, before = saved
    _write_with(path, ["parameters", "layers.0.neurons.1.bias"], text)
    for load in (target.load, nn.load_model):
        with pytest.raises(ModelFileError, match=f"{path}: parameter 'layers.0.neurons.1.bias' {message}"):
            load(path)
    assert target.state_dict() == before


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("n_inputs", "2" * 400, "n_inputs"),
        ("n_inputs", "2" * 5000, "n_inputs"),
        ("n_inputs", "2" * 300, r"the architecture describes over 10\*\*299 parameters, the file holds 17"),
        ("sizes", "[100000000, 1]", "the architecture describes 400000001 parameters, the file holds 17"),
        ("type", '["MLP"]', r"architecture.type is \['MLP'\]; expected the name of a module type"),
        ("sizes", "[" * 100_000 + "]" * 100_000, "architecture.sizes nests brackets more than 32 deep"),
        ("sizes", "[" * 200 + "4" + "]" * 200, "architecture.sizes nests brackets more than 32 deep"),
    ],
)
def test_a_bad_architecture_field_names_the_file_and_the_field(saved, field, value, message):
    path, target, before = saved
    _write_with(path, ["architecture", field], value)
    with pytest.raises(ModelFileError, match=f"{path}: .*{message}"):
        nn.load_model(path)
    with pytest.raises(ModelFileError, match=str(path)):
        target.load(path)
    assert target.state_dict() == before


def test_binary_garbage_and_missing_file(saved, tmp_path):
    path, target, before = saved
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ModelFileError, match="not UTF-8"):
        target.load(path)
    with pytest.raises(FileNotFoundError):
        target.load(tmp_path / "nothing.json")
    assert target.state_dict() == before


def test_load_model_rejects_an_unknown_architecture(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(
        '{"format": "chainrule.nn", "version": 1, "architecture": {"type": "CNN"}, "parameters": {}}'
    )
    with pytest.raises(ModelFileError, match="unknown module type 'CNN'"):
        nn.load_model(path)


def _import_nn_with(setup: str) -> subprocess.CompletedProcess[str]:
    code = f"import sys, types\n{setup}\nimport nn\n"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_import_fails_clearly_when_another_autograd_shadows_the_engine():
    result = _import_nn_with("sys.modules['autograd'] = types.ModuleType('autograd')")
    assert result.returncode != 0
    assert "ImportError" in result.stderr and "HIPS autograd" in result.stderr and ".venv" in result.stderr


def test_import_fails_clearly_for_an_engine_elsewhere(tmp_path):
    fake = tmp_path / "autograd"
    fake.mkdir()
    (fake / "__init__.py").write_text("def grad(f):\n    return f\n")  # HIPS autograd's best-known name
    result = _import_nn_with(f"sys.path.insert(0, {str(tmp_path)!r})")
    assert result.returncode != 0
    assert "not from next to nn" in result.stderr and "HIPS autograd" in result.stderr


def test_import_works_with_the_real_engine():
    assert _import_nn_with("").returncode == 0


def test_load_state_dict_strict_false_loads_what_matches_and_returns_the_rest():
    neuron = nn.Neuron(2, seed=0)
    bias = neuron.bias.data
    result = neuron.load_state_dict({"weights.0": 5.0, "weights.1": 6.0, "extra.0": 1.0}, strict=False)
    assert result == nn.LoadedKeys(missing_keys=["bias"], unexpected_keys=["extra.0"])
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra.0"]
    assert neuron.state_dict() == {"weights.0": 5.0, "weights.1": 6.0, "bias": bias}
    assert neuron.load_state_dict(neuron.state_dict()) == ([], [])


def test_load_state_dict_strict_still_refuses_and_changes_nothing():
    neuron = nn.Neuron(2, seed=0)
    before = neuron.state_dict()
    with pytest.raises(ValueError, match="no value for parameter 'bias'"):
        neuron.load_state_dict({"weights.0": 5.0, "weights.1": 6.0})
    with pytest.raises(ValueError, match="'extra'"):
        neuron.load_state_dict({**before, "extra": 1.0})
    with pytest.raises(ValueError, match="expected a number"):
        neuron.load_state_dict({"weights.0": "x"}, strict=False)
    with pytest.raises(TypeError, match="strict"):
        neuron.load_state_dict(before, strict="no")  # type: ignore[arg-type]
    assert neuron.state_dict() == before


def test_train_and_eval_do_nothing_and_return_the_module():
    model = nn.MLP(2, [3, 1], seed=0)
    before = model([1.0, 2.0])[0].data
    assert model.train() is model and model.eval() is model and model.train(False) is model
    assert model([1.0, 2.0])[0].data == before
    with pytest.raises(TypeError, match="train"):
        model.train("yes")  # type: ignore[arg-type]


def test_load_on_the_class_points_at_load_model(tmp_path):
    path = tmp_path / "model.json"
    model = nn.MLP(2, [3, 1], seed=0)
    model.save(path)
    with pytest.raises(TypeError, match=r"nn\.load_model\("):
        nn.MLP.load(str(path))  # type: ignore[arg-type]
    assert nn.MLP(2, [3, 1], seed=1).load(path).state_dict() == model.state_dict()  # unchanged
    with pytest.raises(TypeError, match="give the path"):
        model.load()


def test_a_module_without_call_says_so():
    class Empty(nn.Module):
        pass

    with pytest.raises(NotImplementedError, match="Empty defines no __call__"):
        Empty()([1.0])
