// ui/live_attention/view.js: the view itself, last of the parts. LiveView holds the state (the
// payload's header, the model: its numbers; the temperature, the colour mode, the selected and
// hovered cells), wires the events (the slider, the canvas, the colour modes, the export buttons)
// and redraws one frame per animation frame; the parts before it lend it their methods. The
// Temperature slider redraws on every `input` event (drag or arrow key) within one animation frame;
// Python hears the temperature once per gesture (on `change`).

const instances = new WeakMap();
const MODES = ["fixed", "row", "auto"];

function sameList(a, b) {
  return a.length === b.length && a.every((v, k) => v === b[k]);
}

class LiveView {
  constructor(parent) {
    this.parent = parent;
    const find = (selector) => parent.querySelector(selector);
    this.root = find(".la");
    this.el = {
      error: find(".la-error"),
      main: find(".la-main"),
      tname: find(".la-tname"),
      tvalue: find(".la-tvalue"),
      slider: find(".la-slider"),
      tmin: find(".la-tmin"),
      tmax: find(".la-tmax"),
      thint: find(".la-thint"),
      formula: find(".la-formula"),
      modes: find(".la-modes"),
      modesLegend: find(".la-modes legend"),
      legend: find(".la-legend"),
      legendBar: find(".la-legend-bar"),
      legendLo: find(".la-legend-lo"),
      legendHi: find(".la-legend-hi"),
      legendText: find(".la-legend-text"),
      legendMask: find(".la-legend-mask"),
      plot: find(".la-plot"),
      canvas: find(".la-canvas"),
      tip: find(".la-tip"),
      hint: find(".la-hint"),
      narration: find(".la-narration"),
      exportBox: find(".la-export"),
      output: find(".la-output"),
      explain: find(".la-explain"),
      table: find(".la-sr-table"),
    };
    this.ctx = this.el.canvas.getContext("2d");
    this.header = null; // the payload's JSON header (labels, settings, texts)
    this.model = null; // the numbers: see update()
    this.temperature = 1;
    this.dragging = false;
    this.pendingGesture = null;
    this.selected = null; // [i, j] of the cell being explained
    this.hover = null; // [i, j] of the cell under the pointer
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
    const on = (el, type, handler, options) => {
      el.addEventListener(type, handler, options);
      (this.off = this.off || []).push(() => el.removeEventListener(type, handler, options));
    };
    on(slider, "input", () => {
      this.inputs++;
      this.root.dataset.inputs = String(this.inputs);
      this.temperature = this.snap(Number(slider.value));
      this.schedule();
    });
    on(slider, "change", () => {
      this.temperature = this.snap(Number(slider.value));
      this.schedule();
      this.send();
    });
    on(slider, "pointerdown", () => (this.dragging = true));
    on(window, "pointerup", () => (this.dragging = false));
    on(canvas, "pointermove", (event) => this.onHover(event));
    on(canvas, "pointerleave", () => {
      this.hover = null;
      this.el.tip.hidden = true;
      this.schedule();
    });
    on(canvas, "click", (event) => {
      const cell = this.cellAt(event);
      if (cell && cell.kind === "cell") this.select(cell.i, cell.j);
    });
    on(canvas, "keydown", (event) => this.onCanvasKey(event));
    on(this.el.exportBox, "click", (event) => {
      const button = event.target && event.target.closest ? event.target.closest("button[data-format]") : null;
      if (button) this.exportImage(button.dataset.format);
    });
    on(modes, "change", (event) => {
      if (event.target && MODES.includes(event.target.value)) {
        this.mode = event.target.value;
        this.userMode = true;
        try {
          localStorage.setItem("attention-lab.colour-mode." + this.header.id, this.mode);
        } catch (err) {
          /* private mode: the choice lasts this page view */
        }
        this.schedule();
      }
    });
    on(document, "keydown", (event) => {
      if (event.key === "Escape" && this.selected) this.closeExplain();
    });
    on(document, "pointerdown", (event) => {
      if (!this.selected) return;
      const path = event.composedPath ? event.composedPath() : [];
      if (path.includes(this.el.explain) || path.includes(this.el.canvas)) return;
      this.closeExplain();
    });
    if (typeof ResizeObserver !== "undefined") {
      this.resizeObserver = new ResizeObserver(() => {
        this.layoutCache = null;
        this.schedule();
      });
      this.resizeObserver.observe(this.el.plot);
    }
  }

  destroy() {
    (this.off || []).forEach((unlisten) => unlisten());
    if (this.resizeObserver) this.resizeObserver.disconnect();
    cancelAnimationFrame(this.raf);
  }

  snap(value) {
    // the nearest temperature on the slider's steps, within its range
    const { t_min, t_max, t_step } = this.header;
    const steps = Math.round((Math.min(t_max, Math.max(t_min, value)) - t_min) / t_step);
    return Number((t_min + steps * t_step).toFixed(10));
  }

  send() {
    if (!this.setStateValue) return;
    this.gestureSeq++;
    const gesture = this.gestureBase + "-" + this.gestureSeq;
    this.pendingGesture = gesture;
    this.setStateValue("temperature", { value: this.temperature, gesture });
  }

