"""Sentence function: candidate classifiers side by side on the same split.

Candidates: a keyword rule baseline (the guidelines' cue words and tie-break
order), underthesea_core's TextClassifier (TF-IDF + linear SVM in Rust) on raw
syllables and on underthesea-segmented words, and spaCy textcat (bow,
ensemble, and ensemble_ctx: context markers plus label smoothing over
neighbouring sentences, the shipped classifier) on our tokenizer's words. All
train on the same sentences: the train split plus our sentence labels of the
extra pool (seeds/labels/extra.jsonl), minus documents repeating a dev or seed
sentence. One more row: ensemble_ctx distilled, trained on the teacher's soft
labels of the extra pool instead of our labels (the recipe of model 0.3.0).
Scored on the document-level dev split and on ../shared/corpus/seeds.jsonl
(never trained on).

    python bench/sentence_classifiers.py
"""

from __future__ import annotations

import re
import sys
import time

from underthesea_core import TextClassifier

from cds_nlp.convert import is_blank
from cds_nlp.document import SENTENCE_LABELS
from cds_nlp.language import blank
from cds_nlp.training.data import SENTENCE_ONLY_LABELS, SHARED_CORPUS, load_corpus, load_reference, load_sentence_labels, overlapping_ids
from cds_nlp.training.distill import SOFT_LABELS, load_soft_labels, soft_items
from cds_nlp.training.examples import sentence_items
from cds_nlp.training.metrics import sentence_scores
from cds_nlp.training.textcat import predict, train_textcat

LABELS = list(SENTENCE_LABELS)
CUES = {
    "directive": r"\b(yêu cầu|đề nghị|chỉ đạo|giao|cần phải|cần|phải|phấn đấu|khẩn trương|tiếp tục đẩy mạnh|đề xuất|quán triệt)\b",
    "shortcoming": r"\b(hạn chế|khó khăn|vướng mắc|chậm|chưa|còn thấp|thiếu|bất cập|tồn tại|yếu)\b",
    "achievement": r"(\bđạt\b|đã hoàn thành|\btăng\b|được triển khai|đứng đầu|xếp thứ|kết quả nổi bật|\d+%|đã ban hành|đã triển khai|hoàn thành)",
}


def keyword(sentence: str) -> str:
    lowered = sentence.lower()
    for label in ("directive", "shortcoming", "achievement"):
        if re.search(CUES[label], lowered):
            return label
    return "other"


def words_of(doc) -> str:
    return " ".join(t.text.replace(" ", "_") for t in doc if not is_blank(t))


def report(name: str, gold: list[str], pred: list[str], seconds: float) -> None:
    s = sentence_scores(gold, pred, LABELS)
    per = " ".join(f"{label[:5]}={s.per_label[label].f1:.3f}" for label in LABELS)
    print(f"  {name:<34} macroF1={s.macro_f1:.4f} acc={s.accuracy:.4f} {per}  ({seconds:.1f}s)")


def main() -> None:
    corpus = load_corpus()
    reference = load_reference()
    nlp = blank()

    def kept(rows):  # noqa: ANN001, ANN202
        left_out = set(overlapping_ids(rows, corpus["dev"], reference))
        return [row for row in rows if row["id"] not in left_out]

    gold_train = sentence_items(nlp, kept(corpus["train"]))
    extra = sentence_items(nlp, kept(load_sentence_labels())) if SENTENCE_ONLY_LABELS.exists() else []
    train = gold_train + extra
    dev = sentence_items(nlp, corpus["dev"])
    seeds = sentence_items(nlp, reference)
    print(f"sentences: train {len(gold_train)} + {len(extra)} of the extra pool, dev {len(dev)}, seeds {len(seeds)}")
    results: dict[str, dict[str, list[str]]] = {}
    timing: dict[str, float] = {}

    t0 = time.perf_counter()
    results["keyword rules"] = {k: [keyword(d.text) for d, _, _ in items] for k, items in (("dev", dev), ("seeds", seeds))}
    timing["keyword rules"] = time.perf_counter() - t0

    for name, featurise in (("TF-IDF+SVM, raw syllables", lambda d: d.text.lower()), ("TF-IDF+SVM, segmented words", lambda d: words_of(d).lower())):
        t0 = time.perf_counter()
        clf = TextClassifier(ngram_range=(1, 2), c=1.0)
        clf.fit([featurise(d) for d, _, _ in train], [label for _, label, _ in train])
        results[name] = {k: list(clf.predict_batch([featurise(d) for d, _, _ in items])) for k, items in (("dev", dev), ("seeds", seeds))}
        timing[name] = time.perf_counter() - t0

    for arch in ("bow", "ensemble", "ensemble_ctx"):
        name = f"spaCy textcat {arch}, segmented" + (" (shipped)" if arch == "ensemble_ctx" else "")
        t0 = time.perf_counter()
        model, _ = train_textcat(train, dev, LABELS, architecture=arch, max_epochs=30, log=None)
        results[name] = {}
        for k, items in (("dev", dev), ("seeds", seeds)):
            scores = predict(model, [d for d, _, _ in items])
            results[name][k] = [max(s, key=s.__getitem__) for s in scores]
        timing[name] = time.perf_counter() - t0

    if SOFT_LABELS.exists() and (SHARED_CORPUS / "extra_raw.jsonl").exists():
        name = "ensemble_ctx distilled: teacher's soft labels of the pool instead of ours (0.3.0)"
        t0 = time.perf_counter()
        soft = soft_items(nlp, kept(load_soft_labels(SOFT_LABELS, SHARED_CORPUS / "extra_raw.jsonl")))
        model, _ = train_textcat(gold_train, dev, LABELS, architecture="ensemble_ctx", max_epochs=30, soft=soft, log=None)
        results[name] = {}
        for k, items in (("dev", dev), ("seeds", seeds)):
            scores = predict(model, [d for d, _, _ in items])
            results[name][k] = [max(s, key=s.__getitem__) for s in scores]
        timing[name] = time.perf_counter() - t0

    for split, items in (("dev split", dev), ("seeds (never trained on)", seeds)):
        print(f"\n{split}:")
        gold = [label for _, label, _ in items]
        for name, preds in results.items():
            report(name, gold, preds["dev" if split.startswith("dev") else "seeds"], timing[name])


if __name__ == "__main__":
    sys.exit(main())
