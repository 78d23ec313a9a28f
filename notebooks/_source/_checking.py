# The exercises' checkers (the same helper in every notebook; you need not read it).
# A checker cell calls check(name, test): test() raises NotYet while an answer still holds `...`,
# Wrong (saying why) when an answer is wrong, and returns quietly when it is right. Where an exercise
# asks you to differentiate by hand, your answer runs inside without_the_engine(): there the engine refuses.
import contextlib
import sys

SOLUTIONS = False  # True in notebooks/solutions/: there a checker raises instead of printing
tries = {}  # how often each exercise has been checked with an answer: later tries get fuller hints
this_try = 1


class NotYet(Exception):
    """An answer still holds `...`: nothing to check yet."""


class Wrong(Exception):
    """An answer is wrong; the message says why."""


class EngineRefused(Exception):
    """An answer asked the engine to differentiate, where the exercise asks you to do it."""


def untouched(answer):
    """Whether an answer is `...` or holds one (in a list, tuple or dict)."""
    if answer is ...:
        return True
    if isinstance(answer, dict):
        answer = list(answer.values())
    return isinstance(answer, (list, tuple)) and any(untouched(part) for part in answer)


def answered(*answers):
    """Raise NotYet if any of the answers is still untouched."""
    if any(untouched(answer) for answer in answers):
        raise NotYet("replace each ... with your answer")


def hint_for(hint):
    """A hint; of a tuple of hints, the one for this try (the first try gets the first, the gentlest)."""
    return hint[min(this_try, len(hint)) - 1] if isinstance(hint, tuple) else hint


def close(what, given, expected, hint="", rel_tol=1e-6, abs_tol=1e-9):
    """Check one number (a float, int or Value) against the expected one; Wrong says by how much."""
    answered(given)
    try:
        number = float(given)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be a number, you gave {given!r}") from None
    if not (number == expected or abs(number - expected) <= max(rel_tol * abs(expected), abs_tol)):
        hint = hint_for(hint)
        raise Wrong(f"{what} is {expected:.6g}, you gave {number:.6g}" + (f". Hint: {hint}" if hint else ""))


@contextlib.contextmanager
def without_the_engine():
    """Inside, the engine's differentiation (backward, grad, gradients, value_and_grad, hessian,
    jacobian, trace) and nn's losses raise EngineRefused, under whatever name an answer calls them."""
    import autograd
    import nn

    refused = {id(autograd.Value.backward): "backward()"}
    for module, names in (
        (autograd, "grad gradients value_and_grad hessian jacobian trace"),
        (nn, "mse hinge binary_cross_entropy cross_entropy l2"),
    ):
        refused.update({id(getattr(module, name)): f"{module.__name__}.{name}" for name in names.split()})

    def refusal(value):
        def refuse(*args, **kwargs):
            raise EngineRefused(
                f"Your answer called {refused[id(value)]}: this exercise asks you to compute it yourself"
            )

        return refuse

    namespaces = [globals()] + [
        vars(module) for name, module in list(sys.modules.items()) if name.split(".")[0] in ("autograd", "nn")
    ]
    saved = [
        (namespace, name, value)
        for namespace in namespaces
        for name, value in list(namespace.items())
        if id(value) in refused
    ]
    backward = autograd.Value.backward
    try:
        autograd.Value.backward = refusal(backward)
        for namespace, name, value in saved:
            namespace[name] = refusal(value)
        yield
    finally:
        autograd.Value.backward = backward
        for namespace, name, value in saved:
            namespace[name] = value


def check(exercise, test):
    """Run an exercise's test and say how it went: not yet, right, or wrong and why."""
    global this_try
    this_try = tries[exercise] = tries.get(exercise, 0) + 1
    try:
        test()
    except NotYet as reason:
        tries[exercise] -= 1  # nothing was tried yet
        if SOLUTIONS:
            raise
        print(f"{exercise}: not yet ({reason})")
    except (Wrong, EngineRefused) as reason:
        if SOLUTIONS:
            raise
        print(f"{exercise}: wrong. {reason}")
    except Exception as error:  # the learner's own code failed: say so instead of a traceback
        if SOLUTIONS:
            raise
        print(f"{exercise}: wrong. Your code raised {type(error).__name__}: {error}")
    else:
        print(f"{exercise}: right")
