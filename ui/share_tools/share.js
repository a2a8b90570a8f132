// Share tools, in the browser (nothing fetched from the network, no library of its own):
//  - "link": a "Copy link" button. The link is the page's current URL (Streamlit and the kit keep
//    every control's value in it), with the UI's language added when the URL has none. It goes to
//    the clipboard (navigator.clipboard, or the selected text box where that API is missing: plain
//    http on a classroom network) and into a text box to copy by hand. Over `limit` characters the
//    view says so and points to the JSON file; over `hard` it does not copy.
//  - "figure": PNG and SVG downloads of a plotly figure drawn on the page (the element with the
//    CSS class `st-key-<target>`), made by plotly's own toImage at the figure's drawn size.

function fill(template, params) {
  return String(template || "").replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

function currentLink(lang) {
  const href = window.location.href.split("#")[0];
  if (!lang || /[?&]lang=/.test(window.location.search)) return href;
  return href + (window.location.search ? "&" : "?") + "lang=" + encodeURIComponent(lang);
}

function save(url, name, root) {
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  root.appendChild(a);
  a.click();
  a.remove();
}

async function copyText(text, input) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (err) {
      /* denied: fall back to the selected text box */
    }
  }
  input.focus();
  input.select();
  try {
    return document.execCommand("copy");
  } catch (err) {
    return false;
  }
}

function setupLink(root, data) {
  const el = (s) => root.querySelector(s);
  const button = el(".sh-copy");
  const box = el(".sh-box");
  const input = el(".sh-link");
  const status = el(".sh-status");
  button.textContent = data.label;
  el(".sh-box-label").textContent = data.box_label;
  if (window.location.search.length > data.server_max) status.textContent = data.dropped;
  button.onclick = async () => {
    const link = currentLink(data.lang);
    input.value = link;
    box.hidden = false;
    root.dataset.link = link;
    root.dataset.length = String(link.length);
    const params = { n: link.length.toLocaleString("en-US"), limit: data.limit.toLocaleString("en-US") };
    if (link.length > data.hard) {
      root.dataset.state = "long";
      status.textContent = fill(data.too_long_hard, params);
      input.focus();
      input.select();
      return;
    }
    const copied = await copyText(link, input);
    root.dataset.state = link.length > data.limit ? "long" : copied ? "copied" : "manual";
    status.textContent = link.length > data.limit ? fill(data.too_long, params) : copied ? data.copied : data.manual;
  };
}

function setupFigure(root, data) {
  const el = (s) => root.querySelector(s);
  el(".sh-copy").hidden = true;
  const status = el(".sh-status");
  for (const format of ["png", "svg"]) {
    const button = el(".sh-" + format);
    button.hidden = false;
    button.textContent = data[format];
    button.onclick = async () => {
      const gd = document.querySelector(".st-key-" + data.target + " .js-plotly-plot");
      const plotly = window.Plotly;
      if (!gd || !plotly || !gd._fullLayout) {
        status.textContent = data.missing;
        return;
      }
      const width = Math.round(gd._fullLayout.width);
      const height = Math.round(gd._fullLayout.height);
      try {
        const url = await plotly.toImage(gd, { format, width, height, scale: 1 });
        root.dataset.width = String(width);
        root.dataset.height = String(height);
        save(url, data.filename + "." + format, root);
        status.textContent = "";
      } catch (err) {
        status.textContent = data.missing;
      }
    };
  }
}

export default function ({ parentElement, data }) {
  const root = parentElement.querySelector(".sh");
  root.dataset.mode = data.mode;
  if (data.mode === "figure") setupFigure(root, data);
  else setupLink(root, data);
}
