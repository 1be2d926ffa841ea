"""`make models`: rebuild the shipped model from ../shared/corpus and print its metrics.

    python -m cds_nlp.training.build_models [--corpus DIR] [--out models] [--version 0.4.0]

Trains the NER and the sentence classifier on the document-level train split,
early-stops on dev, calibrates on dev, evaluates on dev and on the seeds
(never trained on), and writes models/<name>-<version>/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import spacy
from datasets import Dataset, DatasetDict, concatenate_datasets

from ..document import ENTITY_LABELS, SENTENCE_LABELS
from ..language import blank
from ..model_store import PIPELINE_DIR, read_meta
from ..pipeline import Pipeline
from .data import (REPO, SENTENCE_ONLY_LABELS, SHARED_CORPUS, corpus_hash, load_corpus, load_reference,
                   load_sentence_labels, overlapping_ids, text_hash)
from .distill import SOFT_LABELS, load_soft_labels, soft_items
from .evaluate import evaluate, format_report
from .examples import AlignmentReport, ner_examples, sentence_items
from .loop import TrainingResult, train_pipe
from .metrics import entity_scores
from .package import write_model_folder
from .textcat import ARCHITECTURES, calibration_report, fit_temperature, predict, train_textcat

MODEL_NAME = "vi_cds_news"
# Chosen among training seeds 13, 1 and 2 by dev macro-F1 (`bench/distillation.py --arms labelled`):
# seed-to-seed spread on dev (sd 0.018) is larger than most modelling changes.
TEXTCAT_SEED = 2


def ner_dev_scorer(nlp, dev_examples):  # noqa: ANN001, ANN201
    texts = [ex.reference.text for ex in dev_examples]
    gold = [[(e.start_char, e.end_char, e.label_) for e in ex.reference.ents] for ex in dev_examples]

    def score() -> float:
        pred = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(texts)]
        return entity_scores(gold, pred, list(ENTITY_LABELS)).strict["micro"].f1

    return score


def build(corpus_dir: Path, out_root: Path, version: str, *, architecture: str, seed: int, max_epochs: int,
          ner_from: Path | None = None, soft_labels: Path | None = None, sentence_labels: Path | None = None,
          textcat_seed: int | None = None) -> Path:
    log = sys.stderr
    corpus = load_corpus(corpus_dir, seed=seed)
    print(f"corpus: {len(corpus['train'])} train / {len(corpus['dev'])} dev documents", file=log)

    nlp = blank()
    alignment = AlignmentReport()
    train_ex = ner_examples(nlp, corpus["train"], alignment)
    print(f"NER: {alignment}", file=log)
    if ner_from is not None:
        # Training is deterministic for a seed and data hash, so a model built from the same corpus
        # already holds this NER: reuse it rather than spend half an hour retraining it.
        source = spacy.load(Path(ner_from) / PIPELINE_DIR)
        nlp.add_pipe("ner", source=source)
        source_meta = read_meta(Path(ner_from))
        ner_result = TrainingResult(**{k: source_meta["training"]["ner"][k] for k in ("best_epoch", "epochs_run", "seconds")},
                                    best_score=float("nan"))
        print(f"NER: reused from {source_meta['name']}-{source_meta['version']}", file=log)
    else:
        ner = nlp.add_pipe("ner")
        for label in ENTITY_LABELS:
            ner.add_label(label)
        dev_ex = ner_examples(nlp, corpus["dev"])
        ner_result = train_pipe(nlp, "ner", train_ex, ner_dev_scorer(nlp, dev_ex), max_epochs=max_epochs, patience=6,
                                seed=seed)

    textcat_rows, dropped = textcat_training_rows(corpus, corpus_dir, sentence_labels)
    print(f"textcat: {len(textcat_rows)} training documents; left out for repeating a dev or seed document: {dropped}",
          file=log)
    train_items = sentence_items(nlp, textcat_rows)
    dev_items = sentence_items(nlp, corpus["dev"])
    labels = list(SENTENCE_LABELS)
    soft: list = []
    if soft_labels is not None:
        # Teacher labels only where no gold label exists, and never on a repeat of a dev or seed document.
        pool = load_soft_labels(soft_labels, Path(corpus_dir) / "extra_raw.jsonl", labels)
        skip = set(textcat_rows["id"]) | set(dropped) | set(overlapping_ids(pool, corpus["dev"], *_reference(corpus_dir)))
        soft = soft_items(nlp, [row for row in pool if row["id"] not in skip])
        print(f"textcat: distilling from {len(soft)} teacher-labelled sentences ({soft_labels.name})", file=log)
        if not soft:  # every pooled document has gold labels now: nothing was distilled
            soft_labels = None
    textcat_seed = seed if textcat_seed is None else textcat_seed
    tc_nlp, tc_result = train_textcat(train_items, dev_items, labels, architecture=architecture, seed=textcat_seed,
                                      max_epochs=max_epochs, soft=soft)
    dev_scores = predict(tc_nlp, [d for d, _, _ in dev_items])
    temperature = fit_temperature(dev_scores, [label for _, label, _ in dev_items])
    calibration = calibration_report(dev_scores, [label for _, label, _ in dev_items], temperature)
    print(f"calibration on dev: {calibration}", file=log)

    nlp.add_pipe("cds_provinces")
    nlp.add_pipe("textcat", source=tc_nlp)
    nlp.add_pipe("cds_sentence_labels", config={"temperature": temperature})
    nlp.disable_pipe("textcat")

    pipeline = Pipeline(nlp, {"name": MODEL_NAME, "version": version})
    dev_report = evaluate(pipeline, corpus["dev"])
    metrics = {"dev": dev_report.model_dump()}
    print(format_report(dev_report, "dev split"), file=log)
    if (Path(corpus_dir) / "seeds.jsonl").exists():
        seeds_report = evaluate(pipeline, load_reference(Path(corpus_dir) / "seeds.jsonl"))
        metrics["seeds"] = seeds_report.model_dump()
        print(format_report(seeds_report, "seeds (never trained on)"), file=log)

    meta = {
        "name": MODEL_NAME,
        "version": version,
        "parent": None,
        "labels": {"entities": list(ENTITY_LABELS), "sentences": labels},
        "training_data": {
            "hash": corpus_hash(corpus),
            "seed": seed,
            "documents": {"train": len(corpus["train"]), "dev": len(corpus["dev"])},
            "sentences": {"train": len(train_items), "dev": len(dev_items)},
            "textcat_documents": {"train": len(textcat_rows), "left_out_as_overlapping": dropped,
                                  "sentence_only_labels": None if sentence_labels is None else _shown(sentence_labels),
                                  "sentence_only_labels_sha256": None if sentence_labels is None
                                  else text_hash(sentence_labels.read_text(encoding="utf-8"))},
            "entity_alignment": str(alignment),
            "sources": ["../shared/corpus/train.jsonl", "seeds/labels/train.jsonl (+ ../shared/corpus/train_raw.jsonl texts)"]
            + ([f"{_shown(sentence_labels)} (+ ../shared/corpus/extra_raw.jsonl texts; sentence classifier only)"]
               if sentence_labels is not None else []),
        },
        "training": {
            "ner": {"best_epoch": ner_result.best_epoch, "epochs_run": ner_result.epochs_run, "seconds": ner_result.seconds,
                    "reused_from": str(ner_from.name) if ner_from else None},
            "textcat": {"architecture": architecture, "seed": textcat_seed, "best_epoch": tc_result.best_epoch, "epochs_run": tc_result.epochs_run,
                        "seconds": tc_result.seconds,
                        "distilled_from": None if soft_labels is None else {
                            "soft_labels": _shown(soft_labels), "sha256": text_hash(soft_labels.read_text(encoding="utf-8")),
                            "sentences": len(soft), "teacher": "cds_nlp.training.teacher"}},
            "calibration": calibration,
        },
        "metrics": metrics,
    }
    out = write_model_folder(nlp, out_root / f"{MODEL_NAME}-{version}", meta, model_card(meta))
    print(f"wrote {out}", file=log)
    return out


def textcat_training_rows(corpus: DatasetDict, corpus_dir: Path, sentence_labels: Path | None) -> tuple[Dataset, list[str]]:
    """The classifier's training documents: the train split plus the sentence-only labelled pool,
    minus any document repeating a dev or seed sentence (syndicated news), and the ids left out."""
    rows = corpus["train"]
    if sentence_labels is not None:
        extra = load_sentence_labels(sentence_labels, Path(corpus_dir) / "extra_raw.jsonl")
        rows = concatenate_datasets([rows, extra.cast(rows.features)])
    dropped = overlapping_ids(rows, corpus["dev"], *_reference(corpus_dir))
    left_out = set(dropped)
    return rows.filter(lambda row: row["id"] not in left_out), dropped


def _reference(corpus_dir: Path) -> list[Dataset]:
    path = Path(corpus_dir) / "seeds.jsonl"
    return [load_reference(path)] if path.exists() else []


def _shown(path: Path) -> str:
    """A path as meta.json records it: relative to the repository when inside it."""
    resolved = Path(path).resolve()
    return resolved.relative_to(REPO).as_posix() if resolved.is_relative_to(REPO) else str(path)


def model_card(meta: dict) -> str:
    dev = meta["metrics"]["dev"]
    seeds = meta["metrics"].get("seeds")

    def ent_rows(m: dict) -> str:
        return "\n".join(
            f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {m['entities']['lenient'][label]['f1']:.3f} |"
            for label, s in m["entities"]["strict"].items()
        )

    def sent_rows(m: dict) -> str:
        s = m["sentences"]
        rows = "\n".join(f"| {label} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |" for label, v in s["per_label"].items())
        return rows + f"\n| **macro** | | | **{s['macro_f1']:.3f}** |"

    sections = [("dev split", dev)] + ([("seeds (never trained on)", seeds)] if seeds else [])
    body = "\n\n".join(
        f"### {name}\n\n| entity | P | R | F1 strict | F1 lenient |\n|---|---|---|---|---|\n{ent_rows(m)}\n\n"
        f"| sentence label | P | R | F1 |\n|---|---|---|---|\n{sent_rows(m)}"
        for name, m in sections
    )
    t = meta["training"]
    soft = t["textcat"].get("distilled_from")
    distilled = "" if not soft else (
        f"\n- **Distillation**: the sentence classifier also trained on a teacher's probabilities for {soft['sentences']:,}"
        f" unlabelled sentences of `../shared/corpus/extra_raw.jsonl` (`{soft['soft_labels']}`, made by"
        f" `python -m {soft['teacher']}`: multilingual-e5-small embeddings + TF-IDF, logistic regression);"
        " the teacher is not part of this model.")
    docs = meta["training_data"].get("textcat_documents") or {}
    extra = "" if not docs.get("sentence_only_labels") else (
        f"\n- **Sentence classifier data**: also the sentence labels of the 450 excerpts of `../shared/corpus/extra_raw.jsonl`"
        f" (`{docs['sentence_only_labels']}`, no entities, so not used by the NER): {docs['train']} training documents in all,"
        f" {meta['training_data']['sentences']['train']:,} sentences. Left out for repeating a dev or seed sentence"
        f" (syndicated news): {', '.join(docs['left_out_as_overlapping']) or 'none'}.")
    return f"""# {meta['name']} {meta['version']}

