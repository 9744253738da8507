// The record-check console (what `make run` serves) on the *release* wasm in
// real Chromium: it loads with no errors, shows problems as the record is
// edited, refuses to finalise a bad record and finalises a good one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { launch, serve, watchErrors } from "./harness.mjs";

const SITE = process.env.SITE_DIR ?? new URL("../../../target/site", import.meta.url).pathname;
const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
let browser, site;

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launch();
  site = await serve(SITE);
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function open(viewport = { width: 1024, height: 768 }) {
  const page = await browser.newPage({ viewport });
  const errors = watchErrors(page);
  await page.goto(site.url + "console.html");
  await page.waitForFunction(() => document.querySelector("#summary")?.textContent !== "");
  return { page, errors };
}

async function editRecord(page, change) {
  const text = await page.inputValue("#record");
  const record = JSON.parse(text);
  change(record);
  await page.fill("#record", JSON.stringify(record, null, 2));
}

const problemTexts = (page) => page.$$eval("#problems li .code", (els) => els.map((e) => e.textContent));

test("the example loads clean on the release build", async () => {
  for (const [name, viewport] of [["landscape", { width: 1024, height: 768 }], ["portrait", { width: 768, height: 1024 }]]) {
    const { page, errors } = await open(viewport);
    assert.match(await page.textContent("#summary"), /可以定稿/);
    assert.deepEqual(await problemTexts(page), []);
    assert.match(await page.textContent("#version"), /xuncha core \d+\.\d+\.\d+/);
    await page.screenshot({ path: `${ARTIFACTS}/console-${name}.png` });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test("problems appear as the record is edited, beside their field path", async () => {
  const { page, errors } = await open();
  await editRecord(page, (r) => { r.operator.creditCode = "91350200776049653B"; });
  assert.deepEqual(await problemTexts(page), ["CREDIT_CODE_CHECK · /operator/creditCode"]);
  assert.equal(await page.getAttribute("#problems li", "class"), "warning");
  await editRecord(page, (r) => { r.officers.pop(); });
  const codes = await problemTexts(page);
  assert.ok(codes.includes("TOO_FEW_OFFICERS · /officers"), codes.join());
  assert.match(await page.textContent("#summary"), /1 处错误/);
  await page.fill("#record", "{ not json");
  assert.match(await page.textContent("#summary"), /不是有效的 JSON/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("finalising is refused with the reasons, then succeeds on a good record", async () => {
  const { page, errors } = await open();
  await editRecord(page, (r) => { delete r.signature; });
  await page.click("#finalise");
  assert.match(await page.textContent("#summary"), /还有 1 处错误需要改正才能定稿/);
  assert.deepEqual(await problemTexts(page), ["HANDOVER_MISSING · /signature"]);
  await page.click("#reset");
  await page.waitForFunction(() => /可以定稿/.test(document.querySelector("#summary").textContent));
  await page.click("#finalise");
  assert.equal(await page.textContent("#summary"), "已定稿");
  const done = JSON.parse(await page.inputValue("#record"));
  assert.equal(done.status, "finalised");
  assert.ok(done.finalisedAt && done.endedAt);
  assert.deepEqual(errors, []);
  await page.close();
});

test("compliance findings appear with their legal basis, measures and deadline", async () => {
  const { page, errors } = await open();
  assert.match(await page.textContent("#verdict"), /未发现违法问题/);
  await editRecord(page, (r) => { r.instrumentChecks[0].weighings[0].readingG = 10015; });
  assert.match(await page.textContent("#verdict"), /发现 1 项违法问题/);
  const finding = await page.textContent("#findings li");
  assert.match(finding, /秤的示值误差超过使用中检验最大允许误差/);
  assert.match(finding, /误差 \+15 g/);
  assert.match(finding, /依据：《计量法》第九条、第二十六条/);
  assert.match(finding, /责令停止使用/);
  assert.match(finding, /整改期限 \d{4}-\d{2}-\d{2}/);
  assert.match(finding, /MET\.SCALE_MPE · \/instrumentChecks\/0\/weighings\/0/);
  assert.match(await page.textContent("#deadlines"), /样品应在抽样后5个工作日内送达检验机构/);
  await page.screenshot({ path: `${ARTIFACTS}/console-finding.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("warnings are confirmed with a second tap, and the confirmation is kept", async () => {
  const { page, errors } = await open();
  await editRecord(page, (r) => { r.operator.creditCode = "91350200776049653B"; });
  assert.equal(await page.isVisible("#confirm"), false);
  await page.click("#finalise");
  assert.match(await page.textContent("#summary"), /有 1 项提示需要确认/);
  assert.equal(await page.isVisible("#confirm"), true);
  await page.click("#confirm");
  assert.equal(await page.textContent("#summary"), "已定稿");
  const done = JSON.parse(await page.inputValue("#record"));
  assert.deepEqual(done.confirmedWarnings, [{ code: "CREDIT_CODE_CHECK", path: "/operator/creditCode" }]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("English is one tap away", async () => {
  const { page } = await open();
  await page.click("#lang");
  assert.equal(await page.textContent("#finalise"), "Finalise");
  assert.match(await page.textContent("#summary"), /Ready to finalise/);
  await page.screenshot({ path: `${ARTIFACTS}/console-english.png` });
  await page.close();
});
