// 双随机 end to end, against a real HQ: a clerk imports the three lists from
// spreadsheets saved as CSV (a wrong line named), makes a plan (its seed's
// commitment shown before the draw), draws (the seed revealed and checked
// against it); each officer's tablet gets only their own tasks; one officer,
// offline, starts a visit from a task with the operator filled in, finalises
// it, and the plan's progress and publication list follow once it syncs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { hqAndBrowser, newContext, open, signIn, addItems, sign, finalise, untilSynced, until, giveNotice, fill, staffConsole, axe, daysFromToday, TABLET } from "./app-driver.mjs";
import { PASSWORD } from "./hq.mjs";

const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));

/** A valid unified social credit code numbered n (GB 32100-2015's check character). */
function creditCode(n) {
  const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const first17 = `91350100${String(n).padStart(9, "0")}`;
  const sum = [...first17].reduce((s, c, i) => s + charset.indexOf(c) * weights[i], 0);
  return first17 + charset[(31 - (sum % 31)) % 31];
}

const TARGETS = [1, 2, 3, 4].map((n) => ({ code: creditCode(n), name: ["东街百货商行", "南门粮油店", "西湖水产摊", "北环加油站"][n - 1] }));
const targetsCsv = (extra = "") =>
  "统一社会信用代码,名称,地址,所属市场,对象类别,重点单位\n" + TARGETS.map((t, i) => `${t.code},${t.name},鼓楼区东街 ${i + 1} 号,东街市场,计量器具使用,${i === 0 ? "是" : "否"}`).join("\n") + "\n" + extra;
// 王 and 赵 must avoid the first two targets (回避), so those two go to 陈 and 李: each officer has two tasks or more.
const INSPECTORS_CSV = `执法证号,姓名,证件类别,在岗,回避对象\n35010019001,陈某,行政执法证,是,\n35010019777,李某,行政执法证,是,\n35010019002,王某,行政执法证,是,${creditCode(1)}、${creditCode(2)}\n35010019003,赵某,行政执法证,是,${creditCode(1)}、${creditCode(2)}\n`;
/** The matter list as an Excel workbook, made by the library the console writes its own with. */
async function mattersXlsx() {
  const { default: writeXlsxFile } = await import(new URL("../../../www/node_modules/write-excel-file/node/index.js", import.meta.url).href);
  const cell = (value) => ({ value, type: typeof value === "number" ? Number : String });
  const rows = [
    ["事项编码", "事项名称", "法律依据", "检查类别", "对象类别", "抽查比例", "重点单位比例"],
    ["JL-001", "计量器具使用情况检查", "《计量法》第九条", "计量器具", "计量器具使用", 1, 1],
  ];
  return writeXlsxFile(rows.map((r) => r.map(cell))).toBuffer();
}

async function upload(page, list, csv, name = `${list}.csv`) {
  await page.setInputFiles(`#list-file-${list}`, { name, mimeType: name.endsWith(".csv") ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: typeof csv === "string" ? Buffer.from(csv) : csv });
  await page.waitForSelector(`#list-outcome-${list}.ok-note, #list-outcome-${list}.error`);
  return page.textContent(`#list-outcome-${list}`);
}

/** The tablet's task rows once a sync has brought them. */
async function taskRowsOn(page, n) {
  await until(async () => {
    await page.evaluate(() => window.xuncha.syncNow());
    await page.evaluate(() => dispatchEvent(new HashChangeEvent("hashchange")));
    return (await page.$$("#tasks li.task")).length === n;
  });
  return page.$$eval("#tasks li.task", (els) => els.map((e) => ({ id: e.dataset.task, state: e.dataset.state })));
}

