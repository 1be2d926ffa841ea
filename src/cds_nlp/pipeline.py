"""`Pipeline`: a loaded model folder with `parse()` and `parse_many()`."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Optional, Union, overload

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories a saved pipeline names)
from .aggregate import province_mentions
from .people import people
from .convert import to_document
from .batch import ErrorRow
from .directives import attach_directives
from .extras import enrich
from .document import Document
from .errors import CdsNlpError, InputTypeError, ModelNotFoundError, TextTooLongError
from .language import blank
from .model_store import PIPELINE_DIR, default_model_path, read_meta, verify
from .tokenizer import DEFAULT_MAX_CHARS
from .version import __version__

TextInput = Union[str, dict[str, Any]]
ErrorMode = Literal["raise", "return"]


class Pipeline:
    """A spaCy `Language` plus the model's metadata; turns text into `Document`s."""

    def __init__(self, nlp: Language, meta: dict[str, Any] | None = None, path: Path | None = None) -> None:
        self.nlp = nlp
        self.meta = meta or {"name": "blank", "version": __version__}
        self.path = path

    @property
    def model_name(self) -> str:
        return f"{self.meta.get('name', 'unknown')}-{self.meta.get('version', '0')}"

    def _document(self, doc: spacy.tokens.Doc, context: dict[str, Any]) -> Document:
        document = to_document(
            doc,
            id=context.get("id"),
            source=context.get("source"),
            published=context.get("published"),
            model=self.model_name,
            library_version=__version__,
        )
        document.provinces = province_mentions(document)
        document.people = people(document)
        attach_directives(document)
        enrich(document)
        return document

    def parse(self, text: str, *, id: str | None = None, source: str | None = None,
              published: str | None = None) -> Document:
        """Parse one article."""
        if not isinstance(text, str):
            raise InputTypeError(text)
        return self._document(self.nlp(text), {"id": id, "source": source, "published": published})

    @overload
    def parse_many(self, texts: Iterable[TextInput], *, batch_size: int = ..., n_process: int = ...,
                   errors: Literal["raise"] = ...) -> Iterator[Document]: ...

    @overload
    def parse_many(self, texts: Iterable[TextInput], *, batch_size: int = ..., n_process: int = ...,
                   errors: Literal["return"]) -> Iterator[Document | ErrorRow]: ...

    def parse_many(self, texts: Iterable[TextInput], *, batch_size: int = 32, n_process: int = 1,
                   errors: ErrorMode = "raise") -> Iterator[Document | ErrorRow]:
        """Stream Documents in input order, one per item, with flat memory however long the stream.

        Items are texts or dicts with `text` and optional `id`, `source`, `published`.
        `errors="raise"` raises the first failure where it occurs in the output order;
        `errors="return"` yields an `ErrorRow` in place of each item that cannot be parsed,
        so one bad article in a million does not end the run.
        `n_process > 1` parses batches in worker processes (each holds one copy of the
        pipeline); the input is read lazily, at most `2 * n_process` batches ahead.
        """
        if errors not in ("raise", "return"):
            raise ValueError(f"errors must be 'raise' or 'return', got {errors!r}")
        if batch_size < 1 or n_process < 1:
            raise ValueError(f"batch_size and n_process must be at least 1, got {batch_size} and {n_process}")
        return self._stream(texts, batch_size, n_process, errors, None)

    def _stream(self, texts: Iterable[TextInput], batch_size: int, n_process: int, errors: ErrorMode,
                encode: Optional[Encoder]) -> Iterator[Any]:
        """parse_many, with each row passed through `encode` (where the row is made: in the worker).

        `cds-nlp parse` encodes rows for its writer in the workers, so that the parent
        does not rebuild thousands of Pydantic objects per document only to serialise them.
        """
        limit = _max_chars(self.nlp)
        prepared = (_prepare(item, limit) for item in texts)
        batches = _chunks(prepared, batch_size)
        if n_process == 1:
            results: Iterator[tuple[list[_Item], list[_Outcome]]] = (
                (batch, _parse_batch(self, [item.payload for item in batch], encode)) for batch in batches
            )
        else:
            results = _parse_in_processes(self, batches, n_process, encode)
        try:
            for batch, outcomes in results:
                for item, outcome in zip(batch, outcomes):
                    yield _settle(item, outcome, errors, encode)
        finally:
            results.close()  # stops worker processes now, in this thread, however the loop ended


