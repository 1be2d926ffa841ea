"""What each stage costs in `parse()` on the seeds: full pipeline vs the same with the sentence classifier off.

    python bench/parse_speed.py [--repeat 5]

Prints the time share the sentence classifier adds (target: at most 20%).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import cds_nlp

ROOT = Path(__file__).resolve().parents[1]


def timed(pipeline: cds_nlp.Pipeline, texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text in texts:
            pipeline.parse(text)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pipeline = cds_nlp.load()
    pipeline.parse(texts[0])
    full = timed(pipeline, texts, args.repeat)
    with pipeline.nlp.select_pipes(disable=["cds_sentence_labels"]):
        without = timed(pipeline, texts, args.repeat)
    with pipeline.nlp.select_pipes(disable=["cds_sentence_labels", "ner"]):
        tokenizer_only = timed(pipeline, texts, args.repeat)
    chars = sum(map(len, texts))
    print(f"{pipeline.model_name}, {len(texts)} seeds, {chars} characters, best of {args.repeat}")
    print(f"  full parse():                       {full:.3f}s  ({chars / full:,.0f} chars/s)")
    print(f"  without the sentence classifier:    {without:.3f}s")
    print(f"  without classifier and NER:         {tokenizer_only:.3f}s")
    print(f"  sentence classifier adds {100 * (full - without) / without:.1f}% to parse() time; NER adds "
          f"{100 * (without - tokenizer_only) / tokenizer_only:.1f}%")


if __name__ == "__main__":
    main()
