"""Hugging Face `datasets` integration: parsed columns beside a Dataset's text column.

>>> from datasets import Dataset
>>> from cds_nlp.hf import add_parsed_columns
>>> ds = add_parsed_columns(Dataset.from_dict({"text": ["UBND tỉnh Lào Cai họp."]}), num_proc=1)
>>> ds.column_names  # doctest: +NORMALIZE_WHITESPACE
['text', 'document', 'error', 'sentence_texts', 'sentence_labels', 'entity_texts', 'entity_labels',
 'provinces', 'province_codes', 'people']

The full parse is kept as a JSON string (`Document.model_validate_json(row["document"])`
gives it back); the flat list columns are what filters and group-bys need, and
Arrow stores them natively. A row that cannot be parsed gets `document=None`
and the reason in `error`, so `ds.filter(lambda r: r["error"] is None)` keeps the good ones.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from .batch import ErrorRow
from .document import Document
from .tokenizer import DEFAULT_MAX_CHARS
from .version import __version__

if TYPE_CHECKING:
    from datasets import Dataset, Features

    from .pipeline import Pipeline

PARSED_COLUMNS = ("document", "error", "sentence_texts", "sentence_labels", "entity_texts", "entity_labels",
                  "provinces", "province_codes", "people")


@lru_cache(maxsize=4)
def cached_pipeline(model: Optional[str] = None, max_chars: int = DEFAULT_MAX_CHARS) -> "Pipeline":
    """One pipeline per process: `ds.map(num_proc=N)` workers load it on their first batch, then reuse it."""
    from .pipeline import load

    return load(model, max_chars=max_chars)


def parsed_features() -> "Features":
    """Arrow types of the added columns, declared so that an all-error or all-empty batch keeps them."""
    from datasets import Features, Sequence, Value

    strings = Sequence(Value("string"))
    return Features({"document": Value("string"), "error": Value("string"), "sentence_texts": strings,
                     "sentence_labels": strings, "entity_texts": strings, "entity_labels": strings,
                     "provinces": strings, "province_codes": strings, "people": strings})


def parsed_row(row: Document | ErrorRow) -> dict[str, Any]:
    """The added columns for one parse result."""
    if isinstance(row, ErrorRow):
        empty: dict[str, Any] = {name: [] for name in PARSED_COLUMNS}
        return {**empty, "document": None, "error": f"{row.error}: {row.message}"}
    return {
        "document": row.model_dump_json(),
        "error": None,
        "sentence_texts": [s.text for s in row.sentences],
        "sentence_labels": [s.label or "" for s in row.sentences],
        "entity_texts": [e.text for e in row.entities],
        "entity_labels": [e.label for e in row.entities],
        "provinces": [p.province.name for p in row.provinces],
        "province_codes": [p.province.code for p in row.provinces],
        "people": [p.name for p in row.people],
    }


class ParseBatch:
    """The function `Dataset.map(batched=True)` calls: a batch of columns in, the parsed columns out.

    A class rather than a closure so it pickles for `num_proc > 1`; without an explicit
    pipeline it carries only the model path, and each process loads the model once.
    """

    def __init__(self, text_column: str = "text", *, id_column: Optional[str] = None,
                 pipeline: Optional["Pipeline"] = None, model: Optional[str] = None,
                 max_chars: int = DEFAULT_MAX_CHARS, batch_size: int = 32) -> None:
        self.text_column = text_column
        self.id_column = id_column
        self.pipeline = pipeline
        self.model = model
        self.max_chars = max_chars
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        pipeline = self.pipeline or cached_pipeline(self.model, self.max_chars)
        texts = batch[self.text_column]
        ids = batch[self.id_column] if self.id_column else [None] * len(texts)
        items = [{"text": text, "id": None if ident is None else str(ident)} for text, ident in zip(texts, ids)]
        columns: dict[str, list[Any]] = {name: [] for name in PARSED_COLUMNS}
        for row in pipeline.parse_many(items, batch_size=self.batch_size, errors="return"):
            for name, value in parsed_row(row).items():
                columns[name].append(value)
        return columns


def add_parsed_columns(ds: "Dataset", text_column: str = "text", *, id_column: Optional[str] = None,
                       num_proc: Optional[int] = 1, pipeline: Optional["Pipeline"] = None,
                       model: Optional[str] = None, max_chars: int = DEFAULT_MAX_CHARS,
                       batch_size: int = 32, map_batch_size: int = 256) -> "Dataset":
    """Return `ds` with the parsed columns of `PARSED_COLUMNS` added, one parse per row, rows in order.

    `num_proc` worker processes each parse their shard (`Dataset.map(num_proc=...)`);
    `pipeline` overrides `model` (and is pickled to each worker, so prefer `model` with
    `num_proc > 1`). Results are cached by `datasets` under a fingerprint made of the
    input's fingerprint and the model's name, so a second call with the same model is free.
    """
    if text_column not in ds.column_names:
        raise ValueError(f"dataset has no column {text_column!r} (columns: {', '.join(ds.column_names)})")
    clashes = sorted(set(PARSED_COLUMNS) & set(ds.column_names))
    if clashes:
        raise ValueError(f"dataset already has column(s) {', '.join(clashes)}; remove or rename them first")
    from datasets import Features
    from datasets.fingerprint import Hasher

    parser = ParseBatch(text_column, id_column=id_column, pipeline=pipeline, model=model,
                        max_chars=max_chars, batch_size=batch_size)
    model_name = (pipeline or cached_pipeline(model, max_chars)).model_name
    fingerprint = Hasher.hash((ds._fingerprint, "cds_nlp.add_parsed_columns", __version__, model_name, str(model),
                               text_column, id_column, max_chars))
    features = Features({**ds.features, **parsed_features()})
    return ds.map(parser, batched=True, batch_size=map_batch_size, num_proc=num_proc, features=features,
                  new_fingerprint=fingerprint, desc="cds_nlp parse")
