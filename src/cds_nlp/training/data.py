"""The labelled corpus as a `datasets.DatasetDict`, validated against the annotation contract.

Labels live in two places: files in the guidelines' format (text inline, e.g.
``../shared/corpus/train.jsonl``) and the project's stand-off files
(``seeds/labels/train.jsonl``: id, sha256 of the text, offsets, no text),
whose texts are joined in from a raw file. Every problem is reported with
its file, line and what is wrong, all at once, before anything trains.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from datasets import Dataset, DatasetDict, Features, Value

from ..document import ENTITY_LABELS, SENTENCE_LABELS
from ..errors import DataValidationError
from ..jsonl import read_jsonl

REPO = Path(__file__).resolve().parents[3]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
STANDOFF_LABELS = REPO / "seeds" / "labels" / "train.jsonl"
# Sentence-function labels (no entities) of the extra pool: training data for the sentence classifier only.
SENTENCE_ONLY_LABELS = REPO / "seeds" / "labels" / "extra.jsonl"
OVERLAP_MIN_CHARS = 40
DEFAULT_SEED = 13
DEV_FRACTION = 0.15

_SPAN = {"start": Value("int32"), "end": Value("int32"), "label": Value("string")}
FEATURES = Features(
    {
        "id": Value("string"),
        "source": Value("string"),
        "text": Value("string"),
        "origin": Value("string"),
        "sentences": [_SPAN],
        "entities": [_SPAN],
    }
)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _inside_word(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


def validate_record(record: dict[str, Any], where: str, *, sentence_labels: Iterable[str] = SENTENCE_LABELS,
                    entity_labels: Iterable[str] = ENTITY_LABELS) -> list[str]:
    """Every way `record` breaks the contract, as messages prefixed with `where` (file:line)."""
    problems: list[str] = []
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return [f"{where}: empty or missing text"]
    sentence_labels, entity_labels = set(sentence_labels), set(entity_labels)
    previous_end = 0
    for i, span in enumerate(record.get("sentences") or []):
        problems += _check_span(span, text, f"{where}: sentence {i}", sentence_labels)
        if isinstance(span, dict) and isinstance(span.get("start"), int):
            if span["start"] < previous_end:
                problems.append(f"{where}: sentence {i} starts at {span['start']}, before the previous one ends ({previous_end})")
            previous_end = max(previous_end, span.get("end", 0) if isinstance(span.get("end"), int) else 0)
    for i, span in enumerate(record.get("entities") or []):
        problems += _check_span(span, text, f"{where}: entity {i}", entity_labels)
        if isinstance(span, dict) and "text" in span and _in_range(span, text) and text[span["start"]:span["end"]] != span["text"]:
            problems.append(f"{where}: entity {i} text {span['text']!r} != text[{span['start']}:{span['end']}] {text[span['start']:span['end']]!r}")
    return problems


def _in_range(span: dict[str, Any], text: str) -> bool:
    start, end = span.get("start"), span.get("end")
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)


def _check_span(span: Any, text: str, where: str, labels: set[str]) -> list[str]:
    if not isinstance(span, dict):
        return [f"{where}: not an object"]
    problems = []
    if span.get("label") not in labels:
        problems.append(f"{where}: unknown label {span.get('label')!r} (expected one of {sorted(labels)})")
    if not _in_range(span, text):
        return problems + [f"{where}: span [{span.get('start')}, {span.get('end')}) is outside the text (length {len(text)})"]
    start, end = span["start"], span["end"]
    if text[start].isspace() or text[end - 1].isspace():
        problems.append(f"{where}: span [{start}, {end}) has surrounding whitespace")
    if _inside_word(text, start) or _inside_word(text, end):
        problems.append(f"{where}: span [{start}, {end}) cuts through a word ({text[max(0, start - 5):end + 5]!r})")
    return problems


def load_inline(path: Path, **labels: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """Records in the guidelines' format (text inline)."""
    rows, problems = [], []
    for number, record in read_jsonl(path):
        where = f"{Path(path).name}:{number}"
        if isinstance(record, str):
            problems.append(f"{where}: {record}")
            continue
        found = validate_record(record, where, **labels)
        problems += found
        if not found:
            rows.append(_row(record, origin=Path(path).name))
    return rows, problems


