"""Hypothesis strategies for the property-based tests of links and imported files (issue 19), and the
example budgets.

Budgets: ``ATTENTION_LAB_EXAMPLES`` picks one of :data:`BUDGETS` (``ci``, ``local``, ``deep``). Without
it, ``ci`` when ``CI`` is true (what ``.ci/run`` sets), else ``local``. A page-level example opens a
lesson in AppTest (one to three runs, a Word2Vec training on the lab), a parse-level one only calls
the parsers: see docs/security.md ("How it is tested").

What is generated, from each lesson's declared fields (``pages.PAGES[*].experiment``) and nothing else:

- a *valid* value per field, drawn field by field with the values before it (an Int's upper bound,
  a Matrix's shape, a field's ``when`` may depend on them): text from any Unicode but the refused
  characters, numbers of any finite size in range, matrices of the right (or any allowed) shape;
- a *hostile* value per field: text holding at least one control, bidi or (in files) surrogate
  character, numbers that are not finite or beyond the float range (``10**400``), wrong types and
  shapes; unknown keys whose names are hostile text (markdown, line breaks, controls).

The oracle for "hostile" is independent of ``ui.values``: :data:`FORBIDDEN` lists the characters.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from labdev.env import in_ci
from ui.share.fields import (
    Choice,
    Field,
    Flag,
    Int,
    Matrix,
    Positions,
    Real,
    Temperature,
    Text,
    Vector,
    Word,
    Words,
)
from ui.share.state import RESERVED

# --------------------------------------------------------------------------- budgets
#: examples per test: (page level: each example opens a lesson in AppTest, parse level: parsers only)
BUDGETS = {"ci": (5, 100), "local": (25, 1000), "deep": (100, 10_000)}


def budget_name() -> str:
    name = os.environ.get("ATTENTION_LAB_EXAMPLES", "").strip().lower()
    if name:
        if name not in BUDGETS:
            raise ValueError(f"ATTENTION_LAB_EXAMPLES={name!r}: one of {sorted(BUDGETS)}")
        return name
    return "ci" if in_ci() else "local"


_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
for _name, (_pages, _parse) in BUDGETS.items():  # Hypothesis settings profiles, one pair per budget
    _common = {"deadline": None, "derandomize": _name == "ci", "print_blob": True}  # CI: the same examples every run
    settings.register_profile(
        f"attention-lab-{_name}-pages",
        max_examples=_pages,
        suppress_health_check=[*_SLOW, HealthCheck.function_scoped_fixture],
        # CI reports a failing example as drawn: shrinking it costs minutes of AppTest runs (locally it shrinks)
        phases=[p for p in Phase if p != Phase.shrink] if _name == "ci" else list(Phase),
        **_common,
    )
    settings.register_profile(f"attention-lab-{_name}-parse", max_examples=_parse, suppress_health_check=_SLOW, **_common)
PAGE_SETTINGS = settings.get_profile(f"attention-lab-{budget_name()}-pages")
PARSE_SETTINGS = settings.get_profile(f"attention-lab-{budget_name()}-parse")


# --------------------------------------------------------------------------- characters
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
C0 = "".join(chr(c) for c in range(0x20))
C1 = "".join(chr(c) for c in range(0x80, 0xA0))
SURROGATES = "\ud800\udbff\udc00\udfff\udabc"
#: Characters no text may hold where it enters (TAB is whitespace; LF only where several lines are allowed).
FORBIDDEN = frozenset((C0.replace("\t", "").replace("\n", "")) + "\x7f" + C1 + BIDI + SURROGATES)
#: What a URL can carry: a link is bytes, decoded as UTF-8 with replacement, so no lone surrogate.
FORBIDDEN_IN_LINKS = "".join(sorted(FORBIDDEN - set(SURROGATES)))


def forbidden(text: str, *, newlines: bool) -> bool:
    """True when ``text`` holds a character the app must refuse (the oracle)."""
    return any(c in FORBIDDEN or (c == "\n" and not newlines) for c in text)


#: Any character a text may hold: every category but controls and surrogates, minus the bidi controls;
#: markup, emoji, RTL, zero-width and combining characters included.
_SAFE_CHAR = st.one_of(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=BIDI),
    st.sampled_from("<>&\"'`*_[]()!#$:\\ "),
)
_WORD_CHAR = _SAFE_CHAR.filter(lambda c: not c.isspace())


def safe_text(max_size: int, *, newlines: bool = False) -> st.SearchStrategy[str]:
    extra = st.sampled_from("\t\n" if newlines else "\t")
    return st.text(st.one_of(_SAFE_CHAR, extra), max_size=max_size)


def safe_word(max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(_WORD_CHAR, min_size=1, max_size=max_size)


def hostile_text(*, links: bool, min_size: int = 0) -> st.SearchStrategy[str]:
    """Text with at least one refused character (a surrogate only where the text is not a link)."""
    bad = FORBIDDEN_IN_LINKS if links else "".join(sorted(FORBIDDEN))
    markup = st.sampled_from(["", "\r\r![](http://127.0.0.1:9/a)", "\n\n## Session expired", "[x](//evil)"])
    return st.builds(
        lambda a, c, m, b: a + c + m + b,
        safe_text(6),
        st.sampled_from(bad),
        markup,
        safe_text(6),
    ).filter(lambda s: len(s) >= min_size)


# --------------------------------------------------------------------------- numbers
FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)
HUGE_INTS = st.integers(309, 1000).flatmap(lambda k: st.sampled_from([10**k, -(10**k), 7 * 10**k + 1]))


def _high(f: Int, state: dict[str, Any]) -> int:
    return f.high(state) if callable(f.high) else f.high


# --------------------------------------------------------------------------- valid values
def valid_value(f: Field, state: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value ``f`` takes with the values before it in ``state`` (the field is active there)."""
    if isinstance(f, Flag):
        return st.booleans()
    if isinstance(f, Int):
        return st.integers(f.low, _high(f, state))
    if isinstance(f, Temperature):
        from ui.live_attention import TEMPERATURE

        return st.floats(TEMPERATURE.low, TEMPERATURE.high).map(TEMPERATURE.clean)
    if isinstance(f, Real):
        return st.floats(f.low, f.high, allow_nan=False)  # rounded to ``digits`` by the parsers
    if isinstance(f, Text):
        return safe_text(min(f.max_chars, 80), newlines=f.multiline)
    if isinstance(f, Choice):
        return st.sampled_from([o for o in f.options])
    if isinstance(f, Positions):
        n = f.high(state) if callable(f.high) else f.high
        return st.lists(st.integers(1, n).map(str), unique=True, max_size=min(f.max_items, n, 4))
    if isinstance(f, Words):
        item = st.builds(lambda a, b: f"{a} {b}", safe_word(), safe_word()) if f.pairs else safe_word()
        return st.lists(item, max_size=min(f.max_items, 4))
    if isinstance(f, Word):
        return safe_word()
    if isinstance(f, Vector):
        n = int(np.shape(state["x"])[1])
        return st.lists(st.floats(f.low, f.high, allow_nan=False), min_size=n, max_size=n).map(np.array)
    if isinstance(f, Matrix):
        want = f.shape(state) if f.shape is not None else None
        shapes = (
            st.just(tuple(want))
            if want is not None
            else st.tuples(st.integers(1, min(f.max_rows, 5)), st.integers(1, min(f.max_cols, 5)))
        )
        cell = st.one_of(st.floats(-10, 10, allow_nan=False), FINITE)
        return shapes.flatmap(
            lambda s: st.lists(st.lists(cell, min_size=s[1], max_size=s[1]), min_size=s[0], max_size=s[0])
        ).map(lambda rows: np.array(rows, dtype=float))
    raise TypeError(f"no strategy for {type(f).__name__}")


