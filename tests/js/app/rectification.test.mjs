// Rectifications (整改), on real tablets and the console against a real HQ:
// the officer goes back and records the re-inspection (复查) on the tablet,
// offline, with a photo; a clerk closes another visit's rectification on the
// documents the operator sent in, the reason required; both are counted in
// HQ's figures (按期整改率), leave the deadlines board, and reach the tablet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { hqAndBrowser, newContext, open, signIn, startVisit, addItems, sign, finalise, untilSynced, until, giveNotice, staffConsole, axe, TABLET, DESKTOP, PHOTO } from "./app-driver.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

const today = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });

/** A price visit with the charge above the tag: ordered corrected. Its id. */
async function visitWithOrder(page, operator) {
  await page.goto(`${hq.url}/#/`);
  await page.waitForSelector("#new-visit");
  await startVisit(page, { operator });
  await giveNotice(page);
  await addItems(page, ["price"]);
  await sign(page);
  await finalise(page);
  return page.evaluate(() => location.hash.split("/")[2]);
}

async function rectificationFigures() {
  const year = today().slice(0, 4);
  const { json } = await hq.api("GET", `/api/v1/staff/summary?period=${year}&asOf=${today()}`, { token: await hq.token("staff1") });
  return json.summary.figures.rectification;
}

