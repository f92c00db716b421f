# The two commands a newcomer needs: `make run` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CONFIG ?= config/factbot.toml
DATA   ?= ../shared/data

.PHONY: help install install-test run run-once test-slow check-config migrate test lint format typecheck demo model \
        eval-cases eval-statements eval-fnc1 eval-emergent audit audit-streams check-streams check-read-throughs bench bench-reader country-names clean

help:
	@echo "make run          run the bot with $(CONFIG) (creates .venv and installs first)"
	@echo "make test         ruff + the whole test suite (SQLite and PostgreSQL)"
	@echo "make demo         the bundled demo story on this machine, console alerts"
	@echo "make run-once     one cycle: poll every feed, detect, deliver, exit"
	@echo "make check-config / migrate / lint / format / typecheck / model / eval-* / audit / audit-streams / check-streams / check-read-throughs / bench / country-names / clean"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes (the stamp files record the last install).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/factbot run --config $(CONFIG)

run-once: install
	$(BIN)/factbot run --once --config $(CONFIG)

check-config: install
	$(BIN)/factbot check-config --config $(CONFIG)

migrate: install
	$(BIN)/factbot migrate --config $(CONFIG)

test: install-test lint
	$(BIN)/pytest -q -m "not slow"

# The slow evaluations (stance model on the full sets) that make test leaves out.
test-slow: install-test
	$(BIN)/pytest -q -m slow

lint: install-test
	$(BIN)/ruff check bot evals tests benchmarks scripts training
	$(BIN)/ruff format --check bot evals tests benchmarks scripts training

format: install-test
	$(BIN)/ruff check --fix bot evals tests benchmarks scripts training
	$(BIN)/ruff format bot evals tests benchmarks scripts training

typecheck: install-test
	$(BIN)/mypy

demo: install
	$(BIN)/factbot demo

# The learned parts, trained from data named in training/data/README.md (seeds fixed): first the
# stance model (one of the detector's features), then the detector's decision on top of it, then
# the wording model (the second opinion an alert needs).
# ABP: a checkout of github.com/ramybaly/Article-Bias-Prediction; its 2016-01 .. 2018-03 headlines
# are unlabelled background for the detector and, read through by hand, labelled rows for the
# wording model; its 2012-15 headlines, read through too, are labelled rows for the wording model
# only (the shipped models used them; without ABP they train without).
# HUFFPOST: the files of the HuffPost News Category Dataset parts named in training/data/README.md;
# their 2018 and 2020-21 headlines, read through by hand, are labelled rows for the wording model.
ABP ?=
HUFFPOST ?=
HUFFPOST_SPANS = --span 2018-02-01:2018-12-31 --span 2020-08-01:2021-10-31
# The three streams read through by hand, as `make model` and `make check-read-throughs` build them,
# and the `train_wording.py` argument naming each.
BUILD_ALLSIDES_TRAIN = $(BIN)/python scripts/build_headline_stream.py $(ABP) $(VENV)/allsides-train.jsonl --start 2016-01-01 --end 2018-03-31
BUILD_ALLSIDES_2012_15 = $(BIN)/python scripts/build_headline_stream.py $(ABP) $(VENV)/allsides-2012-15.jsonl --start 2012-01-01 --end 2015-12-31
BUILD_HUFFPOST_TRAIN = $(BIN)/python scripts/build_huffpost_stream.py $(VENV)/huffpost-train.jsonl $(HUFFPOST) $(HUFFPOST_SPANS)
READ_ALLSIDES_TRAIN = --read-through allsides-train=$(VENV)/allsides-train.jsonl
READ_ALLSIDES_2012_15 = --read-through allsides-2012-15=$(VENV)/allsides-2012-15.jsonl
READ_HUFFPOST_TRAIN = --read-through huffpost-train=$(VENV)/huffpost-train.jsonl
model: install
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python training/train_stance.py --data $(DATA)
	$(if $(ABP),$(BUILD_ALLSIDES_TRAIN))
	$(BIN)/python training/train_detector.py --data $(DATA) $(if $(ABP),--background-stream $(VENV)/allsides-train.jsonl)
	$(if $(ABP),$(BUILD_ALLSIDES_2012_15))
	$(if $(HUFFPOST),$(BUILD_HUFFPOST_TRAIN))
	$(BIN)/python training/train_wording.py --data $(DATA) \
		$(if $(ABP),$(READ_ALLSIDES_TRAIN)) $(if $(HUFFPOST),$(READ_HUFFPOST_TRAIN)) $(if $(ABP),$(READ_ALLSIDES_2012_15))



eval-cases: install
	$(BIN)/factbot eval cases --data $(DATA)/dev-cases

eval-statements: install
	$(BIN)/factbot eval statements --data tests/data/statement_probes
	$(BIN)/factbot eval statements --data tests/data/statement_probes_it_ru
	$(BIN)/factbot eval statements --data tests/data/statement_probes_sv_nl
	$(BIN)/factbot eval statements --data tests/data/statement_probes_pl_tr
	$(BIN)/factbot eval statements --data tests/data/statement_probes_ko_ar
	$(BIN)/factbot eval statements --data tests/data/statement_probes_ja_zh