test("a clerk imports the lists, plans and draws; each officer gets only their tasks; a task done offline moves the plan", async () => {
  hq.admin("create-user", "--bureau", "1", "--login", "li", "--role", "officer", "--name", "李某", "--certificate", "35010019777", "--password", PASSWORD);
  const { context, page: clerk } = await staffConsole(browser, hq.url);
  await clerk.click("#nav-draws");
  await clerk.waitForSelector("#draws");

  // A wrong line is named, and nothing is stored.
  const refused = await upload(clerk, "targets", targetsCsv(`${creditCode(9)},错行商户,,,,也许\n`));
  assert.match(refused, /第 6 行：“重点单位”应填“是”或“否”/);
  await clerk.screenshot({ path: `${ARTIFACTS}/draws-refused-1280x800.png`, fullPage: true });
  assert.match(await upload(clerk, "targets", targetsCsv()), /已导入 4 条/);
  await clerk.waitForSelector('#list-count-targets:has-text("4 条")');
  assert.match(await upload(clerk, "inspectors", INSPECTORS_CSV), /已导入 4 条/);
  await clerk.waitForSelector('#list-count-inspectors:has-text("4 条")');
  assert.match(await upload(clerk, "matters", await mattersXlsx(), "matters.xlsx"), /已导入 1 条/);
  // Edited in place: a fifth target added, then removed again; a wrong cell is named by line.
  await clerk.waitForSelector('#list-count-matters:has-text("1 条")');
  await clerk.click("#list-edit-targets");
  await clerk.waitForSelector("#list-editor-targets tbody tr");
  await clerk.click('#list-editor-targets button:has-text("添加一行")');
  const fresh = clerk.locator("#list-editor-targets tbody tr").last().locator("input");
  await fresh.nth(0).fill(creditCode(5));
  await fresh.nth(1).fill("新开业超市");
  await fresh.nth(5).fill("不清楚");
  await clerk.click("#list-save-targets");
  await clerk.waitForSelector("#list-outcome-targets.error");
  assert.match(await clerk.textContent("#list-outcome-targets"), /第 6 行：“重点单位”应填“是”或“否”，而不是“不清楚”/);
  await fresh.nth(5).fill("否");
  await clerk.screenshot({ path: `${ARTIFACTS}/draws-edit-list-1280x800.png`, fullPage: true });
  await clerk.click("#list-save-targets");
  await clerk.waitForSelector('#list-count-targets:has-text("5 条")');
  await clerk.click("#list-edit-targets");
  await clerk.waitForSelector("#list-editor-targets tbody tr");
  const last = clerk.locator("#list-editor-targets tbody tr").last();
  assert.equal(await last.locator("input").first().inputValue(), creditCode(5), "the row added, as the core wrote it back");
  await last.locator('button:has-text("删除")').click();
  await clerk.click("#list-save-targets");
  await clerk.waitForSelector('#list-count-targets:has-text("4 条")');
  await clerk.waitForSelector('#new-plan input[value="JL-001"]');
  // A yearly cap of two inspections per operator: nobody over it yet.
  await clerk.fill("#inspection-cap", "2");
  await clerk.click("#save-cap");
  await clerk.waitForSelector("#none-over-cap");
  assert.match(await clerk.textContent("#none-over-cap"), /没有经营主体超过 2 次/);
  await clerk.screenshot({ path: `${ARTIFACTS}/draws-lists-1280x800.png`, fullPage: true });
  await axe(clerk, "双随机 lists");

  // A plan: the commitment is shown before the draw, the seed only after it.
  await clerk.fill('#new-plan input[name="title"]', "2026 年第四季度双随机抽查");
  await clerk.fill('#new-plan input[name="batch"]', "第一批");
  await clerk.fill('#new-plan input[name="due"]', daysFromToday(30));
  await clerk.check('#new-plan input[value="JL-001"]');
  await clerk.click('#new-plan button[type="submit"]');
  await clerk.waitForSelector('#plan[data-drawn="false"]');
  const commitment = (await clerk.textContent("#seed-commitment")).trim();
  assert.match(commitment, /^[0-9a-f]{64}$/);
  assert.equal(await clerk.$("#seed"), null, "no seed before the draw");
  await clerk.screenshot({ path: `${ARTIFACTS}/plan-before-draw-1280x800.png`, fullPage: true });
  await clerk.click("#run-draw");
  await clerk.waitForSelector('#plan[data-drawn="true"]');
  const seed = (await clerk.textContent("#seed")).trim();
  assert.equal(createHash("sha256").update(seed).digest("hex"), commitment, "the revealed seed is the one committed to");
  const planId = await clerk.getAttribute("#plan", "data-plan");
  const drawnTasks = await clerk.$$eval("#task-list tbody tr", (rows) => rows.map((r) => ({ id: r.dataset.task, state: r.dataset.state, inspectors: r.children[2].textContent })));
  assert.equal(drawnTasks.length, 4, "the matter draws every target at 100 %");
  assert.ok(drawnTasks.every((t) => t.state === "notStarted"));
  await clerk.screenshot({ path: `${ARTIFACTS}/plan-drawn-1280x800.png`, fullPage: true });
  await axe(clerk, "plan");
  await clerk.setViewportSize(TABLET);
  await clerk.screenshot({ path: `${ARTIFACTS}/plan-drawn-1024x768.png`, fullPage: true });

  // A third party, not signed in, opens the bureau's public link and re-runs the draw: the same targets.
  const link = await clerk.getAttribute("#public-link", "href");
  const outsider = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  const checker = await open(outsider, link);
  await checker.waitForSelector("#draw-source:has-text('鼓楼区市场监督管理局')");
  assert.equal((await checker.inputValue('#draw-form [name="seed"]')).trim(), seed);
  await checker.click('#draw-form button[type="submit"]');
  await checker.waitForSelector("#commitment-ok");
  const rerun = await checker.$$eval(".matter-draw tbody tr", (rows) => rows.map((r) => r.dataset.creditCode).sort());
  assert.deepEqual(rerun, TARGETS.map((t) => t.code).sort());
  await checker.screenshot({ path: `${ARTIFACTS}/draw-public-rerun-1280x800.png`, fullPage: true });
  await outsider.close();

  // Each officer's tablet lists exactly the tasks they were drawn for.
  const mineOf = (name) => drawnTasks.filter((t) => t.inspectors.includes(name)).map((t) => t.id).sort();
  const liTablet = await newContext(browser, TABLET);
  const li = await open(liTablet, hq.url);
  await signIn(li, "li");
  assert.deepEqual((await taskRowsOn(li, mineOf("李某").length)).map((r) => r.id).sort(), mineOf("李某"));
  await liTablet.close();

  const tablet = await newContext(browser, TABLET);
  const chen = await open(tablet, hq.url);
  await signIn(chen);
  const rows = await taskRowsOn(chen, mineOf("陈某").length);
  assert.deepEqual(rows.map((r) => r.id).sort(), mineOf("陈某"));
  await chen.screenshot({ path: `${ARTIFACTS}/tablet-tasks-1024x768.png`, fullPage: true });
  await axe(chen, "the tablet's tasks");

  // No signal: the first task's visit starts with the operator, site and inspectors filled in.
  await tablet.setOffline(true);
  const task = rows[0].id;
  const target = TARGETS.find((t) => task.endsWith(t.code));
  await chen.click(`#tasks li[data-task="${task}"] a.button`);
  await chen.waitForSelector("#editor");
  assert.match(await chen.textContent("#task-note"), /计量器具使用情况检查（2026 年第四季度双随机抽查 第一批）.*计量器具/);
  assert.equal(await chen.inputValue("#f_operator_name"), target.name);
  assert.equal(await chen.inputValue("#f_operator_creditCode"), target.code);
  assert.equal(await chen.inputValue("#f_officers_0_certificateNo"), "35010019001");
  assert.match(await chen.inputValue("#f_officers_1_name"), /李某|王某|赵某/);
  await chen.screenshot({ path: `${ARTIFACTS}/visit-from-task-1024x768.png` });
  await fill(chen, "/site/kind", "farmersMarket");
  await giveNotice(chen);
  await addItems(chen, ["metrology"]);
  await sign(chen);
  await finalise(chen);
  await chen.goto(`${hq.url}/#/`);
  await chen.waitForSelector(`#tasks li[data-task="${task}"][data-state="finalised"]`);

  // The next target is not at its registered address: a result with its reason, no checks, no signature.
  const gone = rows.find((r) => r.id !== task).id;
  const goneTarget = TARGETS.find((t) => gone.endsWith(t.code));
  await chen.click(`#tasks li[data-task="${gone}"] a.button`);
  await chen.waitForSelector("#editor");
  await fill(chen, "/site/kind", "farmersMarket");
  await chen.click("#unreachable summary");
  await fill(chen, "/unreachable/reason", "notFoundAtAddress");
  await fill(chen, "/unreachable/note", "登记地址为空置商铺，电话无人接听");
  // Nothing to check, sign or hand over: the editor asks for none of it.
  await until(async () => !/现场笔录缺少|未记录任何检查项目|当事人签字/.test(await chen.textContent("#problems")));
  await chen.locator("#unreachable").scrollIntoViewIfNeeded();
  await chen.screenshot({ path: `${ARTIFACTS}/visit-unreachable-1024x768.png` });
  await finalise(chen);
  assert.match(await chen.textContent("#verdict"), /未能检查：通过登记的住所（经营场所）无法联系.*登记地址为空置商铺/);
  assert.match(await chen.textContent("#documents"), /无需制作和送达文书/);
  await chen.screenshot({ path: `${ARTIFACTS}/result-unreachable-1024x768.png` });
  await chen.goto(`${hq.url}/#/`);
  await chen.waitForSelector(`#tasks li[data-task="${gone}"][data-state="finalised"]`);

  // With signal, the visit reaches HQ and the plan moves.
  await tablet.setOffline(false);
  await untilSynced(chen);
  await clerk.setViewportSize({ width: 1280, height: 800 });
  await until(async () => {
    await clerk.goto(`${hq.url}/staff/#/plan/${encodeURIComponent(planId)}?t=${Date.now()}`);
    await clerk.waitForSelector("#task-list");
    return (await clerk.getAttribute(`#task-list tr[data-task="${task}"]`, "data-state")) === "done";
  });
  assert.match(await clerk.textContent(`#task-list tr[data-task="${task}"]`), /未发现问题|已责令改正|已立案调查/);
  assert.match(await clerk.textContent(`#tasks .legend li[data-state="done"]`), /已完成 1/);
  await until(async () => (await clerk.getAttribute(`#task-list tr[data-task="${gone}"]`, "data-state")) === "unreachable" || (await clerk.reload(), await clerk.waitForSelector("#task-list"), false));
  assert.match(await clerk.textContent(`#task-list tr[data-task="${gone}"]`), /未能检查.*通过登记的住所（经营场所）无法联系/);
  assert.match(await clerk.textContent(`#tasks .legend li[data-state="unreachable"]`), /未能检查 1/);
  await clerk.screenshot({ path: `${ARTIFACTS}/plan-progress-1280x800.png`, fullPage: true });
  const [download] = await Promise.all([clerk.waitForEvent("download"), clerk.click("#download-publication")]);
  const csv = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines[0], "抽查计划,抽查事项,检查对象,统一社会信用代码,地址,检查日期,检查结果,公示截止日期,检查人员");
  assert.equal(lines.length, 3, "both results are published: the inspection and the target not found");
  assert.ok(lines.some((l) => l.includes(target.code) && l.includes(target.name)), csv);
  assert.ok(lines.some((l) => l.includes(goneTarget.code) && l.includes("通过登记的住所（经营场所）无法联系")), csv);

  // The result is to be published within 20 working days: on the deadlines board until recorded.
  await clerk.click("#nav-deadlines");
  await clerk.waitForSelector(`#deadlines tr[data-code="DRAW.PUBLICATION"]`);
  const board = await clerk.$$eval(`#deadlines tr[data-code="DRAW.PUBLICATION"]`, (rows) => rows.map((r) => r.textContent));
  assert.equal(board.length, 2, board.join("\n"));
  assert.ok(board.some((r) => new RegExp(`公示双随机抽查结果：${target.name}.*记录已公示`).test(r)), board.join("\n"));
  await clerk.screenshot({ path: `${ARTIFACTS}/deadlines-publication-1280x800.png` });
  await clerk.click(`#deadlines tr[data-code="DRAW.PUBLICATION"] a.action`);
  await clerk.waitForSelector("#mark-published");
  await clerk.click("#mark-published");
  await clerk.waitForSelector("#plan-outcome.ok-note");
  assert.match(await clerk.textContent("#plan-outcome"), /已记录 2 户/);
  assert.match(await clerk.textContent(`#task-list tr[data-task="${task}"]`), /按期/);
  await clerk.click("#nav-deadlines");
  await clerk.waitForSelector("#deadlines");
  assert.equal(await clerk.$(`#deadlines tr[data-code="DRAW.PUBLICATION"]`), null, "published: off the board");
  assert.deepEqual(chen.errors, []);
  assert.deepEqual(clerk.errors, []);
  await tablet.close();
  await context.close();
});
