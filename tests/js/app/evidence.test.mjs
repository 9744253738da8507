// Records as evidence, on real tablets (Chromium contexts) against a real HQ:
// document numbers from blocks HQ leased, never used twice — two tablets
// finalising offline at once, a reinstall, a backup restored on the same
// tablet; every finalised record signed by the tablet's own key (WebCrypto
// P-256, made at sign-in), a record changed after signing and a revoked
// tablet refused by HQ in the officer's words; the tablet warns before its
// numbers run out and will not finalise without them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { hqAndBrowser, newContext, open, signIn, startVisit, addItems, fill, sign, finalise, untilSynced, untilState, until, giveNotice, TABLET, PHOTO } from "./app-driver.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });
const NUMBER = /^鼓市监〔\d{4}〕第 \d{4} 号$/;

let hq, browser;
hqAndBrowser((started) => {
  ({ hq, browser } = started);
  hq.admin("set-document-prefix", "--bureau", "1", "--prefix", "鼓市监");
});

/** A tablet: a fresh browser context (a new install), signed in online. */
async function tablet() {
  const context = await newContext(browser, TABLET);
  const page = await open(context, hq.url);
  await signIn(page);
  await page.goto(`${hq.url}/#/settings`);
  await page.fill("#issuer-bureau", "福州市鼓楼区市场监督管理局");
  await page.click("#save-issuer");
  await page.waitForSelector(".toast");
  await page.goto(`${hq.url}/#/`);
  await page.waitForSelector("#new-visit");
  return { context, page };
}

/** Finalise a price visit (record, order, proof of delivery: three numbered documents); its id. */
async function finaliseVisit(page) {
  await startVisit(page);
  await giveNotice(page);
  await addItems(page, ["price"]);
  await sign(page);
  await finalise(page);
  return page.evaluate(() => location.hash.split("/")[2]);
}

/** Finalise a visit from the tablet's home screen; its id and the numbers it took. */
async function finaliseFromHome(page) {
  await home(page);
  const id = await finaliseVisit(page);
  return [id, await numbersOf(page, id)];
}

/** The numbers a visit's record gives out, as printed. */
async function numbersOf(page, id) {
  return page.evaluate(async (id) => {
    const { records } = window.xuncha.app;
    return (await records.documents((await records.get(id)).record)).documents.filter((d) => d.number).map((d) => d.number);
  }, id);
}

const home = async (page) => {
  await page.goto(`${hq.url}/#/`);
  await page.waitForSelector("#new-visit");
};

test("document numbers are never used twice: two tablets offline at once, a reinstall, a restored backup; HQ takes every signed record", async () => {
  const a = await tablet();
  const b = await tablet();
  await a.context.setOffline(true);
  await b.context.setOffline(true);
  // Both finalise at the same moment, with no signal.
  const [a1, b1] = await Promise.all([finaliseVisit(a.page), finaliseVisit(b.page)]);
  const numbers = { [a1]: await numbersOf(a.page, a1), [b1]: await numbersOf(b.page, b1) };
  assert.equal(numbers[a1].length, 3, "the record, the order and the proof of delivery are numbered");
  for (const n of [...numbers[a1], ...numbers[b1]]) assert.match(n, NUMBER);
  // The number is printed on the document and in its QR code.
  await a.page.click('#documents [data-key="correctionOrder"] a');
  await a.page.waitForSelector("#doc-number");
  assert.equal(await a.page.textContent("#doc-number"), numbers[a1][1]);
  await a.page.screenshot({ path: `${ARTIFACTS}/document-numbered-1024x768.png`, fullPage: true });

  // Tablet B keeps a backup, finalises another visit, then restores the backup.
  const backup = await b.page.evaluate(() => window.xuncha.app.records.exportBackup());
  assert.ok(!backup.meta.some((m) => ["deviceKey", "numberBlocks"].includes(m.key)), "no key and no numbers in a backup");
  const [b2, b2numbers] = await finaliseFromHome(b.page);
  numbers[b2] = b2numbers;
  await b.page.evaluate((data) => window.xuncha.app.records.importBackup(data), backup);
  const [b3, b3numbers] = await finaliseFromHome(b.page);
  numbers[b3] = b3numbers;

  // Tablet A syncs, keeps a backup, and is wiped and reinstalled: a new install signs in, restores it, finalises.
  await a.context.setOffline(false);
  await untilSynced(a.page);
  const aBackup = await a.page.evaluate(() => window.xuncha.app.records.exportBackup());
  await a.context.close();
  const a2tablet = await tablet();
  await a2tablet.page.evaluate((data) => window.xuncha.app.records.importBackup(data), aBackup);
  const [a2, a2numbers] = await finaliseFromHome(a2tablet.page);
  numbers[a2] = a2numbers;

  await b.context.setOffline(false);
  await untilSynced(b.page);
  await untilSynced(a2tablet.page);
  const all = Object.values(numbers).flat();
  assert.equal(all.length, 5 * 3);
  assert.equal(new Set(all).size, all.length, `no number twice: ${all.join(", ")}`);

  // HQ holds every one of them, each record accepted with its tablet's signature.
  const held = await hq.staffPull();
  for (const [id, list] of Object.entries(numbers)) {
    const record = held.find((c) => c.id === id)?.record;
    assert.ok(record, `HQ holds ${id}`);
    assert.equal(record.status, "finalised");
    assert.equal(record.documentNumbers.length, list.length);
  }
  // The chain HQ keeps of what it accepted holds, five entries long.
  assert.match(hq.admin("check-chain", "--bureau", "1"), /holds: 5 entries/);

  // Its QR code names the number: HQ's check page shows it; a made-up number does not match.
  const order = await a2tablet.page.evaluate(async (id) => {
    const { records } = window.xuncha.app;
    return (await records.documents((await records.get(id)).record)).documents.find((d) => d.kind === "correctionOrder");
  }, a2);
  const checker = await a2tablet.context.newPage();
  await checker.goto(`${hq.url}/verify?v=${a2}&h=${order.recordSha256}&n=${encodeURIComponent(order.number)}`);
  assert.equal(await checker.getAttribute("#verdict", "data-matches"), "true");
  assert.equal(await checker.textContent("#number"), order.number);
  await checker.screenshot({ path: `${ARTIFACTS}/verify-numbered-1024x768.png` });
  await checker.goto(`${hq.url}/verify?v=${a2}&h=${order.recordSha256}&n=${encodeURIComponent("鼓市监〔2026〕第 9999 号")}`);
  assert.equal(await checker.getAttribute("#verdict", "data-matches"), "false");
  for (const t of [a2tablet, b]) await t.context.close();
});

