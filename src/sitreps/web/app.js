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
  pointer: null, // the map point the mouse last rested on, in view units
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
      // The box a name covers with its halo, a little generous: names must never touch.
      const half = (name.length * kind.px * 0.62) / 2 + 4;
      const box = [x - half, y - kind.px * 0.9, x + half, y + kind.px * 0.9];
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
function fitTo(all) {
  if (!all.length) return;
  // Far outliers first: cells much farther from the events' median than most events are.
  const mid = [weightedQuantile(all, "longitude", 0.5), weightedQuantile(all, "latitude", 0.5)];
  const withDistance = all.map((p) => ({ ...p, distance: Math.hypot(p.longitude - mid[0], p.latitude - mid[1]) }));
  const limit = Math.max(10, 4 * weightedQuantile(withDistance, "distance", 0.8));
  const points = withDistance.filter((p) => p.distance <= limit);
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
  // and the buttons' (around the point the mouse last rested on over the map, which stays
  // where it was on screen; the centre until the mouse has been over the map).
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

const NETWORK_NODES = 40; // the most connected actors; the rest are left out of the picture
const NODE_FONT = 11;

// A force-directed layout (Fruchterman-Reingold), deterministic: nodes start on a circle and
// the same relations always give the same picture. Returns positions in [0, 1] squares.
function forceLayout(ids, links, width, height) {
  const n = ids.length;
  const pos = ids.map((_, i) => {
    const angle = (2 * Math.PI * i) / Math.max(n, 1);
    return [0.5 + 0.4 * Math.cos(angle), 0.5 + 0.4 * Math.sin(angle)];
  });
  const index = new Map(ids.map((id, i) => [id, i]));
  const edges = links.map(([a, b]) => [index.get(a), index.get(b)]).filter(([a, b]) => a !== undefined && b !== undefined && a !== b);
  const aspect = width / Math.max(height, 1);
  const k = Math.sqrt(aspect / Math.max(n, 1)) * 0.9;
  let temperature = 0.12;
  for (let step = 0; step < 300; step++) {
    const move = pos.map(() => [0, 0]);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        let dx = (pos[a][0] - pos[b][0]) * aspect;
        let dy = pos[a][1] - pos[b][1];
        const d2 = Math.max(dx * dx + dy * dy, 1e-6);
        const f = (k * k) / d2;
        move[a][0] += dx * f; move[a][1] += dy * f;
        move[b][0] -= dx * f; move[b][1] -= dy * f;
      }
    }
    for (const [a, b] of edges) {
      const dx = (pos[a][0] - pos[b][0]) * aspect;
      const dy = pos[a][1] - pos[b][1];
      const d = Math.sqrt(dx * dx + dy * dy) || 1e-3;
      const f = d / k;
      move[a][0] -= dx * f; move[a][1] -= dy * f;
      move[b][0] += dx * f; move[b][1] += dy * f;
    }
    for (let i = 0; i < n; i++) {
      // A gentle pull to the middle keeps unconnected pairs from drifting to the edges.
      move[i][0] += (0.5 - pos[i][0]) * 0.3 * aspect;
      move[i][1] += 0.5 - pos[i][1];
      const len = Math.sqrt(move[i][0] ** 2 + move[i][1] ** 2) || 1;
      const stride = Math.min(len, temperature);
      pos[i][0] += (move[i][0] / len) * stride / aspect;
      pos[i][1] += (move[i][1] / len) * stride;
    }
    temperature *= 0.985;
  }
  // Stretch the result to fill the square: the panel, not a corner of it.
  const xs = pos.map((p) => p[0]);
  const ys = pos.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return pos.map(([x, y]) => [x1 > x0 ? (x - x0) / (x1 - x0) : 0.5, y1 > y0 ? (y - y0) / (y1 - y0) : 0.5]);
}

