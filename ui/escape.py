"""Where a value leaves the app: one escaping function per output format, used everywhere.

User text (sentences, tokens, words, labels; a link's parameter *names*, a ``?lang=`` value, an imported
file's keys, lesson and version) is escaped for the format it goes to, however it got in:

- markdown (messages, captions, explanations, column tooltips): :func:`md_code`, a code span with
  every line break CommonMark or a browser knows turned into a space, so nothing inside is read as
  markup (no heading, link, image, HTML, ``$math$`` or ``:colour[]``), and no character that could
  break out of it or reorder the message around it;
- plotly labels (in the page and in the SVG plotly exports): :func:`plot_label`, HTML-escaped (plotly
  reads ``<b>``, ``<a href>``) with the characters XML forbids replaced;
- CSV cells: :func:`csv_label`, a leading ``'`` for a label a spreadsheet would read as a formula;
- SVG/XML built in the browser: ``xmlText`` in ``ui/live_attention/export.js`` (the same rules
  as :func:`xml_text` here);
- notebooks: Python literals through ``repr`` (``ui/export/recipes.py``), which escapes every control,
  bidi and unpaired surrogate character.

Nothing here imports Streamlit or translates.
"""

from __future__ import annotations

import html
import re

#: The replacement character: what a character that must not be shown becomes.
REPLACEMENT = "\ufffd"
#: Every line break: CommonMark's (LF, CR, CR LF), and those a browser or a JS regex also breaks a
#: line at (VT, FF, NEL, LINE and PARAGRAPH SEPARATOR).
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
#: Other characters that must not be shown: C0 and C1 controls, DEL, bidi controls, lone surrogates,
#: and the noncharacters U+FFFE, U+FFFF (XML forbids them: plotly's SVG export would carry them).
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
#: What XML 1.0 forbids: C0 but TAB, LF, CR; lone surrogates; U+FFFE, U+FFFF.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: A spreadsheet reads a cell starting with these as a formula (OWASP "CSV injection"), full-width forms too.
CSV_FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def shorten(text: str, n: int = 24) -> str:
    """Cut ``text`` to ``n`` characters with an ellipsis."""
    return text if len(text) <= n else text[: n - 1] + "…"


def plain_line(text: str) -> str:
    """``text`` on one line with nothing invisible: line breaks → spaces, TAB → space, every other
    control, bidi control, lone surrogate or U+FFFE/U+FFFF → U+FFFD."""
    return _INVISIBLE.sub(REPLACEMENT, _LINE_BREAK.sub(" ", str(text)).replace("\t", " "))


def md_code(text: str, n: int = 40) -> str:
    """User text as a markdown code span, cut to ``n`` characters: shown literally (no HTML, links,
    images, headings, $math$ or :colour[]), on one line (see :func:`plain_line`)."""
    s = plain_line(shorten(str(text), n))
    longest = 0
    run = 0
    for ch in s:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    if not s:
        return "` `"
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def xml_text(text: str) -> str:
    """Text for XML/SVG content or an attribute: what XML forbids → U+FFFD, then ``& < > " '`` escaped."""
    return html.escape(_NOT_XML.sub(REPLACEMENT, str(text)), quote=True)


def plot_label(text: str, n: int = 24) -> str:
    """A label safe for plotly and the SVG it exports: on one line with nothing invisible
    (:func:`plain_line`: XML forbids C0 controls), HTML-escaped (plotly reads <b>, <a href>…), cut to
    ``n`` characters. A label wrapped in ``$…$`` would be typeset as LaTeX: a zero-width space in
    front stops that."""
    s = html.escape(plain_line(shorten(str(text), n)), quote=False)
    return "\u200b" + s if s.startswith("$") else s


def csv_label(text: str) -> str:
    """A label for a CSV cell: one a spreadsheet would run as a formula (it starts with ``= + - @``,
    a TAB or a CR, or their full-width forms) gets a leading ``'``. Number cells are not labels:
    they are written as numbers."""
    s = str(text)
    return "'" + s if s[:1] in CSV_FORMULA_START else s