test("HQ refuses a record changed after signing and a revoked tablet's records; the officer reads why", async () => {
  const { context, page } = await tablet();
  await context.setOffline(true);
  const changed = await finaliseVisit(page);
  // Someone edits the finalised record in the tablet's storage and fixes up its hash; the signature stays.
  await page.evaluate(async (id) => {
    const { db, core } = window.xuncha.app;
    const tx = db.transaction("outbox", "readwrite");
    const entry = (await tx.store.getAll()).find((o) => o.change.id === id && o.change.record.status === "finalised");
    entry.change.record.notes = "事后改动";
    entry.change.sha256 = core.contentSha256(entry.change.record);
    await tx.store.put(entry);
    await tx.done;
  }, changed);
  await context.setOffline(false);
  await untilState(page, changed, "rejected");
  await page.goto(`${hq.url}/#/visit/${changed}/result`);
  await page.waitForSelector("#rejected-reason");
  assert.equal(await page.getAttribute("#rejected-reason", "data-reason"), "SIGNATURE_INVALID");
  assert.match(await page.textContent("#rejected-reason"), /签名与记录内容不符/);
  await page.screenshot({ path: `${ARTIFACTS}/signature-invalid-1024x768.png` });

  // The tablet is reported lost: HQ revokes it; what it finalises afterwards is refused.
  const deviceId = await page.evaluate(async () => (await window.xuncha.app.db.get("meta", "deviceId")).value);
  assert.match(hq.admin("revoke-device", "--device", deviceId), /revoked 1 key/);
  await home(page);
  const late = await finaliseVisit(page);
  await untilState(page, late, "rejected");
  assert.equal(await page.evaluate(async (id) => (await window.xuncha.app.db.get("records", id)).reason, late), "SIGNATURE_KEY_REVOKED");
  await context.close();
});

