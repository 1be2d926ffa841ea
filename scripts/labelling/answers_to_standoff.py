"""Validate a helper's answer file and convert it to stand-off labels.

Usage: python3 answers_to_standoff.py RAW.jsonl ANSWERS.jsonl [--out standoff.jsonl] [--sentences-only]

With --sentences-only, rows carry a label (or "+") and nothing else, and the
stand-off records have no `entities` key: they label sentence function only.
"""
import hashlib, json, re, sys
from presplit import split

LABELS = {"achievement", "shortcoming", "directive", "other"}
ENTS = {"PERSON", "ORG", "PROVINCE"}
WORD = re.compile(r"\w", re.UNICODE)


def find_all(text, needle, a, b):
    out, i = [], text.find(needle, a, b)
    while i != -1:
        j = i + len(needle)
        left_ok = i == 0 or not WORD.match(text[i - 1])
        right_ok = j >= len(text) or not WORD.match(text[j])
        if left_ok and right_ok:
            out.append((i, j))
        i = text.find(needle, i + 1, b)
    return out


def convert(rec, ans, sentences_only=False):
    text = rec["text"]
    frags = split(text)
    errs = []
    rows = ans["s"]
    if len(rows) != len(frags):
        return None, [f"{rec['id']}: {len(rows)} rows but {len(frags)} pre-split sentences"]
    sents, ents = [], []
    for i, (row, (a, b)) in enumerate(zip(rows, frags)):
        if not isinstance(row, list) or not row:
            errs.append(f"{rec['id']}[{i}]: row must be a non-empty list"); continue
        lab = row[0]
        if lab == "+":
            if not sents:
                errs.append(f"{rec['id']}[{i}]: '+' on first sentence"); continue
            sents[-1]["end"] = b
        elif lab in LABELS:
            sents.append({"start": a, "end": b, "label": lab})
        else:
            errs.append(f"{rec['id']}[{i}]: bad label {lab!r}"); continue
        if sentences_only and len(row) > 1:
            errs.append(f"{rec['id']}[{i}]: sentence-only labelling: the row must hold the label alone"); continue
        for e in row[1:]:
            if not (isinstance(e, list) and len(e) in (2, 3) and e[1] in ENTS and isinstance(e[0], str)):
                errs.append(f"{rec['id']}[{i}]: bad entity {e!r}"); continue
            occ = find_all(text, e[0], a, b)
            if not occ:
                errs.append(f"{rec['id']}[{i}]: entity {e[0]!r} not found as whole words in sentence"); continue
            if len(e) == 3:
                try:
                    occ = [occ[k] for k in e[2]]
                except (IndexError, TypeError):
                    errs.append(f"{rec['id']}[{i}]: bad occurrence list {e[2]!r} (found {len(occ)})"); continue
            for s, t in occ:
                if e[0] != e[0].strip() or not e[0]:
                    errs.append(f"{rec['id']}[{i}]: entity {e[0]!r} has surrounding space")
                ents.append({"start": s, "end": t, "label": e[1]})
    # resolve overlaps: keep nested PROVINCE in ORG; otherwise longer span wins
    ents = sorted({(x["start"], x["end"], x["label"]) for x in ents}, key=lambda x: (x[0], -(x[1] - x[0])))
    keep = []
    for s, t, l in sorted(ents, key=lambda x: -(x[1] - x[0])):
        ok = True
        for s2, t2, l2 in keep:
            if s < t2 and s2 < t:
                if l == "PROVINCE" and l2 == "ORG" and s2 <= s and t <= t2:
                    continue
                ok = False; break
        if ok:
            keep.append((s, t, l))
    keep.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out = {"id": rec["id"], "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
           "sentences": sents, "entities": [{"start": s, "end": t, "label": l} for s, t, l in keep]}
    if sentences_only:
        del out["entities"]
    return out, errs


if __name__ == "__main__":
    raw = {json.loads(l)["id"]: json.loads(l) for l in open(sys.argv[1], encoding="utf-8")}
    outp = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else None
    sentences_only = "--sentences-only" in sys.argv
    allerr, res, seen = [], [], set()
    for n, line in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            ans = json.loads(line)
        except json.JSONDecodeError as ex:
            allerr.append(f"line {n}: invalid JSON: {ex}"); continue
        if ans.get("id") not in raw:
            allerr.append(f"line {n}: unknown id {ans.get('id')!r}"); continue
        if ans["id"] in seen:
            allerr.append(f"line {n}: duplicate id {ans['id']}")
        seen.add(ans["id"])
        o, e = convert(raw[ans["id"]], ans, sentences_only)
        allerr += e
        if o:
            res.append(o)
    for e in allerr:
        print("ERROR", e)
    print(f"{len(res)} documents converted, {len(allerr)} errors")
    if outp and not allerr:
        with open(outp, "w", encoding="utf-8") as f:
            for o in res:
                f.write(json.dumps(o, ensure_ascii=False) + "\n")
