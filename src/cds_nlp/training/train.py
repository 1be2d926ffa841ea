"""`train()`: fine-tune a cds_nlp model (or start blank) on a team's own labelled sentences.

The order is fixed so that a bad file never costs a training run or a half-written folder:
read and validate every input (all problems at once), decide what to train, then train, calibrate,
score on dev and write the model folder atomically (`package.write_model_folder`).

- **NER** is fine-tuned in place (spaCy's NER can grow its label set after training).
- **textcat** is fine-tuned in place when the data brings no new sentence class. A new class
  (`plan`) cannot be added to a trained spaCy textcat, so the textcat is **retrained from
  scratch** with the base model's labels plus the new ones, on the given data only: include
  examples of every old class you want it to keep predicting.
- Components the data has no labels for are kept from the base model untouched.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, Union

from datasets import Dataset, DatasetDict, concatenate_datasets
from spacy.language import Language
from spacy.training import Example

from ..document import ENTITY_LABELS, SENTENCE_LABELS
from ..errors import CdsNlpError, DataValidationError, ModelNotFoundError
from ..language import blank as blank_language
from ..model_store import META_FILE, default_model_path
from ..pipeline import Pipeline, load
from .data import DEFAULT_SEED, DEV_FRACTION, corpus_hash, split_documents
from .evaluate import EvaluationReport, evaluate, format_report
from .examples import AlignmentReport, ner_examples, sentence_items
from .formats import Source, duplicate_ids, to_dataset, to_rows
from .loop import train_pipe
from .metrics import entity_scores, prf
from .package import write_model_folder
from .textcat import ARCHITECTURES, calibration_report, fit_temperature, predict, train_textcat

COMPONENTS = ("ner", "textcat")
DEFAULT_NAME = "vi_cds_custom"
DataInput = Union[Source, Sequence[Union[str, Path]]]


class OutputFolderError(CdsNlpError, FileExistsError):
    """The output path holds something that is not a cds_nlp model folder; training would delete it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{str(path)!r} exists and is not a cds_nlp model folder (no {META_FILE}); writing the model there would "
            "replace its contents. Choose a new -o folder or remove it first."
        )


# --------------------------------------------------------------------------- data


def _sources(data: DataInput | None) -> list[Source]:
    if data is None:
        return []
    if isinstance(data, (str, Path, Dataset, DatasetDict)):
        return [data]
    items = list(data)
    if items and all(isinstance(item, dict) for item in items):
        return [items]  # one list of records
    return items


def prepare_data(data: DataInput, dev: DataInput | None = None, *, sentence_labels: Sequence[str] = SENTENCE_LABELS,
                 entity_labels: Sequence[str] = ENTITY_LABELS, seed: int = DEFAULT_SEED, dev_fraction: float = DEV_FRACTION,
                 text_column: str = "text", label_column: str = "label") -> DatasetDict:
    """Validated `train` and `dev` (and `test`, if the data has one) splits; raises DataValidationError.

    Dev comes from `dev`, else from a `dev`/`validation` split in a DatasetDict, else from a seeded
    split by document (`data.split_documents`), so that no article has sentences on both sides.
    """
    options = {"sentence_labels": sentence_labels, "entity_labels": entity_labels,
               "text_column": text_column, "label_column": label_column}
    splits: dict[str, list[dict[str, Any]]] = {"train": [], "dev": [], "test": []}
    problems: list[str] = []
    for source in _sources(data):
        by_split, found = to_rows(source, **options)
        problems += found
        for split, rows in by_split.items():
            splits[split] += rows
    for source in _sources(dev):
        by_split, found = to_rows(source, **options)
        problems += found
        for split, rows in by_split.items():
            splits["test" if split == "test" else "dev"] += rows
    problems += duplicate_ids([*splits["train"], *splits["dev"], *splits["test"]])
    if not splits["train"] and not problems:
        problems.append("no labelled training rows in the data given")
    if not splits["dev"] and len(splits["train"]) < 2 and not problems:
        problems.append("only one training document: pass --dev DATA (dev=...) to score and stop early")
    if problems:
        raise DataValidationError(problems)
    if splits["dev"]:
        corpus = DatasetDict(train=to_dataset(splits["train"]), dev=to_dataset(splits["dev"]))
    else:
        corpus = _split_by_layer(splits["train"], seed=seed, dev_fraction=dev_fraction)
    if splits["test"]:
        corpus["test"] = to_dataset(splits["test"])
    return corpus


