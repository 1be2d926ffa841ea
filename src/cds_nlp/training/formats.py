"""Labelled data in the formats teams already have, turned into the guidelines' format and validated.

Readers accept:

- guidelines files (JSONL with ``text``, ``sentences`` and ``entities``; annotation guidelines §3);
- sentence tables (JSONL, CSV or Parquet with ``text`` and ``label``): one sentence a row, labels only;
- Label Studio JSON exports (tasks as written by `to_label_studio`, corrected by people);
- Doccano JSONL (sequence labelling: ``label`` = [[start, end, LABEL], …] or ``entities`` with
  ``start_offset``/``end_offset``; text classification: ``label`` = a string or a one-item list);
- a `datasets.Dataset` / `DatasetDict`, or a list of dicts, in any of those shapes.

Tables go through HF ``datasets`` (``load_dataset("json"|"csv"|"parquet")``); a JSONL file that
``datasets`` cannot type (mixed types across lines, broken JSON) is re-read line by line, so the
error still names the line. Every row becomes a guidelines record, checked by
`data.validate_record`; problems come back as ``file:line: what`` strings, all at once.

Label Studio round trip: one task per document. Entities are ``labels`` regions (tag
``entity``); each sentence is a ``labels`` region (tag ``sentence``) with a per-region ``choices``
result (tag ``function``) holding its label, so annotators read the whole article and correct
both in one place. Offsets are written in UTF-16 code units, as Label Studio counts them in the
browser; the importer accepts both conventions by checking each region's text.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Union
from xml.sax.saxutils import quoteattr

import datasets
from datasets import Dataset, DatasetDict, Features, Value

from ..document import ENTITY_LABELS, SENTENCE_LABELS
from ..errors import DataValidationError
from ..jsonl import read_jsonl
from .data import FEATURES, _row, validate_record

ROW_FEATURES = Features({**FEATURES, "has_entities": Value("bool"), "has_sentences": Value("bool")})
"""A training row: the corpus schema plus which layers the source actually annotated.

A sentence table says nothing about entities; training NER on its rows as if they had none
would teach the model to find nothing, so `has_entities` keeps them out of NER (and entity scores).
"""

FILE_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".parquet")
SPLIT_ALIASES = {"train": "train", "dev": "dev", "validation": "dev", "valid": "dev", "test": "test"}
ENTITY_TAG, SENTENCE_TAG, FUNCTION_TAG, TEXT_TAG = "entity", "sentence", "function", "text"

Source = Union[str, Path, Dataset, DatasetDict, Sequence[dict[str, Any]]]
Located = tuple[str, dict[str, Any]]  # (where, raw record)


# --------------------------------------------------------------------------- reading


@contextmanager
def _quiet_datasets() -> Iterator[None]:
    """No "Generating train split" bars in the middle of the training log."""
    was_disabled = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


def _load_table(kind: str, path: Path, **options: Any) -> list[dict[str, Any]]:
    """Rows of one file through `datasets`; a throwaway cache so a changed file is never served stale."""
    with tempfile.TemporaryDirectory(prefix="cds_nlp-data-") as cache, _quiet_datasets():
        dataset = datasets.load_dataset(kind, data_files=str(path), split="train", cache_dir=cache, **options)
        return dataset.to_list()


def _drop_nulls(value: Any) -> Any:
    """Arrow fills keys a row lacks with None; remove them so "absent" stays absent."""
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _read_jsonl(path: Path) -> tuple[list[Located], list[str]]:
    name = path.name
    with path.open(encoding="utf-8-sig") as handle:
        numbers = [n for n, line in enumerate(handle, 1) if line.strip()]
    try:
        rows = _load_table("json", path)
    except Exception:  # noqa: BLE001 - datasets/arrow raise many types; the line reader below names the line
        rows = None
    if rows is not None and len(rows) == len(numbers):
        return [(f"{name}:{n}", _drop_nulls(r)) for n, r in zip(numbers, rows)], []
    located, problems = [], []
    for number, record in read_jsonl(path):  # the slow path names the line of each problem
        if isinstance(record, str):
            problems.append(f"{name}:{number}: {record}")
        else:
            located.append((f"{name}:{number}", record))
    return located, problems


def _read_json_array(path: Path) -> tuple[list[Located], list[str]]:
    """A whole-file JSON document: Label Studio's export (a list of tasks), or one record."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        return [], [f"{path.name}:{error.lineno}: invalid JSON ({error.msg} at column {error.colno})"]
    items = data if isinstance(data, list) else [data]
    located, problems = [], []
    for i, item in enumerate(items, 1):
        where = f"{path.name}: item {i}"
        if not isinstance(item, dict):
            problems.append(f"{where}: not a JSON object")
        else:
            if isinstance(item.get("data"), dict):
                where = f"{path.name}: task {i}" + (f" (id {item['id']})" if "id" in item else "")
            located.append((where, item))
    return located, problems


