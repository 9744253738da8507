// A full visit of each kind, offline from start to finalised; a reload while
// offline; back online → every record at HQ exactly once, with its photos.
// Screenshots (1024×768 and 768×1024) and an axe-core check on each screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { hqAndBrowser, axe, until, startVisit, daysFromToday, newContext, open, signIn, untilControlled, addItems, addPhoto, sign, finalise, untilSynced, untilState, localRecords, PHOTO, PORTRAIT, TABLET } from "./app-driver.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

async function shoot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/app-${name}-${page.viewportSize().width}x${page.viewportSize().height}.png`, fullPage: false });
}

test("an offline visit of each kind is finalised, survives a reload offline, and reaches HQ once with its photos", async () => {
  const context = await newContext(browser);
  const page = await open(context, hq.url);
  await signIn(page);
  await axe(page, "today (empty)");
  await untilControlled(page);

  await context.setOffline(true);
  await startVisit(page);
  await addItems(page);
  await addPhoto(page, '[data-ptr="/priceChecks/0"]');
  // Findings arise as the officer types: charged 16.8 against a marked 15.8.
  await page.waitForSelector('#findings [data-code="PRICE.ABOVE_MARKED"]');
  await sign(page);
  await shoot(page, "editor");
  await axe(page, "editor");
  await finalise(page);
  await shoot(page, "result");
  await axe(page, "result");
  // Exactly what the entered items break: the tag lacks its elements, 16.8 charged
  // against 15.8 marked, and the lift has no maintenance date; nothing else (the
  // sample is in date, the scale and the lift verified for months to come).
  const findings = await page.$$eval("#result-findings .finding", (els) => els.map((e) => e.dataset.code));
  assert.deepEqual(findings.sort(), ["EQ.LIFT_MAINTENANCE", "PRICE.ABOVE_MARKED", "PRICE.MISSING_ELEMENT"]);
  // And their time limits, from today: 3 and 7 calendar days to rectify, 5 working days to the lab.
  const today = daysFromToday(0);
  const labBy = await page.evaluate((d) => window.xuncha.core.addWorkingDays(d, 5).value, today);
  const deadlines = await page.$$eval("#result .deadlines li", (els) => els.map((e) => e.innerText));
  assert.deepEqual(deadlines.map((d) => d.match(/：(\d{4}-\d{2}-\d{2})/)?.[1]), [daysFromToday(3), daysFromToday(7), labBy], deadlines.join(" | "));
  assert.match(deadlines[0], /标价签要素不全/);
  assert.match(deadlines[1], /电梯/);
  assert.match(deadlines[2], /送达检验机构/);
  const visitId = await page.$eval("#result", () => location.hash.split("/")[2]);

  // Reload with no network: the app starts from the service worker's cache, and the record is there.
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  await page.goto(hq.url + "#/");
  await page.waitForSelector(`[data-id="${visitId}"]`);
  assert.equal(await page.getAttribute(`[data-id="${visitId}"]`, "data-status"), "finalised");
  assert.notEqual(await page.getAttribute("#pending-count", "data-count"), "0", "waiting to sync");
  assert.equal(await page.getAttribute("#photos-waiting", "data-count"), "2", "the photo and the signature wait too");
  // No signal is said in the officer's words, not the browser's.
  await page.evaluate(() => window.xuncha.syncNow());
  await page.waitForSelector("#sync-error[data-code=OFFLINE]");
  const status = await page.$eval("#sync-status", (e) => e.innerText);
  assert.match(status, /无信号/);
  assert.doesNotMatch(status, /fetch|network/i);
  await shoot(page, "today-offline");
  await axe(page, "today");

  // Signal returns.
  await context.setOffline(false);
  await untilSynced(page);
  await untilState(page, visitId, "synced");
  const at = (await hq.staffPull()).filter((c) => c.kind === "visit");
  assert.deepEqual(at.map((c) => c.id), [visitId], "exactly one visit at HQ");
  const trail = await hq.changesOf(visitId);
  assert.equal(new Set(trail.map((c) => c.revision)).size, trail.length, "no revision stored twice");
  assert.equal(trail.at(-1).revision, at[0].revision);
  assert.equal(at[0].record.status, "finalised");
  // Photos follow their record: the price photo and the signature image.
  await page.evaluate(() => window.xuncha.syncNow());
  const staff = await hq.token("staff1");
  for (let i = 0; i < 40; i++) {
    const missing = (await hq.api("GET", "/api/v1/attachments/missing", { token: staff })).json.missing;
    if (missing.length === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual((await hq.api("GET", "/api/v1/attachments/missing", { token: staff })).json.missing, []);
  const photoSha = at[0].record.priceChecks[0].photoSha256[0];
  const photo = await hq.api("GET", `/api/v1/attachments/${photoSha}`, { token: staff, raw: true });
  assert.deepEqual(Buffer.from(await photo.resp.arrayBuffer()), PHOTO, "the photo's bytes, unchanged");
  assert.ok(at[0].record.signature.imageSha256);
  // All sent: the status bar says so, and nothing else (no stray "null" from an empty part).
  await until(async () => !(await page.$("#photos-waiting")));
  assert.match(await page.$eval("#sync-status", (e) => e.innerText), /全部已同步/);
  assert.doesNotMatch(await page.$eval("#sync-status", (e) => e.innerText), /null|undefined/);

  // Dashboard and settings, both orientations.
  await page.goto(hq.url + "#/dashboard");
  await page.waitForSelector("#figures");
  await shoot(page, "dashboard");
  await axe(page, "dashboard");
  await page.goto(hq.url + "#/settings");
  await page.waitForSelector("#persisted");
  await axe(page, "settings");
  await shoot(page, "settings");
  await page.setViewportSize(PORTRAIT);
  for (const [hash, name, sel] of [["#/", "today", "#visit-list"], [`#/visit/${visitId}/result`, "result", "#verdict"], ["#/dashboard", "dashboard", "#figures"], ["#/new", "editor", "#editor"]]) {
    await page.goto(hq.url + hash);
    await page.waitForSelector(sel);
    await shoot(page, name);
  }
  await page.setViewportSize(TABLET);
  assert.deepEqual(page.errors, []);
  assert.deepEqual((await localRecords(page)).filter((r) => r.state !== "synced"), [], "nothing left unsynced");
  await context.close();
});
