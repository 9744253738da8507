// A market with a signal that comes and goes: the officer keeps working (new
// visits, edits, photos, finalising) while the network drops every few hundred
// milliseconds and HQ's answers are lost at random — some requests never reach
// HQ, some reach it and the answer is cut. Seeded (XUNCHA_SEED), with one random
// stream per concern — the officer's choices, the signal's flips, the link's
// faults — so that one actor's timing never shifts another's draws: the officer
// does the same things and the signal flips on the same schedule in every run of
// a seed, and the n-th request meets the same fate (which request is n-th still
// depends on timing; the link's decisions are written to ARTIFACTS). At the end, with signal back: every visit at HQ in its latest
// version, each revision once, no conflicts, every photo there, nothing stuck.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { hqAndBrowser, newContext, open, signIn, fillHeader, addItems, addPhoto, sign, finalise, untilSynced } from "./app-driver.mjs";

const SEED = Number(process.env.XUNCHA_SEED ?? 20261123);
const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
const VISITS = 6;

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

/** A small deterministic generator (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(`a signal that comes and goes while the officer works loses and duplicates nothing (seed ${SEED})`, async (t) => {
  // One stream per concern, each from the seed.
  const officer = rng(SEED ^ 0x0ff1ce);
  const signal = rng(SEED ^ 0x516a1);
  const link = rng(SEED ^ 0x11c4);
  const decisions = [];
  const context = await newContext(browser);
  const page = await open(context, hq.url);
  await signIn(page);
  const faults = { beforeHq: 0, afterHq: 0, passed: 0, flips: 0 };

  // HQ's API through a bad link: a third of requests fail, half of those after HQ acted.
  // A route still being answered when the link heals (unroute) or the test ends is
  // already handled by Playwright: that answer is moot, not a failure of the app.
  const settle = (answer) => answer.catch((e) => {
    if (!/already handled|closed/i.test(String(e?.message))) throw e;
  });
  await context.route("**/api/v1/{sync,attachments}/**", async (route) => {
    const roll = link();
    decisions.push(`${route.request().method()} ${new URL(route.request().url()).pathname} ${roll < 0.15 ? "lost before HQ" : roll < 0.3 ? "answer lost after HQ" : "passed"}`);
    if (roll < 0.15) {
      faults.beforeHq++;
      return settle(route.abort("connectionreset"));
    }
    if (roll < 0.3) {
      faults.afterHq++;
      await route.fetch().catch(() => {});
      return settle(route.abort("connectionreset"));
    }
    faults.passed++;
    return settle(route.continue());
  });
  // The signal itself drops and returns.
  let flipping = true;
  const flipper = (async () => {
    let offline = false;
    while (flipping) {
      await new Promise((r) => setTimeout(r, 200 + signal() * 700));
      if (!flipping) break;
      offline = !offline;
      faults.flips++;
      await context.setOffline(offline).catch(() => {});
    }
    await context.setOffline(false);
  })();

  const ids = [];
  const expected = new Map(); // id → operator name last saved
  const finalised = [];
  try {
    for (let i = 0; i < VISITS; i++) {
      await page.goto(hq.url + "#/");
      await page.click("#new-visit");
      await page.waitForSelector("#editor");
      const name = `信号测试商行${i + 1}`;
      await fillHeader(page, { operator: name });
      if (i % 2 === 0) await addPhoto(page, "[data-ptr='/attachments']");
      await page.click("#save");
      await page.waitForSelector("#saved-note:has-text('已保存')");
      const id = await page.$eval("#editor", (e) => e.dataset.id);
      ids.push(id);
      expected.set(id, name);
      // Every third visit is finished on the spot: an item, the operator's signature, finalised.
      if (i % 3 === 2) {
        await addItems(page, ["price"]);
        await sign(page);
        await finalise(page);
        finalised.push(id);
      } else if (officer() < 0.5) {
        // Some drafts are edited again a little later (a new revision on whatever reached HQ).
        await new Promise((r) => setTimeout(r, officer() * 1500));
        const renamed = `${name}（复核）`;
        await page.fill("#f_operator_name", renamed);
        await page.click("#save");
        await page.waitForSelector("#saved-note:has-text('已保存')");
        expected.set(id, renamed);
      }
      // And the app is sometimes nudged to sync mid-flight, as a tap on 立即同步 would.
      if (officer() < 0.5) page.evaluate(() => window.xuncha.syncNow()).catch(() => {});
    }
  } finally {
    flipping = false;
    await flipper;
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(`${ARTIFACTS}/flaky-signal-${SEED}.txt`, decisions.join("\n") + "\n");
    t.diagnostic(`seed ${SEED} (XUNCHA_SEED=${SEED} replays it); the link's ${decisions.length} decisions are in ${ARTIFACTS}/flaky-signal-${SEED}.txt`);
  }
  // Signal back and the link healed: the queue must drain on its own (no reload).
  await context.unroute("**/api/v1/{sync,attachments}/**");
  await page.evaluate(() => window.xuncha.syncNow());
  await untilSynced(page, 120_000);
  const end = Date.now() + 60_000;
  while (await page.evaluate(() => window.xuncha.app.db.countFromIndex("blobs", "byWaiting"))) {
    if (Date.now() > end) throw new Error("photos still waiting");
    await page.evaluate(() => window.xuncha.syncNow());
    await new Promise((r) => setTimeout(r, 500));
  }
  t.diagnostic(`faults: ${JSON.stringify(faults)}`);
  assert.ok(faults.beforeHq + faults.afterHq > 0 && faults.flips > 0, "the link really was bad");

  for (const id of ids) {
    const local = await page.evaluate(async (id) => await window.xuncha.app.db.get("records", id), id);
    const mine = await hq.changesOf(id);
    assert.equal(local.state, "synced", `${id} synced on the tablet`);
    // HQ's log holds each revision it accepted once; its latest is the tablet's.
    assert.equal(new Set(mine.map((c) => c.revision)).size, mine.length, `${id}: no revision twice`);
    assert.equal(mine.at(-1).revision, local.revision, `${id}: HQ has the tablet's latest revision`);
    assert.equal(mine.at(-1).record.operator.name, expected.get(id));
    assert.equal(mine.at(-1).record.status, finalised.includes(id) ? "finalised" : "draft");
  }
  assert.equal(finalised.length, 2);
  const stats = await hq.stats();
  assert.equal(stats.records, VISITS, "one record per visit, no more");
  assert.equal(stats.conflicts, 0, "lost answers were replays, never conflicts");
  const token = await hq.token("staff1");
  const missing = (await hq.api("GET", "/api/v1/attachments/missing", { token })).json.missing;
  assert.deepEqual(missing, [], "every photo is at HQ");
  await context.close();
});