def _read_file(path: Path) -> tuple[list[Located], list[str]]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path)
    if suffix == ".json":
        try:
            json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError:
            return _read_jsonl(path)  # JSON Lines under a .json name
        return _read_json_array(path)
    if suffix in (".csv", ".parquet"):
        options = {"encoding": "utf-8-sig"} if suffix == ".csv" else {}
        try:
            rows = _load_table(suffix[1:], path, **options)
        except Exception as error:  # noqa: BLE001 - report any reader failure as a data problem
            return [], [f"{path.name}: cannot be read as {suffix[1:].upper()} ({type(error).__name__}: {error})"]
        return [(f"{path.name}: row {i}", _drop_nulls(r)) for i, r in enumerate(rows, 1)], []
    return [], [f"{path.name}: unsupported file type {suffix or '(none)'!r}; use .jsonl, .json, .csv or .parquet"]


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FILE_SUFFIXES)
    return [path]


def _located(source: Source) -> tuple[dict[str, list[Located]], list[str]]:
    """Raw records by split, each with a `where` for messages."""
    if isinstance(source, DatasetDict):
        splits: dict[str, list[Located]] = {}
        for split, part in source.items():
            name = SPLIT_ALIASES.get(split.lower())
            if name is None:
                continue  # e.g. "unlabelled": not for training or scoring
            splits.setdefault(name, []).extend((f"dataset[{split}] row {i}", _drop_nulls(r)) for i, r in enumerate(part, 1))
        return splits, []
    if isinstance(source, Dataset):
        return {"train": [(f"dataset row {i}", _drop_nulls(r)) for i, r in enumerate(source, 1)]}, []
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            return {}, [f"{path}: file not found"]
        located, problems = [], []
        files = _expand(path)
        if not files:
            problems.append(f"{path}: no .jsonl, .json, .csv or .parquet files in this folder")
        for file in files:
            found, more = _read_file(file)
            located += found
            problems += more
        return {"train": located}, problems
    if isinstance(source, Sequence) and all(isinstance(r, dict) for r in source):
        return {"train": [(f"record {i}", r) for i, r in enumerate(source, 1)]}, []
    return {}, [f"cannot read labelled data from a {type(source).__name__}; pass a file, folder, Dataset, DatasetDict or list of dicts"]


# --------------------------------------------------------------------------- record kinds -> guidelines records


def record_kind(record: dict[str, Any], label_column: str = "label") -> str:
    """`label_studio`, `doccano`, `table` or `guidelines`, from the keys a record carries."""
    if isinstance(record.get("data"), dict):
        return "label_studio"
    entities = record.get("entities")
    if isinstance(entities, list) and entities and isinstance(entities[0], dict) and "start_offset" in entities[0]:
        return "doccano"
    label = record.get(label_column)
    if isinstance(label, list):
        return "doccano"
    if label_column in record and "sentences" not in record:
        return "table"
    return "guidelines"


def _hint(problem: str, kind_of_span: str) -> str:
    if "unknown label" not in problem:
        return problem
    label = problem.split("unknown label ", 1)[1].split(" (expected", 1)[0]
    if kind_of_span == "entity":
        return (f"{problem}; entity labels stay PERSON, ORG and PROVINCE (plus the base model's) unless you extend them: "
                f"pass --entity-labels {label.strip(chr(39))} (entity_labels=[{label}] in Python)")
    return (f"{problem}; to add a new sentence class pass --sentence-labels {label.strip(chr(39))} "
            f"(sentence_labels=[{label}] in Python)")


