// Driving the officer's app as an officer would: taps and typing on a
// tablet-sized Chromium page.
import { before, after } from "node:test";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { launch } from "../browser/harness.mjs";
import { PASSWORD, startHq } from "./hq.mjs";

export const TABLET = { width: 1024, height: 768 };
export const PORTRAIT = { width: 768, height: 1024 };

export async function newContext(browser, viewport = TABLET) {
  return browser.newContext({ viewport, serviceWorkers: "allow", locale: "zh-CN", timezoneId: "Asia/Shanghai", hasTouch: true });
}

export { launch };

/** One HQ process and one Chromium for a test file: started before its tests, stopped after; `take` receives { hq, browser }. */
export function hqAndBrowser(take, hqOptions) {
  let started;
  before(async () => {
    started = { hq: await startHq(hqOptions), browser: await launch() };
    take(started);
  });
  after(async () => {
    await started?.browser.close();
    started?.hq.stop();
  });
}

/** A fresh tablet (its own browser context) with the officer signed in. */
export async function signedIn(browser, url, login = "chen") {
  const context = await newContext(browser);
  const page = await open(context, url);
  await signIn(page, login);
  return { context, page };
}

/** Poll `fn` until it returns something truthy (Playwright's waitForFunction does not await). */
export async function until(fn, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function open(context, url, { before } = {}) {
  const page = await context.newPage();
  await before?.(page);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/Failed to load resource|net::ERR/.test(m.text()) && errors.push(m.text()));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  page.errors = errors;
  return page;
}

export async function signIn(page, login = "chen") {
  await page.waitForSelector("#login-form");
  await page.fill("input[name=login]", login);
  await page.fill("input[name=password]", PASSWORD);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#new-visit");
}

/** Wait until the service worker controls the page (after the first load it does on reload). */
export async function untilControlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
  }
}

const id = (ptr) => "#f" + ptr.replace(/[^a-zA-Z0-9]/g, "_");

export async function fill(page, ptr, value) {
  const sel = id(ptr);
  const tag = await page.$eval(sel, (el) => el.tagName);
  await page.locator(sel).scrollIntoViewIfNeeded();
  if (tag === "SELECT") await page.selectOption(sel, String(value));
  else await page.fill(sel, String(value));
}

export async function fillHeader(page, { operator = "福州某某生鲜超市有限公司", creditCode = "91350100M000100Y43", site = "某某农贸市场", certificate = "35010019001" } = {}) {
  await fill(page, "/operator/name", operator);
  await fill(page, "/operator/creditCode", creditCode);
  await fill(page, "/operator/address", "福州市鼓楼区某某路 18 号");
  await fill(page, "/site/name", site);
  await fill(page, "/site/kind", "farmersMarket");
  await fill(page, "/site/address", "福州市鼓楼区某某路 18 号");
  await fill(page, "/officers/0/name", "陈某");
  await fill(page, "/officers/0/certificateNo", certificate);
  await fill(page, "/officers/1/name", "王某");
  await fill(page, "/officers/1/certificateNo", "35010019002");
}

/** Tap "new visit" and fill its header. */
export async function startVisit(page, header = {}) {
  await page.click("#new-visit");
  await page.waitForSelector("#editor");
  await fillHeader(page, header);
}

/** A draft visit saved on the device (tap 保存); its id. */
export async function draft(page, header = {}) {
  await startVisit(page, header);
  await page.click("#save");
  await page.waitForSelector("#saved-note:has-text('已保存')");
  return page.$eval("#editor", (e) => e.dataset.id);
}

/**
 * The date `days` from the day the test runs, as the tablet (in China) reads it:
 * test data is never tied to a calendar date, so the suite passes on any day.
 */
export function daysFromToday(days) {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
}

