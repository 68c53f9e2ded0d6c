// acumat's page: reads /api/info, /api/history and /api/status, follows /api/events (the same
// state and events MQTT carries) and sends commands to /api/commands/<name>. No framework, no
// other origin; text from the mat is set with textContent only.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "acumat-token";
const page = { info: null, state: null, lastId: null, bpm: [], lag: [], programs: [] };
window.acumat = page; // for the browser tests and the curious: the latest state and lag figures

function token() { return localStorage.getItem(TOKEN_KEY); }
function headers(extra) {
  const h = Object.assign({ Accept: "application/json" }, extra || {});
  if (token()) h.Authorization = "Bearer " + token();
  return h;
}

async function api(path, options) {
  const r = await fetch(path, Object.assign({ cache: "no-store" }, options || {},
    { headers: headers((options || {}).headers) }));
  if (r.status === 401) { askToken(token() ? "That token was refused." : null); throw new Error("token"); }
  return r;
}

function askToken(why) {
  $("token-form").hidden = false;
  $("main").hidden = true;
  if (why) $("token-why").textContent = why;
  setLink(false, "locked");
}

$("token-form").addEventListener("submit", (e) => {
  e.preventDefault();
  localStorage.setItem(TOKEN_KEY, $("token-input").value.trim());
  $("token-input").value = "";
  $("token-form").hidden = true;
  $("main").hidden = false;
  start();
});

function setLink(on, text) {
  const el = $("link");
  el.className = "pill " + (on ? "on" : "off");
  el.textContent = text;
}

// --- the mat -------------------------------------------------------------------------------

const MM = 1000; // the drawing's unit: millimetres, so the mat keeps its proportions
function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function drawMat(layout) {
  const svg = $("mat");
  const w = layout.width_m * MM, l = layout.length_m * MM, pad = 90;
  svg.setAttribute("viewBox", `${-pad} ${-pad} ${w + 2 * pad} ${l + 2 * pad}`);
  svg.replaceChildren();
  page.tiles = {};
  for (const z of layout.zones) {
    const x = (z.x_m - z.width_m / 2) * MM, y = (z.y_m - z.length_m / 2) * MM;
    const rect = el("rect", { x, y, width: z.width_m * MM, height: z.length_m * MM,
      class: "tile", "fill-opacity": 0.06, "data-zone": z.name }, svg);
    const title = el("title", {}, rect);
    const label = el("text", { x: z.x_m * MM, y: z.y_m * MM, class: "zone-kg" }, svg);
    page.tiles[z.name] = { rect, title, label };
  }
  el("rect", { x: 0, y: 0, width: w, height: l, rx: 20, class: "outline" }, svg);
  const head = el("text", { x: w / 2, y: -25, class: "side", "text-anchor": "middle" }, svg);
  head.textContent = "head";
  const left = el("text", { x: -pad + 10, y: l / 2, class: "side" }, svg);
  left.textContent = "L";
  const right = el("text", { x: w + 20, y: l / 2, class: "side" }, svg);
  right.textContent = "R";
  page.arrow = el("path", { class: "arrow", visibility: "hidden" }, svg);
  page.cop = el("circle", { r: 34, class: "cop", visibility: "hidden" }, svg);
}

function showMat(s) {
  const loads = Object.values(s.zones_kg).filter((v) => v !== null);
  const most = Math.max(1, ...loads);
  for (const [name, tile] of Object.entries(page.tiles || {})) {
    const kg = s.zones_kg[name];
    const fault = s.faults[name];
    const share = kg === null || kg === undefined ? 0 : Math.max(0, kg) / most;
    tile.rect.setAttribute("fill-opacity", (0.06 + 0.9 * share).toFixed(3));
    tile.rect.classList.toggle("fault", Boolean(fault));
    tile.title.textContent = `${name}: ${kg === null ? "no reading" : kg.toFixed(1) + " kg"}` +
      (fault ? ` (fault: ${fault})` : "");
    tile.label.textContent = kg === null ? "?" : kg.toFixed(0);
  }
  const seen = s.cop_x_m !== null && s.occupied;
  page.cop.setAttribute("visibility", seen ? "visible" : "hidden");
  if (seen) { page.cop.setAttribute("cx", s.cop_x_m * MM); page.cop.setAttribute("cy", s.cop_y_m * MM); }
  showUneven(s);
}