def load(model: str | Path | None = None, *, max_chars: int = DEFAULT_MAX_CHARS, verify_files: bool = True) -> Pipeline:
    """Load a model folder (default: the newest shipped model). Never trains, never downloads."""
    path = Path(model) if model is not None else default_model_path()
    if path is None:
        warnings.warn(
            "no trained cds_nlp model found; sentences get no label and entities come from the gazetteer only. "
            "Run `make models` to build one.",
            stacklevel=2,
        )
        nlp = blank(max_chars)
        nlp.add_pipe("cds_provinces")
        return Pipeline(nlp)
    if not path.is_dir():
        raise ModelNotFoundError(str(path))
    meta = read_meta(path)
    if verify_files:
        verify(path, meta)
    nlp = spacy.load(path / PIPELINE_DIR, config={"nlp": {"tokenizer": {"max_chars": max_chars}}})
    nlp.max_length = max(nlp.max_length, max_chars)
    return Pipeline(nlp, meta, path)


# --- parse_many's engine -----------------------------------------------------------------
# spaCy's own `nlp.pipe(n_process=...)` drops the rest of a batch when one text fails in a
# worker and turns Docs into Documents in the parent; here each worker converts its own
# Documents and reports failures per item, and the parent only reads, orders and yields.

Payload = tuple[Optional[str], dict[str, Any]]
Encoder = Callable[[Union[Document, ErrorRow]], Any]
_CONTEXT_KEYS = ("id", "source", "published")


@dataclass
class _Failure:
    """Why one item failed; `exception` is kept only when it survives the trip between processes."""

    error: str
    message: str
    detail: str
    exception: Optional[BaseException] = None


_Outcome = Any  # a Document (or what `encode` made of it), a _Failure, or None for an item not sent


@dataclass
class _Item:
    """An input as the parent sees it: what to send to a worker, or why it cannot be sent."""

    payload: Payload
    problem: Optional[Exception] = None


def _max_chars(nlp: Language) -> int:
    return int(getattr(nlp.tokenizer, "max_chars", None) or nlp.max_length)


def _prepare(item: Any, limit: int) -> _Item:
    """Check type and size in the parent, so the commonest failures cost no parsing and keep their exception."""
    if isinstance(item, dict):
        text = item.get("text")
        context = {key: item.get(key) for key in _CONTEXT_KEYS}
        if context["id"] is not None and not isinstance(context["id"], str):
            context["id"] = str(context["id"])
    else:
        text, context = item, {}
    if not isinstance(text, str):
        return _Item((None, context), InputTypeError(text))
    if len(text) > limit:
        return _Item((None, context), TextTooLongError(len(text), limit))
    return _Item((text, context))


