"""Agreement between our blind labels of the seeds and the reference labels.

    python scripts/labelling/agreement.py [seeds/labels/seeds_blind.jsonl] [../shared/corpus/seeds.jsonl] [-v]

Sentence labels: accuracy, Cohen's kappa, per-label F1 over sentences with the
same boundaries; entities: strict and lenient F1 per label.
"""

import json
import sys
from pathlib import Path

from cds_nlp.training.metrics import entity_scores, sentence_scores

ROOT = Path(__file__).resolve().parents[2]
args = [a for a in sys.argv[1:] if not a.startswith("-")]
ours_path = Path(args[0]) if args else ROOT / "seeds" / "labels" / "seeds_blind.jsonl"
ref_path = Path(args[1]) if len(args) > 1 else ROOT.parent / "shared" / "corpus" / "seeds.jsonl"
ours = {json.loads(l)["id"]: json.loads(l) for l in ours_path.open(encoding="utf-8")}
ref = {json.loads(l)["id"]: json.loads(l) for l in ref_path.open(encoding="utf-8")}
LABELS = ["achievement", "shortcoming", "directive", "other"]
gold, pred, mismatches, unaligned = [], [], [], 0
for i, r in ref.items():
    o = {(s["start"], s["end"]): s["label"] for s in ours[i]["sentences"]}
    for s in r["sentences"]:
        key = (s["start"], s["end"])
        if key not in o:
            unaligned += 1
            continue
        gold.append(s["label"])
        pred.append(o[key])
        if s["label"] != o[key]:
            mismatches.append((i, s["label"], o[key], r["text"][s["start"]:s["end"]][:160]))
s = sentence_scores(gold, pred, LABELS)
print(f"sentences with the same boundaries: {len(gold)} (boundary mismatches: {unaligned})")
print(f"sentence labels: accuracy {s.accuracy}  Cohen's kappa {s.kappa}  macro-F1 {s.macro_f1}")
for label in LABELS:
    p = s.per_label[label]
    print(f"  {label:<12} F1 {p.f1:.4f} (reference n={p.support}, ours n={p.predicted})")
E = ["PERSON", "ORG", "PROVINCE"]
es = entity_scores([[(e["start"], e["end"], e["label"]) for e in ref[i]["entities"]] for i in ref],
                   [[(e["start"], e["end"], e["label"]) for e in ours[i]["entities"]] for i in ref], E)
for label in [*E, "micro"]:
    st = es.strict[label]
    print(f"  entity {label:<9} strict F1 {st.f1:.4f} (P {st.precision:.4f} R {st.recall:.4f})  lenient F1 {es.lenient[label].f1:.4f}")
if "-v" in sys.argv:
    for m in mismatches:
        print("SENTENCE", m)
    for i in ref:
        g = {(e["start"], e["end"], e["label"]) for e in ref[i]["entities"]}
        p = {(e["start"], e["end"], e["label"]) for e in ours[i]["entities"]}
        for x in sorted(g - p):
            print("MISSED", i, x[2], ref[i]["text"][x[0]:x[1]])
        for x in sorted(p - g):
            print("EXTRA ", i, x[2], ref[i]["text"][x[0]:x[1]])
