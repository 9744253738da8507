# The two commands of the README: `make run` and `make test`.
.PHONY: run test build setup size bench mutants

run:
	scripts/run.sh

test:
	scripts/test.sh

build:
	scripts/build-wasm.sh

setup:
	scripts/setup.sh

# Compare opt-level s / z / 3 for the wasm size (writes the table to stdout).
size:
	scripts/measure-size.sh

# Benchmarks of summaries on a generated bureau-year (figures, not pass/fail).
bench:
	scripts/bench.sh $(VISITS)

# Hand-written mutants against the tests meant to catch them (minutes; not in CI).
mutants:
	scripts/mutants.py
