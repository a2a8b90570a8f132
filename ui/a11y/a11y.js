// What Streamlit does not do by itself, done in the page (no HTML of its own, no network):
//
// 1. <html lang> follows the UI language (Streamlit writes lang="en" whatever the content,
//    streamlit#15726), so a screen reader reads Vietnamese and Korean in their own voice.
//    Streamlit does not touch the attribute after the first paint; in case anything does, an
//    observer puts the wanted language back.
// 2. A formula wider than its column scrolls sideways (KaTeX's .katex-display): while it does, it
//    is a tab stop with a name (role=group, aria-label), so a keyboard user can scroll it with the
//    arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable). A formula that fits gets no tab
//    stop. Checked again when the page's content changes and when a formula's box changes size.
//
// 3. Text in another language inside a page (WCAG 3.1.2): an emphasised quote (`em`, how the catalogs
//    set off the notebooks' Korean and Vietnamese quotes) or an inline code span (a sentence or a token
//    shown literally) written in Hangul is marked lang="ko", one with Vietnamese letters lang="vi",
//    when that is not the page's language. Only attributes are set: no text is moved or parsed as HTML.
// 4. One polite live region (role=status, aria-live=polite) for the whole page, outside Streamlit's
//    tree, announces status changes, at most one per gesture (a pointer press or a key press; the
//    page's first load counts as one): what Python sends (data.say: a prediction revealed, a training
//    finished) and every error or warning box that appears (bad input: its text, after
//    texts.error_prefix). Streamlit's own boxes are live regions too (role=alert / status): they
//    become role=note, so each change is said once, politely, by one voice.
//
// 5. Single-key shortcuts (WCAG 2.1.4): Streamlit's R (rerun) and C (clear caches) listen on the
//    document, page-wide. With data.shortcuts false, a character key pressed without Ctrl, Alt or Meta
//    stops at <body> on its way up: the focused control and React's handlers (on the app's root,
//    inside <body>) have had it already, and default actions (typing) are untouched; only the
//    document's page-wide listeners never see it.
//
//   data.lang: "en" | "vi" | "ko"
//   data.shortcuts: false turns single-key shortcuts off
//   data.texts.formula_scroll: the name of a formula that scrolls
//   data.texts.error_prefix: what an error's announcement starts with ("Error:")
//   data.say: {id, text}: say text, once per id (a mount from ui.a11y.announce)
// One observer of each kind per page load; a new payload only changes what they apply.
let wanted = null;
let texts = {};
let langObserver = null;
let pageObserver = null;
let raf = 0;
let sizes = null; // a ResizeObserver on each formula: a column that narrows makes a formula scroll
const watched = new WeakSet();

const SCROLLERS = ".katex-display";
const MARK = "data-a11y-scroll";

const FOREIGN = "em, :not(pre) > code";
const FOREIGN_MARK = "data-a11y-lang";
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;
// Vietnamese letters: the vowels with a tone or a hat, ă, đ, ơ, ư (U+1EA0-U+1EF9: ạ … ỹ). Some (é, à, ô)
// are French too: the app's own texts have no French, a sentence the learner types might.
const VIETNAMESE = /[àáâãèéêìíòóôõùúýăđĩũơư\u1ea0-\u1ef9]/iu;

const REGION_ID = "attention-lab-status";
const ALERTS = "[data-testid='stAlertContainer']";
const ANNOUNCED = "[data-testid='stAlertContentError'], [data-testid='stAlertContentWarning']";
let gesture = 0; // pointer or key presses so far
let spent = -1; // the gesture the last announcement was for
let saidId = null; // the last data.say.id announced
let said = 0; // announcements made (data-count on the region, for tests)
let alertsShown = new Set(); // the error and warning texts on the page at the last scan
let shortcuts = true; // single-key shortcuts act (data.shortcuts)

function applyLang() {
  const root = document.documentElement;
  if (wanted && root.getAttribute("lang") !== wanted) root.setAttribute("lang", wanted);
}

/** The language of a quote from its letters: "ko" (Hangul), "vi" (Vietnamese letters) or "". */
function textLang(text) {
  if (HANGUL.test(text)) return "ko";
  if (VIETNAMESE.test(text)) return "vi";
  return "";
}

function markForeign() {
  for (const el of document.querySelectorAll(FOREIGN)) {
    const lang = textLang(el.textContent || "");
    if (lang && lang !== wanted) {
      if (el.getAttribute("lang") !== lang) el.setAttribute("lang", lang);
      if (el.getAttribute(FOREIGN_MARK) !== lang) el.setAttribute(FOREIGN_MARK, lang);
    } else if (el.hasAttribute(FOREIGN_MARK)) {
      el.removeAttribute("lang");
      el.removeAttribute(FOREIGN_MARK);
    }
  }
}