test("the tablet warns before its numbers run out, and without numbers it keeps the visit a draft until it can lease more", async () => {
  const { context, page } = await tablet();
  const year = new Date().getFullYear();
  // This tablet has given out nearly all it leased: two numbers left.
  await page.evaluate(async (year) => {
    const { db } = window.xuncha.app;
    await db.put("meta", { key: "numberBlocks", value: [{ prefix: "鼓市监", year, first: 1, last: 2, next: 1 }] });
  }, year);
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("#numbers-low");
  assert.match(await page.textContent("#numbers-low"), /文书编号仅剩 2 个/);
  await page.screenshot({ path: `${ARTIFACTS}/numbers-low-1024x768.png` });
  // A visit needing three numbers is not finalised: the officer is told, the draft kept.
  await startVisit(page);
  await giveNotice(page);
  await addItems(page, ["price"]);
  await sign(page);
  const id = await page.$eval("#editor", (e) => e.dataset.id);
  await page.click("#finalise");
  await page.locator("#confirm-and-finalise, .toast-error").first().waitFor();
  if (await page.isVisible("#confirm-and-finalise")) await page.click("#confirm-and-finalise");
  await page.waitForSelector(".toast-error");
  assert.match(await page.textContent(".toast-error"), /文书编号不足（需要 3 个，剩余 2 个）/);
  await page.screenshot({ path: `${ARTIFACTS}/numbers-exhausted-1024x768.png` });
  assert.equal(await page.evaluate(async (id) => (await window.xuncha.app.db.get("records", id)).record.status, id), "draft");
  // With signal, the next sync leases a block; the warning goes and the visit finalises.
  await context.setOffline(false);
  await page.evaluate(() => window.xuncha.syncNow());
  await until(async () => (await page.$("#numbers-low")) === null);
  await finalise(page);
  assert.equal((await numbersOf(page, id)).length, 3);
  await context.close();
});

test("the officer marks each document handed over, the visit says what is still to hand over, and the marks reach HQ", async () => {
  const { context, page } = await tablet();
  await context.setOffline(true);
  await startVisit(page);
  await giveNotice(page);
  await addItems(page, ["price", "sampling"]);
  await fill(page, "/samples/0/sealView", "noObjection");
  await sign(page);
  await finalise(page);
  const visitId = await page.evaluate(() => location.hash.split("/")[2]);
  // The order and the 抽样单 go to the party; nothing is handed over yet.
  await page.waitForSelector("#still-to-hand-over");
  // What the core made of the visit, said in full if the count is not the one expected.
  const made = await page.evaluate(async (id) => {
    const { records } = window.xuncha.app;
    const set = await records.documents((await records.get(id)).record);
    return { toHandOver: set.toHandOver, refused: set.refused.map((r) => [r.key, r.problems.map((p) => p.code + " " + p.path)]), delivery: await records.deliveries(id) };
  }, visitId);
  // (the screen may be drawn again as the visit's records settle: the count is read once it is stable at 2, or said in full)
  await until(async () => (await page.getAttribute("#still-to-hand-over", "data-count")) === "2", 10_000).catch(() => {});
  assert.equal(await page.getAttribute("#still-to-hand-over", "data-count"), "2", JSON.stringify(made));
  assert.match(await page.textContent("#still-to-hand-over"), /尚待送达 2 份：责令改正通知书、抽样单/);

  // Handed over directly: without the recipient the core says what is missing.
  await page.click("#handover-correctionOrder-open");
  await page.click("#handover-correctionOrder button[type=submit]");
  await page.waitForSelector('#handover-correctionOrder .problem[data-path="/deliveries/0/recipient"]');
  await page.locator("#handover-correctionOrder").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/handover-form-1024x768.png` });
  await page.fill('#handover-correctionOrder input[name="recipient"]', "林某");
  await page.click("#handover-correctionOrder button[type=submit]");
  await page.waitForSelector('[data-key="correctionOrder"] .handed-over[data-method="direct"]');
  assert.equal(await page.getAttribute("#still-to-hand-over", "data-count"), "1");

  // The 抽样单 refused: left at the place, with a photo.
  await page.click('#handover-samplingRecord_0-open');
  await page.check('#handover-samplingRecord_0 input[value="leftAfterRefusal"]');
  await page.setInputFiles('#handover-samplingRecord_0 input[name="evidence"]', { name: "left.png", mimeType: "image/png", buffer: PHOTO });
  await page.click("#handover-samplingRecord_0 button[type=submit]");
  await page.waitForSelector('[data-key="samplingRecord/0"] .handed-over[data-method="leftAfterRefusal"]');
  assert.equal(await page.getAttribute("#still-to-hand-over", "data-count"), "0");
  assert.match(await page.textContent("#still-to-hand-over"), /应送达的文书均已送达/);
  await page.locator("#documents").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/handed-over-1024x768.png` });

  // With signal, the marks and the photo reach HQ.
  await context.setOffline(false);
  await untilSynced(page);
  const delivery = (await hq.staffPull()).find((c) => c.kind === "delivery" && c.record.visitId === visitId)?.record;
  assert.deepEqual(delivery?.deliveries.map((d) => [d.document, d.method]), [["correctionOrder", "direct"], ["samplingRecord/0", "leftAfterRefusal"]]);
  const photo = delivery.deliveries[1].evidenceSha256;
  await until(async () => (await hq.api("GET", `/api/v1/attachments/${photo}`, { token: await hq.token("staff1"), raw: true })).status === 200);
  await context.close();
});
