PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test models teacher bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## Parse the five seed documents: per-document summary on stdout, Documents in out/seeds.jsonl
demo: $(STAMP)
	$(BIN)/cds-nlp parse seeds -o out/seeds.jsonl --summary

## Run the test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## Rebuild the shipped models from ../shared/corpus and print their metrics
models: $(STAMP)
	$(BIN)/python -m cds_nlp.training.build_models

## Remake the teacher's soft labels (seeds/labels/extra_soft.jsonl) the sentence classifier distils from
teacher: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[teacher]'
	$(BIN)/python -m cds_nlp.training.teacher

## Accuracy and speed against baselines (needs ../shared); see BENCHMARKS.md. Long ones: bench/archive.py, bench/finetune.py, bench/distillation.py
bench: $(STAMP)
	$(BIN)/python bench/segmentation.py
	$(BIN)/python bench/sentences.py
	$(BIN)/python bench/ner.py
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/figures.py
	$(BIN)/python bench/sentence_classifiers.py

clean:
	rm -rf $(VENV) out build dist
