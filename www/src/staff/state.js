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
 * @typedef {{ visitId: string, operator?: string, planId?: string, deadline: { kind: string, status: string, due: string, code: string, itemId?: string, title: { zh: string, en: string } } }} BoardRow
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

/**
 * @typedef {{
 *   kind: PeriodKind,
 *   asOf: string,
 *   groupBy?: "market" | "officer" | "operator" | "kind" | "month",
 *   scope: { market?: string, officer?: string, operator?: string, kind?: "price" | "metrology" | "equipment" | "sampling" },
 * }} FiguresView what the figures screen shows: its period, scope and grouping
 */

const SCOPE_KEYS = /** @type {const} */ (["market", "officer", "operator", "kind"]);
const GROUPINGS = ["market", "officer", "operator", "kind", "month"];
const CHECK_KINDS = ["price", "metrology", "equipment", "sampling"];

/**
 * The figures screen's view from its address (`#/?kind=half&asOf=…&groupBy=market&in.market=M1`);
 * what is missing or not understood falls back to the bureau's half-year as of `today`.
 * @param {URLSearchParams} params
 * @param {string} today
 * @returns {FiguresView}
 */
export function figuresView(params, today) {
  const kind = /** @type {PeriodKind} */ (["month", "quarter", "half", "year"].includes(params.get("kind") ?? "") ? params.get("kind") : "half");
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(params.get("asOf") ?? "") ? /** @type {string} */ (params.get("asOf")) : today;
  const groupBy = /** @type {FiguresView["groupBy"]} */ (GROUPINGS.includes(params.get("groupBy") ?? "") ? params.get("groupBy") : undefined);
  /** @type {FiguresView["scope"]} */
  const scope = {};
  for (const k of SCOPE_KEYS) {
    const v = params.get(`in.${k}`)?.trim();
    if (v && (k !== "kind" || CHECK_KINDS.includes(v))) scope[k] = /** @type {any} */ (v);
  }
  return { kind, asOf, groupBy, scope };
}

/**
 * The address parameters of a view (the inverse of `figuresView`), with `change` applied.
 * @param {FiguresView} view
 * @param {Partial<FiguresView>} [change]
 */
export function figuresParams(view, change = {}) {
  const v = { ...view, ...change, scope: { ...view.scope, ...(change.scope ?? {}) } };
  const p = new URLSearchParams({ kind: v.kind, asOf: v.asOf });
  if (v.groupBy) p.set("groupBy", v.groupBy);
  for (const k of SCOPE_KEYS) if (v.scope[k]) p.set(`in.${k}`, /** @type {string} */ (v.scope[k]));
  return p.toString();
}

/**
 * What a group row narrows the scope to when opened: a market, officer or
 * operator group becomes the scope; a kind too; a month is a period of its own.
 * @param {FiguresView} view
 * @param {string} key the group's key
 * @returns {Partial<FiguresView>}
 */
export function narrowTo(view, key) {
  switch (view.groupBy) {
    case "month":
      return { kind: "month", asOf: lastDayOf(key, view.asOf), groupBy: undefined };
    case undefined:
      return {};
    default:
      return { scope: { [view.groupBy]: key }, groupBy: undefined };
  }
}

/** The month's last day, or `asOf` when the month is the one it falls in. */
function lastDayOf(/** @type {string} */ month, /** @type {string} */ asOf) {
  if (asOf.startsWith(month)) return asOf;
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
