"""`cds-nlp report ARCHIVE.jsonl -o report.html`: provinces, labels, people, figures and errors on one page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from ..report import PEOPLE_SHOWN, read_archive, report_html, summarise

    path = Path(args.archive)
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2
    summary = summarise(read_archive(path))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report_html(summary, title=args.title or f"cds_nlp report: {path.name}", top=args.top or PEOPLE_SHOWN),
                   encoding="utf-8")
    print(f"{summary.documents} document(s), {len(summary.errors)} error row(s), "
          f"{len(summary.unreadable)} unreadable line(s) -> {out}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="an HTML report over a JSONL archive written by `cds-nlp parse`")
    p.add_argument("archive", help="a .jsonl of Documents and error rows")
    p.add_argument("-o", "--output", required=True, help="output .html")
    p.add_argument("--top", type=int, default=None, help="how many people and organisations to list (default 20)")
    p.add_argument("--title", default=None, help="page title")
    p.set_defaults(func=run)
