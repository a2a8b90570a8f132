// ui/live_attention/draw.js: the canvas. The colour lookup table, the ink of a cell's number, the
// heatmap (labels, titles, cells, hatching for masked keys, numbers, outlines) and the legend.

// ------------------------------------------------------------------ colours
function parseRgb(s) {
  const rgb = /rgba?\(([^)]+)\)/.exec(s);
  if (rgb) return rgb[1].split(",").slice(0, 3).map((v) => parseFloat(v));
  const hex = /^#([0-9a-f]{6})$/i.exec(s.trim());
  if (hex) return [0, 2, 4].map((k) => parseInt(hex[1].slice(k, k + 2), 16));
  return [0, 0, 0];
}

function buildLut(stops) {
  // 256 colours, linear in RGB between the stops (as plotly does for a colorscale)
  const points = stops.map(([position, colour]) => [Number(position), parseRgb(colour)]);
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const position = i / 255;
    let k = 0;
    while (k < points.length - 2 && position > points[k + 1][0]) k++;
    const [p0, c0] = points[k];
    const [p1, c1] = points[k + 1];
    const f = p1 > p0 ? Math.min(1, Math.max(0, (position - p0) / (p1 - p0))) : 0;
    for (let j = 0; j < 3; j++) lut[i * 3 + j] = Math.round(c0[j] + f * (c1[j] - c0[j]));
  }
  return lut;
}

