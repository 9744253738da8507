// The editor as an officer handles it: changing an item's subtype, deleting an
// item, discarding a draft, looking at a photo — each asks or tells, each can
// be undone, and nothing entered disappears without the officer seeing it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hqAndBrowser, signedIn, startVisit, fill, until, untilSynced, addPhoto } from "./app-driver.mjs";

let hq, browser;
hqAndBrowser((s) => ({ hq, browser } = s));

const card = (page, ptr) => page.$(`[data-ptr="${ptr}"]`);

test("a new subtype keeps what applies, says what was dropped, and undo brings it back", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await startVisit(page);
  await page.click("#add-metrology");
  await fill(page, "/instrumentChecks/0/instrumentType", "priceScale");
  await fill(page, "/instrumentChecks/0/serialNo", "ACS-15-0001");
  await fill(page, "/instrumentChecks/0/maxG", 15000);
  assert.equal(await page.$("#f_instrumentChecks_0_installedOn"), null, "a scale has no installation date to fill");
  await fill(page, "/instrumentChecks/0/instrumentType", "waterMeter");
  await page.waitForSelector('[data-ptr="/instrumentChecks/0"][data-subtype="waterMeter"] .dropped-note');
  assert.match(await page.$eval(".dropped-note", (e) => e.innerText), /最大秤量/);
  assert.equal(await page.inputValue("#f_instrumentChecks_0_serialNo"), "ACS-15-0001", "the serial number still applies");
  assert.equal(await page.$("#f_instrumentChecks_0_maxG"), null);
  assert.ok(await page.$("#f_instrumentChecks_0_nominalDiameterMm"), "a water meter asks for its DN");
  await page.click("#undo-subtype");
  await page.waitForSelector('[data-ptr="/instrumentChecks/0"][data-subtype="priceScale"]');
  assert.equal(await page.inputValue("#f_instrumentChecks_0_maxG"), "15000", "undo restores what was dropped");
  await context.close();
});

test("deleting an item asks first and can be undone", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await startVisit(page);
  await page.click("#add-price");
  await fill(page, "/priceChecks/0/subject", "goods");
  await fill(page, "/priceChecks/0/itemName", "猪肉（前腿）");
  const remove = '[data-ptr="/priceChecks/0"] [data-action="remove-item"]';
  await page.click(remove);
  assert.ok(await card(page, "/priceChecks/0"), "one tap only arms the button");
  assert.match(await page.$eval(remove, (e) => e.textContent), /再点一次/);
  await page.click(remove);
  await until(async () => !(await card(page, "/priceChecks/0")));
  await page.click("#undo");
  await page.waitForSelector('[data-ptr="/priceChecks/0"]');
  assert.equal(await page.inputValue("#f_priceChecks_0_itemName"), "猪肉（前腿）");
  await context.close();
});

test("a discarded draft leaves the list, can be undone, and is kept at HQ as a tombstone", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await startVisit(page, { operator: "作废测试商行" });
  await page.click("#save");
  await page.waitForSelector("#saved-note:has-text('已保存')");
  const id = await page.$eval("#editor", (e) => e.dataset.id);
  await page.click("#discard-draft");
  assert.ok(await page.$("#editor"), "one tap only arms the button");
  await page.click("#discard-draft");
  await page.waitForSelector("#visit-list, .empty");
  assert.equal(await page.$(`.visit-row[data-id="${id}"]`), null, "no longer listed");
  await page.click("#undo");
  await page.waitForSelector(`#editor[data-id="${id}"]`);
  assert.equal(await page.inputValue("#f_operator_name"), "作废测试商行", "undo brings the draft back as it was");
  // Discarded for good this time, and synced.
  await page.click("#discard-draft");
  await page.click("#discard-draft");
  await page.waitForSelector("#new-visit");
  await page.evaluate(() => window.xuncha.syncNow());
  await untilSynced(page);
  const revisions = await until(async () => {
    const r = await hq.changesOf(id);
    return r.at(-1)?.record?.status === "discarded" ? r : null;
  });
  assert.ok(revisions.some((r) => r.record.status === "draft"), "the draft's revisions stay in the audit trail");
  assert.equal(revisions.at(-1).record.operator.name, "作废测试商行", "the tombstone keeps what was entered");
  await context.close();
});

test("a photo opens large and can be taken out of the record", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await startVisit(page);
  await page.click("#add-price");
  await addPhoto(page, '[data-ptr="/priceChecks/0"]');
  await page.click('[data-ptr="/priceChecks/0"] button.thumb');
  await page.waitForSelector("#photo-viewer[open] img");
  const size = await page.$eval("#photo-viewer img", (img) => img.getBoundingClientRect().width);
  assert.ok(size > 150, `shown large (${size} px)`);
  await page.click("#remove-photo");
  await until(async () => !(await page.$('[data-ptr="/priceChecks/0"] img.thumb')));
  await page.click("#save");
  await page.waitForSelector("#saved-note:has-text('已保存')");
  const saved = await page.evaluate(async (id) => (await window.xuncha.app.db.get("records", id)).record, await page.$eval("#editor", (e) => e.dataset.id));
  assert.equal(saved.priceChecks[0].photoSha256, undefined);
  assert.deepEqual(saved.attachments, [], "no longer listed in the record");
  await context.close();
});
