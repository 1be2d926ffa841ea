"""Reading archives of articles and writing parsed rows: every input gives one output row.

A row is either a parsed `Document` or an `ErrorRow` (id, source, error type,
message); a failing article never stops the run and is never silently lost.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict

from .document import Document
from .errors import InputTypeError, TextTooLongError
from .pipeline import Pipeline


class ErrorRow(BaseModel):
    """An input that could not be parsed, with why."""

    model_config = ConfigDict(extra="forbid")

    id: Optional[str] = None
    source: Optional[str] = None
    error: str
    message: str


class Article(BaseModel):
    """One input item: text, or the reason it has none."""

    model_config = ConfigDict(extra="forbid")

    id: str
    source: Optional[str] = None
    published: Optional[str] = None
    text: Optional[str] = None
    error: Optional[ErrorRow] = None


def _decode(path: Path) -> tuple[Optional[str], Optional[str]]:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "file is UTF-16 (byte-order mark found); re-encode it as UTF-8"
    if b"\x00" in raw:
        return None, "file contains NUL bytes: binary, not text"
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return None, f"not valid UTF-8 at byte {error.start} (Windows-1258 or another legacy encoding?)"


def read_folder(folder: Path) -> Iterator[Article]:
    """Every `.txt` below `folder`, recursively, in sorted order; id is the path relative to it."""
    for path in sorted(folder.rglob("*.txt")):
        rel = str(path.relative_to(folder))
        text, problem = _decode(path)
        if problem:
            yield Article(id=rel, source=str(path), error=ErrorRow(id=rel, source=str(path), error="DecodeError", message=problem))
        else:
            yield Article(id=rel, source=str(path), text=text)


def read_jsonl(lines: Iterable[str], *, origin: str, text_column: str = "text", id_column: str = "id") -> Iterator[Article]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fallback = f"{origin}:{number}"
        try:
            record: dict[str, Any] = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("line is not a JSON object")
        except ValueError as error:
            yield Article(id=fallback, error=ErrorRow(id=fallback, error="JSONDecodeError", message=str(error)))
            continue
        yield _article(record, fallback, text_column, id_column)


def _article(record: dict[str, Any], fallback: str, text_column: str, id_column: str) -> Article:
    ident = str(record.get(id_column) if record.get(id_column) is not None else fallback)
    source = record.get("source")
    published = record.get("published")
    text = record.get(text_column)
    if not isinstance(text, str):
        message = f"column {text_column!r} is missing" if text is None else f"column {text_column!r} is {type(text).__name__}, not text"
        return Article(id=ident, source=source, error=ErrorRow(id=ident, source=source, error="MissingText", message=message))
    return Article(id=ident, source=source if isinstance(source, str) else None,
                   published=published if isinstance(published, str) else None, text=text)


def read_input(path: str, *, text_column: str = "text", id_column: str = "id") -> Iterator[Article]:
    """A folder of .txt, a .jsonl file, or `-` for JSONL on stdin."""
    if path == "-":
        yield from read_jsonl(sys.stdin, origin="stdin", text_column=text_column, id_column=id_column)
        return
    p = Path(path)
    if p.is_dir():
        yield from read_folder(p)
    elif p.suffix == ".txt":
        text, problem = _decode(p)
        yield Article(id=p.name, source=str(p), text=text,
                      error=ErrorRow(id=p.name, source=str(p), error="DecodeError", message=problem) if problem else None)
    else:
        with p.open(encoding="utf-8") as handle:
            yield from read_jsonl(handle, origin=p.name, text_column=text_column, id_column=id_column)


def parse_articles(pipeline: Pipeline, articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[Document | ErrorRow]:
    """Parse in input order; inputs that cannot be parsed come out as ErrorRow in their place."""
    for article in articles:
        if article.error is not None:
            yield article.error
            continue
        try:
            yield pipeline.parse(article.text or "", id=article.id, source=article.source, published=_valid_date(article.published))
        except (InputTypeError, TextTooLongError, ValueError) as error:
            yield ErrorRow(id=article.id, source=article.source, error=type(error).__name__, message=str(error))


def _valid_date(value: Optional[str]) -> Optional[str]:
    from .document import _PARTIAL_DATE

    return value if value and _PARTIAL_DATE.match(value) else None
