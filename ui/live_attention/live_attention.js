// Live attention view: the Temperature slider beside the weights heatmap, redrawn in the
// browser on every `input` event (drag or arrow key) within one animation frame. Python
// hears the temperature once per gesture (on `change`).
//
// What this file computes, and nothing more (attention_core stays the reference, and the
// tests compare these numbers with it):
//   scaled  = scores / √d_k          (when scaling is on; scores come from Python)
//   masked  = -inf where the mask hides a key
//   weights = softmax(masked / T)    the max of each row is subtracted *before* ÷T,
//                                    exactly as attention_core.softmax does
//   output  = weights · V
// It draws them on one canvas, and exports that picture: as PNG (the canvas itself, at its drawn
// size in device pixels) or as SVG (built from the same weights, colours and labels, at the drawn
// size in CSS pixels). No library, no network: vanilla JS.

const instances = new WeakMap();
const FONT_PX = 15; // text on the canvas (≥ 14 px: readable from the back of a classroom; larger on a projector)
const CELL_TEXT_MAX = 16; // numbers on the cells up to 16 × 16
const CELL_DECIMALS_MAX = 4; // more digits do not fit a cell; the hover, the table and the panel have them all
const BAR_ROWS_MAX = 16; // the explainer draws every key's bar up to this many keys
const TERMS_MAX = 8; // terms written out in a sum
const MODES = ["fixed", "row", "auto"];

// ------------------------------------------------------------------ payload (see __init__.py)
// bytes: uint32 LE header length H, H bytes of UTF-8 JSON, zero padding to a multiple of 8,
// then little-endian float64 arrays; header.arrays[name] = [offset in values, rows, cols].
function decode(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (u8.length < 4) throw new Error("empty payload");
  const h = u8[0] | (u8[1] << 8) | (u8[2] << 16) | (u8[3] * 16777216);
  if (4 + h > u8.length) throw new Error("truncated payload");
  const header = JSON.parse(new TextDecoder().decode(u8.subarray(4, 4 + h)));
  const start = Math.ceil((4 + h) / 8) * 8;
  const f64 = new Float64Array(u8.slice(start).buffer); // slice: an aligned copy
  const arrays = {};
  for (const [name, spec] of Object.entries(header.arrays || {})) {
    const [off, rows, cols] = spec;
    if (off + rows * cols > f64.length) throw new Error("array " + name + " out of range");
    arrays[name] = { data: f64.subarray(off, off + rows * cols), rows, cols };
  }
  return { header, arrays };
}

// ------------------------------------------------------------------ numbers
function fmt(x, d) {
  if (x === -Infinity) return "−∞";
  if (!Number.isFinite(x)) return String(x);
  const s = x.toFixed(d);
  return s === "-" + (0).toFixed(d) ? (0).toFixed(d) : s;
}

// Honest rounding: the rule of ui.format.honest_decimals (Python), the same numbers on both sides.
// Decimal places d, raised up to max(d, limit) until every nonzero number keeps its first
// significant digit and (distinct) numbers that differ do not look the same; ties (within
// TIE_RTOL) are one number. A nonzero number too small even at the limit is written "≈0".
const HONEST_LIMIT = 6;
const TIE_RTOL = 1e-12;
const NEAR_ZERO = "≈0";

function honestDecimals(values, d, distinct, limit) {
  const top = Math.max(d, limit === undefined ? HONEST_LIMIT : limit);
  const floor = 0.5 * Math.pow(10, -top);
  let p = d;
  let smallest = Infinity;
  const seen = [];
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    const a = Math.abs(x);
    if (a !== 0 && a < floor) continue; // "≈0" whatever the decimals
    if (a !== 0 && a < smallest) smallest = a;
    seen.push(x);
  }
  if (smallest !== Infinity) p = Math.max(p, Math.min(top, -Math.floor(Math.log10(smallest))));
  if (distinct && seen.length > 1) {
    seen.sort((a, b) => a - b);
    const keep = [seen[0]];
    for (const x of seen.slice(1)) {
      const last = keep[keep.length - 1];
      if (Math.abs(x - last) > TIE_RTOL * Math.max(Math.abs(x), Math.abs(last))) keep.push(x);
    }
    const clash = (q) => keep.some((x, k) => k > 0 && keep[k - 1].toFixed(q) === x.toFixed(q));
    while (p < top && clash(p)) p++;
  }
  return p;
}

function fmtHonest(x, p) {
  if (!Number.isFinite(x)) return fmt(x, p);
  const s = x.toFixed(p);
  if (Number(s) === 0) return x !== 0 ? NEAR_ZERO : (0).toFixed(p);
  return s;
}

function tiesOf(values, best, skip) {
  // the positions of values equal to best (within TIE_RTOL), skipping those skip(j) says
  const out = [];
  for (let j = 0; j < values.length; j++) {
    if (skip && skip(j)) continue;
    if (Math.abs(values[j] - best) <= TIE_RTOL * Math.max(Math.abs(values[j]), Math.abs(best))) out.push(j);
  }
  return out;
}

// the lines between an nq × nk grid's cells (cell size cw × ch, top-left corner at left, top)
function gridLines(ctx, left, top, cw, ch, nq, nk, color) {
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let j = 1; j < nk; j++) {
    ctx.moveTo(left + j * cw, top);
    ctx.lineTo(left + j * cw, top + nq * ch);
  }
  for (let i = 1; i < nq; i++) {
    ctx.moveTo(left, top + i * ch);
    ctx.lineTo(left + nk * cw, top + i * ch);
  }
  ctx.stroke();
}

function fill(template, params) {
  // "{name}" placeholders → text (plain strings: the caller puts them in textContent)
  return String(template).replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

function fillNodes(el, template, params, texts) {
  // Like fill(), but each value becomes its own <b> element (user words stay text, never HTML).
  // An array value is a list of names, each bold: "a, b and c" (texts.list_and / list_more).
  el.textContent = "";
  const bold = (parent, text) => {
    const b = document.createElement("b");
    b.textContent = String(text);
    parent.appendChild(b);
  };
  const parts = String(template).split(/(\{\w+\})/);
  for (const part of parts) {
    const m = /^\{(\w+)\}$/.exec(part);
    if (m && m[1] in params) {
      const value = params[m[1]];
      if (Array.isArray(value)) listNodes(el, value, texts || {}, bold);
      else bold(el, value);
    } else if (part) {
      el.appendChild(document.createTextNode(part));
    }
  }
}

const LIST_NAMES = 6; // names written out in a list of ties; the rest are counted

function listNodes(el, names, x, bold) {
  // "a", "a and b", "a, b and c", "a, b, … and 3 more" with each name bold
  const shown = names.length > LIST_NAMES ? names.slice(0, LIST_NAMES) : names;
  const head = names.length > LIST_NAMES ? shown : shown.slice(0, -1);
  const template = names.length > LIST_NAMES ? x.list_more || "{names} +{n}" : names.length > 1 ? x.list_and || "{names}, {last}" : "{last}";
  for (const part of String(template).split(/(\{\w+\})/)) {
    if (part === "{names}") {
      head.forEach((name, k) => {
        if (k) el.appendChild(document.createTextNode(", "));
        bold(el, name);
      });
    } else if (part === "{last}") bold(el, shown[shown.length - 1]);
    else if (part === "{n}") el.appendChild(document.createTextNode(String(names.length - LIST_NAMES)));
    else if (part) el.appendChild(document.createTextNode(part));
  }
}

// ------------------------------------------------------------------ colours
function parseRgb(s) {
  const m = /rgba?\(([^)]+)\)/.exec(s);
  if (m) return m[1].split(",").slice(0, 3).map((v) => parseFloat(v));
  const h = /^#([0-9a-f]{6})$/i.exec(s.trim());
  if (h) return [0, 2, 4].map((i) => parseInt(h[1].slice(i, i + 2), 16));
  return [0, 0, 0];
}

