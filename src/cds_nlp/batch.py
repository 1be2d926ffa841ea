"""Reading archives of articles and writing parsed rows: every input gives one output row.

A row is either a parsed `Document` or an `ErrorRow` (id, source, error type,
message); a failing article never stops the run and is never silently lost.
Readers stream (a crawl may not fit in memory) and give every article a stable
id, so an interrupted run can be resumed by skipping the ids already written.
Writers only ever leave whole rows behind: JSONL lines are written whole and
flushed, Parquet parts are renamed into place once complete.
"""

from __future__ import annotations

import csv
import datetime as _dt
import gzip
import io
import json
import os
import re
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Optional, Union

from pydantic import BaseModel, ConfigDict

from .document import _PARTIAL_DATE, Document
from .errors import CdsNlpError

if TYPE_CHECKING:
    from .pipeline import Pipeline

Row = Union[Document, "ErrorRow"]


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


class InputFormatError(CdsNlpError, ValueError):
    """The input as a whole cannot be read (no such file, unknown format, missing column)."""


# --- decoding -------------------------------------------------------------------------------

_UTF16_OR_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(raw: bytes) -> tuple[Optional[str], Optional[str]]:
    """(text, None) for UTF-8 text, else (None, why): no guessing, a wrong guess would be silent garbage."""
    if raw.startswith(_UTF16_OR_32_BOMS):
        return None, "file is UTF-16 or UTF-32 (byte-order mark found); re-encode it as UTF-8"
    if b"\x00" in raw:
        return None, "file contains NUL bytes: binary, or UTF-16 without a byte-order mark; re-encode text as UTF-8"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, (f"not valid UTF-8 at byte {error.start} (Windows-1258, TCVN3/VNI or another legacy "
                      "encoding?); convert it, e.g. `iconv -f CP1258 -t UTF-8`")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        return None, f"{controls} control characters: binary, not text"
    return text, None


def _decode_field(value: str) -> Optional[str]:
    """Text read with surrogateescape: a lone surrogate marks a byte that was not UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


# --- articles -------------------------------------------------------------------------------

def _failed(ident: str, source: Optional[str], error: str, message: str) -> Article:
    return Article(id=ident, source=source, error=ErrorRow(id=ident, source=source, error=error, message=message))


def make_article(ident: str, text: Any, *, source: Optional[str] = None, published: Any = None,
                 text_column: str = "text") -> Article:
    """An Article, or a failed one: no text, or only whitespace (an empty crawl result, not an article)."""
    if not isinstance(text, str):
        message = (f"column {text_column!r} is missing or empty" if text is None
                   else f"column {text_column!r} is {type(text).__name__}, not text")
        return _failed(ident, source, "MissingText", message)
    if not text.strip():
        return _failed(ident, source, "EmptyText", "the text is empty or only whitespace")
    return Article(id=ident, source=source, published=_date(published), text=text)


def _date(value: Any) -> Optional[str]:
    """ISO (partial) date or None: a malformed date is dropped rather than failing the article."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        value = value.strip()
        if _PARTIAL_DATE.match(value):
            return value
        if len(value) > 10 and _PARTIAL_DATE.match(value[:10]) and value[10] in "T ":
            return value[:10]
    return None


def read_file(path: Path, ident: str, *, max_chars: Optional[int] = None) -> Article:
    """One .txt file; never reads more than 4 × `max_chars` bytes (UTF-8 has at most 4 bytes a character)."""
    source = str(path)
    try:
        size = path.stat().st_size
        if max_chars is not None and size > 4 * max_chars:
            return _failed(ident, source, "TextTooLongError",
                           f"file has {size:,} bytes, more than any text of at most {max_chars:,} characters; "
                           "split it into articles or raise --max-chars")
        raw = path.read_bytes()
    except OSError as error:
        return _failed(ident, source, type(error).__name__, str(error))
    text, problem = decode(raw)
    if problem:
        return _failed(ident, source, "DecodeError", problem)
    return make_article(ident, text, source=source)


