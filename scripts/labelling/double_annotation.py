"""Agreement between a blind second annotation and our sentence labels, and the disagreements.

    python scripts/labelling/double_annotation.py [SECOND.jsonl] [--pool dev|extra] [--labels OUR_LABELS.jsonl]
                                                  [--slices OUT_DIR K]

SECOND: stand-off sentence-only labels made without seeing the first labels (default
`seeds/labels/dev_second.jsonl` for `--pool dev`, `seeds/labels/extra_second.jsonl` for `--pool extra`;
made from answers as in SENTENCE_INSTRUCTIONS.md with `answers_to_standoff.py RAW ANSWERS
--sentences-only --out ...`). Each labelled sentence is paired with the second annotation's sentence
that overlaps it most. Prints accuracy, Cohen's kappa and per-label F1 (first labels as reference);
for the dev split, separately for the documents labelled by the corpus owner
(`../shared/corpus/train.jsonl`) and by us. `--labels`: our dev labels file to compare with (e.g. the
one before adjudication). With --slices, writes the disagreements in our documents as K adjudication
slices (DOUBLE_ANNOTATION.md: the document whole, the disputed lines marked with both labels, in
random order, neither attributed).
"""

import argparse
import json
import random
from pathlib import Path

from cds_nlp.document import SENTENCE_LABELS
from cds_nlp.jsonl import read_jsonl
from cds_nlp.training.data import REPO, SHARED_CORPUS, STANDOFF_LABELS, load_corpus, load_sentence_labels
from cds_nlp.training.metrics import sentence_scores

LABELS = list(SENTENCE_LABELS)
RAW = {"dev": SHARED_CORPUS / "train_raw.jsonl", "extra": SHARED_CORPUS / "extra_raw.jsonl"}


def paired(first: list[dict], second: list[dict]) -> list[tuple[dict, str]]:
    """Each sentence of `first` with the label of the `second` sentence overlapping it most."""
    pairs = []
    for s in first:
        best = max(second, key=lambda t: min(s["end"], t["end"]) - max(s["start"], t["start"]))
        pairs.append((s, best["label"]))
    return pairs


def first_labels(pool: str, ids: set[str], labels: Path) -> tuple[dict[str, dict], dict[str, list[str]]]:
    """Our labelled documents among `ids`, and how to group them in the report."""
    if pool == "extra":
        rows = {r["id"]: r for r in load_sentence_labels() if r["id"] in ids}
        return rows, {"ours (extra pool)": list(rows)}
    owner = {r["id"] for _, r in read_jsonl(SHARED_CORPUS / "train.jsonl")}
    rows = {r["id"]: r for r in load_corpus(standoff=labels)["dev"] if r["id"] in ids}
    return rows, {"owner-labelled": [i for i in rows if i in owner], "ours": [i for i in rows if i not in owner]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("second", type=Path, nargs="?")
    parser.add_argument("--pool", choices=sorted(RAW), default="dev")
    parser.add_argument("--labels", type=Path, default=STANDOFF_LABELS)
    parser.add_argument("--slices", nargs=2, metavar=("OUT_DIR", "K"))
    args = parser.parse_args()
    path = args.second or REPO / "seeds" / "labels" / f"{args.pool}_second.jsonl"
    second = {row["id"]: row["sentences"] for row in load_sentence_labels(path, RAW[args.pool])}
    rows, groups = first_labels(args.pool, set(second), args.labels)
    disputes: dict[str, list[tuple[int, str, str]]] = {}
    for name, ids in groups.items():
        gold, other = [], []
        for i in ids:
            for k, (s, label) in enumerate(paired(rows[i]["sentences"], second[i])):
                gold.append(s["label"])
                other.append(label)
                if label != s["label"] and name != "owner-labelled":
                    disputes.setdefault(i, []).append((k, s["label"], label))
        if not gold:
            continue
        sc = sentence_scores(gold, other, LABELS)
        per = "  ".join(f"{label} {sc.per_label[label].f1:.3f} (n={sc.per_label[label].support})" for label in LABELS)
        print(f"{name}: {len(ids)} documents, {len(gold)} sentences: accuracy {sc.accuracy:.3f}  kappa {sc.kappa:.3f}  "
              f"macro-F1 {sc.macro_f1:.3f}\n  {per}")
    print(f"disagreements in our documents: {sum(len(v) for v in disputes.values())} in {len(disputes)} documents")
    if args.slices:
        write_slices(rows, disputes, Path(args.slices[0]), int(args.slices[1]))


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