/** One item of each of the four kinds, the fields the core requires plus a few that matter. */
export async function addItems(page, kinds = ["price", "metrology", "equipment", "sampling"]) {
  const add = async (kind, base, values) => {
    await page.click(`#add-${kind}`);
    for (const [k, v] of Object.entries(values)) await fill(page, `${base}/${k}`, v);
  };
  if (kinds.includes("price")) await add("price", "/priceChecks/0", { subject: "goods", itemName: "猪肉（前腿）", tagPresent: "true", markedPrice: 15.8, pricingUnit: "元/500克", chargedPrice: 16.8 });
  if (kinds.includes("metrology")) {
    await add("metrology", "/instrumentChecks/0", { instrumentType: "priceScale", serialNo: "ACS-15-0001", tradeUse: "true", accuracyClass: "III", maxG: 15000, minG: 100, eG: 5, "verification/markPresent": "true", "verification/validUntil": daysFromToday(180), seal: "intact" });
  }
  if (kinds.includes("equipment")) await add("equipment", "/equipmentChecks/0", { kind: "lift", registrationNo: "梯11闽A00001(20)", firstUsedOn: "2020-05-01", nextInspectionDue: daysFromToday(180), lastInspectionResult: "pass", inUse: "true" });
  if (kinds.includes("sampling")) {
    await add("sampling", "/samples/0", { sampleNo: "DC26350100001", category: "food", productName: "芹菜", batchNo: daysFromToday(-1).replaceAll("-", ""), productionDate: daysFromToday(-1), shelfLifeDays: 7, testQuantity: 1.5, backupQuantity: 1, quantityUnit: "kg", sealNos: "FT-0001，FT-0002", samplers: "陈某，王某", sealsSignedByOperator: "true" });
  }
}

export const PHOTO = readFileSync(new URL("../../../www/public/icon-192.png", import.meta.url));

export async function addPhoto(page, itemSelector) {
  await page.setInputFiles(`${itemSelector} input[type=file]`, { name: "photo.png", mimeType: "image/png", buffer: PHOTO });
  await page.waitForSelector(`${itemSelector} img.thumb`);
}

/** The operator signs on the pad: with a mouse, or (`finger`) with touch events as on a tablet. */
export async function sign(page, { finger = false } = {}) {
  await page.fill("#signer-name", "林某");
  const pad = await page.$("#signature-pad");
  await pad.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 120)); // clear of the sticky header
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const at = (i) => ({ x: box.x + 40 + i * 40, y: box.y + box.height / 2 + (i === 0 ? 0 : i % 2 ? 30 : -30) });
  if (finger) {
    const cdp = await page.context().newCDPSession(page);
    const touch = (type, points) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points });
    await touch("touchStart", [at(0)]);
    for (let i = 1; i <= 10; i++) await touch("touchMove", [at(i)]);
    await touch("touchEnd", []);
    await cdp.detach();
  } else {
    await page.mouse.move(at(0).x, at(0).y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(at(i).x, at(i).y);
    await page.mouse.up();
  }
  await page.click("#confirm-signature");
  await page.waitForSelector("#signed");
}

/**
 * "@N" in test data: N days after `day` (YYYY-MM-DD), so cases are written
 * relative to the visit and never tied to a calendar date.
 */
export function dated(value, day) {
  if (typeof value === "string" && value.startsWith("@")) {
    return new Date(Date.parse(day + "T00:00:00Z") + Number(value.slice(1)) * 86_400_000).toISOString().slice(0, 10);
  }
  if (Array.isArray(value)) return value.map((v) => dated(v, day));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dated(v, day)]));
  return value;
}

/**
 * Enter one item of a kind of check as an officer does: tap ＋, choose the
 * subtype, then fill each value in the field the editor shows for it (a
 * field that is not shown fails the test). `values` is the record's shape.
 */
