"""Validate an adjudication answers file: every flagged item answered once, labels valid.

    python scripts/labelling/check_adjudication.py OUT_DIR K [--blind]

--blind: do not print how the answers change the current labels (for adjudicators who must not
know which candidate is the current label).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from cds_nlp.document import SENTENCE_LABELS
from cds_nlp.jsonl import read_jsonl


def check(folder: Path, k: int, blind: bool = False) -> list[str]:
    items = [it for it in json.loads((folder / "items.json").read_text(encoding="utf-8")) if it["slice"] == k]
    want = {(it["doc"], it["i"]): it for it in items}
    answers = folder / f"answers{k}.jsonl"
    if not answers.exists():
        return [f"missing {answers}"]
    problems, seen, changes = [], Counter(), Counter()
    for n, a in read_jsonl(answers):
        if isinstance(a, str):
            problems.append(f"line {n}: {a}")
            continue
        key = (a.get("doc"), a.get("i"))
        if a.get("label") not in SENTENCE_LABELS:
            problems.append(f"line {n}: label {a.get('label')!r} not one of {list(SENTENCE_LABELS)}")
        if not a.get("rule"):
            problems.append(f"line {n}: empty rule")
        if key not in want and not a.get("extra"):
            problems.append(f"line {n}: {key} is not a >> item of slice {k} (add \"extra\": true for an unmarked sentence)")
        seen[key] += 1
        if key in want and a.get("label") in SENTENCE_LABELS and a["label"] != want[key]["label"]:
            changes[(want[key]["label"], a["label"])] += 1
    problems += [f"{key} answered {c} times" for key, c in seen.items() if c > 1]
    missing = [key for key in want if key not in seen]
    if missing:
        problems.append(f"{len(missing)} >> items without an answer, e.g. {missing[:5]}")
    print(f"{sum(1 for key in seen if key in want)}/{len(want)} answered" + ("" if blind else f"; changes: {dict(changes)}"))
    return problems


if __name__ == "__main__":
    found = check(Path(sys.argv[1]), int(sys.argv[2]), blind="--blind" in sys.argv)
    print("\n".join(found + [f"{len(found)} problems"]))
    sys.exit(1 if found else 0)
