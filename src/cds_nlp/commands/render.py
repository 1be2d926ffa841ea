"""`cds-nlp render FILE -o page.html`: a text file or a JSONL archive of Documents as a readable page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Union

from ..batch import ErrorRow
from ..document import Document
from ..errors import InputTypeError, TextTooLongError

ARCHIVE_SUFFIXES = (".jsonl", ".ndjson")


def _is_archive(path: Path, form: str) -> bool:
    return form == "jsonl" or (form == "auto" and path.suffix.lower() in ARCHIVE_SUFFIXES)


def _parse_text(path: Path, model: str | None) -> Union[Document, ErrorRow]:
    """Parse one text file with the model; a file that cannot be read or parsed becomes an ErrorRow."""
    from ..pipeline import load

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return ErrorRow(id=path.name, source=str(path), error="DecodeError",
                        message=f"not valid UTF-8 at byte {error.start}")
    try:
        return load(model).parse(text, id=path.name, source=str(path))
    except (InputTypeError, TextTooLongError) as error:
        return ErrorRow(id=path.name, source=str(path), error=type(error).__name__, message=str(error))


def run(args: argparse.Namespace) -> int:
    from ..render import render_page
    from ..report import UnreadableLine, read_archive

    path = Path(args.input)
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2
    if _is_archive(path, args.format):
        rows: list[Union[Document, ErrorRow]] = []
        for row in read_archive(path):
            if isinstance(row, UnreadableLine):
                row = ErrorRow(id=f"{path.name}:{row.line}", error="UnreadableLine", message=row.message)
            if args.id and (row.id not in args.id):
                continue
            rows.append(row)
        rows = rows[: args.limit] if args.limit else rows
    else:
        rows = [_parse_text(path, args.model)]
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_page(rows, title=args.title or f"cds_nlp: {path.name}"), encoding="utf-8")
    documents = sum(isinstance(row, Document) for row in rows)
    print(f"{documents} document(s), {len(rows) - documents} error row(s) -> {out}", file=sys.stderr)
    return 0 if documents else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("render", help="a text file or a JSONL of Documents as a standalone HTML page (displaCy)")
    p.add_argument("input", help="a text file to parse, or a .jsonl written by `cds-nlp parse`")
    p.add_argument("-o", "--output", required=True, help="output .html")
    p.add_argument("--format", choices=("auto", "text", "jsonl"), default="auto",
                   help="how to read INPUT (auto: .jsonl/.ndjson are archives, anything else is text)")
    p.add_argument("--model", default=None, help="model folder for a text file (default: the shipped model)")
    p.add_argument("--id", action="append", default=None, help="only the document with this id (repeatable)")
    p.add_argument("--limit", type=int, default=None, help="at most this many rows from an archive")
    p.add_argument("--title", default=None, help="page title")
    p.set_defaults(func=run)