def standoff_records(path: Path, raw_path: Path, problems: list[str]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(where, stand-off record, raw record) for each line of `path` whose id and text hash match `raw_path`.

    Lines that do not are reported in `problems` (file:line: what) and skipped.
    """
    texts = {r["id"]: r for _, r in read_jsonl(raw_path) if isinstance(r, dict) and "id" in r}
    for number, record in read_jsonl(path):
        where = f"{Path(path).name}:{number}"
        if isinstance(record, str):
            problems.append(f"{where}: {record}")
            continue
        raw = texts.get(record.get("id"))
        if raw is None:
            problems.append(f"{where}: id {record.get('id')!r} not found in {Path(raw_path).name}")
            continue
        if record.get("sha256") != text_hash(raw["text"]):
            problems.append(f"{where}: sha256 of the text of {record['id']!r} does not match: the raw text changed")
            continue
        yield where, record, raw


def load_standoff(path: Path, raw_path: Path, **labels: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """Stand-off labels (id, sha256, offsets) joined with the texts of `raw_path`."""
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for where, record, raw in standoff_records(path, raw_path, problems):
        merged = {**record, "text": raw["text"], "source": raw.get("source")}
        found = validate_record(merged, where, **labels)
        problems += found
        if not found:
            rows.append(_row(merged, origin=Path(path).name))
    return rows, problems


def _row(record: dict[str, Any], origin: str) -> dict[str, Any]:
    strip = lambda spans: [{"start": s["start"], "end": s["end"], "label": s["label"]} for s in spans or []]  # noqa: E731
    return {
        "id": str(record["id"]),
        "source": record.get("source"),
        "text": record["text"],
        "origin": origin,
        "sentences": strip(record.get("sentences")),
        "entities": sorted(strip(record.get("entities")), key=lambda s: (s["start"], -s["end"])),
    }


def load_corpus(corpus_dir: Path = SHARED_CORPUS, standoff: Path = STANDOFF_LABELS, *, seed: int = DEFAULT_SEED,
                dev_fraction: float = DEV_FRACTION) -> DatasetDict:
    """The labelled training corpus, validated, split by document into `train` and `dev`.

    Raises DataValidationError listing every problem (file:line: what) if any.
    """
    corpus_dir = Path(corpus_dir)
    rows, problems = load_inline(corpus_dir / "train.jsonl")
    if Path(standoff).exists():
        extra, more = load_standoff(Path(standoff), corpus_dir / "train_raw.jsonl")
        rows += extra
        problems += more
    ids = [r["id"] for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate document ids across files: {duplicates[:10]}")
    if problems:
        raise DataValidationError(problems)
    dataset = Dataset.from_list(rows, features=FEATURES)
    return split_documents(dataset, seed=seed, dev_fraction=dev_fraction)


def split_documents(dataset: Dataset, *, seed: int = DEFAULT_SEED, dev_fraction: float = DEV_FRACTION) -> DatasetDict:
    """Seeded split by document (a row is a document), so no article has sentences on both sides."""
    parts = dataset.train_test_split(test_size=dev_fraction, seed=seed)
    return DatasetDict(train=parts["train"], dev=parts["test"])


def load_sentence_labels(path: Path = SENTENCE_ONLY_LABELS, raw_path: Path = SHARED_CORPUS / "extra_raw.jsonl") -> Dataset:
    """Stand-off sentence-function labels of documents whose entities are NOT labelled.

    Kept out of `load_corpus` on purpose: their empty `entities` would teach the NER that these
    documents name nobody. Raises DataValidationError (file:line: what) on any problem, including
    a record that carries entities.
    """
    rows, problems = load_standoff(Path(path), Path(raw_path))
    for row in rows:
        if row["entities"]:
            problems.append(f"{Path(path).name}: {row['id']}: a sentence-only file must not carry entities")
    if problems:
        raise DataValidationError(problems)
    return Dataset.from_list(rows, features=FEATURES)


def _sentence_keys(row: dict[str, Any], min_chars: int) -> set[str]:
    keys = set()
    for s in row["sentences"]:
        key = re.sub(r"\W+", " ", row["text"][s["start"]:s["end"]].lower()).strip()
        if len(key) >= min_chars:
            keys.add(key)
    return keys


def overlapping_ids(rows: Iterable[dict[str, Any]], *held_out: Iterable[dict[str, Any]],
                    min_chars: int = OVERLAP_MIN_CHARS) -> list[str]:
    """Ids of the `rows` documents that share a sentence with any `held_out` set.

    News is syndicated: the same paragraph appears in several outlets, so a training document can
    repeat an evaluation document. Sentences are compared lower-cased, punctuation removed, if at
    least `min_chars` long (short headings such as a province name legitimately repeat).
    """
    seen: set[str] = set()
    for dataset in held_out:
        for row in dataset:
            seen |= _sentence_keys(row, min_chars)
    return [row["id"] for row in rows if _sentence_keys(row, min_chars) & seen]


def load_reference(path: Path = SHARED_CORPUS / "seeds.jsonl") -> Dataset:
    """A labelled evaluation set in the guidelines' format (by default the seeds, never trained on)."""
    rows, problems = load_inline(path)
    if problems:
        raise DataValidationError(problems)
    return Dataset.from_list(rows, features=FEATURES)


def corpus_hash(dataset: DatasetDict | Dataset) -> str:
    """sha256 over ids, texts and labels: recorded in meta.json to tie a model to its data."""
    digest = hashlib.sha256()
    parts = dataset.values() if isinstance(dataset, DatasetDict) else [dataset]
    for part in parts:
        for row in sorted(part, key=lambda r: r["id"]):
            digest.update(json.dumps([row["id"], text_hash(row["text"]), row["sentences"], row["entities"]]).encode())
    return digest.hexdigest()
