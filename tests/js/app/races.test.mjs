// Saves and sync passes at the same moment. The officer's autosave, a tap on
// 保存 and a sync pass (timer, `online`, another nudge) run concurrently in a
// real app; whatever order IndexedDB gives their transactions, HQ must see one
// line of revisions: never a change based on a revision HQ has moved past
// (that would be a conflict the officer never made), never a revision twice.
//
// The two races this pins down (both seen as a stray conflict in CI's
// flaky-signal run): a pass that read the outbox, then marked it sent in a
// second transaction, put back an entry a save had just replaced; and two
// saves that read the record's revision before either wrote took the same base.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hqAndBrowser, signedIn, untilSynced } from "./app-driver.mjs";

const ROUNDS = 60;

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

test("saves that land while a sync pass starts, and saves that overlap, never become conflicts or duplicates", async (t) => {
  const { context, page } = await signedIn(browser, hq.url);
  const id = await page.evaluate(async (rounds) => {
    const { app, syncNow } = window.xuncha;
    let v = await app.records.newVisit();
    v.operator = { name: "竞速商行" };
    await app.records.saveVisit(v);
    const pause = (i) =>
      i % 3 === 0 ? new Promise((r) => setTimeout(r, i % 7)) : Array.from({ length: i % 17 }).reduce((p) => p.then(() => undefined), Promise.resolve());
    for (let i = 0; i < rounds; i++) {
      const pass = syncNow();
      await pause(i);
      // An autosave and a tap on 保存 a moment apart, each with the form as it was then.
      v = { ...v, operator: { ...v.operator, name: `竞速商行${i}` } };
      const autosave = app.records.saveVisit(v);
      if (i % 2) await pause(i + 1);
      v = { ...v, site: { ...v.site, address: `南街${i}号` } };
      const tap = app.records.saveVisit(v);
      await Promise.all([autosave, tap, pass]);
    }
    return v.id;
  }, ROUNDS);
  // Then the queue drains with nothing left over.
  await page.evaluate(() => window.xuncha.syncNow());
  await untilSynced(page, 60_000);

  const local = await page.evaluate(async (id) => await window.xuncha.app.db.get("records", id), id);
  const atHq = await hq.changesOf(id);
  const stats = await hq.stats();
  t.diagnostic(`${atHq.length} revisions reached HQ for ${ROUNDS * 2 + 1} saves`);
  assert.equal(stats.conflicts, 0, "no conflict the officer did not make");
  assert.equal(local.state, "synced");
  assert.equal(new Set(atHq.map((c) => c.revision)).size, atHq.length, "no revision twice");
  assert.equal(atHq.at(-1).revision, local.revision, `HQ's latest is the tablet's (the tablet's is HQ's ${atHq.findIndex((c) => c.revision === local.revision)} of ${atHq.length}; lineage ends ${JSON.stringify(local.lineage?.slice(-3))}; HQ ends ${JSON.stringify(atHq.slice(-3).map((c) => c.revision))})`);
  assert.equal(atHq.at(-1).record.operator.name, `竞速商行${ROUNDS - 1}`);
  assert.equal(atHq.at(-1).record.site.address, `南街${ROUNDS - 1}号`);
  assert.equal(stats.records, 1);
  assert.deepEqual(page.errors, []);
  await context.close();
});
