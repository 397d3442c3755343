// The sitreps dashboard. No framework and no CDN: the server filters and aggregates, this file
// draws. Article text only ever reaches the page through textContent and text nodes, never
// innerHTML, so markup inside news text is shown, not run.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const TYPE_COLOURS = {
  "Battles": "#c92a2a",
  "Explosions/Remote violence": "#e8590c",
  "Violence against civilians": "#862e9c",
  "Riots": "#5c940d",
  "Protests": "#1971c2",
  "Strategic developments": "#495057",
};
const EDGE_COLOURS = { fights: "#c92a2a", backs: "#2b8a3e", allied_with: "#1971c2" };
const PAGE = 25;
const CELL_PX = 28; // map cluster size on screen; smaller means more, denser markers
const CONTROL_ROWS = 200; // places listed in the side panel; the map shows them all
// Place names on the base map, by kind: shown while the view is narrower than `maxWidth` (and
// wider than `minWidth`) degrees, at `px` pixels; higher kinds claim their space first.
const LABEL_KINDS = [
  { key: "countries", cls: "label-country", px: 12, minWidth: 4, maxWidth: 400 },
  { key: "provinces", cls: "label-province", px: 11, minWidth: 0, maxWidth: 30 },
  { key: "cities", cls: "label-city", px: 11, minWidth: 0, maxWidth: 14 },
];
const MAX_LABELS = 160;
const FIT_QUANTILE = 0.05; // "fit" leaves out this share of events at each edge (far outliers)

const state = {
  filters: {},
  points: [],
  index: 0,
  windowDays: 0,
  view: { x: -180, y: -85, w: 360, h: 170 },
  offset: 0,
  selectedEvent: null,
  labels: null,
  pointer: null, // the map point under the mouse, in view units, while it is over the map
};

function fmt(n) {
  return Number(n || 0).toLocaleString("en-US");
}

// -- small DOM helpers ----------------------------------------------------------------------

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

function colourFor(type) {
  return TYPE_COLOURS[type] || "#868e96";
}

function hashColour(text) {
  let h = 0;
  for (const ch of String(text)) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return "hsl(" + h + ", 65%, 45%)";
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

async function api(path, params) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail; } catch (_) { /* keep statusText */ }
    throw new Error(response.status + ": " + detail);
  }
  return response.json();
}

function showError(target, err) {
  target.replaceChildren(el("p", String(err.message || err), "error"));
}

// -- dates and the time window ----------------------------------------------------------------

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function addDays(iso, days) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + days);
  return isoDay(d);
}

function currentDate() {
  const point = state.points[state.index];
  if (!point) return null;
  // A week or month bar stands for its whole period: include the days it covers.
  return addDays(point.period, state.interval === "week" ? 6 : 0);
}

function windowParams() {
  const params = { ...state.filters };
  const at = currentDate();
  if (!at) return params;
  if (!params.until || at < params.until) params.until = at;
  if (state.windowDays > 0) {
    const since = addDays(at, -state.windowDays + 1);
    if (!params.since || since > params.since) params.since = since;
  }
  return params;
}

// -- base map: TopoJSON decoded by hand, drawn in degrees (x = lon, y = -lat) -------------------

function decodeTopology(topo) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
  const ring = (indexes) => {
    const points = [];
    indexes.forEach((i, n) => {
      const arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      points.push(...(n ? arc.slice(1) : arc));
    });
    return points;
  };
  const paths = [];
  for (const geometry of topo.objects.countries.geometries) {
    const polygons = geometry.type === "Polygon" ? [geometry.arcs]
      : geometry.type === "MultiPolygon" ? geometry.arcs : [];
    let d = "";
    for (const polygon of polygons) {
      for (const r of polygon) {
        const pts = ring(r);
        d += "M" + pts.map(([lon, lat]) => lon.toFixed(2) + "," + (-lat).toFixed(2)).join("L") + "Z";
      }
    }
    paths.push({ name: (geometry.properties || {}).name || "", d });
  }
  return paths;
}