def _split_by_layer(rows: list[dict[str, Any]], *, seed: int, dev_fraction: float) -> DatasetDict:
    """`split_documents` within entity-annotated rows and within the rest, so dev gets some of each.

    With guidelines files and sentence tables mixed, one random split can leave dev without any
    entity annotation, and NER could not stop early.
    """
    groups = [g for g in ([r for r in rows if r["has_entities"]], [r for r in rows if not r["has_entities"]]) if g]
    parts = [split_documents(to_dataset(g), seed=seed, dev_fraction=dev_fraction) if len(g) > 1
             else DatasetDict(train=to_dataset(g), dev=to_dataset([])) for g in groups]
    return DatasetDict({split: concatenate_datasets([p[split] for p in parts]) for split in ("train", "dev")})


def _labels_in(rows: Dataset) -> set[str]:
    return {s["label"] for row in rows for s in row["sentences"]}


def _has_entities(rows: Dataset) -> bool:
    return any(row["has_entities"] and row["entities"] for row in rows)


def select_components(requested: Sequence[str] | None, corpus: DatasetDict) -> list[str]:
    """What to train: as asked, or (by default) every component the training data labels.

    Raises DataValidationError when an asked-for component has no labels in train or dev,
    since it could neither learn nor stop early.
    """
    unknown = [c for c in requested or [] if c not in COMPONENTS]
    if unknown:
        raise DataValidationError([f"unknown component(s) {unknown}; choose from {list(COMPONENTS)}"])
    available = {"ner": _has_entities(corpus["train"]), "textcat": any(r["has_sentences"] for r in corpus["train"])}
    selected = list(requested) if requested else [c for c in COMPONENTS if available[c]]
    problems = []
    what = {"ner": "entity annotations (sentence tables carry sentence labels only)", "textcat": "labelled sentences"}
    for component in selected:
        if not available[component]:
            problems.append(f"{component}: the training data has no {what[component]}; drop it from --components")
        elif component == "ner" and not _has_entities(corpus["dev"]):
            problems.append("ner: the dev data has no entity annotations to score and stop early on; add some or pass --dev")
        elif component == "textcat" and not any(r["has_sentences"] for r in corpus["dev"]):
            problems.append("textcat: the dev data has no labelled sentences to score and stop early on; add some or pass --dev")
    if not selected and not problems:
        problems.append("nothing to train: the data has neither entity annotations nor labelled sentences")
    if problems:
        raise DataValidationError(problems)
    return selected


# --------------------------------------------------------------------------- models


def model_labels(nlp: Language) -> dict[str, list[str]]:
    """Labels a pipeline predicts: its NER's (PROVINCE also comes from the gazetteer) and its textcat's."""
    ner = list(nlp.get_pipe("ner").labels) if "ner" in nlp.component_names else []
    sentences = list(nlp.get_pipe("textcat").labels) if "textcat" in nlp.component_names else []
    return {"entities": list(dict.fromkeys([*ENTITY_LABELS, *ner])), "sentences": sentences}


def merge_labels(*label_lists: Sequence[str]) -> list[str]:
    """Concatenated label lists, first occurrence kept: the order labels are shown and scored in."""
    return list(dict.fromkeys(label for labels in label_lists for label in labels))


def _load_base(base: str | Path | None) -> Pipeline:
    path = Path(base) if base is not None else default_model_path()
    if path is None:
        raise ModelNotFoundError("models/ (no shipped model installed: build one with `make models`, or train with --blank)")
    return load(path)


def _blank_pipeline() -> Language:
    nlp = blank_language()
    nlp.add_pipe("cds_provinces")
    return nlp


def _check_output(output: Path) -> None:
    if output.is_file() or (output.is_dir() and any(output.iterdir()) and not (output / META_FILE).is_file()):
        raise OutputFolderError(output)


def _before(nlp: Language, names: Sequence[str]) -> dict[str, str]:
    for name in names:
        if name in nlp.component_names:
            return {"before": name}
    return {}


def _ner_scorer(nlp: Language, examples: list[Example], labels: list[str]):  # noqa: ANN202 - a closure for train_pipe
    """Strict micro-F1 of the NER alone (tokenised once; gazetteer and textcat left out of the loop)."""
    docs = [ex.predicted for ex in examples]
    gold = [[(e.start_char, e.end_char, e.label_) for e in ex.reference.ents] for ex in examples]

    def score() -> float:
        predicted = nlp.get_pipe("ner").pipe([d.copy() for d in docs])
        pred = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in predicted]
        return entity_scores(gold, pred, labels).strict["micro"].f1

    return score


