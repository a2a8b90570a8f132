"""An experiment's fields: how each value of a lesson is written in a link and in a JSON file, and checked.

Each lesson declares its experiment as a tuple of fields (:data:`ui.nav.PageSpec.experiment`), in the
order their defaults depend on each other (the step-by-step page's matrices after its sentence, seed and
size). A field is named like the lesson's session key without its prefix (``seed`` → ``sbs_seed``), and
that key is also its URL parameter. Nothing here touches Streamlit: :mod:`ui.share.state` reads and
writes the session.

Encodings in a link (every character is URL-safe, so nothing is percent-encoded):

- numbers: the shortest decimal that round-trips (``repr``), ``true``/``false`` for switches;
- a matrix: ``1_0_1~0.5_1_0.5`` (cells by ``_``, rows by ``~``) or, when shorter, ``b3x4.`` and the
  base64url of its little-endian float64 bytes: both restore it bit for bit;
- a list of words: the parameter repeated (``?w2v_look=cat&w2v_look=dog``), as Streamlit binds a multiselect.

Every text a link or a file brings passes :func:`ui.values.check_text` (no control characters, no
bidi overrides, no lone surrogates), every number of a file :func:`ui.values.check_number` (finite,
``10**400`` included). Every parser raises ``ValueError`` for anything it does not accept (NaN, ±inf,
wrong shapes, too long, a refused character); the caller ignores that value and says so once.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ui.values import TEMPERATURE, check_number, check_text, real_text

State = Mapping[str, Any]
Default = Any | Callable[[State], Any]
#: Longest value of one URL parameter or JSON string we read (a 16 × 16 matrix of full-precision
#: numbers is ~5,000 characters; a Word2Vec corpus up to attention_core.limits.MAX_TEXT_CHARS).
MAX_VALUE_CHARS = 40_000
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$")
_INT = re.compile(r"^[+-]?\d{1,12}$")


def _one(raw: str | Sequence[str], multiline: bool = False) -> str:
    """The single value of a URL parameter (repeated: the last one, as Streamlit reads it), checked
    where it enters (:func:`ui.values.check_text`; ``multiline``: line feeds allowed)."""
    value = raw if isinstance(raw, str) else (raw[-1] if raw else "")
    if not isinstance(value, str) or len(value) > MAX_VALUE_CHARS:
        raise ValueError("too long")
    return check_text(value, multiline=multiline)


def parse_real(text: str) -> float:
    """A finite float written as a plain decimal number (no ``nan``, ``inf``, ``0x…``, ``1_0``)."""
    s = text.strip()
    if len(s) > 40 or not _NUMBER.match(s):
        raise ValueError("not a number")
    x = float(s)
    if not math.isfinite(x):
        raise ValueError("not finite")
    return x


@dataclass(frozen=True)
class Field:
    """One value of a lesson's experiment (subclasses say what kind).

    ``name``: the key without the lesson's prefix. ``default``: a value, or a function of the values
    of the fields before it. ``bound``: a widget with ``bind="query-params"`` holds it (Streamlit keeps
    the URL; the kit only checks what a link brings). ``when``: the field is part of the experiment only
    when this holds (e.g. the head shown, only with several heads); otherwise its parameter is ignored.
    ``store``: how the value sits in the session (``"key"``: under ``{prefix}_{name}``; the other kinds
    are handled by :mod:`ui.share.state`).
    """

    name: str
    default: Default = None
    bound: bool = False
    when: Callable[[State], bool] | None = None
    store: str = "key"

    def default_for(self, state: State) -> Any:
        return self.default(state) if callable(self.default) else self.default

    def active(self, state: State) -> bool:
        return self.when is None or bool(self.when(state))

    # -- subclasses
    def parse(self, raw: str | Sequence[str], state: State) -> Any:
        raise NotImplementedError

    def text(self, value: Any) -> str | list[str]:
        raise NotImplementedError

    def check(self, obj: Any, state: State) -> Any:
        """A value read from a JSON file (``ValueError`` when it is not one)."""
        raise NotImplementedError

    def plain(self, value: Any) -> Any:
        """The value as JSON (numbers stay numbers: json writes floats with ``repr``)."""
        return value

    def same(self, a: Any, b: Any) -> bool:
        return bool(a == b)


@dataclass(frozen=True)
class Flag(Field):
    """A switch: ``true``/``false``."""

    def parse(self, raw: str | Sequence[str], state: State) -> bool:
        s = _one(raw).lower()
        if s not in ("true", "false"):
            raise ValueError("not a switch")
        return s == "true"

    def text(self, value: Any) -> str:
        return "true" if value else "false"

    def check(self, obj: Any, state: State) -> bool:
        if not isinstance(obj, bool):
            raise ValueError("not a switch")
        return obj


@dataclass(frozen=True)
class Int(Field):
    """A whole number in [low, high] (``high`` may depend on the state)."""

    low: int = 0
    high: int | Callable[[State], int] = 0

    def _check(self, v: int, state: State) -> int:
        high = self.high(state) if callable(self.high) else self.high
        if not self.low <= v <= high:
            raise ValueError("out of range")
        return v

    def parse(self, raw: str | Sequence[str], state: State) -> int:
        s = _one(raw).strip()
        if not _INT.match(s):
            raise ValueError("not a whole number")
        return self._check(int(s), state)

    def text(self, value: Any) -> str:
        return str(int(value))

    def check(self, obj: Any, state: State) -> int:
        if isinstance(obj, bool) or not isinstance(obj, int):
            raise ValueError("not a whole number")
        return self._check(obj, state)


@dataclass(frozen=True)
class Real(Field):
    """A finite number in [low, high], rounded to ``digits`` decimals when given (as its control keeps it)."""

    low: float = 0.0
    high: float = 0.0
    digits: int | None = None

    def _check(self, v: float) -> float:
        if not self.low <= v <= self.high:
            raise ValueError("out of range")
        return round(v, self.digits) if self.digits is not None else v

    def parse(self, raw: str | Sequence[str], state: State) -> float:
        return self._check(parse_real(_one(raw)))

    def text(self, value: Any) -> str:
        return real_text(value)

    def check(self, obj: Any, state: State) -> float:
        return self._check(check_number(obj))


@dataclass(frozen=True)
class Temperature(Real):
    """The live view's temperature: a number on the slider's grid (snapped to it)."""

    def _check(self, v: float) -> float:
        if not TEMPERATURE.low <= v <= TEMPERATURE.high:
            raise ValueError("out of range")
        return TEMPERATURE.clean(v)


@dataclass(frozen=True)
class Text(Field):
    """A text (a sentence, a corpus) up to ``max_chars``, that :func:`ui.values.check_text` takes
    (``multiline``: with line feeds); shown as text, never as markup."""

    max_chars: int = 1000
    multiline: bool = False

    def _check(self, s: str) -> str:
        if len(s) > self.max_chars:
            raise ValueError("too long")
        return check_text(s, multiline=self.multiline)

    def parse(self, raw: str | Sequence[str], state: State) -> str:
        return self._check(_one(raw, self.multiline))

    def text(self, value: Any) -> str:
        return str(value)

    def check(self, obj: Any, state: State) -> str:
        if not isinstance(obj, str):
            raise ValueError("not a text")
        return self._check(obj)


@dataclass(frozen=True)
class Choice(Field):
    """One of a few language-neutral ids (a preset, a switch between two sources)."""

    options: tuple[Any, ...] = ()

    def parse(self, raw: str | Sequence[str], state: State) -> Any:
        s = _one(raw)
        for option in self.options:
            if str(option) == s:
                return option
        raise ValueError("not an option")

    def text(self, value: Any) -> str:
        return str(value)

    def check(self, obj: Any, state: State) -> Any:
        if isinstance(obj, bool) or obj not in self.options:
            raise ValueError("not an option")
        return obj


_TOKEN_CHARS = 100


def _word(s: object) -> str:
    if not isinstance(s, str) or not s or len(s) > _TOKEN_CHARS or any(c.isspace() for c in s):
        raise ValueError("not a word")
    return check_text(s)


@dataclass(frozen=True)
class Word(Field):
    """One word of the lesson's vocabulary (checked against it where the page knows it)."""

    def parse(self, raw: str | Sequence[str], state: State) -> str:
        return _word(_one(raw))

    def text(self, value: Any) -> str:
        return str(value)

    def check(self, obj: Any, state: State) -> str:
        return _word(obj)


