// The staff console (局机关工作台) at /staff/, against a real HQ: only staff
// sign in; the figures and report paragraphs are HQ's; the deadlines board
// lists the open time limits of an officer's finalised visit, each opening
// its record with its findings, documents and revisions; records are found by
// operator, drafts apart. axe on every screen; screenshots at 1280×800 and
// 1024×768 kept as artifacts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { hqAndBrowser, newContext, open, signIn, startVisit, addItems, sign, finalise, untilSynced, until, draft, giveNotice, staffConsole, axe, TABLET, DESKTOP } from "./app-driver.mjs";
import { PASSWORD } from "./hq.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));


async function shoot(page, name) {
  for (const viewport of [DESKTOP, TABLET]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `${ARTIFACTS}/staff-${name}-${viewport.width}x${viewport.height}.png`, fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

const today = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });

/** An officer's tablet, signed in, finalises a price visit (with signal, or none); the tablet, its page and the visit's id. */
async function officerFinalises({ offline = false } = {}) {
  const tablet = await newContext(browser, TABLET);
  const officer = await open(tablet, hq.url);
  await signIn(officer);
  await tablet.setOffline(offline);
  await startVisit(officer);
  await giveNotice(officer);
  await addItems(officer, ["price"]);
  await sign(officer);
  await finalise(officer);
  return { tablet, officer, visitId: await officer.evaluate(() => location.hash.split("/")[2]) };
}

