// The local record's sync state machine: a save, HQ's answer, a pulled change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { onSave, onPushResult, onPulled, extendLineage, LINEAGE_KEPT } from "../../../www/src/app/record-state.js";

const NOW = "2026-12-02T10:00:00.000Z";
const entry = (revision, record = { n: revision }) => ({ id: "v", kind: "visit", record, revision });
const change = (revision, extra = {}) => ({ kind: "visit", id: "v", revision, sha256: "h", record: { n: revision }, ...extra });

test("a first save queues a new record with no base", () => {
  const { stored, replaced, change: c } = onSave(undefined, entry("r1"), change("r1"), [], { now: NOW });
  assert.equal(stored.state, "pending");
  assert.deepEqual(replaced, []);
  assert.equal("baseRevision" in c, false);
});

test("a save replaces the unsent entry it supersedes and keeps that entry's base", () => {
  const current = { ...entry("r2"), syncedRevision: "r1", state: "pending" };
  const queued = [{ seq: 7, sent: false, change: change("r2", { baseRevision: "r1" }) }];
  const { replaced, change: c } = onSave(current, entry("r3"), change("r3"), queued, { now: NOW });
  assert.deepEqual(replaced, [7]);
  assert.equal(c.baseRevision, "r1", "HQ never sees the intermediate draft");
});

test("an entry already sent stays queued: HQ may have it even if its answer was lost", () => {
  const current = { ...entry("r2"), syncedRevision: "r1" };
  const queued = [{ seq: 7, sent: true, change: change("r2", { baseRevision: "r1" }) }];
  const { replaced, change: c } = onSave(current, entry("r3"), change("r3"), queued, { now: NOW });
  assert.deepEqual(replaced, []);
  assert.equal(c.baseRevision, "r2");
});

test("an editor's copy older than HQ's pulled version keeps HQ's beside the edit", () => {
  const current = { ...entry("hq2"), syncedRevision: "hq2", state: "synced" };
  const { stored, change: c } = onSave(current, entry("r3"), change("r3"), [], { basedOn: "r1", now: NOW });
  assert.equal(c.baseRevision, "r1", "judged by HQ against what the editor started from: a conflict");
  assert.deepEqual(stored.remote, { revision: "hq2", record: { n: "hq2" }, at: NOW });
});

test("keeping this device's version over HQ's supersedes every unsent entry and settles the conflict", () => {
  const current = { ...entry("r3"), state: "conflict", remote: { revision: "hq2" }, currentRevision: "hq2" };
  const queued = [{ seq: 1, sent: false, change: change("r3", { baseRevision: "r1" }) }];
  const { stored, replaced, change: c } = onSave(current, entry("r4"), change("r4", { baseRevision: "hq2" }), queued, { now: NOW });
  assert.deepEqual(replaced, [1]);
  assert.equal(c.baseRevision, "hq2");
  assert.equal(stored.remote, undefined);
  assert.equal(stored.currentRevision, undefined);
});

test("HQ's answers: accepted, rejected, conflict; a record saved again since keeps its newer state", () => {
  const local = { ...entry("r2"), state: "pending", lineage: ["r1"] };
  const ok = onPushResult(local, change("r2"), { status: "accepted" });
  assert.equal(ok.counted, "pushed");
  assert.equal(ok.stored.state, "synced");
  assert.deepEqual(ok.stored.lineage, ["r1", "r2"]);
  const no = onPushResult(local, change("r2"), { status: "rejected", problems: [{ code: "REQUIRED" }], reason: "x" });
  assert.deepEqual([no.counted, no.stored.state, no.stored.problems.length], ["rejected", "rejected", 1]);
  const clash = onPushResult(local, change("r2"), { status: "conflict", currentRevision: "hq9" });
  assert.deepEqual([clash.counted, clash.stored.state, clash.stored.currentRevision], ["conflicts", "conflict", "hq9"]);
  const newer = { ...entry("r3"), state: "pending" };
  const later = onPushResult(newer, change("r2"), { status: "accepted" });
  assert.equal(later.stored.state, "pending", "the newer save is still to send");
  assert.equal(later.stored.syncedRevision, "r2");
  assert.equal(local.state, "pending", "inputs are not changed");
});

test("a pulled change: new records are stored; local work is never overwritten; own revisions are not news", () => {
  const hq = { id: "v", kind: "visit", revision: "hq2", record: { n: "hq2" } };
  const fresh = onPulled(undefined, 0, hq, NOW);
  assert.deepEqual([fresh.pulled, fresh.stored.state, fresh.stored.fromHq], [true, "synced", true]);
  const pending = { ...entry("r3"), state: "pending" };
  const kept = onPulled(pending, 1, hq, NOW);
  assert.equal(kept.pulled, false);
  assert.deepEqual(kept.stored.record, { n: "r3" }, "the officer's work stays");
  assert.equal(kept.stored.remote.revision, "hq2", "HQ's version beside it");
  const mine = onPulled({ ...entry("r4"), lineage: ["hq2"] }, 0, hq, NOW);
  assert.deepEqual(mine, { stored: null, pulled: false });
  const same = onPulled({ ...entry("hq2"), state: "pending" }, 0, hq, NOW);
  assert.equal(same.stored.state, "synced");
});

test("the lineage is bounded and ends with the newest revision", () => {
  let l;
  for (let i = 0; i < LINEAGE_KEPT + 10; i++) l = extendLineage(l, `r${i}`);
  assert.equal(l.length, LINEAGE_KEPT);
  assert.equal(l.at(-1), `r${LINEAGE_KEPT + 9}`);
  assert.deepEqual(extendLineage(["a", "b"], "a"), ["b", "a"]);
});
