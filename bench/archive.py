"""Archive processing: throughput with 1 and 2 processes, flat memory, resume after `kill -9`.

Builds synthetic archives (folders of .txt) by cycling and perturbing `seeds/*.txt`,
then, for each size, parses them with the code `cds-nlp parse` runs, in a fresh
process per measurement (so peak RSS belongs to that run alone):

- documents/s and tokens/s with 1 and 2 processes, and the ratio (target >= 1.7); "CPU use" is
  CPU time / (wall time × processes): well under 100 % means other jobs took the cores, and
  the ratio then says more about the machine than about cds_nlp;
- RSS of every worker process, sampled 5 times a second, largest value once the first
  10 % of the documents are done (so the one-off start-up spike of loading the
  segmenter does not hide growth), compared between the smallest and the largest
  archive (target: within 10 %: memory does not grow with the stream);
- a real `cds-nlp parse --resume` killed with SIGKILL midway, then run again:
  the output ids must equal the input ids, in order, each exactly once.

    python bench/archive.py                     # 2,000 and 10,000 documents (long: ~1 h on 2 cores)
    python bench/archive.py --sizes 200 1000    # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "cds_nlp.cli"]
_NUMBER = re.compile(r"\d+")


# --- the archive ----------------------------------------------------------------------------

def build_archive(folder: Path, size: int, seeds: list[str]) -> list[str]:
    """`size` articles, 1,000 a sub-folder, like a crawl; every one differs (numbers, paragraph order, a code).

    New numbers and codes add new strings to the vocabulary with every article,
    which is what makes memory grow in a pipeline that does not free them.
    """
    ids = []
    for i in range(size):
        rng = random.Random(i)
        paragraphs = [p for p in seeds[i % len(seeds)].split("\n") if p.strip()]
        head, body = paragraphs[:1], paragraphs[1:]
        rng.shuffle(body)
        text = "\n".join(head + body)
        text = _NUMBER.sub(lambda m: str(rng.randint(1, 10 ** len(m.group()))), text)
        text += f"\nMã tin: CDS-{i:07d}-{rng.randint(0, 10**9):09d}.\n"
        rel = f"{i // 1000:03d}/{i:07d}.txt"
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        ids.append(rel)
    return ids


# --- one measurement, in its own process -----------------------------------------------------

def _peak_rss(pid: int) -> int:
    """VmHWM (peak resident set) in bytes, from /proc; 0 if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _watch_workers(samples: list[tuple[int, int, int]], progress: list[int], own: bool,
                   stop: threading.Event) -> None:
    """Sample (documents done, pid, current RSS) of every worker (or of this process, when it is the worker)."""
    import psutil

    me = psutil.Process()
    while not stop.is_set():
        for process in [me] if own else me.children(recursive=True):
            try:
                samples.append((progress[0], process.pid, process.memory_info().rss))
            except psutil.Error:
                pass
        stop.wait(0.2)


def _steady_rss(samples: list[tuple[int, int, int]], docs: int) -> list[int]:
    """Per worker, the largest RSS once 10 % of the documents are done (start-up spikes left out)."""
    peaks: dict[int, int] = {}
    for done, pid, rss in samples:
        if done >= docs // 10:
            peaks[pid] = max(peaks.get(pid, 0), rss)
    return sorted(peaks.values())


def measure(folder: str, output: str, n_process: int, batch_size: int, model: str | None) -> dict:
    """Parse `folder` into `output` as `cds-nlp parse` does; time only the parsing, not the model load."""
    import warnings

    from cds_nlp.batch import JsonlWriter, parse_articles, read_input
    from cds_nlp.pipeline import load

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline = load(model)
    samples: list[tuple[int, int, int]] = []
    progress = [0]
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_workers, args=(samples, progress, n_process == 1, stop), daemon=True)
    watcher.start()
    writer = JsonlWriter(output).open(append=False)
    docs = tokens = failed = 0
    before, start = os.times(), time.perf_counter()
    rows = parse_articles(pipeline, read_input(folder), batch_size=batch_size, n_process=n_process,
                          encode=writer.encoder())
    for row in rows:
        writer.write(row)
        docs += 1
        progress[0] = docs
        failed += row.error is not None
        tokens += row.tokens
    seconds = time.perf_counter() - start
    after = os.times()
    writer.close()
    stop.set()
    watcher.join()
    cpu = (after.user - before.user) + (after.system - before.system) \
        + (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"docs": docs, "failed": failed, "tokens": tokens, "seconds": seconds, "cpu_seconds": cpu,
            "worker_peak_rss": _steady_rss(samples, docs) or [0], "main_peak_rss": _peak_rss(os.getpid())}