test("a clerk signs in, reads the figures and paragraphs, follows a deadline to its record, and finds records by operator", async () => {
  // An officer finalises a visit with price violations (and keeps a draft); both reach HQ.
  const { tablet, officer, visitId } = await officerFinalises();
  await officer.goto(`${hq.url}/#/`);
  await draft(officer, { operator: "福州某某五金店" });
  await untilSynced(officer);
  await tablet.close();

  const context = await newContext(browser, DESKTOP);
  const page = await open(context, `${hq.url}/staff/`);
  // An officer's account is turned away in words.
  await page.fill('#sign-in input[name="login"]', "chen");
  await page.fill('#sign-in input[name="password"]', PASSWORD);
  await page.click('#sign-in button[type="submit"]');
  await page.waitForFunction(() => document.querySelector("#sign-in-error")?.textContent);
  assert.match(await page.textContent("#sign-in-error"), /执法人员账号/);
  await axe(page, "sign-in");
  await shoot(page, "sign-in");
  await page.fill('#sign-in input[name="login"]', "staff1");
  await page.click('#sign-in button[type="submit"]');

  // Figures for the half-year: what HQ's summary says, and its paragraphs.
  await page.waitForSelector("#figures");
  const half = `${today().slice(0, 4)}-H${Number(today().slice(5, 7)) <= 6 ? 1 : 2}`;
  const { json } = await hq.api("GET", `/api/v1/staff/summary?period=${half}&asOf=${today()}`, { token: await hq.token("staff1") });
  const f = json.summary.figures;
  assert.equal(f.visits, 1);
  assert.equal(await page.textContent("#fig-visits .value"), String(f.visits));
  assert.equal(await page.textContent("#fig-violations .value"), String(f.violations));
  assert.equal(await page.textContent("#fig-ordered .value"), String(f.rectification.ordered));
  // The price charged above its tag calls for a case (立案调查): counted, and said in the paragraph.
  assert.equal(f.casesToOpen, 1);
  assert.equal(await page.textContent("#fig-cases .value"), "1");
  assert.match(await page.textContent('.paragraph[data-key="total"] p'), /其中拟立案调查1项/);
  assert.match(await page.textContent('.paragraph[data-key="total"] p'), /检查经营主体1家次（1家）/);
  assert.match(await page.textContent("#figures"), /草稿 1 份未计入/);
  await axe(page, "figures");
  await shoot(page, "figures");
  // The paragraphs as a Word file, opened and read; the findings as CSV with who, where and what, in words.
  const [docx] = await Promise.all([page.waitForEvent("download"), page.click("#download-docx")]);
  assert.match(docx.suggestedFilename(), /市场监管检查情况\.docx$/);
  const docxPath = `${ARTIFACTS}/staff-report.docx`;
  await docx.saveAs(docxPath);
  const body = execFileSync("unzip", ["-p", docxPath, "word/document.xml"], { encoding: "utf8" });
  const totalParagraph = await page.textContent('.paragraph[data-key="total"] p');
  assert.ok(body.includes(totalParagraph.replaceAll("&", "&amp;")), "the Word file holds the paragraph as shown");
  assert.match(body, /市场监管检查情况/);
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#download-findings-csv")]);
  const findings = readFileSync(await csv.path(), "utf8");
  assert.match(findings.split("\r\n")[0], /经营者,统一社会信用代码,检查场所,执法人员,检查类别,检查对象/);
  assert.match(findings, /福州某某生鲜超市有限公司,91350100M000100Y43,某某农贸市场,陈某、王某,明码标价,第 1 项 猪肉（前腿）/);
  const [table] = await Promise.all([page.waitForEvent("download"), page.click("#download-summary-csv")]);
  assert.match(readFileSync(await table.path(), "utf8"), /检查经营主体（家次）,1/);
  // The same as Excel workbooks: opened (unzipped) and read.
  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.click("#download-findings-xlsx")]);
  assert.match(xlsx.suggestedFilename(), /问题清单\.xlsx$/);
  const xlsxPath = `${ARTIFACTS}/staff-findings.xlsx`;
  await xlsx.saveAs(xlsxPath);
  const sheet = execFileSync("unzip", ["-p", xlsxPath, "xl/worksheets/sheet1.xml"], { encoding: "utf8" });
  const strings = (() => { try { return execFileSync("unzip", ["-p", xlsxPath, "xl/sharedStrings.xml"], { encoding: "utf8" }); } catch { return ""; } })();
  assert.match(sheet + strings, /统一社会信用代码/);
  assert.match(sheet + strings, /福州某某生鲜超市有限公司/);
  const [summaryXlsx] = await Promise.all([page.waitForEvent("download"), page.click("#download-summary-xlsx")]);
  assert.match(summaryXlsx.suggestedFilename(), /统计表\.xlsx$/);

  // Every figure opens the records that make it up: the violations, from the visit that has them.
  await page.click("#fig-violations");
  await page.waitForSelector("#behind");
  assert.equal(await page.getAttribute("#behind", "data-total"), String(f.violations));
  assert.deepEqual(await page.$$eval("#behind .behind-row", (els) => els.map((e) => e.dataset.id)), [visitId]);
  assert.match(await page.textContent("#behind-total"), new RegExp(`共 1 条记录，合计 ${f.violations}`));
  await axe(page, "behind");
  await shoot(page, "behind");
  await page.click(`#behind .behind-row[data-id="${visitId}"] a`);
  await page.waitForSelector(`#record[data-id="${visitId}"]`);
  // …and the cases to open, and the markets (the visits at a site in a market).
  for (const [tile, total] of [["cases", f.casesToOpen], ["markets", f.counts.inMarket]]) {
    await page.goto(`${hq.url}/staff/#/`);
    await page.waitForSelector("#figures");
    await page.click(`#fig-${tile}`);
    await page.waitForSelector(`#behind[data-total="${total}"]`);
  }
  // Grouped by officer: one row each; a group's number opens its records, its name narrows the scope.
  await page.goto(`${hq.url}/staff/#/`);
  await page.waitForSelector("#figures");
  await page.selectOption('#period-picker select[name="groupBy"]', "officer");
  await page.click('#period-picker button[type="submit"]');
  await page.waitForSelector("#groups .group-row");
  assert.deepEqual(await page.$$eval("#groups .group-row", (els) => els.map((e) => e.dataset.key).sort()), ["35010019001", "35010019002"]);
  await axe(page, "figures-grouped");
  await shoot(page, "figures-grouped");
  await page.click('#groups .group-row[data-key="35010019001"] td:nth-child(3) a');
  await page.waitForSelector(`#behind[data-total="${f.violations}"]`);
  await page.goBack();
  await page.waitForSelector("#groups .group-row");
  await page.click('#groups .group-row[data-key="35010019001"] a.group-label');
  await page.waitForSelector('#scope-bar a[data-scope="officer"]');
  assert.equal(await page.textContent("#fig-visits .value"), "1");
  assert.equal(await page.$("#groups"), null, "narrowed: no grouping");
  // Another kind of check in scope: this visit had none, so nothing counts.
  await page.selectOption('#period-picker select[name="checkKind"]', "metrology");
  await page.click('#period-picker button[type="submit"]');
  await page.waitForFunction(() => document.querySelector("#fig-visits .value")?.textContent === "0");
  await page.click('#scope-bar a[data-scope="officer"]');
  await page.waitForFunction(() => !document.querySelector("#scope-bar"));
  await page.goto(`${hq.url}/staff/#/`);
  await page.waitForSelector("#figures");
  // Another period: the picker's choice reaches the page.
  await page.selectOption('#period-picker select[name="kind"]', "year");
  await page.click('#period-picker button[type="submit"]');
  await page.waitForFunction(() => location.hash.includes("kind=year"));
  await page.waitForFunction(() => /^\d{4}年 ·/.test(document.querySelector("#figures h1")?.textContent ?? ""));

  // The deadlines board: the order's rectification limit, open; it opens the visit.
  await page.click("#nav-deadlines");
  await page.waitForSelector("#deadlines");
  const rows = await page.$$eval("#deadlines tr.deadline", (els) => els.map((e) => [e.dataset.visit, e.dataset.status, e.dataset.code]));
  assert.ok(rows.length >= 1, "the visit's limits are on the board");
  assert.ok(rows.every(([visit]) => visit === visitId));
  assert.ok(rows.some(([, status, code]) => status === "open" && code.startsWith("PRICE.")), JSON.stringify(rows));
  // Filtered to the overdue ones: none yet.
  await page.selectOption('#deadlines select[name="status"]', "overdue");
  await page.waitForSelector("#no-deadlines");
  await page.selectOption('#deadlines select[name="status"]', "");
  await page.waitForSelector("#deadlines tr.deadline");
  await axe(page, "deadlines");
  await shoot(page, "deadlines");
  await page.click(`#deadlines tr.deadline[data-visit="${visitId}"] a.record-link`);
  await page.waitForSelector(`#record[data-id="${visitId}"]`);
  const codes = await page.$$eval("#record-findings li", (els) => els.map((e) => e.dataset.code));
  assert.ok(codes.some((c) => c.startsWith("PRICE.")), codes.join());
  assert.ok((await page.$$("#revisions tbody tr")).length >= 1);
  await page.waitForSelector('#record-documents li[data-key="onSiteRecord"]');
  await axe(page, "record");
  await shoot(page, "record");

  // Records: found by operator; the draft listed apart.
  await page.click("#nav-records");
  await page.waitForSelector("#records");
  assert.equal((await page.$$("#finalised-list .record-row")).length, 1);
  assert.equal((await page.$$("#draft-list .record-row")).length, 1);
  await axe(page, "records");
  await shoot(page, "records");
  await page.fill("#search", "五金");
  await page.press("#search", "Enter");
  // (the screen drawn for the search, not the one before it)
  await page.waitForSelector('#records[data-q="五金"] #draft-list');
  assert.equal((await page.$$("#finalised-list .record-row")).length, 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a clerk enters a sample's lab result in the console, chosen from its visit and checked as typed; the officer's tablet shows it", async () => {
  const tablet = await newContext(browser, TABLET);
  const officer = await open(tablet, hq.url);
  await signIn(officer);
  await startVisit(officer, { operator: "抽检商行" });
  await addItems(officer, ["sampling"]);
  await sign(officer);
  await finalise(officer);
  const visitId = await officer.evaluate(() => location.hash.split("/")[2]);
  await untilSynced(officer);

  const { context, page } = await staffConsole(browser, hq.url);
  // From the deadlines board: the sample's lab limit, with the action that closes it.
  await page.click("#nav-deadlines");
  await page.waitForSelector("#deadlines");
  await page.click(`#deadlines tr.deadline[data-visit="${visitId}"] a.action`);
  await page.waitForSelector("#lab-form");
  assert.equal(await page.getAttribute("#lab", "data-visit"), visitId);
  // Checked as typed: a report without its date is named at the field.
  const day = await officer.evaluate(() => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" }));
  await page.fill("#f_sentToLabOn", day);
  await page.fill("#f_labResult_reportNo", "BG-2026-007");
  await page.waitForSelector('[data-ptr="/labResult/reportedOn"] .problem.error');
  await page.fill("#f_labResult_reportedOn", day);
  await page.click('[data-add-row="/labResult/items"]');
  await page.fill("#f_labResult_items_0_name", "毒死蜱");
  await page.fill("#f_labResult_items_0_value", "0.08");
  // The core asks for the unit of a value: said at the field.
  await page.waitForSelector('[data-ptr="/labResult/items/0/unit"] .problem.error');
  await page.fill("#f_labResult_items_0_unit", "mg/kg");
  await page.fill("#f_labResult_items_0_limit", "0.05");
  await page.selectOption("#f_labResult_items_0_limitKind", "max");
  await page.selectOption("#f_labResult_items_0_verdict", "fail");
  await page.waitForFunction(() => !document.querySelector("#lab-form .problem.error"));
  await axe(page, "lab-result");
  await shoot(page, "lab-result");
  await page.click("#save-lab");
  await page.waitForSelector("#lab-outcome.ok-note");

  // The officer's tablet shows it after its next sync.
  await officer.evaluate(() => window.xuncha.syncNow());
  await officer.goto(`${hq.url}/#/visit/${visitId}/result`);
  await until(async () => {
    await officer.reload();
    await officer.waitForSelector("#lab-results");
    return /毒死蜱 不合格/.test(await officer.$eval("#lab-results", (e) => e.innerText));
  });
  assert.deepEqual(page.errors, []);
  await context.close();
  await tablet.close();
});

