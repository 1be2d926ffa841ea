"""`cds-nlp evaluate MODEL DATA...`: per-label entity scores (strict, lenient), sentence macro-F1, confusion matrix."""

from __future__ import annotations

import argparse
import sys

from .train import label_list


def run(args: argparse.Namespace) -> int:
    from ..errors import CdsNlpError
    from ..pipeline import load
    from ..training.evaluate import format_report
    from ..training.train import evaluate_data

    try:
        pipeline = load(args.model)
        report = evaluate_data(pipeline, args.data, sentence_labels=label_list(args.sentence_labels),
                               entity_labels=label_list(args.entity_labels), text_column=args.text_column,
                               label_column=args.label_column)
    except CdsNlpError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(format_report(report, f"{pipeline.model_name} on {', '.join(args.data)}"))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="score a model folder on labelled data: entities per label (strict, lenient), sentence macro-F1, confusion matrix",
    )
    p.add_argument("model", help="model folder (e.g. models/vi_cds_news-0.4.0 or the -o of `cds-nlp train`)")
    p.add_argument("data", nargs="+", help="labelled files in any format `cds-nlp train` reads")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--sentence-labels", action="append", help="extra sentence classes the data may use")
    p.add_argument("--entity-labels", action="append", help="extra entity labels the data may use")
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-column", default="label")
    p.set_defaults(func=run)