async function drawBaseLayer() {
  const map = document.getElementById("map");
  const land = svgEl("g", { id: "land" });
  const labels = svgEl("g", { id: "labels" });
  const control = svgEl("g", { id: "control-layer" });
  const markers = svgEl("g", { id: "markers" });
  // Names under the markers; control diamonds on top of markers but let clicks through.
  map.replaceChildren(land, labels, markers, control);
  applyView();
  try {
    // Place names ship with the package (scripts/make_map_labels.py): the map works offline.
    state.labels = await (await fetch("/static/labels.json")).json();
  } catch (err) {
    state.labels = null;
  }
  try {
    const topo = await (await fetch("/static/countries-110m.json")).json();
    for (const country of decodeTopology(topo)) {
      const path = svgEl("path", { d: country.d, class: "land" });
      const title = svgEl("title");
      title.textContent = country.name;
      path.append(title);
      land.append(path);
    }
  } catch (err) {
    document.getElementById("map-status").textContent = "Base map unavailable: " + err;
  }
}

// Label the base map: countries, provinces and cities as the zoom allows, most important first,
// skipping any label that would overlap one already placed (boxes measured in screen pixels).
function drawLabels() {
  const layer = document.getElementById("labels");
  if (!layer || !state.labels) return;
  const scale = pxToDeg();
  const v = state.view;
  const placed = [];
  const nodes = [];
  const fits = (box) => !placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]);
  for (const kind of LABEL_KINDS) {
    if (v.w > kind.maxWidth || v.w < kind.minWidth) continue;
    for (const row of state.labels[kind.key] || []) {
      if (nodes.length >= MAX_LABELS) break;
      const name = row[0];
      const [lon, lat] = kind.key === "countries" ? [row[1], row[2]] : [row[2], row[3]];
      if (lon < v.x || lon > v.x + v.w || -lat < v.y || -lat > v.y + v.h) continue;
      const x = (lon - v.x) / scale;
      const y = (-lat - v.y) / scale;
      const half = (name.length * kind.px * 0.56) / 2 + 2;
      const box = [x - half, y - kind.px * 0.7, x + half, y + kind.px * 0.5];
      if (!fits(box)) continue;
      placed.push(box);
      const text = svgEl("text", {
        x: lon, y: -lat, class: "place-label " + kind.cls,
        "font-size": kind.px * scale, "stroke-width": 3 * scale,
      });
      text.textContent = name;
      nodes.push(text);
    }
  }
  layer.replaceChildren(...nodes);
}

function pxToDeg() {
  const map = document.getElementById("map");
  return state.view.w / Math.max(map.clientWidth, 1);
}

function applyView() {
  const map = document.getElementById("map");
  // Keep the view's aspect ratio equal to the element's, so a degree is square on screen.
  const ratio = Math.max(map.clientHeight, 1) / Math.max(map.clientWidth, 1);
  const v = state.view;
  const cy = v.y + v.h / 2;
  v.h = v.w * ratio;
  v.y = cy - v.h / 2;
  map.setAttribute("viewBox", [v.x, v.y, v.w, v.h].map((n) => n.toFixed(4)).join(" "));
}

function viewBbox() {
  const v = state.view;
  const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));
  const minLon = clamp(v.x, -180, 180);
  const maxLon = clamp(v.x + v.w, -180, 180);
  const minLat = clamp(-(v.y + v.h), -90, 90);
  const maxLat = clamp(-v.y, -90, 90);
  return [minLon, minLat, maxLon, maxLat].map((n) => n.toFixed(4)).join(",");
}

function zoom(factor, cx, cy) {
  const v = state.view;
  const centreX = cx === undefined ? v.x + v.w / 2 : cx;
  const centreY = cy === undefined ? v.y + v.h / 2 : cy;
  const w = Math.min(400, Math.max(0.05, v.w * factor));
  const h = v.h * (w / v.w);
  v.x = centreX - (centreX - v.x) * (w / v.w);
  v.y = centreY - (centreY - v.y) * (h / v.h);
  v.w = w;
  v.h = h;
  applyView();
  reloadMap();
}

