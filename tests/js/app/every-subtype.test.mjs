// Every subtype of every kind of check (each instrument type, each kind of
// special equipment, goods and services, food and industrial samples) entered
// through the editor with only the fields it marks required, and finalised:
// the form asks for exactly what finalising needs. The values are
// tests/fixtures/required_values.json, which the native test uses too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { hqAndBrowser, signedIn, startVisit, enterItem, dated, sign, finalise, untilSynced, until, daysFromToday } from "./app-driver.mjs";

const TABLE = JSON.parse(readFileSync(new URL("../../fixtures/required_values.json", import.meta.url), "utf8"));

let hq, browser;
hqAndBrowser((s) => ({ hq, browser } = s));

test("every subtype of every kind is finalised from the editor with its required fields alone", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  const sections = await page.evaluate(() => window.xuncha.app.catalogue.sections.filter((s) => s.kind));
  const today = daysFromToday(0);
  let finalised = 0;
  for (const sec of sections) {
    const chooser = sec.fields.find((f) => f.path === sec.subtype);
    await page.goto(hq.url + "#/");
    await startVisit(page, { operator: `${sec.key} 各类型` });
    for (const [i, option] of chooser.options.entries()) {
      const subtype = option.value;
      const values = { [sec.subtype]: subtype };
      for (const f of sec.fields) {
        const shown = !f.appliesTo || f.appliesTo.includes(subtype);
        const required = f.required || (f.requiredFor ?? []).includes(subtype);
        if (!shown || !required || f.path === sec.subtype || f.path.includes(".")) continue;
        values[f.path] = TABLE.values[f.path] ?? TABLE.byInput[f.input] ?? f.options?.[0]?.value;
        assert.notEqual(values[f.path], undefined, `${sec.key} ${subtype}: a value for ${f.path}`);
      }
      await enterItem(page, { kind: sec.kind, list: sec.key, subtype: sec.subtype }, i, dated(values, today));
    }
    await until(async () => (await page.$eval("#error-count", (e) => e.textContent)) === "0", 5_000).catch(() => {});
    assert.equal(await page.$eval("#error-count", (e) => e.textContent), "0", `${sec.key}: ${await page.$eval("#problems", (e) => e.innerText)}`);
    await sign(page);
    await finalise(page);
    const visitId = await page.$eval("#result", () => location.hash.split("/")[2]);
    await untilSynced(page);
    const atHq = await until(async () => (await hq.changesOf(visitId)).at(-1)?.record);
    assert.equal(atHq.status, "finalised");
    assert.deepEqual(atHq[sec.key].map((x) => x[sec.subtype]), chooser.options.map((o) => o.value), `${sec.key}: one item of each subtype, finalised and at HQ`);
    finalised += chooser.options.length;
  }
  assert.equal(finalised, 21, "2 price subjects, 8 instrument types, 9 kinds of equipment, 2 sample categories");
  await context.close();
});
