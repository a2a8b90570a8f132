// ui/live_attention/export.js: the heatmap as drawn, downloaded from the browser. As PNG (the canvas
// itself, at its drawn size in device pixels) or as SVG (built from the same weights, colours and
// labels, at the drawn size in CSS pixels).

// Text for SVG/XML content or an attribute (the Python twin is ui.escape.xml_text): what XML 1.0
// forbids (C0 controls but TAB, LF and CR; lone surrogates; U+FFFE, U+FFFF) becomes U+FFFD, then
// & < > " ' are escaped. A label holding U+0001 would otherwise make the exported SVG unopenable.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;
const XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function xmlText(s) {
  return String(s).replace(NOT_XML, "\uFFFD").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

// LiveView's export methods (view.js copies them onto its prototype).
const exportMethods = {
  exportImage(format) {
    // "png" or "svg": a download of the current temperature's picture
    if (this.covered) return; // an image would show what the question covers
    if (!this.model || this.model.fault) return;
    this.frame(); // the picture of the current temperature
    const layout = this.layout();
    const background = (getComputedStyle(this.root).getPropertyValue("--st-background-color") || "").trim() || "#ffffff";
    const name = "attention-weights-" + (this.header.id || "view") + "-T" + fmt(this.temperature, 2);
    let url;
    let revoke = false;
    if (format === "svg") {
      url = URL.createObjectURL(new Blob([this.svgText(layout, background)], { type: "image/svg+xml" }));
      revoke = true;
      this.root.dataset.exported = "svg:" + layout.width + "x" + layout.height;
    } else {
      const canvas = document.createElement("canvas");
      canvas.width = this.el.canvas.width;
      canvas.height = this.el.canvas.height;
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = background;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(this.el.canvas, 0, 0);
      url = canvas.toDataURL("image/png");
      this.root.dataset.exported = "png:" + canvas.width + "x" + canvas.height;
    }
    const link = document.createElement("a");
    link.href = url;
    link.download = name + "." + (format === "svg" ? "svg" : "png");
    link.hidden = true;
    this.el.exportBox.appendChild(link);
    link.click();
    link.remove();
    if (revoke) setTimeout(() => URL.revokeObjectURL(url), 5000);
  },

  svgText(layout, background) {
    // the same picture as the canvas: cells in the colours drawn last frame, numbers, labels, titles
    const model = this.model;
    const texts = this.texts();
    const esc = xmlText;
    const round2 = (v) => Number(v.toFixed(2));
    const pixels = this.cellImage.data;
    const out = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${esc(layout.font.replace(/^\d+px\s*/, ""))}" font-size="${FONT_PX}">`,
      `<rect width="100%" height="100%" fill="${esc(background)}"/>`,
      `<g fill="${esc(layout.color)}" dominant-baseline="middle">`,
      `<text x="0" y="${round2(layout.titleH / 2)}" font-weight="600">${esc((texts.row_title || "") + " ↓ · " + (texts.col_title || "") + " →")}</text>`,
    ];
    for (let i = 0; i < model.nq; i += layout.rowStride)
      (layout.rowLabels[i].lines || [layout.rowLabels[i].text]).forEach((line, k, all) =>
        out.push(`<text x="${round2(layout.left - 8)}" y="${round2(layout.top + (i + 0.5) * layout.ch + (k - (all.length - 1) / 2) * layout.lineH)}" text-anchor="end">${esc(line)}</text>`));
    for (let j = 0; j < model.nk; j += layout.colStride) {
      const cx = round2(layout.left + (j + 0.5) * layout.cw);
      const lines = layout.colLabels[j];
      if (layout.horizontal) {
        const firstY = layout.top - 4 - (lines.length - 0.5) * layout.lineH;
        lines.forEach((line, k) => out.push(`<text x="${cx}" y="${round2(firstY + k * layout.lineH)}" text-anchor="middle">${esc(line)}</text>`));
      } else {
        out.push(`<text transform="translate(${cx} ${round2(layout.top - 4)}) rotate(-45)" x="2">${esc(lines[0])}</text>`);
      }
    }
    out.push("</g>", '<g class="cells">');
    const places = this.cellDecimals(layout);
    for (let i = 0; i < model.nq; i++)
      for (let j = 0; j < model.nk; j++) {
        const idx = i * model.nk + j;
        const masked = model.mask && !model.mask[idx];
        const p = idx * 4;
        const colour = masked ? "#d9d9d9" : `rgb(${pixels[p]},${pixels[p + 1]},${pixels[p + 2]})`;
        const x = layout.left + j * layout.cw;
        const y = layout.top + i * layout.ch;
        const value = masked ? texts.masked : fmtHonest(model.weights[idx], this.rowDecimals(i));
        out.push(`<rect x="${round2(x)}" y="${round2(y)}" width="${round2(layout.cw)}" height="${round2(layout.ch)}" fill="${colour}"><title>${esc(model.rows[i] + " · " + model.cols[j] + ": " + value)}</title></rect>`);
        if (places >= 0) {
          const numberColour = masked ? "#333" : ink(pixels[p], pixels[p + 1], pixels[p + 2]);
          const label = masked ? "0" : fmtHonest(model.weights[idx], places);
          out.push(`<text x="${round2(x + layout.cw / 2)}" y="${round2(y + layout.ch / 2)}" fill="${numberColour}" text-anchor="middle" dominant-baseline="middle">${label}</text>`);
        }
      }
    out.push("</g></svg>");
    return out.join("\n");
  },
};
