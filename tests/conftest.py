import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"
SHARED_CORPORA = Path(os.environ.get("MTDETECT_CORPORA", ROOT.parent / "shared" / "corpora"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_labels() -> dict:
    labels = json.loads((SEEDS / "labels.json").read_text(encoding="utf-8"))
    return {k: v for k, v in labels.items() if not k.startswith("_")}


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    if not SHARED_CORPORA.exists():
        pytest.skip(f"shared corpora not found at {SHARED_CORPORA}")
    return SHARED_CORPORA


@pytest.fixture(scope="session")
def scanner_no_mt():
    from mtdetect.scan import Scanner

    return Scanner(mt=False)
