"""Agreement between a blind second annotation of the dev documents and their labels, and the disagreements.

    python scripts/labelling/double_annotation.py [SECOND.jsonl] [--labels OUR_LABELS.jsonl] [--slices OUT_DIR K]

SECOND: stand-off sentence-only labels of dev documents made without seeing their labels
(default `seeds/labels/dev_second.jsonl`, made from answers as in SENTENCE_INSTRUCTIONS.md with
`answers_to_standoff.py ../shared/corpus/train_raw.jsonl ANSWERS --sentences-only --out ...`). Each labelled sentence is paired with the second annotation's sentence that
overlaps it most. Prints accuracy, Cohen's kappa and per-label F1 (current labels as reference),
separately for the documents labelled by the corpus owner (`../shared/corpus/train.jsonl`) and by us.
With --slices, writes the disagreements in our documents as K adjudication slices (ADJUDICATION.md
format: the document whole, the disputed lines marked with both labels, neither attributed).
"""

import json
import random
import sys
from pathlib import Path

from cds_nlp.document import SENTENCE_LABELS
from cds_nlp.jsonl import read_jsonl
from cds_nlp.training.data import REPO, SHARED_CORPUS, STANDOFF_LABELS, load_corpus, load_sentence_labels
from cds_nlp.training.metrics import sentence_scores

LABELS = list(SENTENCE_LABELS)


def second_labels(path: Path) -> dict[str, list[dict]]:
    return {row["id"]: row["sentences"] for row in load_sentence_labels(path, SHARED_CORPUS / "train_raw.jsonl")}


def paired(first: list[dict], second: list[dict]) -> list[tuple[dict, str]]:
    """Each sentence of `first` with the label of the `second` sentence overlapping it most."""
    pairs = []
    for s in first:
        best = max(second, key=lambda t: min(s["end"], t["end"]) - max(s["start"], t["start"]))
        pairs.append((s, best["label"]))
    return pairs


def main() -> None:
    given = [a for a in sys.argv[1:2] if not a.startswith("--")]  # --labels: e.g. the labels before adjudication
    second = second_labels(Path(given[0]) if given else REPO / "seeds" / "labels" / "dev_second.jsonl")
    owner = {r["id"] for _, r in read_jsonl(SHARED_CORPUS / "train.jsonl")}
    labels = Path(sys.argv[sys.argv.index("--labels") + 1]) if "--labels" in sys.argv else STANDOFF_LABELS
    dev = {r["id"]: r for r in load_corpus(standoff=labels)["dev"] if r["id"] in second}
    groups = {"owner-labelled": [i for i in dev if i in owner], "ours": [i for i in dev if i not in owner]}
    disputes: dict[str, list[tuple[int, str, str]]] = {}
    for name, ids in groups.items():
        gold, other = [], []
        for i in ids:
            for k, (s, label) in enumerate(paired(dev[i]["sentences"], second[i])):
                gold.append(s["label"])
                other.append(label)
                if label != s["label"] and name == "ours":
                    disputes.setdefault(i, []).append((k, s["label"], label))
        if not gold:
            continue
        sc = sentence_scores(gold, other, LABELS)
        per = "  ".join(f"{label} {sc.per_label[label].f1:.3f} (n={sc.per_label[label].support})" for label in LABELS)
        print(f"{name}: {len(ids)} documents, {len(gold)} sentences: accuracy {sc.accuracy:.3f}  kappa {sc.kappa:.3f}  "
              f"macro-F1 {sc.macro_f1:.3f}\n  {per}")
    print(f"disagreements in our documents: {sum(len(v) for v in disputes.values())} in {len(disputes)} documents")
    if "--slices" in sys.argv:
        out_dir, k = Path(sys.argv[sys.argv.index("--slices") + 1]), int(sys.argv[sys.argv.index("--slices") + 2])
        write_slices(dev, disputes, out_dir, k)


def write_slices(dev: dict, disputes: dict, out_dir: Path, k: int) -> None:
    """Adjudication slices; the two candidate labels are shown in random order so neither is privileged."""
    rng = random.Random(0)
    out_dir.mkdir(parents=True, exist_ok=True)
    ids = sorted(disputes)
    items = []
    for j in range(k):
        lines = []
        for i in ids[j::k]:
            row = dev[i]
            marked = {n: (a, b) for n, a, b in disputes[i]}  # (current label, second annotation)
            lines.append(f"=== {i}")
            for n, s in enumerate(row["sentences"]):
                text = row["text"][s["start"]:s["end"]].replace("\n", " ")
                if n in marked:
                    a, b = sorted(marked[n], key=lambda _: rng.random())
                    lines.append(f">> [{n}] {text}   ⟵ REVIEW: candidate A={a} | candidate B={b}")
                    items.append({"doc": i, "i": n, "slice": j, "label": s["label"], "second": marked[n][1]})
                else:
                    lines.append(f"   [{n}] {text}")
        (out_dir / f"slice{j}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out_dir / "items.json").write_text(json.dumps(items), encoding="utf-8")
    print(f"wrote {k} slices, {len(items)} items, to {out_dir}")


if __name__ == "__main__":
    main()
