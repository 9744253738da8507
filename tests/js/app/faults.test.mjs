// The faults an officer's day brings, each against a real HQ: the page closed
// right after a save; HQ answering 5xx, then recovering; one record rejected;
// an acknowledgement lost after HQ committed; two tabs; an app update with
// records pending; a lab result entered at HQ reaching the tablet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { hqAndBrowser, startVisit, signedIn, draft, until, open, signIn, untilControlled, addItems, sign, finalise, untilSynced, pendingCount } from "./app-driver.mjs";

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started), { copySite: true }); // a copy of the site: the update test changes it





const localState = (page, id) => page.evaluate(async (id) => (await window.xuncha.app.db.get("records", id))?.state, id);

test("the page closed right after a save loses nothing", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await context.setOffline(true);
  const id = await draft(page, { operator: "关页测试商行" });
  await page.close(); // no chance to sync or to flush anything more
  await context.setOffline(false);
  const again = await open(context, hq.url);
  await again.waitForSelector(`[data-id="${id}"]`);
  await untilSynced(again);
  const changes = await until(async () => (await hq.changesOf(id)).length && hq.changesOf(id));
  assert.equal(changes.at(-1).record.operator.name, "关页测试商行");
  await context.close();
});

test("HQ answering 5xx, then recovering: the queue drains with no reload", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  let failures = 0;
  await context.route("**/api/v1/sync/push", (route) => (failures < 3 ? (failures++, route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ code: "STORAGE_UNAVAILABLE", message: { zh: "服务暂时无法保存", en: "unavailable" } }) })) : route.continue()));
  const id = await draft(page, { operator: "五百错误商行" });
  await page.waitForSelector("#sync-error");
  assert.ok(await pendingCount(page) > 0, "still queued while HQ fails");
  await untilSynced(page, 60_000);
  assert.equal(failures, 3);
  assert.equal((await hq.changesOf(id)).length >= 1, true);
  assert.equal(await localState(page, id), "synced");
  assert.equal(await page.$("#sync-error"), null, "the error clears");
  await context.close();
});

test("one record rejected by HQ is shown, and the others sync", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await context.setOffline(true);
  // Not on this visit's officers: HQ refuses it (an officer writes only visits they are on).
  const refused = await draft(page, { operator: "他人检查商行", certificate: "35010019777" });
  await page.goto(hq.url + "#/");
  const good = await draft(page, { operator: "正常商行" });
  await context.setOffline(false);
  await untilSynced(page);
  await until(async () => (await localState(page, refused)) === "rejected");
  assert.equal(await localState(page, good), "synced");
  assert.equal((await hq.changesOf(refused)).length, 0);
  assert.ok((await hq.changesOf(good)).length >= 1);
  await page.goto(hq.url + "#/");
  await page.waitForSelector(`[data-id="${refused}"][data-state="rejected"]`);
  await page.goto(hq.url + `#/visit/${refused}`);
  await page.waitForSelector("#rejected-notice");
  assert.match(await page.$eval("#rejected-notice", (e) => e.innerText), /FORBIDDEN|HQ/);
  await context.close();
});

test("an acknowledgement lost after HQ committed makes no duplicate", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  let lost = 0;
  await context.route("**/api/v1/sync/push", async (route) => {
    if (lost === 0) {
      lost++;
      await route.fetch(); // HQ receives and commits…
      return route.abort("connectionreset"); // …and the answer never arrives
    }
    return route.continue();
  });
  const id = await draft(page, { operator: "丢失应答商行" });
  await untilSynced(page, 60_000);
  assert.equal(lost, 1);
  const changes = await hq.changesOf(id);
  assert.equal(new Set(changes.map((c) => c.revision)).size, changes.length, "each revision once");
  assert.equal(await localState(page, id), "synced");
  const stats = await hq.stats();
  assert.equal(stats.conflicts, 0, "the retry was a replay, not a conflict");
  await context.close();
});