function buildLut(stops) {
  // 256 colours, linear in RGB between the stops (as plotly does for a colorscale)
  const pts = stops.map(([p, c]) => [Number(p), parseRgb(c)]);
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const x = i / 255;
    let k = 0;
    while (k < pts.length - 2 && x > pts[k + 1][0]) k++;
    const [p0, c0] = pts[k];
    const [p1, c1] = pts[k + 1];
    const f = p1 > p0 ? Math.min(1, Math.max(0, (x - p0) / (p1 - p0))) : 0;
    for (let j = 0; j < 3; j++) lut[i * 3 + j] = Math.round(c0[j] + f * (c1[j] - c0[j]));
  }
  return lut;
}

function ink(r, g, b) {
  // the cell's number in black or white, whichever contrasts more with the cell (WCAG relative
  // luminance): one of them is always >= 4.58:1, whatever the colour (the worst cell, L = 0.179)
  const lin = (c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  const L = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) ? "#000" : "#fff";
}

// ------------------------------------------------------------------ the math (mirrors attention_core)
function compute(st, T) {
  const { nq, nk, dv, scores, values, mask, divisor } = st;
  const w = st.weights;
  const z = st.logits;
  st.fault = null;
  for (let i = 0; i < nq; i++) {
    const o = i * nk;
    let max = -Infinity;
    for (let j = 0; j < nk; j++) {
      const s = divisor !== 1 ? scores[o + j] / divisor : scores[o + j];
      const m = mask && !mask[o + j] ? -Infinity : s;
      z[o + j] = m;
      if (m > max) max = m;
    }
    if (max === -Infinity) {
      st.fault = "fully_masked";
      w.fill(NaN, o, o + nk);
      continue;
    }
    let sum = 0;
    for (let j = 0; j < nk; j++) {
      let shifted = z[o + j] - max;
      if (T !== 1) shifted = shifted / T;
      const e = Math.exp(shifted);
      w[o + j] = e;
      sum += e;
    }
    for (let j = 0; j < nk; j++) w[o + j] = w[o + j] / sum;
    st.rowMax[i] = max;
    st.rowSum[i] = sum;
  }
  if (T !== 1) for (let x = 0; x < z.length; x++) z[x] = z[x] / T;
  if (values) {
    const out = st.output;
    const v = values;
    for (let i = 0; i < nq; i++) {
      for (let c = 0; c < dv; c++) {
        let acc = 0;
        for (let j = 0; j < nk; j++) acc += w[i * nk + j] * v[j * dv + c];
        out[i * dv + c] = acc;
        if (!Number.isFinite(acc) && !st.fault) st.fault = "score_overflow";
      }
    }
  }
}

function rowsJson(arr, rows, cols) {
  const parts = new Array(rows);
  for (let i = 0; i < rows; i++) parts[i] = "[" + Array.prototype.join.call(arr.subarray(i * cols, (i + 1) * cols), ",") + "]";
  return "[" + parts.join(",") + "]";
}

// ------------------------------------------------------------------ the view

