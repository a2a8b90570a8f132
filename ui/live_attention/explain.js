// ui/live_attention/explain.js: the worked calculation of one cell ("how this weight is made"), with
// the live numbers: q·k as a sum of products, ÷√d_k, ÷T, the exp after subtracting the row's
// maximum, ÷ the row's sum, the row's weights as bars and the output row Σ wⱼ·vⱼ.

const BAR_ROWS_MAX = 16; // the panel draws every key's bar up to this many keys
const TERMS_MAX = 8; // terms written out in a sum

// LiveView's explanation methods (view.js copies them onto its prototype).
const explainMethods = {
  select(i, j) {
    // open the panel on cell (i, j); it follows the slider and every new number until closed
    if (this.covered) return; // nothing to explain before the answer
    this.selected = [i, j];
    this.focusRow = i;
    this.root.dataset.selected = i + "," + j;
    this.el.explain.hidden = false;
    this.schedule();
  },

  closeExplain() {
    this.selected = null;
    delete this.root.dataset.selected;
    this.el.explain.hidden = true;
    this.schedule();
  },

  renderExplain(decimals) {
    const model = this.model;
    const texts = this.texts();
    const [i, j] = this.selected;
    const box = this.el.explain;
    box.textContent = "";
    const idx = i * model.nk + j;
    const rowWeights = model.weights.subarray(i * model.nk, (i + 1) * model.nk);
    const hiddenKey = (c) => Boolean(model.mask && !model.mask[i * model.nk + c]);
    const weightPlaces = honestDecimals(Array.from(rowWeights).filter((_, c) => !hiddenKey(c)), decimals, true);
    const score = model.scores[idx];
    const scaled = model.divisor !== 1 ? score / model.divisor : score;
    const exp = Math.exp((scaled - model.rowMax[i]) / this.temperature);
    const places = honestDecimals([score, scaled, model.logits[idx], model.rowMax[i], exp, model.rowSum[i]], decimals, false);
    const add = (tag, className, text) => {
      const el = document.createElement(tag);
      if (className) el.className = className;
      if (text !== undefined) el.textContent = text;
      box.appendChild(el);
      return el;
    };
    const head = add("div", "la-explain-head");
    const title = document.createElement("span");
    fillNodes(title, texts.explain_title, { row: model.rows[i], col: model.cols[j] });
    head.appendChild(title);
    // the region is named by its title, as plain text ("How the weight a → b is made")
    box.setAttribute("aria-label", fill(texts.explain_title, { row: model.rows[i], col: model.cols[j] }));
    const close = document.createElement("button");
    close.type = "button";
    close.className = "la-close";
    close.textContent = "×";
    close.title = texts.close;
    close.setAttribute("aria-label", texts.close);
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
    if (model.q && model.k) {
      const qRow = model.q.data.subarray(i * model.q.cols, (i + 1) * model.q.cols);
      const kRow = model.k.data.subarray(j * model.k.cols, (j + 1) * model.k.cols);
      const terms = [];
      const termPlaces = honestDecimals([...qRow.subarray(0, TERMS_MAX), ...kRow.subarray(0, TERMS_MAX)], decimals, false);
      for (let c = 0; c < Math.min(qRow.length, TERMS_MAX); c++) terms.push(factorText(qRow[c], termPlaces) + "×" + factorText(kRow[c], termPlaces));
      if (qRow.length > TERMS_MAX) terms.push("… (" + qRow.length + ")");
      step(texts.explain_score, "q·k = " + terms.join(" + ") + " = " + fmtHonest(score, places));
    } else {
      step(texts.explain_score, "s = " + fmtHonest(score, places));
    }
    const masked = model.mask && !model.mask[idx];
    const temperature = fmt(this.temperature, 2);
    step(
      texts.explain_scale,
      this.header.scale
        ? fmtHonest(score, places) + " ÷ √" + this.header.d_k + " = " + fmtHonest(scaled, places)
        : texts.explain_no_scale + " → " + fmtHonest(scaled, places),
    );
    if (masked) {
      step(texts.explain_mask, texts.masked);
    } else {
      step(texts.explain_temperature, fmtHonest(scaled, places) + " ÷ " + temperature + " = " + fmtHonest(model.logits[idx], places));
      step(
        texts.explain_exp,
        "exp((" + fmtHonest(scaled, places) + " − " + fmtHonest(model.rowMax[i], places) + ") ÷ " + temperature + ") = " + fmtHonest(exp, places),
      );
      step(texts.explain_norm, fmtHonest(exp, places) + " ÷ " + fmtHonest(model.rowSum[i], places) + " = " + fmtHonest(model.weights[idx], weightPlaces));
    }
    // the row's weights as bars (all keys up to 16, else the largest 12 and this one)
    const bars = add("div", "la-bars");
    bars.setAttribute("role", "list");
    const caption = add("div", "la-bars-cap");
    let order = [...Array(model.nk).keys()];
    if (model.nk > BAR_ROWS_MAX) {
      order.sort((a, b) => model.weights[i * model.nk + b] - model.weights[i * model.nk + a]);
      order = order.slice(0, 12);
      if (!order.includes(j)) order.push(j);
      caption.textContent = fill(texts.bars_top, { n: order.length, total: model.nk });
    } else {
      caption.textContent = texts.explain_bars;
    }
    box.insertBefore(caption, bars);
    let largest = 0;
    for (let c = 0; c < model.nk; c++) largest = Math.max(largest, model.weights[i * model.nk + c]);
    for (const c of order) {
      const weight = model.weights[i * model.nk + c];
      const row = document.createElement("div");
      row.className = "la-bar" + (c === j ? " la-bar-on" : "");
      row.setAttribute("role", "listitem");
      const label = document.createElement("span");
      label.className = "la-bar-label";
      label.textContent = model.cols[c];
      label.title = model.cols[c];
      const track = document.createElement("span");
      track.className = "la-bar-track";
      const barFill = document.createElement("span");
      barFill.className = "la-bar-fill";
      barFill.style.width = (largest > 0 ? (100 * weight) / largest : 0) + "%";
      track.appendChild(barFill);
      const value = document.createElement("span");
      value.className = "la-bar-value";
      value.textContent = hiddenKey(c) ? texts.masked_short : fmtHonest(weight, weightPlaces);
      row.append(label, track, value);
      bars.appendChild(row);
    }
    if (model.values) {
      const terms = [];
      for (let c = 0; c < Math.min(model.nk, 4); c++) terms.push(fmtHonest(model.weights[i * model.nk + c], weightPlaces) + "·v" + (c + 1));
      if (model.nk > 4) terms.push("…");
      const outputRow = model.output.subarray(i * model.dv, (i + 1) * model.dv);
      const output = vectorText(outputRow, honestDecimals(outputRow, decimals, false), 16);
      add("p", "la-explain-out", texts.explain_output + " " + terms.join(" + ") + " = " + output);
    }
  },
};
