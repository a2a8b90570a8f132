// ui/live_attention/compute.js: the payload and the math. Pure functions, no DOM.
//
// What the browser computes, and nothing more (attention_core stays the reference, and the
// tests compare these numbers with it):
//   scaled  = scores / √d_k          (when scaling is on; scores come from Python)
//   masked  = -inf where the mask hides a key
//   weights = softmax(masked / T)    the max of each row is subtracted *before* ÷T,
//                                    exactly as attention_core.softmax does
//   output  = weights · V

// ------------------------------------------------------------------ payload (see __init__.py)
// bytes: uint32 LE header length, that many bytes of UTF-8 JSON, zero padding to a multiple of 8,
// then little-endian float64 arrays; header.arrays[name] = [offset in values, rows, cols].
function decodePayload(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (u8.length < 4) throw new Error("empty payload");
  const headerLength = u8[0] | (u8[1] << 8) | (u8[2] << 16) | (u8[3] * 16777216);
  if (4 + headerLength > u8.length) throw new Error("truncated payload");
  const header = JSON.parse(new TextDecoder().decode(u8.subarray(4, 4 + headerLength)));
  const start = Math.ceil((4 + headerLength) / 8) * 8;
  const f64 = new Float64Array(u8.slice(start).buffer); // slice: an aligned copy
  const arrays = {};
  for (const [name, spec] of Object.entries(header.arrays || {})) {
    const [offset, rows, cols] = spec;
    if (offset + rows * cols > f64.length) throw new Error("array " + name + " out of range");
    arrays[name] = { data: f64.subarray(offset, offset + rows * cols), rows, cols };
  }
  return { header, arrays };
}

// ------------------------------------------------------------------ the math (mirrors attention_core)
// model: the view's numbers (LiveView.update builds it): nq × nk scores, V (nk × dv) or null, the
// mask (1 = may attend) or null, the divisor (√d_k or 1); computeAttention fills its weights,
// logits (z ÷ T), rowMax, rowSum and output in place, and sets model.fault ("fully_masked",
// "score_overflow") or null.
function computeAttention(model, temperature) {
  const { nq, nk, dv, scores, values, mask, divisor } = model;
  const weights = model.weights;
  const logits = model.logits;
  model.fault = null;
  for (let i = 0; i < nq; i++) {
    const rowStart = i * nk;
    let max = -Infinity;
    for (let j = 0; j < nk; j++) {
      const scaled = divisor !== 1 ? scores[rowStart + j] / divisor : scores[rowStart + j];
      const masked = mask && !mask[rowStart + j] ? -Infinity : scaled;
      logits[rowStart + j] = masked;
      if (masked > max) max = masked;
    }
    if (max === -Infinity) {
      model.fault = "fully_masked";
      weights.fill(NaN, rowStart, rowStart + nk);
      continue;
    }
    let sum = 0;
    for (let j = 0; j < nk; j++) {
      let shifted = logits[rowStart + j] - max;
      if (temperature !== 1) shifted = shifted / temperature;
      const e = Math.exp(shifted);
      weights[rowStart + j] = e;
      sum += e;
    }
    for (let j = 0; j < nk; j++) weights[rowStart + j] = weights[rowStart + j] / sum;
    model.rowMax[i] = max;
    model.rowSum[i] = sum;
  }
  if (temperature !== 1) for (let k = 0; k < logits.length; k++) logits[k] = logits[k] / temperature;
  if (values) {
    const output = model.output;
    for (let i = 0; i < nq; i++) {
      for (let c = 0; c < dv; c++) {
        let acc = 0;
        for (let j = 0; j < nk; j++) acc += weights[i * nk + j] * values[j * dv + c];
        output[i * dv + c] = acc;
        if (!Number.isFinite(acc) && !model.fault) model.fault = "score_overflow";
      }
    }
  }
}

// A rows × cols Float64Array as JSON rows, "[[…],[…]]" (the root's data-weights and data-output):
// JavaScript's shortest round-trip numbers, so Python reads back the same float64.
function rowsJson(arr, rows, cols) {
  const parts = new Array(rows);
  for (let i = 0; i < rows; i++) parts[i] = "[" + Array.prototype.join.call(arr.subarray(i * cols, (i + 1) * cols), ",") + "]";
  return "[" + parts.join(",") + "]";
}