// Text for SVG/XML content or an attribute (the Python twin is ui.escape.xml_text): what XML 1.0
// forbids (C0 controls but TAB, LF and CR; lone surrogates; U+FFFE, U+FFFF) becomes U+FFFD, then
// & < > " ' are escaped. A label holding U+0001 would otherwise make the exported SVG unopenable.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;
const XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function xmlText(s) {
  return String(s).replace(NOT_XML, "\uFFFD").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

class LiveView {
  constructor(parent) {
    this.parent = parent;
    const q = (sel) => parent.querySelector(sel);
    this.root = q(".la");
    this.el = {
      error: q(".la-error"),
      main: q(".la-main"),
      tname: q(".la-tname"),
      tvalue: q(".la-tvalue"),
      slider: q(".la-slider"),
      tmin: q(".la-tmin"),
      tmax: q(".la-tmax"),
      thint: q(".la-thint"),
      formula: q(".la-formula"),
      modes: q(".la-modes"),
      modesLegend: q(".la-modes legend"),
      legend: q(".la-legend"),
      legendBar: q(".la-legend-bar"),
      legendLo: q(".la-legend-lo"),
      legendHi: q(".la-legend-hi"),
      legendText: q(".la-legend-text"),
      legendMask: q(".la-legend-mask"),
      plot: q(".la-plot"),
      canvas: q(".la-canvas"),
      tip: q(".la-tip"),
      hint: q(".la-hint"),
      narration: q(".la-narration"),
      exportBox: q(".la-export"),
      output: q(".la-output"),
      explain: q(".la-explain"),
      sr: q(".la-sr-table"),
    };
    this.ctx = this.el.canvas.getContext("2d");
    this.T = 1;
    this.dragging = false;
    this.pendingGesture = null;
    this.selected = null; // [i, j] of the cell being explained
    this.hover = null;
    this.focusRow = 0;
    this.frames = 0;
    this.inputs = 0;
    this.raf = 0;
    this.mode = null;
    this.layoutCache = null;
    this.gestureSeq = 0;
    this.gestureBase = Math.floor(Math.random() * 1e9).toString(36);
    this.listen();
  }

  // -- wiring (once per mount)
  listen() {
    const { slider, canvas, modes } = this.el;
    const on = (el, ev, fn, opts) => {
      el.addEventListener(ev, fn, opts);
      (this.off = this.off || []).push(() => el.removeEventListener(ev, fn, opts));
    };
    on(slider, "input", () => {
      this.inputs++;
      this.root.dataset.inputs = String(this.inputs);
      this.T = this.snap(Number(slider.value));
      this.schedule();
    });
    on(slider, "change", () => {
      this.T = this.snap(Number(slider.value));
      this.schedule();
      this.send();
    });
    on(slider, "pointerdown", () => (this.dragging = true));
    on(window, "pointerup", () => (this.dragging = false));
    on(canvas, "pointermove", (e) => this.onHover(e));
    on(canvas, "pointerleave", () => {
      this.hover = null;
      this.el.tip.hidden = true;
      this.schedule();
    });
    on(canvas, "click", (e) => {
      const cell = this.cellAt(e);
      if (cell && cell.kind === "cell") this.select(cell.i, cell.j);
    });
    on(canvas, "keydown", (e) => this.onCanvasKey(e));
    on(this.el.exportBox, "click", (e) => {
      const button = e.target && e.target.closest ? e.target.closest("button[data-format]") : null;
      if (button) this.exportImage(button.dataset.format);
    });
    on(modes, "change", (e) => {
      if (e.target && MODES.includes(e.target.value)) {
        this.mode = e.target.value;
        this.userMode = true;
        try {
          localStorage.setItem("attention-lab.colour-mode." + this.h.id, this.mode);
        } catch (err) {
          /* private mode: the choice lasts this page view */
        }
        this.schedule();
      }
    });
    on(document, "keydown", (e) => {
      if (e.key === "Escape" && this.selected) this.closeExplain();
    });
    on(document, "pointerdown", (e) => {
      if (!this.selected) return;
      const path = e.composedPath ? e.composedPath() : [];
      if (path.includes(this.el.explain) || path.includes(this.el.canvas)) return;
      this.closeExplain();
    });
    if (typeof ResizeObserver !== "undefined") {
      this.ro = new ResizeObserver(() => {
        this.layoutCache = null;
        this.schedule();
      });
      this.ro.observe(this.el.plot);
    }
  }

  destroy() {
    (this.off || []).forEach((f) => f());
    if (this.ro) this.ro.disconnect();
    cancelAnimationFrame(this.raf);
  }

  snap(v) {
    const { t_min, t_max, t_step } = this.h;
    const n = Math.round((Math.min(t_max, Math.max(t_min, v)) - t_min) / t_step);
    return Number((t_min + n * t_step).toFixed(10));
  }

  send() {
    if (!this.setStateValue) return;
    this.gestureSeq++;
    const gesture = this.gestureBase + "-" + this.gestureSeq;
    this.pendingGesture = gesture;
    this.setStateValue("temperature", { value: this.T, gesture });
  }

  // -- data from Python (every render whose payload changed)
  update(bytes) {
    const { header, arrays } = decode(bytes);
    this.h = header;
    const x = this.texts();
    const sc = arrays.scores;
    if (!sc || sc.rows < 1 || sc.cols < 1) throw new Error(x.empty || "no scores");
    const nq = sc.rows;
    const nk = sc.cols;
    const values = arrays.values || null;
    if (values && values.rows !== nk) throw new Error("V has " + values.rows + " rows for " + nk + " keys");
    const rows = header.rows || [];
    const cols = header.cols || [];
    if (rows.length !== nq || cols.length !== nk) throw new Error("labels do not match the scores");
    let mask = null;
    if (header.mask) {
      if (header.mask.length !== nq * nk) throw new Error("mask does not match the scores");
      mask = new Uint8Array(nq * nk);
      for (let x2 = 0; x2 < nq * nk; x2++) mask[x2] = header.mask.charCodeAt(x2) === 49 ? 1 : 0;
    }
    const dv = values ? values.cols : 0;
    const sameShape = this.st && this.st.nq === nq && this.st.nk === nk;
    // the same queries and keys (a new temperature, an edited number): an open explanation follows
    // the new numbers; other words or another size (a new sentence): it closes, never stale
    const sameWords = sameShape && sameList(this.st.rows, rows) && sameList(this.st.cols, cols);
    this.st = {
      nq,
      nk,
      dv,
      scores: sc.data,
      values: values ? values.data : null,
      q: arrays.q || null,
      k: arrays.k || null,
      mask,
      divisor: header.scale ? Math.sqrt(header.d_k) : 1,
      weights: new Float64Array(nq * nk),
      logits: new Float64Array(nq * nk),
      output: new Float64Array(nq * Math.max(dv, 1)),
      rowMax: new Float64Array(nq),
      rowSum: new Float64Array(nq),
      rows,
      cols,
      valueCols: header.value_cols || [],
    };
    if (!sameShape) this.focusRow = 0;
    if (!sameWords && this.selected) this.closeExplain();
    if (Number.isInteger(header.focus_row) && header.focus_row < nq && !this.selected) this.focusRow = header.focus_row;
    this.lut = buildLut(header.colorscale);
    this.layoutCache = null;
    this.maskLayer = null;

    // Temperature: Python's value wins unless the learner is mid-gesture or Python has not
    // yet heard the gesture we sent (an older rerun's payload must not pull the slider back).
    const acked = !this.pendingGesture || header.gesture === this.pendingGesture;
    if (acked) this.pendingGesture = null;
    if (!this.dragging && acked) this.T = this.snap(Number(header.temperature));

    // Predict first: while a question is open the view draws no weight, output or narration
    this.covered = header.covered === true;
    this.root.dataset.covered = this.covered ? "true" : "false";
    this.el.exportBox.hidden = this.covered;
    // the legend too: in "Auto" colour mode it names the largest weight, and an undrawn bar is a blank
    this.el.legend.hidden = this.covered;
    if (this.covered && this.selected) this.closeExplain();
    const ask = Array.isArray(header.explain_cell) ? header.explain_cell : null;
    if (!this.covered && ask && ask[0] < nq && ask[1] < nk && ask[2] !== this.explainAsked) {
      this.explainAsked = ask[2];
      this.select(ask[0], ask[1]); // the reveal's "how this weight is made"
    }

    this.staticTexts();
    this.root.dataset.state = "ready";
    this.root.dataset.rows = String(nq);
    this.root.dataset.cols = String(nk);
    this.el.error.hidden = true;
    this.el.main.hidden = false;
    this.frame(); // draw now: the new data must never show the old picture
    this.updateSr();
  }

  texts() {
    return (this.h && this.h.texts) || {};
  }

  staticTexts() {
    const x = this.texts();
    const h = this.h;
    const { slider } = this.el;
    this.root.style.setProperty("--la-scale", String(Number(h.font_scale) || 1));
    this.root.dataset.present = Number(h.font_scale) > 1 ? "1" : "0"; // a projector: the compact layout
    this.el.tname.textContent = x.temperature;
    slider.min = String(h.t_min);
    slider.max = String(h.t_max);
    slider.step = String(h.t_step);
    slider.setAttribute("aria-label", x.temperature);
    slider.value = String(this.T);
    this.el.tmin.textContent = fmt(h.t_min, 2);
    this.el.tmax.textContent = fmt(h.t_max, 2);
    this.el.thint.textContent = x.temperature_hint || "";
    this.el.formula.textContent = h.scale ? fill(x.formula_scaled, { d_k: h.d_k, root: String(Number(Math.sqrt(h.d_k).toFixed(4))) }) : x.formula_unscaled;
    this.el.modesLegend.textContent = x.colour_title;
    for (const label of this.el.modes.querySelectorAll("label")) {
      const input = label.querySelector("input");
      label.querySelector("span").textContent = x["colour_" + input.value];
    }
    if (!this.mode) {
      // decided once: the learner's last choice on this page, else the range this tab first showed on
      // it (a return to the lesson keeps it), else the page's default for the size it opened with; a
      // longer sentence later never switches it by itself
      let saved = null;
      let shown = null;
      try {
        saved = localStorage.getItem("attention-lab.colour-mode." + h.id);
        shown = sessionStorage.getItem("attention-lab.colour-shown." + h.id);
      } catch (err) {
        saved = shown = null;
      }
      this.userMode = MODES.includes(saved);
      const first = MODES.includes(shown) ? shown : MODES.includes(h.colour_mode) ? h.colour_mode : "fixed";
      this.mode = this.userMode ? saved : first;
      try {
        sessionStorage.setItem("attention-lab.colour-shown." + h.id, this.mode);
      } catch (err) {
        /* private mode: decided for this page view */
      }
    }
    for (const input of this.el.modes.querySelectorAll("input")) input.checked = input.value === this.mode;
    this.el.legendMask.hidden = !this.st.mask;
    this.el.legendMask.querySelector("span").textContent = x.masked_legend;
    // a touch screen or a phone has no hover: it says "tap"
    const touch = (window.matchMedia && window.matchMedia("(hover: none)").matches) || window.innerWidth < 640;
    this.el.hint.textContent = touch ? x.tap_hint || x.click_hint : x.click_hint;
    this.root.dataset.hint = touch ? "tap" : "hover";
    this.el.exportBox.setAttribute("aria-label", x.download_title || "");
    for (const b of this.el.exportBox.querySelectorAll("button")) b.textContent = x["download_" + b.dataset.format] || b.dataset.format;
    this.el.canvas.setAttribute("aria-label", fill(x.summary, { rows: this.st.nq, cols: this.st.nk }));
    this.el.explain.setAttribute("aria-label", x.explain_title_plain || "");
  }

  showError(message) {
    const x = this.texts();
    this.root.dataset.state = "error";
    this.el.error.hidden = false;
    this.el.error.textContent = fill(x.js_error || "The live view failed: {message}", { message });
  }

  schedule() {
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      try {
        this.frame();
      } catch (err) {
        this.showError(err && err.message ? err.message : String(err));
      }
    });
  }

  // -- one frame: compute, draw, narrate
  frame() {
    if (!this.st) return;
    const started = performance.now();
    this.drawFrame();
    this.root.dataset.frameMs = (performance.now() - started).toFixed(2);
  }

  drawFrame() {
    const st = this.st;
    const x = this.texts();
    compute(st, this.T);
    this.frames++;
    const d = this.h.decimals;
    this.el.tvalue.textContent = fmt(this.T, 2);
    if (!this.dragging && Number(this.el.slider.value) !== this.T) this.el.slider.value = String(this.T);
    this.el.slider.setAttribute("aria-valuetext", fmt(this.T, 2));
    const r = this.root;
    r.dataset.temperature = String(this.T);
    r.dataset.frames = String(this.frames);
    if (st.fault) {
      r.dataset.weights = "null";
      r.dataset.output = "null";
      this.el.error.hidden = false;
      this.el.error.textContent = x["error_" + st.fault] || st.fault;
      this.drawGrid(true);
      this.el.narration.textContent = "";
      this.el.output.textContent = "";
      return;
    }
    this.el.error.hidden = true;
    if (this.covered) {
      r.dataset.weights = "null";
      r.dataset.output = "null";
      this.drawGrid(true);
      this.el.narration.textContent = x.covered || "";
      this.el.output.textContent = "";
      return;
    }
    r.dataset.weights = rowsJson(st.weights, st.nq, st.nk);
    r.dataset.output = st.values ? rowsJson(st.output, st.nq, st.dv) : "null";
    this.drawGrid(false);
    this.drawLegend();
    this.narrate(d);
    if (this.selected) this.renderExplain(d);
  }

  range(i) {
    // the colour range: fixed [0, 1], each row's [min, max], or [0, largest weight]
    const st = this.st;
    if (this.mode === "row") {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < st.nk; j++) {
        if (st.mask && !st.mask[i * st.nk + j]) continue;
        const v = st.weights[i * st.nk + j];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      return [lo, hi];
    }
    if (this.mode === "auto") {
      if (this.autoMax === undefined || this.autoFrame !== this.frames) {
        let hi = 0;
        for (let x = 0; x < st.weights.length; x++) if ((!st.mask || st.mask[x]) && st.weights[x] > hi) hi = st.weights[x];
        this.autoMax = hi;
        this.autoFrame = this.frames;
      }
      return [0, this.autoMax];
    }
    return [0, 1];
  }

  // -- layout (recomputed when the size or the data changes)
  layout() {
    if (this.layoutCache) return this.layoutCache;
    this.fontPx = Math.round(FONT_PX * (Number(this.h.font_scale) || 1));
    const st = this.st;
    const canvas = this.el.canvas;
    const ctx = this.ctx;
    const cs = getComputedStyle(this.root);
    const family = cs.fontFamily || "sans-serif";
    const font = this.fontPx + "px " + family;
    const bold = "600 " + this.fontPx + "px " + family;
    const W = Math.max(200, Math.floor(this.el.plot.clientWidth || 600));
    ctx.font = font;
    const textW = (s) => ctx.measureText(s).width;
    const maxRowLabel = Math.min(W * 0.32, 220);
    const rowLabels = st.rows.map((s) => ellipsize(ctx, s, maxRowLabel));
    ctx.font = bold;
    const titleW = textW((this.texts().row_title || "") + " ↓") + 4;
    ctx.font = font;
    // the labels decide the left margin; the rows' title may stand on the top line from the left edge
    // when it is wider (drawGrid): on a phone the cells keep the width
    const rowW = Math.max(W < 500 ? 0 : titleW, ...rowLabels.map((s) => textW(s.text)));
    const left = Math.ceil(Math.min(maxRowLabel, rowW) + 14);
    // column labels: horizontal, on up to two lines (four for a few keys: three long book names on
    // a phone keep cells wide enough to read), when every label fits its cell so; otherwise turned
    // 45° (never 90°: Hangul and Vietnamese stay readable), shortened, with room on the right
    ctx.font = font;
    let cw = (W - left - 6) / st.nk;
    const colMaxLines = st.nk <= 4 ? 4 : 2;
    const wrapped = st.cols.map((s) => wrapLines(ctx, s, cw - 6, colMaxLines));
    const horizontal = wrapped.every((lines) => lines !== null);
    const colMax = 150;
    const colLabels = horizontal ? wrapped : st.cols.map((s) => [ellipsize(ctx, s, colMax).text]);
    const widest = Math.max(...colLabels.map((l) => textW(l[0])));
    const right = horizontal ? 6 : Math.ceil(widest * Math.SQRT1_2) + 6;
    cw = (W - left - right) / st.nk;
    // cells: square-ish, one row at least 44 px tall, the whole grid at most ~720 px tall (on a
    // projector, what the screen has room for under the slider)
    const lineH = Math.round(this.fontPx * 1.35);
    const tallest = Number(this.h.font_scale) > 1 ? Math.max(200, (window.innerHeight || 720) - 420) : 720;
    let ch = Math.min(cw, Math.max(3, tallest / st.nq));
    if (st.nq <= 2) ch = Math.max(44, Math.min(cw * 0.7, 72));
    else ch = Math.max(ch, Math.min(cw, 28));
    ch = Math.min(ch, 52);
    // a cut row label (one or two queries: "I want a book about cats" on a phone) wraps onto two lines
    if (st.nq <= 2 && rowLabels.some((r) => r.cut)) {
      ch = Math.max(ch, 2 * lineH + 4);
      rowLabels.forEach((r, i) => {
        const two = r.cut ? wrapLines(ctx, st.rows[i], maxRowLabel, 2) : null;
        if (two) r.lines = two;
      });
    }
    const colLines = horizontal ? Math.max(...colLabels.map((l) => l.length)) : 1;
    const colStride = horizontal ? 1 : Math.max(1, Math.ceil((lineH * 1.05) / cw));
    const rowStride = Math.max(1, Math.ceil(lineH / ch));
    const colBand = horizontal ? colLines * lineH + 4 : Math.ceil(widest * Math.SQRT1_2 + lineH * Math.SQRT1_2 + 6);
    const titleH = lineH + 6;
    const top = titleH + colBand;
    const H = Math.ceil(top + ch * st.nq + 6);
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
      canvas.width = Math.round(W * dpr);
      canvas.height = Math.round(H * dpr);
      canvas.style.width = W + "px";
      canvas.style.height = H + "px";
    }
    // numbers on the cells: the most decimals (≤ CELL_DECIMALS_MAX) a cell has room for; each frame
    // then writes the weights' honest decimals when they fit, fewer (≥ 1) when not (cellDecimals())
    let cellFit = -1;
    if (st.nq <= CELL_TEXT_MAX && st.nk <= CELL_TEXT_MAX && ch >= this.fontPx + 4) {
      for (let dd = CELL_DECIMALS_MAX; dd >= 0; dd--) {
        if (textW((0).toFixed(dd)) <= cw - 6) {
          cellFit = dd;
          break;
        }
      }
    }
    this.layoutCache = {
      W, H, dpr, font, bold, left, top, cw, ch, lineH, titleH, colBand, horizontal, colStride, rowStride,
      rowLabels, colLabels, cellFit, color: cs.color || "#31333f",
      border: cs.getPropertyValue("--st-border-color") || "rgba(49,51,63,0.2)",
      accent: cs.getPropertyValue("--st-primary-color") || "#ff4b4b",
    };
    // where the cells are, in CSS pixels of the canvas (tests and tools click cells with it)
    this.root.dataset.grid = JSON.stringify({ left, top, cw, ch, rows: st.nq, cols: st.nk });
    this.root.dataset.fontPx = String(this.fontPx);
    this.root.dataset.labelsRotated = horizontal ? "0" : "45";
    return this.layoutCache;
  }

  rowDecimals(i) {
    // the honest decimals of row i's weights (masked keys left out: their weight is exactly 0)
    const st = this.st;
    const vals = [];
    for (let j = 0; j < st.nk; j++) if (!st.mask || st.mask[i * st.nk + j]) vals.push(st.weights[i * st.nk + j]);
    return honestDecimals(vals, this.h.decimals, true);
  }

  cellDecimals(L) {
    // the decimals every cell is written with this frame: the rows' honest decimals, or as many as fit
    // (at least 1 when the weights need any: never "1 | 0 | 0"); -1 when no number fits
    if (L.cellFit < 0) return -1;
    let need = 0;
    for (let i = 0; i < this.st.nq; i++) need = Math.max(need, this.rowDecimals(i));
    need = Math.min(need, CELL_DECIMALS_MAX);
    const dd = need <= L.cellFit ? need : L.cellFit >= 1 ? L.cellFit : -1;
    this.root.dataset.cellDecimals = String(dd);
    return dd;
  }

  ensureMaskLayer(L) {
    // hatched grey for masked cells, drawn once per layout
    if (!this.st.mask) return null;
    if (this.maskLayer && this.maskLayer.key === L) return this.maskLayer.canvas;
    const st = this.st;
    const c = document.createElement("canvas");
    c.width = Math.max(1, Math.round(L.cw * st.nk * L.dpr));
    c.height = Math.max(1, Math.round(L.ch * st.nq * L.dpr));
    const g = c.getContext("2d");
    const tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    const tg = tile.getContext("2d");
    tg.fillStyle = "#d9d9d9";
    tg.fillRect(0, 0, 8, 8);
    tg.strokeStyle = "#8c8c8c";
    tg.lineWidth = 1.5;
    tg.beginPath();
    tg.moveTo(-2, 10);
    tg.lineTo(10, -2);
    tg.moveTo(-2, 2);
    tg.lineTo(2, -2);
    tg.moveTo(6, 10);
    tg.lineTo(10, 6);
    tg.stroke();
    g.fillStyle = g.createPattern(tile, "repeat");
    const sx = L.cw * L.dpr;
    const sy = L.ch * L.dpr;
    for (let i = 0; i < st.nq; i++)
      for (let j = 0; j < st.nk; j++)
        if (!st.mask[i * st.nk + j]) g.fillRect(Math.floor(j * sx), Math.floor(i * sy), Math.ceil(sx), Math.ceil(sy));
    this.maskLayer = { key: L, canvas: c };
    return c;
  }

  drawGrid(blank) {
    const st = this.st;
    const L = this.layout();
    const ctx = this.ctx;
    const { dpr, left, top, cw, ch } = L;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, L.W, L.H);
    // axis titles, horizontal: rows (queries) above the row labels, columns (keys) above the grid
    const x = this.texts();
    ctx.fillStyle = L.color;
    ctx.font = L.bold;
    ctx.textBaseline = "middle";
    // both titles on the top line: the rows' title right-aligned over the row labels when it fits
    // there, else from the left edge, with the columns' title after it; never cut while they fit
    const rowTitle = (x.row_title || "") + " ↓";
    const rowTitleW = ctx.measureText(rowTitle).width;
    let colX = left;
    if (rowTitleW <= left - 8) {
      ctx.textAlign = "right";
      ctx.fillText(rowTitle, left - 8, L.titleH / 2);
    } else {
      ctx.textAlign = "left";
      ctx.fillText(ellipsize(ctx, rowTitle, L.W * 0.5).text, 0, L.titleH / 2);
      colX = Math.max(left, Math.min(rowTitleW, L.W * 0.5) + 16);
    }
    ctx.textAlign = "left";
    ctx.fillText(ellipsize(ctx, (x.col_title || "") + " →", L.W - colX).text, colX, L.titleH / 2);
    ctx.font = L.font;
    ctx.fillStyle = L.color;
    // row labels
    for (let i = 0; i < st.nq; i += L.rowStride) {
      ctx.textAlign = "right";
      ctx.font = this.focusRow === i ? L.bold : L.font;
      const lines = L.rowLabels[i].lines || [L.rowLabels[i].text];
      lines.forEach((line, k) => ctx.fillText(line, left - 8, top + (i + 0.5) * ch + (k - (lines.length - 1) / 2) * L.lineH));
    }
    // column labels
    ctx.fillStyle = L.color;
    ctx.font = L.font;
    for (let j = 0; j < st.nk; j += L.colStride) {
      const cx = left + (j + 0.5) * cw;
      const lines = L.colLabels[j];
      if (L.horizontal) {
        ctx.textAlign = "center";
        const y0 = top - 4 - (lines.length - 0.5) * L.lineH;
        lines.forEach((line, k) => ctx.fillText(line, cx, y0 + k * L.lineH));
      } else {
        ctx.save();
        ctx.translate(cx, top - 4);
        ctx.rotate(-Math.PI / 4);
        ctx.textAlign = "left";
        ctx.fillText(lines[0], 2, 0);
        ctx.restore();
      }
    }
    if (blank) {
      if (this.covered) {
        // the cells the question is about, without their weights: one grey, a "?" on each
        ctx.fillStyle = "#d9d9d9";
        ctx.fillRect(left, top, cw * st.nk, ch * st.nq);
        gridLines(ctx, left, top, cw, ch, st.nq, st.nk, "#ffffff");
        if (cw >= 14 && ch >= 14) {
          ctx.fillStyle = "#333";
          ctx.textAlign = "center";
          ctx.font = L.font;
          for (let i = 0; i < st.nq; i++)
            for (let j = 0; j < st.nk; j++) ctx.fillText(x.covered_cell || "?", left + (j + 0.5) * cw, top + (i + 0.5) * ch);
        }
      }
      return;
    }
    // cells: one pixel per cell, scaled up without smoothing
    const img = this.cellImage && this.cellImage.width === st.nk && this.cellImage.height === st.nq
      ? this.cellImage
      : (this.cellImage = new ImageData(st.nk, st.nq));
    const px = img.data;
    const lut = this.lut;
    for (let i = 0; i < st.nq; i++) {
      const [lo, hi] = this.range(i);
      const span = hi - lo;
      for (let j = 0; j < st.nk; j++) {
        const v = st.weights[i * st.nk + j];
        let f = span > 0 ? (v - lo) / span : 0.5;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        const c = Math.round(f * 255) * 3;
        const p = (i * st.nk + j) * 4;
        px[p] = lut[c];
        px[p + 1] = lut[c + 1];
        px[p + 2] = lut[c + 2];
        px[p + 3] = 255;
      }
    }
    if (!this.cellCanvas) this.cellCanvas = document.createElement("canvas");
    const cc = this.cellCanvas;
    if (cc.width !== st.nk || cc.height !== st.nq) {
      cc.width = st.nk;
      cc.height = st.nq;
    }
    cc.getContext("2d").putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cc, left, top, cw * st.nk, ch * st.nq);
    const ml = this.ensureMaskLayer(L);
    if (ml) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(ml, Math.round(left * dpr), Math.round(top * dpr));
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    }
    // thin separators when cells are large enough to read one by one
    if (cw >= 12 && ch >= 12) {
      gridLines(ctx, left, top, cw, ch, st.nq, st.nk, "rgba(255,255,255,0.55)");
    }
    // numbers on the cells (masked cells: weight 0, the hatching says why)
    const cellD = this.cellDecimals(L);
    if (cellD >= 0) {
      ctx.textAlign = "center";
      ctx.font = L.font;
      for (let i = 0; i < st.nq; i++)
        for (let j = 0; j < st.nk; j++) {
          const idx = i * st.nk + j;
          const cx = left + (j + 0.5) * cw;
          const cy = top + (i + 0.5) * ch;
          if (st.mask && !st.mask[idx]) {
            ctx.fillStyle = "#333";
            ctx.fillText("0", cx, cy); // exactly 0: no decimals to round
            continue;
          }
          const p = idx * 4;
          ctx.fillStyle = ink(px[p], px[p + 1], px[p + 2]);
          ctx.fillText(fmtHonest(st.weights[idx], cellD), cx, cy);
        }
    }
    // outlines: hovered and selected cells
    const outline = (cell, color, width) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.strokeRect(left + cell[1] * cw + width / 2, top + cell[0] * ch + width / 2, cw - width, ch - width);
    };
    if (this.hover) outline(this.hover, "rgba(255,255,255,0.9)", 2);
    if (this.selected) {
      outline(this.selected, "#000", 3);
      outline(this.selected, "#fff", 1);
    }
  }

  drawLegend() {
    const x = this.texts();
    const bar = this.el.legendBar;
    const w = 160;
    const h = 14;
    const dpr = window.devicePixelRatio || 1;
    if (!this.legendDrawn) {
      bar.width = w * dpr;
      bar.height = h * dpr;
      bar.style.width = w + "px";
      bar.style.height = h + "px";
      const g = bar.getContext("2d");
      const img = g.createImageData(bar.width, 1);
      for (let p = 0; p < bar.width; p++) {
        const c = Math.round((p / (bar.width - 1)) * 255) * 3;
        img.data.set([this.lut[c], this.lut[c + 1], this.lut[c + 2], 255], p * 4);
      }
      for (let y = 0; y < bar.height; y++) g.putImageData(img, 0, y);
      this.legendDrawn = true;
    }
    const d = Math.min(this.h.decimals, 4);
    if (this.mode === "row") {
      this.el.legendLo.textContent = x.legend_row_lo;
      this.el.legendHi.textContent = x.legend_row_hi;
      this.el.legendText.textContent = x.legend_row;
    } else if (this.mode === "auto") {
      const [, hi] = this.range(0);
      this.el.legendLo.textContent = fmt(0, d);
      this.el.legendHi.textContent = fmt(hi, d);
      this.el.legendText.textContent = fill(x.legend_auto, { max: fmt(hi, d) });
    } else {
      this.el.legendLo.textContent = fmt(0, 1);
      this.el.legendHi.textContent = fmt(1, 1);
      this.el.legendText.textContent = x.legend_fixed;
    }
    this.root.dataset.colourMode = this.mode;
  }

  narrate(d) {
    // The query in focus: who gets the most and the least weight, ties named as ties (identical
    // keys, a repeated word, give identical weights), every weight at the row's honest decimals.
    const st = this.st;
    const x = this.texts();
    const i = Math.min(this.focusRow, st.nq - 1);
    const row = st.weights.subarray(i * st.nk, (i + 1) * st.nk);
    const hidden = (j) => Boolean(st.mask && !st.mask[i * st.nk + j]);
    let hi = -Infinity;
    let lo = Infinity;
    let visible = 0;
    const shown = [];
    for (let j = 0; j < st.nk; j++) {
      if (hidden(j)) continue;
      visible++;
      shown.push(row[j]);
      if (row[j] > hi) hi = row[j];
      if (row[j] < lo) lo = row[j];
    }
    const p = honestDecimals(shown, d, true);
    const top = tiesOf(row, hi, hidden);
    const low = tiesOf(row, lo, hidden);
    const names = (js) => js.map((j) => st.cols[j]);
    const params = { t: fmt(this.T, 2), row: st.rows[i], weight: fmtHonest(hi, p), percent: fmt(100 * hi, 1) };
    const el = this.el.narration;
    this.root.dataset.narrationTop = JSON.stringify(top);
    this.root.dataset.narrationLow = JSON.stringify(top.length === visible ? [] : low);
    if (st.nk === 1) fillNodes(el, x.narration_one, params, x);
    else if (visible === 1) fillNodes(el, x.narration_only, { ...params, col: st.cols[top[0]] }, x);
    else if (top.length === visible) fillNodes(el, x.narration_even, { ...params, n: visible }, x);
    else {
      const most = top.length > 1 ? x.narration_most_tie : x.narration_most;
      const least = low.length > 1 ? x.narration_least_tie : x.narration_least;
      fillNodes(el, most + " " + least, {
        ...params,
        col: st.cols[top[0]],
        cols: names(top),
        low_col: st.cols[low[0]],
        low_cols: names(low),
        low_weight: fmtHonest(lo, p),
      }, x);
    }
    if (st.values) {
      const out = st.output.subarray(i * st.dv, (i + 1) * st.dv);
      const vec = vector(out, honestDecimals(out, d, false), 16);
      fillNodes(this.el.output, this.h.output_line || x.output_line, { row: st.rows[i], output: vec }, x);
    } else {
      this.el.output.textContent = "";
    }
  }

  // -- hover, click, keyboard
  cellAt(e) {
    const L = this.layout();
    const rect = this.el.canvas.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const j = Math.floor((px - L.left) / L.cw);
    const i = Math.floor((py - L.top) / L.ch);
    if (px >= L.left && py >= L.top && i >= 0 && j >= 0 && i < this.st.nq && j < this.st.nk) return { kind: "cell", i, j, px, py };
    if (px < L.left && py >= L.top && i >= 0 && i < this.st.nq) return { kind: "row", i, px, py };
    if (py < L.top && px >= L.left && j >= 0 && j < this.st.nk) return { kind: "col", j, px, py };
    return null;
  }

  onHover(e) {
    const cell = this.cellAt(e);
    const tip = this.el.tip;
    const x = this.texts();
    const st = this.st;
    if (!cell) {
      tip.hidden = true;
      if (this.hover) {
        this.hover = null;
        this.schedule();
      }
      return;
    }
    const lines = [];
    if (cell.kind === "cell") {
      const idx = cell.i * st.nk + cell.j;
      lines.push([x.row_title, st.rows[cell.i]], [x.col_title, st.cols[cell.j]]);
      if (this.covered) lines.push([x.weight, x.covered_cell || "?"]);
      else if (st.mask && !st.mask[idx]) lines.push([x.weight, x.masked]);
      else lines.push([x.weight, fmtHonest(st.weights[idx], this.rowDecimals(cell.i))]);
      const h = [cell.i, cell.j];
      if (!this.hover || this.hover[0] !== h[0] || this.hover[1] !== h[1]) {
        this.hover = h;
        this.schedule();
      }
    } else if (cell.kind === "row") {
      lines.push([x.row_title, st.rows[cell.i]]);
    } else {
      lines.push([x.col_title, st.cols[cell.j]]);
    }
    tip.textContent = "";
    for (const [k, v] of lines) {
      const div = document.createElement("div");
      const b = document.createElement("b");
      b.textContent = k + ": ";
      div.appendChild(b);
      div.appendChild(document.createTextNode(v));
      tip.appendChild(div);
    }
    tip.hidden = false;
    const wrapW = this.el.plot.clientWidth;
    const left = Math.min(cell.px + 14, Math.max(0, wrapW - tip.offsetWidth - 4));
    tip.style.left = left + "px";
    tip.style.top = cell.py + 14 + "px";
  }

  onCanvasKey(e) {
    const st = this.st;
    let [i, j] = this.selected || [this.focusRow, 0];
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[e.key]) {
      i = Math.min(st.nq - 1, Math.max(0, i + moves[e.key][0]));
      j = Math.min(st.nk - 1, Math.max(0, j + moves[e.key][1]));
      this.select(i, j);
      e.preventDefault();
    } else if (e.key === "Enter" || e.key === " ") {
      this.select(i, j);
      e.preventDefault();
    }
  }

  select(i, j) {
    if (this.covered) return; // nothing to explain before the answer
    this.selected = [i, j];
    this.focusRow = i;
    this.root.dataset.selected = i + "," + j;
    this.el.explain.hidden = false;
    this.schedule();
  }

  closeExplain() {
    this.selected = null;
    delete this.root.dataset.selected;
    this.el.explain.hidden = true;
    this.schedule();
  }

  renderExplain(d0) {
    const st = this.st;
    const x = this.texts();
    const [i, j] = this.selected;
    const box = this.el.explain;
    box.textContent = "";
    const idx = i * st.nk + j;
    const rowW = st.weights.subarray(i * st.nk, (i + 1) * st.nk);
    const hiddenKey = (c) => Boolean(st.mask && !st.mask[i * st.nk + c]);
    const pw = honestDecimals(Array.from(rowW).filter((_, c) => !hiddenKey(c)), d0, true); // the row's weights
    const s0 = st.scores[idx];
    const scaled0 = st.divisor !== 1 ? s0 / st.divisor : s0;
    const e0 = Math.exp((scaled0 - st.rowMax[i]) / this.T);
    const d = honestDecimals([s0, scaled0, st.logits[idx], st.rowMax[i], e0, st.rowSum[i]], d0, false);
    const add = (tag, cls, text) => {
      const el = document.createElement(tag);
      if (cls) el.className = cls;
      if (text !== undefined) el.textContent = text;
      box.appendChild(el);
      return el;
    };
    const head = add("div", "la-explain-head");
    const title = document.createElement("span");
    fillNodes(title, x.explain_title, { row: st.rows[i], col: st.cols[j] });
    head.appendChild(title);
    // the region is named by its title, as plain text ("How the weight a → b is made")
    box.setAttribute("aria-label", fill(x.explain_title, { row: st.rows[i], col: st.cols[j] }));
    const close = document.createElement("button");
    close.type = "button";
    close.className = "la-close";
    close.textContent = "×";
    close.title = x.close;
    close.setAttribute("aria-label", x.close);
    close.addEventListener("click", () => this.closeExplain());
    head.appendChild(close);
    const list = add("ol", "la-steps");
    const step = (label, body) => {
      const li = document.createElement("li");
      const b = document.createElement("b");
      b.textContent = label;
      li.appendChild(b);
      li.appendChild(document.createTextNode(" " + body));
      list.appendChild(li);
      return li;
    };
    const s = st.scores[idx];
    if (st.q && st.k) {
      const qv = st.q.data.subarray(i * st.q.cols, (i + 1) * st.q.cols);
      const kv = st.k.data.subarray(j * st.k.cols, (j + 1) * st.k.cols);
      const terms = [];
      const dq = honestDecimals([...qv.subarray(0, TERMS_MAX), ...kv.subarray(0, TERMS_MAX)], d0, false);
      for (let c = 0; c < Math.min(qv.length, TERMS_MAX); c++) terms.push(num(qv[c], dq) + "×" + num(kv[c], dq));
      if (qv.length > TERMS_MAX) terms.push("… (" + qv.length + ")");
      step(x.explain_score, "q·k = " + terms.join(" + ") + " = " + fmtHonest(s, d));
    } else {
      step(x.explain_score, "s = " + fmtHonest(s, d));
    }
    const masked = st.mask && !st.mask[idx];
    const scaled = st.divisor !== 1 ? s / st.divisor : s;
    step(
      x.explain_scale,
      this.h.scale ? fmtHonest(s, d) + " ÷ √" + this.h.d_k + " = " + fmtHonest(scaled, d) : x.explain_no_scale + " → " + fmtHonest(scaled, d),
    );
    if (masked) {
      step(x.explain_mask, x.masked);
    } else {
      step(x.explain_temperature, fmtHonest(scaled, d) + " ÷ " + fmt(this.T, 2) + " = " + fmtHonest(st.logits[idx], d));
      const e = Math.exp((scaled - st.rowMax[i]) / this.T);
      step(
        x.explain_exp,
        "exp((" + fmtHonest(scaled, d) + " − " + fmtHonest(st.rowMax[i], d) + ") ÷ " + fmt(this.T, 2) + ") = " + fmtHonest(e, d),
      );
      step(x.explain_norm, fmtHonest(e, d) + " ÷ " + fmtHonest(st.rowSum[i], d) + " = " + fmtHonest(st.weights[idx], pw));
    }
    // the row's weights as bars (all keys up to 16, else the largest 12 and this one)
    const bars = add("div", "la-bars");
    bars.setAttribute("role", "list");
    const cap = add("div", "la-bars-cap");
    let order = [...Array(st.nk).keys()];
    if (st.nk > BAR_ROWS_MAX) {
      order.sort((a, b) => st.weights[i * st.nk + b] - st.weights[i * st.nk + a]);
      order = order.slice(0, 12);
      if (!order.includes(j)) order.push(j);
      cap.textContent = fill(x.bars_top, { n: order.length, total: st.nk });
    } else {
      cap.textContent = x.explain_bars;
    }
    box.insertBefore(cap, bars);
    let rowMaxW = 0;
    for (let c = 0; c < st.nk; c++) rowMaxW = Math.max(rowMaxW, st.weights[i * st.nk + c]);
    for (const c of order) {
      const w = st.weights[i * st.nk + c];
      const row = document.createElement("div");
      row.className = "la-bar" + (c === j ? " la-bar-on" : "");
      row.setAttribute("role", "listitem");
      const lab = document.createElement("span");
      lab.className = "la-bar-label";
      lab.textContent = st.cols[c];
      lab.title = st.cols[c];
      const track = document.createElement("span");
      track.className = "la-bar-track";
      const fillEl = document.createElement("span");
      fillEl.className = "la-bar-fill";
      fillEl.style.width = (rowMaxW > 0 ? (100 * w) / rowMaxW : 0) + "%";
      track.appendChild(fillEl);
      const val = document.createElement("span");
      val.className = "la-bar-value";
      val.textContent = hiddenKey(c) ? x.masked_short : fmtHonest(w, pw);
      row.append(lab, track, val);
      bars.appendChild(row);
    }
    if (st.values) {
      const terms = [];
      for (let c = 0; c < Math.min(st.nk, 4); c++) terms.push(fmtHonest(st.weights[i * st.nk + c], pw) + "·v" + (c + 1));
      if (st.nk > 4) terms.push("…");
      const outRow = st.output.subarray(i * st.dv, (i + 1) * st.dv);
      const out = vector(outRow, honestDecimals(outRow, d0, false), 16);
      add("p", "la-explain-out", x.explain_output + " " + terms.join(" + ") + " = " + out);
    }
  }

  // -- export: the heatmap as drawn, PNG or SVG (a download made in the browser)
  exportImage(format) {
    if (this.covered) return; // an image would show what the question covers
    if (!this.st || this.st.fault) return;
    this.frame(); // the picture of the current temperature
    const L = this.layout();
    const bg = (getComputedStyle(this.root).getPropertyValue("--st-background-color") || "").trim() || "#ffffff";
    const name = "attention-weights-" + (this.h.id || "view") + "-T" + fmt(this.T, 2);
    let url;
    let revoke = false;
    if (format === "svg") {
      url = URL.createObjectURL(new Blob([this.svgText(L, bg)], { type: "image/svg+xml" }));
      revoke = true;
      this.root.dataset.exported = "svg:" + L.W + "x" + L.H;
    } else {
      const c = document.createElement("canvas");
      c.width = this.el.canvas.width;
      c.height = this.el.canvas.height;
      const g = c.getContext("2d");
      g.fillStyle = bg;
      g.fillRect(0, 0, c.width, c.height);
      g.drawImage(this.el.canvas, 0, 0);
      url = c.toDataURL("image/png");
      this.root.dataset.exported = "png:" + c.width + "x" + c.height;
    }
    const a = document.createElement("a");
    a.href = url;
    a.download = name + "." + (format === "svg" ? "svg" : "png");
    a.hidden = true;
    this.el.exportBox.appendChild(a);
    a.click();
    a.remove();
    if (revoke) setTimeout(() => URL.revokeObjectURL(url), 5000);
  }

  svgText(L, bg) {
    // the same picture as the canvas: cells in the colours drawn last frame, numbers, labels, titles
    const st = this.st;
    const x = this.texts();
    const esc = xmlText;
    const n = (v) => Number(v.toFixed(2));
    const px = this.cellImage.data;
    const out = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${L.W}" height="${L.H}" viewBox="0 0 ${L.W} ${L.H}" font-family="${esc(L.font.replace(/^\d+px\s*/, ""))}" font-size="${FONT_PX}">`,
      `<rect width="100%" height="100%" fill="${esc(bg)}"/>`,
      `<g fill="${esc(L.color)}" dominant-baseline="middle">`,
      `<text x="0" y="${n(L.titleH / 2)}" font-weight="600">${esc((x.row_title || "") + " ↓ · " + (x.col_title || "") + " →")}</text>`,
    ];
    for (let i = 0; i < st.nq; i += L.rowStride)
      (L.rowLabels[i].lines || [L.rowLabels[i].text]).forEach((line, k, all) =>
        out.push(`<text x="${n(L.left - 8)}" y="${n(L.top + (i + 0.5) * L.ch + (k - (all.length - 1) / 2) * L.lineH)}" text-anchor="end">${esc(line)}</text>`));
    for (let j = 0; j < st.nk; j += L.colStride) {
      const cx = n(L.left + (j + 0.5) * L.cw);
      const lines = L.colLabels[j];
      if (L.horizontal) {
        const y0 = L.top - 4 - (lines.length - 0.5) * L.lineH;
        lines.forEach((line, k) => out.push(`<text x="${cx}" y="${n(y0 + k * L.lineH)}" text-anchor="middle">${esc(line)}</text>`));
      } else {
        out.push(`<text transform="translate(${cx} ${n(L.top - 4)}) rotate(-45)" x="2">${esc(lines[0])}</text>`);
      }
    }
    out.push("</g>", '<g class="cells">');
    const d = this.cellDecimals(L);
    for (let i = 0; i < st.nq; i++)
      for (let j = 0; j < st.nk; j++) {
        const idx = i * st.nk + j;
        const masked = st.mask && !st.mask[idx];
        const p = idx * 4;
        const fill = masked ? "#d9d9d9" : `rgb(${px[p]},${px[p + 1]},${px[p + 2]})`;
        const cx = L.left + j * L.cw;
        const cy = L.top + i * L.ch;
        const value = masked ? x.masked : fmtHonest(st.weights[idx], this.rowDecimals(i));
        out.push(`<rect x="${n(cx)}" y="${n(cy)}" width="${n(L.cw)}" height="${n(L.ch)}" fill="${fill}"><title>${esc(st.rows[i] + " · " + st.cols[j] + ": " + value)}</title></rect>`);
        if (d >= 0) {
          const colour = masked ? "#333" : ink(px[p], px[p + 1], px[p + 2]);
          const label = masked ? "0" : fmtHonest(st.weights[idx], d);
          out.push(`<text x="${n(cx + L.cw / 2)}" y="${n(cy + L.ch / 2)}" fill="${colour}" text-anchor="middle" dominant-baseline="middle">${label}</text>`);
        }
      }
    out.push("</g></svg>");
    return out.join("\n");
  }

  updateSr() {
    // an accessible table of the weights (up to 16 × 16), refreshed when Python sends new data
    const st = this.st;
    const sr = this.el.sr;
    sr.textContent = "";
    if (st.nq > CELL_TEXT_MAX || st.nk > CELL_TEXT_MAX || st.fault) return;
    const x = this.texts();
    const cap = document.createElement("caption");
    cap.textContent = fill(this.texts().summary, { rows: st.nq, cols: st.nk }) + " · T = " + fmt(this.T, 2);
    sr.appendChild(cap);
    const head = document.createElement("tr");
    head.appendChild(document.createElement("td"));
    for (const c of st.cols) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = c;
      head.appendChild(th);
    }
    sr.appendChild(head);
    for (let i = 0; i < st.nq; i++) {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = st.rows[i];
      tr.appendChild(th);
      const pr = this.rowDecimals(i);
      for (let j = 0; j < st.nk; j++) {
        const td = document.createElement("td");
        td.textContent = this.covered
          ? x.covered_cell || "?"
          : st.mask && !st.mask[i * st.nk + j] ? x.masked_short : fmtHonest(st.weights[i * st.nk + j], pr);
        tr.appendChild(td);
      }
      sr.appendChild(tr);
    }
  }
}

