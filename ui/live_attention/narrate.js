// ui/live_attention/narrate.js: the sentences under the map. Who the query in focus gives the most
// and the least weight (ties named as ties), and its output row.

// LiveView's narration methods (view.js copies them onto its prototype).
const narrateMethods = {
  narrate(decimals) {
    // The query in focus: who gets the most and the least weight, ties named as ties (identical
    // keys, a repeated word, give identical weights), every weight at the row's honest decimals.
    const model = this.model;
    const texts = this.texts();
    const i = Math.min(this.focusRow, model.nq - 1);
    const row = model.weights.subarray(i * model.nk, (i + 1) * model.nk);
    const hidden = (j) => Boolean(model.mask && !model.mask[i * model.nk + j]);
    let hi = -Infinity;
    let lo = Infinity;
    let visible = 0;
    const shown = [];
    for (let j = 0; j < model.nk; j++) {
      if (hidden(j)) continue;
      visible++;
      shown.push(row[j]);
      if (row[j] > hi) hi = row[j];
      if (row[j] < lo) lo = row[j];
    }
    const places = honestDecimals(shown, decimals, true);
    const top = tiesOf(row, hi, hidden);
    const low = tiesOf(row, lo, hidden);
    const names = (keys) => keys.map((j) => model.cols[j]);
    const params = { t: fmt(this.temperature, 2), row: model.rows[i], weight: fmtHonest(hi, places), percent: fmt(100 * hi, 1) };
    const el = this.el.narration;
    this.root.dataset.narrationTop = JSON.stringify(top);
    this.root.dataset.narrationLow = JSON.stringify(top.length === visible ? [] : low);
    if (model.nk === 1) fillNodes(el, texts.narration_one, params, texts);
    else if (visible === 1) fillNodes(el, texts.narration_only, { ...params, col: model.cols[top[0]] }, texts);
    else if (top.length === visible) fillNodes(el, texts.narration_even, { ...params, n: visible }, texts);
    else {
      const most = top.length > 1 ? texts.narration_most_tie : texts.narration_most;
      const least = low.length > 1 ? texts.narration_least_tie : texts.narration_least;
      fillNodes(el, most + " " + least, {
        ...params,
        col: model.cols[top[0]],
        cols: names(top),
        low_col: model.cols[low[0]],
        low_cols: names(low),
        low_weight: fmtHonest(lo, places),
      }, texts);
    }
    if (model.values) {
      const output = model.output.subarray(i * model.dv, (i + 1) * model.dv);
      const vector = vectorText(output, honestDecimals(output, decimals, false), 16);
      fillNodes(this.el.output, this.header.output_line || texts.output_line, { row: model.rows[i], output: vector }, texts);
    } else {
      this.el.output.textContent = "";
    }
  },
};