function ink(r, g, b) {
  // the cell's number in black or white, whichever contrasts more with the cell (WCAG relative
  // luminance): one of them is always >= 4.58:1, whatever the colour (the worst cell, luminance 0.179)
  const linear = (c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "#000" : "#fff";
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

// LiveView's drawing methods (view.js copies them onto its prototype).
const drawMethods = {
  colourRange(i) {
    // the colour range of row i: fixed [0, 1], each row's [min, max], or [0, largest weight]
    const model = this.model;
    if (this.mode === "row") {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < model.nk; j++) {
        if (model.mask && !model.mask[i * model.nk + j]) continue;
        const weight = model.weights[i * model.nk + j];
        if (weight < lo) lo = weight;
        if (weight > hi) hi = weight;
      }
      return [lo, hi];
    }
    if (this.mode === "auto") {
      if (this.autoMax === undefined || this.autoFrame !== this.frames) {
        let hi = 0;
        for (let k = 0; k < model.weights.length; k++) if ((!model.mask || model.mask[k]) && model.weights[k] > hi) hi = model.weights[k];
        this.autoMax = hi;
        this.autoFrame = this.frames;
      }
      return [0, this.autoMax];
    }
    return [0, 1];
  },

  maskLayerFor(layout) {
    // hatched grey for masked cells, drawn once per layout (null without a mask)
    const model = this.model;
    if (!model.mask) return null;
    if (this.maskLayer && this.maskLayer.layout === layout) return this.maskLayer.canvas;
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(layout.cw * model.nk * layout.dpr));
    canvas.height = Math.max(1, Math.round(layout.ch * model.nq * layout.dpr));
    const ctx = canvas.getContext("2d");
    const tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    const tileCtx = tile.getContext("2d");
    tileCtx.fillStyle = "#d9d9d9";
    tileCtx.fillRect(0, 0, 8, 8);
    tileCtx.strokeStyle = "#8c8c8c";
    tileCtx.lineWidth = 1.5;
    tileCtx.beginPath();
    tileCtx.moveTo(-2, 10);
    tileCtx.lineTo(10, -2);
    tileCtx.moveTo(-2, 2);
    tileCtx.lineTo(2, -2);
    tileCtx.moveTo(6, 10);
    tileCtx.lineTo(10, 6);
    tileCtx.stroke();
    ctx.fillStyle = ctx.createPattern(tile, "repeat");
    const sx = layout.cw * layout.dpr;
    const sy = layout.ch * layout.dpr;
    for (let i = 0; i < model.nq; i++)
      for (let j = 0; j < model.nk; j++)
        if (!model.mask[i * model.nk + j]) ctx.fillRect(Math.floor(j * sx), Math.floor(i * sy), Math.ceil(sx), Math.ceil(sy));
    this.maskLayer = { layout, canvas };
    return canvas;
  },

  drawGrid(blank) {
    // the heatmap; blank: the labels and titles only (a fault), or grey cells with "?" (covered)
    const model = this.model;
    const layout = this.layout();
    const ctx = this.ctx;
    const { dpr, left, top, cw, ch } = layout;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, layout.width, layout.height);
    // axis titles, horizontal: rows (queries) above the row labels, columns (keys) above the grid
    const texts = this.texts();
    ctx.fillStyle = layout.color;
    ctx.font = layout.bold;
    ctx.textBaseline = "middle";
    // both titles on the top line: the rows' title right-aligned over the row labels when it fits
    // there, else from the left edge, with the columns' title after it; never cut while they fit
    const rowTitle = (texts.row_title || "") + " ↓";
    const rowTitleWidth = ctx.measureText(rowTitle).width;
    let colTitleX = left;
    if (rowTitleWidth <= left - 8) {
      ctx.textAlign = "right";
      ctx.fillText(rowTitle, left - 8, layout.titleH / 2);
    } else {
      ctx.textAlign = "left";
      ctx.fillText(ellipsize(ctx, rowTitle, layout.width * 0.5).text, 0, layout.titleH / 2);
      colTitleX = Math.max(left, Math.min(rowTitleWidth, layout.width * 0.5) + 16);
    }
    ctx.textAlign = "left";
    ctx.fillText(ellipsize(ctx, (texts.col_title || "") + " →", layout.width - colTitleX).text, colTitleX, layout.titleH / 2);
    ctx.font = layout.font;
    ctx.fillStyle = layout.color;
    // row labels
    for (let i = 0; i < model.nq; i += layout.rowStride) {
      ctx.textAlign = "right";
      ctx.font = this.focusRow === i ? layout.bold : layout.font;
      const lines = layout.rowLabels[i].lines || [layout.rowLabels[i].text];
      lines.forEach((line, k) => ctx.fillText(line, left - 8, top + (i + 0.5) * ch + (k - (lines.length - 1) / 2) * layout.lineH));
    }
    // column labels
    ctx.fillStyle = layout.color;
    ctx.font = layout.font;
    for (let j = 0; j < model.nk; j += layout.colStride) {
      const cx = left + (j + 0.5) * cw;
      const lines = layout.colLabels[j];
      if (layout.horizontal) {
        ctx.textAlign = "center";
        const firstY = top - 4 - (lines.length - 0.5) * layout.lineH;
        lines.forEach((line, k) => ctx.fillText(line, cx, firstY + k * layout.lineH));
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
        ctx.fillRect(left, top, cw * model.nk, ch * model.nq);
        gridLines(ctx, left, top, cw, ch, model.nq, model.nk, "#ffffff");
        if (cw >= 14 && ch >= 14) {
          ctx.fillStyle = "#333";
          ctx.textAlign = "center";
          ctx.font = layout.font;
          for (let i = 0; i < model.nq; i++)
            for (let j = 0; j < model.nk; j++) ctx.fillText(texts.covered_cell || "?", left + (j + 0.5) * cw, top + (i + 0.5) * ch);
        }
      }
      return;
    }
    // cells: one pixel per cell (kept in this.cellImage: the SVG export reads its colours), scaled up
    // without smoothing
    const image = this.cellImage && this.cellImage.width === model.nk && this.cellImage.height === model.nq
      ? this.cellImage
      : (this.cellImage = new ImageData(model.nk, model.nq));
    const pixels = image.data;
    const lut = this.lut;
    for (let i = 0; i < model.nq; i++) {
      const [lo, hi] = this.colourRange(i);
      const span = hi - lo;
      for (let j = 0; j < model.nk; j++) {
        const weight = model.weights[i * model.nk + j];
        let f = span > 0 ? (weight - lo) / span : 0.5;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        const c = Math.round(f * 255) * 3;
        const p = (i * model.nk + j) * 4;
        pixels[p] = lut[c];
        pixels[p + 1] = lut[c + 1];
        pixels[p + 2] = lut[c + 2];
        pixels[p + 3] = 255;
      }
    }
    if (!this.cellCanvas) this.cellCanvas = document.createElement("canvas");
    const cellCanvas = this.cellCanvas;
    if (cellCanvas.width !== model.nk || cellCanvas.height !== model.nq) {
      cellCanvas.width = model.nk;
      cellCanvas.height = model.nq;
    }
    cellCanvas.getContext("2d").putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cellCanvas, left, top, cw * model.nk, ch * model.nq);
    const maskLayer = this.maskLayerFor(layout);
    if (maskLayer) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(maskLayer, Math.round(left * dpr), Math.round(top * dpr));
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    }
    // thin separators when cells are large enough to read one by one
    if (cw >= 12 && ch >= 12) {
      gridLines(ctx, left, top, cw, ch, model.nq, model.nk, "rgba(255,255,255,0.55)");
    }
    // numbers on the cells (masked cells: weight 0, the hatching says why)
    const places = this.cellDecimals(layout);
    if (places >= 0) {
      ctx.textAlign = "center";
      ctx.font = layout.font;
      for (let i = 0; i < model.nq; i++)
        for (let j = 0; j < model.nk; j++) {
          const idx = i * model.nk + j;
          const cx = left + (j + 0.5) * cw;
          const cy = top + (i + 0.5) * ch;
          if (model.mask && !model.mask[idx]) {
            ctx.fillStyle = "#333";
            ctx.fillText("0", cx, cy); // exactly 0: no decimals to round
            continue;
          }
          const p = idx * 4;
          ctx.fillStyle = ink(pixels[p], pixels[p + 1], pixels[p + 2]);
          ctx.fillText(fmtHonest(model.weights[idx], places), cx, cy);
        }
    }
    // outlines: hovered and selected cells
    const outline = (cell, color, lineWidth) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = lineWidth;
      ctx.strokeRect(left + cell[1] * cw + lineWidth / 2, top + cell[0] * ch + lineWidth / 2, cw - lineWidth, ch - lineWidth);
    };
    if (this.hover) outline(this.hover, "rgba(255,255,255,0.9)", 2);
    if (this.selected) {
      outline(this.selected, "#000", 3);
      outline(this.selected, "#fff", 1);
    }
  },

  drawLegend() {
    // the colour bar (drawn again only when the scale changes: presentation mode's High contrast)
    // and what its ends mean in the current colour mode
    const texts = this.texts();
    const bar = this.el.legendBar;
    const barWidth = 160;
    const barHeight = 14;
    const dpr = window.devicePixelRatio || 1;
    const scale = JSON.stringify(this.header.colorscale);
    if (this.legendScale !== scale) {
      bar.width = barWidth * dpr;
      bar.height = barHeight * dpr;
      bar.style.width = barWidth + "px";
      bar.style.height = barHeight + "px";
      const ctx = bar.getContext("2d");
      const line = ctx.createImageData(bar.width, 1);
      for (let p = 0; p < bar.width; p++) {
        const c = Math.round((p / (bar.width - 1)) * 255) * 3;
        line.data.set([this.lut[c], this.lut[c + 1], this.lut[c + 2], 255], p * 4);
      }
      for (let y = 0; y < bar.height; y++) ctx.putImageData(line, 0, y);
      this.legendScale = scale;
    }
    const places = Math.min(this.header.decimals, 4);
    if (this.mode === "row") {
      this.el.legendLo.textContent = texts.legend_row_lo;
      this.el.legendHi.textContent = texts.legend_row_hi;
      this.el.legendText.textContent = texts.legend_row;
    } else if (this.mode === "auto") {
      const [, hi] = this.colourRange(0);
      this.el.legendLo.textContent = fmt(0, places);
      this.el.legendHi.textContent = fmt(hi, places);
      this.el.legendText.textContent = fill(texts.legend_auto, { max: fmt(hi, places) });
    } else {
      this.el.legendLo.textContent = fmt(0, 1);
      this.el.legendHi.textContent = fmt(1, 1);
      this.el.legendText.textContent = texts.legend_fixed;
    }
    this.root.dataset.colourMode = this.mode;
  },
};
