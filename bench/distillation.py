"""Does distillation, or labelling the extra pool by hand, help the sentence classifier, beyond the luck of one seed?

For each seed, the shipped architecture (ensemble_ctx) trained on
- `gold`: the gold sentences of the train split only;
- `distilled`: gold plus the teacher's soft labels of extra_raw.jsonl (seeds/labels/extra_soft.jsonl);
- `labelled`: gold plus our sentence labels of extra_raw.jsonl (seeds/labels/extra.jsonl);
- `both`: gold plus the extra pool twice, once with our labels and once with the teacher's
  probabilities (distillation alongside the hard labels, as in Hinton et al. 2015);
all early-stopped on the same dev split, scored on dev and on the seeds (never trained on). Documents
repeating a dev or seed sentence are left out of training in every arm. Prints one line a run, then
mean and standard deviation per arm.

    python bench/distillation.py --seeds 13 1 2 3 --arms gold distilled labelled both
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from cds_nlp.document import SENTENCE_LABELS
from cds_nlp.language import blank
from cds_nlp.training.data import SHARED_CORPUS, load_corpus, load_reference, load_sentence_labels, overlapping_ids
from cds_nlp.training.distill import SOFT_LABELS, load_soft_labels, soft_items
from cds_nlp.training.examples import sentence_items
from cds_nlp.training.metrics import sentence_scores
from cds_nlp.training.textcat import predict, train_textcat

LABELS = list(SENTENCE_LABELS)


def score(model, items) -> tuple[float, dict[str, float]]:  # noqa: ANN001
    pred = [max(s, key=s.__getitem__) for s in predict(model, [d for d, _, _ in items])]
    result = sentence_scores([label for _, label, _ in items], pred, LABELS)
    return result.macro_f1, {label: result.per_label[label].f1 for label in LABELS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[13, 1, 2, 3])
    parser.add_argument("--arms", nargs="+", default=["gold", "distilled"], choices=["gold", "distilled", "labelled", "both"])
    args = parser.parse_args(argv)
    corpus = load_corpus()
    reference = load_reference()
    nlp = blank()

    def kept(rows):  # noqa: ANN001, ANN202
        left_out = set(overlapping_ids(rows, corpus["dev"], reference))
        return [row for row in rows if row["id"] not in left_out]

    train = sentence_items(nlp, kept(corpus["train"]))
    dev = sentence_items(nlp, corpus["dev"])
    seeds = sentence_items(nlp, reference)
    soft = soft_items(nlp, kept(load_soft_labels(SOFT_LABELS, SHARED_CORPUS / "extra_raw.jsonl"))) if {"distilled", "both"} & set(args.arms) else []
    extra = sentence_items(nlp, kept(load_sentence_labels())) if {"labelled", "both"} & set(args.arms) else []
    print(f"sentences: train {len(train)} gold + {len(soft)} teacher-labelled + {len(extra)} hand-labelled extra, "
          f"dev {len(dev)}, seeds {len(seeds)}")
    runs: dict[str, list[tuple[float, float]]] = {arm: [] for arm in args.arms}
    for seed in args.seeds:
        for arm in args.arms:
            started = time.perf_counter()
            model, result = train_textcat(train + (extra if arm in ("labelled", "both") else []), dev, LABELS,
                                          architecture="ensemble_ctx", seed=seed, max_epochs=30,
                                          soft=soft if arm in ("distilled", "both") else (), log=None)
            dev_f1, dev_per = score(model, dev)
            seeds_f1, seeds_per = score(model, seeds)
            runs[arm].append((dev_f1, seeds_f1))
            per = lambda d: " / ".join(f"{d[label]:.3f}" for label in LABELS)  # noqa: E731
            print(f"  seed {seed:>3} {arm:<9} dev {dev_f1:.4f} ({per(dev_per)})  seeds {seeds_f1:.4f} ({per(seeds_per)})"
                  f"  best epoch {result.best_epoch}, {time.perf_counter() - started:.0f}s", flush=True)
    print("\nmean ± sd over seeds (macro-F1):")
    for arm, values in runs.items():
        dev_values, seeds_values = [v[0] for v in values], [v[1] for v in values]
        sd = lambda xs: statistics.stdev(xs) if len(xs) > 1 else 0.0  # noqa: E731
        print(f"  {arm:<9} dev {statistics.mean(dev_values):.4f} ± {sd(dev_values):.4f}   "
              f"seeds {statistics.mean(seeds_values):.4f} ± {sd(seeds_values):.4f}   (n={len(values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
