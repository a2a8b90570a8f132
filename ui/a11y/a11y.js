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
//   data.lang: "en" | "vi" | "ko"
//   data.texts.formula_scroll: the name of a formula that scrolls
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

function applyLang() {
  const root = document.documentElement;
  if (wanted && root.getAttribute("lang") !== wanted) root.setAttribute("lang", wanted);
}

function scan() {
  raf = 0;
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
  texts = (data && data.texts) || {};
  if (!langObserver && typeof MutationObserver !== "undefined") {
    langObserver = new MutationObserver(applyLang);
    langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
    pageObserver = new MutationObserver(later);
    pageObserver.observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", later);
    if (typeof ResizeObserver !== "undefined") sizes = new ResizeObserver(later);
  }
  // a new language: the names change too
  for (const el of document.querySelectorAll(`[${MARK}]`)) el.setAttribute("aria-label", texts.formula_scroll || "Formula");
  later();
}
