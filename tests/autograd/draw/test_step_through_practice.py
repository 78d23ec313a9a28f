"""Practice mode in a real browser (headless Chromium, as in ``test_step_through_browser``): for each
edge it asks the local derivative, then the new gradient; a wrong answer gets the value and the rule;
an answer is right within 1e-3 of the exact value or of the value from the numbers as shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import Browser, Tab
from draw_helpers import needs_renderer, unlabelled_neuron

from autograd import Value
from autograd.draw import StepThrough, step_through

pytestmark = needs_renderer


def practise(chromium: Browser, steps: StepThrough, folder: Path, frame: int = -1) -> Tab:
    """The page in practice mode at ``frame`` (by default the last)."""
    tab = chromium.open(steps.save(folder / "steps.html"), width=900, height=700)
    tab.page.check(".cr-practice")
    tab.page.fill(".cr-slider", str(frame % steps.frame_count))
    return tab


def answer(tab: Tab, text: str) -> None:
    tab.page.fill(".cr-answer", text)
    tab.page.press(".cr-answer", "Enter")


def asked(tab: Tab) -> str:
    """What the open question asks for (its label), or "" when none is open."""
    if tab.page.locator(".cr-answer").count() == 0:
        return ""
    return tab.page.get_attribute(".cr-answer", "aria-label") or ""


def shown(tab: Tab, selector: str) -> list[str]:
    return tab.page.eval_on_selector_all(selector, "found => found.map(e => e.textContent)")


def test_each_edge_asks_its_local_derivative_then_the_new_gradient(chromium: Browser, tmp_path: Path) -> None:
    a = Value(3.0, label="a")
    y = a * a  # one step, two edges from a: 0 + 3 x 1 = 3, then 3 + 3 x 1 = 6
    tab = practise(chromium, step_through(y), tmp_path)
    page = tab.page
    assert asked(tab) == "the local derivative d v1 / d a"
    assert shown(tab, "text[data-edge]") == ["?", "?"]  # the edges keep their derivatives till answered
    assert shown(tab, "text[data-field=grad]")[0] == "grad ?"
    second = page.inner_text(".cr-updates").splitlines()[1]
    assert second == "a.grad: ? + ? × 1 = ? (after the question above)"
    answer(tab, "three")
    assert "type a number" in page.inner_text(".cr-hint")  # not an answer: not counted
    answer(tab, "3")
    assert shown(tab, "text[data-edge]") == ["3", "?"] and asked(tab) == "the new gradient of a"
    answer(tab, "3.002")  # within 1e-3 of 3: right
    assert shown(tab, "text[data-field=grad]")[0] == "grad 3"
    answer(tab, "2")  # wrong: the value, and the rule of *, in the engine's own words
    lines = page.inner_text(".cr-updates")
    assert "not quite: you typed 2, it is 3" in lines
    assert "d(a * b)/da = b, d(a * b)/db = a. Here a is a = 3, b is a = 3, and the output is v1 = 9." in lines
    answer(tab, "6.007")  # off by more than 1e-3 x 6: wrong, and the chain rule with the numbers
    assert "not quite: you typed 6.007, it is 6" in page.inner_text(".cr-updates")
    assert "new grad = old grad + local derivative × the grad coming back = 3 + 3 × 1 = 6" in page.inner_text(
        ".cr-updates"
    )
    assert shown(tab, "text[data-field=grad]")[0] == "grad 6" and asked(tab) == ""
    assert page.inner_text(".cr-score") == "score: 2 of 4 right (local derivatives 1 of 2, gradients 1 of 2)"
    page.focus(".cr-steps")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")  # coming back, the answers stay
    assert shown(tab, "text[data-edge]") == ["3", "3"]
    page.click("[data-do=reset]")
    assert page.inner_text(".cr-score") == "score: 0 of 0 right (local derivatives 0 of 0, gradients 0 of 0)"
    tab.check_clean()


def test_a_wrong_local_derivative_is_told_the_primitives_rule_with_its_numbers(
    chromium: Browser, tmp_path: Path
) -> None:
    o, _, _ = unlabelled_neuron()  # backward step 1: tanh passes its grad to v4
    steps = step_through(o)
    first = next(k for k, title in enumerate(steps.frame_titles) if title.startswith("backward step 1 "))
    tab = practise(chromium, steps, tmp_path, first)
    answer(tab, "0.7")
    assert tab.page.inner_text(".cr-rule") == (
        "d tanh(x)/dx = 1 - tanh(x)**2, in terms of the output. Here x is v4 = 0.8814, and the output is "
        "v5 = 0.7071."
    )
    tab.check_clean()


def test_right_is_near_the_exact_value_or_the_shown_numbers(chromium: Browser, tmp_path: Path) -> None:
    # a gradient under 1e-3: 0 is wrong for it (x.grad = 0.01 x -0.0741, at the last step)
    x = Value(2.0, label="x")
    small = (x * 0.01) * -0.0741
    tab = practise(chromium, step_through(small), tmp_path)
    answer(tab, "0.01")
    answer(tab, "0")
    assert "not quite: you typed 0, it is -0.000741" in tab.page.inner_text(".cr-updates")
    tab.page.click("[data-do=reset]")
    tab.page.fill(".cr-slider", str(step_through(small).frame_count - 1))
    answer(tab, "0.01")
    answer(tab, "-0.0007415")
    assert "right: -0.0007415" in tab.page.inner_text(".cr-updates")
    tab.check_clean()
    # a local derivative worked out from the four digits shown: right, though 2% off the exact one
    z = Value(4.1, label="z")
    y = z.tanh()
    shown_out = float(format(y.data, ".4g"))
    from_shown, exact = 1 - shown_out**2, 1 - y.data**2
    assert abs(from_shown - exact) > 1e-3 * abs(exact)
    tab = practise(chromium, step_through(y), tmp_path)
    answer(tab, f"{from_shown:.6g}")
    assert f"right: {from_shown:.6g}" in tab.page.inner_text(".cr-updates")
    answer(tab, "0")  # the new gradient, 0.001 or so: 0 is wrong
    assert "not quite: you typed 0" in tab.page.inner_text(".cr-updates")
    tab.check_clean()


@pytest.mark.parametrize(("make", "typed"), [(lambda x: x.sqrt(), "inf"), (lambda x: x.log(), "nan")])
def test_inf_and_nan_are_typed_as_such(chromium: Browser, tmp_path: Path, make, typed) -> None:  # type: ignore[no-untyped-def]
    x = Value(0.0 if typed == "inf" else -4.0, label="x")  # d sqrt/dx at 0 is inf; log(-4) is nan
    tab = practise(chromium, step_through(make(x)), tmp_path)
    answer(tab, "INF" if typed == "inf" else "-0.25")
    answer(tab, typed.upper() if typed == "inf" else "-0.25")
    assert tab.page.inner_text(".cr-score").startswith("score: 2 of 2 right")
    tab.check_clean()
