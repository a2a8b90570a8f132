"""Text handling: Unicode normalisation, whitespace tokenisation, vocabulary.

Tokenisation is deliberately the seeds' own: split on whitespace, so Korean
eojeol ("고양이", "싶어요") and Vietnamese syllables ("Tôi", "thích") stay whole.
Text is first put in Unicode NFC, so a Vietnamese word typed with combining
accents (decomposed, NFD) and the same word typed precomposed are one token.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from .errors import EmptyTextError

# Zero-width characters: U+200B (zero-width space) separates words like a space;
# U+FEFF (BOM / zero-width no-break space) and U+2060 (word joiner) are invisible
# and carry no meaning here, so they are dropped. ZWJ/ZWNJ (U+200D/U+200C) are
# kept: they are part of emoji sequences and of some scripts' spelling.
_ZW_TABLE = {0x200B: " ", 0xFEFF: None, 0x2060: None}


def normalize(text: str, *, lowercase: bool = False) -> str:
    """Return ``text`` in Unicode NFC, zero-width spaces made spaces, optionally lower-cased.

    Shapes: str -> str.
    """
    text = unicodedata.normalize("NFC", text.translate(_ZW_TABLE))
    return text.lower() if lowercase else text


def _visible(token: str) -> bool:
    """False for a token made only of invisible format characters (ZWJ, ZWNJ, direction marks…)."""
    return any(unicodedata.category(ch) != "Cf" for ch in token)


def tokenize(text: str, *, lowercase: bool = False) -> list[str]:
    """Split normalised ``text`` on whitespace.

    Shapes: str -> list of n tokens (n >= 0). Never raises; an empty list means no token.
    A "token" made only of invisible characters (e.g. a lone zero-width joiner or a
    right-to-left mark) is not a word and is dropped.
    """
    return [tok for tok in normalize(text, lowercase=lowercase).split() if _visible(tok)]


def tokenize_lines(text: str, *, lowercase: bool = False) -> list[list[str]]:
    """One token list per non-blank line, as Word2Vec wants its corpus.

    Shapes: str -> list of m sentences, each a non-empty list of tokens.
    """
    return [toks for line in text.splitlines() if (toks := tokenize(line, lowercase=lowercase))]


def require_tokens(tokens: Sequence[str]) -> None:
    """Raise :class:`EmptyTextError` when ``tokens`` is empty."""
    if len(tokens) == 0:
        raise EmptyTextError("the text holds no word: type at least one word")


def cap(tokens: Sequence[str], limit: int) -> tuple[list[str], bool]:
    """Keep the first ``limit`` tokens.

    Shapes: n tokens -> (min(n, limit) tokens, whether any were cut).
    """
    return list(tokens[:limit]), len(tokens) > limit


def cap_sentences(sentences: Sequence[Sequence[str]], limit: int) -> tuple[list[list[str]], bool]:
    """Keep the first ``limit`` tokens of a corpus, cutting the sentence that crosses the limit.

    Shapes: m sentences with N tokens in all -> (m' <= m non-empty sentences with
    min(N, limit) tokens in all, whether any token was cut).
    """
    out: list[list[str]] = []
    left = max(int(limit), 0)
    for sentence in sentences:
        if left == 0:
            break
        part = list(sentence[:left])
        if part:
            out.append(part)
            left -= len(part)
    return out, sum(len(s) for s in sentences) > limit


def build_vocab(tokens: Iterable[str]) -> dict[str, int]:
    """Vocabulary in first-occurrence order: ``{token: index}``, as seed 000 writes it by hand.

    Shapes: n tokens -> dict of v <= n distinct tokens, indices 0..v-1.
    """
    vocab: dict[str, int] = {}
    for tok in tokens:
        vocab.setdefault(tok, len(vocab))
    return vocab
