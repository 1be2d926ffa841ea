#!/usr/bin/env python3
"""How well `Gazetteer.find` alone reproduces the gold PROVINCE spans.

Strict span match (same start and end) on ../shared/corpus/train.jsonl and
seeds.jsonl; prints precision, recall and F1 per file and every error with a
little context and, for misses, the rule that rejected a hit there, if any.
The corpus is third-party text: it is read from ../shared at run time and
nothing of it is written into the repository.

    PYTHONPATH=src python scripts/eval_province_gazetteer.py [FILE.jsonl ...] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cds_nlp.provinces import Gazetteer  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_FILES = [CORPUS / "train.jsonl", CORPUS / "seeds.jsonl"]


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].replace("\n", "⏎")
    right = text[end : end + 20].replace("\n", "⏎")
    return f"…{left}[[{text[start:end]}]]{right}…"


def evaluate(path: Path, gazetteer: Gazetteer, quiet: bool = False) -> tuple[int, int, int]:
    """Print the scores and errors for one file; return (true positives, predicted, gold)."""
    tp = n_pred = n_gold = 0
    errors: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        gold = {(e["start"], e["end"]) for e in record["entities"] if e["label"] == "PROVINCE"}
        candidates = gazetteer.candidates(text)
        pred = {(c.start, c.end) for c in candidates if c.rejected is None}
        tp += len(gold & pred)
        n_pred += len(pred)
        n_gold += len(gold)
        for s, e in sorted(pred - gold):
            errors.append(f"  FP {record['id']} {s}:{e} {_context(text, s, e)}")
        for s, e in sorted(gold - pred):
            why = [c.rejected for c in candidates if c.start < e and s < c.end and c.rejected]
            note = f"  (rejected: {why[0]})" if why else ""
            errors.append(f"  FN {record['id']} {s}:{e} {_context(text, s, e)}{note}")
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{path.name}: gold {n_gold}, predicted {n_pred}, correct {tp}  P={p:.4f} R={r:.4f} F1={f:.4f}")
    if not quiet:
        for err in errors:
            print(err)
    return tp, n_pred, n_gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--quiet", action="store_true", help="scores only, no error list")
    args = parser.parse_args(argv)
    gazetteer = Gazetteer.load()
    for path in args.files:
        evaluate(path, gazetteer, quiet=args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
