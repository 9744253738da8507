// A conflict settled from the console, against a real HQ: two tablets edited
// the same draft from one base; the clerk sees what the second version says
// against the current one, field by field in the catalogue's words, and takes
// it — HQ writes it as the next revision, and the conflict is settled once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import core from "../unit/core.mjs";
import { hqAndBrowser, staffConsole, axe } from "./app-driver.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

test("the clerk compares a conflicting version with the current one and takes it", async () => {
  const token = await hq.token("chen");
  const draft = JSON.parse(readFileSync(new URL("../../fixtures/visit_complete.json", import.meta.url), "utf8"));
  draft.id = core.newId();
  draft.status = "draft";
  delete draft.finalisedAt;
  const push = async (record, base, revision) => {
    const change = { kind: "visit", id: record.id, baseRevision: base, revision, sha256: core.contentSha256(record), record };
    const { json } = await hq.api("POST", "/api/v1/sync/push", { token, body: { protocolVersion: core.protocolVersion(), deviceId: "test-desk", changes: [change] } });
    return json.results[0].status;
  };
  const first = core.newId();
  assert.equal(await push(draft, null, first), "accepted");
  assert.equal(await push({ ...draft, notes: "甲平板补记", operator: { ...draft.operator, contactPhone: "13800000001" } }, first, core.newId()), "accepted");
  const other = core.newId();
  assert.equal(await push({ ...draft, notes: "乙平板补记" }, first, other), "conflict");

  const { context, page } = await staffConsole(browser, hq.url);
  await page.goto(`${hq.url}/staff/#/record/${draft.id}`);
  await page.waitForSelector(`#conflicts .conflict.open[data-revision="${other}"]`);
  const rows = await page.$$eval(`#conflicts .conflict.open tbody tr`, (trs) => trs.map((tr) => [tr.dataset.path, ...[...tr.children].map((td) => td.textContent)]));
  assert.deepEqual(rows.map((r) => r[0]).sort(), ["/notes", "/operator/contactPhone"]);
  assert.deepEqual(rows.find((r) => r[0] === "/notes"), ["/notes", "检查备注 · 备注", "甲平板补记", "乙平板补记"]);
  assert.match(rows.find((r) => r[0] === "/operator/contactPhone")[1], /经营者.*联系电话/);
  await page.locator("#conflicts").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/console-conflict-1280x800.png` });
  await axe(page, "a record with a conflict");
  await page.click(`#conflicts .conflict[data-revision="${other}"] button[data-act="take"]`);
  await page.waitForSelector(`#conflicts .conflict[data-revision="${other}"][data-resolution="taken"]`);
  const trail = await hq.changesOf(draft.id);
  assert.equal(trail.length, 3);
  assert.equal(trail[2].record.notes, "乙平板补记", "the version taken is current");
  assert.equal((await hq.stats()).conflicts, 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});
