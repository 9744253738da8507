// Every rule in the catalogue, produced by an officer typing into the editor's
// visible fields (tests/fixtures/rule_cases.json, the same table the native
// test checks), each kind's visit finalised; the follow-up rules after staff
// enter the lab result at HQ, with the tablet's clock months after the visit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hqAndBrowser, newContext, open, signIn, startVisit, enterItem, dated, sign, finalise, untilSynced, until, daysFromToday, PORTRAIT } from "./app-driver.mjs";

const CASES = JSON.parse(readFileSync(new URL("../../fixtures/rule_cases.json", import.meta.url), "utf8"));
const RULEBOOK = JSON.parse(readFileSync(new URL("../../../src/rules/rulebook.json", import.meta.url), "utf8"));
const ARTIFACTS = process.env.ARTIFACTS ?? "/tmp";

let hq, browser;
hqAndBrowser((s) => ({ hq, browser } = s));

/** The kind of check of a section, from the core's catalogue in the page. */
async function sectionOf(page, list) {
  return page.evaluate((list) => {
    const s = window.xuncha.app.catalogue.sections.find((x) => x.key === list);
    return { kind: s.kind, list: s.key, subtype: s.subtype };
  }, list);
}

async function findingCodes(page, selector) {
  return page.$$eval(`${selector} .finding`, (els) => els.map((e) => e.dataset.code));
}

test("every rule code arises from the editor alone, and each kind's visit is finalised", async () => {
  // The bureau's rulebook adds a city's own price-tag elements (PRICE.CITY_ELEMENT needs one).
  const book = { ...RULEBOOK, version: `${RULEBOOK.version}-e2e`, cityPriceElements: CASES.cityPriceElements };
  const file = join(hq.dir, "rulebook.json");
  writeFileSync(file, JSON.stringify(book));
  hq.admin("publish-rulebook", file);

  const context = await newContext(browser);
  const page = await open(context, hq.url);
  await signIn(page);
  await page.evaluate(() => window.xuncha.syncNow());
  await until(() => page.evaluate(async (v) => (await window.xuncha.app.db.get("meta", "rulebook"))?.value?.version === v, book.version));
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.evaluate(() => window.xuncha.core.rulebookInfo().version), book.version);

  const today = daysFromToday(0);
  const groups = new Map();
  for (const c of CASES.cases.filter((c) => !c.visitDaysAgo)) groups.set(c.section, [...(groups.get(c.section) ?? []), c]);
  const produced = new Set();
  for (const [list, cases] of groups) {
    await page.goto(hq.url + "#/");
    await startVisit(page, { operator: `${list} 检查对象` });
    for (const c of cases) for (const [k, v] of Object.entries(c.site ?? {})) await page.fill(`#f_site_${k}`, v);
    const sec = await sectionOf(page, list);
    for (const [i, c] of cases.entries()) {
      await enterItem(page, sec, i, dated(c.item, today));
      // Seen while typing, beside the form: the finding of this item.
      for (const code of c.codes) {
        await until(async () => (await findingCodes(page, "#findings")).includes(code), 5_000).catch(async () => {
          throw new Error(`${code}: not shown while typing; shown: ${await findingCodes(page, "#findings")}`);
        });
      }
      // The newest finding is in view in the side panel, not below it.
      const inView = await page.$eval("#editor-side", (side) => {
        const f = side.querySelector(".finding.new") ?? side.querySelector(".finding:last-child");
        if (!f) return true;
        const a = side.getBoundingClientRect();
        const b = f.getBoundingClientRect();
        return b.top >= a.top - 1 && b.top < Math.min(a.bottom, innerHeight);
      });
      assert.ok(inView, `${c.codes}: the new finding is in view`);
    }
    // The core checks 150 ms after the last keystroke.
    await until(async () => (await page.$eval("#error-count", (e) => e.textContent)) === "0", 3_000).catch(() => {});
    assert.equal(await page.$eval("#error-count", (e) => e.textContent), "0", `${list}: nothing left to fix before finalising: ${await page.$eval("#problems", (e) => e.innerText)}`);
    await sign(page);
    await finalise(page);
    const onResult = await findingCodes(page, "#result-findings");
    for (const c of cases) {
      for (const code of c.codes) {
        assert.ok(onResult.includes(code), `${code} on the result of the finalised ${list} visit (${onResult})`);
        produced.add(code);
      }
    }
    const text = await page.$eval("#result", (e) => e.innerText);
    assert.doesNotMatch(text, /\b(open|overdue|metOnTime|metLate|lapsed|orderRectify\w*|violation|notice)\b/, "no English words of the model in the Chinese result");
    await untilSynced(page);
  }
  await context.close();

  // The follow-up rules: the sample taken 150 days ago (the tablet's clock then),
  // the lab result entered by staff at HQ, and seen on the tablet today.
  const late = CASES.cases.filter((c) => c.visitDaysAgo);
  for (const c of late) {
    const visitDay = daysFromToday(-c.visitDaysAgo);
    const ctx2 = await newContext(browser);
    const tablet = await open(ctx2, hq.url, { before: (p) => p.clock.install({ time: new Date(`${visitDay}T10:00:00+08:00`) }).then(() => p.clock.resume()) });
    await signIn(tablet);
    await startVisit(tablet, { operator: "抽检商行" });
    const sec = await sectionOf(tablet, c.section);
    await enterItem(tablet, sec, 0, dated(c.item, visitDay));
    await sign(tablet);
    await finalise(tablet);
    const visitId = await tablet.$eval("#result", () => location.hash.split("/")[2]);
    await untilSynced(tablet);
    const visit = await until(async () => (await hq.changesOf(visitId)).at(-1)?.record);
    assert.equal(visit.startedAt.slice(0, 10), visitDay, "the visit is dated by the tablet's clock");
    const followUp = { schemaVersion: 1, id: await tablet.evaluate(() => window.xuncha.core.newId()), visitId, sampleId: visit.samples[0].id, ...dated(c.followUp, visitDay) };
    const entered = await hq.api("POST", "/api/v1/staff/follow-ups", { token: await hq.token("staff1"), body: followUp });
    assert.equal(entered.json.status, "accepted", JSON.stringify(entered.json));
    // Months later on the same tablet.
    await tablet.clock.setSystemTime(new Date());
    await tablet.evaluate(() => window.xuncha.syncNow());
    await until(async () => (await tablet.evaluate(() => window.xuncha.app.records.followUps())).length > 0);
    await tablet.goto(hq.url + `#/visit/${visitId}/result`);
    await tablet.reload();
    await tablet.waitForSelector("#result-findings");
    const codes = await findingCodes(tablet, "#result-findings");
    for (const code of c.codes) {
      assert.ok(codes.includes(code), `${code} after the lab result (${codes})`);
      produced.add(code);
    }
    // Deadlines in the officer's words: kind, date and state, no model names.
    const deadlines = await tablet.$$eval("#result .deadlines li", (els) => els.map((e) => [e.dataset.status, e.innerText]));
    assert.ok(deadlines.length >= 4, JSON.stringify(deadlines));
    for (const [status, line] of deadlines) {
      assert.doesNotMatch(line, /[a-z]{3,}/, `a deadline line in Chinese only: ${line}`);
      assert.ok(status, line);
    }
    await ctx2.close();
  }

  const all = RULEBOOK.rules.map((r) => r.code).sort();
  assert.deepEqual([...produced].sort(), all, "every rule code in the rulebook was produced from the editor");
});

