"""Show already-labelled excerpts from train.jsonl, sentence by sentence, to calibrate labelling."""
import json, sys
from pathlib import Path
CORPUS = Path(__file__).resolve().parents[3] / 'shared' / 'corpus' / 'train.jsonl'
n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
skip = int(sys.argv[2]) if len(sys.argv) > 2 else 0
for k, line in enumerate(CORPUS.open(encoding='utf-8')):
    if k < skip: continue
    if k >= skip + n: break
    r = json.loads(line); t = r['text']
    print('===', r['id'])
    for s in r['sentences']:
        es = [(t[e['start']:e['end']], e['label']) for e in r['entities'] if s['start'] <= e['start'] < s['end']]
        print(f"  {s['label']:<11} {t[s['start']:s['end']]}")
        for e in es: print(f"      {e[1]:<8} {e[0]}")
