"""`cds_sentence_labels`: one function label per sentence, with calibrated probabilities.

spaCy's `textcat` scores a whole `Doc`; here it scores each sentence, as its
own `Doc` (`sent.as_doc()`), in one batch per document. The textcat lives in
the same pipeline, disabled so that `nlp(text)` does not also score the whole
article; this component calls it. A temperature fitted on dev calibrates the
probabilities (Guo et al. 2017): p_i ∝ p_i^(1/T).
"""

from __future__ import annotations

import math

from spacy.language import Language
from spacy.tokens import Doc

from ..convert import sentence_spans


@Language.factory("cds_sentence_labels", default_config={"textcat": "textcat", "temperature": 1.0, "batch_size": 64})
def make_sentence_labeler(nlp: Language, name: str, textcat: str, temperature: float, batch_size: int) -> "SentenceLabeler":
    return SentenceLabeler(nlp, name, textcat=textcat, temperature=temperature, batch_size=batch_size)


def calibrate(scores: dict[str, float], temperature: float) -> dict[str, float]:
    """Temperature-scale a probability distribution and renormalise so it sums to exactly 1."""
    if not scores:
        return {}
    logits = {label: math.log(max(p, 1e-12)) / temperature for label, p in scores.items()}
    top = max(logits.values())
    exp = {label: math.exp(v - top) for label, v in logits.items()}
    total = sum(exp.values())
    return {label: v / total for label, v in exp.items()}


class SentenceLabeler:
    def __init__(self, nlp: Language, name: str = "cds_sentence_labels", *, textcat: str = "textcat",
                 temperature: float = 1.0, batch_size: int = 64) -> None:
        self.nlp = nlp
        self.name = name
        self.textcat_name = textcat
        self.temperature = temperature
        self.batch_size = batch_size

    def score_sentences(self, sentence_docs: list[Doc]) -> list[dict[str, float]]:
        textcat = self.nlp.get_pipe(self.textcat_name)
        return [calibrate(dict(d.cats), self.temperature) for d in textcat.pipe(sentence_docs, batch_size=self.batch_size)]

    def __call__(self, doc: Doc) -> Doc:
        sents = sentence_spans(doc)
        scores = self.score_sentences([s.as_doc() for s in sents])
        doc._.sentence_scores = {s.start_char: sc for s, sc in zip(sents, scores)}
        return doc

    def to_disk(self, path, *, exclude=tuple()) -> None:  # noqa: ANN001 - settings live in config.cfg
        pass

    def from_disk(self, path, *, exclude=tuple()) -> "SentenceLabeler":  # noqa: ANN001
        return self
