"""Training the sentence-function classifier (spaCy `textcat`, exclusive classes) and calibrating it."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from spacy.language import Language
from spacy.tokens import Doc

from ..components.sentence_labels import calibrate
from ..language import blank
from .examples import textcat_examples
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


def predict(nlp: Language, docs: Sequence[Doc]) -> list[dict[str, float]]:
    textcat = nlp.get_pipe("textcat")
    return [dict(d.cats) for d in textcat.pipe([d.copy() for d in docs], batch_size=128)]


def macro_f1(nlp: Language, items: Sequence[SentenceItem], labels: Sequence[str]) -> float:
    scores = predict(nlp, [doc for doc, _, _ in items])
    pred = [max(s, key=s.__getitem__) for s in scores]
    return sentence_scores([label for _, label, _ in items], pred, labels).macro_f1


def train_textcat(train: Sequence[SentenceItem], dev: Sequence[SentenceItem], labels: Sequence[str], *,
                  architecture: str = "bow", max_epochs: int = 20, patience: int = 4, seed: int = 13,
                  dropout: float = 0.2, log: TextIO | None = sys.stderr, nlp: Language | None = None,
                  resume: bool = False) -> tuple[Language, TrainingResult]:
    """Train (or, with `nlp` and resume, fine-tune) a textcat on sentence Docs; early stopping on dev macro-F1."""
    if nlp is None:
        nlp = blank()
        textcat = nlp.add_pipe("textcat", config={"model": ARCHITECTURES[architecture], "threshold": 0.0})
        for label in labels:
            textcat.add_label(label)
    examples = textcat_examples(list(train), list(labels))
    result = train_pipe(nlp, "textcat", examples, lambda: macro_f1(nlp, dev, labels), max_epochs=max_epochs,
                        patience=patience, seed=seed, dropout=dropout, log=log, resume=resume)
    return nlp, result


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