def _train_ner(nlp: Language, corpus: DatasetDict, labels: list[str], *, log: TextIO | None, **loop: Any) -> dict[str, Any]:
    if "ner" in nlp.component_names:
        ner = nlp.get_pipe("ner")
        added = [label for label in labels if label not in ner.labels]
        for label in added:
            ner.add_label(label)
        strategy = "fine-tuned from the base model" + (f", new labels {added}" if added else "")
        resume = True
    else:
        ner = nlp.add_pipe("ner", **_before(nlp, ["cds_provinces", "textcat", "cds_sentence_labels"]))
        for label in labels:
            ner.add_label(label)
        strategy, resume = "trained from scratch", False
    alignment = AlignmentReport()
    train_examples = ner_examples(nlp, (r for r in corpus["train"] if r["has_entities"]), alignment)
    dev_examples = ner_examples(nlp, (r for r in corpus["dev"] if r["has_entities"]))
    _say(log, f"ner: {strategy}; {len(train_examples)} train / {len(dev_examples)} dev documents; {alignment}")
    result = train_pipe(nlp, "ner", train_examples, _ner_scorer(nlp, dev_examples, labels), resume=resume, log=log, **loop)
    return {"strategy": strategy, "labels": list(ner.labels), "best_epoch": result.best_epoch, "epochs_run": result.epochs_run,
            "best_dev_f1": result.best_score, "seconds": result.seconds, "entity_alignment": str(alignment)}


def _replace_textcat(nlp: Language, labels: list[str], model: dict[str, Any]) -> None:
    if "textcat" in nlp.component_names:
        nlp.remove_pipe("textcat")
    textcat = nlp.add_pipe("textcat", config={"model": model, "threshold": 0.0}, **_before(nlp, ["cds_sentence_labels"]))
    for label in labels:
        textcat.add_label(label)


def plan_textcat(nlp: Language, corpus: DatasetDict, allowed: Sequence[str], architecture: str | None) -> dict[str, Any]:
    """Labels and strategy for the sentence classifier, decided before any training.

    Raises DataValidationError if a new textcat would have fewer than two classes.
    """
    in_data = _labels_in(corpus["train"]) | _labels_in(corpus["dev"])
    if "textcat" in nlp.component_names:
        old = list(nlp.get_pipe("textcat").labels)
        new = [label for label in allowed if label in in_data and label not in old]
        unseen = [label for label in old if label not in in_data]
        current = copy.deepcopy(dict(nlp.config["components"]["textcat"]["model"]))
        changed = architecture is not None and ARCHITECTURES[architecture]["@architectures"] != current["@architectures"]
        if not new and not changed:
            return {"labels": old, "strategy": "fine-tuned from the base model", "resume": True, "model": None, "unseen": unseen}
        model = ARCHITECTURES[architecture] if changed else current
        if new:
            strategy = (f"retrained from scratch with the base labels plus {new} "
                        "(a trained spaCy textcat cannot take new labels)")
        else:
            strategy = f"retrained from scratch (architecture changed to {architecture})"
        return {"labels": old + new, "strategy": strategy, "resume": False, "model": model, "unseen": unseen}
    labels = [label for label in allowed if label in in_data]
    if len(labels) < 2:
        raise DataValidationError([f"textcat: the data has only the sentence label(s) {labels}; a classifier needs at least two"])
    return {"labels": labels, "strategy": "trained from scratch", "resume": False,
            "model": ARCHITECTURES[architecture or "ensemble"], "unseen": []}