@dataclass(frozen=True)
class Words(Field):
    """A list of words (or of word pairs ``"a b"`` when ``pairs``), at most ``max_items``."""

    max_items: int = 128
    pairs: bool = False

    def _item(self, s: object) -> str:
        if self.pairs:
            if not isinstance(s, str) or s.count(" ") != 1:
                raise ValueError("not a pair")
            a, b = s.split(" ")
            return f"{_word(a)} {_word(b)}"
        return _word(s)

    def _check(self, items: Sequence[object]) -> list[str]:
        if len(items) > self.max_items:
            raise ValueError("too many")
        return [self._item(s) for s in items]

    def parse(self, raw: str | Sequence[str], state: State) -> list[str]:
        items = [raw] if isinstance(raw, str) else list(raw)
        if sum(map(len, items)) > MAX_VALUE_CHARS:
            raise ValueError("too long")
        return self._check([s for s in items if s != ""])

    def text(self, value: Any) -> list[str]:
        return [str(s) for s in value]

    def check(self, obj: Any, state: State) -> list[str]:
        if not isinstance(obj, list):
            raise ValueError("not a list")
        return self._check(obj)

    def same(self, a: Any, b: Any) -> bool:
        return list(a or []) == list(b or [])


# --------------------------------------------------------------------------- matrices
def matrix_text(a: np.ndarray) -> str:
    """A matrix as the shorter of its two link encodings (both exact: see the module's docstring)."""
    m = np.atleast_2d(np.asarray(a, dtype=float))
    decimal = "~".join("_".join(real_text(x) for x in row) for row in m)
    packed = f"b{m.shape[0]}x{m.shape[1]}." + base64.urlsafe_b64encode(m.astype("<f8").tobytes()).decode().rstrip("=")
    return decimal if len(decimal) <= len(packed) else packed