function sameList(a, b) {
  return a.length === b.length && a.every((v, k) => v === b[k]);
}

function num(v, d) {
  return v < 0 ? "(" + fmtHonest(v, d) + ")" : fmtHonest(v, d);
}

function vector(arr, d, max) {
  const shown = Array.from(arr.subarray(0, max), (v) => fmtHonest(v, d));
  if (arr.length > max) shown.push("… (" + arr.length + ")");
  return "[" + shown.join(", ") + "]";
}

function wrapLines(ctx, s, max, maxLines) {
  // greedy word wrap into at most maxLines lines of width ≤ max, or null when it does not fit
  const words = String(s).split(/\s+/).filter(Boolean);
  if (!words.length) return [""];
  const lines = [];
  let line = "";
  for (const w of words) {
    const next = line ? line + " " + w : w;
    if (ctx.measureText(next).width <= max) line = next;
    else {
      if (!line || ctx.measureText(w).width > max) return null;
      lines.push(line);
      line = w;
    }
  }
  lines.push(line);
  return lines.length <= maxLines ? lines : null;
}

function ellipsize(ctx, s, max) {
  const text = String(s);
  if (ctx.measureText(text).width <= max) return { text, cut: false };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + "…").width <= max) lo = mid;
    else hi = mid - 1;
  }
  return { text: text.slice(0, lo) + "…", cut: true };
}

export default function (args) {
  const { parentElement, data, setStateValue } = args;
  let view = instances.get(parentElement);
  try {
    if (!view) {
      view = new LiveView(parentElement);
      instances.set(parentElement, view);
    }
    view.setStateValue = setStateValue;
    view.update(data);
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    if (view) view.showError(message);
    else {
      const box = parentElement.querySelector(".la-error");
      if (box) {
        box.hidden = false;
        box.textContent = message;
      }
    }
  }
  return () => {
    if (view) view.destroy();
    instances.delete(parentElement);
  };
}
