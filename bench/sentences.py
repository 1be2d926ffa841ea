"""Sentence boundaries: our splitter vs underthesea `sent_tokenize`, exact spans against the labelled corpus.

    python bench/sentences.py [--corpus ../shared/corpus]

underthesea returns strings, not offsets; they are located in the text in order
(whitespace-trimmed) to score them the same way.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from underthesea import sent_tokenize

from cds_nlp.normalize import normalize
from cds_nlp.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]


def locate(text: str, pieces: list[str]) -> set[tuple[int, int]]:
    spans, cursor = set(), 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start == -1:
            continue
        spans.add((start, start + len(piece)))
        cursor = start + len(piece)
    return spans


def ours(text: str) -> set[tuple[int, int]]:
    norm = normalize(text)
    return {norm.span_to_original(s, e) for s, e in split_sentences(norm.text)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    print(f"{'file':<14}{'system':<28}{'P':>8}{'R':>8}{'F1':>8}")
    for name in ("train.jsonl", "seeds.jsonl"):
        rows = [json.loads(line) for line in (args.corpus / name).open(encoding="utf-8")]
        for system, split in (("underthesea sent_tokenize", lambda t: locate(t, sent_tokenize(t))), ("cds_nlp", ours)):
            tp = n_pred = n_gold = 0
            for row in rows:
                gold = {(s["start"], s["end"]) for s in row["sentences"]}
                pred = split(row["text"])
                tp, n_pred, n_gold = tp + len(gold & pred), n_pred + len(pred), n_gold + len(gold)
            p, r = tp / n_pred, tp / n_gold
            print(f"{name:<14}{system:<28}{p:>8.4f}{r:>8.4f}{2 * p * r / (p + r):>8.4f}")


if __name__ == "__main__":
    main()
