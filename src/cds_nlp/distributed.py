"""The same parse on a Dask cluster, for archives that outgrow one machine.

Dask does the scheduling, retries and data movement; this module only says what
a partition of articles turns into. Every worker process loads the pipeline once
(`worker_pipeline`, cached per process) and parses its partitions with
`Pipeline.parse_many(errors="return")`, so a bad article is an `ErrorRow` in
its place, never a failed task. Needs the `archive` extra: `pip install "cds-nlp[archive]"`.

>>> from dask.distributed import Client, LocalCluster
>>> import dask.bag as db
>>> client = Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=True))
>>> rows = parse_bag(db.from_sequence(["UBND tỉnh Lào Cai họp."], npartitions=1)).compute()
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

from .batch import Article, Row, txt_files, parse_articles, read_file
from .tokenizer import DEFAULT_MAX_CHARS

if TYPE_CHECKING:
    import dask.bag

    from .pipeline import Pipeline


def _require_dask() -> None:
    try:
        import dask.bag  # noqa: F401
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError('cds_nlp.distributed needs Dask: pip install "cds-nlp[archive]"') from error


@lru_cache(maxsize=4)
def worker_pipeline(model: Optional[str] = None, max_chars: int = DEFAULT_MAX_CHARS) -> "Pipeline":
    """The pipeline of this process, loaded on its first partition and reused for every later one."""
    import warnings

    from .pipeline import load

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the no-model warning would repeat once per worker
        return load(model, max_chars=max_chars)


def parse_partition(items: Iterable[Article | str | dict[str, Any]], *, model: Optional[str] = None,
                    max_chars: int = DEFAULT_MAX_CHARS, batch_size: int = 32) -> list[Row]:
    """One row per item, in order: a `Document` or an `ErrorRow`. Runs on a worker."""
    pipeline = worker_pipeline(model, max_chars)
    return list(parse_articles(pipeline, items, batch_size=batch_size, n_process=1))


def parse_bag(bag: "dask.bag.Bag", *, model: Optional[str | Path] = None, max_chars: int = DEFAULT_MAX_CHARS,
              batch_size: int = 32) -> "dask.bag.Bag":
    """A bag of rows from a bag of texts, dicts (`text`, `id`, `source`, `published`) or `Article`s.

    Partitions keep their order and every item gives one row, so
    `parse_bag(b).compute()` lines up with `b.compute()`.
    """
    _require_dask()
    return bag.map_partitions(parse_partition, model=None if model is None else str(model),
                              max_chars=max_chars, batch_size=batch_size)


def folder_bag(folder: str | Path, *, npartitions: Optional[int] = None,
               max_chars: int = DEFAULT_MAX_CHARS) -> "dask.bag.Bag":
    """`.txt` files below `folder` as a bag of `Article`s, read on the workers (the folder must be shared).

    Only the relative paths travel through the scheduler; ids are those of `cds-nlp parse FOLDER`.
    """
    _require_dask()
    import dask.bag as db

    root = Path(folder)
    names = [path.relative_to(root).as_posix() for path in txt_files(root)]
    partitions = npartitions or max(1, min(1000, len(names) // 200))
    return db.from_sequence(names, npartitions=partitions).map(_read_one, root=str(root), max_chars=max_chars)


def _read_one(name: str, *, root: str, max_chars: int) -> Article:
    return read_file(Path(root) / name, name, max_chars=max_chars)


def to_json_lines(rows: "dask.bag.Bag") -> "dask.bag.Bag":
    """Rows as JSONL lines, the format of `cds-nlp parse -o OUT.jsonl`: `to_json_lines(rows).to_textfiles("out/*.jsonl")`."""
    return rows.map(_json_line)


def _json_line(row: Row) -> str:
    return row.model_dump_json()