// Place each label beside its node where it overlaps no other label or node: right, left,
// above, below; a label that fits nowhere is left out (the node's tooltip still names it).
function placeLabels(nodes) {
  const boxes = nodes.map((p) => [p.x - 6, p.y - 6, p.x + 6, p.y + 6]);
  const overlaps = (box) => boxes.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]);
  const order = nodes.map((_, i) => i).sort((a, b) => nodes[b].degree - nodes[a].degree);
  for (const i of order) {
    const p = nodes[i];
    const w = p.name.length * NODE_FONT * 0.58;
    const h = NODE_FONT;
    // Above and below, the label slides sideways to stay inside the panel.
    const left = Math.min(Math.max(2, p.x - w / 2), p.width - w - 2);
    const options = [
      [p.x + 8, p.y + h / 3, "start", [p.x + 7, p.y - h / 2, p.x + 9 + w, p.y + h / 2]],
      [p.x - 8, p.y + h / 3, "end", [p.x - 9 - w, p.y - h / 2, p.x - 7, p.y + h / 2]],
      [left, p.y - 9, "start", [left, p.y - 9 - h, left + w, p.y - 8]],
      [left, p.y + 8 + h, "start", [left, p.y + 8, left + w, p.y + 9 + h]],
    ];
    const bounds = (box) => box[0] >= 0 && box[2] <= p.width && box[1] >= 0 && box[3] <= p.height;
    const fit = options.find((o) => bounds(o[3]) && !overlaps(o[3]));
    if (fit) {
      boxes.push(fit[3]);
      p.label = { x: fit[0], y: fit[1], anchor: fit[2] };
    }
  }
}

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
  // One node per actor as people name it: two stored ids that carry one name (an alias
  // recorded twice) are one node, so a group never appears beside itself.
  const keyOf = (id, name) => (name || id).trim().toLowerCase();
  const nodesByKey = new Map();
  const node = (id, name) => {
    const key = keyOf(id, name);
    if (!nodesByKey.has(key)) nodesByKey.set(key, { key, id, name: name || id, degree: 0 });
    return nodesByKey.get(key);
  };
  const links = [];
  for (const r of relations) {
    const a = node(r.subject_id, r.subject);
    const b = node(r.object_id, r.object);
    if (a === b) continue;
    a.degree += r.count;
    b.degree += r.count;
    links.push({ a, b, relation: r });
  }
  const kept = [...nodesByKey.values()].sort((x, y) => y.degree - x.degree || x.name.localeCompare(y.name))
    .slice(0, NETWORK_NODES);
  const keep = new Set(kept);
  const shown = links.filter((l) => keep.has(l.a) && keep.has(l.b));
  const width = Math.max(svg.clientWidth, 200);
  const height = Math.max(svg.clientHeight, 160);
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  // Room for labels at the sides; the layout fills what is left.
  const [mx, my] = [Math.min(110, width * 0.2), 22];
  const unit = forceLayout(kept.map((n) => n.key), shown.map((l) => [l.a.key, l.b.key]), width - 2 * mx, height - 2 * my);
  kept.forEach((n, i) => {
    n.x = mx + unit[i][0] * (width - 2 * mx);
    n.y = my + unit[i][1] * (height - 2 * my);
    n.width = width;
    n.height = height;
    n.label = null;
  });
  placeLabels(kept);
  const edges = svgEl("g");
  const nodes = svgEl("g");
  for (const { a, b, relation: r } of shown) {
    // Bend each edge a little so A->B and B->A stay apart and clickable.
    const mxp = (a.x + b.x) / 2 + (b.y - a.y) * 0.12;
    const myp = (a.y + b.y) / 2 - (b.x - a.x) * 0.12;
    const edge = svgEl("path", {
      d: "M" + a.x + "," + a.y + " Q" + mxp + "," + myp + " " + b.x + "," + b.y,
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
  for (const n of kept) {
    const g = svgEl("g", { class: "node" });
    const dot = svgEl("circle", { cx: n.x, cy: n.y, r: 4 + Math.min(4, Math.log2(1 + n.degree)) });
    const title = svgEl("title");
    title.textContent = n.name;
    dot.append(title);
    g.append(dot);
    if (n.label) {
      const label = svgEl("text", { x: n.label.x, y: n.label.y, "text-anchor": n.label.anchor });
      label.textContent = n.name;
      g.append(label);
    }
    g.addEventListener("click", () => {
      const form = document.getElementById("filters");
      form.elements.actor.value = n.id;
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
    for (const v of [e.event_date, e.sub_event_type || e.event_type, e.actor1, e.actor2, e.location,
      e.fatalities === null || e.fatalities === undefined ? null : fmt(e.fatalities)]) {
      row.append(el("td", v === null || v === undefined ? "" : v));
    }
    row.addEventListener("click", () => openEvent(e.id));
    return row;
  }));
  document.getElementById("table-count").textContent = "(" + fmt(page.total) + ")";
  const last = Math.min(page.total, state.offset + page.items.length);
  document.getElementById("page-info").textContent = page.total
    ? fmt(state.offset + 1) + "–" + fmt(last) + " of " + fmt(page.total) : "no events";
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
  add("Reported by", (event.source_count || 1) + " article(s)");
  add("Id", event.id);
  const parts = [el("h3", eventTitle(event), "event-title"), facts];
  if ((event.mentions || []).length > 1) {
    // Each article's own reading of the event, so a merged figure can be traced.
    const list = el("ul", null, "mentions");
    for (const m of event.mentions) {
      const first = (m.sources || [])[0] || {};
      const toll = m.fatalities === null || m.fatalities === undefined ? "no toll" : fmt(m.fatalities) + " killed";
      const item = el("li", (first.title || m.article_id) + (first.published ? " (" + first.published + ")" : "") + ": " + toll);
      // The article's first sentence on it; every sentence is under Sources below.
      const more = (m.sources || []).length - 1;
      if (first.sentence) item.append(document.createTextNode(" "), el("q", first.sentence));
      if (more > 0) item.append(document.createTextNode(" (+" + more + " more)"));
      list.append(item);
    }
    parts.push(el("h3", "As each article reports it"), list);
  }
  const sources = el("div", null, "sources");
  parts.push(el("h3", "Sources (" + event.sources.length + ")"), sources);
  detail.replaceChildren(...parts);
  for (const source of event.sources) await showArticle(sources, source, false);
}

// A title a person reads: what happened, who did it, where and when (never the raw id).
function eventTitle(event) {
  let title = event.sub_event_type || event.event_type || "Event";
  if (event.actor1) title += " by " + event.actor1;
  if (event.actor2) title += " against " + event.actor2;
  if (event.location) title += " in " + event.location;
  if (event.event_date) title += ", " + event.event_date;
  return title;
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
