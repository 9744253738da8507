// A visit's credit code read off the business licence's QR code, on a tablet
// without signal: a photo of the code, decoded on the device, the code found
// by the core and checked like a typed one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { hqAndBrowser, newContext, open, signIn, PHOTO, TABLET } from "./app-driver.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

/** A QR code of `text` as a GIF, made by the library the app prints its own with. */
async function qrImage(text) {
  const { default: qrcode } = await import(new URL("../../../www/node_modules/qrcode-generator/dist/qrcode.mjs", import.meta.url).href);
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  return Buffer.from(qr.createDataURL(8, 4).split(",")[1], "base64");
}

async function scan(page, buffer, name = "licence.gif", mimeType = "image/gif") {
  await page.setInputFiles("#licence-photo", { name, mimeType, buffer });
}

test("the credit code is read off the licence's QR code offline, and checked like a typed one", async () => {
  const tablet = await newContext(browser, TABLET);
  const page = await open(tablet, hq.url);
  await signIn(page);
  await tablet.setOffline(true);
  await page.click("#new-visit");
  await page.waitForSelector("#scan-licence");

  // A photo with no QR code in it: the officer is told, nothing is filled in.
  await scan(page, PHOTO, "shop.png", "image/png");
  await page.waitForSelector(".toast-error");
  assert.match(await page.textContent(".toast-error"), /没有识别到二维码/);
  assert.equal(await page.inputValue("#f_operator_creditCode"), "");

  // The licence's link names the code: it goes into the form and passes its check.
  await scan(page, await qrImage("http://www.gsxt.gov.cn/index.html?uniscid=91350100M000100Y43"));
  await page.waitForFunction(() => document.querySelector("#f_operator_creditCode")?.value === "91350100M000100Y43");
  await page.waitForSelector("text=信用代码校验通过");
  await page.locator("#scan-licence").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/licence-scanned-1024x768.png` });

  // A code whose check character is wrong is flagged as a typed one would be.
  await scan(page, await qrImage("91350100M000100Y44"));
  await page.waitForFunction(() => document.querySelector("#f_operator_creditCode")?.value === "91350100M000100Y44");
  await page.waitForSelector('[data-code="CREDIT_CODE_CHECK"], .problem:has-text("校验码")');
  assert.deepEqual(page.errors, []);
  await tablet.close();
});
