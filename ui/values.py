"""Where a value enters the app: one check for every text and number a link, a JSON file or a text box brings.

Every text a link parameter, an imported file or a text box (a sentence, a corpus, a matrix typed as
text, a word) hands the app goes through :func:`check_text` once, where it enters
(:mod:`ui.share.fields` for links and files, the pages' text boxes for typed text); every number of
an imported file goes through :func:`check_number`. What they refuse:

- text that cannot be written as UTF-8: a lone surrogate (``"\\ud800"`` in a JSON file). It would
  break every later run of the page (Streamlit sends widget values as UTF-8);
- control characters: C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F). They are
  invisible, and they break the places text goes: a carriage return ends a markdown line, U+0001 is
  not allowed in XML (an SVG), a tab or CR at the start of a CSV cell starts a formula. Allowed:
  TAB (whitespace, as the tokenizer and the matrix parser read it) and, where a text may hold
  several lines (the Word2Vec corpus, a matrix typed as text; the sentence, whose words a line feed
  separates like a space), the line feed;
- bidirectional *overrides and isolates* (U+202A-U+202E, U+2066-U+2069): they make a text display
  in another order than it is stored ("Trojan Source" spoofing: a label that reads differently in
  the page, a CSV or a notebook). Arabic, Hebrew and mixed text need none of them (the Unicode
  bidi algorithm orders them), and the marks U+200E/U+200F stay allowed;
- numbers that are not finite (NaN, ±inf), or integers too large for a float (``10**400`` in a JSON
  file: ``float()`` raises ``OverflowError``).

A refused value raises :class:`BadValue`, an engine error (:class:`~attention_core.errors.AttentionLabError`,
so also a ``ValueError``) whose ``code`` picks the message ``error.<code>`` in the UI's language.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from attention_core.errors import AttentionLabError

#: Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: What a single-line text refuses: C0 but TAB, DEL, C1, the bidi controls, lone surrogates.
_SINGLE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: The same, with the line feed allowed (a text area).
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class BadValue(AttentionLabError):
    """A text or a number refused where it enters (see the module's docstring).

    Codes: ``text_encoding`` {char, pos}, ``text_control`` {char, pos}, ``text_bidi`` {char, pos},
    ``not_text``, ``not_number``, ``number_too_big``, ``number_not_finite``.
    ``pos`` is the 1-based position of the first refused character, ``char`` its code point (``U+0001``).
    """

    code = "invalid_input"


def code_point(ch: str) -> str:
    """``U+0001``: how a message names an invisible character."""
    return f"U+{ord(ch):04X}"


def check_text(value: Any, *, multiline: bool = False) -> str:
    """``value`` itself when it is a text the app takes (see the module's docstring), else :class:`BadValue`.

    ``multiline``: a line feed is allowed (a text of several lines, or one whose words it separates),
    else it is refused like any other control character.
    """
    if not isinstance(value, str):
        raise BadValue("not a text", code="not_text")
    bad = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    if bad is None:
        return value
    ch, pos = bad.group(), bad.start() + 1
    if "\ud800" <= ch <= "\udfff":
        raise BadValue(
            f"a lone surrogate {code_point(ch)} at {pos}", code="text_encoding", char=code_point(ch), pos=pos
        )
    if ch in BIDI_CONTROLS:
        raise BadValue(f"a bidi control {code_point(ch)} at {pos}", code="text_bidi", char=code_point(ch), pos=pos)
    raise BadValue(f"a control character {code_point(ch)} at {pos}", code="text_control", char=code_point(ch), pos=pos)


def check_number(value: Any) -> float:
    """``value`` as a finite float: an ``int`` or ``float`` (never a ``bool``), else :class:`BadValue`.

    A Python ``int`` beyond the float range (``10**400``, which ``json.loads`` reads exactly) is
    refused here, instead of raising ``OverflowError`` wherever it is first used as a float.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadValue("not a number", code="not_number")
    try:
        x = float(value)
    except OverflowError as exc:
        raise BadValue("beyond the float range", code="number_too_big") from exc
    if not math.isfinite(x):
        raise BadValue("not finite", code="number_not_finite")
    return x


def real_text(x: float) -> str:
    """The shortest decimal that round-trips, without ``+`` (``1e+20`` → ``1e20``; ``2.0`` → ``2``): how a
    number is written in a link (:mod:`ui.share.fields`) and in a notebook (:mod:`ui.export.recipes`)."""
    s = repr(float(x))
    if s.endswith(".0"):
        s = s[:-2]
    return s.replace("e+", "e")


@dataclass(frozen=True)
class TemperatureRange:
    """The Temperature slider's range, step and default, defined once for every lesson (the live view
    draws its slider with it; a link's or a file's temperature is cleaned onto its grid)."""

    low: float = 0.05
    high: float = 5.0
    step: float = 0.05
    default: float = 1.0

    def clean(self, value: object, fallback: float | None = None) -> float:
        """``value`` as a temperature on the slider's grid (low..high, a multiple of step), or
        ``fallback`` (default: the default temperature) when it is not a finite number."""
        fb = self.default if fallback is None else fallback
        if isinstance(value, bool):
            return fb
        try:
            v = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond the float range
            return fb
        if not math.isfinite(v):
            return fb
        v = min(self.high, max(self.low, v))
        return round(self.low + round((v - self.low) / self.step) * self.step, 10)

    def is_default(self, value: float) -> bool:
        """True at the notebooks' temperature (no division: softmax of the scores themselves)."""
        return float(value) == self.default


TEMPERATURE = TemperatureRange()