def _chunks(items: Iterator[_Item], size: int) -> Iterator[list[_Item]]:
    batch: list[_Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _failure(error: Exception) -> _Failure:
    return _Failure(type(error).__name__, str(error), traceback.format_exc(), error)


def _parse_batch(pipeline: Pipeline, payloads: list[Payload], encode: Optional[Encoder] = None) -> list[_Outcome]:
    """Parse one batch with `nlp.pipe`; if it raises, parse item by item to find the culprit.

    The memory zone frees the strings this batch added to the vocabulary, which would
    otherwise grow with every new word in the stream.
    """
    wanted = [(text, context) for text, context in payloads if text is not None]
    outcomes: list[_Outcome] = []
    with pipeline.nlp.memory_zone():
        try:
            docs: Optional[Iterator[Any]] = iter(list(pipeline.nlp.pipe(wanted, as_tuples=True, batch_size=len(wanted) or 1)))
        except Exception:  # noqa: BLE001 - retried one by one below, where the error is pinned on its item
            docs = None
        for text, context in payloads:
            if text is None:
                outcomes.append(None)
                continue
            try:
                doc = next(docs)[0] if docs is not None else pipeline.nlp(text)
                document = pipeline._document(doc, context)
                outcomes.append(encode(document) if encode is not None else document)
            except Exception as error:  # noqa: BLE001 - reported per item, raised or returned by the caller
                outcomes.append(_failure(error))
    return outcomes


def _settle(item: _Item, outcome: _Outcome, errors: ErrorMode, encode: Optional[Encoder]) -> Any:
    """The row for one item, or the exception it raises under `errors="raise"`."""
    context = item.payload[1]
    if item.problem is not None:
        if errors == "raise":
            raise item.problem
        row = _error_row(context, type(item.problem).__name__, str(item.problem))
        return encode(row) if encode is not None else row
    if isinstance(outcome, _Failure):
        if errors == "raise":
            if outcome.exception is not None:
                raise outcome.exception
            raise CdsNlpError(f"parsing {context.get('id') or 'an item'} failed in a worker process: "
                              f"{outcome.error}: {outcome.message}\n{outcome.detail}")
        row = _error_row(context, outcome.error, outcome.message)
        return encode(row) if encode is not None else row
    return outcome


def _error_row(context: dict[str, Any], error: str, message: str) -> ErrorRow:
    source = context.get("source")
    return ErrorRow(id=context.get("id"), source=source if isinstance(source, str) else None, error=error, message=message)


# One pipeline per worker process, set once by the pool's initializer.
_WORKER_PIPELINE: Optional[Pipeline] = None


def _start_worker(pipeline: Pipeline, parent: int) -> None:
    """Keep the pipeline for every batch; leave Ctrl-C to the parent; exit if the parent dies (kill -9)."""
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="cds-nlp-parent-watch", daemon=True).start()


def _worker_batch(payloads: list[Payload], encode: Optional[Encoder]) -> list[_Outcome]:
    assert _WORKER_PIPELINE is not None, "worker started without a pipeline"
    outcomes = _parse_batch(_WORKER_PIPELINE, payloads, encode)
    for outcome in outcomes:
        if isinstance(outcome, _Failure):
            outcome.exception = _portable(outcome.exception)
    return outcomes


def _portable(error: Optional[BaseException]) -> Optional[BaseException]:
    """The exception itself if it pickles back to the same message, else None (the message travels anyway)."""
    try:
        copy = pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any pickling failure means: send the text only
        return None
    return copy if str(copy) == str(error) else None


def _process_context() -> multiprocessing.context.BaseContext:
    """fork where it is safe (Linux): workers share the loaded pipeline instead of unpickling it."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _parse_in_processes(pipeline: Pipeline, batches: Iterator[list[_Item]], n_process: int,
                        encode: Optional[Encoder]) -> Iterator[tuple[list[_Item], list[_Outcome]]]:
    """Results in input order, with at most `2 * n_process` batches in flight (flat memory, busy workers)."""
    context = _process_context()
    if context.get_start_method() == "fork":
        pipeline.nlp("Khởi động.")  # load lazy resources (the segmenter's model) once, before the workers share them
    pool = ProcessPoolExecutor(n_process, mp_context=context, initializer=_start_worker,
                               initargs=(pipeline, os.getpid()))
    in_flight: deque[tuple[list[_Item], Future]] = deque()
    try:
        for batch in batches:
            in_flight.append((batch, pool.submit(_worker_batch, [item.payload for item in batch], encode)))
            if len(in_flight) >= 2 * n_process:
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()
    except BaseException:  # an error, Ctrl-C or a consumer that stopped early: drop queued work, do not wait
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
