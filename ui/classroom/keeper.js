// The class keeper: this tab remembers its place in a live class (sessionStorage, never sent
// anywhere but back to this app), so a reload, or a reconnect to another replica after one died,
// is the same student or teacher again instead of a new one.
//   data.save:  {code, kind, sid?, key?}  -> remembered
//   data.clear: true                      -> forgotten (the class ended, or the learner left)
//   data.ask:   true                      -> "restore" is set to what this tab remembers ({} if nothing)
const KEY = "attention-lab-class";

export default function ({ data, setStateValue }) {
  if (!data) return;
  try {
    if (data.clear) window.sessionStorage.removeItem(KEY);
    if (data.save && typeof data.save === "object") window.sessionStorage.setItem(KEY, JSON.stringify(data.save));
  } catch (e) {
    // storage disabled (private mode): the session simply starts anew after a reload
  }
  if (data.ask) {
    let saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
    } catch (e) {
      saved = null;
    }
    setStateValue("restore", saved && typeof saved === "object" ? saved : {});
  }
}
