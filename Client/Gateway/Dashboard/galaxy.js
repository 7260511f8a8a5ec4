// The Galaxy dashboard: polls the gateway's /dashboard/galaxy reads (the session cookie) and draws them with Chart.js.
// Decisions on approvals go to /v1/guardian/approvals with a bearer token the CEO signs in for at that moment.
"use strict";

const WINDOW_SECONDS = 120;
const COLOURS = ["#6ea8ff", "#ffb86b", "#7be0a8", "#d99bff", "#ff8a8a", "#5fd4e0", "#f0e68c", "#c0c8e0"];
const $ = id => document.getElementById(id);

let me = null;

async function read(path) {
  const response = await fetch("/dashboard/galaxy/" + path, { headers: { Accept: "application/json" } });
  if (response.status === 401) location.assign("/signin?returnUrl=" + encodeURIComponent(location.pathname + location.search));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function element(tag, properties = {}, ...children) {
  const made = Object.assign(document.createElement(tag), properties);
  made.append(...children);
  return made;
}

function table(headings, rows) {
  return element("table", {}, element("tr", {}, ...headings.map(text => element("th", { textContent: text }))),
    ...rows.map(cells => element("tr", {}, ...cells.map(cell => element("td", {}, cell)))));
}

const status = text => element("span", { className: "status-" + text, textContent: text });
const when = iso => iso ? new Date(iso).toLocaleTimeString() : "";
const fixed = (value, digits = 1) => value == null ? "–" : value.toFixed(digits);

// --- charts -------------------------------------------------------------------------------------------------------

Chart.defaults.color = "#b9c3e0";
Chart.defaults.borderColor = "#2c3557";
Chart.defaults.animation = false;

function lineChart(canvasId, yTitle, yRange = {}) {
  return new Chart($(canvasId), {
    type: "line",
    data: { datasets: [] },
    options: {
      maintainAspectRatio: false,
      parsing: false,
      spanGaps: true,
      elements: { point: { radius: 0 } },
      scales: {
        x: { type: "linear", min: -WINDOW_SECONDS, max: 0, title: { display: true, text: "seconds ago" } },
        y: { beginAtZero: true, title: { display: true, text: yTitle }, ...yRange },
      },
      plugins: { legend: { labels: { boxWidth: 12, filter: item => !item.text.startsWith("·") } } },
    },
  });
}

// A limit is a flat line across the window: dashed for a warning level, dotted for a critical one. Its label (kept out
// of the legend by its leading "·") names the models whose limit it is, when it is some models' own.
function limitLine(value, critical, models = "") {
  return {
    label: `·${models ? models + " " : ""}${critical ? "critical" : "warning"} ${value}`,
    data: [{ x: -WINDOW_SECONDS, y: value }, { x: 0, y: value }], pointRadius: 0, borderWidth: 1.5,
    borderColor: critical ? "#ff6b6b" : "#ffd27a", borderDash: critical ? [2, 3] : [6, 4],
  };
}

const thresholdLines = (threshold, models) => [limitLine(threshold.warning, false, models), limitLine(threshold.critical, true, models)];

// Each served model's own limits (the thresholds its alerts fire at): one pair of lines per distinct set, named after
// the models that share it; the seed's when nothing is served.
function modelLimitLines(figures, pick) {
  const sets = new Map();
  for (const version of figures.versions) {
    const threshold = pick(version.thresholds);
    const key = `${threshold.warning}/${threshold.critical}`;
    if (!sets.has(key)) sets.set(key, { threshold, models: new Set() });
    sets.get(key).models.add(version.model);
  }
  if (sets.size === 0) return thresholdLines(pick(figures.thresholds), "");
  return [...sets.values()].flatMap(({ threshold, models }) => thresholdLines(threshold, [...models].sort().join(", ")));
}

function series(label, index, points) {
  const colour = COLOURS[index % COLOURS.length];
  return { label, data: points, borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 1.5 };
}

const charts = {
  latency: lineChart("chart-latency", "ms"),
  accuracy: lineChart("chart-accuracy", "%", { beginAtZero: false, suggestedMin: 95, suggestedMax: 100 }),
  throughput: lineChart("chart-throughput", "req/s"),
  cpu: lineChart("chart-cpu", "%", { max: 100 }),
  memory: lineChart("chart-memory", "%", { max: 100 }),
};

function showModels(figures) {
  const now = Date.parse(figures.now);
  const ago = at => (Date.parse(at) - now) / 1000;
  const draw = (chart, pick, pickLimit) => {
    chart.data.datasets = figures.versions.map((version, i) => series(
      `${version.key} (${version.stableLabscapes} stable, ${version.canaryLabscapes} canary)`, i,
      version.points.map(point => ({ x: ago(point.at), y: pick(point) }))));
    chart.data.datasets.push(...modelLimitLines(figures, pickLimit));
    chart.update();
  };
  $("accuracy-window").textContent = figures.accuracyWindowSeconds;
  draw(charts.latency, point => point.latencyP95Ms, limits => limits.latencyP95Ms);
  draw(charts.accuracy, point => point.accuracyPercent, limits => limits.accuracyPercent);
  draw(charts.throughput, point => point.throughput, limits => limits.throughputPerSecond);
}

// Silos report their current use only, so the page keeps each silo's recent readings itself.
const siloHistory = new Map();

function showSilos(reading) {
  const now = Date.parse(reading.now);
  for (const silo of reading.silos) {
    const kept = siloHistory.get(silo.silo) ?? [];
    kept.push({ at: now, cpu: silo.cpuPercent, memory: silo.memoryPercent });
    siloHistory.set(silo.silo, kept.filter(point => now - point.at <= WINDOW_SECONDS * 1000));
  }
  const draw = (chart, pick, limit) => {
    chart.data.datasets = [...siloHistory].map(([name, points], i) =>
      series(name, i, points.map(point => ({ x: (point.at - now) / 1000, y: pick(point) }))));
    chart.data.datasets.push(limitLine(limit, true));
    chart.update();
  };
  draw(charts.cpu, point => point.cpu, reading.thresholds.cpuPercent);
  draw(charts.memory, point => point.memory, reading.thresholds.memoryPercent);
  $("silos").replaceChildren(table(["silo", "status", "CPU", "memory", "grains"], reading.silos.map(silo =>
    [silo.silo, silo.status, fixed(silo.cpuPercent) + " %", `${fixed(silo.memoryPercent)} % (${fixed(silo.memoryBytes / 2 ** 20, 0)} MiB)`, String(silo.activations)])));
}

// --- panels -------------------------------------------------------------------------------------------------------

// The alerts panel's one data source: the gateway's dashboard read of the firing alerts, an AlertPage as
// GET /v1/alerts?state=firing answers it (a gateway without alerting answers 404).
async function activeAlerts() {
  const response = await fetch("/dashboard/galaxy/alerts", { headers: { Accept: "application/json" } });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`alerts: ${response.status}`);
  return (await response.json()).items;
}