// The value below which `share` of the events lie, each cell weighing its event count.
function weightedQuantile(points, key, share) {
  const sorted = points.slice().sort((a, b) => a[key] - b[key]);
  const total = sorted.reduce((n, p) => n + p.count, 0);
  let seen = 0;
  for (const p of sorted) {
    seen += p.count;
    if (seen >= share * total) return p[key];
  }
  return sorted[sorted.length - 1][key];
}

// Frame the events, leaving out the few far from the rest (a town geocoded to the wrong
// continent must not zoom the map out to the world).
function fitTo(points) {
  if (!points.length) return;
  const q = points.reduce((n, p) => n + p.count, 0) >= 20 ? FIT_QUANTILE : 0;
  const minLon = weightedQuantile(points, "longitude", q);
  const maxLon = weightedQuantile(points, "longitude", 1 - q);
  const minLat = weightedQuantile(points, "latitude", q);
  const maxLat = weightedQuantile(points, "latitude", 1 - q);
  const pad = Math.max(1, (maxLon - minLon) * 0.15, (maxLat - minLat) * 0.15);
  const map = document.getElementById("map");
  const ratio = Math.max(map.clientHeight, 1) / Math.max(map.clientWidth, 1);
  const w = Math.max(maxLon - minLon + 2 * pad, (maxLat - minLat + 2 * pad) / ratio);
  const cx = (minLon + maxLon) / 2;
  const cy = -(minLat + maxLat) / 2;
  state.view = { x: cx - w / 2, y: cy - (w * ratio) / 2, w, h: w * ratio };
  applyView();
}

function wireMap() {
  const map = document.getElementById("map");
  const toView = (event) => {
    const rect = map.getBoundingClientRect();
    const v = state.view;
    return [v.x + ((event.clientX - rect.left) / rect.width) * v.w,
      v.y + ((event.clientY - rect.top) / rect.height) * v.h];
  };
  // Every zoom keeps the point under the mouse where it is: the wheel's, a double click's,
  // and the buttons' (at the last point the mouse was over the map; the centre otherwise).
  map.addEventListener("wheel", (event) => {
    event.preventDefault();
    const [x, y] = toView(event);
    zoom(event.deltaY > 0 ? 1.25 : 0.8, x, y);
  }, { passive: false });
  map.addEventListener("dblclick", (event) => {
    if (event.target.classList.contains("marker")) return;
    const [x, y] = toView(event);
    zoom(event.shiftKey ? 1.6 : 0.6, x, y);
  });
  map.addEventListener("mousemove", (event) => { state.pointer = toView(event); });
  map.addEventListener("mouseleave", () => { state.pointer = null; });
  let drag = null;
  map.addEventListener("pointerdown", (event) => {
    if (event.target.classList.contains("marker")) return;
    drag = { x: event.clientX, y: event.clientY, view: { ...state.view } };
    map.setPointerCapture(event.pointerId);
  });
  map.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const scale = pxToDeg();
    state.view.x = drag.view.x - (event.clientX - drag.x) * scale;
    state.view.y = drag.view.y - (event.clientY - drag.y) * scale;
    applyView();
    state.pointer = null; // the map moved under the mouse
  });
  map.addEventListener("pointerup", () => {
    if (drag) reloadMap();
    drag = null;
  });
  const zoomButton = (factor) => () => {
    const at = state.pointer;
    if (at) zoom(factor, at[0], at[1]); else zoom(factor);
  };
  document.getElementById("zoom-in").addEventListener("click", zoomButton(0.6));
  document.getElementById("zoom-out").addEventListener("click", zoomButton(1.6));
  document.getElementById("zoom-fit").addEventListener("click", () => fitEvents().then(reloadMap));
  window.addEventListener("resize", debounce(() => { applyView(); reloadMap(); }, 200));
  const legend = document.getElementById("legend");
  for (const [type, colour] of Object.entries(TYPE_COLOURS)) {
    const item = el("li");
    const swatch = el("span", null, "swatch");
    swatch.style.background = colour;
    item.append(swatch, document.createTextNode(type));
    legend.append(item);
  }
}