def _train_textcat(nlp: Language, corpus: DatasetDict, plan: dict[str, Any], *, log: TextIO | None,
                   **loop: Any) -> dict[str, Any]:
    labels = plan["labels"]
    if plan["model"] is not None:
        _replace_textcat(nlp, labels, plan["model"])
    nlp.enable_pipe("textcat")
    try:
        train_items = sentence_items(nlp, (r for r in corpus["train"] if r["has_sentences"]))
        dev_items = sentence_items(nlp, (r for r in corpus["dev"] if r["has_sentences"]))
        _say(log, f"textcat: {len(train_items)} train / {len(dev_items)} dev sentences")
        if plan["unseen"]:
            _say(log, f"textcat: warning: no training sentence for {plan['unseen']}; the model may stop predicting them")
        _, result = train_textcat(train_items, dev_items, labels, nlp=nlp, resume=plan["resume"], log=log,
                                  max_epochs=loop["max_epochs"], patience=loop["patience"], seed=loop["seed"])
    finally:
        nlp.disable_pipe("textcat")
    gold = [label for _, label, _ in dev_items]
    dev_scores = predict(nlp, [doc for doc, _, _ in dev_items])
    temperature = fit_temperature(dev_scores, gold)
    calibration = calibration_report(dev_scores, gold, temperature)
    _say(log, f"textcat: calibration on dev {calibration}")
    settings = {k: v for k, v in nlp.config["components"].get("cds_sentence_labels", {}).items() if k != "factory"}
    if "cds_sentence_labels" in nlp.component_names:
        nlp.remove_pipe("cds_sentence_labels")
    nlp.add_pipe("cds_sentence_labels", config={**settings, "temperature": temperature})
    architecture = nlp.config["components"]["textcat"]["model"]["@architectures"]
    return {"strategy": plan["strategy"], "labels": labels, "architecture": architecture,
            "labels_without_training_data": plan["unseen"], "best_epoch": result.best_epoch, "epochs_run": result.epochs_run,
            "best_dev_macro_f1": result.best_score, "seconds": result.seconds, "calibration": calibration,
            "sentences": {"train": len(train_items), "dev": len(dev_items)}}


# --------------------------------------------------------------------------- scoring


def evaluate_rows(pipeline: Pipeline, rows: Sequence[dict[str, Any]] | Dataset, *, entity_labels: Sequence[str] | None = None,
                  sentence_labels: Sequence[str] | None = None) -> EvaluationReport:
    """`evaluate.evaluate`, but entities and sentence boundaries are scored only on rows that annotate them.

    A sentence-table row has no entity layer: scoring it would count every entity the model finds as wrong.
    """
    rows = list(rows)
    labels = model_labels(pipeline.nlp)
    entity_labels = list(entity_labels or labels["entities"])
    sentence_labels = list(sentence_labels or labels["sentences"] or SENTENCE_LABELS)
    report = evaluate(pipeline, rows, entity_labels=entity_labels, sentence_labels=sentence_labels)
    annotated = [r for r in rows if r.get("has_entities", True)]
    if len(annotated) == len(rows):
        return report
    if annotated:
        part = evaluate(pipeline, annotated, entity_labels=entity_labels, sentence_labels=sentence_labels)
        return report.model_copy(update={"entities": part.entities, "sentence_boundaries": part.sentence_boundaries})
    return report.model_copy(update={"entities": entity_scores([], [], entity_labels), "sentence_boundaries": prf(0, 0, 0)})


def evaluate_data(model: str | Path | Pipeline, data: DataInput, *, sentence_labels: Sequence[str] = (),
                  entity_labels: Sequence[str] = (), text_column: str = "text", label_column: str = "label") -> EvaluationReport:
    """Score a model folder (or loaded Pipeline) on labelled data in any format `train` reads (all splits pooled).

    Labels the model does not know are allowed only if they are standard or declared here; raises DataValidationError.
    """
    pipeline = model if isinstance(model, Pipeline) else load(model)
    labels = model_labels(pipeline.nlp)
    options = {"sentence_labels": merge_labels(SENTENCE_LABELS, labels["sentences"], sentence_labels),
               "entity_labels": merge_labels(labels["entities"], entity_labels),
               "text_column": text_column, "label_column": label_column}
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for source in _sources(data):
        by_split, found = to_rows(source, **options)
        problems += found
        rows += [row for part in by_split.values() for row in part]
    problems += duplicate_ids(rows)
    if not rows and not problems:
        problems.append("no labelled rows in the data given")
    if problems:
        raise DataValidationError(problems)
    return evaluate_rows(pipeline, rows)


def _headline(report: dict[str, Any]) -> str:
    sentences = report.get("sentences") or {}
    entity_f1 = report["entities"]["strict"]["micro"]["f1"] if report["entities"]["strict"]["micro"]["support"] else None
    entity_text = entity_f1 if entity_f1 is not None else "-"
    return f"sentence macro-F1 {sentences.get('macro_f1', '-')}, entity micro-F1 (strict) {entity_text}"


