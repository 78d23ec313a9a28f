// The playground page: an editor, examples, Run and Stop, and chainrule's step-through viewer.
//
// Python runs in a worker (worker.js); this script only sends it code and shows what comes back:
// the step-through's HTML exactly as chainrule's step_through() wrote it (the same page a notebook
// shows), what the code printed, or the last lines of its traceback. The page's state is on
// <body data-state>: loading, ready, running, failed (Python could not start).

"use strict";

const page = {
  editor: document.getElementById("editor"),
  examples: document.getElementById("examples"),
  name: document.getElementById("name"),
  run: document.getElementById("run"),
  stop: document.getElementById("stop"),
  status: document.getElementById("status"),
  output: document.getElementById("output"),
  error: document.getElementById("error"),
  viewer: document.getElementById("viewer"),
  versions: document.getElementById("versions"),
};

const session = { worker: null, since: 0, ticker: null, message: "" };

// ----- status -------------------------------------------------------------------------------------

function setState(state) {
  document.body.dataset.state = state;
  page.run.disabled = state !== "ready";
}

function showStatus(text, ticking) {
  // while `ticking`, the status counts the seconds since the worker started (loading takes a while)
  session.message = text;
  clearInterval(session.ticker);
  const show = () => {
    const seconds = Math.round((performance.now() - session.since) / 1000);
    page.status.textContent = ticking ? `${session.message}... ${seconds} s` : session.message;
  };
  show();
  if (ticking) session.ticker = setInterval(show, 1000);
}

function showText(element, text) {
  element.textContent = text;
  element.hidden = !text;
}

// ----- the worker ---------------------------------------------------------------------------------

function startWorker() {
  session.since = performance.now();
  session.worker = new Worker("worker.js");
  session.worker.onmessage = (event) => received(event.data);
  session.worker.onerror = (event) => failed(`Python could not start: ${event.message || "see the console"}`);
  setState("loading");
  showStatus("loading Python", true);
}

function refuseToStartFromAFile() {
  // Browsers start no worker for a page opened from a file (file://), so Python could never load:
  // say how to open the page instead of loading forever.
  setState("failed");
  page.stop.disabled = true;
  showStatus(
    "The playground must be served, not opened from a file: browsers run no worker for a file:// page. " +
      "scripts/playground --serve serves it on http://127.0.0.1:8000/ (or serve the API site, " +
      "docs/_build/html, with python -m http.server and open /playground/ there).",
    false,
  );
}

function received(message) {
  if (message.kind === "status") {
    showStatus(message.text, true);
  } else if (message.kind === "ready") {
    document.body.dataset.loadSeconds = message.seconds.toFixed(2);
    page.versions.textContent = `Python ${message.python}.`;
    setState("ready");
    showStatus(`ready: Python ${message.python} loaded in ${message.seconds.toFixed(1)} s`, false);
  } else if (message.kind === "result") {
    showResult(message);
  } else if (message.kind === "failed") {
    failed(message.text);
  }
}

function failed(text) {
  setState("failed");
  showStatus(`${text} (Stop starts a fresh Python)`, false);
}

function runCode() {
  if (document.body.dataset.state !== "ready") return;
  setState("running");
  showText(page.output, "");
  showText(page.error, "");
  session.since = performance.now();
  showStatus("running", true);
  session.worker.postMessage({ source: page.editor.value, name: page.name.value });
}

function stopPython() {
  session.worker.terminate();
  const was = document.body.dataset.state;
  startWorker();
  showStatus(was === "running" ? "stopped; starting a fresh Python" : "starting a fresh Python", true);
}

// ----- a run's result -----------------------------------------------------------------------------

function showResult(result) {
  setState("ready");
  document.body.dataset.runSeconds = result.seconds.toFixed(3);
  showText(page.output, result.output);
  if (result.error) { // Python's None arrives as undefined
    showText(page.error, result.error);
    showStatus(`the code stopped with an error (${result.seconds.toFixed(2)} s)`, false);
    return;
  }
  // the viewer counts from frame 0 (before any step), so name the range it shows, not only a count
  showStatus(`ran in ${result.seconds.toFixed(2)} s: frames 0 to ${result.frames - 1} to step through`, false);
  showSteps(result.html);
  if (page.viewer.getBoundingClientRect().top > window.innerHeight * 0.8) {
    page.viewer.scrollIntoView({ block: "start" }); // a narrow window: the viewer is below the editor
  }
}

function showSteps(html) {
  // The step-through's HTML carries its own style and script. Scripts put in with innerHTML do not
  // run, so each is replaced by a copy made with createElement, which does.
  page.viewer.innerHTML = html;
  for (const old of page.viewer.querySelectorAll("script:not([type])")) {
    const script = document.createElement("script");
    script.textContent = old.textContent;
    old.replaceWith(script);
  }
}

// ----- the editor ---------------------------------------------------------------------------------

function loadExample(index) {
  page.editor.value = PLAYGROUND_EXAMPLES[index].code;
  page.name.value = "";
}

function editorKeys(event) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    runCode();
  } else if (event.key === "Tab" && !event.shiftKey) {
    event.preventDefault(); // indent, as a code editor does, instead of leaving the editor
    page.editor.setRangeText("    ", page.editor.selectionStart, page.editor.selectionEnd, "end");
  }
}

PLAYGROUND_EXAMPLES.forEach((example, index) => page.examples.add(new Option(example.title, String(index))));
page.examples.addEventListener("change", () => loadExample(Number(page.examples.value)));
page.editor.addEventListener("keydown", editorKeys);
page.run.addEventListener("click", runCode);
page.stop.addEventListener("click", stopPython);
loadExample(0);
if (location.protocol === "file:") refuseToStartFromAFile();
else startWorker();
