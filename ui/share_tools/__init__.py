"""The share tools (a browser component, ``share.js``): "Copy link", the export menu (notebook, JSON,
CSV, import) under each lesson's title, and the figures' PNG/SVG buttons.

What they carry is the experiment model, below this module: a lesson's fields (:mod:`ui.share.fields`,
declared in the page registry), its link (:mod:`ui.share.state`), a pinned A (:mod:`ui.share.pin`) and
the files (:mod:`ui.export`). The lesson kit wires them in:

- :func:`ui.lesson.start` takes a link's values (:func:`ui.share.state.load_link`), a file just
  imported (:func:`import_pending`), and shows one notice for what a link brought that was ignored
  (:func:`show_notice`);
- :func:`ui.lesson.live_view` keeps the URL up to date (:func:`ui.share.state.sync`);
- :func:`share_bar` (one line under each lesson's title): "Copy link", and a menu with the notebook,
  the JSON file, the tables as CSV and the import of a JSON file. Files are built only when a
  download is asked for (deferred downloads).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from ui import predict
from ui.export.files import (
    MAX_IMPORT_BYTES,
    ImportProblem,
    cached_trainer,
    experiment_json,
    notebook_json,
    read_experiment,
    read_pinned,
    tables_zip,
)
from ui.format import md_code
from ui.i18n import current_language, t
from ui.nav import PageSpec, lessons
from ui.share import pin as pins
from ui.share.state import HOLDER, apply, current, edited_tables, fields, parse_inputs, take_notice

__all__ = [
    "LINK_HARD_LIMIT",
    "LINK_LIMIT",
    "SERVER_QUERY_LIMIT",
    "export_file",
    "figure_downloads",
    "import_pending",
    "share_bar",
    "show_notice",
]

#: A copied link longer than this gets a warning and the JSON file is offered instead (the issue's 2 KB).
LINK_LIMIT = 2048
#: Longer than this, the link is not even copied (a proxy's default limit is 8 KB).
LINK_HARD_LIMIT = 8000
#: Streamlit ignores a query string longer than this (``CLIENT_STATE_QUERY_STRING_MAX_LENGTH``).
SERVER_QUERY_LIMIT = 512 * 1024

_HERE = Path(__file__).resolve().parent
_COMPONENT = st.components.v2.component(
    "attention_lab.share_tools",
    html=(_HERE / "share.html").read_text(encoding="utf-8"),
    css=(_HERE / "share.css").read_text(encoding="utf-8"),
    js=(_HERE / "share.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)
_PENDING = "_share_import"  # lesson -> the bytes of a file to import (the uploader's callback puts them here)
_MESSAGE = "_share_import_message"  # lesson -> ("success" | "error", text) after an import


def show_notice(spec: PageSpec) -> None:
    """One notice, in the UI's language, naming the link's parameters that were ignored."""
    bad = take_notice(spec)
    if bad:
        names = ", ".join(md_code(k, 30) for k in bad[:6]) + (" …" if len(bad) > 6 else "")
        st.warning(t("share.bad_link", n=len(bad), params=names), icon="🔗")


# --------------------------------------------------------------------------- import
def _uploader_key(spec: PageSpec) -> str:
    return spec.key(f"import_{int(st.session_state.get(spec.key('import_n'), 0))}")


def _queue_import(spec: PageSpec, key: str) -> None:
    """The uploader's change: keep the file's bytes for the page's start, and clear the uploader."""
    file = st.session_state.get(key)
    if file is None:
        return
    st.session_state.setdefault(_PENDING, {})[spec.name] = file.read(MAX_IMPORT_BYTES + 1)
    st.session_state[spec.key("import_n")] = int(st.session_state.get(spec.key("import_n"), 0)) + 1


#: Why a file cannot be imported (:class:`ImportProblem`'s code) -> its message's key, written out.
_IMPORT_KEYS: dict[str, str] = {
    "too_big": "share.import_too_big",
    "not_text": "share.import_not_text",
    "truncated": "share.import_truncated",
    "not_json": "share.import_not_json",
    "not_ours": "share.import_not_ours",
    "version": "share.import_version",
    "other_lesson": "share.import_other_lesson",
    "no_inputs": "share.import_no_inputs",
    "bad_value": "share.import_bad_value",
}


def _problem_text(problem: ImportProblem) -> str:
    params = dict(problem.params)
    if problem.code == "other_lesson":
        other = lessons().get(params["lesson"])
        params["lesson"] = f"“{t(other.title_key)}”" if other is not None else md_code(params["lesson"], 40)
    if "names" in params:  # a file's inputs, named by the file: shown literally
        names = [str(n) for n in params.pop("names")]
        params["name"] = ", ".join(md_code(n, 40) for n in names[:6]) + (" …" if len(names) > 6 else "")
        if len(names) > 1:
            return t("share.import_bad_values", n=len(names), names=params["name"])
    if "version" in params:
        params["version"] = md_code(str(params["version"]), 20)
    return t(_IMPORT_KEYS.get(problem.code, "error.invalid_input"), **params)  # an unknown code: the generic message


def import_pending(spec: PageSpec) -> None:
    """Import the file the uploader just took (before any widget is drawn): every value is checked
    first; a file with any problem changes nothing and says why, in the UI's language."""
    data = st.session_state.get(_PENDING, {}).pop(spec.name, None)
    if data is None:
        return
    messages = st.session_state.setdefault(_MESSAGE, {})
    try:
        values, bad = parse_inputs(spec, read_experiment(bytes(data), spec.name))
        a_inputs = read_pinned(bytes(data), spec.name)
        a_values, a_bad = parse_inputs(spec, a_inputs) if a_inputs is not None else ({}, [])
        bad += [f"{pins.PARAM}.{name}" for name in a_bad]
        if bad:
            raise ImportProblem("bad_value", names=bad)
    except ImportProblem as problem:
        messages[spec.name] = ("error", _problem_text(problem))
        return
    apply(spec, values)
    if a_inputs is not None:  # the file's A replaces the pin; a file without one keeps it
        pins.pin(spec, a_values)
    messages[spec.name] = ("success", t("share.import_done"))


