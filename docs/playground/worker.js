// The playground's Python: Pyodide (CPython compiled to WebAssembly) in a worker, so that a long
// or endless run never freezes the page; the Stop button ends this worker and starts a new one.
//
// Everything comes from the page's own folder, as scripts/playground built it: Pyodide's files,
// chainrule's packages and the wheels it needs (unpacked into Python's site-packages, nothing from
// loadPackage or micropip), and Graphviz compiled to WebAssembly (Viz.js) for drawing.
//
// Messages to the page: {kind: "status", text}, {kind: "ready", seconds, python},
// {kind: "result", ...what chainrule_playground.run returns}, {kind: "failed", text}.
// Messages from the page: {source, name}: run this code and step through its final value.

"use strict";

importScripts("pyodide/pyodide.js", "viz/viz-global.js");

let runner = null; // the chainrule_playground module, once loaded

function say(text) {
  postMessage({ kind: "status", text: text });
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function start() {
  const started = performance.now();
  const build = await (await fetch("build.json")).json();
  say(`loading Python (Pyodide ${build.pyodide}, about 10 MB)`);
  const python = await loadPyodide({ indexURL: new URL("pyodide/", location.href).href });
  say("unpacking chainrule and its wheels into site-packages");
  const sitePackages = python.runPython("import sysconfig; sysconfig.get_path('purelib')");
  for (const archive of build.archives) {
    python.unpackArchive(await fetchBytes(archive), "zip", { extractDir: sitePackages });
  }
  say("loading Graphviz (Viz.js)");
  const graphviz = await Viz.instance();
  say("importing chainrule");
  runner = python.pyimport("chainrule_playground");
  runner.use_graphviz((dot) => graphviz.renderString(dot, { format: "svg" }));
  python.runPython("import autograd.draw, nn"); // now, so that the first run is as quick as the next
  const version = python.runPython("import sys; sys.version.split()[0]");
  postMessage({ kind: "ready", seconds: (performance.now() - started) / 1000, python: version });
}

const ready = start().catch((error) => {
  postMessage({ kind: "failed", text: `Python could not start: ${error.message || error}` });
  throw error;
});

onmessage = async (event) => {
  await ready;
  const { source, name } = event.data;
  try {
    const result = runner.run(source, name || "");
    const data = result.toJs({ dict_converter: Object.fromEntries });
    result.destroy();
    postMessage({ kind: "result", ...data });
  } catch (error) {
    // run() catches every Python error; this is Pyodide itself failing (out of memory, say)
    postMessage({ kind: "failed", text: `Python failed: ${error.message || error}` });
  }
};
