"""Time and peak memory to fine-tune the shipped model on the full training corpus; metrics before and after.

    python bench/finetune.py [--max-epochs 10] [--out /tmp/cds-finetune]

Fine-tunes NER and sentence classifier (`cds_nlp.train`, base = shipped model) on the
corpus train split, early-stopping on its dev split, then scores the shipped and the
fine-tuned model on dev and on the seeds (never trained on). Peak memory is this
process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path

import cds_nlp
from cds_nlp.training.data import load_corpus, load_reference
from cds_nlp.training.evaluate import evaluate


def line(name: str, pipeline: cds_nlp.Pipeline, rows: list) -> str:  # noqa: ANN001
    report = evaluate(pipeline, rows)
    ent = report.entities.strict
    macro = report.sentences.macro_f1 if report.sentences else float("nan")
    return (f"  {name:<28} entity micro F1 {ent['micro'].f1:.4f} (PERSON {ent['PERSON'].f1:.4f}, ORG {ent['ORG'].f1:.4f}, "
            f"PROVINCE {ent['PROVINCE'].f1:.4f}); sentence macro-F1 {macro:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-epochs", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("/tmp/cds-finetune"))
    args = parser.parse_args()
    corpus = load_corpus()
    seeds = list(load_reference())
    base = cds_nlp.load()
    shutil.rmtree(args.out, ignore_errors=True)
    t0 = time.perf_counter()
    path = cds_nlp.train(corpus, args.out, max_epochs=args.max_epochs, seed=13)
    seconds = time.perf_counter() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tuned = cds_nlp.load(path)
    n_sent = sum(len(r["sentences"]) for r in corpus["train"])
    print(f"fine-tuned {base.model_name} on {len(corpus['train'])} documents ({n_sent} sentences), "
          f"max {args.max_epochs} epochs per component: {seconds:.0f} s wall, peak RSS {peak_mib:.0f} MiB")
    for split, rows in (("dev split", list(corpus["dev"])), ("seeds", seeds)):
        print(split)
        print(line("before (shipped)", base, rows))
        print(line("after (fine-tuned)", tuned, rows))


if __name__ == "__main__":
    main()
