"""The `cds-nlp` command line: thin wrappers over the library, one module per command."""

from __future__ import annotations

import argparse
import importlib

COMMANDS = ("parse", "train", "evaluate", "render", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cds-nlp", description="Vietnamese digital-transformation news -> typed data.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"cds_nlp.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
