"""`cds-nlp parse INPUT -o OUTPUT`: parse an archive into Documents, one row per input.

Exit status: 0 when every input was parsed, 1 when some became error rows (the
run still finishes and says which), 2 when the input or output cannot be used.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections import Counter
from typing import Optional

from ..batch import InputFormatError, count_inputs, open_writer, parse_articles, read_input, skip_done
from ..batch import summary_line  # noqa: F401  (its old home; the rows are made in batch.py)
from ..errors import CdsNlpError

DEFAULT_MAX_CHARS = 1_000_000  # a news article is < 50,000 characters; a bigger "article" is usually a dump


def _progress(total: Optional[int], initial: int, enabled: bool):  # noqa: ANN202 - tqdm or a no-op
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="doc", dynamic_ncols=True, smoothing=0.05,
                disable=not enabled, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from ..pipeline import load

    try:
        writer = open_writer(args.output, part_size=args.part_size)
        if args.resume and args.output == "-":
            raise InputFormatError("--resume needs an output file, not stdout")
        done = writer.resume() if args.resume else Counter()
        articles = read_input(args.input, text_column=args.text_column, id_column=args.id_column,
                              max_chars=args.max_chars, input_format=args.input_format)
        total = count_inputs(args.input, input_format=args.input_format) if _show_progress(args) else None
    except InputFormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pipeline = load(args.model, max_chars=args.max_chars)
    except CdsNlpError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for warning in caught if not args.quiet else []:
        print(f"warning: {warning.message}", file=sys.stderr)

    skipped = sum(done.values())
    failures: Counter = Counter()
    parsed = 0
    writer.open(append=args.resume)
    bar = _progress(total, min(skipped, total or skipped), _show_progress(args))
    try:
        rows = parse_articles(pipeline, skip_done(articles, done), batch_size=args.batch_size,
                              n_process=args.n_process, encode=writer.encoder(summary=args.summary))
        for row in rows:
            writer.write(row)
            bar.update(1)
            if row.error is not None:
                failures[row.error.error] += 1
                if not args.quiet:
                    bar.write(f"error: {row.id}: {row.error.error}: {row.error.message}", file=sys.stderr)
            else:
                parsed += 1
                if row.summary:  # to stderr when the rows themselves go to stdout
                    bar.write(row.summary, file=sys.stderr if args.output == "-" else sys.stdout)
    except InputFormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"interrupted after {parsed + sum(failures.values())} rows; every row written is whole: "
              "run the same command with --resume to continue", file=sys.stderr)
        return 130
    finally:
        bar.close()
        writer.close()
    _report(args, parsed, failures, skipped)
    return 1 if failures else 0


def _show_progress(args: argparse.Namespace) -> bool:
    """A bar on a terminal only: piped or logged output stays clean."""
    return not args.quiet and not args.no_progress and sys.stderr.isatty()


def _report(args: argparse.Namespace, parsed: int, failures: Counter, skipped: int) -> None:
    failed = sum(failures.values())
    kinds = ", ".join(f"{kind} {n}" for kind, n in failures.most_common())
    resumed = f" ({skipped} already done)" if skipped else ""
    print(f"{parsed} parsed, {failed} failed{f' ({kinds})' if kinds else ''}{resumed} -> {args.output}",
          file=sys.stderr)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "parse", help="parse a folder of .txt, a JSONL/CSV/Parquet file or stdin (-) into Documents",
        description="Every input gives one output row: a Document, or an error row (id, source, error, message). "
                    "Empty texts, undecodable files and texts over --max-chars become error rows; the run goes on "
                    "and exits with status 1 if any did.",
    )
    p.add_argument("input", help="folder of .txt (recursive), .txt/.jsonl/.csv/.parquet file (.gz ok), or - for stdin")
    p.add_argument("-o", "--output", required=True,
                   help="OUT.jsonl (one row a line), OUT.parquet (a folder of documents/sentences/entities tables) "
                        "or - (JSONL on stdout)")
    p.add_argument("--model", default=None, help="model folder (default: the shipped model)")
    p.add_argument("--text-column", default="text", help="column holding the text (JSONL/CSV/Parquet)")
    p.add_argument("--id-column", default="id", help="column holding the article id (default: file:row)")
    p.add_argument("--input-format", default="auto", choices=("auto", "jsonl", "csv", "parquet", "txt"),
                   help="override the format given by the extension; for stdin (default jsonl), txt reads one article")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run: keep the rows in OUTPUT, parse only the inputs not in it")
    p.add_argument("--n-process", type=_positive, default=1, help="worker processes (default 1)")
    p.add_argument("--batch-size", type=_positive, default=32, help="articles sent to a worker at a time (default 32)")
    p.add_argument("--max-chars", type=_positive, default=DEFAULT_MAX_CHARS,
                   help=f"longer texts become error rows (default {DEFAULT_MAX_CHARS:,})")
    p.add_argument("--part-size", type=_positive, default=1000, help="rows per Parquet part file (default 1000)")
    p.add_argument("--summary", action="store_true", help="print a one-line summary per document")
    p.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the final summary line")
    p.set_defaults(func=run)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number
