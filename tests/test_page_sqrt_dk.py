"""The "Why divide by √d_k?" page (AppTest): every number it shows against an independent numpy
computation (the random draws redone here in the engine's documented order, never with
``attention_core``), at the defaults and after the learner moves its controls; and its languages."""

from __future__ import annotations

import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import chart, live_numbers, live_view, open_page, set_temperature
from ui.i18n import catalog

N_PAIRS = 2_000  # the page's histograms
SWEEP_ROWS = 64  # the page's curves
WIDTHS = [2**i for i in range(1, 10)]


# --------------------------------------------------------------------------- the reference, plain numpy
def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def row_stats(p: np.ndarray) -> tuple[float, float, float]:
    """Largest weight, entropy in nats, largest |∂p_i/∂z_j| = |p_i(δ_ij - p_j)| (written out, loop by loop)."""
    n = len(p)
    entropy = -sum(x * math.log(x) for x in p if x > 0)
    jac = max(abs(p[i] * ((1.0 if i == j else 0.0) - p[j])) for i in range(n) for j in range(n))
    return float(p.max()), float(entropy), float(jac)


def reference(d_k: int, n_keys: int, seed: int, temperature: float = 1.0) -> dict[str, np.ndarray]:
    """Draws in the documented order: one query (d_k,), the keys (n_keys, d_k), the pairs' queries,
    then the pairs' keys (n_pairs, d_k) each."""
    rng = np.random.default_rng(seed)
    q = rng.standard_normal(d_k)
    keys = rng.standard_normal((n_keys, d_k))
    pq = rng.standard_normal((N_PAIRS, d_k))
    pk = rng.standard_normal((N_PAIRS, d_k))
    dots = np.array([float(a @ b) for a, b in zip(pq, pk, strict=True)])
    scores = keys @ q
    scaled = scores / math.sqrt(d_k)
    weights = np.vstack([softmax(scores / temperature), softmax(scaled / temperature)])
    return {
        "dots": dots,
        "dots_scaled": dots / math.sqrt(d_k),
        "var": np.array([dots.var(ddof=1), (dots / math.sqrt(d_k)).var(ddof=1)]),
        "scores": np.vstack([scores, scaled]),
        "weights": weights,
        "summary": np.array([row_stats(w) for w in weights]),
    }


def sweep(n_keys: int, seed: int) -> dict[str, np.ndarray]:
    """Mean entropy and largest |J| over 64 rows at each width, unscaled and scaled (each width from the seed)."""
    out = {name: np.zeros((2, len(WIDTHS))) for name in ("entropy", "jacobian")}
    for c, d in enumerate(WIDTHS):
        rng = np.random.default_rng(seed)
        for _ in range(SWEEP_ROWS):
            q = rng.standard_normal(d)
            s = rng.standard_normal((n_keys, d)) @ q
            for which, z in enumerate((s, s / math.sqrt(d))):
                _, h, j = row_stats(softmax(z))
                out["entropy"][which, c] += h / SWEEP_ROWS
                out["jacobian"][which, c] += j / SWEEP_ROWS
    return out


# --------------------------------------------------------------------------- reading the page
def summary(at: AppTest) -> np.ndarray:
    """The table of step 3: rows unscaled and ÷√d_k, columns largest weight, entropy, largest |J|."""
    tables = [d.value for d in at.dataframe if d.proto.editing_mode == 0 and d.value.shape == (2, 3)]
    assert len(tables) == 1, [t.shape for t in tables]
    return tables[0].to_numpy()


def histogram_data(at: AppTest) -> tuple[np.ndarray, np.ndarray]:
    fig = chart(at, "dk_hist")
    return np.asarray(fig["data"][0]["x"], dtype=float), np.asarray(fig["data"][1]["x"], dtype=float)


def curves(at: AppTest) -> dict[str, np.ndarray]:
    """The four curves, by (measure, which): traces are unscaled entropy, unscaled |J|, scaled entropy, scaled |J|."""
    data = chart(at, "dk_curves")["data"]
    assert len(data) == 4
    y = [np.asarray(tr["y"], dtype=float) for tr in data]
    return {"entropy": np.vstack([y[0], y[2]]), "jacobian": np.vstack([y[1], y[3]])}