async function fitEvents() {
  // The filtered events (not the time window), in one-degree cells.
  const answer = await api("/api/clusters", { ...state.filters, cell: 1 });
  fitTo(answer.clusters);
}

let mapRequest = 0;

async function loadMap() {
  const request = ++mapRequest;
  const status = document.getElementById("map-status");
  const scale = pxToDeg();
  const cell = Math.min(45, Math.max(0.001, CELL_PX * scale));
  let answer;
  try {
    answer = await api("/api/clusters", { ...windowParams(), bbox: viewBbox(), cell: cell.toFixed(4) });
  } catch (err) {
    status.textContent = String(err.message || err);
    return;
  }
  if (request !== mapRequest) return; // a newer view or date superseded this answer
  const layer = document.getElementById("markers");
  const nodes = [];
  for (const c of answer.clusters) {
    // At most half a cell wide, so neighbouring clusters touch but do not hide each other.
    const radiusPx = Math.min(CELL_PX / 2, 4 + Math.sqrt(c.fatalities) * 1.2 + (c.count > 1 ? Math.log2(c.count) : 0));
    const circle = svgEl("circle", {
      cx: c.longitude, cy: -c.latitude, r: radiusPx * scale, class: "marker",
      fill: colourFor(c.event_type),
    });
    circle.dataset.count = c.count;
    const title = svgEl("title");
    title.textContent = c.count === 1 ? (c.event_type || "event") + ", " + c.fatalities + " killed"
      : c.count + " events (" + c.fatalities + " killed), mostly " + (c.event_type || "unknown");
    circle.append(title);
    if (c.event_id) {
      circle.dataset.eventId = c.event_id;
      circle.addEventListener("click", () => openEvent(c.event_id));
    } else {
      circle.addEventListener("click", () => zoom(0.35, c.longitude, -c.latitude));
    }
    nodes.push(circle);
    if (c.count > 1) {
      const label = svgEl("text", { x: c.longitude, y: -c.latitude, class: "count", "font-size": 10 * scale });
      label.textContent = c.count > 999 ? Math.round(c.count / 1000) + "k" : c.count;
      nodes.push(label);
    }
  }
  layer.replaceChildren(...nodes);
  status.textContent = fmt(answer.total) + " events on the map" + (answer.truncated ? " (densest cells only)" : "");
  drawLabels();
  drawControlMarkers();
}

const reloadMap = debounce(loadMap, 150);

// -- control of places -----------------------------------------------------------------------

let controlItems = [];

async function loadControl() {
  const at = currentDate();
  const list = document.getElementById("control-list");
  document.getElementById("control-date").textContent = at || "–";
  if (!at) {
    list.replaceChildren();
    return;
  }
  try {
    controlItems = (await api("/api/control", { at })).items;
  } catch (err) {
    showError(list, err);
    return;
  }
  const rows = controlItems.slice(0, CONTROL_ROWS).map((c) => {
    const item = el("li");
    const chip = el("span", null, "chip");
    chip.style.background = hashColour(c.controller_id || c.controller);
    const verb = { gained: "taken by", lost: "lost by", holds: "held by", contests: "contested by" }[c.change] || c.change;
    item.append(chip, el("strong", c.place || c.place_id),
      document.createTextNode(" " + verb + " " + (c.controller || c.controller_id || "?") + " (" + c.date + ")"));
    item.title = c.sentence || "";
    return item;
  });
  if (controlItems.length > CONTROL_ROWS) {
    rows.push(el("li", "and " + (controlItems.length - CONTROL_ROWS) + " more places (on the map)", "hint"));
  }
  list.replaceChildren(...(rows.length ? rows : [el("li", "No control claims by this date.", "hint")]));
  drawControlMarkers();
}

