// The staff console's state as pure functions (tested with node:test): the
// period a clerk picks, the deadlines board's filter, record search.

/** @typedef {"month" | "quarter" | "half" | "year"} PeriodKind */

/**
 * The core's period string for a kind of period containing `day` (YYYY-MM-DD):
 * 2026-03, 2026-Q1, 2026-H1, 2026.
 * @param {PeriodKind} kind
 * @param {string} day
 */
export function periodOf(kind, day) {
  const [y, m] = [day.slice(0, 4), Number(day.slice(5, 7))];
  switch (kind) {
    case "month":
      return `${y}-${String(m).padStart(2, "0")}`;
    case "quarter":
      return `${y}-Q${Math.ceil(m / 3)}`;
    case "half":
      return `${y}-H${m <= 6 ? 1 : 2}`;
    default:
      return y;
  }
}

/**
 * @typedef {{ visitId: string, operator?: string, deadline: { kind: string, status: string, due: string, code: string, itemId?: string, title: { zh: string, en: string } } }} BoardRow
 */

/**
 * The board's rows for a filter, by due date (soonest first; HQ sorts them too).
 * @param {BoardRow[]} rows
 * @param {{ status?: string, kind?: string }} filter empty: all
 */
export function filterDeadlines(rows, { status = "", kind = "" } = {}) {
  return rows.filter((r) => (!status || r.deadline.status === status) && (!kind || r.deadline.kind === kind)).sort((a, b) => a.deadline.due.localeCompare(b.deadline.due));
}

/** How many rows of each status. @param {BoardRow[]} rows */
export function countByStatus(rows) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const r of rows) out[r.deadline.status] = (out[r.deadline.status] ?? 0) + 1;
  return out;
}

/**
 * Visits matching a search over operator name, credit code, site and officers
 * (case-insensitive, every word must match), newest first; drafts apart.
 * @param {any[]} visits records as HQ holds them
 * @param {string} query
 * @returns {{ finalised: any[], drafts: any[] }}
 */
export function searchVisits(visits, query) {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const text = (/** @type {any} */ v) =>
    [v.operator?.name, v.operator?.creditCode, v.site?.name, v.site?.market, ...(v.officers ?? []).flatMap((/** @type {any} */ o) => [o.name, o.certificateNo])].filter(Boolean).join(" ").toLowerCase();
  const hits = visits.filter((v) => v.status !== "discarded" && words.every((w) => text(v).includes(w))).sort((a, b) => (b.startedAt ?? "").localeCompare(a.startedAt ?? ""));
  return { finalised: hits.filter((v) => v.status === "finalised"), drafts: hits.filter((v) => v.status !== "finalised") };
}