function showUneven(s) {
  const box = $("uneven");
  const layout = page.info.layout;
  if (!s.uneven) { box.hidden = true; page.arrow.setAttribute("visibility", "hidden"); return; }
  const heavy = s.uneven_side === "left" ? "left" : "right";
  const towards = heavy === "left" ? "right" : "left";
  box.hidden = false;
  box.textContent = `More weight on your ${heavy} side: shift a little to your ${towards}.`;
  const w = layout.width_m * MM, y = layout.length_m * MM / 2, dir = towards === "left" ? -1 : 1;
  const x0 = w / 2 - dir * 110, x1 = w / 2 + dir * 110;
  page.arrow.setAttribute("d", `M${x0},${y - 30} L${x1 - dir * 60},${y - 30} L${x1 - dir * 60},${y - 80}` +
    ` L${x1 + dir * 40},${y} L${x1 - dir * 60},${y + 80} L${x1 - dir * 60},${y + 30} L${x0},${y + 30} Z`);
  page.arrow.setAttribute("visibility", "visible");
}

// --- the session ---------------------------------------------------------------------------

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${r}` : `${m}:${r}`;
}

function showSession(s) {
  const x = s.session;
  $("timer").textContent = clock(x.elapsed_s);
  $("target").textContent = x.state === "idle" ? "no session" :
    x.target_s ? `of ${clock(x.target_s)} ${x.target_reached ? "— target reached" : ""}` : "open-ended";
  $("session-state").textContent = x.state === "idle" ? "" :
    `${x.state}, ${x.program}${x.session ? ", session " + x.session : ""}`;
  const done = x.target_s ? Math.min(100, (100 * x.elapsed_s) / x.target_s) : 0;
  $("ring-fg").style.strokeDasharray = `${x.state === "idle" ? 0 : done} 100`;
  $("btn-start").disabled = x.state !== "idle";
  $("btn-pause").hidden = x.state === "paused";
  $("btn-pause").disabled = x.state !== "running";
  $("btn-resume").hidden = x.state !== "paused";
  $("btn-stop").disabled = x.state === "idle";
  for (const b of $("programs").children) b.setAttribute("aria-pressed", String(b.dataset.program === x.program));
}

function drawPrograms(programs) {
  const box = $("programs");
  box.replaceChildren();
  for (const [name, p] of Object.entries(programs)) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.program = name;
    b.id = "program-" + name;
    b.textContent = name;
    b.title = p.target_s ? `${Math.round(p.target_s / 60)} min` : "open-ended";
    b.addEventListener("click", () => command("select_program", { program: name }));
    box.appendChild(b);
  }
}

async function command(name, body) {
  const out = $("result");
  out.className = "result";
  out.textContent = "…";
  try {
    const r = await api(`/api/commands/${name}`, { method: "POST", body: JSON.stringify(body || {}),
      headers: { "Content-Type": "application/json" } });
    const answer = await r.json();
    out.textContent = answer.status === "ok" ? `${name.replace("_", " ")}: done` : answer.error;
    out.classList.toggle("error", answer.status !== "ok");
    out.dataset.status = answer.status;
  } catch (e) {
    out.textContent = e.message === "token" ? "" : "the mat did not answer";
    out.classList.add("error");
  }
}

for (const b of document.querySelectorAll("[data-cmd]")) {
  b.addEventListener("click", () => command(b.dataset.cmd));
}

// --- breathing -----------------------------------------------------------------------------

const BPM_WINDOW_S = 600;
function showBreathing(s) {
  const bpm = s.breathing_bpm;
  $("bpm").textContent = bpm === null ? "–" : bpm.toFixed(1);
  if (bpm !== null) page.bpm.push([s.t, bpm]);
  while (page.bpm.length && (page.bpm[0][0] < s.t - BPM_WINDOW_S || page.bpm[0][0] > s.t)) page.bpm.shift();
  const pts = page.bpm;
  const spark = $("spark");
  spark.replaceChildren();
  if (pts.length < 2) { $("trend").textContent = ""; return; }
  const t0 = pts[0][0], t1 = pts[pts.length - 1][0] || t0 + 1;
  const lo = Math.min(...pts.map((p) => p[1])) - 1, hi = Math.max(...pts.map((p) => p[1])) + 1;
  const line = pts.map(([t, v]) => `${(300 * (t - t0)) / Math.max(1, t1 - t0)},${60 - (60 * (v - lo)) / (hi - lo)}`);
  el("polyline", { points: line.join(" ") }, spark);
  const slope = trend(pts); // breaths/min per minute
  $("trend").textContent = Math.abs(slope) < 0.05 ? "→ steady" :
    `${slope < 0 ? "↓ slowing" : "↑ quickening"} (${slope > 0 ? "+" : "−"}${Math.abs(slope).toFixed(1)} a minute)`;
}

function trend(pts) {
  const n = pts.length, mt = pts.reduce((a, p) => a + p[0], 0) / n, mv = pts.reduce((a, p) => a + p[1], 0) / n;
  let num = 0, den = 0;
  for (const [t, v] of pts) { num += (t - mt) * (v - mv); den += (t - mt) ** 2; }
  return den ? (60 * num) / den : 0;
}

// --- state, events, the stream -------------------------------------------------------------

function onState(s) {
  page.state = s;
  $("posture").textContent = s.posture;
  $("load").textContent = s.occupied ? `${s.load_kg.toFixed(1)} kg` : "empty";
  $("balance").textContent = s.imbalance === null ? "–" :
    Math.abs(s.imbalance) < 0.05 ? "even" : `${Math.round(Math.abs(s.imbalance) * 100)}% ${s.imbalance > 0 ? "right" : "left"}`;
  showMat(s);
  showSession(s);
  showBreathing(s);
  const faults = Object.entries(s.faults);
  $("faults").textContent = faults.length ? faults.map(([z, f]) => `${z}: ${f}`).join(", ") : "all zones OK";
  $("faults").className = faults.length ? "bad" : "ok";
  // How long the state took from its frame to this page, by the two clocks: meaningful at
  // real speed only (a simulation at --speed X runs its frame times ahead).
  const lag = Date.now() - Date.parse(s.ts);
  const real = lag >= -50 && lag < 10000;
  if (real) { page.lag.push(lag); if (page.lag.length > 2000) page.lag.shift(); }
  $("lag").textContent = real ? `live, ${Math.max(0, lag)} ms after the mat` : "live";
}

function onEvent(e) {
  if (e.type === "session_ended") loadHistory();
}

function handleBlock(block) {
  let event = "message", data = "", id = null;
  for (const line of block.split("\n")) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const field = line.slice(0, i), value = line.slice(i + 1).replace(/^ /, "");
    if (field === "event") event = value; else if (field === "data") data += value; else if (field === "id") id = value;
  }
  if (!data) return;
  if (id) page.lastId = id;
  const body = JSON.parse(data);
  if (event === "state") onState(body); else if (event === "event") onEvent(body);
}

// fetch, not EventSource: EventSource cannot send the token header.
async function follow() {
  for (;;) {
    try {
      const extra = { Accept: "text/event-stream" };
      if (page.lastId) extra["Last-Event-ID"] = page.lastId;
      const r = await api("/api/events", { headers: extra });
      if (!r.ok) throw new Error(String(r.status));
      setLink(true, "live");
      const reader = r.body.getReader(), text = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += text.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          handleBlock(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch (e) {
      if (e.message === "token") return;
    }
    setLink(false, "reconnecting…");
    await new Promise((ok) => setTimeout(ok, 2000));
  }
}

// --- history and health --------------------------------------------------------------------

function dayKey(d) { return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`; }