test("an officer records a re-inspection on the tablet, offline, and a clerk closes another on documents; both are counted and reach the tablet", async () => {
  const tablet = await newContext(browser, TABLET);
  const officer = await open(tablet, hq.url);
  await signIn(officer);
  const closedByClerk = await visitWithOrder(officer, "文书整改商行");
  await untilSynced(officer);

  // No signal: the officer goes back to the first shop and finds the tags put right.
  await tablet.setOffline(true);
  const rechecked = await visitWithOrder(officer, "复查商行");
  await officer.waitForSelector("#rectifications");
  const waiting = Number(await officer.getAttribute("#rectifications-waiting", "data-count"));
  assert.ok(waiting >= 1, "the order's findings wait for their re-inspection");
  await officer.click("#recheck-open");
  // Nothing answered: the core says so, in words.
  await officer.click('#recheck-form button[type="submit"]');
  await officer.waitForSelector('#recheck-problems .problem[data-path="/items"]');
  assert.match(await officer.textContent("#recheck-problems"), /请至少核查一项/);
  const items = await officer.$$("#recheck-form .recheck-item");
  for (let i = 0; i < items.length; i++) {
    await officer.check(`#recheck-form input[name="outcome-${i}"][value="rectified"]`);
  }
  await officer.fill('#recheck-form input[name="note-0"]', "价签已更换，收费与标价一致");
  await officer.setInputFiles('#recheck-form input[name="photo-0"]', { name: "recheck.png", mimeType: "image/png", buffer: PHOTO });
  await officer.locator("#recheck-form").scrollIntoViewIfNeeded();
  await officer.screenshot({ path: `${ARTIFACTS}/recheck-form-1024x768.png` });
  await officer.click('#recheck-form button[type="submit"]');
  await officer.waitForSelector('#rectifications-waiting[data-count="0"]');
  assert.match(await officer.textContent("#rectifications-waiting"), /均已复查整改/);
  const statuses = await officer.$$eval("#rectifications .rectification-row", (els) => els.map((e) => e.dataset.status));
  assert.ok(statuses.length === waiting && statuses.every((s) => s === "metOnTime"), statuses.join());
  assert.match(await officer.textContent("#rectifications .last-recheck"), /现场复查.*已整改.*价签已更换/);
  await officer.locator("#rectifications").scrollIntoViewIfNeeded();
  await officer.screenshot({ path: `${ARTIFACTS}/rectified-1024x768.png` });

  // With signal, the re-inspection and its photo reach HQ and are counted on time.
  await tablet.setOffline(false);
  await untilSynced(officer);
  const recheck = (await hq.staffPull()).find((c) => c.kind === "rectification" && c.record.visitId === rechecked)?.record;
  assert.equal(recheck?.method, "onSite");
  await until(async () => (await hq.api("GET", `/api/v1/attachments/${recheck.items[0].photoSha256[0]}`, { token: await hq.token("staff1"), raw: true })).status === 200);
  let figures = await rectificationFigures();
  assert.equal(figures.onTime, waiting);
  assert.equal(figures.open, figures.ordered - waiting);

  // The clerk: from the deadlines board, the other visit's rectification, closed on documents.
  const { context, page } = await staffConsole(browser, hq.url);
  await page.click("#nav-deadlines");
  await page.waitForSelector("#deadlines");
  const visitsOnBoard = await page.$$eval("#deadlines tr.deadline", (els) => els.map((e) => e.dataset.visit));
  assert.ok(!visitsOnBoard.includes(rechecked), "the re-inspected visit's limits left the board");
  await page.click(`#deadlines tr.deadline[data-visit="${closedByClerk}"] a.action`);
  await page.waitForSelector("#rectify-form");
  // Without the reason the core refuses, at the field's name.
  await page.click("#save-rectify");
  await page.waitForSelector('#rectify-problems .problem[data-path="/reason"]');
  await page.fill("#rectify-reason", "当事人提交了更换后的价签照片和收费凭证，经核对收费与标价一致");
  await axe(page, "rectify");
  await page.screenshot({ path: `${ARTIFACTS}/staff-rectify-1280x800.png`, fullPage: true });
  await page.setViewportSize(TABLET);
  await page.screenshot({ path: `${ARTIFACTS}/staff-rectify-1024x768.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
  await page.click("#save-rectify");
  await page.waitForSelector("#rectify-outcome.ok-note");
  figures = await rectificationFigures();
  assert.equal(figures.open, 0);
  assert.equal(figures.onTime, figures.ordered);
  // The record shows both ways of closing, each finding met on time.
  await page.click("#rectify-outcome a");
  await page.waitForSelector("#record-rectifications");
  assert.match(await page.textContent("#record-rectifications .rechecks"), /书面审查.*已整改.*收费凭证/);
  assert.ok((await page.$$eval("#record-rectifications li[data-status]", (els) => els.map((e) => e.dataset.status))).every((s) => s === "metOnTime"));
  await axe(page, "record-rectifications");
  await page.locator("#record-rectifications").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/staff-record-rectifications-1280x800.png` });
  // The figures screen's paragraph says it: every rectification on time.
  await page.click("#nav-figures");
  await page.waitForSelector("#figures");
  assert.equal(await page.textContent("#fig-ordered .value"), String(figures.ordered));
  // The on-time figure opens both visits.
  await page.click("#fig-on-time");
  await page.waitForSelector("#behind");
  assert.deepEqual((await page.$$eval("#behind .behind-row", (els) => els.map((e) => e.dataset.id))).sort(), [closedByClerk, rechecked].sort());
  await page.goto(`${hq.url}/staff/#/`);
  await page.waitForSelector("#figures");
  assert.match(await page.textContent('.paragraph[data-key="total"] p'), new RegExp(`责令整改${figures.ordered}项，已按期整改${figures.onTime}项.*按期整改率100\\.0%`));

  // The officer's tablet shows the clerk's closure after its next sync.
  await officer.evaluate(() => window.xuncha.syncNow());
  await officer.goto(`${hq.url}/#/visit/${closedByClerk}/result`);
  await until(async () => {
    await officer.reload();
    await officer.waitForSelector("#rectifications");
    return (await officer.getAttribute("#rectifications-waiting", "data-count")) === "0";
  });
  assert.match(await officer.textContent("#rectifications .last-recheck"), /书面审查/);
  // The tablet's own figures count both, from the same records.
  await officer.goto(`${hq.url}/#/dashboard`);
  await officer.waitForSelector("#dashboard-body");
  assert.match(await officer.textContent("#dashboard-body"), /按期整改率100\.0%/);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(officer.errors, []);
  await context.close();
  await tablet.close();
});