test("two tabs: one syncs at a time, nothing duplicated", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  const second = await open(context, hq.url);
  let inFlight = 0;
  let most = 0;
  await context.route("**/api/v1/sync/**", async (route) => {
    inFlight++;
    most = Math.max(most, inFlight);
    try {
      await new Promise((r) => setTimeout(r, 150)); // widen the window two syncs could overlap in
      await route.continue();
    } finally {
      inFlight--;
    }
  });
  const id = await draft(page, { operator: "双标签商行" });
  await Promise.all([page.evaluate(() => window.xuncha.syncNow()), second.evaluate(() => window.xuncha.syncNow()), second.evaluate(() => window.xuncha.syncNow())]);
  await untilSynced(page);
  await second.waitForSelector(`[data-id="${id}"]`); // the other tab hears of it
  assert.equal(most, 1, "never two sync requests at once");
  const changes = await hq.changesOf(id);
  assert.equal(new Set(changes.map((c) => c.revision)).size, changes.length);
  assert.equal((await hq.stats()).conflicts, 0);
  await context.close();
});

test("an app update while records are pending loses nothing", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await untilControlled(page);
  await context.setOffline(true);
  const id = await draft(page, { operator: "更新前商行" });
  // A new version is deployed (a changed service worker); the tablet sees it when signal returns.
  appendFileSync(join(hq.site, "sw.js"), "\n// build 2\n");
  await context.route("**/api/v1/sync/**", (route) => route.abort("internetdisconnected")); // HQ's API still unreachable
  await context.setOffline(false);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.waitForSelector("#update-now", { timeout: 30_000 });
  assert.ok(await pendingCount(page) > 0);
  await Promise.all([page.waitForEvent("load"), page.click("#update-now")]);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector(`[data-id="${id}"]`);
  assert.ok(await pendingCount(page) > 0, "still queued after the update");
  await context.unroute("**/api/v1/sync/**");
  await page.evaluate(() => window.xuncha.syncNow());
  await untilSynced(page);
  assert.equal((await hq.changesOf(id)).at(-1).record.operator.name, "更新前商行");
  await context.close();
});

test("a lab result entered at HQ shows on the tablet after sync", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await startVisit(page, { operator: "抽检商行" });
  await addItems(page, ["sampling"]);
  await sign(page);
  await finalise(page);
  const visitId = await page.$eval("#result", () => location.hash.split("/")[2]);
  await untilSynced(page);
  const visit = await until(async () => (await hq.changesOf(visitId)).at(-1)?.record);
  // Staff enter the lab result (毒死蜱 over its limit).
  const staff = await hq.token("staff1");
  const followUp = {
    schemaVersion: 1, id: await page.evaluate(() => window.xuncha.core.newId()), visitId, sampleId: visit.samples[0].id,
    sentToLabOn: visit.startedAt.slice(0, 10), labReceivedOn: visit.startedAt.slice(0, 10),
    labResult: { reportNo: "BG-2026-001", labName: "福州市检测中心", reportedOn: visit.startedAt.slice(0, 10),
      items: [{ name: "毒死蜱", value: 0.08, unit: "mg/kg", limit: 0.05, limitUnit: "mg/kg", limitKind: "max", standard: "GB 2763-2021", verdict: "fail" }] },
  };
  const entered = await hq.api("POST", "/api/v1/staff/follow-ups", { token: staff, body: followUp });
  assert.equal(entered.json.status, "accepted", JSON.stringify(entered.json));
  await page.evaluate(() => window.xuncha.syncNow());
  await page.goto(hq.url + `#/visit/${visitId}/result`);
  await page.waitForSelector("#lab-results");
  await until(async () => {
    await page.reload();
    await page.waitForSelector("#lab-results");
    return /毒死蜱 不合格/.test(await page.$eval("#lab-results", (e) => e.innerText));
  });
  // Exactly the failed test item, and the sample's time limits from the visit's day:
  // delivered and reported on time, the disposal open for 90 calendar days.
  assert.deepEqual(await page.$$eval("#result-findings .finding", (els) => els.map((e) => e.dataset.code)), ["SAMP.TEST_ITEM_FAILED"]);
  const day = visit.startedAt.slice(0, 10);
  const working = (n) => page.evaluate(([d, n]) => window.xuncha.core.addWorkingDays(d, n).value, [day, n]);
  const plus = (n) => new Date(Date.parse(day + "T00:00:00Z") + n * 86_400_000).toISOString().slice(0, 10);
  const deadlines = await page.$$eval("#result .deadlines li", (els) => els.map((e) => [e.className, e.innerText.match(/：(\d{4}-\d{2}-\d{2})/)?.[1]]));
  assert.deepEqual(deadlines, [["deadline metOnTime", await working(5)], ["deadline metOnTime", await working(20)], ["deadline open", plus(90)]]);
  await context.close();
});

