// Anyone re-runs a published 双随机 draw at /staff/#/draw-check, signed in or
// not: the published inputs, seed and commitment give, in their own browser,
// exactly the list the core publishes (tests/golden/draw.json, made natively);
// a seed that is not the one committed to is refused in words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { hqAndBrowser, newContext, open } from "./app-driver.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });
const INPUTS = readFileSync(new URL("../../fixtures/draw_inputs.json", import.meta.url), "utf8");
const PUBLISHED = JSON.parse(readFileSync(new URL("../../golden/draw.json", import.meta.url), "utf8"));
const SEED = PUBLISHED.seed;

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

test("a published draw re-run in the browser gives the published list", async () => {
  const context = await newContext(browser, { width: 1280, height: 800 });
  const page = await open(context, `${hq.url}/staff/#/draw-check`);
  await page.waitForSelector("#draw-form");
  const run = async (commitment) => {
    await page.fill('#draw-form textarea[name="inputs"]', INPUTS);
    await page.fill('#draw-form input[name="seed"]', SEED);
    await page.fill('#draw-form input[name="commitment"]', commitment);
    await page.click('#draw-form button[type="submit"]');
  };
  await run(createHash("sha256").update(SEED).digest("hex"));
  await page.waitForSelector("#commitment-ok");
  assert.equal(await page.textContent("#inputs-hash"), PUBLISHED.inputsSha256);
  for (const m of PUBLISHED.matters) {
    const rows = await page.$$eval(`.matter-draw[data-matter="${m.matter}"] tbody tr`, (els) => els.map((e) => e.dataset.creditCode));
    assert.deepEqual(rows, m.picked.map((p) => p.creditCode), m.matter);
  }
  await page.screenshot({ path: `${ARTIFACTS}/staff-draw-check-1280x800.png`, fullPage: true });
  await run("0".repeat(64));
  await page.waitForSelector("#draw-error");
  assert.match(await page.textContent("#draw-error"), /承诺值与种子不符/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
