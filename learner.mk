# The learners' commands, shared by the course's Makefile and the learner edition's.
# `make lab` sets up .venv from requirements.txt by itself.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# nbgrader runs `alembic` by name: the venv's tools come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)
# The course folder is this one, also when `course` is installed elsewhere (a hub's .venv).
export COURSE_ROOT := $(CURDIR)
PORT ?= 8888
NOTEBOOK ?=

.PHONY: help venv lab progress refresh

help:  ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(INSTALLED): requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

venv: $(INSTALLED)  ## create .venv from requirements.txt (done by every other command)

lab: $(INSTALLED)  ## open the course in JupyterLab on 127.0.0.1 (your workspace/ copy)
	$(BIN)/python -m course.workspace sync
	cd workspace && JUPYTER_CONFIG_PATH="$(CURDIR)/config/learner" exec ../$(BIN)/jupyter lab \
		--ip 127.0.0.1 --port $(PORT) --allow-root \
		--ServerApp.root_dir=. --ServerApp.open_browser=$${OPEN_BROWSER:-True}

progress: $(INSTALLED)  ## show which exercises of your workspace pass their visible checks
	$(BIN)/python -m course.progress workspace

refresh: $(INSTALLED)  ## NOTEBOOK=part1_understanding/01_x.ipynb: take the newer notebook, keep your answers
	$(BIN)/python -m course.workspace refresh $(NOTEBOOK)
