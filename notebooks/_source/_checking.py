# The exercises' checkers (the same helper in every notebook; you need not read it).
# A checker cell calls check(name, test): test() raises NotYet while an answer still holds `...`,
# Wrong (saying why) when an answer is wrong, and returns quietly when it is right.
SOLUTIONS = False  # True in notebooks/solutions/: there a checker raises instead of printing


class NotYet(Exception):
    """An answer still holds `...`: nothing to check yet."""


class Wrong(Exception):
    """An answer is wrong; the message says why."""


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


def close(what, given, expected, hint="", rel_tol=1e-6, abs_tol=1e-9):
    """Check one number (a float, int or Value) against the expected one; Wrong says by how much."""
    answered(given)
    try:
        number = float(given)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be a number, you gave {given!r}") from None
    if not (number == expected or abs(number - expected) <= max(rel_tol * abs(expected), abs_tol)):
        raise Wrong(f"{what} is {expected:.6g}, you gave {number:.6g}" + (f". Hint: {hint}" if hint else ""))


def check(exercise, test):
    """Run an exercise's test and say how it went: not yet, right, or wrong and why."""
    try:
        test()
    except NotYet as reason:
        if SOLUTIONS:
            raise
        print(f"{exercise}: not yet ({reason})")
    except Wrong as reason:
        if SOLUTIONS:
            raise
        print(f"{exercise}: wrong. {reason}")
    except Exception as error:  # the learner's own code failed: say so instead of a traceback
        if SOLUTIONS:
            raise
        print(f"{exercise}: wrong. Your code raised {type(error).__name__}: {error}")
    else:
        print(f"{exercise}: right")