function showAlerts(alerts) {
  if (alerts === null) { $("alerts").textContent = "This gateway does not serve alerts yet."; return; }
  if (alerts.length === 0) { $("alerts").textContent = "No alert is firing."; return; }
  $("alerts").replaceChildren(table(["severity", "subject", "value", "level", "since"], alerts.map(alert => [
    element("span", { className: "severity-" + alert.severity, textContent: alert.severity }),
    `${alert.subject} ${alert.kind}`, `${fixed(alert.value, 2)} (limit ${alert.threshold})`,
    `${alert.level}${alert.acknowledgedBy ? " · acknowledged by " + alert.acknowledgedBy : ""}`, when(alert.firedAt)])));
}

function showTraining(panel) {
  if (panel.jobs.length === 0) { $("training").textContent = "No training job."; return; }
  $("training").replaceChildren(table(["model", "status", "progress", "epochs", "best", "version"], panel.jobs.map(job => [
    job.model.name, status(job.status),
    element("span", {}, element("progress", { max: 1, value: job.progress }), ` ${Math.round(job.progress * 100)} %`),
    `${job.epochsDone}/${job.epochs}`, job.bestValidationAccuracy == null ? "–" : fixed(job.bestValidationAccuracy * 100, 2) + " %",
    job.version == null ? "" : String(job.version)])));
}

