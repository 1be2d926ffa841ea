"""One training loop for every trainable component: minibatches, dropout, early stopping on dev.

The pattern of spaCy's own `spacy.training.loop`, kept small so that
fine-tuning from Python and `make models` share it and a seed makes runs repeatable.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from spacy.language import Language
from spacy.training import Example
from spacy.util import compounding, fix_random_seed, minibatch


@dataclass
class TrainingResult:
    best_score: float
    best_epoch: int
    epochs_run: int
    seconds: float
    history: list[dict[str, float]] = field(default_factory=list)


def train_pipe(
    nlp: Language,
    pipe_name: str,
    examples: Sequence[Example],
    score_dev: Callable[[], float],
    *,
    max_epochs: int = 30,
    patience: int = 5,
    dropout: float = 0.2,
    seed: int = 13,
    resume: bool = False,
    log: TextIO | None = sys.stderr,
    learn_rate: float | None = None,
) -> TrainingResult:
    """Train `pipe_name` (others frozen); keep the weights of the best dev epoch."""
    fix_random_seed(seed)
    rng = random.Random(seed)
    pipe = nlp.get_pipe(pipe_name)
    if not resume:
        pipe.initialize(lambda: examples, nlp=nlp)
    optimizer = nlp.create_optimizer()
    if learn_rate is not None:
        optimizer.learn_rate = learn_rate
    others = [name for name in nlp.pipe_names if name != pipe_name]
    best_score, best_epoch, best_bytes = -1.0, 0, pipe.to_bytes()
    history: list[dict[str, float]] = []
    started = time.perf_counter()
    epoch = 0
    for epoch in range(1, max_epochs + 1):
        shuffled = list(examples)
        rng.shuffle(shuffled)
        losses: dict[str, float] = {}
        with nlp.select_pipes(disable=others):
            for batch in minibatch(shuffled, size=compounding(4.0, 32.0, 1.001)):
                nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
        score = score_dev()
        history.append({"epoch": epoch, "loss": round(losses.get(pipe_name, 0.0), 3), "dev": round(score, 4)})
        if log:
            marker = " *" if score > best_score else ""
            print(f"  [{pipe_name}] epoch {epoch:>2}  loss {losses.get(pipe_name, 0.0):>10.2f}  dev {score:.4f}{marker}", file=log, flush=True)
        if score > best_score:
            best_score, best_epoch, best_bytes = score, epoch, pipe.to_bytes()
        elif epoch - best_epoch >= patience:
            break
    pipe.from_bytes(best_bytes)
    return TrainingResult(best_score, best_epoch, epoch, round(time.perf_counter() - started, 1), history)
