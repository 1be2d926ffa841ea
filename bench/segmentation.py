"""Word segmentation: cds_nlp's tokenizer vs raw underthesea `word_tokenize`, on the UD Vietnamese VTB.

Both get the same input (FORMs joined by single spaces, as the treebank's
SOURCE.md prescribes); words are compared as spans of non-space characters,
so tone normalisation inside underthesea does not count as an error.

    python bench/segmentation.py [--ud ../shared/data/ud_vietnamese_vtb] [--split test]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from underthesea import word_tokenize

from cds_nlp.convert import is_blank
from cds_nlp.language import blank

ROOT = Path(__file__).resolve().parents[1]


def read_conllu(path: Path) -> list[list[str]]:
    sentences, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                sentences.append(words)
            words = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                words.append(cols[1])
    if words:
        sentences.append(words)
    return sentences


def spans(words: list[str]) -> set[tuple[int, int]]:
    """Words as [start, end) over the text with all whitespace removed."""
    out, position = set(), 0
    for word in words:
        length = len("".join(word.split()))
        if length:
            out.add((position, position + length))
            position += length
    return out


def prf(gold: list[set], predicted: list[set]) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in zip(gold, predicted))
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in predicted)
    precision, recall = tp / n_pred, tp / n_gold
    return precision, recall, 2 * precision * recall / (precision + recall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ud", type=Path, default=ROOT.parent / "shared" / "data" / "ud_vietnamese_vtb")
    parser.add_argument("--split", default="test", choices=["train", "dev", "test"])
    args = parser.parse_args()
    sentences = read_conllu(args.ud / f"vi_vtb-ud-{args.split}.conllu")
    texts = [" ".join(words) for words in sentences]
    gold = [spans(words) for words in sentences]

    word_tokenize("khởi động")  # load the CRF model outside the timed loops
    t0 = time.perf_counter()
    raw = [spans(word_tokenize(text)) for text in texts]
    t_raw = time.perf_counter() - t0

    nlp = blank()
    t0 = time.perf_counter()
    ours = [spans([t.text for t in doc if not is_blank(t)]) for doc in nlp.pipe(texts)]
    t_ours = time.perf_counter() - t0

    n_words = sum(len(g) for g in gold)
    print(f"UD_Vietnamese-VTB {args.split}: {len(texts)} sentences, {n_words} gold words")
    print(f"{'segmenter':<38}{'P':>8}{'R':>8}{'F1':>8}{'sec':>8}")
    for name, predicted, seconds in [("underthesea word_tokenize (baseline)", raw, t_raw), ("cds_nlp tokenizer", ours, t_ours)]:
        p, r, f = prf(gold, predicted)
        print(f"{name:<38}{p:>8.4f}{r:>8.4f}{f:>8.4f}{seconds:>8.2f}")
    f_raw, f_ours = prf(gold, raw)[2], prf(gold, ours)[2]
    print(f"F1 ratio ours/baseline: {f_ours / f_raw:.4f}; time ratio ours/baseline: {t_ours / t_raw:.2f}")


if __name__ == "__main__":
    main()