def _validated(record: dict[str, Any], where: str, sentence_labels: Sequence[str],
               entity_labels: Sequence[str], *, table: bool = False) -> list[str]:
    problems = []
    for problem in validate_record(record, where, sentence_labels=sentence_labels, entity_labels=entity_labels):
        problem = _hint(problem, "entity" if f"{where}: entity " in problem else "sentence")
        if table:
            problem = problem.replace(f"{where}: sentence 0:", f"{where}: label:")
        problems.append(problem)
    return problems


def _whole_text_sentence(text: Any, label: Any) -> list[dict[str, Any]]:
    if not isinstance(text, str) or not text.strip():
        return []
    start = len(text) - len(text.lstrip())
    return [{"start": start, "end": len(text.rstrip()), "label": label}]


def _from_table(raw: dict[str, Any], text_column: str, label_column: str) -> dict[str, Any]:
    text = raw.get(text_column)
    return {"text": text, "sentences": _whole_text_sentence(text, raw.get(label_column)), "source": raw.get("source")}


def _from_doccano(raw: dict[str, Any], where: str, text_column: str, label_column: str,
                  sentence_labels: Sequence[str], entity_labels: Sequence[str]) -> tuple[dict[str, Any], list[str]]:
    text = raw.get(text_column)
    label = raw.get(label_column)
    if isinstance(label, list) and all(isinstance(x, str) for x in label) and label:
        if len(label) > 1:
            return {}, [f"{where}: {len(label)} class labels {label}; a sentence takes exactly one"]
        return {"text": text, "sentences": _whole_text_sentence(text, label[0])}, []
    spans = [{"start": s[0], "end": s[1], "label": s[2]} for s in (label or []) if isinstance(s, list) and len(s) == 3]
    spans += [{"start": e.get("start_offset"), "end": e.get("end_offset"), "label": e.get("label")}
              for e in raw.get("entities") or [] if isinstance(e, dict)]
    record: dict[str, Any] = {"text": text, "sentences": [], "entities": []}
    problems = []
    for span in spans:
        if span["label"] in sentence_labels:
            record["sentences"].append(span)
        elif span["label"] in entity_labels:
            in_text = isinstance(text, str) and isinstance(span["start"], int) and isinstance(span["end"], int)
            record["entities"].append({**span, **({"text": text[span["start"]:span["end"]]} if in_text else {})})
        else:
            problems.append(f"{where}: span [{span['start']}, {span['end']}) label {span['label']!r} is neither a sentence label "
                            f"{sorted(sentence_labels)} nor an entity label {sorted(entity_labels)}; declare it with "
                            "--sentence-labels or --entity-labels")
    record["sentences"].sort(key=lambda s: (s["start"], s["end"]) if isinstance(s["start"], int) else (0, 0))
    if not record["sentences"]:
        del record["sentences"]
    return record, problems