def txt_files(folder: Path) -> Iterator[Path]:
    """`.txt` files below `folder` in a stable order (names sorted per directory), one directory in memory at a time."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from txt_files(Path(entry.path))
        elif entry.name.endswith(".txt") and entry.is_file():
            yield Path(entry.path)


def read_folder(folder: Path, *, max_chars: Optional[int] = None) -> Iterator[Article]:
    """Every `.txt` below `folder`, recursively; the id is the path relative to it, with `/`."""
    for path in txt_files(folder):
        yield read_file(path, path.relative_to(folder).as_posix(), max_chars=max_chars)


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def _format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    suffix = suffixes[-1] if suffixes else ""
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
            ".parquet": "parquet", ".txt": "txt"}.get(suffix, "")


def read_jsonl(lines: Iterable[bytes | str], *, origin: str, text_column: str = "text",
               id_column: str = "id") -> Iterator[Article]:
    """One JSON object a line; a line that is not valid UTF-8 or JSON becomes an error row, the rest go on."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fallback = f"{origin}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("line is not a JSON object")
        except UnicodeDecodeError as error:
            yield _failed(fallback, None, "DecodeError", f"line is not valid UTF-8 ({error.reason} at byte {error.start})")
            continue
        except ValueError as error:
            yield _failed(fallback, None, "JSONDecodeError", str(error))
            continue
        yield _record_article(record, fallback, text_column, id_column)


def _record_article(record: dict[str, Any], fallback: str, text_column: str, id_column: str) -> Article:
    raw_id = record.get(id_column)
    ident = fallback if raw_id is None or raw_id == "" else str(raw_id)
    source = record.get("source")
    return make_article(ident, record.get(text_column), source=source if isinstance(source, str) else None,
                        published=record.get("published"), text_column=text_column)


def read_csv(handle: IO[bytes], *, origin: str, text_column: str = "text", id_column: str = "id") -> Iterator[Article]:
    """CSV with a header row. Cells that are not UTF-8 make that row an error, not the whole file."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(text)
    columns = reader.fieldnames or []
    if text_column not in columns:
        raise InputFormatError(f"{origin} has no column {text_column!r} (columns: {', '.join(columns) or 'none'}); "
                               "pass --text-column NAME")
    for number, record in enumerate(reader, 1):
        fallback = f"{origin}:{number}"
        cell = record.get(text_column)
        if cell is not None and _decode_field(cell) is None:
            raw_id = record.get(id_column)
            ident = raw_id if raw_id and _decode_field(raw_id) else fallback
            yield _failed(ident, None, "DecodeError", f"column {text_column!r} is not valid UTF-8 "
                          "(Windows-1258 or another legacy encoding?)")
            continue
        yield _record_article({k: v for k, v in record.items() if k is not None and v != ""}, fallback,
                              text_column, id_column)


def read_parquet(path: Path, *, text_column: str = "text", id_column: str = "id") -> Iterator[Article]:
    """A Parquet file, read one record batch at a time."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    names = parquet.schema_arrow.names
    if text_column not in names:
        raise InputFormatError(f"{path} has no column {text_column!r} (columns: {', '.join(names)}); "
                               "pass --text-column NAME")
    columns = [c for c in dict.fromkeys([text_column, id_column, "source", "published"]) if c in names]
    number = 0
    for batch in parquet.iter_batches(batch_size=1024, columns=columns):
        for record in batch.to_pylist():
            number += 1
            yield _record_article(record, f"{path.name}:{number}", text_column, id_column)


def read_input(path: str, *, text_column: str = "text", id_column: str = "id",
               max_chars: Optional[int] = None, input_format: str = "auto") -> Iterator[Article]:
    """A folder of .txt (recursively), a .txt, .jsonl, .csv or .parquet file (.gz allowed), or `-` for stdin.

    stdin is JSONL (one article a line) unless `input_format` says otherwise; `txt` makes it one article.
    A missing path or an unknown format raises `InputFormatError` here, before any parsing starts.
    """
    if path == "-":
        return _read_stdin(input_format, text_column=text_column, id_column=id_column)
    p = Path(path)
    if p.is_dir():
        return read_folder(p, max_chars=max_chars)
    if not p.is_file():
        raise InputFormatError(f"no such file or folder: {path}")
    kind = _format(p) if input_format == "auto" else input_format
    if kind == "txt":
        return iter([read_file(p, p.name, max_chars=max_chars)])
    if kind == "parquet":
        return read_parquet(p, text_column=text_column, id_column=id_column)
    if kind in ("jsonl", "csv"):
        return _read_file_records(p, kind, text_column=text_column, id_column=id_column)
    raise InputFormatError(f"cannot tell the format of {path}: use a folder of .txt, or a .txt, .jsonl, "
                           ".csv or .parquet file (or pass --input-format)")


