"""Dask: the same parse on a local cluster of two worker processes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

import dask.bag as db  # noqa: E402

from cds_nlp.batch import ErrorRow  # noqa: E402
from cds_nlp.distributed import folder_bag, parse_bag, to_json_lines, worker_pipeline  # noqa: E402
from cds_nlp.document import Document  # noqa: E402

TEXTS = [
    "UBND tỉnh Lào Cai triển khai Đề án 06.",
    "Sở Thông tin và Truyền thông Hà Nội tổ chức hội nghị.",
    "Tỉnh Bình Phước còn chậm số hóa hồ sơ.",
    "Đà Nẵng dẫn đầu chỉ số chuyển đổi số.",
]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=40)
    with cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


def _pipeline_loads() -> tuple[int, int]:
    return os.getpid(), worker_pipeline.cache_info().misses


def test_bag_of_texts_keeps_order_and_errors(client):
    items = [{"id": f"d{i}", "text": TEXTS[i % 4] + f" Bài {i}."} for i in range(10)]
    items[5] = {"id": "d5", "text": None}
    rows = parse_bag(db.from_sequence(items, npartitions=4)).compute()
    assert [r.id for r in rows] == [f"d{i}" for i in range(10)]
    assert [type(r).__name__ for r in rows].count("ErrorRow") == 1 and isinstance(rows[5], ErrorRow)
    assert all(isinstance(r, Document) for i, r in enumerate(rows) if i != 5)
    assert rows[0].provinces[0].province.name == "Lào Cai"
    loads = client.run(_pipeline_loads)
    assert len({pid for pid, _ in loads.values()} | {os.getpid()}) == 3  # two worker processes, not this one
    assert all(misses <= 1 for _, misses in loads.values())  # each worker loaded the pipeline at most once
    assert sum(misses for _, misses in loads.values()) >= 1


def test_folder_to_jsonl_parts(client, tmp_path: Path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for i, text in enumerate(TEXTS):
        (crawl / f"{i}.txt").write_text(text, encoding="utf-8")
    (crawl / "bad.txt").write_bytes("Hà Nội".encode("utf-16"))
    to_json_lines(parse_bag(folder_bag(crawl, npartitions=2))).to_textfiles(str(tmp_path / "out" / "*.jsonl"))
    lines = [json.loads(line) for part in sorted((tmp_path / "out").glob("*.jsonl"))
             for line in part.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in lines] == ["0.txt", "1.txt", "2.txt", "3.txt", "bad.txt"]
    assert lines[-1]["error"] == "DecodeError"
