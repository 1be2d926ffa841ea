from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def pipeline():
    import cds_nlp

    return cds_nlp.load()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in SEEDS}


@pytest.fixture(scope="session")
def seed_docs(pipeline, seed_texts):
    return {name: pipeline.parse(text, id=name) for name, text in seed_texts.items()}


@pytest.fixture(scope="session")
def tokenizer_nlp():
    from cds_nlp.language import blank

    return blank()
