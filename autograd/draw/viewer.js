// chainrule's step-through page: plain JavaScript, no framework, nothing fetched.
//
// The Python side (autograd/draw/viewer.py and frames.py) computed every frame: the texts of every
// number, the update lines, the highlights. This script only shows them in the one picture Graphviz
// laid out: it changes the text of the marked numbers (text[data-node]) and of the local derivatives
// on the edges (text[data-edge]), and the classes of the drawn elements. It never computes a
// gradient: the page shows the engine's numbers, formatted in Python.

function chainruleStepThrough(root) {
  "use strict";
  const data = JSON.parse(root.querySelector("script.cr-data").textContent);
  const svg = root.querySelector("svg.cr-frame");
  const find = (selector) => root.querySelector(selector);
  const nodeCount = data.names.length;
  const lastFrame = data.frames.length - 1;

  // ----- what the picture holds -----------------------------------------------------------------

  const fields = Array.from(svg.querySelectorAll("text[data-node]"), (text) => ({
    text: text,
    node: Number(text.getAttribute("data-node")),
    field: text.getAttribute("data-field"),
  }));
  const labels = Array.from(svg.querySelectorAll("text[data-edge]"), (text) => ({
    text: text,
    edge: text.getAttribute("data-edge"),
  }));
  const elements = new Map(); // class that names a drawn node or edge -> its <g>
  for (const group of svg.querySelectorAll("g.node, g.edge")) {
    const name = group.getAttribute("class").split(" ")[1];
    if (name) elements.set(name, group);
  }
  const uses = Array.from({ length: nodeCount }, () => []); // node -> [step, update] that feed its grad
  data.steps.forEach(([, updates], step) => {
    updates.forEach((update, k) => uses[update[0]].push([step, k]));
  });

  const view = {
    frame: 0,
    timer: null,
    practice: false,
    answers: new Map(), // backward step (1..m) -> [[kind, right or wrong, what was typed], ...] in order asked
    selected: null, // the drawn element whose nodes the inspector shows
  };
  const questions = chainruleQuestions(data, view, element, () => show());

  // ----- one frame --------------------------------------------------------------------------------

  function backwardStep(frame) {
    return data.frames[frame][2]; // how many backward steps have run; null during the forward pass
  }

  function gradTexts(steps) {
    const grads = new Array(nodeCount).fill(data.unknown);
    if (steps === null) return grads;
    grads[nodeCount - 1] = data.seed;
    for (let s = 1; s <= steps; s++) {
      const updates = data.steps[s - 1][1];
      updates.forEach((update, k) => {
        if (s < steps || questions.gradShown(s, k)) grads[update[0]] = update[4];
      });
    }
    return grads;
  }

  function showNumbers(frame) {
    const [, computed, steps] = data.frames[frame];
    const grads = gradTexts(steps);
    for (const { text, node, field } of fields) {
      const value = field === "data" ? dataText(node, computed) : grads[node];
      const wanted = field + " " + value;
      if (text.textContent !== wanted) text.textContent = wanted;
    }
    const shown = edgeTexts(frame);
    for (const { text, edge } of labels) {
      const wanted = shown.get(edge) || "";
      if (text.textContent !== wanted) text.textContent = wanted;
    }
  }

  function dataText(node, computed) {
    return data.stepOf[node] < computed ? data.data[node] : data.unknown;
  }

  function edgeTexts(frame) {
    // the local derivatives the edges show: the backward step's own, or with local_grads every edge
    const [, computed, steps] = data.frames[frame];
    const shown = new Map();
    if (data.everyEdge) {
      for (const [edge, text] of Object.entries(data.edgeLabels)) {
        if ((data.appears[edge] ?? 0) < computed) shown.set(edge, text);
      }
    }
    if (steps) {
      const used = new Map();
      data.steps[steps - 1][1].forEach((update, k) => {
        const edge = update[6];
        if (edge === null) return;
        const text = questions.localShown(steps, k) ? update[2] : data.unknown;
        used.set(edge, (used.has(edge) ? used.get(edge) + ", " : "") + text);
      });
      for (const [edge, text] of used) shown.set(edge, text);
    }
    return shown;
  }

  function showHighlights(frame) {
    const [, computed, , current, sending, updated] = data.frames[frame];
    const marks = new Map();
    const mark = (names, kind) => {
      for (const name of names) marks.set(name, (marks.get(name) || []).concat(kind));
    };
    mark(current, "cr-current");
    mark(sending, data.frames[frame][2] === null ? "cr-sending" : "cr-sending-back");
    mark(updated, "cr-updated");
    if (view.selected) mark([view.selected], "cr-selected");
    for (const [name, group] of elements) {
      const kinds = marks.get(name) || [];
      if ((data.appears[name] ?? 0) >= computed) kinds.push("cr-pending");
      const kept = group.getAttribute("class").split(" ").filter((c) => !c.startsWith("cr-"));
      const wanted = kept.concat(kinds).join(" ");
      if (group.getAttribute("class") !== wanted) group.setAttribute("class", wanted);
    }
  }

  function show() {
    const frame = view.frame;
    showNumbers(frame);
    showHighlights(frame);
    find(".cr-title").textContent = data.frames[frame][0];
    find(".cr-position").textContent = "frame " + frame + " of " + lastFrame;
    find(".cr-slider").value = String(frame);
    showUpdates();
    showInspector();
    showScore();
  }

  // ----- the layout: the picture fits the room it has, and the step stays in view -----------------

  const picture = find(".cr-picture");
  const panel = find(".cr-panel");
  const natural = { width: svg.width.baseVal.value, height: svg.height.baseVal.value };
  const smallestText = Math.min(
    ...Array.from(svg.querySelectorAll("text"), (text) => Number(text.getAttribute("font-size")) || 14),
  );
  // never smaller than 11 px text; never more than a quarter bigger than Graphviz drew it
  const pixelsPerUnit = natural.width / (svg.viewBox.baseVal.width || natural.width);
  const smallestScale = 11 / (smallestText * pixelsPerUnit);
  const largestScale = 1.25;
  const shrinkForHeight = 0.85;
  const sideBySide = 1100; // px: from this width on, the panel sits beside the picture
  const gap = 8;

  function layout() {
    const side = root.clientWidth >= sideBySide;
    root.classList.toggle("cr-side", side);
    root.classList.toggle("cr-stacked", !side);
    const room = window.innerHeight - 2 * gap;
    panel.style.maxHeight = side ? room + "px" : "";
    fitPicture(side);
    const width = picture.clientWidth;
    const height = pictureHeight(side);
    // the whole picture if it fits at a readable size; else its width, shrunk a little for the
    // height, and the picture scrolls (following each step)
    const fits = Math.min(width / natural.width, height / natural.height, largestScale);
    const scale = Math.max(smallestScale, fits, Math.min(width / natural.width, shrinkForHeight));
    svg.style.width = natural.width * scale + "px";
    svg.style.height = natural.height * scale + "px";
  }

  function pictureHeight(side) {
    // the window's height, less the panel's when it sits above (never under 360 px)
    const room = window.innerHeight - 2 * gap - (side ? 0 : panel.offsetHeight + gap);
    return Math.max(360, room);
  }

  function fitPicture(side) {
    picture.style.maxHeight = pictureHeight(side) + "px";
  }

  function follow(wholePage) {
    // scroll the picture so that the step's nodes are inside it, and the page so that it is whole
    const [, , , current, , updated, filled] = data.frames[view.frame];
    const rectangles = (names) => names.map((name) => elements.get(name)).filter(Boolean).map((g) => g.getBoundingClientRect());
    const everything = rectangles(current.concat(updated, filled));
    if (everything.length) {
      const box = picture.getBoundingClientRect();
      const inside = {
        left: box.left + picture.clientLeft,
        top: box.top + picture.clientTop,
        width: picture.clientWidth,
        height: picture.clientHeight,
      };
      let wanted = union(everything);
      if (wanted.bottom - wanted.top > inside.height || wanted.right - wanted.left > inside.width) {
        wanted = union(rectangles(current).concat(everything.slice(0, 1)));
      }
      const margin = 12;
      if (wanted.top < inside.top + margin || wanted.bottom > inside.top + inside.height - margin) {
        picture.scrollTop += (wanted.top + wanted.bottom) / 2 - (inside.top + inside.height / 2);
      }
      if (wanted.left < inside.left + margin || wanted.right > inside.left + inside.width - margin) {
        picture.scrollLeft += (wanted.left + wanted.right) / 2 - (inside.left + inside.width / 2);
      }
    }
    if (wholePage) {
      const whole = root.getBoundingClientRect();
      if (whole.top < 0 || whole.bottom > window.innerHeight) root.scrollIntoView({ block: "nearest" });
    }
  }

  function union(rectangles) {
    return {
      left: Math.min(...rectangles.map((r) => r.left)),
      top: Math.min(...rectangles.map((r) => r.top)),
      right: Math.max(...rectangles.map((r) => r.right)),
      bottom: Math.max(...rectangles.map((r) => r.bottom)),
    };
  }

  // ----- the update lines, and practice mode -----------------------------------------------------

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function showUpdates() {
    const box = find(".cr-updates");
    box.replaceChildren();
    const step = backwardStep(view.frame);
    if (step === null) {
      for (const text of data.frames[view.frame][7]) box.append(element("div", "cr-update", text));
      return;
    }
    data.steps.slice(step - 1, step).forEach(([, updates]) => {
      updates.forEach((update, k) => {
        const line = questions.line(step, k);
        line.addEventListener("mouseenter", () => hover(update[0], true));
        line.addEventListener("mouseleave", () => hover(update[0], false));
        box.append(line);
      });
    });
    const input = find(".cr-answer");
    if (input) {
      const notes = find(".cr-notes"); // positioned: a line's offsetTop is measured in it
      const line = input.closest(".cr-update");
      if (line.offsetTop < notes.scrollTop || line.offsetTop + line.offsetHeight > notes.scrollTop + notes.clientHeight) {
        notes.scrollTop = line.offsetTop - 4;
      }
      setTimeout(() => input.focus({ preventScroll: true }), 0);
    }
  }

  function hover(node, on) {
    const drawsIt = (key) => key[0] !== "o" && data.elements[key].includes(node); // a record or a box
    const name = Object.keys(data.elements).find(drawsIt);
    const group = name && elements.get(name);
    if (group) group.classList.toggle("cr-selected", on);
  }

  function showScore() {
    find(".cr-score").textContent = questions.score();
  }

  // ----- the inspector ----------------------------------------------------------------------------

  function inspect(name) {
    view.selected = view.selected === name ? null : name;
    show();
    if (view.selected) find(".cr-notes").scrollTop = find(".cr-inspector").offsetTop;
  }

  function showInspector() {
    const panel = find(".cr-inspector");
    panel.replaceChildren();
    panel.hidden = view.selected === null;
    if (view.selected === null) return;
    const close = element("button", "cr-close", "close");
    close.type = "button";
    close.addEventListener("click", () => inspect(view.selected));
    panel.append(close);
    for (const node of data.elements[view.selected]) panel.append(describe(node));
  }

  function describe(node) {
    const [, computed, steps] = data.frames[view.frame];
    const name = data.names[node];
    const part = element("div", "cr-node");
    part.dataset.node = String(node);
    part.append(element("div", "cr-heading", name));
    const op = data.ops[node];
    part.append(element("div", "", "op: " + (op || "none (a leaf: given, not computed)")));
    part.append(element("div", "", "data: " + dataText(node, computed)));
    const notYet = steps === null ? " (the backward pass has not started)" : "";
    part.append(element("div", "", "grad: " + gradTexts(steps)[node] + notYet));
    data.parents[node].forEach((parent, k) => {
      const local = "d " + name + " / d " + data.names[parent] + " = " + data.locals[node][k];
      part.append(element("div", "cr-local", local));
    });
    part.append(gradientSum(node, steps));
    return part;
  }

  function gradientSum(node, steps) {
    const sum = element("div", "cr-sum");
    const name = data.names[node];
    if (node === nodeCount - 1) {
      sum.textContent = "grad " + name + " = " + data.seed + ": the seed (d " + name + " / d " + name + ")";
      return sum;
    }
    const rule = "grad " + name + " = the sum over the nodes that use it of d user / d " + name;
    sum.append(element("div", "", rule + " \u00D7 grad user"));
    const terms = element("div", "cr-terms", "= ");
    uses[node].forEach(([step, k], index) => {
      const [, , local, upstream] = data.steps[step][1][k];
      const arrived = steps !== null && (step + 1 < steps || (step + 1 === steps && questions.gradShown(steps, k)));
      const user = data.names[data.steps[step][0]];
      if (index > 0) terms.append(" + ");
      const term = local + " \u00D7 " + upstream + " (from " + user + ")";
      terms.append(element("span", arrived ? "cr-term" : "cr-term cr-later", term));
    });
    sum.append(terms);
    const [last, k] = uses[node][uses[node].length - 1];
    sum.append(element("div", "cr-total", "= " + data.steps[last][1][k][4]));
    if (terms.querySelector(".cr-later")) {
      const soFar = gradTexts(steps)[node];
      const note = "(grey terms arrive later in the backward pass; so far: " + soFar + ")";
      sum.append(element("div", "cr-later", note));
    }
    return sum;
  }

  // ----- the controls -----------------------------------------------------------------------------

  function goTo(frame, wholePage = true) {
    view.frame = Math.max(0, Math.min(lastFrame, frame));
    show();
    if (root.classList.contains("cr-stacked")) fitPicture(false); // the panel's height may change
    follow(wholePage);
  }

  function next() {
    if (questions.waiting(backwardStep(view.frame))) {
      const input = find(".cr-answer");
      if (input) input.focus({ preventScroll: true });
      stop();
      return;
    }
    if (view.frame === lastFrame) stop();
    else goTo(view.frame + 1);
  }

  function stop() {
    if (view.timer !== null) clearInterval(view.timer);
    view.timer = null;
    find("[data-do=play]").textContent = "\u25B6 play";
  }

  function playOrPause() {
    if (view.timer !== null) {
      stop();
      return;
    }
    if (view.frame === lastFrame) goTo(0);
    view.timer = setInterval(next, Number(find(".cr-speed").value));
    find("[data-do=play]").textContent = "pause";
  }

  function reset() {
    stop();
    view.answers = new Map();
    goTo(0);
  }

  const actions = { reset: reset, previous: () => goTo(view.frame - 1), play: playOrPause, next: next };
  for (const button of root.querySelectorAll("[data-do]")) {
    button.addEventListener("click", () => actions[button.getAttribute("data-do")]());
  }
  find(".cr-slider").max = String(lastFrame);
  find(".cr-slider").addEventListener("input", (event) => goTo(Number(event.target.value)));
  find(".cr-speed").addEventListener("change", () => {
    if (view.timer !== null) {
      stop();
      playOrPause();
    }
  });
  find(".cr-practice").addEventListener("change", (event) => {
    view.practice = event.target.checked;
    show();
  });
  svg.addEventListener("click", (event) => {
    const group = event.target.closest("g.node");
    const name = group && group.getAttribute("class").split(" ")[1];
    if (name && data.elements[name]) inspect(name);
  });
  root.addEventListener("keydown", (event) => {
    const typing = event.target.matches("input[type=text], input[type=range], select, textarea");
    const keys = {
      ArrowRight: next,
      ArrowLeft: () => goTo(view.frame - 1),
      Home: reset,
      End: () => goTo(lastFrame),
      " ": playOrPause,
    };
    if (typing || event.target.matches("button") && event.key === " " || !keys[event.key]) return;
    event.preventDefault();
    keys[event.key]();
  });

  find(".cr-bar").hidden = false;
  layout();
  goTo(0, false);
  let laidOutFor = [root.clientWidth, window.innerHeight];
  const again = () => {
    const now = [root.clientWidth, window.innerHeight];
    if (now[0] === laidOutFor[0] && now[1] === laidOutFor[1]) return;
    laidOutFor = now;
    layout();
    follow(false);
  };
  window.addEventListener("resize", again);
  if (typeof ResizeObserver === "function") new ResizeObserver(again).observe(root);
  if (data.standalone) root.focus({ preventScroll: true });
}
