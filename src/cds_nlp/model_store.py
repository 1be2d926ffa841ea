"""Finding, checking and describing versioned model folders.

A model folder holds ``meta.json``, a model card ``README.md`` and the spaCy
pipeline in ``pipeline/``. ``meta.json`` records a sha256 per pipeline file,
checked at load so a corrupt install fails loudly instead of predicting nonsense.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .errors import ModelIntegrityError, ModelNotFoundError

MODEL_ENV = "CDS_NLP_MODEL"
PIPELINE_DIR = "pipeline"
META_FILE = "meta.json"


def _candidate_roots() -> list[Path]:
    package = Path(__file__).resolve().parent
    return [package / "_models", package.parents[1] / "models"]


def default_model_path() -> Path | None:
    """The newest shipped model: $CDS_NLP_MODEL, else the wheel's copy, else the repo's `models/`."""
    if os.environ.get(MODEL_ENV):
        return Path(os.environ[MODEL_ENV])
    for root in _candidate_roots():
        if root.is_dir():
            folders = sorted((p for p in root.iterdir() if (p / META_FILE).is_file()), key=_version_key)
            if folders:
                return folders[-1]
    return None


def _version_key(path: Path) -> tuple:
    meta = read_meta(path)
    return tuple(int(x) if x.isdigit() else 0 for x in str(meta.get("version", "0")).split(".")), path.name


def read_meta(path: Path) -> dict[str, Any]:
    meta_path = Path(path) / META_FILE
    if not meta_path.is_file():
        raise ModelNotFoundError(str(path))
    return json.loads(meta_path.read_text(encoding="utf-8"))


def file_hashes(pipeline_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(pipeline_dir)).replace(os.sep, "/"): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(pipeline_dir.rglob("*"))
        if p.is_file()
    }


def verify(path: Path, meta: dict[str, Any]) -> None:
    """Raise ModelIntegrityError if a pipeline file is missing or changed since meta.json was written."""
    expected: dict[str, str] = meta.get("files", {})
    pipeline_dir = Path(path) / PIPELINE_DIR
    if not pipeline_dir.is_dir():
        raise ModelIntegrityError(str(path), f"no {PIPELINE_DIR}/ folder")
    actual = file_hashes(pipeline_dir)
    for name, digest in expected.items():
        if name not in actual:
            raise ModelIntegrityError(str(path), f"missing file {name}")
        if actual[name] != digest:
            raise ModelIntegrityError(str(path), f"checksum mismatch for {name}")