def _read_file_records(path: Path, kind: str, *, text_column: str, id_column: str) -> Iterator[Article]:
    reader = read_jsonl if kind == "jsonl" else read_csv
    with _open_binary(path) as handle:
        yield from reader(handle, origin=path.name, text_column=text_column, id_column=id_column)


def _read_stdin(input_format: str, *, text_column: str, id_column: str) -> Iterator[Article]:
    stream = sys.stdin.buffer
    if input_format == "txt":
        yield _stdin_text(stream.read())
    elif input_format == "csv":
        yield from read_csv(stream, origin="stdin", text_column=text_column, id_column=id_column)
    else:
        yield from read_jsonl(stream, origin="stdin", text_column=text_column, id_column=id_column)


def _stdin_text(raw: bytes) -> Article:
    text, problem = decode(raw)
    if problem:
        return _failed("stdin", None, "DecodeError", problem)
    return make_article("stdin", text)


def count_inputs(path: str, *, input_format: str = "auto") -> Optional[int]:
    """How many rows `read_input` will give (for a progress bar's ETA); None for stdin or if unknown."""
    if path == "-":
        return None
    p = Path(path)
    if p.is_dir():
        return sum(1 for _ in txt_files(p))
    kind = _format(p) if input_format == "auto" else input_format
    try:
        if kind == "txt":
            return 1
        if kind == "jsonl":
            with _open_binary(p) as handle:
                return sum(1 for line in handle if line.strip())
        if kind == "csv":
            with _open_binary(p) as handle:
                text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
                csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
                return max(0, sum(1 for _ in csv.reader(text)) - 1)
        if kind == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(p).metadata.num_rows
    except (OSError, csv.Error):
        return None
    return None


def skip_done(articles: Iterable[Article], done: Counter) -> Iterator[Article]:
    """Leave out articles whose id is already in the output (as many times as it is there)."""
    for article in articles:
        if done[article.id] > 0:
            done[article.id] -= 1
            continue
        yield article


# --- parsing --------------------------------------------------------------------------------

def parse_articles(pipeline: "Pipeline", items: Iterable[Article | str | dict[str, Any]], *,
                   batch_size: int = 32, n_process: int = 1, encode: Optional[Callable[[Row], Any]] = None) -> Iterator[Any]:
    """Parse in input order, one row per item; an Article that failed to read comes out as its ErrorRow, in place.

    With `encode` (a writer's `encoder()`), each row comes out encoded, done in the worker that parsed it.
    """
    pending: deque[Article | str | dict[str, Any]] = deque()

    def readable() -> Iterator[str | dict[str, Any]]:
        for item in items:
            pending.append(item)
            if not isinstance(item, Article):
                yield item
            elif item.error is None:
                yield {"text": item.text, "id": item.id, "source": item.source, "published": item.published}

    def unread() -> Iterator[Any]:
        while pending and isinstance(pending[0], Article) and pending[0].error is not None:
            error = pending.popleft().error
            yield encode(error) if encode is not None else error

    if batch_size < 1 or n_process < 1:
        raise ValueError(f"batch_size and n_process must be at least 1, got {batch_size} and {n_process}")
    for row in pipeline._stream(readable(), batch_size, n_process, "return", encode):
        yield from unread()
        pending.popleft()
        yield row
    yield from unread()
    assert not pending, "parse_many returned fewer rows than it was given"


# --- writers --------------------------------------------------------------------------------