def assert_page_matches(at: AppTest, d_k: int, n_keys: int, seed: int, temperature: float = 1.0) -> None:
    assert not at.exception, [e.message for e in at.exception]
    ref = reference(d_k, n_keys, seed, temperature)
    # step 1: every q·k of the histograms, and the variances written above them
    dots, dots_scaled = histogram_data(at)
    np.testing.assert_allclose(dots, ref["dots"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dots_scaled, ref["dots_scaled"], rtol=1e-12, atol=1e-12)
    captions = " ".join(c.value for c in at.caption)
    assert f"variance {ref['var'][0]:.1f}" in captions and f"variance is {ref['var'][1]:.3f}" in captions
    # step 2: the live view's two rows (raw and ÷√d_k scores) and the weights it draws
    header, arrays = live_view(at)
    assert header["scale"] is False and header["d_k"] == d_k and len(header["cols"]) == n_keys
    np.testing.assert_allclose(arrays["scores"], ref["scores"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(live_numbers(at)[0], ref["weights"], rtol=1e-9, atol=1e-12)
    # step 3: largest weight, entropy, largest Jacobian entry
    np.testing.assert_allclose(summary(at), ref["summary"], rtol=1e-9, atol=1e-12)
    # step 4: the curves against d_k
    got, want = curves(at), sweep(n_keys, seed)
    for name in ("entropy", "jacobian"):
        np.testing.assert_allclose(got[name], want[name], rtol=1e-9, atol=1e-12, err_msg=name)


# --------------------------------------------------------------------------- tests
def test_defaults_match_numpy() -> None:
    at = open_page("sqrt_dk")
    assert at.select_slider(key="dk_d_k").value == 64
    assert_page_matches(at, 64, 8, 0)


def test_moving_every_control_matches_numpy() -> None:
    at = open_page("sqrt_dk")
    at.select_slider(key="dk_d_k").set_value(512).run()
    at.slider(key="dk_n_keys").set_value(5).run()
    at.number_input(key="dk_seed").set_value(3).run()
    assert_page_matches(at, 512, 5, 3)
    set_temperature(at, "dk_temperature", 2.5).run()
    assert_page_matches(at, 512, 5, 3, temperature=2.5)


@pytest.mark.parametrize("d_k", [2, 32, 512])
def test_the_story_holds_at_every_width(d_k: int) -> None:
    """Measured variance within 5 standard errors of d_k (and of 1 scaled); scaled, the row is never
    sharper than unscaled, and at 512 the unscaled row is nearly one-hot with almost no gradient."""
    at = open_page("sqrt_dk", run=False)
    at.session_state["dk_d_k"] = d_k
    at.run()
    ref = reference(d_k, 8, 0)
    stderr = math.sqrt((2 * d_k * d_k + 6 * d_k) / N_PAIRS)  # Var of a sample variance of q·k: (E[X⁴] - d_k²)/N
    assert abs(ref["var"][0] - d_k) < 5 * stderr and abs(ref["var"][1] - 1) < 5 * stderr / d_k
    table = summary(at)
    assert table[1, 1] >= table[0, 1] - 1e-12  # entropy scaled ≥ unscaled
    if d_k == 512:
        assert table[0, 0] > 0.99 and table[0, 2] < 1e-2 and table[1, 2] > 0.1


def test_the_narration_and_the_notebook_mark() -> None:
    at = open_page("sqrt_dk")
    ref = reference(64, 8, 0)
    sentence = next(m.value for m in at.markdown if m.value.startswith("At d_k = 64"))
    assert f"variance {ref['var'][0]:.1f}" in sentence and f"{ref['summary'][0, 0]:.4f}" in sentence
    ratio = ref["summary"][1, 2] / ref["summary"][0, 2]
    assert f"{ratio:.0f} times" in sentence
    fig = chart(at, "dk_curves")
    x4 = math.log2(4)
    assert any(s.get("x0") == x4 for s in fig["layout"]["shapes"])  # seed 000's d_k = 4 is marked
    assert any("d_k = 4" in a["text"] for a in fig["layout"]["annotations"])
    code = " ".join(c.value for c in at.code)
    assert "scores = np.dot(Q, K.T) / np.sqrt(d_k)" in code and "def scaled_dot_product" in code


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_the_page_speaks_the_language(lang: str) -> None:
    at = open_page("sqrt_dk", lang)
    assert not at.exception
    cat, en = catalog(lang), catalog("en")
    assert at.title[0].value == cat["dk.title"]
    assert at.select_slider(key="dk_d_k").label == cat["dk.d_k"]
    assert at.slider(key="dk_n_keys").label == cat["dk.n_keys"]
    assert live_view(at)[0]["rows"] == [cat["dk.row_unscaled"], cat["dk.row_scaled"]]
    table = next(d.value for d in at.dataframe if d.proto.editing_mode == 0 and d.value.shape == (2, 3))
    assert list(table.columns) == [cat["dk.col_max_weight"], cat["dk.col_entropy"], cat["dk.col_jacobian"]]
    # figure titles and axis titles in the language (the vertical ones are annotations)
    hist, curve = chart(at, "dk_hist"), chart(at, "dk_curves")
    texts = [a["text"] for fig in (hist, curve) for a in fig["layout"]["annotations"]]
    assert any(cat["dk.axis_entropy"] in s for s in texts) and any(cat["dk.axis_jacobian"] in s for s in texts)
    assert curve["layout"]["title"]["text"] == cat["dk.curves_chart"].format(rows=SWEEP_ROWS)
    assert hist["layout"]["title"]["text"] == cat["dk.hist_title"].format(n=N_PAIRS)
    assert not any(en["dk.lesson_title"] == m.value.strip("*") for m in at.markdown)
    assert f"**{cat['dk.lesson_title']}**" in [m.value for m in at.markdown]


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    at.select_slider(key="dk_d_k").set_value(256).run()
    at.slider(key="dk_n_keys").set_value(12).run()
    at.number_input(key="dk_seed").set_value(7).run()
    set_temperature(at, "dk_temperature", 0.35).run()
