"""Scoring a loaded `Pipeline` against labelled documents: entities, sentence labels, calibration."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..document import ENTITY_LABELS, SENTENCE_LABELS
from ..pipeline import Pipeline
from .metrics import EntityScores, PRF, SentenceScores, entity_scores, expected_calibration_error, prf, sentence_scores


class EvaluationReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: int
    entities: EntityScores
    sentences: SentenceScores | None = Field(default=None, description="Labels of the gold sentences (boundaries given).")
    sentence_boundaries: PRF = Field(description="Predicted sentence spans against gold spans, exact match.")
    ece: float | None = Field(default=None, description="Expected calibration error of the sentence probabilities.")


def evaluate(pipeline: Pipeline, rows: Iterable[dict[str, Any]], *, entity_labels: Sequence[str] = ENTITY_LABELS,
             sentence_labels: Sequence[str] = SENTENCE_LABELS) -> EvaluationReport:
    gold_entities, pred_entities = [], []
    gold_labels: list[str] = []
    probabilities: list[dict[str, float]] = []
    boundary = [0, 0, 0]
    labeler = pipeline.nlp.get_pipe("cds_sentence_labels") if "cds_sentence_labels" in pipeline.nlp.pipe_names else None
    n = 0
    for row in rows:
        n += 1
        text = row["text"]
        doc = pipeline.nlp(text)
        document = pipeline._document(doc, {"id": row.get("id")})
        gold_entities.append([(e["start"], e["end"], e["label"]) for e in row["entities"]])
        pred_entities.append([(e.start, e.end, e.label) for e in document.entities])
        gold_spans = {(s["start"], s["end"]) for s in row["sentences"]}
        pred_spans = {(s.start, s.end) for s in document.sentences}
        boundary[0] += len(gold_spans & pred_spans)
        boundary[1] += len(pred_spans)
        boundary[2] += len(gold_spans)
        if labeler is not None and row["sentences"]:
            spans = [doc.char_span(s["start"], s["end"], alignment_mode="expand") for s in row["sentences"]]
            kept = [(span, s["label"]) for span, s in zip(spans, row["sentences"]) if span is not None]
            probabilities += labeler.score_spans([span for span, _ in kept])
            gold_labels += [label for _, label in kept]
    sentences = None
    ece = None
    if labeler is not None and gold_labels:
        predicted = [max(p, key=p.__getitem__) for p in probabilities]
        labels = list(dict.fromkeys([*sentence_labels, *gold_labels, *predicted]))
        sentences = sentence_scores(gold_labels, predicted, labels)
        ece = expected_calibration_error(probabilities, gold_labels)
    return EvaluationReport(
        documents=n,
        entities=entity_scores(gold_entities, pred_entities, list(entity_labels)),
        sentences=sentences,
        sentence_boundaries=prf(*boundary),
        ece=ece,
    )


def format_report(report: EvaluationReport, title: str = "") -> str:
    """Human-readable tables: entities per label (strict, lenient), sentence labels and confusion matrix."""
    lines = [f"== {title} ({report.documents} documents)" if title else f"== {report.documents} documents"]
    lines.append(f"{'entities':<10}{'P':>8}{'R':>8}{'F1':>8}{'lenF1':>8}{'gold':>7}{'pred':>7}")
    for label, s in report.entities.strict.items():
        lenient = report.entities.lenient[label]
        lines.append(f"{label:<10}{s.precision:>8.4f}{s.recall:>8.4f}{s.f1:>8.4f}{lenient.f1:>8.4f}{s.support:>7}{s.predicted:>7}")
    b = report.sentence_boundaries
    lines.append(f"sentence boundaries: P {b.precision:.4f} R {b.recall:.4f} F1 {b.f1:.4f}")
    if report.sentences:
        s = report.sentences
        lines.append(f"sentence labels: macro-F1 {s.macro_f1:.4f}  accuracy {s.accuracy:.4f}  kappa {s.kappa:.4f}  ECE {report.ece}")
        for label, score in s.per_label.items():
            lines.append(f"  {label:<12} P {score.precision:.4f} R {score.recall:.4f} F1 {score.f1:.4f} (n={score.support})")
        labels = list(s.confusion)
        lines.append("  confusion (rows gold, columns predicted): " + " ".join(f"{label[:6]:>7}" for label in labels))
        for gold in labels:
            lines.append(f"  {gold:<12}" + " " * 30 + " ".join(f"{s.confusion[gold].get(p, 0):>7}" for p in labels))
    return "\n".join(lines)