function showDeployments(panel) {
  if (panel.deployments.length === 0) { $("deployments").textContent = "No deployment."; return; }
  // A deployment's step counts from 0, and is −1 before its first (waiting for approval, or refused).
  $("deployments").replaceChildren(table(["version", "status", "canary", "labscapes", "updated"], panel.deployments.map(deployment => [
    `${deployment.model.name}:${deployment.version}`, status(deployment.status),
    deployment.step < 0 ? "not started" : `step ${deployment.step + 1}: ${deployment.canaryPercent} %`,
    String(deployment.labscapes.length), when(deployment.updatedAt)])));
}

// Shown again only when the pending set changes, so that a decision being typed is not wiped by the next refresh.
let shownApprovals = null;

function showApprovals(panel) {
  const ids = panel.pending.map(approval => approval.id).join();
  if (ids === shownApprovals) return;
  shownApprovals = ids;
  if (panel.pending.length === 0) { $("approvals").textContent = "Nothing waits for a decision."; return; }
  $("approvals").replaceChildren(...panel.pending.map(approval => {
    const row = element("div", { className: "approval" },
      element("div", {}, element("strong", { textContent: `${approval.model.name}:${approval.version}` }),
        ` · ${approval.reason} · asked by ${approval.requestedBy} at ${when(approval.requestedAt)}`),
      element("div", { className: "muted", textContent: Object.entries(approval.figures).map(([name, value]) => `${name} ${value}`).join(" · ") }));
    if (me?.mayDecideApprovals) row.append(decisionForm(approval));
    return row;
  }));
}

// A decision is a CEO's own request to the approvals route: password and a fresh TOTP code buy a token for it, which
// is used once and dropped. The dashboard session itself cannot decide anything.
function decisionForm(approval) {
  const form = element("form", { className: "decision" },
    element("input", { name: "password", type: "password", placeholder: "password", required: true, autocomplete: "current-password" }),
    element("input", { name: "totp", placeholder: "TOTP code", required: true, inputmode: "numeric", autocomplete: "one-time-code" }),
    element("input", { name: "comment", placeholder: "comment" }),
    element("button", { className: "approve", value: "approve", textContent: "Approve" }),
    element("button", { className: "reject", value: "reject", textContent: "Reject" }),
    element("span", { className: "error" }));
  form.dataset.approval = approval.id;
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const fields = new FormData(form);
    const shown = form.querySelector(".error");
    shown.textContent = "";
    try {
      await decide(approval.id, event.submitter.value === "approve", fields);
      shown.textContent = "";
      refreshPanels();
    } catch (e) { shown.textContent = e.message; }
  });
  return form;
}

async function decide(approvalId, approve, fields) {
  const signIn = await fetch("/v1/auth/token", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: me.subject, password: fields.get("password"), totp: fields.get("totp") }),
  });
  const token = await signIn.json();
  if (!signIn.ok) throw new Error(token.detail || token.title);
  const decision = await fetch(`/v1/guardian/approvals/${approvalId}/decision`, {
    method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer " + token.accessToken },
    body: JSON.stringify({ approve, comment: fields.get("comment") || null }),
  });
  if (!decision.ok) { const problem = await decision.json(); throw new Error(problem.detail || problem.title); }
}

// --- the labscape heat map ------------------------------------------------------------------------------------------

let previousLabscapes = null;

// Colour from cool (low) to hot (high) on a 0…1 scale.
const heat = share => `hsl(${230 - 230 * share}, 75%, ${22 + 38 * share}%)`;

// A labscape that is not active (none of its units used since its silo started) comes without figures: the gateway does
// not activate it to ask. It is drawn grey, in a group of its own.
const IDLE = "not active";

