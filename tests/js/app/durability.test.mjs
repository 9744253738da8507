// What "nothing entered is ever lost" rests on, observed in the real browser:
// a save writes the record and its outbox entry in one transaction, which the
// browser reports as strictly durable (flushed to disk before it completes).
// Every IndexedDB transaction the page opens is recorded from before the app
// loads, with the stores it spans and the durability Chromium reads back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hqAndBrowser, newContext, open, signIn, draft, untilSynced } from "./app-driver.mjs";

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

/** Patch IDBDatabase#transaction in every page of the context: each readwrite one is logged. */
async function recordTransactions(context) {
  await context.addInitScript(() => {
    const original = IDBDatabase.prototype.transaction;
    window.__transactions = [];
    IDBDatabase.prototype.transaction = function (stores, mode, options) {
      const tx = original.call(this, stores, mode, options);
      if (mode === "readwrite") window.__transactions.push({ stores: [...tx.objectStoreNames].sort(), durability: tx.durability });
      return tx;
    };
  });
}

test("a save is one strictly durable transaction holding the record and its outbox entry", async () => {
  const context = await newContext(browser);
  await recordTransactions(context);
  const page = await open(context, hq.url);
  await signIn(page);
  await untilSynced(page);
  // No signal: only the save writes (no sync pass marks anything sent meanwhile).
  await context.setOffline(true);
  await page.evaluate(() => (window.__transactions.length = 0));
  const id = await draft(page, { operator: "持久商行" });
  const writes = await page.evaluate(() => window.__transactions);
  const outboxWrites = writes.filter((t) => t.stores.includes("outbox"));
  assert.equal(outboxWrites.length, 1, `one transaction queues the save: ${JSON.stringify(writes)}`);
  assert.ok(outboxWrites[0].stores.includes("records"), "the record and its outbox entry are written together");
  assert.equal(outboxWrites[0].durability, "strict", "flushed to disk before the save is reported");
  assert.ok(writes.filter((t) => t.stores.includes("records")).every((t) => t.durability === "strict"), JSON.stringify(writes));
  // And what the transaction holds is both: the record and the change that carries it.
  const [record, queued] = await page.evaluate(async (id) => {
    const db = window.xuncha.app.db;
    return [await db.get("records", id), await db.getAllFromIndex("outbox", "byId", id)];
  }, id);
  assert.equal(record.state, "pending");
  assert.equal(queued.length, 1);
  assert.equal(queued[0].change.revision, record.revision);
  await context.close();
});
