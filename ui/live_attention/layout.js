// ui/live_attention/layout.js: sizes and labels. Where each part of the picture goes (margins, cell
// size, label lines), which cell a pointer is over, and how many decimals the cells have room for.

const FONT_PX = 15; // text on the canvas (≥ 14 px: readable from the back of a classroom; larger on a projector)
const CELL_TEXT_MAX = 16; // numbers on the cells (and the accessible table) up to 16 × 16
const CELL_DECIMALS_MAX = 4; // more digits do not fit a cell; the hover, the table and the panel have them all

function wrapLines(ctx, s, max, maxLines) {
  // greedy word wrap into at most maxLines lines of width ≤ max, or null when it does not fit
  const words = String(s).split(/\s+/).filter(Boolean);
  if (!words.length) return [""];
  const lines = [];
  let line = "";
  for (const word of words) {
    const next = line ? line + " " + word : word;
    if (ctx.measureText(next).width <= max) line = next;
    else {
      if (!line || ctx.measureText(word).width > max) return null;
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines.length <= maxLines ? lines : null;
}

function ellipsize(ctx, s, max) {
  // s cut to width ≤ max with "…": { text, cut }
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

// LiveView's layout methods (view.js copies them onto its prototype).
const layoutMethods = {
  // The layout, recomputed when the size or the data changes (update() and the ResizeObserver clear
  // layoutCache), in CSS pixels: the canvas's width × height and its device pixel ratio dpr; the
  // fonts; the grid's left and top edges, each cell cw × ch; lineH (a line of text), titleH (the
  // axis titles' line), colBand (the column labels' band); horizontal (column labels level, on
  // lines, or turned 45°); colStride/rowStride (every how many labels one is written); rowLabels
  // [{ text, cut, lines? }] and colLabels [[line, …]]; cellFit (the most decimals a cell has room
  // for, -1 for none); color (the theme's text colour).
  layout() {
    if (this.layoutCache) return this.layoutCache;
    this.fontPx = Math.round(FONT_PX * (Number(this.header.font_scale) || 1));
    const model = this.model;
    const canvas = this.el.canvas;
    const ctx = this.ctx;
    const style = getComputedStyle(this.root);
    const family = style.fontFamily || "sans-serif";
    const font = this.fontPx + "px " + family;
    const bold = "600 " + this.fontPx + "px " + family;
    const width = Math.max(200, Math.floor(this.el.plot.clientWidth || 600));
    ctx.font = font;
    const textWidth = (s) => ctx.measureText(s).width;
    const maxRowLabel = Math.min(width * 0.32, 220);
    const rowLabels = model.rows.map((s) => ellipsize(ctx, s, maxRowLabel));
    ctx.font = bold;
    const titleWidth = textWidth((this.texts().row_title || "") + " ↓") + 4;
    ctx.font = font;
    // the labels decide the left margin; the rows' title may stand on the top line from the left edge
    // when it is wider (drawGrid): on a phone the cells keep the width
    const rowWidth = Math.max(width < 500 ? 0 : titleWidth, ...rowLabels.map((label) => textWidth(label.text)));
    const left = Math.ceil(Math.min(maxRowLabel, rowWidth) + 14);
    // column labels: horizontal, on up to two lines (four for a few keys: three long book names on
    // a phone keep cells wide enough to read), when every label fits its cell so; otherwise turned
    // 45° (never 90°: Hangul and Vietnamese stay readable), shortened, with room on the right
    ctx.font = font;
    let cw = (width - left - 6) / model.nk;
    const colMaxLines = model.nk <= 4 ? 4 : 2;
    const wrapped = model.cols.map((s) => wrapLines(ctx, s, cw - 6, colMaxLines));
    const horizontal = wrapped.every((lines) => lines !== null);
    const colMax = 150;
    const colLabels = horizontal ? wrapped : model.cols.map((s) => [ellipsize(ctx, s, colMax).text]);
    const widest = Math.max(...colLabels.map((lines) => textWidth(lines[0])));
    const right = horizontal ? 6 : Math.ceil(widest * Math.SQRT1_2) + 6;
    cw = (width - left - right) / model.nk;
    // cells: square-ish, one row at least 44 px tall, the whole grid at most ~720 px tall (on a
    // projector, what the screen has room for under the slider)
    const lineH = Math.round(this.fontPx * 1.35);
    const tallest = Number(this.header.font_scale) > 1 ? Math.max(200, (window.innerHeight || 720) - 420) : 720;
    let ch = Math.min(cw, Math.max(3, tallest / model.nq));
    if (model.nq <= 2) ch = Math.max(44, Math.min(cw * 0.7, 72));
    else ch = Math.max(ch, Math.min(cw, 28));
    ch = Math.min(ch, 52);
    // a cut row label (one or two queries: "I want a book about cats" on a phone) wraps onto two lines
    if (model.nq <= 2 && rowLabels.some((label) => label.cut)) {
      ch = Math.max(ch, 2 * lineH + 4);
      rowLabels.forEach((label, i) => {
        const two = label.cut ? wrapLines(ctx, model.rows[i], maxRowLabel, 2) : null;
        if (two) label.lines = two;
      });
    }
    const colLines = horizontal ? Math.max(...colLabels.map((lines) => lines.length)) : 1;
    const colStride = horizontal ? 1 : Math.max(1, Math.ceil((lineH * 1.05) / cw));
    const rowStride = Math.max(1, Math.ceil(lineH / ch));
    const colBand = horizontal ? colLines * lineH + 4 : Math.ceil(widest * Math.SQRT1_2 + lineH * Math.SQRT1_2 + 6);
    const titleH = lineH + 6;
    const top = titleH + colBand;
    const height = Math.ceil(top + ch * model.nq + 6);
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = width + "px";
      canvas.style.height = height + "px";
    }
    // numbers on the cells: the most decimals (≤ CELL_DECIMALS_MAX) a cell has room for; each frame
    // then writes the weights' honest decimals when they fit, fewer (≥ 1) when not (cellDecimals())
    let cellFit = -1;
    if (model.nq <= CELL_TEXT_MAX && model.nk <= CELL_TEXT_MAX && ch >= this.fontPx + 4) {
      for (let places = CELL_DECIMALS_MAX; places >= 0; places--) {
        if (textWidth((0).toFixed(places)) <= cw - 6) {
          cellFit = places;
          break;
        }
      }
    }
    this.layoutCache = {
      width, height, dpr, font, bold, left, top, cw, ch, lineH, titleH, colBand, horizontal, colStride, rowStride,
      rowLabels, colLabels, cellFit, color: style.color || "#31333f",
    };
    // where the cells are, in CSS pixels of the canvas (tests and tools click cells with it)
    this.root.dataset.grid = JSON.stringify({ left, top, cw, ch, rows: model.nq, cols: model.nk });
    this.root.dataset.fontPx = String(this.fontPx);
    this.root.dataset.labelsRotated = horizontal ? "0" : "45";
    return this.layoutCache;
  },

  // what the pointer of `event` is over: { kind: "cell", i, j } | { kind: "row", i } | { kind: "col", j }
  // (with px, py: the point in the canvas), or null
  cellAt(event) {
    const layout = this.layout();
    const rect = this.el.canvas.getBoundingClientRect();
    const px = event.clientX - rect.left;
    const py = event.clientY - rect.top;
    const j = Math.floor((px - layout.left) / layout.cw);
    const i = Math.floor((py - layout.top) / layout.ch);
    const { nq, nk } = this.model;
    if (px >= layout.left && py >= layout.top && i >= 0 && j >= 0 && i < nq && j < nk) return { kind: "cell", i, j, px, py };
    if (px < layout.left && py >= layout.top && i >= 0 && i < nq) return { kind: "row", i, px, py };
    if (py < layout.top && px >= layout.left && j >= 0 && j < nk) return { kind: "col", j, px, py };
    return null;
  },

  rowDecimals(i) {
    // the honest decimals of row i's weights (masked keys left out: their weight is exactly 0)
    const model = this.model;
    const shown = [];
    for (let j = 0; j < model.nk; j++) if (!model.mask || model.mask[i * model.nk + j]) shown.push(model.weights[i * model.nk + j]);
    return honestDecimals(shown, this.header.decimals, true);
  },

  cellDecimals(layout) {
    // the decimals every cell is written with this frame: the rows' honest decimals, or as many as fit
    // (at least 1 when the weights need any: never "1 | 0 | 0"); -1 when no number fits
    if (layout.cellFit < 0) return -1;
    let need = 0;
    for (let i = 0; i < this.model.nq; i++) need = Math.max(need, this.rowDecimals(i));
    need = Math.min(need, CELL_DECIMALS_MAX);
    const places = need <= layout.cellFit ? need : layout.cellFit >= 1 ? layout.cellFit : -1;
    this.root.dataset.cellDecimals = String(places);
    return places;
  },
};
