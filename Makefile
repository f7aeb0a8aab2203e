# Two commands for a new user: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: demo test fuzz install install-dev bench clean bytecode

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[demo]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]" --config-settings editable_mode=compat  # a path in a .pth: mypy finds the package
	touch $(VENV)/.installed $@

install: $(VENV)/.installed bytecode
install-dev: $(VENV)/.installed-dev bytecode

# the package's bytecode, as pip writes it for a non-editable install: without it, a process on a
# machine that sets PYTHONDONTWRITEBYTECODE compiles ~0.5 MB of modules on every run (~0.06 s)
bytecode:
	@$(PY) -m compileall -q datacheck >/dev/null

demo: $(VENV)/.installed bytecode
	MPLBACKEND=Agg $(PY) examples/adult_demo.py --out out
	MPLBACKEND=Agg $(PY) examples/adult_audit.py --out out

test: $(VENV)/.installed-dev bytecode
	$(PY) -m ruff check datacheck tests benchmarks examples
	$(PY) -m ruff format --check datacheck tests benchmarks examples
	$(PY) -m mypy datacheck
	MPLBACKEND=Agg $(PY) -m pytest -n 2 -q --doctest-modules datacheck tests

# the fuzzer's long profile (10,000+ generated cases over every check and source); figures to fuzz-figures.json
fuzz: $(VENV)/.installed-dev
	DATACHECK_FUZZ=long DATACHECK_FUZZ_EXAMPLES=10400 MPLBACKEND=Agg $(PY) -m pytest -q -p no:xdist tests/test_fuzz.py

bench: $(VENV)/.installed-dev
	$(PY) benchmarks/bench_core.py

clean:
	rm -rf $(VENV) out .pytest_cache