function drawControlMarkers() {
  const layer = document.getElementById("control-layer");
  if (!layer) return;
  const scale = pxToDeg();
  const size = 9 * scale;
  layer.replaceChildren(...controlItems.filter((c) => c.latitude !== null && c.longitude !== null).map((c) => {
    const square = svgEl("rect", {
      x: c.longitude - size / 2, y: -c.latitude - size / 2, width: size, height: size,
      class: "control", fill: hashColour(c.controller_id || c.controller),
      transform: "rotate(45 " + c.longitude + " " + (-c.latitude) + ")",
    });
    const title = svgEl("title");
    title.textContent = (c.place || c.place_id) + ": " + c.change + " " + (c.controller || "") + " " + c.date;
    square.append(title);
    return square;
  }));
}

// -- timeline --------------------------------------------------------------------------------

async function loadTimeline() {
  const stats = await api("/api/stats", state.filters);
  // Factual events only (asserted or reported): background, hedged, negated and forecast
  // mentions are listed in the table but never counted in a total.
  document.getElementById("summary").textContent = stats.total_events.toLocaleString("en-US")
    + " factual events, " + stats.total_fatalities.toLocaleString("en-US") + " fatalities"
    + (stats.first_date ? ", " + stats.first_date + " to " + stats.last_date : "");
  const days = stats.first_date ? (new Date(stats.last_date) - new Date(stats.first_date)) / 864e5 : 0;
  state.interval = days > 200 ? "week" : "day";
  const timeline = await api("/api/timeline", { ...state.filters, interval: state.interval });
  state.points = timeline.points;
  state.index = Math.max(0, state.points.length - 1);
  const slider = document.getElementById("slider");
  slider.max = String(Math.max(0, state.points.length - 1));
  slider.value = String(state.index);
  drawHistogram();
  updateSliderLabel();
}

function drawHistogram() {
  const svg = document.getElementById("histogram");
  const n = state.points.length;
  const max = Math.max(1, ...state.points.map((p) => p.count));
  svg.setAttribute("viewBox", "0 0 " + Math.max(n, 1) + " 100");
  svg.setAttribute("preserveAspectRatio", "none");
  const at = currentDate();
  const since = state.windowDays > 0 && at ? addDays(at, -state.windowDays + 1) : null;
  svg.replaceChildren(...state.points.map((p, i) => {
    const h = (p.count / max) * 100;
    let cls = i === state.index ? "current" : "";
    if (!cls && since && p.period >= since && p.period <= at) cls = "in-window";
    const bar = svgEl("rect", { x: i + 0.1, y: 100 - h, width: 0.8, height: h, class: cls });
    const title = svgEl("title");
    title.textContent = p.period + ": " + p.count + " events, " + p.fatalities + " killed";
    bar.append(title);
    bar.addEventListener("click", () => setIndex(i));
    return bar;
  }));
}

function updateSliderLabel() {
  const at = currentDate();
  document.getElementById("slider-date").textContent = at || "no dated events";
}

function setIndex(i) {
  state.index = i;
  document.getElementById("slider").value = String(i);
  onTimeChanged();
}

const reloadForTime = debounce(() => {
  loadControl();
  loadMap();
  state.offset = 0;
  loadTable();
}, 120);

function onTimeChanged() {
  updateSliderLabel();
  drawHistogram();
  reloadForTime();
}

// -- actor network ---------------------------------------------------------------------------

