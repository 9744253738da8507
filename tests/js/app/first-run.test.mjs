// First run: HQ started with no accounts prints a one-time link; the staff
// console's setup page makes the bureau and its first staff account, signs in
// as it, and the link does not work twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { hqAndBrowser, newContext, open } from "./app-driver.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started), { empty: true });

test("the printed link makes the bureau and its first clerk, once", async () => {
  assert.match(hq.setupLink ?? "", /\/staff\/#\/setup\?code=[0-9a-f]{32}$/);
  const context = await newContext(browser, { width: 1280, height: 800 });
  const page = await open(context, hq.setupLink);
  await page.waitForSelector("#setup");
  await page.fill('#setup input[name="bureau"]', "福州市鼓楼区市场监督管理局");
  await page.fill('#setup input[name="login"]', "lin");
  await page.fill('#setup input[name="name"]', "林某");
  await page.fill('#setup input[name="password"]', "first horse 11");
  await page.screenshot({ path: `${ARTIFACTS}/staff-first-run-1280x800.png` });
  await page.click('#setup button[type="submit"]');
  await page.waitForSelector("#figures");
  assert.match(await page.textContent(".who"), /林某/);
  // The same link again: closed, in words.
  const again = await context.newPage();
  await again.goto(hq.setupLink);
  await again.waitForSelector("#setup");
  await again.fill('#setup input[name="bureau"]', "别的局");
  await again.fill('#setup input[name="login"]', "intruder");
  await again.fill('#setup input[name="name"]', "某");
  await again.fill('#setup input[name="password"]', "another horse 12");
  await again.click('#setup button[type="submit"]');
  await again.waitForFunction(() => document.querySelector("#setup-error")?.textContent);
  assert.match(await again.textContent("#setup-error"), /无效或已使用/);
  await context.close();
});
