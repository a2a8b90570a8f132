"""Word2Vec corpora as data: the Korean notebook's three, and three designed to show learning.

- The notebook's (:data:`NOTEBOOK_WORD2VEC_PRESETS`) keep the notebook's ``Word2Vec(...)`` call,
  gensim's defaults where it passed nothing (``sample=0.001``, ``alpha=0.025``), so they reproduce
  its setup. On corpora this small they learn almost nothing (``sample`` skips about 80-90 % of the
  tokens, and 5 epochs are few): the vectors move under 0.1 % from their random start.
- The designed ones (:data:`LEARNING_PRESETS`, English, Vietnamese, Korean) put words of three
  groups (animals, vehicles, foods) in identical contexts, and train with :data:`USER_DEFAULTS`:
  each group's words end up each other's nearest neighbours (``groups``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

Params = Mapping[str, float]


@dataclass(frozen=True)
class Word2VecPreset:
    """A Word2Vec corpus with its training parameters and attention words.

    ``params``: keyword arguments of :func:`attention_core.train_word2vec`; for the notebook's
    corpora, what its ``Word2Vec(...)`` call really used (gensim's defaults where it passed
    nothing). Its printed vectors came from an older gensim with unseeded hashing and are not
    reproducible; ours are deterministic instead. ``attend_tokens``: the keys/values the notebook
    attends over; ``value_word`` is set only for the single-key example (query 'fox', key 'hare',
    value 'squirrel'). ``groups``: words that share their contexts, expected to become each other's
    nearest neighbours (empty for the notebook's corpora): for the designed corpora the query word
    attends over a sentence holding one of its group mates, which takes almost all the weight.
    ``language``: the corpus' language.
    ``look_words`` and ``pairs``: the words a page labels and compares, and the pairs whose cosine
    it follows epoch by epoch (by default the groups' words, and each group's first two words
    plus one pair across groups).
    """

    id: str
    text: str
    lowercase: bool
    params: Params
    query_word: str
    attend_tokens: tuple[str, ...]
    value_word: str | None = None
    groups: tuple[tuple[str, ...], ...] = ()
    language: str = "en"
    look_words: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()

    @property
    def notebook(self) -> bool:
        """True for the notebook's own corpora (they keep the notebook's parameters)."""
        return not self.groups

    @property
    def watch_words(self) -> tuple[str, ...]:
        """The words to label and compare: ``look_words``, else every group's words."""
        return self.look_words or tuple(w for g in self.groups for w in g)

    @property
    def watch_pairs(self) -> tuple[tuple[str, str], ...]:
        """The pairs to follow: ``pairs``, else each group's first two words and one pair across groups."""
        if self.pairs or not self.groups:
            return self.pairs
        across = ((self.groups[0][0], self.groups[1][0]),) if len(self.groups) > 1 else ()
        return tuple((g[0], g[1]) for g in self.groups if len(g) > 1) + across


def _params(**kw: float) -> Params:
    return MappingProxyType(kw)


#: Defaults for a user's own few sentences, measured with gensim 4.4 on the designed corpora below
#: and on four cat/dog sentences (``CAT_DOG`` in the bench), seeds 1-10 (``python bench/word2vec_learning.py``; the tests in
#: ``tests/test_word2vec_learning.py`` check them): every group word's nearest neighbour is a group
#: mate (290 of 290), the vectors move 2,000-3,200 % from their random start, the similarity agreement
#: with the next seed is 0.64-0.98, and training takes 0.1-0.35 s on one core of a loaded 2-core
#: machine (as long again for the seed check). ``sample=0`` (no downsampling: on a few dozen tokens
#: every word counts as frequent), 200 epochs (the most the ``MAX_TRAINING_PASSES`` budget allows up to
#: 250 tokens), ``alpha=0.05`` (the original word2vec's learning rate for CBOW), a small
#: ``vector_size`` and ``window=2``, chosen by a search over 72 combinations (vector_size 5/10,
#: window 2/3/5, CBOW/skip-gram, 50/100/200 epochs, alpha 0.025/0.05, seeds 1-4): every combination
#: with 200 epochs and alpha 0.05 put each group word next to a group mate, and this one keeps CBOW,
#: the notebook's algorithm, with one of the widest margins.
USER_DEFAULTS: Params = _params(
    vector_size=10, window=2, min_count=1, sg=0, epochs=200, negative=5, seed=1, sample=0.0, alpha=0.05
)


def _notebook(**kw: float) -> Params:
    return _params(**kw, negative=5, seed=1, sample=0.001, alpha=0.025)


# --------------------------------------------------------------------------- the notebook's
WORD2VEC_ENGLISH = Word2VecPreset(
    id="english",
    text="\n".join(
        [
            "The quick brown fox jumps over the lazy dog",
            "A fast blue hare leaps over a sleepy hound",
            "The agile squirrel climbs up the tall oak tree",
            "A slow turtle crawls under the green bush",
            "The red bird flies across the blue sky",
        ]
    ),
    lowercase=True,
    params=_notebook(vector_size=4, window=3, min_count=1, sg=0, epochs=5),
    query_word="fox",
    attend_tokens=("hare",),
    value_word="squirrel",
    look_words=("fox", "dog", "hare", "hound", "squirrel", "turtle", "bird"),
    pairs=(("fox", "hare"), ("dog", "hound"), ("fox", "bird")),
)