_PACKED = re.compile(r"^b(\d{1,3})x(\d{1,3})\.([A-Za-z0-9_-]*)$")


def parse_matrix_text(text: str, max_rows: int, max_cols: int) -> np.ndarray:
    """The inverse of :func:`matrix_text`: a finite float64 matrix of at most ``max_rows`` × ``max_cols``."""
    if len(text) > MAX_VALUE_CHARS:
        raise ValueError("too long")
    packed = _PACKED.match(text)
    if packed:
        n, d = int(packed.group(1)), int(packed.group(2))
        if not (1 <= n <= max_rows and 1 <= d <= max_cols):
            raise ValueError("wrong shape")
        body = packed.group(3)
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (ValueError, TypeError) as exc:
            raise ValueError("not base64") from exc
        if len(raw) != 8 * n * d:
            raise ValueError("wrong size")
        m = np.frombuffer(raw, dtype="<f8").astype(float).reshape(n, d)
    else:
        rows = [r.split("_") for r in text.split("~")]
        if not rows or not 1 <= len(rows) <= max_rows or any(not 1 <= len(r) <= max_cols for r in rows):
            raise ValueError("wrong shape")
        if len({len(r) for r in rows}) != 1:
            raise ValueError("ragged rows")
        m = np.array([[parse_real(c) for c in r] for r in rows], dtype=float)
    if not np.isfinite(m).all():
        raise ValueError("not finite")
    return m


