"""Scores: entity spans (strict and lenient), sentence labels, agreement and calibration.

Written here rather than taken from spaCy's `Scorer` because we need lenient
span matching, nested PROVINCE spans (not representable in `doc.ents`),
Cohen's kappa and calibration error in one report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

SpanTuple = tuple[int, int, str]


class PRF(BaseModel):
    model_config = ConfigDict(extra="forbid")

    precision: float
    recall: float
    f1: float
    support: int = Field(description="Gold items with this label.")
    predicted: int


def prf(tp: int, n_pred: int, n_gold: int) -> PRF:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision=round(precision, 4), recall=round(recall, 4), f1=round(f1, 4), support=n_gold, predicted=n_pred)


class EntityScores(BaseModel):
    model_config = ConfigDict(extra="forbid")

    strict: dict[str, PRF] = Field(description="Per label and `micro`: exact start, end and label.")
    lenient: dict[str, PRF] = Field(description="Per label and `micro`: any overlap with the same label.")


def _overlaps(a: SpanTuple, b: SpanTuple) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def entity_scores(gold_docs: Iterable[Iterable[SpanTuple]], pred_docs: Iterable[Iterable[SpanTuple]],
                  labels: Sequence[str]) -> EntityScores:
    counts = {mode: {label: [0, 0, 0] for label in labels} for mode in ("strict", "lenient")}  # tp, pred, gold
    for gold_spans, pred_spans in zip(gold_docs, pred_docs):
        gold, pred = set(gold_spans), set(pred_spans)
        for label in labels:
            g = [s for s in gold if s[2] == label]
            p = [s for s in pred if s[2] == label]
            for mode in counts:
                counts[mode][label][1] += len(p)
                counts[mode][label][2] += len(g)
            counts["strict"][label][0] += len(set(g) & set(p))
            counts["lenient"][label][0] += sum(1 for s in p if any(_overlaps(s, t) for t in g))
    result = {}
    for mode, table in counts.items():
        scores = {label: prf(*table[label]) for label in labels}
        scores["micro"] = prf(*(sum(table[label][i] for label in labels) for i in range(3)))
        result[mode] = scores
    return EntityScores(**result)


class SentenceScores(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accuracy: float
    macro_f1: float
    kappa: float = Field(description="Cohen's kappa between gold and predicted labels.")
    per_label: dict[str, PRF]
    confusion: dict[str, dict[str, int]] = Field(description="confusion[gold][predicted] = count")


def cohen_kappa(gold: Sequence[str], pred: Sequence[str]) -> float:
    n = len(gold)
    if n == 0:
        return 0.0
    observed = sum(g == p for g, p in zip(gold, pred)) / n
    g_counts, p_counts = Counter(gold), Counter(pred)
    expected = sum(g_counts[label] * p_counts[label] for label in set(gold) | set(pred)) / (n * n)
    return round((observed - expected) / (1 - expected), 4) if expected < 1 else 1.0


def sentence_scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> SentenceScores:
    per_label = {
        label: prf(
            sum(1 for g, p in zip(gold, pred) if g == p == label),
            sum(1 for p in pred if p == label),
            sum(1 for g in gold if g == label),
        )
        for label in labels
    }
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        confusion.setdefault(g, {}).setdefault(p, 0)
        confusion[g][p] += 1
    present = [label for label in labels if per_label[label].support > 0]
    macro = sum(per_label[label].f1 for label in present) / len(present) if present else 0.0
    accuracy = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
    return SentenceScores(accuracy=round(accuracy, 4), macro_f1=round(macro, 4), kappa=cohen_kappa(gold, pred),
                          per_label=per_label, confusion=confusion)


def expected_calibration_error(probabilities: Sequence[dict[str, float]], gold: Sequence[str], bins: int = 10) -> float:
    """ECE of the top-label confidence, equal-width bins."""
    if not gold:
        return 0.0
    totals = [[0, 0.0, 0.0] for _ in range(bins)]  # count, confidence sum, correct sum
    for scores, label in zip(probabilities, gold):
        top = max(scores, key=scores.__getitem__)
        confidence = scores[top]
        b = min(bins - 1, int(confidence * bins))
        totals[b][0] += 1
        totals[b][1] += confidence
        totals[b][2] += float(top == label)
    n = len(gold)
    return round(sum(abs(c_sum - correct) for count, c_sum, correct in totals if count) / n, 4)
