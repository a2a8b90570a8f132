// ui/live_attention/table.js: the weights as an accessible table for screen readers (up to 16 × 16;
// visually hidden by the CSS), refreshed when Python sends new data.

// LiveView's table methods (view.js copies them onto its prototype).
const tableMethods = {
  renderTable() {
    const model = this.model;
    const table = this.el.table;
    table.textContent = "";
    if (model.nq > CELL_TEXT_MAX || model.nk > CELL_TEXT_MAX || model.fault) return;
    const texts = this.texts();
    const caption = document.createElement("caption");
    caption.textContent = fill(texts.summary, { rows: model.nq, cols: model.nk }) + " · T = " + fmt(this.temperature, 2);
    table.appendChild(caption);
    const head = document.createElement("tr");
    head.appendChild(document.createElement("td"));
    for (const col of model.cols) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = col;
      head.appendChild(th);
    }
    table.appendChild(head);
    for (let i = 0; i < model.nq; i++) {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = model.rows[i];
      tr.appendChild(th);
      const places = this.rowDecimals(i);
      for (let j = 0; j < model.nk; j++) {
        const td = document.createElement("td");
        td.textContent = this.covered
          ? texts.covered_cell || "?"
          : model.mask && !model.mask[i * model.nk + j] ? texts.masked_short : fmtHonest(model.weights[i * model.nk + j], places);
        tr.appendChild(td);
      }
      table.appendChild(tr);
    }
  },
};
