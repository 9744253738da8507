// The visit being edited, apart from its view: dirty flag, saves in turn, the base revision.
import { test } from "node:test";
import assert from "node:assert/strict";
import { VisitDraft } from "../../../www/src/app/visit-store.js";

/** Records that keep what is saved, and can be told to fail or to be slow. */
function fakeRecords() {
  const saves = [];
  let n = 0;
  return {
    saves,
    fail: false,
    delay: 0,
    async saveVisit(visit, _blobs, { basedOn }) {
      const copy = JSON.parse(JSON.stringify(visit));
      if (this.delay) await new Promise((r) => setTimeout(r, this.delay));
      if (this.fail) throw new Error("quota");
      const revision = `r${++n}`;
      saves.push({ visit: copy, basedOn, revision });
      return { id: visit.id, revision };
    },
  };
}

test("nothing typed, nothing written; something typed, one save based on the loaded revision", async () => {
  const records = fakeRecords();
  const draft = new VisitDraft(records, { id: "v", notes: "a" }, "r0");
  assert.equal(await draft.save(), "clean");
  draft.visit.notes = "b";
  draft.touch();
  assert.equal(await draft.save(), "saved");
  assert.deepEqual(records.saves.map((s) => [s.basedOn, s.visit.notes]), [["r0", "b"]]);
  assert.equal(await draft.save(), "clean", "saved once, not again");
});

test("overlapping saves run in turn, each based on the one before", async () => {
  const records = fakeRecords();
  records.delay = 20;
  const draft = new VisitDraft(records, { id: "v" }, undefined);
  draft.touch();
  const autosave = draft.save();
  await new Promise((r) => setTimeout(r, 5)); // the autosave has taken its copy and is writing
  draft.visit.notes = "typed during the autosave";
  draft.touch();
  const tap = draft.save();
  assert.deepEqual(await Promise.all([autosave, tap]), ["saved", "saved"]);
  assert.deepEqual(records.saves.map((s) => [s.basedOn, s.revision]), [[undefined, "r1"], ["r1", "r2"]]);
  assert.equal(records.saves[1].visit.notes, "typed during the autosave");
});

test("a failed save stays dirty and the next one retries it; saveAs writes the core's record", async () => {
  const records = fakeRecords();
  const draft = new VisitDraft(records, { id: "v" }, "r0");
  draft.touch();
  records.fail = true;
  await assert.rejects(draft.save(), /quota/);
  assert.equal(draft.dirty, true);
  records.fail = false;
  assert.equal(await draft.save(), "saved");
  await draft.saveAs({ id: "v", status: "finalised" });
  assert.deepEqual(records.saves.map((s) => [s.basedOn, s.visit.status]), [["r0", undefined], ["r1", "finalised"]]);
});