@dataclass
class Encoded:
    """A row made ready for a writer where it was parsed, so the main process only writes it."""

    id: Optional[str]
    error: Optional[ErrorRow]
    data: Any
    tokens: int = 0
    summary: Optional[str] = None


def summary_line(document: Document) -> str:
    """One line for `cds-nlp parse --summary`."""
    labels = " ".join(f"{k}={v}" for k, v in document.label_counts.items())
    provinces = ", ".join(f"{p.province.name}×{p.count}" for p in document.provinces[:5]) or "-"
    people = ", ".join(p.name for p in document.people[:4]) or "-"
    return (f"{document.id}: {len(document.sentences)} sentences ({labels}); "
            f"{len(document.entities)} entities; provinces: {provinces}; people: {people}")


def _encoded(row: Row, data: Any, summary: bool) -> Encoded:
    if isinstance(row, ErrorRow):
        return Encoded(row.id, row, data)
    return Encoded(row.id, None, data, sum(len(s.tokens) for s in row.sentences),
                   summary_line(row) if summary else None)


def encode_json_line(row: Row, *, summary: bool = False) -> Encoded:
    return _encoded(row, row.model_dump_json().encode("utf-8") + b"\n", summary)


def encode_tables(row: Row, *, summary: bool = False) -> Encoded:
    return _encoded(row, flatten(row), summary)


_LEADING_ID = re.compile(rb'^\{"id":("(?:[^"\\]|\\.)*"|null)')


def _line_id(line: bytes) -> Optional[str]:
    match = _LEADING_ID.match(line)
    if match:
        return json.loads(match.group(1))
    return json.loads(line).get("id")


class JsonlWriter:
    """One row a line, each written whole and flushed, so a killed run leaves at most one partial line."""

    def __init__(self, path: Path | str) -> None:
        self.path = path if path == "-" else Path(path)
        self._handle: Optional[IO[bytes]] = None

    def encoder(self, *, summary: bool = False) -> Callable[[Row], Encoded]:
        """What `parse_articles(encode=...)` should make of each row for this writer (picklable)."""
        return partial(encode_json_line, summary=summary)

    def resume(self) -> Counter:
        """Drop a partial last line (left by a kill) and return the ids already written."""
        done: Counter = Counter()
        if self.path == "-" or not self.path.exists():
            return done
        keep = 0
        with self.path.open("rb") as handle:
            for line in handle:
                if not line.endswith(b"\n"):
                    break
                if line.strip():
                    done[_line_id(line)] += 1
                keep += len(line)
        if keep != self.path.stat().st_size:
            with self.path.open("r+b") as handle:
                handle.truncate(keep)
        return done

    def open(self, *, append: bool) -> "JsonlWriter":
        if self.path == "-":
            self._handle = sys.stdout.buffer
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("ab" if append else "wb")
        return self

    def write(self, row: Row | Encoded) -> None:
        assert self._handle is not None, "call open() first"
        self._handle.write(row.data if isinstance(row, Encoded) else encode_json_line(row).data)
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None and self.path != "-":
            self._handle.close()
        self._handle = None


def read_rows(path: Path | str) -> Iterator[Row]:
    """Rows of a JSONL output: a `Document`, or an `ErrorRow` where the line has an `error` field."""
    with Path(path).open("rb") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                yield ErrorRow(**record) if "error" in record else Document.model_validate(record)


def open_writer(path: str, *, part_size: int = 1000) -> Union[JsonlWriter, "ParquetWriter"]:
    """The writer for an output path: `-` or `.jsonl` (one row a line) or `.parquet` (a folder of tables)."""
    if path == "-":
        return JsonlWriter("-")
    kind = _format(Path(path))
    if kind == "jsonl":
        return JsonlWriter(path)
    if kind == "parquet":
        return ParquetWriter(path, part_size=part_size)
    raise InputFormatError(f"cannot tell the output format of {path}: end it in .jsonl or .parquet (or use - for stdout)")


# --- Parquet: tables joinable on doc_id (and sentence) ------------------------------------------

