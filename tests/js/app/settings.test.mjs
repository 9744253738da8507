// Settings as an officer uses them: the English switch, and a backup file that
// brings every local record — unsynced ones too — onto another tablet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { hqAndBrowser, startVisit, newContext, open, signIn } from "./app-driver.mjs";

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

test("English is one tap away, and stays after a reload", async () => {
  const context = await newContext(browser);
  const page = await open(context, hq.url);
  await signIn(page);
  await page.goto(hq.url + "#/settings");
  await page.click("#lang-en");
  await page.waitForSelector("body[data-ready=true]");
  await page.goto(hq.url + "#/");
  await page.waitForSelector("#new-visit");
  assert.match(await page.textContent("#new-visit"), /New visit/);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.reload();
  await page.waitForSelector("#new-visit");
  assert.match(await page.textContent("#nav-today"), /Today/);
  await context.close();
});

/** A tablet, offline, with one draft saved and a backup file exported from settings. */
async function draftAndBackup(operator) {
  const context = await newContext(browser);
  const page = await open(context, hq.url);
  await signIn(page);
  await context.setOffline(true);
  await startVisit(page, { operator });
  await page.click("#save");
  await page.waitForSelector("#saved-note:has-text('已保存')");
  const id = await page.$eval("#editor", (e) => e.dataset.id);
  await page.goto(hq.url + "#/settings");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const backup = JSON.parse(readFileSync(await download.path(), "utf8"));
  return { context, page, id, backup };
}

test("a backup exported offline restores every record, unsynced ones included, on another tablet", async () => {
  const { context: first, id, backup } = await draftAndBackup("备份测试商行");
  assert.equal(backup.format, "xuncha-backup");
  assert.ok(backup.records.some((r) => r.id === id));
  assert.ok(backup.outbox.some((o) => o.id === id), "the unsynced change travels in the backup");
  assert.ok(!backup.meta.some((m) => m.key === "session"), "no sign-in token in the file");
  await first.close(); // the first tablet is lost

  const second = await newContext(browser);
  const other = await open(second, hq.url);
  await signIn(other);
  await other.goto(hq.url + "#/settings");
  await other.setInputFiles("#import-file", { name: "backup.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(backup)) });
  await other.waitForSelector(".toast:has-text('已导入 1 条记录')");
  await other.goto(hq.url + "#/");
  await other.waitForSelector(`[data-id="${id}"]`);
  // …and it reaches HQ from the second tablet.
  await other.evaluate(() => window.xuncha.syncNow());
  const token = await hq.token("staff1");
  let at = [];
  for (let i = 0; i < 50 && at.length === 0; i++) {
    at = (await hq.api("POST", "/api/v1/sync/pull", { token, body: { protocolVersion: 1 } })).json.changes.filter((c) => c.id === id);
    if (!at.length) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(at.at(-1)?.record.operator.name, "备份测试商行");
  await second.close();
});

// Restoring an older backup on the tablet that made it never takes back work
// done since: the newer local record stays as it is.
test("restoring an older backup keeps the newer local record", async () => {
  const { context, page, id, backup } = await draftAndBackup("旧备份商行");
  // Work goes on after the backup.
  await page.goto(hq.url + `#/visit/${id}`);
  await page.waitForSelector("#editor");
  await page.fill("#f_operator_name", "新近商行");
  await page.click("#save");
  await page.waitForSelector("#saved-note:has-text('已保存')");
  await page.goto(hq.url + "#/settings");
  await page.setInputFiles("#import-file", { name: "backup.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(backup)) });
  await page.waitForSelector(".toast:has-text('已导入')");
  const local = await page.evaluate(async (id) => await window.xuncha.app.db.get("records", id), id);
  assert.equal(local.record.operator.name, "新近商行", "the backup's older version does not replace the newer one");
  await context.close();
});
