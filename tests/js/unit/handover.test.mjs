// Handing documents over: what is still to hand over, and marking one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { stillToHandOver, deliveryOf, withDelivery } from "../../../www/src/app/handover.js";

const FRESH = { id: "d1", visitId: "v1", schemaVersion: 1 };
const AT = "2026-12-02T10:00:00+08:00";

test("nothing marked: every document handed to the party is still to hand over, in the core's order", () => {
  assert.deepEqual(stillToHandOver(["correctionOrder", "samplingRecord/0"], undefined), ["correctionOrder", "samplingRecord/0"]);
});

test("marking one makes the visit's record, and leaves the rest to hand over", () => {
  const r = withDelivery(undefined, FRESH, { document: "correctionOrder", method: "direct", deliveredAt: AT, recipient: "林某" });
  assert.deepEqual({ id: r.id, visitId: r.visitId, schemaVersion: r.schemaVersion }, FRESH);
  assert.deepEqual(stillToHandOver(["correctionOrder", "samplingRecord/0"], r), ["samplingRecord/0"]);
  assert.equal(deliveryOf(r, "correctionOrder")?.recipient, "林某");
});

test("a refused delivery's photo is listed once among the attachments; a document keeps its first mark", () => {
  const photo = { sha256: "ab".repeat(32), mediaType: "image/jpeg", sizeBytes: 10 };
  let r = withDelivery(undefined, FRESH, { document: "samplingRecord/0", method: "leftAfterRefusal", deliveredAt: AT, evidenceSha256: photo.sha256 }, photo);
  r = withDelivery(r, FRESH, { document: "correctionOrder", method: "leftAfterRefusal", deliveredAt: AT, evidenceSha256: photo.sha256 }, photo);
  assert.equal(r.attachments?.length, 1);
  const again = withDelivery(r, FRESH, { document: "correctionOrder", method: "direct", deliveredAt: AT, recipient: "别人" });
  assert.equal(again, r, "the first mark stands");
  assert.deepEqual(stillToHandOver(["correctionOrder", "samplingRecord/0"], r), []);
});