# --------------------------------------------------------------------------- hostile values
def hostile_link_value(f: Field) -> st.SearchStrategy[str | list[str]]:
    """A link value ``f`` must refuse, whatever the other values."""
    text = hostile_text(links=True)
    if isinstance(f, Text):
        return text
    if isinstance(f, Words):
        return st.lists(hostile_text(links=True, min_size=1), min_size=1, max_size=3)
    if isinstance(f, Word | Choice):
        return st.one_of(text, st.just(""))
    not_numbers = ["", "nan", "inf", "-inf", "1e999", "-1e999", "9" * 400, "0x10", "true"]
    if isinstance(f, Matrix):  # ("1_0" is a 1 × 2 matrix)
        return st.one_of(text, st.sampled_from([*not_numbers, "nan_1", "1_2~3", "b1x1.!!!!", "1e999_0"]))
    numbers = st.sampled_from([*not_numbers, "1_0"])
    if isinstance(f, Flag):
        return st.one_of(text, st.sampled_from(["", "1", "yes", "TRUE!", "nan"]))
    return st.one_of(text, numbers)


def hostile_file_value(f: Field) -> st.SearchStrategy[Any]:
    """A JSON value ``f`` must refuse in an imported file."""
    text = hostile_text(links=False)
    big = HUGE_INTS
    wrong = st.sampled_from([None, [], {}, "1", True, [[True]], [[None]], ["a"], 1.5])
    if isinstance(f, Text):
        return st.one_of(text, st.just(None), st.just(1))
    if isinstance(f, Words):
        return st.one_of(st.lists(hostile_text(links=False, min_size=1), min_size=1, max_size=3), st.just("a"))
    if isinstance(f, Word):
        return st.one_of(text, st.just(""), big)
    if isinstance(f, Choice):
        return st.one_of(text, big, st.just(True))
    if isinstance(f, Flag):
        return st.one_of(text, big, st.sampled_from([0, 1, "true", None]))
    if isinstance(f, Int):
        return st.one_of(big, st.sampled_from([1.5, "3", True, None]), text)
    if isinstance(f, Vector):
        return st.one_of(st.lists(big, min_size=1, max_size=4), st.just([["x"]]), text)
    if isinstance(f, Matrix):
        return st.one_of(
            st.lists(st.lists(big, min_size=1, max_size=3), min_size=1, max_size=3),
            st.just([[1.0, 2.0], [3.0]]),
            st.just([[True, 0.0]]),
            text,
        )
    if isinstance(f, Real):  # Temperature included
        return st.one_of(big, st.sampled_from(["1", None, True, [1.0]]), text)
    return st.one_of(text, wrong)


