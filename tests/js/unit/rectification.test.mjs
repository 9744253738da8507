// Re-inspecting a visit's findings (复查): the record the officer's choices
// make, checked and counted by the release core as the tablet runs it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import core from "./core.mjs";
import { rectificationDeadlines, recheckRecord, latestOutcomes, findingKey } from "../../../www/src/app/rectification.js";

const visit = JSON.parse(readFileSync(new URL("../../fixtures/visit_complete.json", import.meta.url), "utf8"));
// A scale beyond its maximum permissible error: a violation ordered corrected.
visit.instrumentChecks[0].weighings[0].readingG = 10015;
const FRESH = { id: "01900000-0000-7000-8000-000300000001", visitId: visit.id, schemaVersion: core.schemaVersion() };

test("the visit's rectification deadlines are waiting until a re-inspection finds them rectified", () => {
  const before = core.evaluateVisit(visit, { asOf: "2026-03-11" });
  const { waiting, met } = rectificationDeadlines(before);
  assert.ok(waiting.length >= 1, "the scale is to be put right");
  assert.equal(met.length, 0);
  const d = waiting[0];
  const record = recheckRecord({ ...FRESH, checkedOn: "2026-03-12" }, [
    { code: d.code, path: d.path, outcome: "rectified", note: " 已更换合格电子秤 " },
    // Left unanswered: not part of the record.
    { code: "OTHER.RULE", path: "/priceChecks/9" },
  ]);
  assert.deepEqual(record.items, [{ findingCode: d.code, path: d.path, outcome: "rectified", note: "已更换合格电子秤" }]);
  assert.equal(core.validateRectification(record, { now: "2026-03-12T12:00:00+08:00" }).ok, true);
  const after = core.evaluateVisit(visit, { asOf: "2026-03-20", rectifications: core.rectificationsOf([record]) });
  const closed = after.deadlines.find((x) => x.kind === "rectification" && x.code === d.code && x.path === d.path);
  assert.equal(closed?.status, "metOnTime");
  assert.equal(closed?.doneOn, "2026-03-12");
  assert.equal(rectificationDeadlines(after).waiting.length, waiting.length - 1);
});

test("a photo is listed once among the record's attachments; the core refuses a record with nothing answered", () => {
  const photo = { sha256: "ab".repeat(32), mediaType: "image/jpeg", sizeBytes: 10 };
  const record = recheckRecord({ ...FRESH, checkedOn: "2026-03-12" }, [
    { code: "A", path: "/x/0", outcome: "notRectified", photo },
    { code: "B", path: "/x/1", outcome: "rectified", photo },
  ]);
  assert.equal(record.attachments?.length, 1);
  assert.deepEqual(record.items?.map((i) => i.photoSha256), [[photo.sha256], [photo.sha256]]);
  const empty = recheckRecord({ ...FRESH, checkedOn: "2026-03-12" }, [{ code: "A", path: "/x/0" }]);
  const report = core.validateRectification(empty, { now: "2026-03-12T12:00:00+08:00" });
  assert.deepEqual(report.problems.map((p) => [p.code, p.path]), [["REQUIRED", "/items"]]);
});

test("the latest re-inspection's word on each finding is what the card shows", () => {
  const earlier = { visitId: visit.id, method: "onSite", checkedOn: "2026-03-12", items: [{ findingCode: "A", path: "/x/0", outcome: "notRectified" }] };
  const later = { visitId: visit.id, method: "documentary", checkedOn: "2026-03-20", items: [{ findingCode: "A", path: "/x/0", outcome: "rectified" }] };
  const seen = latestOutcomes([later, earlier]);
  assert.equal(seen.get(findingKey({ code: "A", path: "/x/0" }))?.outcome, "rectified");
  assert.equal(seen.get(findingKey({ findingCode: "A", path: "/x/0" }))?.method, "documentary");
});
