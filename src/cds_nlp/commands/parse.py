"""`cds-nlp parse INPUT -o OUTPUT`: parse an archive into Documents, one row per input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..batch import ErrorRow, parse_articles, read_input
from ..document import Document


def summary_line(document: Document) -> str:
    labels = " ".join(f"{k}={v}" for k, v in document.label_counts.items())
    provinces = ", ".join(f"{p.province.name}×{p.count}" for p in document.provinces[:5]) or "-"
    people = ", ".join(p.name for p in document.people[:4]) or "-"
    return (f"{document.id}: {len(document.sentences)} sentences ({labels}); "
            f"{len(document.entities)} entities; provinces: {provinces}; people: {people}")


def run(args: argparse.Namespace) -> int:
    from ..pipeline import load

    pipeline = load(args.model)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    failed = total = 0
    with out.open("w", encoding="utf-8") as handle:
        for row in parse_articles(pipeline, read_input(args.input, text_column=args.text_column, id_column=args.id_column)):
            total += 1
            handle.write(row.model_dump_json() + "\n")
            if isinstance(row, ErrorRow):
                failed += 1
                print(f"error: {row.id}: {row.error}: {row.message}", file=sys.stderr)
            elif args.summary:
                print(summary_line(row))
    print(f"{total - failed} parsed, {failed} failed -> {out}", file=sys.stderr)
    return 1 if failed else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("parse", help="parse a folder of .txt, a JSONL file or stdin (-) into Documents")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True, help="output .jsonl")
    p.add_argument("--model", default=None, help="model folder (default: the shipped model)")
    p.add_argument("--text-column", default="text")
    p.add_argument("--id-column", default="id")
    p.add_argument("--summary", action="store_true", help="print a one-line summary per document")
    p.set_defaults(func=run)