def model_card(meta: dict[str, Any]) -> str:
    """README.md of a fine-tuned model: where it came from, what changed, how it scores."""
    training = meta["training"]
    data = meta["training_data"]
    lines = [f"# {meta['name']} {meta['version']}", "",
             f"Fine-tuned with `cds_nlp.train` from **{meta['parent'] or 'a blank pipeline'}**.", "",
             f"- **Entity labels**: {', '.join(meta['labels']['entities'])}",
             f"- **Sentence labels**: {', '.join(meta['labels']['sentences']) or '(none: no sentence classifier)'}",
             f"- **Training data**: {data['documents']['train']} train / {data['documents']['dev']} dev documents "
             f"from {', '.join(data['sources'])}; seed {data['seed']}; data hash `{data['hash'][:16]}…`"]
    for component in COMPONENTS:
        if component in training:
            info = training[component]
            lines.append(f"- **{component}**: {info['strategy']}; best epoch {info['best_epoch']} of {info['epochs_run']}")
        else:
            lines.append(f"- **{component}**: {'kept from the base model' if meta['parent'] else 'not trained'}")
    if "textcat" in training:
        lines.append(f"- **Calibration**: temperature {training['textcat']['calibration']['temperature']} fitted on dev")
    lines += ["", "## Dev scores", ""]
    if "dev_before" in meta["metrics"]:
        lines.append(f"- before fine-tuning: {_headline(meta['metrics']['dev_before'])}")
    lines.append(f"- after: {_headline(meta['metrics']['dev'])}")
    if "test" in meta["metrics"]:
        lines.append(f"- test split: {_headline(meta['metrics']['test'])}")
    lines += ["", "Full per-label scores and the confusion matrix are in `meta.json` (`metrics`); "
              "rescore with `cds-nlp evaluate MODEL DATA`.", ""]
    return "\n".join(lines)


def _say(log: TextIO | None, message: str) -> None:
    if log:
        print(message, file=log, flush=True)


def _describe(source: Any) -> str:
    return str(source) if isinstance(source, (str, Path)) else type(source).__name__


# --------------------------------------------------------------------------- the entry point


@dataclass
class TrainingSetup:
    """Everything decided before training starts: base, label sets, validated splits, components, textcat plan."""

    pipeline: Pipeline | None
    nlp: Language
    sentence_labels: list[str]
    entity_labels: list[str]
    corpus: DatasetDict
    components: list[str]
    textcat_plan: dict[str, Any] | None

    def summary(self) -> str:
        sizes = " / ".join(f"{len(part)} {split}" for split, part in self.corpus.items())
        base = self.pipeline.model_name if self.pipeline else "blank"
        text = f"data: {sizes} documents; base: {base}; training: {', '.join(self.components)}"
        if self.textcat_plan is not None:
            text += f"\ntextcat: {self.textcat_plan['strategy']}; labels {self.textcat_plan['labels']}"
        return text


def _prepare(data: DataInput, dev: DataInput | None, *, base: str | Path | None, blank: bool, components: Sequence[str] | None,
             sentence_labels: Sequence[str], entity_labels: Sequence[str], seed: int, dev_fraction: float,
             textcat_architecture: str | None, text_column: str, label_column: str) -> TrainingSetup:
    if base is not None and blank:
        raise ValueError("pass either base=... or blank=True, not both")
    if textcat_architecture is not None and textcat_architecture not in ARCHITECTURES:
        raise ValueError(f"textcat_architecture must be one of {sorted(ARCHITECTURES)}, got {textcat_architecture!r}")
    pipeline = None if blank else _load_base(base)
    nlp = pipeline.nlp if pipeline else _blank_pipeline()
    base_labels = model_labels(nlp)
    allowed_sentences = merge_labels(SENTENCE_LABELS, base_labels["sentences"], sentence_labels)
    allowed_entities = merge_labels(base_labels["entities"], entity_labels)
    corpus = prepare_data(data, dev, sentence_labels=allowed_sentences, entity_labels=allowed_entities, seed=seed,
                          dev_fraction=dev_fraction, text_column=text_column, label_column=label_column)
    selected = select_components(components, corpus)
    plan = plan_textcat(nlp, corpus, allowed_sentences, textcat_architecture) if "textcat" in selected else None
    return TrainingSetup(pipeline, nlp, allowed_sentences, allowed_entities, corpus, selected, plan)


def check_data(
    data: DataInput,
    *,
    base: str | Path | None = None,
    blank: bool = False,
    dev: DataInput | None = None,
    components: Sequence[str] | None = None,
    sentence_labels: Sequence[str] = (),
    entity_labels: Sequence[str] = (),
    seed: int = DEFAULT_SEED,
    dev_fraction: float = DEV_FRACTION,
    textcat_architecture: str | None = None,
    text_column: str = "text",
    label_column: str = "label",
) -> TrainingSetup:
    """Everything `train` checks and decides, without training: raises DataValidationError on bad data."""
    return _prepare(data, dev, base=base, blank=blank, components=components, sentence_labels=sentence_labels,
                    entity_labels=entity_labels, seed=seed, dev_fraction=dev_fraction, textcat_architecture=textcat_architecture,
                    text_column=text_column, label_column=label_column)