def run_measure(folder: Path, output: Path, n_process: int, batch_size: int, model: str | None) -> dict:
    done = subprocess.run([sys.executable, __file__, "_measure", str(folder), str(output), str(n_process),
                           str(batch_size), model or ""], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- resume after kill -9 ---------------------------------------------------------------------

def _lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    except OSError:
        return 0


def resume_after_kill(folder: Path, ids: list[str], output: Path, n_process: int, model: str | None) -> dict:
    """Start `cds-nlp parse --resume`, SIGKILL it halfway, run it again; check the ids."""
    import psutil

    command = [*CLI, "parse", str(folder), "-o", str(output), "--resume", "--n-process", str(n_process), "-q",
               *(["--model", model] if model else [])]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while _lines(output) < len(ids) // 2 and process.poll() is None:
        time.sleep(0.2)
    workers = psutil.Process(process.pid).children(recursive=True) if process.poll() is None else []
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    written = _lines(output)
    partial = output.read_bytes()[-1:] not in (b"\n", b"")
    time.sleep(3.0)
    orphans = [w.pid for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    start = time.perf_counter()
    rerun = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    out_ids = [json.loads(line)["id"] for line in output.read_text(encoding="utf-8").splitlines()]
    return {"killed_after": written, "partial_line_left": partial, "orphan_workers": len(orphans),
            "rerun_status": rerun.returncode, "rerun_seconds": seconds, "rows": len(out_ids),
            "ids_equal_input": out_ids == ids, "duplicates": len(out_ids) - len(set(out_ids))}


# --- the report -------------------------------------------------------------------------------

def _mb(value: float) -> str:
    return f"{value / 2**20:.0f}"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        folder, output, n_process, batch_size, model = sys.argv[2:7]
        print(json.dumps(measure(folder, output, int(n_process), int(batch_size), model or None)))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000], help="archive sizes (documents)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="process counts to compare")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--no-resume", action="store_true", help="skip the kill -9 / resume check")
    parser.add_argument("--work-dir", type=Path, default=None, help="keep archives and outputs here (default: a temp dir)")
    parser.add_argument("--model", default=None, help="model folder (default: the shipped model found at the start, "
                        "kept for every run even if a newer one appears meanwhile)")
    args = parser.parse_args()
    from cds_nlp.model_store import default_model_path

    model = args.model or (str(default_model_path()) if default_model_path() else None)

    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    with tempfile.TemporaryDirectory(prefix="cds-archive-") as temp:
        work = args.work_dir or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        print(f"cds_nlp archive bench: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start, "
              f"batch size {args.batch_size}, model {model or 'none (gazetteer only)'}", flush=True)
        results: dict[tuple[int, int], dict] = {}
        archives: dict[int, tuple[Path, list[str]]] = {}
        for size in args.sizes:
            folder = work / f"archive-{size}"
            archives[size] = (folder, build_archive(folder, size, seeds))
            for n_process in args.processes:
                result = run_measure(folder, work / f"out-{size}-{n_process}.jsonl", n_process, args.batch_size, model)
                results[size, n_process] = result
                print(f"  {size:>6} docs, {n_process} process(es): {result['docs'] / result['seconds']:.1f} docs/s, "
                      f"load average {os.getloadavg()[0]:.2f}", flush=True)
        print()
        print("| docs | processes | seconds | docs/s | tokens/s | speed-up | CPU s/doc | CPU use | worker RSS MB | main VmHWM MB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
        for (size, n_process), r in results.items():
            base = results.get((size, args.processes[0]))
            speedup = (base["seconds"] / r["seconds"]) if base else float("nan")
            print(f"| {size} | {n_process} | {r['seconds']:.1f} | {r['docs'] / r['seconds']:.1f} | "
                  f"{r['tokens'] / r['seconds']:,.0f} | {speedup:.2f}x | {r['cpu_seconds'] / r['docs']:.3f} | "
                  f"{r['cpu_seconds'] / r['seconds'] / n_process:.0%} | "
                  f"{' / '.join(_mb(x) for x in r['worker_peak_rss'])} | {_mb(r['main_peak_rss'])} |")
        small, large = min(args.sizes), max(args.sizes)
        if small != large:
            print()
            for n_process in args.processes:
                a, b = results[small, n_process], results[large, n_process]
                growth = max(b["worker_peak_rss"]) / max(a["worker_peak_rss"]) - 1
                print(f"RSS per worker (largest after the first 10 %), {n_process} process(es): {_mb(max(a['worker_peak_rss']))} MB at {small} docs, "
                      f"{_mb(max(b['worker_peak_rss']))} MB at {large} docs: {growth:+.1%} (target within ±10%)")
        for size in args.sizes:
            if len(args.processes) > 1:
                one, two = results[size, args.processes[0]], results[size, args.processes[-1]]
                print(f"{size} docs: {args.processes[-1]} processes are {one['seconds'] / two['seconds']:.2f}x "
                      f"{args.processes[0]} (target >= 1.7x)")
        if not args.no_resume:
            folder, ids = archives[small]
            check = resume_after_kill(folder, ids, work / f"resume-{small}.jsonl", max(args.processes), model)
            print()
            print(f"resume after kill -9 ({small} docs, {max(args.processes)} processes): killed after "
                  f"{check['killed_after']} rows (partial line left: {check['partial_line_left']}), "
                  f"orphan workers 3 s later: {check['orphan_workers']}; rerun status {check['rerun_status']} "
                  f"in {check['rerun_seconds']:.1f} s; {check['rows']} rows, ids equal input ids in order: "
                  f"{check['ids_equal_input']}, duplicates: {check['duplicates']}")


if __name__ == "__main__":
    main()