test("in portrait the counts of problems and findings stay in sight while typing, and open over the form", async () => {
  const context = await newContext(browser, PORTRAIT);
  const page = await open(context, hq.url);
  await signIn(page);
  await startVisit(page);
  const sec = await sectionOf(page, "instrumentChecks");
  const water = CASES.cases.find((c) => c.codes.includes("MET.SERVICE_LIFE"));
  await enterItem(page, sec, 0, dated(water.item, daysFromToday(0)));
  await page.focus("#f_instrumentChecks_0_serialNo");
  await until(async () => /发现 [1-9]/.test(await page.$eval("#side-summary", (e) => e.innerText)), 3_000).catch(() => {});
  const bar = await page.$eval("#side-summary", (e) => {
    const r = e.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, text: e.innerText, visible: r.height > 0 };
  });
  assert.ok(bar.visible && bar.bottom <= 1024 && bar.top > 0, `the summary bar is on screen: ${JSON.stringify(bar)}`);
  assert.match(bar.text, /发现 [1-9]/, `the finding is counted while typing: ${JSON.stringify(bar)} ${await page.$eval("#editor-side", (e) => e.innerText)}`);
  await page.click("#side-summary");
  await page.waitForSelector("#editor-side.open");
  const finding = await page.$eval('#editor-side .finding[data-code="MET.SERVICE_LIFE"]', (e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.top < innerHeight;
  });
  assert.ok(finding, "opened, the finding is in view");
  await page.screenshot({ path: join(ARTIFACTS, "editor-portrait-open.png") });
  await context.close();
});
