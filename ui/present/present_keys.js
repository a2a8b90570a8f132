// Presentation mode's keys: ArrowRight / PageDown = next stage, ArrowLeft / PageUp = previous.
// A key pressed in a text field, a select, or on a slider (which moves with its own arrow keys,
// the live view's included) is left alone. Only a "go" trigger (+1 or -1) is sent to Python.
const listeners = new WeakMap();

function typing(event) {
  const target = (event.composedPath && event.composedPath()[0]) || event.target;
  if (!target || !target.tagName) return false;
  const tag = target.tagName.toUpperCase();
  const role = target.getAttribute && target.getAttribute("role");
  return (
    tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable ||
    role === "slider" || role === "combobox" || role === "textbox" || role === "spinbutton"
  );
}

export default function ({ parentElement, setTriggerValue }) {
  const old = listeners.get(parentElement);
  if (old) document.removeEventListener("keydown", old);
  const onKey = (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || typing(event)) return;
    const go = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    if (!go) return;
    event.preventDefault();
    setTriggerValue("go", go);
  };
  document.addEventListener("keydown", onKey);
  listeners.set(parentElement, onKey);
  return () => {
    document.removeEventListener("keydown", onKey);
    listeners.delete(parentElement);
  };
}
