"""Soft sentence labels from a teacher, and training the textcat on them (knowledge distillation).

A heavier model than the shipped classifier (see `training.teacher`) labels the sentences of an
unlabelled pool with a probability per class. Its output is stored stand-off, like our own labels
(``seeds/labels/extra_soft.jsonl``: id, sha256 of the text, sentence offsets, scores; no text), so a
model build needs neither the teacher nor its dependencies, only the raw texts.

The student is the stock spaCy ``textcat``. Its loss is already the squared error between scores
and targets, which works as is for soft targets; only its input check insists on one-hot targets,
which `soft_targets` lifts for the duration of training.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.tokens import Doc

from ..document import SENTENCE_LABELS
from ..errors import DataValidationError
from .data import REPO, standoff_records
from .examples import sentence_items

SOFT_LABELS = REPO / "seeds" / "labels" / "extra_soft.jsonl"
SoftItem = tuple[Doc, dict[str, float], str]


def _check_scores(scores: Any, where: str, labels: Sequence[str]) -> list[str]:
    if not isinstance(scores, dict) or set(scores) != set(labels):
        return [f"{where}: scores must have exactly the labels {list(labels)}"]
    values = list(scores.values())
    if not all(isinstance(v, (int, float)) and 0.0 <= v <= 1.0 for v in values):
        return [f"{where}: scores must be numbers in [0, 1]"]
    if not math.isclose(sum(values), 1.0, abs_tol=1e-3):
        return [f"{where}: scores sum to {sum(values):.4f}, not 1"]
    return []


def load_soft_labels(path: Path, raw_path: Path, labels: Sequence[str] = SENTENCE_LABELS) -> list[dict[str, Any]]:
    """Stand-off soft labels joined with their texts; every problem reported at once (file:line)."""
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for where, record, raw in standoff_records(path, raw_path, problems):
        text = raw["text"]
        last = 0
        for k, sentence in enumerate(record.get("sentences") or []):
            start, end = sentence.get("start"), sentence.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and last <= start < end <= len(text)):
                problems.append(f"{where}: sentence {k} [{start}, {end}) out of order or out of range")
                continue
            last = end
            problems += _check_scores(sentence.get("scores"), f"{where}: sentence {k}", labels)
        rows.append({"id": record["id"], "text": text, "sentences": record.get("sentences") or []})
    if problems:
        raise DataValidationError(problems)
    return rows


def soft_items(nlp: Language, rows: Iterable[dict[str, Any]]) -> list[SoftItem]:
    """(sentence Doc, scores, document id), registered with their context like `examples.sentence_items`."""
    return sentence_items(nlp, rows, target="scores")


@contextmanager
def soft_targets(pipe: TextCategorizer) -> Iterator[None]:
    """Let `pipe` train on probability targets: its one-hot check is switched off, then restored."""
    pipe._validate_categories = lambda examples: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        del pipe._validate_categories