async function loadHistory() {
  try {
    const h = await (await api("/api/history?limit=500")).json();
    const x = h.habits;
    $("streak").textContent = x.streak_days;
    $("today").textContent = Math.round(x.minutes_today);
    $("week").textContent = Math.round(x.minutes_week);
    $("total").textContent = x.sessions_total;
    const last = x.last_session;
    $("last-session").textContent = last ? `Last: ${last.program}, ${last.minutes} min` +
      (last.completed ? ", completed" : ` (${last.reason})`) : "No sessions yet.";
    drawChart(h.sessions);
  } catch (e) { /* shown again on the next try */ }
}

function drawChart(sessions) {
  const minutes = new Map();
  for (const s of sessions) {
    const key = dayKey(new Date(s.started_wall_s * 1000));
    minutes.set(key, (minutes.get(key) || 0) + s.duration_s / 60);
  }
  const days = [];
  for (let i = 29; i >= 0; i--) { const d = new Date(); d.setDate(d.getDate() - i); days.push(d); }
  const most = Math.max(20, ...days.map((d) => minutes.get(dayKey(d)) || 0));
  const chart = $("chart");
  chart.replaceChildren();
  days.forEach((d, i) => {
    const m = minutes.get(dayKey(d)) || 0, h = m ? Math.max(2, (90 * m) / most) : 2;
    const bar = el("rect", { x: 5 + i * 10, y: 95 - h, width: 8, height: h, rx: 1.5, class: m ? "bar" : "bar none" }, chart);
    el("title", {}, bar).textContent = `${d.toLocaleDateString()}: ${Math.round(m)} min`;
  });
  el("text", { x: 5, y: 108 }, chart).textContent = days[0].toLocaleDateString(undefined, { month: "short", day: "numeric" });
  el("text", { x: 305, y: 108, "text-anchor": "end" }, chart).textContent = "today";
  el("text", { x: 305, y: 8, "text-anchor": "end" }, chart).textContent = `${Math.round(most)} min`;
}