# --------------------------------------------------------------------------- the files
def _inputs(spec: PageSpec, state: Mapping[str, Any]) -> dict[str, Any]:
    """The experiment's fields as a JSON file's inputs."""
    return {f.name: f.plain(state[f.name]) for f in fields(spec) if f.active(state)}


def export_file(
    spec: PageSpec,
    kind: str,
    state: Mapping[str, Any],
    lang: str,
    score: Mapping[str, int] | None = None,
    pinned: Mapping[str, Any] | None = None,
) -> bytes:
    """The file a download of the share bar makes (``kind``: ``"notebook"``, ``"json"``, ``"csv"``) for
    the experiment ``state`` (what :func:`ui.share.state.sync` kept): what the buttons call on a click.
    The Word2Vec lab's model comes from the page's training cache (never retrained for a download).
    ``score``: the learner's "Predict first" score (answered, right, streak), kept in the JSON file.
    ``pinned``: the comparison's A (:mod:`ui.share.pin`), kept in the JSON file."""
    s = dict(state)
    edited = edited_tables(spec, s)
    if kind == "notebook":
        return notebook_json(spec, s, lang, edited)
    if kind == "json":
        a = pinned
        return experiment_json(
            spec,
            _inputs(spec, s),
            s,
            lang,
            edited,
            train_word2vec=cached_trainer,
            score=score,
            pinned=None if a is None else (_inputs(spec, a), a, edited_tables(spec, a)),
        )
    if kind == "csv":
        return tables_zip(spec, s, lang, edited, train_word2vec=cached_trainer)
    raise ValueError(f"no export {kind!r}")


# --------------------------------------------------------------------------- the bar
def share_bar(spec: PageSpec, extra: Callable[[], None] | None = None) -> None:
    """ "Copy link" and the export menu (notebook, JSON, CSV, import), in one row under the title;
    ``extra`` draws more of the row between them (the kit's "Pin as A")."""
    lang = current_language()
    holder: dict[str, Any] = st.session_state.setdefault(HOLDER, {})
    fallback = holder.get(spec.name)
    if fallback is None:
        fallback = holder[spec.name] = current(spec)

    def state() -> dict[str, Any]:
        return dict(holder.get(spec.name) or fallback)

    def notebook() -> bytes:
        return export_file(spec, "notebook", state(), lang)

    scores = predict.score_box()  # the same dict the predict panel updates: read on the click

    pinned = pins.pins()  # the session's pins, read on the click

    def experiment() -> bytes:
        a = pinned.get(spec.name)
        return export_file(spec, "json", state(), lang, score=scores.get("score"), pinned=a)

    def tables() -> bytes:
        return export_file(spec, "csv", state(), lang)

    stem = f"attention-lab-{spec.name}"
    with st.container(horizontal=True, vertical_alignment="top", gap="small", key=spec.key("share")):
        _COMPONENT(
            key=spec.key("share_link"),
            data={
                "mode": "link",
                "lang": lang,
                "label": "🔗 " + t("share.copy_link"),
                "box_label": t("share.link_box"),
                "copied": t("share.copied"),
                "manual": t("share.copy_manual"),
                "too_long": t("share.too_long"),
                "too_long_hard": t("share.too_long_hard"),
                "dropped": t("share.link_dropped"),
                "limit": LINK_LIMIT,
                "hard": LINK_HARD_LIMIT,
                "server_max": SERVER_QUERY_LIMIT,
            },
            default=None,
        )
        if extra is not None:
            extra()
        with st.popover(t("share.export"), icon=":material/download:"):
            st.caption(t("share.export_caption"))
            downloads = (
                ("notebook", "share.notebook", "share.notebook_help", notebook, ".ipynb", "application/x-ipynb+json"),
                ("json", "share.json", "share.json_help", experiment, ".json", "application/json"),
                ("csv", "share.csv", "share.csv_help", tables, "-tables.zip", "application/zip"),
            )
            icons = {"notebook": ":material/book_2:", "json": ":material/data_object:", "csv": ":material/table:"}
            for name, label, help_key, build, suffix, mime in downloads:
                st.download_button(
                    t(label),
                    data=build,
                    file_name=stem + suffix,
                    mime=mime,
                    on_click="ignore",  # no rerun: the file is made on the click, from the last synced state
                    key=spec.key(f"dl_{name}"),
                    icon=icons[name],
                    help=t(help_key),
                )
            key = _uploader_key(spec)
            st.file_uploader(
                t("share.import"),
                key=key,
                on_change=_queue_import,
                args=(spec, key),
                help=t("share.import_help"),
            )
            st.caption(t("share.import_caption"))
    message = st.session_state.get(_MESSAGE, {}).pop(spec.name, None)
    if message is not None:
        kind, text = message
        (st.success if kind == "success" else st.error)(text, icon="✅" if kind == "success" else "⚠️")


def figure_downloads(target: str, filename: str) -> None:
    """PNG and SVG buttons for the plotly figure with key ``target``, made in the browser at its drawn size."""
    _COMPONENT(
        key=f"{target}_images",
        data={
            "mode": "figure",
            "target": target,
            "png": "⬇ " + t("share.png"),
            "svg": "⬇ " + t("share.svg"),
            "filename": filename,
            "missing": t("share.figure_missing"),
        },
        default=None,
    )
