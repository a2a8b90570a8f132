"""Each lesson's experiment as a notebook: markdown per step (in the UI's language) and code that
recomputes the page's numbers with ``attention_core`` and numpy, the learner's inputs written in.

A :class:`Recipe` is plain data: its code cells are what the notebook runs, and what
:func:`run` executes here to fill the JSON file and the CSV tables, so the three carry the same
numbers. Values enter the code only as Python literals (``repr`` of strings, which escapes every
control, bidi and unpaired surrogate character; the shortest exact decimal of every float), never as
code. Markdown cells hold only the catalog's words, never user text.

The Word2Vec recipe trains (``ac.train_word2vec``): on the server, :func:`run` takes the trainer
to use instead (``ui.word2vec_cache.train_word2vec``: the page's own cached model, trained under
the same slot semaphore when not cached yet), so an export never trains a model twice.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import attention_core as ac
from attention_core.limits import KV_MAX_TOKENS, MAX_CORPUS_TOKENS, MAX_SEQUENCE_TOKENS, MAX_TEXT_CHARS
from attention_core.presets import LIBRARY, MASKS
from ui.format import dim_labels, unique_labels
from ui.i18n import BOOK_KEYS, text_in
from ui.values import real_text
from ui.word_order import shuffle_order

#: A table a lesson exports: its name, the (n, d) numbers, row and column labels.
Table = tuple[str, np.ndarray, list[str], list[str]]


@dataclass(frozen=True)
class Recipe:
    """A lesson's notebook: ``cells`` (kind, source) after the common setup, and which of the
    namespace's arrays are its tables (``tables(namespace)``)."""

    title: str
    cells: list[tuple[str, str]]
    tables: Callable[[Mapping[str, Any]], list[Table]]
    notes: list[str] = field(default_factory=list)
    #: how the code cell printing the weights the live view shows ends (the notebook's test compares
    #: what it prints with the page), and the one printing the output (None: the lesson has none)
    prints_weights: str = "print(r.weights)"
    prints_output: str | None = "print(r.output)"


# --------------------------------------------------------------------------- literals
def num(x: float) -> str:
    """A float literal that reads back exactly (``1.0``, ``0.1``, ``1e-07``)."""
    s = real_text(float(x))
    return s if any(c in s for c in ".e") else s + ".0"


def array(a: Any) -> str:
    """``np.array([[…], …])`` of float64, every number exact."""
    m = np.asarray(a, dtype=float)
    if m.ndim == 1:
        return "np.array([" + ", ".join(num(x) for x in m) + "])"
    rows = ",\n    ".join("[" + ", ".join(num(x) for x in row) + "]" for row in m)
    return "np.array([\n    " + rows + ",\n])"


def rows2(a: Any) -> np.ndarray:
    return np.atleast_2d(np.asarray(a, dtype=float))


# --------------------------------------------------------------------------- query / key / value lessons
def _qkv(state: Mapping[str, Any], lang: str, *, title: str, q_rows: list[str], k_rows: list[str]) -> Recipe:
    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    inputs = "\n".join(
        [
            f"query = {array(state['q'])}",
            f"keys = {array(state['k'])}",
            f"values = {array(state['v'])}",
            f"scale = {bool(state['scale'])!r}  # divide by √d_k",
            f"temperature = {num(state['temperature'])}",
        ]
    )
    cells = [
        ("markdown", tr("nb.inputs")),
        ("code", inputs),
        ("markdown", tr("nb.qkv_scores")),
        ("code", "r = ac.attention(query, keys, values, scale=scale, temperature=temperature)\nprint(r.scores)"),
        ("markdown", tr("nb.qkv_scaled")),
        ("code", "print(r.logits)"),
        ("markdown", tr("nb.qkv_weights")),
        ("code", "print(r.weights)"),
        ("markdown", tr("nb.qkv_output")),
        ("code", "print(r.output)"),
    ]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        r = ns["r"]
        d_k, d_v = dim_labels(r.k.shape[1]), dim_labels(r.v.shape[1])
        return [
            ("query", rows2(r.q), q_rows, d_k),
            ("keys", rows2(r.k), k_rows, d_k),
            ("values", rows2(r.v), k_rows, d_v),
            ("scores", rows2(r.scores), q_rows, k_rows),
            ("logits", rows2(r.logits), q_rows, k_rows),
            ("weights", rows2(r.weights), q_rows, k_rows),
            ("output", rows2(r.output), q_rows, d_v),
        ]

    return Recipe(title, cells, tables)