async function loadNetwork() {
  const svg = document.getElementById("network");
  let relations;
  try {
    relations = (await api("/api/relations", { limit: 300 })).items
      .filter((r) => r.predicate in EDGE_COLOURS);
  } catch (err) {
    showError(document.getElementById("edge-sources"), err);
    return;
  }
  const names = new Map();
  for (const r of relations) {
    names.set(r.subject_id, r.subject || r.subject_id);
    names.set(r.object_id, r.object || r.object_id);
  }
  const ids = [...names.keys()].slice(0, 60);
  const size = 360;
  const radius = size / 2 - 50;
  const pos = new Map(ids.map((id, i) => {
    const angle = (2 * Math.PI * i) / Math.max(ids.length, 1) - Math.PI / 2;
    return [id, [size / 2 + radius * Math.cos(angle), size / 2 + radius * Math.sin(angle)]];
  }));
  svg.setAttribute("viewBox", "0 0 " + size + " " + size);
  const edges = svgEl("g");
  const nodes = svgEl("g");
  for (const r of relations) {
    const a = pos.get(r.subject_id);
    const b = pos.get(r.object_id);
    if (!a || !b) continue;
    // Bend each edge a little so A->B and B->A stay apart and clickable.
    const mx = (a[0] + b[0]) / 2 + (b[1] - a[1]) * 0.12;
    const my = (a[1] + b[1]) / 2 - (b[0] - a[0]) * 0.12;
    const edge = svgEl("path", {
      d: "M" + a[0] + "," + a[1] + " Q" + mx + "," + my + " " + b[0] + "," + b[1],
      class: "edge edge-" + r.predicate, fill: "none", stroke: EDGE_COLOURS[r.predicate],
      "stroke-width": Math.min(8, 1.5 + Math.log2(r.count)),
    });
    const title = svgEl("title");
    title.textContent = (r.subject || r.subject_id) + " " + r.predicate + " " + (r.object || r.object_id) + " (" + r.count + ")";
    edge.append(title);
    edge.addEventListener("click", () => {
      for (const other of svg.querySelectorAll(".edge.selected")) other.classList.remove("selected");
      edge.classList.add("selected");
      showEdgeSources(r);
    });
    edges.append(edge);
  }
  for (const id of ids) {
    const [x, y] = pos.get(id);
    const g = svgEl("g", { class: "node" });
    const dot = svgEl("circle", { cx: x, cy: y, r: 5 });
    const label = svgEl("text", { x, y: y - 8 });
    label.textContent = names.get(id);
    g.append(dot, label);
    g.addEventListener("click", () => {
      const form = document.getElementById("filters");
      form.elements.actor.value = id;
      applyFilters();
    });
    nodes.append(g);
  }
  svg.replaceChildren(edges, nodes);
}

function showEdgeSources(relation) {
  const box = document.getElementById("edge-sources");
  const heading = el("h3", (relation.subject || relation.subject_id) + " " + relation.predicate + " "
    + (relation.object || relation.object_id));
  const list = el("ul");
  for (const s of relation.sources || []) {
    const item = el("li");
    item.append(el("q", s.sentence || ""), document.createTextNode(" (" + (s.date || "undated") + ") "));
    const link = el("button", "open article");
    link.type = "button";
    link.addEventListener("click", () => showArticle(document.getElementById("detail"), s, true));
    item.append(link);
    list.append(item);
  }
  box.replaceChildren(heading, list);
}

// -- event table and event detail --------------------------------------------------------------

async function loadTable() {
  const body = document.querySelector("#events tbody");
  let page;
  try {
    page = await api("/api/events", { ...windowParams(), limit: PAGE, offset: state.offset });
  } catch (err) {
    showError(document.getElementById("page-info"), err);
    return;
  }
  body.replaceChildren(...page.items.map((e) => {
    const row = el("tr");
    row.dataset.eventId = e.id;
    for (const v of [e.event_date, e.event_type, e.actor1, e.actor2, e.location, e.fatalities]) {
      row.append(el("td", v === null || v === undefined ? "" : v));
    }
    row.addEventListener("click", () => openEvent(e.id));
    return row;
  }));
  document.getElementById("table-count").textContent = "(" + page.total + ")";
  const last = Math.min(page.total, state.offset + page.items.length);
  document.getElementById("page-info").textContent = page.total
    ? (state.offset + 1) + "–" + last + " of " + page.total : "no events";
  document.getElementById("prev").disabled = state.offset === 0;
  document.getElementById("next").disabled = last >= page.total;
}

