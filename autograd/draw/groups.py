"""Groups: several nodes of a graph drawn as one box (``draw_graph(root, groups=[...])``).

A ``Group`` is plain data and needs no graphviz, so a package that knows its own structures can
describe them for the drawing without knowing how drawings are made: ``nn.neuron_groups(loss)``
gives one group per neuron. The drawing knows nothing of neurons; it draws the boxes it is given.

>>> from autograd import Value
>>> x, w = Value(2.0, label="x"), Value(-1.0, label="w")
>>> z = x * w
>>> out = z.tanh()
>>> group = Group("unit", [z, out], description="tanh(w x)", parameters=[w], shown={"z": z, "out": out})
>>> group
Group('unit', members=2, description='tanh(w x)', parameters=1, shown=['z', 'out'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from autograd.node import Node

__all__ = ["Group", "as_values"]


def as_values(values: object, who: str) -> tuple[Node, ...]:
    """``values`` (any iterable of Values) as a tuple, or a ``TypeError`` that names ``who``.

    >>> from autograd import Value
    >>> [value.data for value in as_values(iter([Value(1.0), Value(2.0)]), "example")]
    [1.0, 2.0]
    """
    if isinstance(values, (str, bytes, Node)) or not isinstance(values, Iterable):
        raise TypeError(f"{who}: expected an iterable of Values, got {type(values).__name__}")
    found = tuple(values)
    for value in found:
        if not isinstance(value, Node):
            raise TypeError(f"{who}: expected Values, got a {type(value).__name__} ({value!r})")
    return found


def _shown(shown: object, who: str) -> tuple[tuple[str, Node], ...] | None:
    """``shown`` as ``(caption, value)`` pairs, in order, or ``None``."""
    if shown is None:
        return None
    if not isinstance(shown, Mapping):
        raise TypeError(f"{who}: expected a mapping from caption to Value, got {type(shown).__name__}")
    captions = list(shown)
    for caption in captions:
        if not isinstance(caption, str):
            raise TypeError(f"{who}: captions must be strings, got {caption!r}")
    return tuple(zip(captions, as_values(shown.values(), who)))


class Group:
    """Nodes drawn as one box: its name, what it computes, and which values it shows.

    - ``name``: the box's title.
    - ``members``: the nodes inside the box; a node belongs to at most one group. Members that are
      not in the drawn graph are left out (a group left empty is not drawn).
    - ``description``: what the box computes, under its name (``"tanh(w.x + b)"``); by default
      the number of nodes it holds.
    - ``parameters``: leaves that belong inside the box (a neuron's weights and bias). Such a leaf
      is not drawn when every node that uses it is inside a box; the box counts the ones it hides.
    - ``shown``: the members whose data and grad the box shows, by caption, in order
      (``{"z": pre_activation, "out": output}``: a neuron's box then shows dL/dz as well as the
      gradient of its output). By default: the members used outside the box, without captions.

    >>> from autograd import Value
    >>> from autograd.draw import draw_graph
    >>> w, x = Value(0.5, label="w"), Value(2.0, label="x")
    >>> z = w * x
    >>> y = z.tanh()
    >>> graph = draw_graph(y, groups=[Group("neuron", [z, y], parameters=[w])])
    >>> for line in graph.source.splitlines():
    ...     if "neuron" in line:
    ...         print(line.split(" fillcolor")[0].strip())
    g0 [label="{ { neuron | 2 nodes\\n1 parameter } | data 0.7616 | grad 0 }"
    """

    __slots__ = ("name", "members", "description", "parameters", "shown")

    def __init__(
        self,
        name: str,
        members: Iterable[Node],
        *,
        description: str | None = None,
        parameters: Iterable[Node] = (),
        shown: Mapping[str, Node] | None = None,
    ) -> None:
        if not isinstance(name, str):
            raise TypeError(f"Group: the name must be a string, got {type(name).__name__}")
        if description is not None and not isinstance(description, str):
            raise TypeError(f"Group {name!r}: description must be a string, got {type(description).__name__}")
        self.name = name
        self.members = as_values(members, f"Group {name!r} members")
        self.description = description
        self.parameters = as_values(parameters, f"Group {name!r} parameters")
        self.shown = _shown(shown, f"Group {name!r} shown")
        member_ids = {id(member) for member in self.members}  # by identity, whatever == means
        outside = [caption for caption, value in self.shown or () if id(value) not in member_ids]
        if outside:
            raise ValueError(f"Group {name!r}: shown values must be members; {outside} are not")

    def __repr__(self) -> str:
        parts = [repr(self.name), f"members={len(self.members)}"]
        if self.description is not None:
            parts.append(f"description={self.description!r}")
        if self.parameters:
            parts.append(f"parameters={len(self.parameters)}")
        if self.shown is not None:
            parts.append(f"shown={[caption for caption, _ in self.shown]}")
        return f"Group({', '.join(parts)})"