Vietnamese pipeline for news on digital transformation (chuyển đổi số), Đề án 06 and e-government.

- **Components**: underthesea-backed tokenizer and sentence splitter; `ner` (spaCy transition-based NER, CNN tok2vec, CPU)
  for PERSON / ORG / PROVINCE; `cds_provinces` (gazetteer of the 63 + 34 province-level units: nested PROVINCE inside ORG,
  canonical links, 2025 merger); `textcat` ({t['textcat']['architecture']}, exclusive classes) run per sentence by
  `cds_sentence_labels`, temperature-calibrated (T = {t['calibration']['temperature']}, ECE on dev
  {t['calibration']['ece_before']} -> {t['calibration']['ece_after']}).
- **Training data**: `../shared/corpus/train.jsonl` plus the project's stand-off labels in `seeds/labels/train.jsonl`,
  split by document (seed {meta['training_data']['seed']}): {meta['training_data']['documents']['train']} train /
  {meta['training_data']['documents']['dev']} dev documents. Data hash `{meta['training_data']['hash'][:16]}…`.
  {meta['training_data']['entity_alignment']}.{extra}{distilled}
- **Intended use**: government and press reports in Vietnamese about CĐS; other domains will score lower.
- **Rebuild**: `make models` (needs `../shared/corpus`), which prints these metrics.

