// On-site documents on the tablet, offline: a visit of every kind finalised,
// each document the core makes printed to PDF by Chromium and read back
// (pdftotext) for its legal elements in the template's order; a visit that
// lacks the rights notice has its 现场笔录 refused, named at the field.
// Each page's QR code, scanned, opens HQ's check page, which says the document
// matches the record HQ holds; a forged code does not match.
// Screenshots of the list and of each document are kept as artifacts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { hqAndBrowser, newContext, open, signIn, untilControlled, startVisit, addItems, fill, sign, finalise, untilSynced, until, TABLET } from "./app-driver.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });
const BUREAU = "福州市鼓楼区市场监督管理局";
const jsQR = createRequire(import.meta.url)("jsqr");

/** The QR code printed on the document, read back as a phone would. */
async function scanQr(page) {
  const { width, height, data } = await page.$eval("article.document img.doc-qr", async (img) => {
    const image = /** @type {HTMLImageElement} */ (img);
    await image.decode();
    const canvas = document.createElement("canvas");
    // Enlarged with a white margin, as a camera sees a printed code.
    const scale = 4;
    canvas.width = image.naturalWidth * scale;
    canvas.height = image.naturalHeight * scale;
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width: pixels.width, height: pixels.height, data: Array.from(pixels.data) };
  });
  return jsQR(Uint8ClampedArray.from(data), width, height)?.data ?? null;
}

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

async function setIssuer(page) {
  await page.goto(`${hq.url}/#/settings`);
  await page.fill("#issuer-bureau", BUREAU);
  await page.click("#save-issuer");
  await page.waitForSelector(".toast");
  await page.goto(`${hq.url}/#/`);
  await page.waitForSelector("#new-visit");
}

async function notice(page, { rightsTold = "true" } = {}) {
  await fill(page, "/notice/credentialsShown", "true");
  await fill(page, "/notice/rightsTold", rightsTold);
  await fill(page, "/notice/recusalRequested", "false");
}

/** Signed in, the bureau set, offline, a new visit with its header and the opening notice filled. */
async function offlineVisit({ issuer = true, rightsTold = "true" } = {}) {
  const context = await newContext(browser, TABLET);
  const page = await open(context, hq.url);
  await signIn(page);
  await untilControlled(page);
  if (issuer) await setIssuer(page);
  await context.setOffline(true);
  await startVisit(page);
  await notice(page, { rightsTold });
  return { context, page };
}

/** Whitespace out: pdftotext breaks lines where the layout does. */
const flat = (s) => s.replace(/\s+/g, "");