WORD2VEC_KOREAN_CAT = Word2VecPreset(
    id="korean_cat",
    text="\n".join(["고양이 책 찾고 싶어요", "강아지 책 찾고 싶어요", "호랑이 책 찾고 싶어요"]),
    lowercase=False,
    # The notebook's comment says window=3, but its call passes no window: gensim's 5.
    params=_notebook(vector_size=3, window=5, min_count=1, sg=0, epochs=5),
    query_word="고양이",
    attend_tokens=("고양이", "책", "찾고", "싶어요"),
    language="ko",
    look_words=("고양이", "강아지", "호랑이", "책", "찾고", "싶어요"),
    pairs=(("고양이", "강아지"), ("고양이", "호랑이"), ("고양이", "책")),
)

WORD2VEC_KOREAN_FRUIT = Word2VecPreset(
    id="korean_fruit",
    text="\n".join(["나는 사과를 좋아해", "너는 바나나를 싫어해", "그는 포도를 먹었어"]),
    lowercase=False,
    params=_notebook(vector_size=3, window=3, min_count=1, sg=0, epochs=5),
    query_word="나는",
    attend_tokens=("나는", "사과를", "좋아해"),
    language="ko",
    look_words=("나는", "너는", "그는", "사과를", "바나나를", "포도를"),
    pairs=(("사과를", "바나나를"), ("나는", "너는"), ("나는", "사과를")),
)


# --------------------------------------------------------------------------- designed to learn
def _lines(*templates: tuple[str, tuple[str, ...]]) -> str:
    """Every template (a sentence with ``{}``) filled with each of its words, one sentence a line."""
    return "\n".join(line.format(w) for line, words in templates for w in words)


_ANIMALS_EN, _VEHICLES_EN, _FOODS_EN = ("cat", "dog", "rabbit"), ("bus", "train", "boat"), ("bread", "noodles", "rice")
WORD2VEC_LEARN_EN = Word2VecPreset(
    id="learn_en",
    text=_lines(
        ("the {} sleeps on the sofa", _ANIMALS_EN),
        ("the {} runs in the garden", _ANIMALS_EN),
        ("we take the {} to school", _VEHICLES_EN),
        ("the {} arrives at the station", _VEHICLES_EN),
        ("i eat {} for breakfast", _FOODS_EN),
        ("we buy {} at the shop", _FOODS_EN),
    ),
    lowercase=True,
    params=USER_DEFAULTS,
    query_word="noodles",
    attend_tokens=("i", "eat", "bread", "for", "breakfast"),
    groups=(_ANIMALS_EN, _VEHICLES_EN, _FOODS_EN),
)

_ANIMALS_VI, _VEHICLES_VI, _FOODS_VI = ("mèo", "chó", "thỏ"), ("xe", "tàu", "thuyền"), ("cơm", "phở", "bún")
WORD2VEC_LEARN_VI = Word2VecPreset(
    id="learn_vi",
    text=_lines(
        ("con {} ngủ trên ghế", _ANIMALS_VI),
        ("con {} chạy ngoài sân", _ANIMALS_VI),
        ("tôi đi {} đến trường", _VEHICLES_VI),
        ("tôi chờ {} ở bến", _VEHICLES_VI),
        ("tôi ăn {} với mẹ", _FOODS_VI),
        ("mẹ nấu {} ở nhà", _FOODS_VI),
    ),
    lowercase=True,
    params=USER_DEFAULTS,
    query_word="phở",
    attend_tokens=("tôi", "ăn", "cơm", "với", "mẹ"),
    groups=(_ANIMALS_VI, _VEHICLES_VI, _FOODS_VI),
    language="vi",
)

_ANIMALS_KO, _VEHICLES_KO, _FOODS_KO = (
    ("고양이가", "강아지가", "토끼가"),
    ("버스를", "기차를", "배를"),
    ("빵을", "국수를", "떡을"),
)
WORD2VEC_LEARN_KO = Word2VecPreset(
    id="learn_ko",
    text=_lines(
        ("{} 소파에서 잔다", _ANIMALS_KO),
        ("{} 마당에서 뛴다", _ANIMALS_KO),
        ("{} 타고 학교에 간다", _VEHICLES_KO),
        ("{} 타고 시장에 간다", _VEHICLES_KO),
        ("아침에 {} 먹는다", _FOODS_KO),
        ("가게에서 {} 샀다", _FOODS_KO),
    ),
    lowercase=False,
    params=USER_DEFAULTS,
    query_word="국수를",
    attend_tokens=("아침에", "빵을", "먹는다"),
    groups=(_ANIMALS_KO, _VEHICLES_KO, _FOODS_KO),
    language="ko",
)

LEARNING_PRESETS: tuple[Word2VecPreset, ...] = (WORD2VEC_LEARN_EN, WORD2VEC_LEARN_VI, WORD2VEC_LEARN_KO)
NOTEBOOK_WORD2VEC_PRESETS: tuple[Word2VecPreset, ...] = (WORD2VEC_ENGLISH, WORD2VEC_KOREAN_CAT, WORD2VEC_KOREAN_FRUIT)
#: Every corpus, the designed ones first (the page starts with the one in the UI's language).
WORD2VEC_PRESETS: tuple[Word2VecPreset, ...] = LEARNING_PRESETS + NOTEBOOK_WORD2VEC_PRESETS
