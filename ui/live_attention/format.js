// ui/live_attention/format.js: numbers and sentences. Pure functions (fillNodes writes into the
// element it is given, as text nodes only).

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

// a factor in a written-out sum: negative numbers in parentheses, "2×(-1.5)"
function factorText(value, places) {
  return value < 0 ? "(" + fmtHonest(value, places) + ")" : fmtHonest(value, places);
}

// "[a, b, …]": the first `max` numbers of a vector at `places` decimals, then how many there are
function vectorText(arr, places, max) {
  const shown = Array.from(arr.subarray(0, max), (v) => fmtHonest(v, places));
  if (arr.length > max) shown.push("… (" + arr.length + ")");
  return "[" + shown.join(", ") + "]";
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

// ------------------------------------------------------------------ sentences from the catalogs' templates
function fill(template, params) {
  // "{name}" placeholders → text (plain strings: the caller puts them in textContent)
  return String(template).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
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
    const placeholder = /^\{(\w+)\}$/.exec(part);
    if (placeholder && placeholder[1] in params) {
      const value = params[placeholder[1]];
      if (Array.isArray(value)) listNodes(el, value, texts || {}, bold);
      else bold(el, value);
    } else if (part) {
      el.appendChild(document.createTextNode(part));
    }
  }
}

const LIST_NAMES = 6; // names written out in a list of ties; the rest are counted

function listNodes(el, names, texts, bold) {
  // "a", "a and b", "a, b and c", "a, b, … and 3 more" with each name bold
  const shown = names.length > LIST_NAMES ? names.slice(0, LIST_NAMES) : names;
  const head = names.length > LIST_NAMES ? shown : shown.slice(0, -1);
  const template =
    names.length > LIST_NAMES ? texts.list_more || "{names} +{n}" : names.length > 1 ? texts.list_and || "{names}, {last}" : "{last}";
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
