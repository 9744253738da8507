// The officer's 双随机 tasks on the tablet: where each stands from the visits
// stored here, and the visit a task starts (filled by the release core).
import { test } from "node:test";
import assert from "node:assert/strict";
import core from "./core.mjs";
import { taskRows, visitFromTask } from "../../../www/src/app/tasks.js";

const target = (n, extra = {}) => ({ creditCode: `CODE${n}`, name: `商户${n}`, address: `鼓楼路${n}号`, market: "东街市场", ...extra });
const task = (n, due, extra = {}) => ({
  id: `2026-001:JL-001:CODE${n}`, planId: "2026-001", plan: "2026 年第一批", matter: "JL-001", matterTitle: "计量器具使用情况检查", basis: "《计量法》第九条",
  checkKinds: ["metrology"], target: target(n), keyUnit: false, due, publicationWorkingDays: 20,
  inspectors: [{ certificateNo: "35010019001", name: "陈" }, { certificateNo: "35010019999", name: "李" }], ...extra,
});

test("each task stands where its visits on this tablet put it; open ones first by due day", () => {
  const tasks = [task(1, "2026-06-30"), task(2, "2026-05-31"), task(3, "2026-06-15"), task(4, "2026-04-30")];
  const visits = [
    { id: "v1", taskId: tasks[0].id, status: "finalised", finalisedAt: "2026-05-02T10:00:00+08:00", operator: { creditCode: "CODE1" } },
    { id: "v2", taskId: tasks[1].id, status: "draft", startedAt: "2026-05-03T09:00:00+08:00", operator: { creditCode: "CODE2" } },
    // An ordinary visit of task 3's operator six weeks ago: the officer is warned before starting.
    { id: "v9", status: "finalised", finalisedAt: "2026-03-25T10:00:00+08:00", operator: { creditCode: "CODE3" } },
  ];
  const rows = taskRows(tasks, visits, "2026-05-05", "35010019001");
  assert.deepEqual(rows.map((r) => [r.task.target.name, r.state, r.overdue]), [
    ["商户4", "notStarted", true],
    ["商户2", "draft", false],
    ["商户3", "notStarted", false],
    ["商户1", "finalised", false],
  ]);
  assert.equal(rows[1].visit?.id, "v2");
  assert.deepEqual(rows[2].recent, { date: "2026-03-25", visitId: "v9" });
  assert.equal(rows[0].recent, undefined, "no earlier visit of 商户4");
  assert.deepEqual(rows[0].partner, ["李"], "the partner, not the officer");
  // Past three months, an earlier visit is no longer recent.
  assert.equal(taskRows(tasks, visits, "2026-07-01", "35010019001").find((r) => r.task.id === tasks[2].id)?.recent, undefined);
});

test("a visit started from a task carries its id, the operator and site from the directory and both inspectors", () => {
  const t = task(7, "2026-06-30", { target: target(7, { creditCode: "91350100000000007X" }) });
  const fresh = { schemaVersion: core.schemaVersion(), id: core.newId(), status: "draft", operator: {}, site: {}, officers: [{ name: "陈", certificateNo: "35010019001" }, {}], attachments: [] };
  const v = visitFromTask(fresh, core.visitForTask(t), "35010019001");
  assert.equal(v.id, fresh.id);
  assert.equal(v.status, "draft");
  assert.equal(v.taskId, t.id);
  assert.deepEqual(v.operator, { name: "商户7", address: "鼓楼路7号", creditCode: "91350100000000007X" });
  assert.deepEqual(v.site, { name: "商户7", address: "鼓楼路7号", marketId: "东街市场" });
  assert.deepEqual(v.officers, [{ name: "陈", certificateNo: "35010019001" }, { name: "李", certificateNo: "35010019999" }]);
  // The officer holding the tablet comes first, whatever order the draw gave.
  assert.deepEqual(visitFromTask(fresh, core.visitForTask(t), "35010019999").officers.map((o) => o.name), ["李", "陈"]);
  // A task the draw could not staff keeps the officer's own line.
  assert.deepEqual(visitFromTask(fresh, core.visitForTask({ ...t, inspectors: [] })).officers, fresh.officers);
  // Not a task: the core says so, the app starts nothing.
  assert.throws(() => core.visitForTask({ id: 1 }));
});