TABLES = ("documents", "sentences", "entities", "figures", "dates", "people")


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    text, int64, strings = pa.string(), pa.int64(), pa.list_(pa.string())
    return {
        "documents": pa.schema([
            ("doc_id", text), ("source", text), ("published", text), ("text", text),
            ("n_sentences", int64), ("n_tokens", int64), ("n_entities", int64),
            ("n_achievement", int64), ("n_shortcoming", int64), ("n_directive", int64), ("n_other", int64),
            ("province_codes", strings), ("province_names", strings), ("people", strings),
            ("model", text), ("library_version", text), ("error", text), ("message", text),
        ]),
        "sentences": pa.schema([
            ("doc_id", text), ("sentence", int64), ("start", int64), ("end", int64), ("text", text),
            ("label", text), ("score", pa.float64()), ("scores", pa.map_(text, pa.float64())), ("n_tokens", int64),
            ("directive_issuer", text), ("directive_addressees", strings), ("directive_deadline", text),
        ]),
        "entities": pa.schema([
            ("doc_id", text), ("entity", int64), ("sentence", int64), ("start", int64), ("end", int64),
            ("text", text), ("label", text), ("score", pa.float64()),
            ("province_code", text), ("province_name", text), ("merged_into_code", text), ("merged_into_name", text),
            ("canonical", text),
        ]),
        "figures": pa.schema([
            ("doc_id", text), ("sentence", int64), ("start", int64), ("end", int64), ("text", text),
            ("value", pa.float64()), ("kind", text), ("unit", text), ("numerator", pa.float64()),
            ("denominator", pa.float64()), ("indicator", text), ("scope", text), ("change_direction", text),
            ("change_value", pa.float64()), ("change_unit", text), ("change_reference", text), ("sentence_label", text),
        ]),
        "dates": pa.schema([
            ("doc_id", text), ("sentence", int64), ("start", int64), ("end", int64), ("text", text),
            ("kind", text), ("date", text), ("end_date", text),
        ]),
        "people": pa.schema([
            ("doc_id", text), ("name", text), ("count", int64), ("titles", strings), ("bodies", strings),
        ]),
    }


def flatten(row: Row) -> dict[str, list[dict[str, Any]]]:
    """One row as records of the three tables; an ErrorRow is a documents record with `error` set."""
    if isinstance(row, ErrorRow):
        return {"documents": [{"doc_id": row.id, "source": row.source, "error": row.error, "message": row.message}],
                **{table: [] for table in TABLES[1:]}}
    counts = row.label_counts
    document = {
        "doc_id": row.id, "source": row.source, "published": row.published, "text": row.text,
        "n_sentences": len(row.sentences), "n_tokens": sum(len(s.tokens) for s in row.sentences),
        "n_entities": len(row.entities),
        **{f"n_{label}": counts.get(label, 0) for label in ("achievement", "shortcoming", "directive", "other")},
        "province_codes": [p.province.code for p in row.provinces],
        "province_names": [p.province.name for p in row.provinces],
        "people": [p.name for p in row.people],
        "model": row.model, "library_version": row.library_version,
    }
    sentences = [{
        "doc_id": row.id, "sentence": s.index, "start": s.start, "end": s.end, "text": s.text, "label": s.label,
        "score": s.scores.get(s.label) if s.label else None, "scores": list(s.scores.items()), "n_tokens": len(s.tokens),
        "directive_issuer": s.directive.issuer if s.directive else None,
        "directive_addressees": list(s.directive.addressees) if s.directive else [],
        "directive_deadline": s.directive.deadline.date if s.directive and s.directive.deadline else None,
    } for s in row.sentences]
    entities = [{
        "doc_id": row.id, "entity": i, "sentence": e.sentence, "start": e.start, "end": e.end, "text": e.text,
        "label": e.label, "score": e.score,
        "province_code": e.province.code if e.province else None,
        "province_name": e.province.name if e.province else None,
        "merged_into_code": e.province.merged_into_code if e.province else None,
        "merged_into_name": e.province.merged_into_name if e.province else None,
        "canonical": e.canonical,
    } for i, e in enumerate(row.entities)]
    figures = [{
        "doc_id": row.id, "sentence": s.index, "start": f.start, "end": f.end, "text": f.text, "value": f.value,
        "kind": f.kind, "unit": f.unit, "numerator": f.numerator, "denominator": f.denominator,
        "indicator": f.indicator, "scope": f.scope,
        "change_direction": f.change.direction if f.change else None, "change_value": f.change.value if f.change else None,
        "change_unit": f.change.unit if f.change else None, "change_reference": f.change.reference if f.change else None,
        "sentence_label": s.label,
    } for s in row.sentences for f in s.figures]
    dates = [{"doc_id": row.id, "sentence": s.index, "start": d.start, "end": d.end, "text": d.text, "kind": d.kind,
              "date": d.date, "end_date": d.end_date} for s in row.sentences for d in s.dates]
    people = [{"doc_id": row.id, "name": p.name, "count": p.count, "titles": list(p.titles), "bodies": list(p.bodies)}
              for p in row.people]
    return {"documents": [document], "sentences": sentences, "entities": entities, "figures": figures, "dates": dates,
            "people": people}