async function openEvent(id) {
  const detail = document.getElementById("detail");
  state.selectedEvent = id;
  for (const row of document.querySelectorAll("#events tr.selected")) row.classList.remove("selected");
  const row = document.querySelector('#events tr[data-event-id="' + CSS.escape(id) + '"]');
  if (row) row.classList.add("selected");
  let event;
  try {
    event = await api("/api/events/" + encodeURIComponent(id));
  } catch (err) {
    showError(detail, err);
    return;
  }
  const facts = el("dl");
  const add = (k, v) => {
    if (v === null || v === undefined || v === "") return;
    facts.append(el("dt", k), el("dd", v));
  };
  add("Date", event.event_date);
  add("Type", event.event_type + (event.sub_event_type ? " / " + event.sub_event_type : ""));
  add("Actor 1", event.actor1);
  add("Actor 2", event.actor2);
  add("Where", [event.location, event.admin1, event.country].filter(Boolean).join(", "));
  add("Fatalities", event.fatalities_as_stated ? event.fatalities + " (\u201c" + event.fatalities_as_stated + "\u201d)" : event.fatalities);
  add("Modality", event.modality);
  const parts = [el("h3", (event.event_type || "Event") + " " + event.id), facts];
  const sources = el("div", null, "sources");
  parts.push(el("h3", "Sources (" + event.sources.length + ")"), sources);
  detail.replaceChildren(...parts);
  for (const source of event.sources) await showArticle(sources, source, false);
}

// Render an article with the source sentence in <mark>, built from text nodes only.
async function showArticle(target, source, replace) {
  const box = el("div", null, "source");
  if (replace) target.replaceChildren(box); else target.append(box);
  let article;
  try {
    article = await api("/api/articles/" + encodeURIComponent(source.article_id));
  } catch (err) {
    showError(box, err);
    return;
  }
  const text = article.text || "";
  let start = source.start;
  let end = source.end;
  if (!(Number.isInteger(start) && Number.isInteger(end) && text.slice(start, end) === source.sentence)) {
    // Offsets should reproduce the sentence; if they do not, find it rather than mark wrong text.
    start = source.sentence ? text.indexOf(source.sentence) : -1;
    end = start >= 0 ? start + source.sentence.length : -1;
  }
  const heading = el("h4", article.title || article.id);
  const meta = el("p", [article.published, article.source, article.url].filter(Boolean).join(" · "), "hint");
  const body = el("div", null, "article");
  if (start >= 0) {
    const mark = el("mark", text.slice(start, end));
    body.append(document.createTextNode(text.slice(0, start)), mark, document.createTextNode(text.slice(end)));
  } else {
    body.append(document.createTextNode(text));
  }
  box.replaceChildren(heading, meta, body);
  const mark = body.querySelector("mark");
  if (mark) mark.scrollIntoView({ block: "nearest" });
}

// -- filters and start-up ---------------------------------------------------------------------

function readFilters() {
  const form = document.getElementById("filters");
  const filters = {};
  for (const name of ["type", "actor", "place", "q", "since", "until"]) {
    const value = form.elements[name].value.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

async function applyFilters() {
  state.filters = readFilters();
  state.offset = 0;
  try {
    await loadTimeline();
  } catch (err) {
    showError(document.getElementById("detail"), err);
    return;
  }
  await Promise.all([loadControl(), loadMap(), loadTable()]);
}

async function start() {
  wireMap();
  const form = document.getElementById("filters");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilters();
  });
  form.addEventListener("reset", () => setTimeout(applyFilters, 0));
  document.getElementById("slider").addEventListener("input", (event) => {
    state.index = Number(event.target.value);
    onTimeChanged();
  });
  document.getElementById("window").addEventListener("change", (event) => {
    state.windowDays = Number(event.target.value);
    onTimeChanged();
  });
  document.getElementById("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE);
    loadTable();
  });
  document.getElementById("next").addEventListener("click", () => {
    state.offset += PAGE;
    loadTable();
  });
  await drawBaseLayer();
  state.filters = readFilters();
  try {
    await fitEvents();
  } catch (err) {
    document.getElementById("map-status").textContent = String(err.message || err);
  }
  await Promise.all([applyFilters(), loadNetwork()]);
  document.body.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", start);