  // -- data from Python (every render whose payload changed)
  update(bytes) {
    const { header, arrays } = decodePayload(bytes);
    this.header = header;
    const texts = this.texts();
    const scores = arrays.scores;
    if (!scores || scores.rows < 1 || scores.cols < 1) throw new Error(texts.empty || "no scores");
    const nq = scores.rows;
    const nk = scores.cols;
    const values = arrays.values || null;
    if (values && values.rows !== nk) throw new Error("V has " + values.rows + " rows for " + nk + " keys");
    const rows = header.rows || [];
    const cols = header.cols || [];
    if (rows.length !== nq || cols.length !== nk) throw new Error("labels do not match the scores");
    let mask = null;
    if (header.mask) {
      if (header.mask.length !== nq * nk) throw new Error("mask does not match the scores");
      mask = new Uint8Array(nq * nk);
      for (let k = 0; k < nq * nk; k++) mask[k] = header.mask.charCodeAt(k) === 49 ? 1 : 0; // "1": may attend
    }
    const dv = values ? values.cols : 0;
    const previous = this.model;
    const sameShape = previous && previous.nq === nq && previous.nk === nk;
    // the same queries and keys (a new temperature, an edited number): an open explanation follows
    // the new numbers; other words or another size (a new sentence): it closes, never stale
    const sameWords = sameShape && sameList(previous.rows, rows) && sameList(previous.cols, cols);
    // the model: the numbers Python sent (row-major Float64Arrays), and what computeAttention fills
    this.model = {
      nq, // queries (rows)
      nk, // keys (columns)
      dv, // the width of V (0 without values)
      scores: scores.data, // raw Q·Kᵀ, nq × nk
      values: values ? values.data : null, // V, nk × dv
      q: arrays.q || null, // { data, rows, cols } for the worked calculation
      k: arrays.k || null,
      mask, // 1 where a query may attend to a key, or null
      divisor: header.scale ? Math.sqrt(header.d_k) : 1,
      weights: new Float64Array(nq * nk),
      logits: new Float64Array(nq * nk),
      output: new Float64Array(nq * Math.max(dv, 1)),
      rowMax: new Float64Array(nq),
      rowSum: new Float64Array(nq),
      rows, // the queries' labels
      cols, // the keys' labels
      fault: null,
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
    if (!this.dragging && acked) this.temperature = this.snap(Number(header.temperature));

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
    this.renderTable();
  }

  texts() {
    // every word the view shows, in the UI's language (the payload's texts)
    return (this.header && this.header.texts) || {};
  }

  staticTexts() {
    // what changes only with new data: the slider's range and name, the formula, the colour modes,
    // the hints and the accessible names
    const texts = this.texts();
    const header = this.header;
    const { slider } = this.el;
    this.root.style.setProperty("--la-scale", String(Number(header.font_scale) || 1));
    this.root.dataset.present = Number(header.font_scale) > 1 ? "1" : "0"; // a projector: the compact layout
    this.el.tname.textContent = texts.temperature;
    slider.min = String(header.t_min);
    slider.max = String(header.t_max);
    slider.step = String(header.t_step);
    slider.setAttribute("aria-label", texts.temperature);
    slider.value = String(this.temperature);
    this.el.tmin.textContent = fmt(header.t_min, 2);
    this.el.tmax.textContent = fmt(header.t_max, 2);
    this.el.thint.textContent = texts.temperature_hint || "";
    this.el.formula.textContent = header.scale
      ? fill(texts.formula_scaled, { d_k: header.d_k, root: String(Number(Math.sqrt(header.d_k).toFixed(4))) })
      : texts.formula_unscaled;
    this.el.modesLegend.textContent = texts.colour_title;
    for (const label of this.el.modes.querySelectorAll("label")) {
      const input = label.querySelector("input");
      label.querySelector("span").textContent = texts["colour_" + input.value];
    }
    if (!this.mode) {
      // decided once: the learner's last choice on this page, else the range this tab first showed on
      // it (a return to the lesson keeps it), else the page's default for the size it opened with; a
      // longer sentence later never switches it by itself
      let saved = null;
      let shown = null;
      try {
        saved = localStorage.getItem("attention-lab.colour-mode." + header.id);
        shown = sessionStorage.getItem("attention-lab.colour-shown." + header.id);
      } catch (err) {
        saved = shown = null;
      }
      this.userMode = MODES.includes(saved);
      const first = MODES.includes(shown) ? shown : MODES.includes(header.colour_mode) ? header.colour_mode : "fixed";
      this.mode = this.userMode ? saved : first;
      try {
        sessionStorage.setItem("attention-lab.colour-shown." + header.id, this.mode);
      } catch (err) {
        /* private mode: decided for this page view */
      }
    }
    for (const input of this.el.modes.querySelectorAll("input")) input.checked = input.value === this.mode;
    this.el.legendMask.hidden = !this.model.mask;
    this.el.legendMask.querySelector("span").textContent = texts.masked_legend;
    // a touch screen or a phone has no hover: it says "tap"
    const touch = (window.matchMedia && window.matchMedia("(hover: none)").matches) || window.innerWidth < 640;
    this.el.hint.textContent = touch ? texts.tap_hint || texts.click_hint : texts.click_hint;
    this.root.dataset.hint = touch ? "tap" : "hover";
    this.el.exportBox.setAttribute("aria-label", texts.download_title || "");
    for (const button of this.el.exportBox.querySelectorAll("button"))
      button.textContent = texts["download_" + button.dataset.format] || button.dataset.format;
    this.el.canvas.setAttribute("aria-label", fill(texts.summary, { rows: this.model.nq, cols: this.model.nk }));
    this.el.explain.setAttribute("aria-label", texts.explain_title_plain || "");
  }

  showError(message) {
    const texts = this.texts();
    this.root.dataset.state = "error";
    this.el.error.hidden = false;
    this.el.error.textContent = fill(texts.js_error || "The live view failed: {message}", { message });
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
    if (!this.model) return;
    const started = performance.now();
    this.drawFrame();
    this.root.dataset.frameMs = (performance.now() - started).toFixed(2);
  }

  drawFrame() {
    const model = this.model;
    const texts = this.texts();
    computeAttention(model, this.temperature);
    this.frames++;
    const decimals = this.header.decimals;
    this.el.tvalue.textContent = fmt(this.temperature, 2);
    if (!this.dragging && Number(this.el.slider.value) !== this.temperature) this.el.slider.value = String(this.temperature);
    this.el.slider.setAttribute("aria-valuetext", fmt(this.temperature, 2));
    const root = this.root;
    root.dataset.temperature = String(this.temperature);
    root.dataset.frames = String(this.frames);
    if (model.fault) {
      root.dataset.weights = "null";
      root.dataset.output = "null";
      this.el.error.hidden = false;
      this.el.error.textContent = texts["error_" + model.fault] || model.fault;
      this.drawGrid(true);
      this.el.narration.textContent = "";
      this.el.output.textContent = "";
      return;
    }
    this.el.error.hidden = true;
    if (this.covered) {
      root.dataset.weights = "null";
      root.dataset.output = "null";
      this.drawGrid(true);
      this.el.narration.textContent = texts.covered || "";
      this.el.output.textContent = "";
      return;
    }
    root.dataset.weights = rowsJson(model.weights, model.nq, model.nk);
    root.dataset.output = model.values ? rowsJson(model.output, model.nq, model.dv) : "null";
    this.drawGrid(false);
    this.drawLegend();
    this.narrate(decimals);
    if (this.selected) this.renderExplain(decimals);
  }

  // -- hover, click, keyboard
  onHover(event) {
    // the tooltip names the pair and the weight (or the row or the column); the hovered cell is outlined
    const cell = this.cellAt(event);
    const tip = this.el.tip;
    const texts = this.texts();
    const model = this.model;
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
      const idx = cell.i * model.nk + cell.j;
      lines.push([texts.row_title, model.rows[cell.i]], [texts.col_title, model.cols[cell.j]]);
      if (this.covered) lines.push([texts.weight, texts.covered_cell || "?"]);
      else if (model.mask && !model.mask[idx]) lines.push([texts.weight, texts.masked]);
      else lines.push([texts.weight, fmtHonest(model.weights[idx], this.rowDecimals(cell.i))]);
      if (!this.hover || this.hover[0] !== cell.i || this.hover[1] !== cell.j) {
        this.hover = [cell.i, cell.j];
        this.schedule();
      }
    } else if (cell.kind === "row") {
      lines.push([texts.row_title, model.rows[cell.i]]);
    } else {
      lines.push([texts.col_title, model.cols[cell.j]]);
    }
    tip.textContent = "";
    for (const [name, value] of lines) {
      const div = document.createElement("div");
      const b = document.createElement("b");
      b.textContent = name + ": ";
      div.appendChild(b);
      div.appendChild(document.createTextNode(value));
      tip.appendChild(div);
    }
    tip.hidden = false;
    const plotWidth = this.el.plot.clientWidth;
    const left = Math.min(cell.px + 14, Math.max(0, plotWidth - tip.offsetWidth - 4));
    tip.style.left = left + "px";
    tip.style.top = cell.py + 14 + "px";
  }

  onCanvasKey(event) {
    // arrow keys move the open cell, Enter or Space opens it (at first, the focused row's first key)
    const model = this.model;
    let [i, j] = this.selected || [this.focusRow, 0];
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[event.key]) {
      i = Math.min(model.nq - 1, Math.max(0, i + moves[event.key][0]));
      j = Math.min(model.nk - 1, Math.max(0, j + moves[event.key][1]));
      this.select(i, j);
      event.preventDefault();
    } else if (event.key === "Enter" || event.key === " ") {
      this.select(i, j);
      event.preventDefault();
    }
  }
}

// the methods of the parts before this one (layout.js, draw.js, narrate.js, explain.js, export.js, table.js)
Object.assign(LiveView.prototype, layoutMethods, drawMethods, narrateMethods, explainMethods, exportMethods, tableMethods);

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