eval-fnc1: install
	$(BIN)/factbot eval fnc1 --data $(DATA)/fnc1

eval-emergent: install
	$(BIN)/factbot eval emergent --data $(DATA)/emergent

# Over-firing check: every alert on 2,000 unseen FNC-1 articles (whole bodies, then feed-summary length).
audit: install
	$(BIN)/python scripts/audit_alerts.py -n 2000 --data $(DATA)
	$(BIN)/python scripts/audit_alerts.py -n 2000 --text-chars 400 --data $(DATA)

# Real streams the detector never trained on (audits/README.md): every alert listed, recall
# against our hand labels, precision from our judgments. ABP: a checkout of Article-Bias-Prediction.
audit-streams: install
	$(if $(ABP),,$(error set ABP=<checkout of github.com/ramybaly/Article-Bias-Prediction>))
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python scripts/build_headline_stream.py $(ABP) $(VENV)/allsides-audit.jsonl --start 2019-01-01 --end 2020-07-31
	$(BIN)/python scripts/audit_stream.py --items $(VENV)/allsides-audit.jsonl --labels audits/streams/allsides-audit-labels.jsonl --judgments audits/streams/allsides-audit-judgments.jsonl
	$(BIN)/python scripts/build_reuters_stream.py $(DATA) $(VENV)/reuters-audit.jsonl --lines 6000:10000
	$(BIN)/python scripts/audit_stream.py --items $(VENV)/reuters-audit.jsonl --labels /dev/null --judgments audits/streams/reuters-audit-judgments.jsonl
	$(if $(HUFFPOST),$(BIN)/python scripts/build_huffpost_stream.py $(VENV)/huffpost-audit.jsonl $(HUFFPOST) --span 2019-01-01:2020-07-31)
	$(if $(HUFFPOST),$(BIN)/python scripts/audit_stream.py --items $(VENV)/huffpost-audit.jsonl --labels audits/streams/huffpost-audit-labels.jsonl --judgments audits/streams/huffpost-audit-judgments.jsonl)

# Tuning-side checks on real streams no model trains on (labels in training/data/stream_links and
# training/data/stream_checks):
# use these, not the audits above, to choose between designs.
check-streams: install
	$(if $(ABP),,$(error set ABP=<checkout of github.com/ramybaly/Article-Bias-Prediction>))
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python scripts/build_headline_stream.py $(ABP) $(VENV)/allsides-2018.jsonl --start 2018-04-01 --end 2018-09-30
	$(BIN)/python scripts/audit_stream.py --items $(VENV)/allsides-2018.jsonl --link-labels training/data/stream_links/allsides-dev2018.jsonl
	$(BIN)/python scripts/audit_stream.py --items $(VENV)/allsides-2018.jsonl --labels training/data/stream_checks/allsides-2018-full.jsonl
	$(BIN)/python scripts/build_headline_stream.py $(ABP) $(VENV)/allsides-2018q4.jsonl --start 2018-10-01 --end 2018-12-31
	$(BIN)/python scripts/audit_stream.py --items $(VENV)/allsides-2018q4.jsonl --labels training/data/stream_checks/allsides-2018q4-full.jsonl

# Tuning-side checks on the streams read through for training that the detector never trains on
# (2012-15 and HuffPost): each is replayed with a wording model trained without it, since the
# shipped one has learned its labels. Needs ABP and HUFFPOST as for `make model`.
check-read-throughs: install
	$(if $(and $(ABP),$(HUFFPOST)),,$(error set ABP=<checkout> and HUFFPOST="<v2 file> <v3 file>", as for make model))
	$(BIN)/pip install --quiet -e '.[train]'
	$(BUILD_ALLSIDES_TRAIN)
	$(BUILD_ALLSIDES_2012_15)
	$(BUILD_HUFFPOST_TRAIN)
	$(BIN)/python training/train_wording.py --data $(DATA) --out $(VENV)/wording-without-2012-15.npz \
		$(READ_ALLSIDES_TRAIN) $(READ_HUFFPOST_TRAIN)
	$(BIN)/python scripts/audit_stream.py --items $(VENV)/allsides-2012-15.jsonl --labels training/data/stream_reads/allsides-2012-15.jsonl \
		--wording-model $(VENV)/wording-without-2012-15.npz
	$(BIN)/python training/train_wording.py --data $(DATA) --out $(VENV)/wording-without-huffpost.npz \
		$(READ_ALLSIDES_TRAIN) $(READ_ALLSIDES_2012_15)
	$(BIN)/python scripts/audit_stream.py --items $(VENV)/huffpost-train.jsonl --labels training/data/stream_reads/huffpost-train.jsonl \
		--wording-model $(VENV)/wording-without-huffpost.npz

bench: install
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/detect.py
	$(BIN)/python benchmarks/gazetteer.py
	$(BIN)/python benchmarks/stance.py

# Country and capital names in 17 languages from CLDR (babel), into bot/detect/data/country_names.json.
country-names: install
	$(BIN)/pip install --quiet -e '.[data]'
	$(BIN)/python scripts/gen_country_names.py

# factbot against lemon24/reader, whole processes on the same 500 local feeds (reader: the 'bench' extra).
bench-reader: install
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/vs_reader.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