@dataclass(frozen=True)
class Positions(Words):
    """1-based positions as words (``"1"`` … ``"n"``), each at most once, n = ``high(state)``: e.g. the
    keys a learner hid in the masks lesson (n is its batch's padded length)."""

    high: Callable[[State], int] | int = 1

    def _in_range(self, items: list[str], state: State) -> list[str]:
        n = self.high(state) if callable(self.high) else self.high
        if len(set(items)) != len(items):
            raise ValueError("a position twice")
        for s in items:
            if not (s.isascii() and s.isdigit() and str(int(s)) == s and 1 <= int(s) <= n):
                raise ValueError("not a position")
        return items

    def parse(self, raw: str | Sequence[str], state: State) -> list[str]:
        return self._in_range(super().parse(raw, state), state)

    def check(self, obj: Any, state: State) -> list[str]:
        return self._in_range(super().check(obj, state), state)


@dataclass(frozen=True)
class Matrix(Field):
    """A matrix the learner edited: exact float64 values of a given shape (``shape(state)``), or any
    shape up to ``max_rows`` × ``max_cols`` when ``shape`` is None. Its editor's session key is
    ``editor(state)`` (the step-by-step editors are per seed)."""

    shape: Callable[[State], tuple[int, int] | None] | None = None
    max_rows: int = 16
    max_cols: int = 16
    editor: Callable[[State], str] | None = None
    sized: bool = False  # a sized editor (its row/column inputs follow the matrix)
    store: str = "matrix"

    def _check(self, m: np.ndarray, state: State) -> np.ndarray:
        want = self.shape(state) if self.shape is not None else None
        if want is not None and m.shape != tuple(want):
            raise ValueError("wrong shape")
        return m

    def parse(self, raw: str | Sequence[str], state: State) -> np.ndarray:
        return self._check(parse_matrix_text(_one(raw), self.max_rows, self.max_cols), state)

    def text(self, value: Any) -> str:
        return matrix_text(value)

    def check(self, obj: Any, state: State) -> np.ndarray:
        if (
            not isinstance(obj, list)
            or not 1 <= len(obj) <= self.max_rows
            or not all(isinstance(r, list) and 1 <= len(r) <= self.max_cols for r in obj)
            or len({len(r) for r in obj}) != 1
        ):
            raise ValueError("not a matrix")
        m = np.array([[check_number(x) for x in r] for r in obj], dtype=float)
        if not np.isfinite(m).all():
            raise ValueError("not finite")
        return self._check(m, state)

    def plain(self, value: Any) -> Any:
        return np.asarray(value, dtype=float).tolist()

    def same(self, a: Any, b: Any) -> bool:
        if a is None or b is None:
            return a is b
        x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return x.shape == y.shape and bool(np.array_equal(x, y))


@dataclass(frozen=True)
class Vector(Matrix):
    """A vector (one row) whose length follows the state, each entry in [low, high] (pooling's w)."""

    low: float = -math.inf
    high: float = math.inf
    store: str = "vector"

    def parse(self, raw: str | Sequence[str], state: State) -> np.ndarray:
        return self._range(super().parse(raw, state))

    def check(self, obj: Any, state: State) -> np.ndarray:
        return self._range(super().check([obj] if isinstance(obj, list) else obj, state))

    def _range(self, m: np.ndarray) -> np.ndarray:
        if m.shape[0] != 1 or ((m < self.low) | (m > self.high)).any():
            raise ValueError("out of range")
        return m[0]

    def _check(self, m: np.ndarray, state: State) -> np.ndarray:
        want = self.shape(state) if self.shape is not None else None
        if want is not None and m.shape != (1, want[0]):
            raise ValueError("wrong shape")
        return m

    def plain(self, value: Any) -> Any:
        return np.asarray(value, dtype=float).ravel().tolist()


@dataclass(frozen=True)
class Experiment:
    """A lesson's experiment: its fields, in the order their defaults depend on each other."""

    fields: tuple[Field, ...] = field(default_factory=tuple)

    def __iter__(self):
        return iter(self.fields)

    def get(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)
