#!/usr/bin/env python3
"""Hand-written mutants: small, realistic bugs planted one at a time in the code
that keeps the product's promises (the app's save and sync, HQ's store and write
rules, the decoder, the summaries, the rulebook), each run against the test meant
to catch it. A mutant that survives is a promise no test holds.

Not part of `make test` (minutes, not seconds): `make mutants` runs it. Every file
is restored after its mutant, also when the run is interrupted.

    scripts/mutants.py            all of them
    scripts/mutants.py WORD…      those whose name contains one of the words
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def app(file, pattern=None):
    """An end-to-end test of the officer's app (the site is rebuilt with the mutant first)."""
    args = ["node", "--test", "--test-concurrency=1"] + (["--test-name-pattern", pattern] if pattern else []) + [f"app/{file}"]
    return [["scripts/build-site.sh"], {"cwd": "tests/js", "args": args}]


def http(name):
    return [["cargo", "test", "-q", "-p", "xuncha-hq", "--test", "http", name]]


def unit(name):
    """A unit test of HQ (its binary crate)."""
    return [["cargo", "test", "-q", "-p", "xuncha-hq", "--bin", "xuncha-hq", name]]


def native(test):
    return [["cargo", "test", "-q", "--test", test]]


# (name, file, the text as it is — found exactly once, the mutant, the test that should fail)
MUTANTS = [
    ("save-relaxed", "www/src/app/db.js",
     '"readwrite", STRICT);\n  const records = tx.objectStore("records");',
     '"readwrite", { durability: "relaxed" });\n  const records = tx.objectStore("records");',
     app("durability.test.mjs")),
    ("pull-over-queued", "www/src/app/record-state.js",
     'const unsettled = queued > 0 || local?.state === "conflict"',
     'const unsettled = local?.state === "conflict"',
     app("faults.test.mjs", "pull arriving while")),
    ("import-overwrites", "www/src/app/db.js",
     'if (!mine || (mine.updatedAt ?? "") < (r.updatedAt ?? "")) {',
     "if (true) {",
     app("settings.test.mjs", "older backup")),
    ("pull-under-editor-lost", "www/src/app/record-state.js",
     "remote: overHq ? undefined : (current?.remote ?? hqUnderEditor),",
     "remote: overHq ? undefined : current?.remote,",
     app("faults.test.mjs", "pull under an open editor")),
    ("stats-all-bureaus", "hq/src/store/mod.rs",
     '"SELECT COUNT(*) FROM conflicts WHERE bureau_id = ?1"',
     '"SELECT COUNT(*) FROM conflicts WHERE ?1 = ?1"',
     http("bureaus_see_only_their_own")),
    ("photo-held-anywhere", "hq/src/store/records.rs",
     '"SELECT sha256 FROM attachments WHERE bureau_id = ?1 AND"',
     '"SELECT sha256 FROM attachments WHERE ?1 = ?1 AND"',
     http("bureaus_see_only_their_own")),
    ("kind-may-change", "hq/src/store/authorise.rs",
     "if !ours(h) || h.kind != claims.kind {",
     "if !ours(h) {",
     # Over HTTP two more layers refuse it (an officer is on no follow-up; the upsert
     # keeps a record's kind), so the table of authorise itself must catch it.
     unit("the_who_may_write_table") + http("writes_are_judged_against_what_hq_holds")),
    ("colleague-takes-draft", "hq/src/store/authorise.rs",
     "if !named || held.is_some_and(|h| !on(h)) {",
     "if !named {",
     unit("the_who_may_write_table") + http("writes_are_judged_against_what_hq_holds")),
    ("lift-period", "src/rules/rulebook.json",
     '"rectifyDays": 7,', '"rectifyDays": 8,',
     native("golden")),
    ("few-repairs", "src/decode.rs",
     "const MAX_REPAIRS: usize = 64;", "const MAX_REPAIRS: usize = 2;",
     native("bounds")),
    ("last-day-draft-batch", "src/summary/mod.rs",
     "d >= b.period.from && d <= b.period.to", "d >= b.period.from && d < b.period.to",
     native("summary")),
    ("last-day-draft-live", "src/summary/mod.rs",
     "d >= self.period.from && d <= self.period.to", "d >= self.period.from && d < self.period.to",
     native("summary")),
]


def run(step):
    if isinstance(step, dict):
        cwd = os.path.join(ROOT, step["cwd"])
        env = dict(os.environ, SITE_DIR=os.path.join(ROOT, "target/site"), ARTIFACTS=os.path.join(ROOT, "tests/artifacts"))
        return subprocess.run(step["args"], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    return subprocess.run(step, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def main(words):
    os.environ.setdefault("XUNCHA_LOG", "warn")
    chosen = [m for m in MUTANTS if not words or any(w in m[0] for w in words)]
    for name, file, before, _after, _test in chosen:
        count = open(os.path.join(ROOT, file), encoding="utf-8").read().count(before)
        if count != 1:
            sys.exit(f"?? {name}: the text to mutate is in {file} {count} times, not once: update the list")
    subprocess.run(["cargo", "build", "-q", "-p", "xuncha-hq"], cwd=ROOT, check=True)
    survived = []
    for name, file, before, after, test in chosen:
        path = os.path.join(ROOT, file)
        original = open(path, encoding="utf-8").read()
        try:
            open(path, "w", encoding="utf-8").write(original.replace(before, after, 1))
            passed = all(run(step) for step in test)
        finally:
            open(path, "w", encoding="utf-8").write(original)
        print(("SURVIVED  " if passed else "killed    ") + f"{name} ({file})", flush=True)
        if passed:
            survived.append(name)
    run(["scripts/build-site.sh"])  # the site as built from the real sources
    print(f"mutants: {len(chosen) - len(survived)} killed, {len(survived)} survived")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
