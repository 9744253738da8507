// The demo bureau (`make demo`): seeded by HQ's admin command through the
// same write path as tablets and the console; the clerk it prints signs in to
// a console with every screen filled in, the bureau named as demo data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { hqAndBrowser, open, axe, DESKTOP } from "./app-driver.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started), { empty: true });

test("a newcomer starts on a demo bureau: the printed clerk signs in and every figure has records behind it", async () => {
  const said = hq.admin("seed-demo", "--visits", "300");
  assert.match(said, /（演示数据） \(\d+ records written, 0 refused\)/);
  const [, login, password] = /staff\s+(\S+)\s+\S+ \/ (\S+)/.exec(said) ?? [];
  assert.equal(login, "demo-clerk");

  const context = await browser.newContext({ viewport: DESKTOP, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await open(context, `${hq.url}/staff/`);
  await page.fill('#sign-in input[name="login"]', login);
  await page.fill('#sign-in input[name="password"]', password);
  await page.click('#sign-in button[type="submit"]');
  await page.waitForSelector("#figures");
  assert.match(await page.textContent("#who"), /演示数据/);
  // The whole year: visits, violations, lab results and rectifications all there.
  await page.selectOption('#period-picker select[name="kind"]', "year");
  await page.click('#period-picker button[type="submit"]');
  await page.waitForFunction(() => location.hash.includes("kind=year"));
  await page.waitForSelector("#figures");
  const value = async (id) => Number((await page.textContent(`#fig-${id} .value`)) ?? "0");
  assert.ok((await value("visits")) > 50 && (await value("violations")) > 0 && (await value("batches")) > 0, "a year's figures");
  // Sampling by product category and equipment by kind, in the table and in the paragraph's words.
  const categories = await page.$$eval("#by-category tbody tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.ok(categories.length > 3, JSON.stringify(categories));
  const [label, batches, failed] = categories[0];
  assert.match(await page.textContent('.paragraph[data-key="sampling"] p'), new RegExp(`其中${label}${batches}个批次，${failed}个批次不合格`));
  assert.ok((await page.$$("#by-equipment-kind tbody tr")).length >= 1);
  assert.match(await page.textContent('.paragraph[data-key="equipment"] p'), /（其中电梯\d+台/);
  await axe(page, "demo-figures");
  await page.screenshot({ path: `${ARTIFACTS}/demo-figures-1280x800.png`, fullPage: true });
  // Drill from the violations to their records, and open one.
  const violations = await value("violations");
  await page.click("#fig-violations");
  await page.waitForSelector("#behind .behind-row");
  assert.equal(Number(await page.getAttribute("#behind", "data-total")), violations);
  await page.screenshot({ path: `${ARTIFACTS}/demo-behind-1280x800.png` });
  await page.click("#behind .behind-row a");
  await page.waitForSelector("#record #record-findings");
  // The deadlines board has the open limits of a living bureau.
  await page.click("#nav-deadlines");
  await page.waitForSelector("#deadlines tr.deadline");
  await page.screenshot({ path: `${ARTIFACTS}/demo-deadlines-1280x800.png` });
  assert.deepEqual(page.errors, []);
  await context.close();
});