class ParquetWriter:
    """`OUT.parquet/` holds one folder per table (`TABLES`), each of `part-NNNNNN.parquet` files.

    A folder, not three single files, because Parquet cannot be appended to: each part is
    written to a temporary name and renamed into place (documents last), so a killed run
    leaves only complete parts and `--resume` continues with the next part number.
    pandas, pyarrow, polars and duckdb read such a folder (or `documents/*.parquet`) as one table.
    """

    def __init__(self, path: Path | str, *, part_size: int = 1000) -> None:
        self.path = Path(path)
        self.part_size = part_size
        self._buffer: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self._rows = 0
        self._next_part = 0

    def _parts(self, table: str) -> list[Path]:
        return sorted((self.path / table).glob("part-*.parquet"))

    def resume(self) -> Counter:
        """Remove temporary and orphaned parts of a killed run; return the ids in the complete parts."""
        import pyarrow.parquet as pq

        done: Counter = Counter()
        if not self.path.is_dir():
            return done
        for table in TABLES:
            for leftover in (self.path / table).glob("*.tmp"):
                leftover.unlink()
        complete = {p.name for p in self._parts("documents")}
        for table in TABLES[1:]:
            for part in self._parts(table):
                if part.name not in complete:
                    part.unlink()  # its documents part never made it: those rows are parsed again
        for part in self._parts("documents"):
            done.update(pq.read_table(part, columns=["doc_id"]).column("doc_id").to_pylist())
        self._next_part = max((int(name[5:11]) + 1 for name in complete), default=0)
        return done

    def open(self, *, append: bool) -> "ParquetWriter":
        if self.path.exists() and not self.path.is_dir():
            raise InputFormatError(f"{self.path} is a file; Parquet output is a folder, pick another name")
        for table in TABLES:
            folder = self.path / table
            folder.mkdir(parents=True, exist_ok=True)
            if not append:
                for old in [*folder.glob("part-*.parquet"), *folder.glob("*.tmp")]:
                    old.unlink()
        if not append:
            self._next_part = 0
        return self

    def encoder(self, *, summary: bool = False) -> Callable[[Row], Encoded]:
        """What `parse_articles(encode=...)` should make of each row for this writer (picklable)."""
        return partial(encode_tables, summary=summary)

    def write(self, row: Row | Encoded) -> None:
        tables = row.data if isinstance(row, Encoded) else flatten(row)
        for table, records in tables.items():
            self._buffer[table].extend(records)
        self._rows += 1
        if self._rows >= self.part_size:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._rows:
            return
        name = f"part-{self._next_part:06d}.parquet"
        schemas = _schemas()
        for table in (*TABLES[1:], TABLES[0]):  # documents last: its part marks the whole part complete
            final = self.path / table / name
            temporary = final.with_name(name + ".tmp")
            pq.write_table(pa.Table.from_pylist(self._buffer[table], schema=schemas[table]), temporary)
            os.replace(temporary, final)
            self._buffer[table] = []
        self._rows = 0
        self._next_part += 1

    def close(self) -> None:
        self.flush()