def to_rows(source: Source, *, sentence_labels: Sequence[str] = SENTENCE_LABELS, entity_labels: Sequence[str] = ENTITY_LABELS,
            text_column: str = "text", label_column: str = "label", id_column: str = "id",
            use_predictions: bool = False) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Validated training rows (`ROW_FEATURES` shape) by split, and every problem found.

    Files give a single `train` split; a DatasetDict keeps its `train`/`dev`/`validation`/`test` splits.
    Rows with problems are left out, so callers must refuse to train when problems is non-empty.
    """
    located_by_split, problems = _located(source)
    rows_by_split: dict[str, list[dict[str, Any]]] = {}
    skipped = 0
    for split, located in located_by_split.items():
        rows = rows_by_split.setdefault(split, [])
        for where, raw in located:
            kind = record_kind(raw, label_column)
            if kind == "label_studio":
                record, found = label_studio_record(raw, where, sentence_labels=sentence_labels, entity_labels=entity_labels,
                                                    use_predictions=use_predictions)
                if record is None and not found:
                    skipped += 1  # a task nobody annotated
                    continue
            elif kind == "doccano":
                record, found = _from_doccano(raw, where, text_column, label_column, sentence_labels, entity_labels)
            elif kind == "table":
                record, found = _from_table(raw, text_column, label_column), []
            elif "sentences" in raw or "entities" in raw:
                record, found = {**raw, "text": raw.get(text_column)}, []
            else:
                record, found = None, [f"{where}: no labels: a sentence-table row needs a {label_column!r} value, "
                                       "a guidelines record 'sentences' and/or 'entities'"]
            problems += found
            if found or record is None:
                continue
            record_id = record.get("id") if kind == "label_studio" else raw.get(id_column, record.get("id"))
            record["id"] = str(record_id) if record_id is not None else where.replace(" ", "")
            found = _validated(record, where, sentence_labels, entity_labels, table=kind == "table")
            problems += found
            if not found:
                row = _row(record, origin=where)
                row["source"] = record.get("source") if isinstance(record.get("source"), str) else None
                row["has_entities"] = "entities" in record
                row["has_sentences"] = bool(row["sentences"])
                rows.append(row)
    if skipped:
        warnings.warn(f"{skipped} Label Studio task(s) have no (non-cancelled) annotation and were left out", stacklevel=2)
    return rows_by_split, problems


def duplicate_ids(rows: Iterable[dict[str, Any]]) -> list[str]:
    """Problems for ids seen twice (across files and splits): a dev row must not also be a train row."""
    first: dict[str, str] = {}
    problems = []
    for row in rows:
        if row["id"] in first:
            problems.append(f"{row['origin']}: duplicate id {row['id']!r} (first at {first[row['id']]})")
        else:
            first[row["id"]] = row["origin"]
    return problems


def to_dataset(rows: list[dict[str, Any]]) -> Dataset:
    if not rows:  # from_list cannot type an empty list
        return Dataset.from_dict({name: [] for name in ROW_FEATURES}, features=ROW_FEATURES)
    return Dataset.from_list(rows, features=ROW_FEATURES)


# --------------------------------------------------------------------------- Label Studio


def _astral(text: str) -> bool:
    return any(ord(c) > 0xFFFF for c in text)


def to_utf16(text: str, offset: int) -> int:
    """A code-point offset as JavaScript (Label Studio) counts it: astral characters are two units."""
    return offset + sum(1 for c in text[:offset] if ord(c) > 0xFFFF)


def from_utf16(text: str, units: int) -> int | None:
    """The code-point offset at `units` UTF-16 units, or None if it falls inside a surrogate pair."""
    count = 0
    for i, c in enumerate(text):
        if count == units:
            return i
        count += 2 if ord(c) > 0xFFFF else 1
        if count > units:
            return None
    return len(text) if count == units else None


def _items_as_records(items: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item.model_dump() if hasattr(item, "model_dump") else dict(item)


def _region(record_text: str, start: int, end: int) -> dict[str, Any]:
    return {"start": to_utf16(record_text, start), "end": to_utf16(record_text, end), "text": record_text[start:end]}


def label_studio_task(record: dict[str, Any], *, as_annotations: bool = False, model_version: str | None = None) -> dict[str, Any]:
    """One task for one document (a `Document`'s dump or a guidelines record)."""
    text = record["text"]
    result: list[dict[str, Any]] = []
    for i, entity in enumerate(record.get("entities") or []):
        item = {"id": f"e{i}", "from_name": ENTITY_TAG, "to_name": TEXT_TAG, "type": "labels",
                "value": {**_region(text, entity["start"], entity["end"]), "labels": [entity["label"]]}}
        if entity.get("score") is not None:
            item["score"] = entity["score"]
        result.append(item)
    confidences = []
    for i, sentence in enumerate(record.get("sentences") or []):
        region = _region(text, sentence["start"], sentence["end"])
        result.append({"id": f"s{i}", "from_name": SENTENCE_TAG, "to_name": TEXT_TAG, "type": "labels",
                       "value": {**region, "labels": [SENTENCE_TAG]}})
        if sentence.get("label"):
            choice = {"id": f"s{i}", "from_name": FUNCTION_TAG, "to_name": TEXT_TAG, "type": "choices",
                      "value": {**region, "choices": [sentence["label"]]}}
            scores = sentence.get("scores") or {}
            if sentence["label"] in scores:
                choice["score"] = scores[sentence["label"]]
                confidences.append(scores[sentence["label"]])
            result.append(choice)
    data = {"text": text, **{k: record[k] for k in ("id", "source", "published") if record.get(k) is not None}}
    layer: dict[str, Any] = {"result": result}
    if as_annotations:
        return {"data": data, "annotations": [layer]}
    layer["model_version"] = model_version or record.get("model") or "cds_nlp"
    if confidences:
        layer["score"] = round(sum(confidences) / len(confidences), 4)
    return {"data": data, "predictions": [layer]}


def to_label_studio(items: Iterable[Any], *, as_annotations: bool = False, model_version: str | None = None) -> list[dict[str, Any]]:
    """Label Studio tasks (JSON import format) for parsed `Document`s or guidelines records.

    By default the labels are `predictions` (pre-annotations people correct); `as_annotations=True`
    imports existing gold labels as annotations, for review.
    """
    return [label_studio_task(r, as_annotations=as_annotations, model_version=model_version) for r in _items_as_records(items)]


def label_studio_config(sentence_labels: Sequence[str] = SENTENCE_LABELS, entity_labels: Sequence[str] = ENTITY_LABELS) -> str:
    """The labelling interface matching `to_label_studio`'s tasks (paste into the project settings)."""
    colours = ["#ff8a65", "#64b5f6", "#81c784", "#ba68c8", "#ffd54f", "#4db6ac", "#f06292"]
    entities = "\n".join(f'    <Label value={quoteattr(label)} background="{colours[i % len(colours)]}"/>'
                         for i, label in enumerate(entity_labels))
    choices = "\n".join(f"    <Choice value={quoteattr(label)}/>" for label in sentence_labels)
    return f"""<View>
  <Labels name="{ENTITY_TAG}" toName="{TEXT_TAG}">
{entities}
  </Labels>
  <Labels name="{SENTENCE_TAG}" toName="{TEXT_TAG}">
    <Label value="{SENTENCE_TAG}" background="#e0e0e0"/>
  </Labels>
  <Text name="{TEXT_TAG}" value="$text"/>
  <Header value="Sentence function (select a sentence region)"/>
  <Choices name="{FUNCTION_TAG}" toName="{TEXT_TAG}" perRegion="true" choice="single" visibleWhen="region-selected" whenLabelValue="{SENTENCE_TAG}">
{choices}
  </Choices>
</View>
"""


def _offsets(text: str, value: dict[str, Any], where: str) -> tuple[int, int] | str:
    """Code-point offsets of a region, trying Label Studio's UTF-16 units first when it matters."""
    start, end = value.get("start"), value.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return f"{where}: region has no integer start/end ({start!r}, {end!r})"
    surface = value.get("text")
    candidates = []
    if _astral(text):
        converted = (from_utf16(text, start), from_utf16(text, end))
        if None not in converted:
            candidates.append(converted)
    candidates.append((start, end))
    for s, e in candidates:
        if surface is None or text[s:e] == surface:
            return s, e
    return f"{where}: region text {surface!r} does not match text[{start}:{end}] {text[start:end]!r}"


def _annotation(task: dict[str, Any], use_predictions: bool) -> list[dict[str, Any]] | None:
    done = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    if done:
        latest = max(enumerate(done), key=lambda p: (str(p[1].get("updated_at") or ""), p[0]))[1]
        return latest.get("result") or []
    if use_predictions and task.get("predictions"):
        return task["predictions"][-1].get("result") or []
    return None


def label_studio_record(task: dict[str, Any], where: str, *, sentence_labels: Sequence[str] = SENTENCE_LABELS,
                        entity_labels: Sequence[str] = ENTITY_LABELS, use_predictions: bool = False,
                        text_key: str = "text") -> tuple[dict[str, Any] | None, list[str]]:
    """A guidelines record from a task's latest non-cancelled annotation; (None, []) if it has none.

    Sentence functions are read from per-region `choices` (our layout), from `labels` regions whose
    label is a sentence class (projects that label sentences with a Labels tag), or from a task-level
    choice (text-classification projects: the whole task is one sentence, and no entities are implied).
    """
    data = task.get("data") or {}
    text = data.get(text_key)
    result = _annotation(task, use_predictions)
    if result is None:
        return None, []
    if not isinstance(text, str):
        return None, [f"{where}: task has no data.{text_key} string"]
    problems: list[str] = []
    regions: dict[str, tuple[int, int]] = {}
    functions: dict[str, tuple[tuple[int, int] | None, str]] = {}
    sentences, entities = [], []
    task_choice = None
    for item in result:
        if not isinstance(item, dict) or item.get("type") not in ("labels", "choices"):
            continue
        value = item.get("value") or {}
        region_where = f"{where}: {item.get('from_name')} region {item.get('id')}"
        if item["type"] == "choices":
            chosen = value.get("choices") or []
            if len(chosen) != 1:
                problems.append(f"{region_where}: {len(chosen)} choices {chosen}; a sentence takes exactly one")
                continue
            if "start" not in value:
                task_choice = chosen[0]
                continue
            offsets = _offsets(text, value, region_where)
            if isinstance(offsets, str):
                problems.append(offsets)
                continue
            functions[str(item.get("id"))] = (offsets, chosen[0])
            continue
        labels = value.get("labels") or []
        if len(labels) != 1:
            problems.append(f"{region_where}: {len(labels)} labels {labels}; a region takes exactly one")
            continue
        offsets = _offsets(text, value, region_where)
        if isinstance(offsets, str):
            problems.append(offsets)
            continue
        label, from_name = labels[0], item.get("from_name")
        if from_name == SENTENCE_TAG and label == SENTENCE_TAG:
            regions[str(item.get("id"))] = offsets
        elif from_name == ENTITY_TAG or (label in entity_labels and label not in sentence_labels):
            entities.append({"start": offsets[0], "end": offsets[1], "label": label, "text": text[offsets[0]:offsets[1]]})
        else:
            sentences.append({"start": offsets[0], "end": offsets[1], "label": label})
    for region_id, (start, end) in regions.items():
        if region_id not in functions:
            problems.append(f"{where}: sentence region {region_id} [{start}, {end}) {text[start:end][:40]!r} has no function chosen")
    for region_id, (offsets, label) in functions.items():
        start, end = regions.get(region_id, offsets)
        sentences.append({"start": start, "end": end, "label": label})
    if problems:
        return None, problems
    record: dict[str, Any] = {"id": data.get("id", task.get("id")), "source": data.get("source"), "text": text}
    if task_choice is not None and not sentences and not entities:
        record["sentences"] = _whole_text_sentence(text, task_choice)
        return record, []
    record["sentences"] = sorted(sentences, key=lambda s: (s["start"], s["end"]))
    record["entities"] = sorted(entities, key=lambda s: (s["start"], -s["end"]))
    return record, []


def from_label_studio(source: Union[str, Path, list[dict[str, Any]]], *, sentence_labels: Sequence[str] = SENTENCE_LABELS,
                      entity_labels: Sequence[str] = ENTITY_LABELS, use_predictions: bool = False) -> list[dict[str, Any]]:
    """Guidelines records (id, source, text, sentences, entities) from a Label Studio JSON export.

    Tasks without a non-cancelled annotation are skipped (with a warning) unless `use_predictions`.
    Raises DataValidationError naming task and problem if any record breaks the contract.
    """
    if isinstance(source, (str, Path)):
        located, problems = _read_json_array(Path(source)) if Path(source).exists() else ([], [f"{source}: file not found"])
    else:
        located, problems = [(f"task {i}", t) for i, t in enumerate(source, 1)], []
    records, skipped = [], 0
    for where, task in located:
        record, found = label_studio_record(task, where, sentence_labels=sentence_labels, entity_labels=entity_labels,
                                            use_predictions=use_predictions)
        if record is None and not found:
            skipped += 1
            continue
        if record is not None and not found:
            record["id"] = str(record["id"]) if record.get("id") is not None else where.replace(" ", "")
            found = _validated(record, where, sentence_labels, entity_labels)
        problems += found
        if not found and record is not None:
            records.append({k: v for k, v in record.items() if v is not None})
    if problems:
        raise DataValidationError(problems)
    if skipped:
        warnings.warn(f"{skipped} of {len(located)} tasks have no (non-cancelled) annotation and were skipped; "
                      "pass use_predictions=True to import their predictions", stacklevel=2)
    return records


# --------------------------------------------------------------------------- Doccano, files


def to_doccano(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Doccano sequence-labelling JSONL records: entities and sentence spans (labelled by function) in `label`.

    Enable "Allow overlapping entity" in the Doccano project: sentence spans contain entity spans.
    """
    out = []
    for record in _items_as_records(items):
        spans = [[s["start"], s["end"], s["label"]] for s in record.get("sentences") or [] if s.get("label")]
        spans += [[e["start"], e["end"], e["label"]] for e in record.get("entities") or []]
        out.append({"id": record.get("id"), "text": record["text"], "label": sorted(spans, key=lambda s: (s[0], -s[1]))})
    return out


def write_jsonl(records: Iterable[dict[str, Any]], path: Union[str, Path]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def read_documents(path: Union[str, Path]) -> list[dict[str, Any]]:
    """Parsed rows from `cds-nlp parse` (error rows skipped) or guidelines records, as dicts."""
    records = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataValidationError([f"{Path(path).name}:{number}: invalid JSON ({error.msg})"]) from None
        if isinstance(record, dict) and isinstance(record.get("text"), str) and "error" not in record:
            records.append(record)
    return records


def _labels(values: list[str] | None, defaults: Sequence[str]) -> list[str]:
    extra = [label.strip() for value in values or [] for label in value.split(",") if label.strip()]
    return list(dict.fromkeys([*defaults, *extra]))


def main(argv: list[str] | None = None) -> int:
    """`python -m cds_nlp.training.formats`: convert to and from Label Studio / Doccano."""
    parser = argparse.ArgumentParser(prog="python -m cds_nlp.training.formats", description=main.__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("to-label-studio", help="parsed Documents (cds-nlp parse output) or guidelines JSONL -> tasks JSON")
    export.add_argument("input")
    export.add_argument("-o", "--output", required=True)
    export.add_argument("--config", help="also write the matching labelling config (XML) here")
    export.add_argument("--as-annotations", action="store_true", help="import labels as annotations, not predictions")
    doccano = sub.add_parser("to-doccano", help="parsed Documents or guidelines JSONL -> Doccano JSONL")
    doccano.add_argument("input")
    doccano.add_argument("-o", "--output", required=True)
    back = sub.add_parser("from-label-studio", help="Label Studio JSON export -> guidelines JSONL (training data)")
    back.add_argument("input")
    back.add_argument("-o", "--output", required=True)
    back.add_argument("--use-predictions", action="store_true", help="keep tasks nobody annotated, with their predictions")
    for p in (export, back):
        p.add_argument("--sentence-labels", action="append", help="extra sentence classes, comma-separated")
        p.add_argument("--entity-labels", action="append", help="extra entity labels, comma-separated")
    args = parser.parse_args(argv)
    try:
        if args.command == "from-label-studio":
            records = from_label_studio(args.input, sentence_labels=_labels(args.sentence_labels, SENTENCE_LABELS),
                                        entity_labels=_labels(args.entity_labels, ENTITY_LABELS), use_predictions=args.use_predictions)
            write_jsonl(records, args.output)
            print(f"{len(records)} documents -> {args.output}", file=sys.stderr)
            return 0
        documents = read_documents(args.input)
        if args.command == "to-doccano":
            write_jsonl(to_doccano(documents), args.output)
        else:
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            tasks = to_label_studio(documents, as_annotations=args.as_annotations)
            Path(args.output).write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            if args.config:
                sentence = _labels(args.sentence_labels, [*SENTENCE_LABELS, *sorted({s["label"] for d in documents
                                                                                   for s in d.get("sentences") or [] if s.get("label")} - set(SENTENCE_LABELS))])
                entity = _labels(args.entity_labels, [*ENTITY_LABELS, *sorted({e["label"] for d in documents
                                                                              for e in d.get("entities") or []} - set(ENTITY_LABELS))])
                Path(args.config).write_text(label_studio_config(sentence, entity), encoding="utf-8")
        print(f"{len(documents)} documents -> {args.output}", file=sys.stderr)
        return 0
    except DataValidationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