function cell(labscapeId, m, colour) {
  if (m === null) return element("div", { className: "cell idle", title: `labscape ${labscapeId}: not active` });
  return element("div", {
    className: "cell", style: `background: ${colour}`,
    title: `labscape ${labscapeId}: ${fixed(m.rowsPerSecond ?? 0)} rows/s, p95 ${fixed(m.latencyP95Ms, 2)} ms, queue ${m.queueLength}, ` +
      `${m.learns} learns, ${m.rows} rows in ${m.batches} batches, ${m.overloads} overloads, ${m.backend}`,
  });
}

function showLabscapes(labscapes) {
  const now = performance.now();
  const active = labscapes.filter(labscape => labscape.metrics !== null);
  if (previousLabscapes) {
    const seconds = (now - previousLabscapes.at) / 1000;
    for (const labscape of active) {
      const before = previousLabscapes.rows.get(labscape.labscapeId);
      labscape.metrics.rowsPerSecond = before === undefined || before > labscape.metrics.rows ? 0 : (labscape.metrics.rows - before) / seconds;
    }
  }
  previousLabscapes = { at: now, rows: new Map(active.map(l => [l.labscapeId, l.metrics.rows])) };

  const figure = $("figure").value;
  const value = metrics => metrics?.[figure] ?? 0;
  const highest = Math.max(0, ...active.map(labscape => value(labscape.metrics)));
  const scale = highest > 0 ? highest : 1;
  const bySilo = Map.groupBy(labscapes, labscape => labscape.metrics?.silo ?? IDLE);
  const silos = [...bySilo.keys()].filter(silo => silo !== IDLE).sort();
  if (bySilo.has(IDLE)) silos.push(IDLE);
  $("map").replaceChildren(...silos.map(silo => {
    const members = bySilo.get(silo);
    return element("div", { className: "silo" }, element("div", { className: "muted", textContent: `${silo} · ${members.length} labscapes` }),
      element("div", { className: "cells" }, ...members.map(({ labscapeId, metrics }) => cell(labscapeId, metrics, heat(value(metrics) / scale)))));
  }));
  $("scale-min").textContent = "0";
  $("scale-bar").style.background = `linear-gradient(to right, ${heat(0)}, ${heat(0.5)}, ${heat(1)})`;
  $("scale-max").textContent = fixed(highest, figure === "latencyP95Ms" ? 2 : 0);
  const rows = active.reduce((sum, l) => sum + l.metrics.rows, 0);
  const idle = labscapes.length - active.length;
  $("map-summary").textContent = `${labscapes.length} labscapes on ${silos.filter(silo => silo !== IDLE).length} silos` +
    (idle > 0 ? ` (${idle} not active)` : "") + ` · ${rows} rows since activation`;
}

// --- the unit inspector ---------------------------------------------------------------------------------------------

let lossChart = null;

// One layer's weights as a heat map: blue negative, red positive, scaled to the layer's largest magnitude.
function weightMap(title, values, rows, columns) {
  const cell = Math.max(2, Math.min(12, Math.floor(360 / columns)));
  const canvas = element("canvas", { className: "weights", width: columns * cell, height: rows * cell });
  const context = canvas.getContext("2d");
  const largest = Math.max(1e-9, ...values.map(Math.abs));
  values.forEach((weight, i) => {
    const share = Math.min(1, Math.abs(weight) / largest);
    context.fillStyle = weight < 0 ? `hsl(215, 85%, ${12 + 55 * share}%)` : `hsl(5, 85%, ${12 + 55 * share}%)`;
    context.fillRect((i % columns) * cell, Math.floor(i / columns) * cell, cell, cell);
  });
  return element("figure", {}, canvas, element("figcaption", { textContent: `${title} · ${rows}×${columns} · |max| ${largest.toFixed(3)}` }));
}

function layers(parameters, { inputs, hidden, outputs }) {
  const cut = [hidden * inputs, hidden, outputs * hidden, outputs];
  const parts = [];
  let at = 0;
  for (const length of cut) { parts.push(parameters.slice(at, at + length)); at += length; }
  return element("div", { className: "layers" },
    weightMap("W1 (hidden × inputs)", parts[0], hidden, inputs), weightMap("b1", parts[1], hidden, 1),
    weightMap("W2 (outputs × hidden)", parts[2], outputs, hidden), weightMap("b2", parts[3], outputs, 1));
}

