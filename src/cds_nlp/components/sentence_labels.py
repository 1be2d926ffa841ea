"""`cds_sentence_labels`: one function label per sentence, with calibrated probabilities.

spaCy's `textcat` scores a whole `Doc`; here it scores each sentence, as its
own `Doc` built by `sentence_features.sentence_docs` (the bare sentence, or with
context markers if the textcat was trained so), in one batch per document;
optionally the neighbouring sentences' probabilities smooth each sentence's
(forward-backward over label transitions estimated on train). The textcat lives in
the same pipeline, disabled so that `nlp(text)` does not also score the whole
article; this component calls it. A temperature fitted on dev calibrates the
probabilities (Guo et al. 2017): p_i ∝ p_i^(1/T).
"""

from __future__ import annotations

import math

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..convert import sentence_spans
from ..sentence_features import NONE, sentence_docs, smooth


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

    def _settings(self) -> tuple[str, dict | None, float]:
        """Featurisation and label smoothing the textcat was trained with (its cfg; older models: none)."""
        cfg = self.nlp.get_pipe(self.textcat_name).cfg
        return cfg.get("sentence_features", NONE), cfg.get("sentence_transitions"), float(cfg.get("sentence_smoothing", 0.0))

    def _score(self, inputs: list[Doc], groups: list[list[int]], stats: dict | None, strength: float) -> list[dict[str, float]]:
        textcat = self.nlp.get_pipe(self.textcat_name)
        raw = [dict(d.cats) for d in textcat.pipe(inputs, batch_size=self.batch_size)]
        out: list[dict[str, float]] = [{} for _ in raw]
        for group in groups:
            for i, scores in zip(group, smooth([raw[i] for i in group], stats, strength)):
                out[i] = calibrate(scores, self.temperature)
        return out

    def score_spans(self, spans: list[Span]) -> list[dict[str, float]]:
        """Calibrated probabilities of sentence spans; consecutive spans of the same Doc are one document, in order."""
        features, stats, strength = self._settings()
        inputs: list[Doc] = []
        groups: list[list[int]] = []
        i = 0
        while i < len(spans):
            j = i
            while j < len(spans) and spans[j].doc is spans[i].doc:
                j += 1
            inputs += sentence_docs(spans[i:j], features)
            groups.append(list(range(i, j)))
            i = j
        return self._score(inputs, groups, stats, strength)

    def __call__(self, doc: Doc) -> Doc:
        sents = sentence_spans(doc)
        scores = self.score_spans(sents)
        doc._.sentence_scores = {s.start_char: sc for s, sc in zip(sents, scores)}
        return doc

    def to_disk(self, path, *, exclude=tuple()) -> None:  # noqa: ANN001 - settings live in config.cfg
        pass

    def from_disk(self, path, *, exclude=tuple()) -> "SentenceLabeler":  # noqa: ANN001
        return self
