// The class keeper: this tab remembers its place in a live class (sessionStorage, never sent
// anywhere but back to this app), so a reload, or a reconnect to another replica after one died,
// is the same student or teacher again instead of a new one.
//   data.save:  {code, kind, sid?, key?}  -> remembered
//   data.clear: true                      -> forgotten (the class ended, or the learner left)
//   data.ask:   true                      -> "restore" is set to what this tab remembers (only if anything)
const KEY = "attention-lab-class";
let reported = false; // once per page load: a restore reruns the script, which must not ask again

export default function ({ data, setStateValue }) {
  if (!data) return;
  try {
    if (data.clear) window.sessionStorage.removeItem(KEY);
    if (data.save && typeof data.save === "object") window.sessionStorage.setItem(KEY, JSON.stringify(data.save));
  } catch (e) {
    // storage disabled (private mode): the session simply starts anew after a reload
  }
  if (data.ask && !reported) {
    let saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
    } catch (e) {
      saved = null;
    }
    // only a tab that was in a class answers: anyone else's first visit costs no extra rerun
    if (saved && typeof saved === "object" && saved.code) {
      reported = true;
      setStateValue("restore", saved);
    }
  }
}