## Metrics (strict span match unless noted)

{body}

## Limitations
- Trained on under a thousand excerpts labelled by the project team; rare labels (`shortcoming`, `directive`) have few examples.
- PROVINCE is limited to the 63 pre-2025 and 34 post-2025 units; districts, wards and regions are never PROVINCE.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--out", type=Path, default=REPO / "models")
    parser.add_argument("--version", default="0.4.0")
    parser.add_argument("--architecture", default="ensemble_ctx", choices=sorted(ARCHITECTURES))
    parser.add_argument("--seed", type=int, default=13, help="seed of the dev split and of training")
    parser.add_argument("--textcat-seed", type=int, default=TEXTCAT_SEED,
                        help="training seed of the sentence classifier only (the split stays that of --seed)")
    parser.add_argument("--max-epochs", type=int, default=30)
    parser.add_argument("--ner-from", type=Path, default=None,
                        help="reuse the NER of a model folder built from the same corpus and seed (saves ~30 min)")
    parser.add_argument("--soft-labels", default=None,
                        help="teacher-labelled sentences of extra_raw.jsonl to distil from (default: "
                             "seeds/labels/extra_soft.jsonl if present; 'none' to train on gold only)")
    parser.add_argument("--sentence-labels", default=None,
                        help="sentence-only labels of extra_raw.jsonl for the classifier (default: "
                             "seeds/labels/extra.jsonl if present; 'none' to leave them out)")
    args = parser.parse_args(argv)
    if not (args.corpus / "train.jsonl").exists():
        print(f"no labelled corpus at {args.corpus}: `make models` needs ../shared/corpus", file=sys.stderr)
        return 2
    soft = _optional_file(args.soft_labels, SOFT_LABELS)
    if soft is False:
        print(f"no soft labels at {args.soft_labels}", file=sys.stderr)
        return 2
    sentence_labels = _optional_file(args.sentence_labels, SENTENCE_ONLY_LABELS)
    if sentence_labels is False:
        print(f"no sentence labels at {args.sentence_labels}", file=sys.stderr)
        return 2
    build(args.corpus, args.out, args.version, architecture=args.architecture, seed=args.seed, max_epochs=args.max_epochs,
          ner_from=args.ner_from, soft_labels=soft, sentence_labels=sentence_labels, textcat_seed=args.textcat_seed)
    return 0


def _optional_file(given: str | None, default: Path) -> Path | None | bool:
    """An optional input file: the default if present, None for 'none', False if a given path is missing."""
    if given is None:
        return default if default.exists() else None
    if given == "none":
        return None
    return Path(given) if Path(given).exists() else False


if __name__ == "__main__":
    raise SystemExit(main())