def train(
    data: DataInput,
    output: str | Path,
    *,
    base: str | Path | None = None,
    blank: bool = False,
    dev: DataInput | None = None,
    components: Sequence[str] | None = None,
    sentence_labels: Sequence[str] = (),
    entity_labels: Sequence[str] = (),
    seed: int = DEFAULT_SEED,
    max_epochs: int = 30,
    patience: int = 5,
    dev_fraction: float = DEV_FRACTION,
    name: str | None = None,
    version: str = "0.1.0",
    textcat_architecture: str | None = None,
    learn_rate: float | None = None,
    text_column: str = "text",
    label_column: str = "label",
    log: TextIO | None = sys.stderr,
) -> Path:
    """Fine-tune the shipped model (or `base`, or a blank pipeline) on labelled data; return the model folder.

    `data` and `dev`: files (guidelines JSONL, sentence tables in JSONL/CSV/Parquet, Label Studio
    or Doccano exports), folders of them, a `datasets.Dataset`/`DatasetDict`, or a list of dicts.
    `sentence_labels`/`entity_labels` declare new classes (e.g. ``["plan"]``); any other unknown
    label is an error, so a typo never becomes a class. `components` defaults to whatever the data labels.
    Raises DataValidationError (every problem, with file and line) before anything is written.
    """
    output = Path(output)
    _check_output(output)
    setup = _prepare(data, dev, base=base, blank=blank, components=components, sentence_labels=sentence_labels,
                     entity_labels=entity_labels, seed=seed, dev_fraction=dev_fraction, textcat_architecture=textcat_architecture,
                     text_column=text_column, label_column=label_column)
    pipeline, nlp, corpus, selected = setup.pipeline, setup.nlp, setup.corpus, setup.components
    _say(log, setup.summary())

    metrics: dict[str, Any] = {}
    if pipeline is not None:
        metrics["dev_before"] = evaluate_rows(pipeline, corpus["dev"]).model_dump()
        _say(log, f"base model on dev: {_headline(metrics['dev_before'])}")
    loop = {"seed": seed, "max_epochs": max_epochs, "patience": patience}
    training: dict[str, Any] = {}
    if "ner" in selected:
        training["ner"] = _train_ner(nlp, corpus, setup.entity_labels, log=log, learn_rate=learn_rate, **loop)
    if setup.textcat_plan is not None:
        training["textcat"] = _train_textcat(nlp, corpus, setup.textcat_plan, log=log, **loop)

    name = name or (f"{pipeline.meta.get('name', DEFAULT_NAME)}_custom" if pipeline else DEFAULT_NAME)
    trained = Pipeline(nlp, {"name": name, "version": version})
    dev_report = evaluate_rows(trained, corpus["dev"])
    metrics["dev"] = dev_report.model_dump()
    _say(log, format_report(dev_report, "dev split, after training"))
    if "test" in corpus:
        test_report = evaluate_rows(trained, corpus["test"])
        metrics["test"] = test_report.model_dump()
        _say(log, format_report(test_report, "test split"))
    labels = model_labels(nlp)
    meta = {
        "name": name,
        "version": version,
        "parent": pipeline.model_name if pipeline else None,
        "labels": labels,
        "training_data": {
            "hash": corpus_hash(DatasetDict(train=corpus["train"], dev=corpus["dev"])),
            "seed": seed,
            "sources": [_describe(s) for s in _sources(data)] + [f"dev: {_describe(s)}" for s in _sources(dev)],
            "documents": {split: len(part) for split, part in corpus.items()},
            "dev_fraction": None if dev is not None else dev_fraction,
        },
        "training": {**training, "components": selected, "max_epochs": max_epochs, "patience": patience},
        "metrics": metrics,
    }
    path = write_model_folder(nlp, output, meta, model_card(meta))
    _say(log, f"wrote {path}; load it with cds_nlp.load({str(path)!r})")
    return path


__all__ = [
    "OutputFolderError", "TrainingSetup", "check_data", "evaluate_data", "evaluate_rows", "merge_labels", "model_labels",
    "prepare_data", "select_components", "train",
]
