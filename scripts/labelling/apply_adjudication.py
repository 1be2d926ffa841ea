"""Apply a second-pass adjudication of sentence labels to the stand-off labels.

Inputs (outside the repo, they quote the corpus): the adjudicators' answer files
(`{"doc", "i", "label", "rule"[, "extra"]}` a line) and the sentence table they were made from
(`{"doc", "i", "start", "end", "label"}`). Output: `seeds/labels/train.jsonl` rewritten in place
with the new labels, and `seeds/labels/adjudication.jsonl`, one stand-off line per decision
(id, start, end, before, after, flagged), so every change can be audited or undone.

    python scripts/labelling/apply_adjudication.py SENTENCES.json ANSWERS.jsonl...
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from cds_nlp.jsonl import read_jsonl

LABELS = Path(__file__).resolve().parents[2] / "seeds" / "labels"


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sentences", type=Path)
    parser.add_argument("answers", type=Path, nargs="+")
    parser.add_argument("--labels", type=Path, default=LABELS / "train.jsonl")
    parser.add_argument("--log", type=Path, default=LABELS / "adjudication.jsonl")
    args = parser.parse_args(argv)

    table = {(s["doc"], s["i"]): s for s in json.loads(args.sentences.read_text(encoding="utf-8"))}
    records = [record for _, record in read_jsonl(args.labels)]
    by_id = {r["id"]: r for r in records}
    decisions, changes, problems = [], Counter(), []
    for path in args.answers:
        for n, answer in read_jsonl(path):
            if isinstance(answer, str):
                problems.append(f"{path}:{n}: {answer}")
                continue
            key = (answer["doc"], answer["i"])
            if key not in table or answer["doc"] not in by_id:
                problems.append(f"{path}:{n}: unknown sentence {key}")
                continue
            span = (table[key]["start"], table[key]["end"])
            sentence = max(by_id[answer["doc"]]["sentences"], key=lambda s: overlap(span, (s["start"], s["end"])))
            if overlap(span, (sentence["start"], sentence["end"])) == 0:
                problems.append(f"{path}:{n}: no stand-off sentence overlaps {key}")
                continue
            before = sentence["label"]
            sentence["label"] = answer["label"]
            changes[(before, answer["label"])] += before != answer["label"]
            decisions.append({"id": answer["doc"], "start": sentence["start"], "end": sentence["end"], "before": before,
                              "after": answer["label"], "flagged": not answer.get("extra", False)})
    if problems:
        print("\n".join(problems))
        return 1
    args.labels.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    decisions.sort(key=lambda d: (d["id"], d["start"]))
    args.log.write_text("".join(json.dumps(d) + "\n" for d in decisions), encoding="utf-8")
    changed = sum(changes.values())
    print(f"{len(decisions)} decisions, {changed} labels changed")
    for (before, after), count in sorted(changes.items(), key=lambda kv: -kv[1]):
        if count:
            print(f"  {before:>11} -> {after:<11} {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
