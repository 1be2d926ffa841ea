"""Writing a trained pipeline as a versioned model folder: pipeline/, meta.json, README.md."""

from __future__ import annotations

import datetime as dt
import json
import platform
import shutil
import tempfile
from pathlib import Path
from typing import Any

import spacy
import underthesea
from spacy.language import Language

from ..model_store import META_FILE, PIPELINE_DIR, file_hashes
from ..version import __version__


def write_model_folder(nlp: Language, out_dir: Path, meta: dict[str, Any], card: str) -> Path:
    """Write atomically: a half-written folder never replaces a good one."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a model folder is meant to be shared
    try:
        nlp.to_disk(staging / PIPELINE_DIR)
        full_meta = {
            **meta,
            "date": dt.date.today().isoformat(),
            "library_version": __version__,
            "requirements": {"spacy": spacy.__version__, "underthesea": underthesea.__version__, "python": platform.python_version()},
            "pipeline": nlp.pipe_names,
            "disabled": list(nlp.disabled),
            "files": file_hashes(staging / PIPELINE_DIR),
        }
        (staging / META_FILE).write_text(json.dumps(full_meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (staging / "README.md").write_text(card, encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return out_dir