test("a finalised visit of every kind prints its documents offline, each with its legal elements in order", async () => {
  const { context, page } = await offlineVisit();
  await addItems(page);
  await fill(page, "/samples/0/sealView", "noObjection");
  await sign(page);
  await finalise(page);

  // The documents the core says this visit needs: the record, the order for the
  // price findings, the directive for the lift, the sample's 抽样单 and 封条, and the 送达回证.
  await page.waitForSelector("#documents .document-row");
  const rows = await page.$$eval("#documents .document-row", (els) => els.map((e) => e.dataset.key));
  assert.deepEqual(rows, ["onSiteRecord", "correctionOrder", "equipmentDirective", "samplingRecord/0", "sealLabel/0", "deliveryReceipt"]);
  assert.equal(await page.$("#refused-documents"), null);
  await page.locator("#documents").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/documents-list-1024x768.png` });

  const visitId = await page.evaluate(() => location.hash.split("/")[2]);
  const set = await page.evaluate(async (id) => {
    const { records } = window.xuncha.app;
    return records.documents((await records.get(id)).record);
  }, visitId);

  for (const doc of set.documents) {
    await page.click(`#documents [data-key="${doc.key}"] a`);
    await page.waitForSelector(`article.document[data-key="${doc.key}"]`);
    const name = doc.key.replace("/", "-");
    await page.screenshot({ path: `${ARTIFACTS}/document-${name}-1024x768.png`, fullPage: true });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    const file = `${ARTIFACTS}/document-${name}.pdf`;
    writeFileSync(file, pdf);
    const text = flat(execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }));
    // The title, then every element's label in the template's order, and the page count.
    let at = text.indexOf(flat(doc.title.zh));
    assert.ok(at >= 0, `${doc.key}: the title is printed`);
    for (const p of doc.parts) {
      if (!p.label.zh) continue;
      const next = text.indexOf(flat(p.label.zh), at);
      assert.ok(next >= 0, `${doc.key}: “${p.label.zh}” printed after what precedes it`);
      at = next;
    }
    assert.match(text, /第1页共\d+页/, `${doc.key}: page numbers`);
    assert.ok(text.includes(doc.recordSha256), `${doc.key}: the record's hash on the page`);
    // Every document carries a QR code of HQ's check page for its record.
    const url = await scanQr(page);
    const number = doc.kind === "sealLabel" ? "" : `&n=${encodeURIComponent(doc.number)}`;
    assert.equal(url, `${hq.url}/verify?v=${visitId}&h=${doc.recordSha256}${number}`, `${doc.key}: the QR code, with the document's number`);
    if (doc.number) assert.ok(text.includes(flat(doc.number)), `${doc.key}: its number printed`);
    if (doc.kind === "onSiteRecord") {
      for (const needle of ["91350100M000100Y43", "35010019001", "是否申请回避：否", "猪肉（前腿）", "以上笔录已阅，与事实相符。"]) assert.ok(text.includes(flat(needle)), `the 现场笔录 prints ${needle}`);
      // The operator's signature is printed as captured.
      assert.equal(await page.$$eval("article.document img.signature-image", (els) => els.filter((e) => /** @type {HTMLImageElement} */ (e).naturalWidth > 0).length), 1);
    }
    if (doc.kind === "correctionOrder" || doc.kind === "equipmentDirective") assert.ok(text.includes(BUREAU), `${doc.key}: the issuing bureau`);
    if (doc.kind === "samplingRecord") for (const needle of ["DC26350100001", "FT-0001、FT-0002", "无异议", "一式四份"]) assert.ok(text.includes(flat(needle)), `the 抽样单 prints ${needle}`);
    await page.click("#document-screen .screen-head a");
    await page.waitForSelector("#documents .document-row");
  }

  // Back online, the record reaches HQ; the QR code's page then says the document
  // matches (bureau and time, nothing of the record); a forged code does not.
  await context.setOffline(false);
  await untilSynced(page);
  const record = set.documents[0];
  const check = async (url) => {
    const checker = await context.newPage();
    await checker.goto(url);
    const verdict = await checker.$eval("#verdict", (e) => [e.dataset.matches, e.textContent]);
    await checker.screenshot({ path: `${ARTIFACTS}/verify-${verdict[0] === "true" ? "genuine" : "forged"}-1024x768.png` });
    const body = await checker.textContent("body");
    await checker.close();
    return { matches: verdict[0] === "true", body };
  };
  const genuine = await check(`${hq.url}/verify?v=${visitId}&h=${record.recordSha256}`);
  assert.ok(genuine.matches, genuine.body);
  assert.ok(!genuine.body.includes("福州某某生鲜超市"), "the check page shows nothing of the record");
  const forged = await check(`${hq.url}/verify?v=${visitId}&h=${"0".repeat(64)}`);
  assert.ok(!forged.matches, forged.body);
  await context.close();
});