function region() {
  let r = document.getElementById(REGION_ID);
  if (!r) {
    r = document.createElement("div");
    r.id = REGION_ID;
    r.setAttribute("role", "status");
    r.setAttribute("aria-live", "polite");
    r.setAttribute("aria-atomic", "true");
    // visually hidden, still read
    r.style.cssText =
      "position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap";
    r.dataset.count = "0";
    document.body.appendChild(r);
  }
  return r;
}

/** Announce text politely, unless this gesture has had its announcement. */
function say(text) {
  const words = String(text || "").replace(/\s+/g, " ").trim().slice(0, 600);
  if (!words || spent === gesture) return false;
  spent = gesture;
  const r = region();
  r.textContent = ""; // emptied first: the same words again are still a change
  setTimeout(() => {
    r.textContent = words;
    said += 1;
    r.dataset.count = String(said);
    r.dataset.gesture = String(spent);
  }, 100);
  return true;
}

/** Streamlit's boxes are live regions of their own (role=alert / status): one voice instead. */
function quietAlerts() {
  for (const box of document.querySelectorAll(`${ALERTS}[role='alert'], ${ALERTS}[role='status']`)) {
    box.setAttribute("role", "note");
  }
}

/** An error or warning box that was not on the page at the last scan is said (the first one). */
function announceAlerts() {
  const now = new Set();
  let fresh = null;
  for (const box of document.querySelectorAll(ANNOUNCED)) {
    const body = box.querySelector("[data-testid='stMarkdownContainer']") || box;
    const text = (body.textContent || "").replace(/\s+/g, " ").trim();
    if (!text) continue;
    now.add(text);
    if (fresh === null && !alertsShown.has(text)) {
      const error = box.getAttribute("data-testid") === "stAlertContentError";
      fresh = error && texts.error_prefix ? `${texts.error_prefix} ${text}` : text;
    }
  }
  alertsShown = now;
  if (fresh !== null) say(fresh);
}

/** A character key (a letter, digit, punctuation, symbol or space) alone: a single-key shortcut's key. */
function characterKey(event) {
  if (event.ctrlKey || event.altKey || event.metaKey || typeof event.key !== "string") return false;
  return [...event.key].length === 1;
}

function stopShortcut(event) {
  if (!shortcuts && characterKey(event)) event.stopPropagation();
}

function scan() {
  raf = 0;
  markForeign();
  announceAlerts();
  for (const el of document.querySelectorAll(SCROLLERS)) {
    if (sizes && !watched.has(el)) {
      watched.add(el);
      sizes.observe(el);
    }
    const scrolls = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible";
    if (scrolls) {
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
      el.setAttribute("role", "group");
      el.setAttribute("aria-label", texts.formula_scroll || "Formula");
      el.setAttribute(MARK, "1");
    } else if (el.hasAttribute(MARK)) {
      for (const a of ["tabindex", "role", "aria-label", MARK]) el.removeAttribute(a);
    }
  }
}

function later() {
  if (!raf) raf = requestAnimationFrame(scan);
}

export default function ({ data }) {
  const lang = data && typeof data.lang === "string" ? data.lang : "";
  if (/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) {
    wanted = lang;
    applyLang();
  }
  if (data && data.texts) texts = data.texts;
  if (!langObserver && typeof MutationObserver !== "undefined") {
    langObserver = new MutationObserver(applyLang);
    langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
    pageObserver = new MutationObserver(() => {
      quietAlerts(); // at once, before the browser's accessibility tree sees a new alert
      later();
    });
    pageObserver.observe(document.body, { childList: true, subtree: true, characterData: true });
    window.addEventListener("resize", later);
    if (typeof ResizeObserver !== "undefined") sizes = new ResizeObserver(later);
    const bump = () => {
      gesture += 1;
    };
    document.addEventListener("pointerdown", bump, true);
    document.addEventListener("keydown", bump, true);
    document.body.addEventListener("keydown", stopShortcut); // bubble phase, below the document
    region();
    quietAlerts();
  }
  if (data && typeof data.shortcuts === "boolean") {
    shortcuts = data.shortcuts;
    document.documentElement.dataset.singleKeys = shortcuts ? "on" : "off";
  }
  const say_ = data && data.say;
  if (say_ && typeof say_.id === "string" && say_.id !== saidId) {
    saidId = say_.id;
    say(say_.text);
  }
  // a new language: the names change too
  for (const el of document.querySelectorAll(`[${MARK}]`)) el.setAttribute("aria-label", texts.formula_scroll || "Formula");
  later();
}