test("a clerk creates an officer's account and revokes a lost tablet; the tablet's next push is refused", async () => {
  // A tablet finalises a visit with no signal; then it is lost.
  const { tablet, officer, visitId } = await officerFinalises({ offline: true });
  const deviceId = await officer.evaluate(async () => (await window.xuncha.app.db.get("meta", "deviceId")).value);

  const { context, page } = await staffConsole(browser, hq.url);
  await page.click("#nav-accounts");
  await page.waitForSelector("#account-list");
  // A new officer.
  await page.fill('#new-account input[name="login"]', "sun");
  await page.fill('#new-account input[name="name"]', "孙某");
  await page.fill('#new-account input[name="certificateNo"]', "35010019005");
  await page.fill('#new-account input[name="password"]', "a new horse 10");
  await page.click('#new-account button[type="submit"]');
  await page.waitForSelector('#account-list tr[data-login="sun"]');
  assert.equal((await hq.api("POST", "/api/v1/auth/login", { body: { login: "sun", password: "a new horse 10", deviceId: "t" } })).status, 200);
  // The lost tablet: two taps, and it is revoked.
  const revoke = `#account-list tr[data-login="chen"] button.revoke[data-device="${deviceId}"]`;
  await page.click(revoke);
  await page.click(revoke);
  await page.waitForSelector(`#account-list tr[data-login="chen"] li[data-device="${deviceId}"] .badge.overdue`);
  await axe(page, "accounts");
  await shoot(page, "accounts");

  // Back in signal, the tablet is signed out; signed in again, the visit it signed before is refused.
  await tablet.setOffline(false);
  // Signed out at HQ (the truth, in the tablet's storage), and told so with a way to sign in.
  await until(async () => {
    await officer.evaluate(() => window.xuncha.syncNow().catch(() => {}));
    return (await officer.evaluate(async () => (await window.xuncha.app.db.get("meta", "lastSync"))?.value?.code)) === "SIGNED_OUT";
  });
  await officer.waitForSelector("#sync-error[href='#/login']").catch(async (e) => {
    await officer.screenshot({ path: `${ARTIFACTS}/debug-revoked.png` });
    console.log("DEBUG", await officer.evaluate(async () => JSON.stringify([(await window.xuncha.app.db.get("meta", "lastSync"))?.value, location.hash, document.querySelector("#sync-status")?.textContent])));
    throw e;
  });
  await officer.goto(`${hq.url}/#/login`);
  await signIn(officer);
  await officer.evaluate(() => window.xuncha.syncNow().catch(() => {}));
  await until(async () => (await officer.evaluate(async (id) => (await window.xuncha.app.db.get("records", id))?.reason, visitId)) === "SIGNATURE_KEY_REVOKED");
  await context.close();
  await tablet.close();
});

