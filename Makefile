# The course's commands. `make lab` (learners) and `make test` (everything) set up .venv themselves.
include learner.mk
ASSIGNMENT ?=
STUDENT ?=
DUE ?=
# The course's JupyterHub (docs/hub.md): its folder, port and instructor account.
HUB_HOME ?= /srv/ml-for-cx-hub
HUB_PORT ?= 8000
HUB_INSTRUCTOR ?= instructor
USERS ?=
HUBCTL = $(BIN)/python hub/hubctl.py --home "$(HUB_HOME)"

.PHONY: test test-hub lint release grade due feedback formgrader submit clean-grading bench \
	hub hub-users hub-remove-users learner-edition

test: $(INSTALLED)  ## run every test: lint, package, notebooks, grading, browser, then test-hub
	$(BIN)/ruff check course tests benchmarks hub edition nbgrader_config.py
	$(BIN)/python -m pytest -n 2 --durations=15 -m "not hub"
	$(MAKE) --no-print-directory test-hub

test-hub: $(INSTALLED)  ## the cohort on a throw-away JupyterHub: browser round, isolation, load (root)
	$(BIN)/python -m pytest -m hub --durations=10

lint: $(INSTALLED)  ## ruff over the code
	$(BIN)/ruff check course tests benchmarks hub edition nbgrader_config.py

bench: $(INSTALLED)  ## time the notebooks and the world generator (benchmarks/run.py --help for more)
	$(BIN)/python benchmarks/run.py $(ARGS)

release: $(INSTALLED)  ## instructor: regenerate release/ from source/
	$(BIN)/python -m course.instructor release $(ASSIGNMENT)

submit: $(INSTALLED)  ## STUDENT=name [ASSIGNMENT=part]: submit the notebooks you started, timestamped
	$(BIN)/python -m course.instructor submit --student "$(STUDENT)" \
		$(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)")

grade: $(INSTALLED)  ## instructor [ASSIGNMENT= STUDENT= ARGS=]: autograde submitted/, feedback, grades.csv
	$(BIN)/python -m course.instructor grade $(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)") \
		$(if $(STUDENT),--student "$(STUDENT)") $(ARGS)

due: $(INSTALLED)  ## instructor ASSIGNMENT= DUE="2027-01-15 17:00:00 UTC": due date (late penalty)
	$(BIN)/python -m course.instructor due "$(ASSIGNMENT)" "$(DUE)"

feedback: $(INSTALLED)  ## instructor [ASSIGNMENT= STUDENT=]: feedback/ again from the gradebook, no re-run
	$(BIN)/python -m course.instructor feedback $(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)") \
		$(if $(STUDENT),--student "$(STUDENT)") $(ARGS)

formgrader: $(INSTALLED)  ## instructor: JupyterLab at the course root with nbgrader's formgrader
	mkdir -p .exchange
	@echo "formgrader: Nbgrader > Formgrader in JupyterLab, or http://127.0.0.1:$(PORT)/formgrader"
	JUPYTER_CONFIG_PATH="$(CURDIR)/config/instructor" exec $(BIN)/jupyter lab \
		--ip 127.0.0.1 --port $(PORT) --allow-root --ServerApp.root_dir=. \
		--ServerApp.open_browser=$${OPEN_BROWSER:-True}

hub: $(INSTALLED)  ## root: set up and run the cohort's JupyterHub on 127.0.0.1 (HUB_PORT=8000; docs/hub.md)
	$(HUBCTL) setup --port $(HUB_PORT) --instructor "$(HUB_INSTRUCTOR)"
	exec $(HUBCTL) start

hub-users: $(INSTALLED)  ## root, USERS="ana ben": learner accounts for the hub (prints passwords)
	$(HUBCTL) users $(USERS)

hub-remove-users: $(INSTALLED)  ## root, USERS="ana ben": delete the hub's accounts and their homes
	$(HUBCTL) remove-users $(USERS)

learner-edition: $(INSTALLED)  ## dist/: the learners' course without source/, hidden tests or solutions
	$(BIN)/python -m course.edition dist
