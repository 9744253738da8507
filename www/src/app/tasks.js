// The officer's 双随机 tasks on the tablet, as pure functions over the task
// list HQ sent with a pull and the visits stored here: which task each visit
// carries out, what is still to do, and whether the operator was inspected
// here recently. No DOM, no storage: tested with node:test.

/** @typedef {import("../../../pkg/xuncha.js").Task} Task */
/** @typedef {import("../../../pkg/xuncha.js").Visit} Visit */

/** Days before which a visit of the same operator counts as recent (食品监督检查办法 Art. 42's three months). */
export const RECENT_DAYS = 90;

/**
 * @typedef {{
 *   task: Task,
 *   visit?: Visit,
 *   state: "notStarted" | "draft" | "finalised",
 *   overdue: boolean,
 *   partner: string[],
 *   recent?: { date: string, visitId: string },
 * }} TaskRow
 */

/** @param {string | undefined} iso */
const day = (iso) => (iso ?? "").slice(0, 10);

/**
 * The officer's tasks with where each stands on this tablet, open ones first
 * by due day, then the finished ones.
 * @param {Task[]} tasks
 * @param {Visit[]} visits the tablet's visits (discarded drafts left out)
 * @param {string} today YYYY-MM-DD
 * @param {string | undefined} myCertificate the officer's own, to name the partner
 * @returns {TaskRow[]}
 */
export function taskRows(tasks, visits, today, myCertificate) {
  const since = new Date(`${today}T00:00:00Z`);
  since.setUTCDate(since.getUTCDate() - RECENT_DAYS);
  const recentFrom = since.toISOString().slice(0, 10);
  const rows = tasks.map((task) => {
    const own = visits.filter((v) => v.taskId === task.id);
    const finalised = own.filter((v) => v.status === "finalised").sort((a, b) => (b.finalisedAt ?? "").localeCompare(a.finalisedAt ?? ""))[0];
    const draft = own.filter((v) => v.status !== "finalised").sort((a, b) => (b.startedAt ?? "").localeCompare(a.startedAt ?? ""))[0];
    const visit = finalised ?? draft;
    const state = finalised ? "finalised" : draft ? "draft" : "notStarted";
    const earlier = visits
      .filter((v) => v.taskId !== task.id && v.status === "finalised" && v.operator?.creditCode === task.target.creditCode && day(v.finalisedAt) >= recentFrom)
      .sort((a, b) => (b.finalisedAt ?? "").localeCompare(a.finalisedAt ?? ""))[0];
    return /** @type {TaskRow} */ ({
      task,
      visit,
      state,
      overdue: state !== "finalised" && today > task.due,
      partner: (task.inspectors ?? []).filter((i) => i.certificateNo !== myCertificate).map((i) => i.name),
      recent: earlier?.id ? { date: day(earlier.finalisedAt), visitId: earlier.id } : undefined,
    });
  });
  const open = (/** @type {TaskRow} */ r) => (r.state === "finalised" ? 1 : 0);
  return rows.sort((a, b) => open(a) - open(b) || a.task.due.localeCompare(b.task.due) || a.task.target.name.localeCompare(b.task.target.name));
}

/**
 * A new visit for a task: what the core fills from the task (its id, operator,
 * site, the two inspectors) over the app's fresh visit (id, schema, status);
 * the officer holding the tablet first, as on every visit they start.
 * @param {Visit} fresh
 * @param {Visit} fromTask the core's `visitForTask(task)`
 * @param {string} [myCertificate]
 * @returns {Visit}
 */
export function visitFromTask(fresh, fromTask, myCertificate) {
  const drawn = fromTask.officers ?? [];
  const officers = [...drawn.filter((o) => o.certificateNo === myCertificate), ...drawn.filter((o) => o.certificateNo !== myCertificate)];
  return { ...fresh, ...fromTask, officers: officers.length ? officers : fresh.officers };
}
