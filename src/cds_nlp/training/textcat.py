"""Training the sentence-function classifier (spaCy `textcat`, exclusive classes) and calibrating it."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any, TextIO

from spacy.language import Language
from spacy.tokens import Doc

from ..components.sentence_labels import calibrate
from ..language import blank
from ..sentence_features import NONE, featurise, group_by_document, smooth, transition_stats
from .distill import SoftItem, soft_targets
from .examples import one_hot, textcat_examples
from .loop import TrainingResult, train_pipe
from .metrics import expected_calibration_error, sentence_scores

SentenceItem = tuple[Doc, str, str]

ARCHITECTURES: dict[str, dict[str, Any]] = {
    "bow": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2, "no_output_layer": False, "length": 262144},
    "ensemble": {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "nO": None,
        "linear_model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2, "no_output_layer": False, "length": 262144},
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 64, "rows": [2000, 2000, 1000, 1000],
                      "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"], "include_static_vectors": False},
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64, "window_size": 1, "maxout_pieces": 3, "depth": 2},
        },
    },
}
# The ensemble, on sentence Docs with context markers, probabilities smoothed over neighbouring sentences.
ARCHITECTURES["ensemble_ctx"] = ARCHITECTURES["ensemble"]


# Architectures that also change what the classifier sees (see `sentence_features`): the features of
# the sentence Doc, and whether neighbouring labels smooth the probabilities. Recorded in the trained
# textcat's cfg (`sentence_features`, `sentence_transitions`, `sentence_smoothing`), which
# `cds_sentence_labels` reads, so a shipped model carries its own featurisation.
FEATURES: dict[str, str] = {"ensemble_ctx": "pos+head+par+prevend"}
SMOOTHING: dict[str, bool] = {"ensemble_ctx": True}
SMOOTHING_GRID = [round(0.1 * i, 1) for i in range(11)]


def features_of(nlp: Language) -> str:
    return nlp.get_pipe("textcat").cfg.get("sentence_features", NONE)


def raw_scores(nlp: Language, docs: Sequence[Doc]) -> list[dict[str, float]]:
    """Textcat probabilities of bare sentence Docs (featurised as the textcat was trained), no smoothing."""
    textcat = nlp.get_pipe("textcat")
    features = textcat.cfg.get("sentence_features", NONE)
    inputs = featurise(docs, features) if features != NONE else [d.copy() for d in docs]
    return [dict(d.cats) for d in textcat.pipe(inputs, batch_size=128)]


def smooth_scores(docs: Sequence[Doc], scores: Sequence[dict[str, float]], stats: dict | None,
                  strength: float) -> list[dict[str, float]]:
    out: list[dict[str, float]] = [{} for _ in scores]
    for group in group_by_document(docs):
        for i, s in zip(group, smooth([scores[i] for i in group], stats, strength)):
            out[i] = s
    return out


def predict(nlp: Language, docs: Sequence[Doc]) -> list[dict[str, float]]:
    """Probabilities per sentence Doc, as `cds_sentence_labels` computes them (before calibration)."""
    cfg = nlp.get_pipe("textcat").cfg
    scores = raw_scores(nlp, docs)
    return smooth_scores(docs, scores, cfg.get("sentence_transitions"), cfg.get("sentence_smoothing", 0.0))


def macro_f1(nlp: Language, items: Sequence[SentenceItem], labels: Sequence[str]) -> float:
    scores = predict(nlp, [doc for doc, _, _ in items])
    pred = [max(s, key=s.__getitem__) for s in scores]
    return sentence_scores([label for _, label, _ in items], pred, labels).macro_f1


def train_textcat(train: Sequence[SentenceItem], dev: Sequence[SentenceItem], labels: Sequence[str], *,
                  architecture: str = "bow", max_epochs: int = 20, patience: int = 4, seed: int = 13,
                  dropout: float = 0.2, log: TextIO | None = sys.stderr, nlp: Language | None = None,
                  resume: bool = False, soft: Sequence[SoftItem] = ()) -> tuple[Language, TrainingResult]:
    """Train (or, with `nlp` and resume, fine-tune) a textcat on sentence Docs; early stopping on dev macro-F1.

    `soft`: teacher-labelled sentences (`training.distill`) trained on alongside the gold ones, with
    their probabilities as targets; dev scoring and early stopping use gold labels only.
    """
    if nlp is None:
        nlp = blank()
        textcat = nlp.add_pipe("textcat", config={"model": ARCHITECTURES[architecture], "threshold": 0.0})
        for label in labels:
            textcat.add_label(label)
        textcat.cfg["sentence_features"] = FEATURES.get(architecture, NONE)
        textcat.cfg["sentence_smoothing"] = 0.0
        smoothing = SMOOTHING.get(architecture, False)
    else:  # fine-tuning keeps the featurisation and smoothing the model was built with
        textcat = nlp.get_pipe("textcat")
        smoothing = False
    features = textcat.cfg.get("sentence_features", NONE)
    train_docs = featurise([doc for doc, _, _ in train], features)
    examples = textcat_examples(train_docs, [one_hot(label, labels) for _, label, _ in train])
    if soft:
        examples += textcat_examples(featurise([doc for doc, _, _ in soft], features), [s for _, s, _ in soft])
    with soft_targets(textcat) if soft else nullcontext():
        result = train_pipe(nlp, "textcat", examples, lambda: macro_f1(nlp, dev, labels), max_epochs=max_epochs,
                            patience=patience, seed=seed, dropout=dropout, log=log, resume=resume)
    if smoothing:
        tune_smoothing(nlp, train, dev, labels, log=log)
    return nlp, result


def label_sequences(items: Sequence[SentenceItem]) -> list[list[str]]:
    """Gold labels of consecutive items of the same document, in order."""
    sequences: list[list[str]] = []
    last = None
    for _, label, doc_id in items:
        if sequences and doc_id == last:
            sequences[-1].append(label)
        else:
            sequences.append([label])
        last = doc_id
    return sequences


def tune_smoothing(nlp: Language, train: Sequence[SentenceItem], dev: Sequence[SentenceItem], labels: Sequence[str], *,
                   log: TextIO | None = sys.stderr) -> float:
    """Transition statistics from train; the smoothing strength maximising dev macro-F1 (ties: the weakest)."""
    textcat = nlp.get_pipe("textcat")
    stats = transition_stats(label_sequences(train), list(labels))
    docs = [doc for doc, _, _ in dev]
    gold = [label for _, label, _ in dev]
    raw = raw_scores(nlp, docs)
    best, best_f1 = 0.0, -1.0
    for strength in SMOOTHING_GRID:
        scores = smooth_scores(docs, raw, stats, strength)
        f1 = sentence_scores(gold, [max(s, key=s.__getitem__) for s in scores], list(labels)).macro_f1
        if f1 > best_f1 + 1e-9:
            best, best_f1 = strength, f1
    textcat.cfg["sentence_transitions"] = stats
    textcat.cfg["sentence_smoothing"] = best
    if log:
        print(f"  [textcat] label smoothing strength {best} (dev macro-F1 {best_f1:.4f})", file=log, flush=True)
    return best


def fit_temperature(scores: Sequence[dict[str, float]], gold: Sequence[str]) -> float:
    """The temperature minimising dev negative log-likelihood (grid search: one parameter, no optimiser needed)."""

    def nll(t: float) -> float:
        return -sum(math.log(max(calibrate(s, t).get(g, 0.0), 1e-12)) for s, g in zip(scores, gold)) / max(1, len(gold))

    grid = [round(0.25 + 0.05 * i, 2) for i in range(96)]
    return min(grid, key=nll)


def calibration_report(scores: Sequence[dict[str, float]], gold: Sequence[str], temperature: float) -> dict[str, float]:
    return {
        "temperature": temperature,
        "ece_before": expected_calibration_error(scores, gold),
        "ece_after": expected_calibration_error([calibrate(s, temperature) for s in scores], gold),
    }
