// chainrule's step-through page, practice mode: for each edge of a backward step, the learner
// works out first its local derivative, then the parent's new gradient, before the page shows them.
//
// The answers come from Python (autograd/draw/practice.py): for each update, the exact local
// derivative, the local derivative from the numbers as shown (the primitive's own rule applied to
// them), the new gradient from the numbers as shown; the exact new gradient is the update's own. An
// answer is right within 1e-3 of any of them, relative (with an absolute floor of 1e-12). A wrong
// answer is told the value and the rule: the primitive's own rule text, or the chain rule.

function chainruleQuestions(data, view, make, changed) {
  "use strict";

  function answered(step) {
    // how many questions of backward step `step` have an answer (all count as answered outside practice)
    if (!view.practice || step < 1) return Infinity;
    const answers = view.answers.get(step);
    return answers ? answers.length : 0;
  }

  const localShown = (step, k) => answered(step) > 2 * k;
  const gradShown = (step, k) => answered(step) > 2 * k + 1;
  const waiting = (step) => step !== null && step >= 1 && answered(step) < 2 * data.steps[step - 1][1].length;

  function line(step, k) {
    // update k of step `step`: "name.grad: old + local × upstream = new", each unknown asked or "?"
    const [parent, old, local, upstream, newText] = data.steps[step - 1][1][k];
    const [localExact, localFromShown, newFromShown] = data.answers[step - 1][k];
    const node = data.steps[step - 1][0];
    const answers = view.answers.get(step) || [];
    const asked = answered(step);
    const part = make("div", "cr-update");
    part.dataset.node = String(parent);
    const equation = make("div", "cr-equation");
    const name = data.names[parent];
    // a parent used twice by this node: its old gradient is the new one of its earlier edge
    const earlier = [...Array(k).keys()].filter((j) => data.steps[step - 1][1][j][0] === parent);
    const oldShown = earlier.every((j) => gradShown(step, j));
    equation.append(name + ".grad: " + (oldShown ? old : "?") + " + ");
    if (localShown(step, k)) equation.append(make("b", "", local));
    else if (asked === 2 * k) {
      const label = "the local derivative d " + data.names[node] + " / d " + name;
      equation.append(question(step, "local", [localExact, localFromShown], label, "local"));
    } else equation.append("?");
    equation.append(" \u00D7 " + upstream + " = ");
    if (gradShown(step, k)) equation.append(make("b", "", newText));
    else if (asked === 2 * k + 1) {
      const label = "the new gradient of " + name;
      equation.append(question(step, "grad", [data.steps[step - 1][1][k][5], newFromShown], label, "new grad"));
    } else equation.append(asked < 2 * k ? "? (after the question above)" : "?");
    part.append(equation);
    if (view.practice) {
      verdict(part, answers[2 * k], local, data.hints[node]);
      const chain = "the chain rule: new grad = old grad + local derivative \u00D7 the grad coming back = " +
        old + " + " + local + " \u00D7 " + upstream + " = " + newText;
      verdict(part, answers[2 * k + 1], newText, chain);
    }
    return part;
  }

  function verdict(part, answer, value, hint) {
    if (!answer) return;
    const [, right, typed] = answer;
    const said = right ? "right: " + typed : "not quite: you typed " + typed + ", it is " + value;
    part.append(make("div", right ? "cr-right" : "cr-wrong", said));
    if (!right) part.append(make("div", "cr-rule", hint));
  }

  function question(step, kind, candidates, label, placeholder) {
    const form = make("form", "cr-question");
    const input = make("input", "cr-answer");
    input.type = "text";
    input.size = 10;
    input.setAttribute("aria-label", label);
    input.placeholder = placeholder;
    input.dataset.kind = kind;
    const check = make("button", "", "check");
    check.type = "submit";
    const hint = make("span", "cr-hint", "");
    form.append(input, " ", check, " ", hint);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const answer = parse(input.value);
      if (answer === null) {
        hint.textContent = "type a number (or inf, -inf, nan)";
        return;
      }
      const answers = view.answers.get(step) || [];
      answers.push([kind, isRight(answer, candidates), input.value.trim()]);
      view.answers.set(step, answers);
      changed();
    });
    return form;
  }

  function parse(text) {
    const typed = text.trim().toLowerCase();
    if (["inf", "+inf", "infinity", "+infinity"].includes(typed)) return Infinity;
    if (["-inf", "-infinity"].includes(typed)) return -Infinity;
    if (typed === "nan") return NaN;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(typed)) return null;
    return Number(typed);
  }

  function number(value) {
    if (typeof value === "number" || value === null) return value;
    return value === "inf" ? Infinity : value === "-inf" ? -Infinity : NaN;
  }

  function isRight(answer, candidates) {
    return candidates.map(number).some((wanted) => {
      if (wanted === null) return false;
      if (Number.isNaN(wanted)) return Number.isNaN(answer);
      if (!Number.isFinite(wanted)) return answer === wanted;
      return Number.isFinite(answer) && Math.abs(answer - wanted) <= Math.max(1e-3 * Math.abs(wanted), 1e-12);
    });
  }

  function score() {
    if (!view.practice) return "";
    const counts = { local: [0, 0], grad: [0, 0] };
    for (const answers of view.answers.values()) {
      for (const [kind, right] of answers) {
        counts[kind][0] += right ? 1 : 0;
        counts[kind][1] += 1;
      }
    }
    const [right, asked] = [counts.local[0] + counts.grad[0], counts.local[1] + counts.grad[1]];
    return "score: " + right + " of " + asked + " right (local derivatives " + counts.local[0] + " of " +
      counts.local[1] + ", gradients " + counts.grad[0] + " of " + counts.grad[1] + ")";
  }

  return { answered, localShown, gradShown, waiting, line, score };
}