async function loadStatus() {
  try {
    const s = await (await api("/api/status")).json();
    const c = s.calibration;
    $("calibration").textContent = !c.needed ? "not needed (simulated source)" : c.error ? c.error :
      c.calibrated ? `calibrated${c.saved ? " " + c.saved.slice(0, 10) : ""}` : "not calibrated: run acumat calibrate";
    $("calibration").className = c.error || (c.needed && !c.calibrated) ? "bad" : "ok";
    const m = s.mqtt;
    $("mqtt").textContent = !m.configured ? "not configured" :
      `${m.connected ? "connected" : "disconnected"} (${m.broker})${m.discovery ? ", HA discovery on" : ""}` +
      (m.pending_events ? `, ${m.pending_events} events waiting` : "");
    $("mqtt").className = m.configured && !m.connected ? "bad" : m.configured ? "ok" : "";
    // What HA last said on its status topic: it says it when it starts or stops, not to us.
    const ha = m.home_assistant;
    $("ha").textContent = !m.configured ? "not connected (no MQTT)" : ha || "not seen";
    $("ha").className = ha === "online" ? "ok" : ha === "offline" ? "bad" : "";
  } catch (e) { /* next try */ }
}

async function start() {
  try {
    page.info = await (await api("/api/info")).json();
  } catch (e) {
    if (e.message !== "token") setTimeout(start, 3000);
    return;
  }
  $("mat-name").textContent = page.info.name;
  document.title = `${page.info.name} — acumat`;
  drawMat(page.info.layout);
  drawPrograms(page.info.programs);
  loadHistory();
  loadStatus();
  setInterval(loadStatus, 10000);
  setInterval(loadHistory, 300000);
  follow();
}

start();