test("a visit without the rights notice gets no 现场笔录, and the officer is told what is missing", async () => {
  const { context, page } = await offlineVisit({ issuer: false, rightsTold: "false" });
  await addItems(page, ["price"]);
  await sign(page);
  // Before finalising, the editor already says what the 现场笔录 would lack, at the field.
  const gap = '[data-ptr="/notice/rightsTold"] .field-problems .problem.warning';
  await page.waitForSelector(gap);
  assert.match(await page.$eval(gap, (e) => e.textContent), /现场笔录缺少“出示证件与告知情况”/);
  await page.locator('[data-ptr="/notice/rightsTold"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/documents-gap-before-finalising-1024x768.png` });
  await finalise(page);
  await page.waitForSelector("#refused-documents");
  const refused = await page.$$eval("#refused-documents li.problem", (els) => els.map((e) => [e.closest("[data-key]").dataset.key, e.dataset.code, e.dataset.path, e.textContent]));
  // No bureau set on this device: the order is refused too, with a way to set it.
  assert.deepEqual(refused.map(([key, code, path]) => [key, code, path]), [
    ["onSiteRecord", "DOCUMENT_ELEMENT_MISSING", "/notice/rightsTold"],
    ["correctionOrder", "DOCUMENT_ELEMENT_MISSING", ""],
  ]);
  assert.match(refused[0][3], /现场笔录缺少“出示证件与告知情况”/);
  assert.match(refused[1][3], /发文机关/);
  await page.locator("#refused-documents").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/documents-refused-1024x768.png` });
  await context.close();
});

test("a refusal to sign is recorded on the tablet; without a recording or a witness it cannot be finalised; the 笔录 lists the recording's hash", async () => {
  const { context, page } = await offlineVisit();
  await addItems(page, ["price"]);
  // The party refuses: a note alone will not do (处罚程序规定 Art. 43).
  await page.click("#refusal summary");
  await fill(page, "/refusal/note", "当事人拒绝在笔录上签名");
  const problem = '[data-ptr="/refusal/recordingSha256"] .field-problems .problem.error';
  await page.waitForSelector(problem);
  assert.match(await page.$eval(problem, (e) => e.textContent), /录音录像，或有见证人/);
  // Record two seconds from the (fake) camera and microphone.
  const control = "#f_refusal_recordingSha256";
  await page.click(`${control}-start`);
  await page.waitForSelector(`${control} .recording-now`);
  await page.waitForTimeout(2200);
  await page.click(`${control}-stop`);
  await page.waitForSelector(`${control}-state.ok`);
  await page.waitForFunction((sel) => !document.querySelector(sel), problem);
  await page.locator(control).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/refusal-recorded-1024x768.png` });
  await finalise(page);

  const visitId = await page.evaluate(() => location.hash.split("/")[2]);
  const { record, set, blob } = await page.evaluate(async (id) => {
    const { records } = window.xuncha.app;
    const record = (await records.get(id)).record;
    const b = await records.photo(record.refusal.recordingSha256);
    return { record, set: await records.documents(record), blob: { type: b.mediaType, size: b.size } };
  }, visitId);
  assert.equal(record.signature, undefined);
  assert.match(blob.type, /^(audio|video)\/webm$/);
  assert.ok(blob.size > 1000, `a real recording (${blob.size} bytes)`);
  assert.ok(record.attachments.some((a) => a.sha256 === record.refusal.recordingSha256 && a.mediaType === blob.type));
  const text = JSON.stringify(set.documents.find((d) => d.kind === "onSiteRecord"));
  assert.ok(text.includes(`已录音录像，SHA-256：${record.refusal.recordingSha256}`), text);

  // Back online: the recording reaches HQ with the record (HQ takes WebM as audio or video).
  await context.setOffline(false);
  await untilSynced(page);
  const staff = await hq.token("staff1");
  await until(async () => (await hq.api("GET", "/api/v1/attachments/missing", { token: staff })).json.missing.length === 0);
  const held = await hq.api("GET", `/api/v1/attachments/${record.refusal.recordingSha256}`, { token: staff, raw: true });
  assert.equal(held.status, 200);
  assert.equal(held.resp.headers.get("content-type"), blob.type);
  await context.close();
});

test("a province's templates published at HQ reach the tablet on its next pull and shape its documents", async () => {
  // 福建省 names its record 现场检查笔录 from the visit's day on (procedure rules Art. 86: formats per province).
  const set = JSON.parse(readFileSync(new URL("../../../src/documents/templates.json", import.meta.url), "utf8"));
  const province = structuredClone(set.templates[0]);
  province.region = "福建省";
  province.effectiveFrom = "2026-01-01";
  province.documents.onSiteRecord.title = { zh: "现场检查笔录", en: "On-site inspection record" };
  const published = { ...set, version: `${set.version}-fj`, templates: [...set.templates, province] };
  const file = join(hq.dir, "templates.json");
  writeFileSync(file, JSON.stringify(published));
  hq.admin("publish-templates", file);

  const context = await newContext(browser, TABLET);
  const page = await open(context, hq.url);
  await signIn(page);
  await untilControlled(page);
  await page.evaluate(() => window.xuncha.syncNow());
  await page.waitForFunction((v) => window.xuncha.core.documentTemplatesVersion() === v, published.version);
  await page.goto(`${hq.url}/#/settings`);
  await page.fill("#issuer-bureau", BUREAU);
  await page.fill("#issuer-region", "福建省");
  await page.click("#save-issuer");
  await page.waitForSelector(".toast");
  await page.goto(`${hq.url}/#/`);
  await page.waitForSelector("#new-visit");

  // Offline, after a reload: the templates were kept on the device.
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("#new-visit");
  assert.equal(await page.evaluate(() => window.xuncha.core.documentTemplatesVersion()), published.version);
  await startVisit(page);
  await notice(page);
  await addItems(page, ["price"]);
  await sign(page);
  await finalise(page);
  await page.waitForSelector("#documents .document-row");
  assert.match(await page.$eval('#documents [data-key="onSiteRecord"] .doc-title', (e) => e.textContent), /^现场检查笔录 〔\d{4}〕第 \d{4} 号$/);
  await context.close();
});