export async function enterItem(page, { kind, list, subtype }, index, values) {
  await page.click(`#add-${kind}`);
  const base = `/${list}/${index}`;
  await page.waitForSelector(`[data-ptr="${base}"]`);
  if (subtype && values[subtype] !== undefined) {
    await fill(page, `${base}/${subtype}`, values[subtype]);
    await page.waitForSelector(`[data-ptr="${base}"][data-subtype="${values[subtype]}"]`);
  }
  await enterValues(page, base, Object.fromEntries(Object.entries(values).filter(([k]) => k !== subtype)));
}

async function enterValues(page, base, values) {
  for (const [key, value] of Object.entries(values)) {
    const ptr = `${base}/${key}`;
    if (Array.isArray(value) && value.some((v) => v && typeof v === "object")) {
      for (const [i, row] of value.entries()) {
        await page.click(`[data-add-row="${ptr}"]`);
        await enterValues(page, `${ptr}/${i}`, row);
      }
    } else if (value && typeof value === "object" && !Array.isArray(value)) {
      await enterValues(page, ptr, value); // a group of fields, e.g. verification.*
    } else if (Array.isArray(value) && (await page.getAttribute(`[data-ptr="${ptr}"]`, "data-input")) === "multi") {
      for (const v of value) await page.check(`[data-ptr="${ptr}"] input[value="${v}"]`);
    } else if (Array.isArray(value)) {
      await fill(page, ptr, value.join("，"));
    } else {
      await fill(page, ptr, value);
    }
  }
}

/** Tap finalise; confirm warnings if asked. Ends on the result screen. */
export async function finalise(page) {
  await page.click("#finalise");
  const outcome = await Promise.race([
    page.waitForSelector("#verdict").then(() => "done"),
    page.waitForSelector("#confirm-and-finalise").then(() => "confirm"),
  ]);
  if (outcome === "confirm") {
    await page.click("#confirm-and-finalise");
    await page.waitForSelector("#verdict");
  }
}

export async function pendingCount(page) {
  return Number(await page.getAttribute("#pending-count", "data-count"));
}

/** Wait until the outbox is empty in IndexedDB (the truth) and the status bar says so. */
export async function untilSynced(page, timeout = 60_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const [queued, shown] = await page.evaluate(async () => [await window.xuncha.app.db.count("outbox"), document.querySelector("#pending-count")?.dataset.count]);
    if (queued === 0 && shown === "0") return;
    if (Date.now() > end) throw new Error(`still ${queued} queued (${shown} shown)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Local records as the app stores them. */
export async function localRecords(page) {
  return page.evaluate(async () => (await window.xuncha.app.db.getAll("records")).map((r) => ({ id: r.id, kind: r.kind, state: r.state, status: r.record.status })));
}

/** Wait until a local record reaches `state` (polled from the test: waitForFunction does not await). */
export async function untilState(page, id, state, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const now = await page.evaluate(async (id) => (await window.xuncha.app.db.get("records", id))?.state, id);
    if (now === state) return;
    if (Date.now() > end) throw new Error(`record ${id} is ${now}, not ${state}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The opening notice given (certificates shown, rights told, no recusal asked): what every document needs. */
export async function giveNotice(page) {
  await fill(page, "/notice/credentialsShown", "true");
  await fill(page, "/notice/rightsTold", "true");
  await fill(page, "/notice/recusalRequested", "false");
}

export const DESKTOP = { width: 1280, height: 800 };

/** The staff console in a fresh desktop browser, signed in as `login`. */
export async function staffConsole(browser, url, login = "staff1") {
  const context = await browser.newContext({ viewport: DESKTOP, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await open(context, `${url}/staff/`);
  await page.fill('#sign-in input[name="login"]', login);
  await page.fill('#sign-in input[name="password"]', PASSWORD);
  await page.click('#sign-in button[type="submit"]');
  await page.waitForSelector("#figures");
  return { context, page };
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core on the page as it is: no serious or critical violation. */
export async function axe(page, name) {
  // Evaluated over DevTools, not as an inline script: the app's CSP (rightly) refuses those.
  await page.evaluate(readFileSync(AXE, "utf8"));
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), [], `axe on ${name}`);
}
