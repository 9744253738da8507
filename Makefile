# The two commands of the README: `make run` and `make test`.
.PHONY: run demo test build setup size bench mutants mutants-cargo

run:
	scripts/run.sh

# The same, on a demo bureau (hq-demo/): every screen filled in, the accounts printed.
demo:
	DEMO=1 scripts/run.sh

test:
	scripts/test.sh

build:
	scripts/build-wasm.sh

setup:
	scripts/setup.sh

# The tablet wasm built five ways (opt-level, build-std, panics, inlining): a table on stdout.
size:
	scripts/measure-size.sh

# Benchmarks of summaries on a generated bureau-year (figures, not pass/fail).
bench:
	scripts/bench.sh $(VISITS)

# Hand-written mutants against the tests meant to catch them (minutes; not in CI).
mutants:
	scripts/mutants.py

# cargo-mutants over the write rules (HQ's authorise, against its table), the sync
# judgement (against tests/sync.rs) and validation's entry points (against
# tests/bounds.rs and tests/validation.rs), bounded to those files and tests
# (minutes each; not in CI). Installs the pinned tool on first use.
CARGO_MUTANTS_VERSION = 27.1.0
mutants-cargo:
	cargo mutants --version 2>/dev/null | grep -qF "$(CARGO_MUTANTS_VERSION)" || cargo install cargo-mutants --locked --version $(CARGO_MUTANTS_VERSION)
	cargo mutants --in-place --no-shuffle -p xuncha-hq -f hq/src/store/authorise.rs --timeout 300 -- --bin xuncha-hq
	cargo mutants --in-place --no-shuffle -p xuncha -f src/sync/mod.rs --timeout 300 -- --test sync
	cargo mutants --in-place --no-shuffle -p xuncha -f src/validate.rs --timeout 300 -- --test bounds --test validation
