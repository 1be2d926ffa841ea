"""`cds-nlp train DATA... -o OUTDIR`: fine-tune the shipped model (or start blank) on your own labels."""

from __future__ import annotations

import argparse
import sys


def label_list(values: list[str] | None) -> list[str]:
    """`--x a,b --x c` -> ["a", "b", "c"], order kept, duplicates dropped."""
    return list(dict.fromkeys(label.strip() for value in values or [] for label in value.split(",") if label.strip()))


def run(args: argparse.Namespace) -> int:
    from ..errors import CdsNlpError, DataValidationError
    from ..training.train import check_data, train

    options = dict(
        base=args.base, blank=args.blank, dev=args.dev, components=label_list(args.components) or None,
        sentence_labels=label_list(args.sentence_labels), entity_labels=label_list(args.entity_labels), seed=args.seed,
        dev_fraction=args.dev_fraction, textcat_architecture=args.architecture, text_column=args.text_column,
        label_column=args.label_column,
    )
    if not args.check and not args.output:
        print("error: -o/--output OUTDIR is required (or pass --check to only validate the data)", file=sys.stderr)
        return 2
    try:
        if args.check:
            print(check_data(args.data, **options).summary())
            return 0
        train(args.data, args.output, max_epochs=args.max_epochs, patience=args.patience, name=args.name,
              version=args.version, log=sys.stderr, **options)
    except DataValidationError as error:
        print(f"error: {error}\nnothing was written.", file=sys.stderr)
        return 2
    except CdsNlpError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "train",
        help="fine-tune the model on labelled data (guidelines JSONL, sentence tables, Label Studio / Doccano exports)",
        description="Fine-tune the shipped model (or --base MODEL, or --blank) on labelled data and write a model folder "
                    "that cds_nlp.load(OUTDIR) and `cds-nlp parse --model OUTDIR` use. Data is validated first: any problem "
                    "is reported with file and line, and nothing is written.",
    )
    p.add_argument("data", nargs="+", help="labelled files or folders: .jsonl, .json (Label Studio export), .csv, .parquet")
    p.add_argument("-o", "--output", help="model folder to write (a new folder or an earlier model folder)")
    start = p.add_mutually_exclusive_group()
    start.add_argument("--base", default=None, help="model folder to fine-tune (default: the shipped model)")
    start.add_argument("--blank", action="store_true", help="start from a blank pipeline instead of a trained model")
    p.add_argument("--dev", action="append", default=None,
                   help="dev data file, repeatable (default: a dev split in the data, else a seeded split by document)")
    p.add_argument("--components", action="append", help="ner,textcat (default: whatever the data labels)")
    p.add_argument("--sentence-labels", action="append", help="new sentence classes, comma-separated (e.g. plan)")
    p.add_argument("--entity-labels", action="append", help="new entity labels beyond PERSON, ORG, PROVINCE, comma-separated")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--max-epochs", type=int, default=30)
    p.add_argument("--patience", type=int, default=5, help="stop after this many epochs without a better dev score")
    p.add_argument("--dev-fraction", type=float, default=0.15, help="share of documents held out when no dev data is given")
    p.add_argument("--architecture", choices=["bow", "ensemble"], default=None,
                   help="textcat architecture when it is (re)built (default: the base model's, ensemble when blank)")
    p.add_argument("--name", default=None, help="model name in meta.json (default: <base name>_custom)")
    p.add_argument("--version", default="0.1.0")
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-column", default="label", help="sentence-table label column")
    p.add_argument("--check", action="store_true", help="validate the data and show what would be trained, then stop")
    p.set_defaults(func=run)