test("a clerk uploads a rulebook, reads what it changes against the one in force, and publishes it", async () => {
  const book = JSON.parse(readFileSync(new URL("../../../src/rules/rulebook.json", import.meta.url), "utf8"));
  book.version = "2027.1.1";
  book.rules.find((r) => r.code === "PRICE.NO_TAG").rectifyDays = 5;
  const { context, page } = await staffConsole(browser, hq.url);
  await page.click("#nav-rulebook");
  await page.waitForSelector("#rulebook-file");
  // Not a rulebook: said in words.
  await page.setInputFiles("#rulebook-file", { name: "notes.json", mimeType: "application/json", buffer: Buffer.from("not json") });
  await page.waitForSelector("#rulebook-outcome.error");
  await page.setInputFiles("#rulebook-file", { name: "rulebook-2027.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(book)) });
  await page.waitForSelector('#rules-changed li[data-code="PRICE.NO_TAG"]');
  assert.match(await page.textContent('#rules-changed li[data-code="PRICE.NO_TAG"]'), /整改期限（天）：3 → 5/);
  assert.match(await page.textContent("#rulebook-versions"), /→ 上传版本 2027\.1\.1/);
  await axe(page, "rulebook");
  await shoot(page, "rulebook");
  await page.click("#publish-rulebook");
  await page.waitForSelector("#rulebook-outcome.ok-note");
  const { json } = await hq.api("POST", "/api/v1/sync/pull", { token: await hq.token("chen"), body: { protocolVersion: 1 } });
  assert.equal(json.rulebook?.version, "2027.1.1");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("the figures are summed in the console from the digests it keeps: only what changed is fetched, HQ unreachable shows the kept figures, a new rulebook starts over", async () => {
  // At least one visit at HQ, so the console has digests to keep.
  const first = await officerFinalises();
  await untilSynced(first.officer);
  await first.tablet.close();
  const { context, page } = await staffConsole(browser, hq.url);
  /** @type {string[]} */
  const asked = [];
  page.on("request", (r) => r.url().includes("/api/v1/staff/digests") && asked.push(new URL(r.url()).searchParams.get("after") ?? "0"));
  const visits = async () => Number(await page.textContent("#fig-visits .value"));
  const before = await visits();
  // A visit finalised on a tablet: the console fetches after its cursor and gets that visit's digest alone.
  const { tablet, officer } = await officerFinalises();
  await untilSynced(officer);
  await tablet.close();
  asked.length = 0;
  const served = page.waitForResponse((r) => r.url().includes("/api/v1/staff/digests"));
  await page.reload();
  await page.waitForSelector("#figures");
  const page1 = await (await served).json();
  assert.ok(Number(asked[0]) > 0, `asked after the cursor: ${asked}`);
  assert.equal(page1.digests.length, 1, "one new digest");
  assert.equal(await visits(), before + 1);
  // HQ unreachable: the figures kept on this computer, said so.
  await page.route("**/api/v1/staff/digests*", (r) => r.abort());
  await page.reload();
  await page.waitForSelector("#figures-offline");
  assert.equal(await visits(), before + 1);
  assert.match(await page.textContent("#figures-offline"), /本机保存的统计数据/);
  await shoot(page, "figures-offline");
  // The drill-down works from the same digests.
  await page.click("#fig-visits");
  await page.waitForSelector("#behind");
  assert.equal(await page.locator(".behind-row").count(), before + 1);
  await page.unroute("**/api/v1/staff/digests*");
  // A rulebook published at HQ: every digest is made again, and the console starts over from the beginning.
  const book = JSON.parse(readFileSync(new URL("../../../src/rules/rulebook.json", import.meta.url), "utf8"));
  book.version = "2027.3.1";
  const published = await hq.api("POST", "/api/v1/staff/rulebooks", { token: await hq.token("staff1"), body: book });
  assert.equal(published.json.version, "2027.3.1");
  asked.length = 0;
  await page.goto(`${hq.url}/staff/#/`);
  await page.reload();
  await page.waitForSelector("#figures");
  assert.ok(asked.length >= 2 && Number(asked[0]) > 0 && asked.includes("0"), `the cache was asked after its cursor, then anew: ${asked}`);
  assert.equal(await visits(), before + 1);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a clerk writes the report paragraphs in the bureau's own words: a figure the core lacks is refused by name, the preview shows this year's paragraphs, and the figures screen follows the published template", async () => {
  const { context, page } = await staffConsole(browser, hq.url);
  await page.click("#nav-report-template");
  await page.waitForSelector("#report-template");
  assert.match(await page.textContent("#template-in-force"), /系统默认表述/);
  // The template in force, downloaded as a file to edit.
  const download = page.waitForEvent("download");
  await page.click("#download-template");
  const file = await (await download).path();
  const template = JSON.parse(readFileSync(file, "utf8"));
  assert.ok(template.total[0].zh.includes("{visits}"));
  await page.click("#template-figures summary");
  await axe(page, "report-template");
  await shoot(page, "report-template");
  // A figure the core does not have: each problem said, nothing to publish.
  template.version = "本局-2026.1";
  template.total = [{ zh: "{period}，我局共检查{visits}家次，发现违法问题{violations}项，{shops}家。", en: "In {period} we made {visits} visits." }];
  await page.setInputFiles("#template-file", { name: "wrong.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(template)) });
  await page.waitForSelector("#template-problems li");
  assert.match(await page.textContent("#template-problems"), /统计中没有的指标“shops”/);
  assert.equal(await page.locator("#publish-template").count(), 0);
  // Mended: this year's paragraphs in the bureau's words, then published.
  template.total[0].zh = "{period}，我局共检查{visits}家次，发现违法问题{violations}项。";
  await page.setInputFiles("#template-file", { name: "mine.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(template)) });
  await page.waitForSelector("#template-preview");
  const year = today().slice(0, 4);
  assert.match(await page.textContent('#template-preview .paragraph[data-key="total"]'), new RegExp(`^${year}年，我局共检查\\d+家次，发现违法问题\\d+项。$`));
  await shoot(page, "report-template-preview");
  await page.click("#publish-template");
  await page.waitForSelector("#template-outcome.ok-note");
  // The figures screen writes in it; HQ's own paragraphs too.
  await page.click("#nav-figures");
  await page.waitForSelector("#figures");
  const written = await page.textContent('.paragraph[data-key="total"] p');
  assert.match(written, /，我局共检查\d+家次，发现违法问题\d+项。$/);
  const half = `${year}-H${Number(today().slice(5, 7)) <= 6 ? 1 : 2}`;
  const { json } = await hq.api("GET", `/api/v1/staff/summary?period=${half}&asOf=${today()}`, { token: await hq.token("staff1") });
  assert.equal(json.report.total.zh, written);
  assert.deepEqual(page.errors, []);
  await context.close();
});