def home(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    values = {"q": LIBRARY.query, "k": LIBRARY.keys, "v": LIBRARY.values, "scale": LIBRARY.scale, **state}
    books = [text_in(lang, BOOK_KEYS[b]) for b in LIBRARY.book_ids]
    return _qkv(
        values, lang, title=text_in(lang, "nav.home"), q_rows=[text_in(lang, "library.request_row")], k_rows=books
    )


def library(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    books = [text_in(lang, BOOK_KEYS[b]) for b in LIBRARY.book_ids]
    return _qkv(
        state, lang, title=text_in(lang, "nav.library"), q_rows=[text_in(lang, "library.request_row")], k_rows=books
    )


def scaled_dot_product(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    n_k = np.shape(state["k"])[0]
    keys = [text_in(lang, "scaled_dot_product.key_row", i=i + 1) for i in range(n_k)]
    return _qkv(
        state,
        lang,
        title=text_in(lang, "nav.scaled_dot_product"),
        q_rows=[text_in(lang, "scaled_dot_product.query_row")],
        k_rows=keys,
    )


# --------------------------------------------------------------------------- lessons on one matrix X
def self_attention(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    x = rows2(state["x"])
    labels = [tr("self.token_n", n=i + 1) for i in range(x.shape[0])]
    inputs = (
        f"X = {array(x)}\nscale = {bool(state['scale'])!r}  # divide by √d_k\ntemperature = {num(state['temperature'])}"
    )
    cells = [
        ("markdown", tr("nb.inputs")),
        ("code", inputs),
        ("markdown", tr("nb.self_scores")),
        ("code", "r = ac.self_attention(X, scale=scale, temperature=temperature).attention\nprint(r.scores)"),
        ("markdown", tr("nb.qkv_scaled")),
        ("code", "print(r.logits)"),
        ("markdown", tr("nb.qkv_weights")),
        ("code", "print(r.weights)"),
        ("markdown", tr("nb.self_output")),
        ("code", "print(r.output)"),
    ]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        r = ns["r"]
        dims = dim_labels(x.shape[1])
        return [
            ("X", x, labels, dims),
            ("scores", r.scores, labels, labels),
            ("logits", r.logits, labels, labels),
            ("weights", r.weights, labels, labels),
            ("output", r.output, labels, dims),
        ]

    return Recipe(tr("nav.self_attention"), cells, tables)


def pooling(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    x = rows2(state["x"])
    labels = [tr("pool.token_n", n=i + 1) for i in range(x.shape[0])]
    inputs = f"X = {array(x)}\nw = {array(state['w'])}\ntemperature = {num(state['temperature'])}"
    cells = [
        ("markdown", tr("nb.inputs")),
        ("code", inputs),
        ("markdown", tr("nb.pool_scores")),
        ("code", "r = ac.attention_pooling(X, w, temperature=temperature)\nprint(r.scores)"),
        ("markdown", tr("nb.pool_weights")),
        ("code", "print(r.weights)"),
        ("markdown", tr("nb.pool_context")),
        ("code", "print(r.context)"),
    ]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        r = ns["r"]
        dims = dim_labels(x.shape[1])
        return [
            ("X", x, labels, dims),
            ("w", rows2(r.w), ["w"], dims),
            ("scores", r.scores[:, None], labels, [tr("common.score")]),
            ("weights", r.weights[:, None], labels, [tr("common.weight")]),
            ("context", rows2(r.context), [tr("pool.context")], dims),
        ]

    return Recipe(tr("nav.pooling"), cells, tables, prints_weights="print(r.weights)", prints_output="print(r.context)")


# --------------------------------------------------------------------------- why √d_k
def sqrt_dk(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    """The experiment at the page's d_k, n keys and seed; the row at the live view's temperature
    (the page's own numbers: the engine's rows of ``scores / T`` and ``scores / √d_k / T``)."""
    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    n = int(state["n_keys"])
    rows = [tr("dk.row_unscaled"), tr("dk.row_scaled")]
    keys = [tr("dk.key_n", n=i + 1) for i in range(n)]
    inputs = "\n".join(
        [
            f"d_k = {int(state['d_k'])}",
            f"n_keys = {n}",
            f"seed = {int(state['seed'])}",
            f"temperature = {num(state['temperature'])}",
        ]
    )
    cells = [
        ("markdown", tr("nb.inputs")),
        ("code", inputs),
        ("markdown", tr("nb.dk_spread")),
        ("code", "e = ac.dk_experiment(d_k, n_keys=n_keys, n_pairs=2000, seed=seed)\nprint(e.var_dots, e.var_scaled)"),
        ("markdown", tr("nb.dk_row")),
        (
            "code",
            "rows = [ac.softmax_row(e.scores / temperature), ac.softmax_row(e.scaled.logits / temperature)]\n"
            "weights = np.vstack([r.weights for r in rows])\nprint(weights)",
        ),
        ("markdown", tr("nb.dk_gradient")),
        ("code", "summary = np.array([[r.max_weight, r.entropy, r.jacobian_max] for r in rows])\nprint(summary)"),
        ("markdown", tr("nb.dk_sweep")),
        (
            "code",
            "s = ac.dk_sweep(ac.DK_SWEEP, n_keys=n_keys, n_rows=64, seed=seed)\n"
            "print(s.unscaled.entropy, s.scaled.entropy)\nprint(s.unscaled.jacobian_max, s.scaled.jacobian_max)",
        ),
    ]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        e, s = ns["e"], ns["s"]
        curves = np.column_stack([s.unscaled.entropy, s.scaled.entropy, s.unscaled.jacobian_max, s.scaled.jacobian_max])
        curve_cols = [f"{tr('dk.col_entropy')} · {r}" for r in rows] + [f"{tr('dk.col_jacobian')} · {r}" for r in rows]
        return [
            ("variance", np.array([[e.var_dots, e.var_scaled]]), [f"d_k = {e.d_k}"], rows),
            ("scores", np.vstack([e.scores, e.scaled.logits]), rows, keys),
            ("weights", ns["weights"], rows, keys),
            ("summary", ns["summary"], rows, [tr("dk.col_max_weight"), tr("dk.col_entropy"), tr("dk.col_jacobian")]),
            ("curves", curves, [f"d_k = {d}" for d in s.d_k], curve_cols),
        ]

    return Recipe(tr("nav.sqrt_dk"), cells, tables, prints_weights="print(weights)", prints_output=None)


# --------------------------------------------------------------------------- the KV cache
def kv_cache(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    """The sentence generated with the cache, seed-000 tables; the step shown is the page's (1-based):
    its weights and output are the live view's (the new query over the cache, at its temperature)."""
    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    inputs = "\n".join(
        [
            f"sentence = {str(state['sentence'])!r}",
            f"seed = {int(state['seed'])}",
            f"dim = {int(state['dim'])}  # d_model = d_k = d_v",
            f"step = {int(state['step'])}  # the token being generated (1-based)",
            f"temperature = {num(state['temperature'])}",
        ]
    )
    cells = [
        ("markdown", tr("nb.inputs")),
        ("code", inputs),
        ("markdown", tr("nb.kv_tokens")),
        (
            "code",
            f"tokens, cut = ac.cap(ac.tokenize(sentence), {KV_MAX_TOKENS})\n"
            "vocab = ac.build_vocab(tokens)\n"
            "tables = ac.random_tables(len(vocab), dim, seed=seed)\n"
            "X = ac.embed(tokens, vocab, tables.embeddings)\n"
            "W_q, W_k, W_v = tables.w_q, tables.w_k, tables.w_v\n"
            "print(tokens)\nprint(X)",
        ),
        ("markdown", tr("nb.kv_decode")),
        (
            "code",
            "run = ac.cached_decode(X, W_q, W_k, W_v, scale=True, temperature=temperature)\n"
            "s = run.steps[step - 1]\n"
            "print(s.q, s.k_new, s.v_new)\nprint(s.cache.k)\nprint(s.cache.v)",
        ),
        ("code", "r = s.attention  # the new query over the cache\nprint(r.weights)"),
        ("code", "print(r.output)"),
        ("markdown", tr("nb.kv_check")),
        (
            "code",
            "full = ac.self_attention(X, W_q, W_k, W_v, scale=True, temperature=temperature,\n"
            "                         mask=ac.causal_mask(len(tokens))).attention.output\n"
            "print(np.max(np.abs(run.outputs - full)))",
        ),
        ("markdown", tr("nb.kv_work")),
        (
            "code",
            "work = np.array([[t.madds_cached, t.madds_full, t.cache_floats] for t in run.steps])\n"
            "print(work)\nprint(run.madds_cached_total, run.madds_full_total)",
        ),
    ]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        tokens, s, r = ns["tokens"], ns["s"], ns["r"]
        labels, dims = unique_labels(tokens), dim_labels(ns["X"].shape[1])
        shown = labels[: s.step + 1]
        cols = [tr("kv.col_cached"), tr("kv.col_full"), tr("kv.col_memory")]
        return [
            ("X", ns["X"], labels, dims),
            ("new_qkv", np.vstack([s.q, s.k_new, s.v_new]), [tr("kv.row_q"), tr("kv.row_k"), tr("kv.row_v")], dims),
            ("K", s.cache.k, shown, dims),
            ("V", s.cache.v, shown, dims),
            ("weights", rows2(r.weights), [labels[s.step]], shown),
            ("output", rows2(r.output), [labels[s.step]], dims),
            ("work", ns["work"].astype(float), labels, cols),
        ]

    return Recipe(tr("nav.kv_cache"), cells, tables)


# --------------------------------------------------------------------------- cross-attention
def cross_attention(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    """Queries from the target's vectors, keys and values from the source's (as the page holds them,
    designed or edited), in the page's heads; the shown head's weights and output (the live view's)."""
    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    heads = int(state["heads"])
    inputs = "\n".join(
        [
            f"source = {str(state['source'])!r}  # keys and values",
            f"target = {str(state['target'])!r}  # queries",
            f"heads = {heads}",
            f"head = {int(state['head']) if heads > 1 else 1}  # the head whose weights are shown",
            f"scale = {bool(state['scale'])!r}  # divide by √d_k",
            f"temperature = {num(state['temperature'])}",
        ]
    )

    def vectors_of(m: Any) -> str:  # a sentence with no word has no vectors (the engine says so)
        return array(m) if m is not None and np.size(m) else "np.zeros((0, 4))"

    vectors = "\n".join(
        [
            f"X_source = {vectors_of(state.get('xs'))}",
            f"X_target = {vectors_of(state.get('xt'))}",
            "print(X_target)  # Q: one row per target word",
            "print(X_source)  # K = V: one row per source word",
        ]
    )
    cells = [
        ("markdown", tr("nb.inputs")),
        ("code", inputs),
        ("markdown", tr("nb.cross_inputs")),
        ("code", vectors),
        ("markdown", tr("nb.cross_weights")),
        (
            "code",
            "r = ac.cross_attention(X_target, X_source, n_heads=heads, scale=scale, temperature=temperature)\n"
            "shown = r.heads[head - 1]\nprint(shown.weights)",
        ),
        ("markdown", tr("nb.cross_output")),
        ("code", "print(r.output)  # every head side by side"),
        ("code", "# the head shown, as the live view draws it\nprint(shown.output)"),
    ]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        r, shown = ns["r"], ns["shown"]
        # the words the page used: the first of each sentence, one per row of its vectors
        src = unique_labels(ac.cap(ac.tokenize(ns["source"]), len(r.x_source))[0])
        tgt = unique_labels(ac.cap(ac.tokenize(ns["target"]), len(r.x_target))[0])
        dims = dim_labels(r.x_source.shape[1])
        return [
            ("X_source", r.x_source, src, dims),
            ("X_target", r.x_target, tgt, dims),
            ("scores", shown.scores, tgt, src),
            ("weights", shown.weights, tgt, src),
            ("output", r.output, tgt, dim_labels(r.output.shape[1])),
        ]

    return Recipe(
        tr("nav.cross_attention"),
        cells,
        tables,
        prints_weights="print(shown.weights)",
        prints_output="print(shown.output)",
    )


# --------------------------------------------------------------------------- step by step
def step_by_step(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    inputs = "\n".join(
        [
            f"sentence = {str(state['sentence'])!r}",
            f"seed = {int(state['seed'])}",
            f"dim = {int(state['dim'])}  # embedding size d_model",
            f"heads = {int(state['heads'])}",
            f"head = {int(state['head']) if int(state['heads']) > 1 else 1}  # the head whose weights are shown",
            f"scale = {bool(state['scale'])!r}  # divide by √d_k",
            f"causal = {bool(state['causal'])!r}  # each token sees only itself and the tokens before it",
            f"temperature = {num(state['temperature'])}",
        ]
    )
    tables_code = [
        f"tokens, cut = ac.cap(ac.tokenize(sentence), {MAX_SEQUENCE_TOKENS})",
        "vocab = ac.build_vocab(tokens)",
        "tables = ac.random_tables(len(vocab), dim, seed=seed)",
    ]
    names = {"emb": ("E", "embeddings"), "wq": ("W_q", "w_q"), "wk": ("W_k", "w_k"), "wv": ("W_v", "w_v")}
    for field_name, (var, attr) in names.items():
        if field_name in edited:
            tables_code.append(f"{var} = {array(state[field_name])}  # edited on the page")
        else:
            tables_code.append(f"{var} = tables.{attr}")
    tables_code += ["X = ac.embed(tokens, vocab, E)", "print(tokens)", "print(X)"]
    cells = [
        ("markdown", tr("nb.inputs")),
        ("code", inputs),
        ("markdown", tr("nb.sbs_tokens")),
        ("code", "\n".join(tables_code)),
        ("markdown", tr("nb.sbs_qkv")),
        ("code", "Q, K, V = ac.project(X, W_q), ac.project(X, W_k), ac.project(X, W_v)\nprint(Q)\nprint(K)\nprint(V)"),
        ("markdown", tr("nb.sbs_scores")),
        (
            "code",
            "mask = ac.causal_mask(len(tokens)) if causal else None\n"
            "r = ac.multi_head_attention(X, W_q, W_k, W_v, heads, scale=scale, temperature=temperature, mask=mask)\n"
            "shown = r.heads[head - 1]\nprint(shown.scores)\nprint(shown.scaled)",
        ),
        ("markdown", tr("nb.sbs_weights")),
        ("code", "print(shown.weights)"),
        ("markdown", tr("nb.sbs_output")),
        ("code", "print(r.output)"),
    ]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        tokens, vocab, r, shown = ns["tokens"], ns["vocab"], ns["r"], ns["shown"]
        labels, words = unique_labels(tokens), unique_labels(list(vocab))
        dims = dim_labels(ns["X"].shape[1])
        return [
            ("embeddings", ns["E"], words, dims),
            ("X", ns["X"], labels, dims),
            ("W_q", ns["W_q"], dims, dims),
            ("W_k", ns["W_k"], dims, dims),
            ("W_v", ns["W_v"], dims, dims),
            ("Q", ns["Q"], labels, dims),
            ("K", ns["K"], labels, dims),
            ("V", ns["V"], labels, dims),
            ("scores", shown.scores, labels, labels),
            ("scaled_scores", shown.scaled, labels, labels),
            ("weights", shown.weights, labels, labels),
            ("output", r.output, labels, dim_labels(r.output.shape[1])),
        ]

    return Recipe(
        tr("nav.step_by_step"), cells, tables, prints_weights="print(shown.weights)", prints_output="print(r.output)"
    )


# --------------------------------------------------------------------------- Word2Vec
W2V_PARAMS = ("vector_size", "window", "min_count", "sg", "epochs", "negative", "seed", "sample", "alpha")


def word2vec(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    params = ", ".join(f"{n}={num(state[n]) if n in ('sample', 'alpha') else int(state[n])}" for n in W2V_PARAMS)
    keys_code = (
        f"key_tokens = sentences[{int(state['sentence'])}] if {int(state['sentence'])} < len(sentences) else sentences[0]"
        if state["keys_from"] == "sentence"
        else f"key_tokens = {list(map(str, state['words']))!r}"
    )
    project = (
        f"tables = ac.random_tables(1, d, seed={int(state['proj_seed'])})\n"
        "q = ac.project(q[None, :], tables.w_q, 'W_q')[0]\n"
        "K, V = ac.project(X, tables.w_k, 'W_k'), ac.project(X, tables.w_v, 'W_v')"
        if state["project"]
        else "K, V = X, X"
    )
    cells = [
        ("markdown", tr("nb.inputs")),
        (
            "code",
            f"text = {str(state['text'])!r}\nlowercase = {bool(state['lower'])!r}\n"
            f"params = dict({params})\n"
            f"query_word = {str(state['query'])!r}\n"
            f"scale = {bool(state['scale'])!r}  # divide by √d_k\ntemperature = {num(state['temperature'])}",
        ),
        ("markdown", tr("nb.w2v_corpus")),
        (
            "code",
            "from attention_core.text import cap_sentences\n\n"
            f"sentences, cut = cap_sentences(ac.tokenize_lines(text[:{MAX_TEXT_CHARS}], lowercase=lowercase), "
            f"{MAX_CORPUS_TOKENS})\nprint(len(sentences), 'sentences,', sum(map(len, sentences)), 'tokens')",
        ),
        ("markdown", tr("nb.w2v_train")),
        (
            "code",
            "model = ac.train_word2vec(sentences, **params)\nprint(len(model.wv), 'words, vectors of size', model.vector_size)",
        ),
        ("markdown", tr("nb.w2v_vectors")),
        (
            "code",
            f"{keys_code}\n"
            f"tokens = [w for w in key_tokens if w in model.wv.key_to_index][:{MAX_SEQUENCE_TOKENS}]\n"
            "q = ac.vectors_for(model, [query_word])[0]\nX = ac.vectors_for(model, tokens)\nd = X.shape[1]\n"
            f"{project}\nprint(tokens)\nprint(q)",
        ),
        ("markdown", tr("nb.w2v_attention")),
        ("code", "r = ac.attention(q, K, V, scale=scale, temperature=temperature)\nprint(r.scores)"),
        ("code", "print(r.weights)"),
        ("code", "print(r.output)"),
    ]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        tokens, r = ns["tokens"], ns["r"]
        labels, dims = unique_labels(tokens), dim_labels(ns["X"].shape[1])
        query = [str(state["query"])]
        return [
            ("query", rows2(r.q), query, dims),
            ("keys", rows2(r.k), labels, dims),
            ("values", rows2(r.v), labels, dims),
            ("scores", rows2(r.scores), query, labels),
            ("logits", rows2(r.logits), query, labels),
            ("weights", rows2(r.weights), query, labels),
            ("output", rows2(r.output), query, dims),
        ]

    return Recipe(tr("nav.word2vec"), cells, tables)


# --------------------------------------------------------------------------- where did word order go?
def word_order(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    from attention_core.presets import STEP_BY_STEP

    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    tokens, _ = ac.cap(ac.tokenize(str(state["sentence"])), MAX_SEQUENCE_TOKENS)
    order = shuffle_order(len(tokens), int(state["shuffle"])) if tokens else []
    positions = str(state["positions"])
    inputs = "\n".join(
        [
            f"sentence = {str(state['sentence'])!r}",
            f"seed = {int(state['seed'])}",
            f"dim = {int(STEP_BY_STEP.dim)}",
            f"order = {order!r}  # shuffled word i is original word order[i]",
            f"positions = {positions!r}  # 'none', 'sinusoidal' or 'rope'",
            f"temperature = {num(state['temperature'])}",
            f"tokens, cut = ac.cap(ac.tokenize(sentence), {MAX_SEQUENCE_TOKENS})",
            "vocab = ac.build_vocab(tokens)",
            "tables = ac.random_tables(len(vocab), dim, seed=seed)",
            "X = ac.embed(tokens, vocab, tables.embeddings)",
        ]
    )
    attend = (
        "def attend(X):\n"
        "    if positions == 'sinusoidal':\n"
        "        X = X + ac.sinusoidal_positions(*X.shape)\n"
        "    Q, K, V = ac.project(X, tables.w_q), ac.project(X, tables.w_k), ac.project(X, tables.w_v)\n"
        "    if positions == 'rope':\n"
        "        Q, K = ac.rotary(Q), ac.rotary(K)\n"
        "    return ac.attention(Q, K, V, scale=True, temperature=temperature)\n\n"
        "original = attend(X)\n"
        "r = attend(X[order])  # the shuffled sentence\n"
        "print(r.weights)"
    )
    check = (
        "reordered = original.weights[np.ix_(order, order)]\n"
        "print('weights:', np.abs(reordered - r.weights).max())\n"
        "print('outputs:', np.abs(original.output[order] - r.output).max())"
    )
    cells = [
        ("markdown", tr("nb.inputs")),
        ("markdown", tr("nb.wo_inputs")),
        ("code", inputs),
        ("markdown", tr("nb.wo_attend")),
        ("code", attend),
        ("code", "print(r.output)"),
        ("markdown", tr("nb.wo_check")),
        ("code", check),
    ]
    if positions == "rope":
        m, n, s = int(state["m"]), int(state["n"]), int(state["s"])
        rope = (
            f"m, n, s = {m}, {n}, {s}\n"
            "q = ac.project(X, tables.w_q)[:1]\n"
            "k = ac.project(X, tables.w_k)[1:2] if len(tokens) > 1 else ac.project(X, tables.w_k)[:1]\n"
            "before = ac.rotary(q, [m])[0] @ ac.rotary(k, [n])[0]\n"
            "after = ac.rotary(q, [m + s])[0] @ ac.rotary(k, [n + s])[0]\n"
            "print(before, after, abs(after - before))"
        )
        cells += [("markdown", tr("nb.wo_rope")), ("code", rope)]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        labels = unique_labels(ns["tokens"])
        shuffled = [labels[i] for i in order]
        dims = dim_labels(ns["X"].shape[1])
        r, o = ns["r"], ns["original"]
        return [
            ("X", ns["X"], labels, dims),
            ("original_weights", o.weights, labels, labels),
            ("original_output", o.output, labels, dims),
            ("weights", r.weights, shuffled, shuffled),
            ("output", r.output, shuffled, dims),
        ]

    return Recipe(tr("nav.word_order"), cells, tables)


# --------------------------------------------------------------------------- masks (issue 25, lesson 2)
def masks(state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> Recipe:
    tr = lambda key, **p: text_in(lang, key, **p)  # noqa: E731
    hidden = sorted({int(h) for h in state.get("hidden") or []})
    inputs = "\n".join(
        [
            f"sentences = {[str(state[f's{i}']) for i in (1, 2, 3)]!r}",
            f"seed = {int(state['seed'])}",
            f"dim = {int(state['dim'])}  # embedding size d_model",
            f"pad_mask = {bool(state['pad'])!r}  # the key-padding mask",
            f"causal = {bool(state['causal'])!r}  # each token sees only itself and the tokens before it",
            f"hidden = {hidden!r}  # key positions (1-based) hidden from every query",
            f"show = {int(state['show'])}  # the sentence shown (1-based)",
            f"temperature = {num(state['temperature'])}",
        ]
    )
    batch_code = "\n".join(
        [
            f"tokens = [ac.cap(ac.tokenize(s), {MASKS.max_tokens})[0] for s in sentences]",
            "tokens = [s for s in tokens if s]  # an empty third sentence is left out",
            "batch = ac.pad_batch(tokens)",
            "vocab = ac.build_vocab([w for s in tokens for w in s] + [ac.PAD])",
            "tables = ac.random_tables(len(vocab), dim, seed=seed)",
            "X = np.stack([ac.embed(s, vocab, tables.embeddings) for s in batch.tokens])",
            "W = (tables.w_q, tables.w_k, tables.w_v)",
            "print(batch.tokens, batch.lengths)",
        ]
    )
    attention_code = "\n".join(
        [
            "keep = np.ones(batch.n, dtype=bool)",
            "keep[[h - 1 for h in hidden if h <= batch.n]] = False",
            "mask = None if keep.all() else keep",
            "opts = dict(causal=causal, temperature=temperature, fully_masked='zeros')",
            "off = ac.batch_self_attention(X, *W, mask=mask, **opts)  # the pads are ordinary keys",
            "on = ac.batch_self_attention(X, *W, lengths=batch.lengths, mask=mask, **opts)",
            "r = on if pad_mask else off",
            "b = min(show, len(tokens)) - 1",
            "L = batch.lengths[b]",
            "alone = ac.batch_self_attention(X[b, :L], *W, mask=None if mask is None else keep[:L], **opts)",
            "pads_off = ac.weight_on_pads(off.weights, batch.lengths)",
            "pads_on = ac.weight_on_pads(on.weights, batch.lengths)",
            "weights = r.weights[b]  # the sentence shown, as the live view draws it",
            "print(weights)",
        ]
    )
    pads_code = "print(pads_off[b])  # without the key-padding mask\nprint(pads_on[b])  # with it: 0"
    check_code = "\n".join(
        [
            "diff_on = float(np.abs(on.output[b, :L] - alone.output).max())",
            "diff_off = float(np.abs(off.output[b, :L] - alone.output).max())",
            "print(diff_on, diff_off)",
            "output = r.output[b]",
            "print(output)",
        ]
    )
    cells = [
        ("markdown", tr("nb.inputs")),
        ("code", inputs),
        ("markdown", tr("nb.masks_batch")),
        ("code", batch_code),
        ("markdown", tr("nb.masks_attention")),
        ("code", attention_code),
        ("markdown", tr("nb.masks_pads")),
        ("code", pads_code),
        ("markdown", tr("nb.masks_check")),
        ("code", check_code),
    ]

    def tables(ns: Mapping[str, Any]) -> list[Table]:
        batch, r, b = ns["batch"], ns["r"], ns["b"]
        labels = unique_labels(batch.tokens[b])
        positions = [str(j + 1) for j in range(batch.n)]
        sentences = [tr("masks.sentence_short", n=i + 1) for i in range(len(batch.tokens))]
        shown_mask = np.ones((batch.n, batch.n)) if r.mask is None else np.broadcast_to(r.mask, r.weights.shape)[b]
        return [
            ("X", ns["X"][b], labels, dim_labels(ns["X"].shape[-1])),
            ("mask", np.asarray(shown_mask, dtype=float), labels, labels),
            ("weights", r.weights[b], labels, labels),
            ("output", r.output[b], labels, dim_labels(r.output.shape[-1])),
            ("weight_on_pads_without_mask", ns["pads_off"], sentences, positions),
            ("weight_on_pads_with_mask", ns["pads_on"], sentences, positions),
        ]

    return Recipe(tr("nav.masks"), cells, tables, prints_weights="print(weights)", prints_output="print(output)")


#: A lesson's recipe: ``recipe(state, lang, edited)`` (``edited``: the matrix fields the learner changed,
#: written into the notebook as literals; the others it recomputes from their seed). The page registry
#: names each lesson's (``ui.nav.PageSpec.recipe``).
RecipeFor = Callable[[Mapping[str, Any], str, Sequence[str]], Recipe]


#: ``train_word2vec(sentences, **params) -> gensim model``, as :func:`attention_core.train_word2vec`.
Trainer = Callable[..., Any]


def run(recipe: Recipe, *, train_word2vec: Trainer | None = None) -> dict[str, Any]:
    """Execute the recipe's code cells here (what the notebook does after its setup cell): the
    namespace, whose arrays :attr:`Recipe.tables` reads. ``print`` is silenced (a server has no
    notebook to print into) and numpy's print options are left alone. ``train_word2vec`` replaces
    ``ac.train_word2vec`` for the recipe's code (the same model, from the page's training cache)."""
    engine: Any = ac
    if train_word2vec is not None:
        engine = types.SimpleNamespace(**{**vars(ac), "train_word2vec": train_word2vec})
    ns: dict[str, Any] = {"np": np, "ac": engine, "print": lambda *a, **k: None, "__name__": "attention_lab_export"}
    for kind, source in recipe.cells:
        if kind == "code":
            exec(compile(source, "<attention-lab export>", "exec"), ns)  # noqa: S102 - our code, values as literals
    return ns