test("a conflict between two tablets keeps both versions, and the officer keeps theirs", async () => {
  // One officer, two tablets.
  const a = await signedIn(browser, hq.url);
  const b = await signedIn(browser, hq.url);
  const id = await draft(a.page, { operator: "甲平板商行" });
  await untilSynced(a.page);
  await until(async () => (await hq.changesOf(id)).length);
  // Tablet B pulls the draft and changes it; HQ accepts.
  await b.page.evaluate(() => window.xuncha.syncNow());
  await b.page.goto(hq.url + `#/visit/${id}`);
  await b.page.waitForSelector("#editor");
  await b.page.fill("#f_operator_name", "乙平板商行");
  await b.page.click("#save");
  await untilSynced(b.page);
  // Tablet A, not having pulled, changes its older revision: a conflict.
  await a.page.goto(hq.url + `#/visit/${id}`);
  await a.page.waitForSelector("#editor");
  await a.page.fill("#f_operator_name", "甲平板商行（改）");
  await a.page.click("#save");
  await until(async () => (await localState(a.page, id)) === "conflict");
  // A's own version stays on A (the pull after it brought B's, kept beside it).
  await a.page.evaluate(() => window.xuncha.syncNow());
  const local = await a.page.evaluate(async (id) => await window.xuncha.app.db.get("records", id), id);
  assert.equal(local.record.operator.name, "甲平板商行（改）");
  assert.equal(local.remote?.record.operator.name, "乙平板商行");
  assert.equal((await hq.stats()).conflicts >= 1, true, "HQ keeps the conflicting version too");
  // The officer keeps this tablet's version.
  await a.page.goto(hq.url + `#/visit/${id}`);
  await a.page.click("#keep-mine");
  await untilSynced(a.page);
  await until(async () => (await localState(a.page, id)) === "synced");
  assert.equal((await hq.changesOf(id)).at(-1).record.operator.name, "甲平板商行（改）");
  await a.context.close();
  await b.context.close();
});

// Two tablets of one officer: a draft made on A and synced to HQ; its id.
async function twoTabletsOneDraft(operator) {
  const a = await signedIn(browser, hq.url);
  const b = await signedIn(browser, hq.url);
  const id = await draft(a.page, { operator });
  await untilSynced(a.page);
  await until(async () => (await hq.changesOf(id)).length);
  return { a, b, id };
}

// Tablet B pulls the visit, renames its operator and syncs: HQ holds B's version.
async function editOnOther(b, id, operator) {
  await b.page.evaluate(() => window.xuncha.syncNow());
  await b.page.goto(hq.url + `#/visit/${id}`);
  await b.page.waitForSelector("#editor");
  await b.page.fill("#f_operator_name", operator);
  await b.page.click("#save");
  await untilSynced(b.page);
}