function lineage(entries) {
  if (entries.length === 0) return element("div", { className: "muted", textContent: "Initial model: no registry version." });
  return element("ol", {}, ...entries.map(entry => element("li", {
    textContent: `${entry.key} · ${entry.status} · ${entry.technique}` +
      (entry.trainingJobId ? ` · job ${entry.trainingJobId.slice(0, 8)}` : "") +
      (entry.datasetSha256 ? ` · dataset ${entry.datasetSha256.slice(0, 12)}` : "") +
      Object.entries(entry.metrics).map(([name, value]) => ` · ${name} ${value.toFixed(4)}`).join(""),
  })));
}

async function inspect(id) {
  const view = $("unit-view");
  const response = await fetch("/dashboard/galaxy/units/" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) { view.textContent = body.detail || body.title; return; }
  const unit = body.unit;
  const shape = unit.architecture;
  const facts = table(["unit", "labscape", "serves", "own weights", "revision", "predictions", "learns", "refused steps", "updated"], [[
    String(unit.unitId), String(unit.labscapeId), unit.modelVersion, unit.ownWeights ? `yes (${unit.ownVersion})` : "no (its version's)",
    String(unit.revision), String(unit.predictions), String(unit.learns), String(unit.rejectedSteps), when(unit.updatedAt)]]);
  const lossCanvas = element("canvas", { id: "chart-loss" });
  view.replaceChildren(facts,
    element("h2", { textContent: `Weights: ${unit.parameters.length} parameters, ${shape.inputs}→${shape.hidden}→${shape.outputs}` }),
    layers(unit.parameters, shape),
    element("h2", { textContent: `Recent loss: the last ${body.recentLearns.length} learn steps since activation` }),
    element("div", { className: "chart" }, lossCanvas),
    element("h2", { textContent: "Version and lineage" }), lineage(body.lineage));
  lossChart?.destroy();
  lossChart = new Chart(lossCanvas, {
    type: "line",
    data: { datasets: [{
      label: "loss before the step", borderColor: COLOURS[0], borderWidth: 2,
      data: body.recentLearns.map((step, i) => ({ x: i + 1, y: step.loss })),
      pointBackgroundColor: body.recentLearns.map(step => step.applied ? COLOURS[0] : "#ff6b6b"),
    }] },
    options: {
      maintainAspectRatio: false, parsing: false,
      scales: { x: { type: "linear", ticks: { precision: 0 }, title: { display: true, text: "learn step" } } },
    },
  });
}

$("inspect").addEventListener("submit", event => {
  event.preventDefault();
  const id = $("unit").value;
  history.replaceState(null, "", "?unit=" + encodeURIComponent(id));
  inspect(id);
});

// --- refreshing -----------------------------------------------------------------------------------------------------

// Each refresh waits for its previous round, so a slow gateway is not asked again before it answered.
function every(milliseconds, refresh) {
  const round = async () => {
    try { await refresh(); } catch (e) { console.warn(e); }
    setTimeout(round, milliseconds);
  };
  round();
}

const panel = (promise, show, target) => promise.then(show, e => { $(target).textContent = e.message; });

function refreshPanels() {
  const reads = [panel(activeAlerts(), showAlerts, "alerts"), panel(read("training"), showTraining, "training"),
    panel(read("deployments"), showDeployments, "deployments")];
  if (me.mayReadApprovals) reads.push(panel(read("approvals"), showApprovals, "approvals"));
  else $("approvals").textContent = "Approvals are for the CEO, the CTO and lead AI engineers.";
  return Promise.all(reads);
}

async function start() {
  me = await read("me");
  $("me").textContent = `signed in as ${me.subject} (${me.role})`;
  $("figure").addEventListener("change", () => read("labscapes").then(showLabscapes));
  every(1000, () => Promise.all([read("models").then(showModels), read("silos").then(showSilos), read("labscapes").then(showLabscapes)]));
  every(3000, refreshPanels);
  const unit = new URLSearchParams(location.search).get("unit");
  if (unit !== null) { $("unit").value = unit; inspect(unit); }
}

start();