def unknown_key(known: set[str]) -> st.SearchStrategy[str]:
    """A parameter or input name no lesson knows: hostile text (markup, line breaks, controls)."""
    return st.one_of(hostile_text(links=True, min_size=1), safe_word(8)).filter(
        lambda k: k not in known and k not in RESERVED and k.strip() == k and k.lower() not in ("embed", "embed_options")
    )


# --------------------------------------------------------------------------- plans
@dataclass
class Plan:
    """What a generated link or file holds: ``raw`` (parameters or inputs), the field names given a
    valid value (``valid``: name → value), and the parameter keys or input names that must be refused."""

    raw: dict[str, Any] = field(default_factory=dict)
    valid: dict[str, Any] = field(default_factory=dict)
    bad: list[str] = field(default_factory=list)


def _default(f: Field, state: dict[str, Any]) -> Any:
    try:
        return f.default_for(state)
    except Exception:  # noqa: BLE001 - as ui.share.state: no default for these values
        return None


def _active(f: Field, state: dict[str, Any]) -> bool:
    try:
        return f.active(state)
    except Exception:  # noqa: BLE001
        return False


def plan(
    draw: Callable[[st.SearchStrategy[Any]], Any], spec: Any, *, link: bool, hostile_rate: float = 0.35
) -> Plan:
    """A link (``link``) or a file's inputs for lesson ``spec``: each field absent, valid or hostile."""
    p = Plan()
    state: dict[str, Any] = {}
    kinds = st.sampled_from(["absent", "valid", "valid", "hostile"] if hostile_rate > 0 else ["absent", "valid"])
    for f in spec.experiment:
        key = spec.key(f.name) if link else f.name
        active = _active(f, state)
        kind = draw(kinds)
        if not link and not active:
            kind = "absent"  # a file's value for a field not in the experiment is ignored, never read
        if kind == "valid" and active:
            value = draw(valid_value(f, state))
            p.valid[f.name] = value
            p.raw[key] = f.text(value) if link else f.plain(value)
            state[f.name] = _canonical(f, value, state, link)
            continue
        if kind == "hostile" or (kind == "valid" and link):  # a link's value for an inactive field is refused too
            if kind == "hostile":
                p.raw[key] = draw(hostile_link_value(f) if link else hostile_file_value(f))
            else:  # a value that would be valid, for a field that is not part of the experiment now
                p.raw[key] = f.text(draw(valid_value(f, state))) if _can_draw(f, state) else "1"
                if p.raw[key] == []:
                    p.raw[key] = ["word"]  # (an empty list is no parameter at all)
            p.bad.append(key)
        state[f.name] = _default(f, state)
    known = {spec.key(f.name) if link else f.name for f in spec.experiment}
    for name in draw(st.lists(unknown_key(known), max_size=2, unique=True)) if hostile_rate > 0 else []:
        if name not in p.raw:
            p.raw[name] = draw(st.one_of(safe_text(8), hostile_text(links=True))) if link else draw(
                st.one_of(st.integers(), safe_text(8))
            )
            p.bad.append(name)
    return p


def _can_draw(f: Field, state: dict[str, Any]) -> bool:
    try:
        valid_value(f, state)
        return not isinstance(f, Matrix) or f.shape is None or f.shape(state) is not None
    except Exception:  # noqa: BLE001 - e.g. a shape from values that make none
        return False


def _canonical(f: Field, value: Any, state: dict[str, Any], link: bool) -> Any:
    """The value as the app reads it back (a link's text parsed, a file's JSON checked)."""
    return f.parse(f.text(value), state) if link else f.check(f.plain(value), state)


def same(f: Field, a: Any, b: Any) -> bool:
    if isinstance(f, Real) and a is not None and b is not None and not isinstance(f, Temperature):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=0)
    return f.same(a, b)
