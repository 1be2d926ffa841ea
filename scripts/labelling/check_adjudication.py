"""Validate an adjudication answers file: every flagged item answered once, labels valid.

    python3 scripts/labelling/check_adjudication.py OUT_DIR K
"""
import json, sys
from collections import Counter
k = int(sys.argv[2])
base = sys.argv[1].rstrip("/") + "/"
items = [it for it in json.load(open(base + "items.json")) if it["slice"] == k]
want = {(it["doc"], it["i"]): it for it in items}
labels = {"achievement", "shortcoming", "directive", "other"}
problems, seen, changes = [], Counter(), Counter()
try:
    lines = open(base + f"answers{k}.jsonl", encoding="utf-8").read().splitlines()
except FileNotFoundError:
    sys.exit(f"missing {base}answers{k}.jsonl")
for n, line in enumerate(lines, 1):
    if not line.strip():
        continue
    try:
        a = json.loads(line)
    except json.JSONDecodeError as e:
        problems.append(f"line {n}: bad JSON: {e}"); continue
    key = (a.get("doc"), a.get("i"))
    if a.get("label") not in labels:
        problems.append(f"line {n}: label {a.get('label')!r} not one of {sorted(labels)}")
    if not a.get("rule"):
        problems.append(f"line {n}: empty rule")
    if key not in want and not a.get("extra"):
        problems.append(f"line {n}: {key} is not a >> item of slice {k} (add \"extra\": true for an unmarked sentence)")
    seen[key] += 1
    if key in want and a.get("label") in labels and a["label"] != want[key]["label"]:
        changes[(want[key]["label"], a["label"])] += 1
for key, c in seen.items():
    if c > 1:
        problems.append(f"{key} answered {c} times")
missing = [key for key in want if key not in seen]
if missing:
    problems.append(f"{len(missing)} >> items without an answer, e.g. {missing[:5]}")
for p in problems:
    print(p)
print(f"{len(problems)} problems; {sum(1 for k2 in seen if k2 in want)}/{len(want)} answered; changes: {dict(changes)}")