// The race behind an intermittent failure of the test above, made certain: a pull
// lands while the editor is open on the older revision. The save is a conflict at
// HQ, and HQ's version stays beside it on the tablet (it was overwritten before).
test("a pull under an open editor: the save is a conflict and HQ's version stays beside it", async () => {
  const { a, b, id } = await twoTabletsOneDraft("编辑中商行");
  await a.page.goto(hq.url + `#/visit/${id}`);
  await a.page.waitForSelector("#editor");
  // Tablet B changes the visit while A's editor is open; A's next pass pulls it under the editor.
  await editOnOther(b, id, "乙改商行");
  await a.page.evaluate(() => window.xuncha.syncNow());
  await until(async () => (await a.page.evaluate(async (id) => (await window.xuncha.app.db.get("records", id))?.record.operator.name, id)) === "乙改商行");
  await a.page.fill("#f_operator_name", "甲改商行");
  await a.page.click("#save");
  await until(async () => (await localState(a.page, id)) === "conflict");
  const local = await a.page.evaluate(async (id) => await window.xuncha.app.db.get("records", id), id);
  assert.equal(local.record.operator.name, "甲改商行");
  assert.equal(local.remote?.record.operator.name, "乙改商行", "HQ's version is kept beside the officer's");
  await a.context.close();
  await b.context.close();
});

// A pull that arrives while a save is still queued must not overwrite it: the
// tablet's work stays, HQ's version is kept beside it. The pull is held at the
// network until the save is queued, so the order is certain.
test("a pull arriving while a save is queued keeps the tablet's work and HQ's version beside it", async () => {
  const { a, b, id } = await twoTabletsOneDraft("排队商行");
  await editOnOther(b, id, "乙排队商行");
  // A's next pull is held until A has queued an edit of its own.
  // The route itself says when a pull is held: a pass the app starts on
  // loading may send its pull before a waitForRequest could be set up.
  let release, pulling;
  const held = new Promise((r) => (release = r));
  const pullHeld = new Promise((r) => (pulling = r));
  await a.context.route("**/api/v1/sync/pull", async (route) => {
    pulling();
    await held;
    await route.continue();
  });
  await a.page.goto(hq.url + `#/visit/${id}`);
  await a.page.waitForSelector("#editor");
  const pass = a.page.evaluate(() => window.xuncha.syncNow()).catch(() => {});
  await pullHeld;
  await a.page.fill("#f_operator_name", "甲排队商行");
  await a.page.click("#save");
  await a.page.waitForSelector("#saved-note:has-text('已保存')");
  const queued = await a.page.evaluate((id) => window.xuncha.app.db.countFromIndex("outbox", "byId", id), id);
  assert.equal(queued, 1, "the edit waits in the outbox");
  release();
  await pass;
  await a.context.unroute("**/api/v1/sync/pull");
  // The held pull may belong to a pass the app started itself (a timer), which syncNow()
  // then only joins: wait for that pass to store its page, then judge what it stored.
  const stored = () => a.page.evaluate(async (id) => await window.xuncha.app.db.get("records", id), id);
  await until(async () => (await stored()).remote, 10_000).catch(() => {});
  const local = await stored();
  assert.equal(local.record.operator.name, "甲排队商行", "the queued work is not overwritten by the pull");
  assert.equal(local.remote?.record.operator.name, "乙排队商行", "HQ's version is kept beside it");
  await a.context.close();
  await b.context.close();
});

test("a session revoked while a visit waits: the status bar leads to sign-in, and the queue drains", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await context.setOffline(true);
  const id = await draft(page, { operator: "会话过期商行" });
  // HQ revokes the tablet's session (expired, or signed out elsewhere) while it is offline.
  const token = await page.evaluate(async () => (await window.xuncha.app.db.get("meta", "session")).value.token);
  assert.equal((await hq.api("POST", "/api/v1/auth/logout", { token })).status < 300, true);
  await context.setOffline(false);
  await page.evaluate(() => window.xuncha.syncNow());
  await page.waitForSelector("a#sync-error[href='#/login']");
  assert.equal(await localState(page, id), "pending", "the visit waits on the tablet");
  await page.click("#sync-error");
  await signIn(page);
  await untilSynced(page);
  assert.equal((await hq.changesOf(id)).at(-1).record.operator.name, "会话过期商行");
  await context.close();
});
