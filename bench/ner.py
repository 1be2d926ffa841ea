"""Entities: cds_nlp vs underthesea's own `ner()`, side by side on the same labelled documents; and speed.

underthesea tags are mapped PER -> PERSON, ORG -> ORG, LOC -> PROVINCE when the
span is a province name our gazetteer can link (otherwise dropped), so the
baseline is scored on the same label set. Both are scored strict (exact
span and label) and lenient (overlap, same label), per label.

Speed: full `cds_nlp` `parse()` (tokenizer, NER, gazetteer, sentence classifier,
people, directives) against underthesea `ner()` on the same texts, tokens/second
(tokens = our word tokens, the same count for both), measured in this run.

    python bench/ner.py [--corpus ../shared/corpus] [--speed-repeat 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from underthesea import ner as underthesea_ner

import cds_nlp
from cds_nlp.normalize import normalize
from cds_nlp.provinces import Gazetteer
from cds_nlp.tokenizer import _locate
from cds_nlp.training.data import load_corpus, load_reference
from cds_nlp.training.metrics import entity_scores

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["PERSON", "ORG", "PROVINCE"]
MAPPING = {"PER": "PERSON", "ORG": "ORG", "LOC": "PROVINCE"}


def baseline_entities(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """underthesea ner() line by line, its words aligned back to offsets in `text`."""
    norm = normalize(text)
    found: list[tuple[int, int, str]] = []
    position = 0
    for line in norm.text.split("\n"):
        line_start = position
        position += len(line) + 1
        if not line.strip():
            continue
        cursor = 0
        current: list = []
        for word, _pos, _chunk, tag in underthesea_ner(line):
            start, end = _locate(line, word, cursor)
            cursor = max(cursor, end)
            if tag.startswith("B-") or (tag.startswith("I-") and (not current or current[2] != tag[2:])):
                if current:
                    found.append(tuple(current))
                current = [line_start + start, line_start + end, tag[2:]]
            elif tag.startswith("I-"):
                current[1] = line_start + end
            else:
                if current:
                    found.append(tuple(current))
                current = []
        if current:
            found.append(tuple(current))
    out = []
    for start, end, tag in found:
        label = MAPPING.get(tag)
        if label is None:
            continue
        o_start, o_end = norm.span_to_original(start, end)
        if label == "PROVINCE" and gazetteer.link(text[o_start:o_end]) is None:
            continue
        out.append((o_start, o_end, label))
    return out


def score_table(name: str, rows, pipeline, gazetteer) -> None:  # noqa: ANN001
    gold = [[(e["start"], e["end"], e["label"]) for e in r["entities"]] for r in rows]
    ours = [[(e.start, e.end, e.label) for e in pipeline.parse(r["text"]).entities] for r in rows]
    base = [baseline_entities(r["text"], gazetteer) for r in rows]
    print(f"\n{name}: {len(rows)} documents, {sum(map(len, gold))} gold entities")
    print(f"{'label':<10}{'system':<14}{'P':>8}{'R':>8}{'F1':>8}{'lenient F1':>12}")
    s_ours, s_base = entity_scores(gold, ours, LABELS), entity_scores(gold, base, LABELS)
    for label in [*LABELS, "micro"]:
        for system, s in (("underthesea", s_base), ("cds_nlp", s_ours)):
            st = s.strict[label]
            print(f"{label:<10}{system:<14}{st.precision:>8.4f}{st.recall:>8.4f}{st.f1:>8.4f}{s.lenient[label].f1:>12.4f}")


def speed(pipeline, texts: list[str], repeat: int) -> None:  # noqa: ANN001
    pipeline.parse("khởi động")
    underthesea_ner("khởi động")
    tokens = sum(len(s.tokens) for t in texts for s in pipeline.parse(t).sentences) * repeat
    t0 = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            pipeline.parse(t)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            for line in t.split("\n"):
                if line.strip():
                    underthesea_ner(line)
    base = time.perf_counter() - t0
    print(f"\nspeed on {len(texts)} texts x {repeat} ({tokens} tokens):")
    print(f"  underthesea ner():   {tokens / base:>9.0f} tokens/s")
    print(f"  cds_nlp parse():     {tokens / ours:>9.0f} tokens/s")
    print(f"  ratio parse/ner:     {base / ours:.2f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--speed-repeat", type=int, default=3)
    args = parser.parse_args()
    pipeline = cds_nlp.load()
    gazetteer = Gazetteer.load()
    print(f"model: {pipeline.model_name}")
    seeds = list(load_reference(args.corpus / "seeds.jsonl"))
    score_table("seeds (never trained on)", seeds, pipeline, gazetteer)
    dev = list(load_corpus(args.corpus)["dev"])
    score_table("dev split", dev, pipeline, gazetteer)
    speed(pipeline, [r["text"] for r in seeds], args.speed_repeat)


if __name__ == "__main__":
    main()
