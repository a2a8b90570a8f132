// Presentation mode's keys (mounted only in presentation mode). Only a "go" trigger (+1 or -1) is sent
// to Python.
//   Page Down / Page Up: next / previous stage, always (a presenter remote sends them), even on a
//     slider or in a field.
//   → / ←: next / previous stage, except while typing in a field (the caret moves there). A focused
//     slider gives them up: once the teacher has touched the Temperature slider, the arrows still
//     step the slides (the slider moves with the mouse).
//   Escape: leave whatever control has the focus (a field, a slider, a grid), so the arrows step again.
// The listener runs in the capture phase on the document, before the control's own handlers.
//
// Fit: the current stage (every part of it: `.st-key-stage_<n>`, `.st-key-stage_<n>_<part>`) must end
// above the stage bar. When it is taller than the room between its top and the bar, its parts are
// zoomed out (CSS zoom, down to MIN_ZOOM) until it fits; refitted when the page's content changes
// size (a rerun, the live view drawing). The root carries data-fit-zoom for tests.
const listeners = new WeakMap();
const MIN_ZOOM = 0.6;
const STEPS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };

function target(event) {
  return (event.composedPath && event.composedPath()[0]) || event.target;
}

function typing(el) {
  // a field whose arrow keys move a caret (a range input is not one)
  if (!el || !el.tagName) return false;
  const tag = el.tagName.toUpperCase();
  if (tag === "TEXTAREA" || el.isContentEditable) return true;
  const role = el.getAttribute && el.getAttribute("role");
  if (role === "textbox" || role === "combobox" || role === "spinbutton") return true;
  if (tag === "INPUT") return !["range", "checkbox", "radio", "button", "submit"].includes((el.type || "").toLowerCase());
  return tag === "SELECT";
}

function deepActive() {
  // the focused element, inside open shadow roots too (the live view renders in one)
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

function stageParts(stage) {
  return Array.from(document.querySelectorAll(`.st-key-stage_${stage}, [class*='st-key-stage_${stage}_']`)).filter(
    (el) => el.getClientRects().length > 0,
  );
}

function fit(stage) {
  const parts = stageParts(stage);
  const bar = document.querySelector(".st-key-present_bar");
  if (!parts.length || !bar) return;
  const limit = bar.getBoundingClientRect().top - 8;
  const zoom = Number(parts[0].style.zoom) || 1;
  let top = Infinity;
  let bottom = -Infinity;
  for (const el of parts) {
    const r = el.getBoundingClientRect();
    top = Math.min(top, r.top);
    bottom = Math.max(bottom, r.bottom);
  }
  const natural = (bottom - top) / zoom; // its height at zoom 1
  const room = limit - top;
  const want = natural <= room ? 1 : Math.max(MIN_ZOOM, Math.floor((100 * room) / natural) / 100);
  if (Math.abs(want - zoom) >= 0.01) for (const el of parts) el.style.zoom = want === 1 ? "" : String(want);
  document.documentElement.dataset.fitZoom = String(want);
  document.documentElement.dataset.fitStage = String(stage);
}

export default function ({ parentElement, setTriggerValue, data }) {
  const old = listeners.get(parentElement);
  if (old) {
    document.removeEventListener("keydown", old.onKey, true);
    if (old.ro) old.ro.disconnect();
  }
  const stage = data && Number.isInteger(data.stage) ? data.stage : 0;
  const onKey = (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const el = target(event);
    if (event.key === "Escape") {
      const active = deepActive();
      if (active && active !== document.body && typeof active.blur === "function") active.blur();
      return; // others may close what Escape closes (the live view's explanation)
    }
    const go = STEPS[event.key];
    if (!go) return;
    const paging = event.key === "PageDown" || event.key === "PageUp";
    if (!paging && (event.defaultPrevented || typing(el))) return;
    event.preventDefault();
    event.stopPropagation(); // a slider under the focus must not move too
    setTriggerValue("go", go);
  };
  document.addEventListener("keydown", onKey, true);
  // fit now, and again whenever the page's content changes size (debounced to one frame)
  let raf = 0;
  const refit = () => {
    if (raf) return;
    raf = requestAnimationFrame(() => {
      raf = 0;
      fit(stage);
    });
  };
  const main = document.querySelector("[data-testid='stMain']");
  if (main && main.scrollTop) main.scrollTo(0, 0); // every stage starts at the top of the screen
  const block = document.querySelector("[data-testid='stMainBlockContainer']");
  const ro = typeof ResizeObserver !== "undefined" && block ? new ResizeObserver(refit) : null;
  if (ro) ro.observe(block);
  window.addEventListener("resize", refit);
  refit();
  listeners.set(parentElement, { onKey, ro });
  return () => {
    document.removeEventListener("keydown", onKey, true);
    window.removeEventListener("resize", refit);
    if (ro) ro.disconnect();
    cancelAnimationFrame(raf);
    listeners.delete(parentElement);
  };
}
