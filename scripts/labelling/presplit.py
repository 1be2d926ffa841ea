"""Pre-split excerpts into candidate sentences for human/agent labelling."""
import json, re, sys

ABBR = {"tp", "tp.hcm", "ts", "pgs", "gs", "ths", "th.s", "bs", "ks", "ls", "ncs", "v.v", "tr", "st", "p", "q", "pgs.ts", "gs.ts", "đ/c", "mr", "ms", "no"}
END = re.compile(r'([.!?…]+["”’)\]]*)(\s+)(?=["“‘(\[]?[A-ZĐÀ-ỸÁ-Ỹ0-9\u00C0-\u1EF9])')

def split(text):
    spans = []
    for m in re.finditer(r'[^\n]+', text):
        a, b = m.start(), m.end()
        line = text[a:b]
        start = 0
        for e in END.finditer(line):
            before = line[start:e.start()]
            word = re.split(r'\s', before)[-1].lower() if before else ''
            if word.rstrip('.') in ABBR or re.fullmatch(r'(\w\.)+\w?', word) and len(word) <= 4:
                continue
            if e.group(1) == '.' and re.search(r'\d$', before) and re.match(r'\d', line[e.end():]):
                continue
            spans.append((a + start, a + e.start() + len(e.group(1))))
            start = e.end()
        spans.append((a + start, b))
    out = []
    for s, e in spans:
        seg = text[s:e]
        ls = len(seg) - len(seg.lstrip()); rs = len(seg) - len(seg.rstrip())
        if e - rs > s + ls:
            out.append((s + ls, e - rs))
    return out

if __name__ == "__main__":
    ids = set(sys.argv[2:]) if len(sys.argv) > 2 else None
    for line in open(sys.argv[1], encoding="utf-8"):
        r = json.loads(line)
        if ids and r["id"] not in ids:
            continue
        print(f"=== {r['id']}")
        for i, (s, e) in enumerate(split(r["text"])):
            print(f"[{i}] {r['text'][s:e]}")
