// The staff console's pure parts: periods, the deadlines board's filter, record search.
import { test } from "node:test";
import assert from "node:assert/strict";
import { periodOf, filterDeadlines, countByStatus, searchVisits } from "../../../www/src/staff/state.js";

test("a kind of period and a day make the core's period string", () => {
  assert.deepEqual(["month", "quarter", "half", "year"].map((k) => periodOf(/** @type {any} */ (k), "2026-08-15")), ["2026-08", "2026-Q3", "2026-H2", "2026"]);
  assert.equal(periodOf("half", "2026-06-30"), "2026-H1");
  assert.equal(periodOf("quarter", "2026-01-01"), "2026-Q1");
});

const row = (due, status, kind) => ({ visitId: due, deadline: { due, status, kind, code: "X", title: { zh: kind, en: kind } } });

test("the board filters by status and kind, soonest first, and counts each status", () => {
  const rows = [row("2026-12-09", "open", "rectification"), row("2026-11-30", "overdue", "labReport"), row("2026-12-01", "open", "labReport")];
  assert.deepEqual(filterDeadlines(rows).map((r) => r.deadline.due), ["2026-11-30", "2026-12-01", "2026-12-09"]);
  assert.deepEqual(filterDeadlines(rows, { status: "open" }).map((r) => r.deadline.due), ["2026-12-01", "2026-12-09"]);
  assert.deepEqual(filterDeadlines(rows, { status: "open", kind: "labReport" }).map((r) => r.deadline.due), ["2026-12-01"]);
  assert.deepEqual(countByStatus(rows), { open: 2, overdue: 1 });
});

test("search matches every word over operator, credit code, site and officers; drafts apart; discarded never", () => {
  const visits = [
    { id: "a", status: "finalised", startedAt: "2026-03-01T09:00:00+08:00", operator: { name: "福州某某超市", creditCode: "91350100M000100Y43" }, site: { name: "某某农贸市场" }, officers: [{ name: "陈某", certificateNo: "35010019001" }] },
    { id: "b", status: "draft", startedAt: "2026-03-02T09:00:00+08:00", operator: { name: "福州某某五金店" }, site: { name: "某某农贸市场" } },
    { id: "c", status: "discarded", operator: { name: "福州某某五金店" } },
  ];
  const ids = (r) => [r.finalised.map((v) => v.id), r.drafts.map((v) => v.id)];
  assert.deepEqual(ids(searchVisits(visits, "")), [["a"], ["b"]]);
  assert.deepEqual(ids(searchVisits(visits, "五金")), [[], ["b"]]);
  assert.deepEqual(ids(searchVisits(visits, "农贸 35010019001")), [["a"], []]);
  assert.deepEqual(ids(searchVisits(visits, "91350100m000100y43")), [["a"], []]);
});

test("the figures screen's period, scope and grouping live in its address, and a group narrows the scope", async () => {
  const { figuresView, figuresParams, narrowTo } = await import("../../../www/src/staff/state.js");
  const today = "2026-08-15";
  // Nothing given, or nonsense: the bureau's half-year as of today.
  assert.deepEqual(figuresView(new URLSearchParams(""), today), { kind: "half", asOf: today, groupBy: undefined, scope: {} });
  assert.deepEqual(figuresView(new URLSearchParams("kind=decade&asOf=yesterday&groupBy=colour&in.kind=fish"), today), { kind: "half", asOf: today, groupBy: undefined, scope: {} });
  const view = figuresView(new URLSearchParams("kind=year&asOf=2026-07-10&groupBy=market&in.kind=metrology"), today);
  assert.deepEqual(view, { kind: "year", asOf: "2026-07-10", groupBy: "market", scope: { kind: "metrology" } });
  // The address round-trips; a market group becomes the scope, the grouping goes.
  assert.deepEqual(figuresView(new URLSearchParams(figuresParams(view)), today), view);
  const narrowed = figuresView(new URLSearchParams(figuresParams(view, narrowTo(view, "M1"))), today);
  assert.deepEqual(narrowed, { kind: "year", asOf: "2026-07-10", groupBy: undefined, scope: { kind: "metrology", market: "M1" } });
  // A month group is a period of its own, judged at its last day (or today, within it).
  const byMonth = { ...view, groupBy: /** @type {const} */ ("month") };
  assert.deepEqual(narrowTo(byMonth, "2026-02"), { kind: "month", asOf: "2026-02-28", groupBy: undefined });
  assert.deepEqual(narrowTo(byMonth, "2026-07"), { kind: "month", asOf: "2026-07-10", groupBy: undefined });
});
