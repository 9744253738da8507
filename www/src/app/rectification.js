// Re-inspecting a visit's findings (复查), as pure functions over the core's
// evaluation and rectification records: which findings still wait for their
// rectification, and the record an officer's choices make. No DOM, no
// storage: tested with node:test.

/** @typedef {import("../../../pkg/xuncha.js").Deadline} Deadline */
/** @typedef {import("../../../pkg/xuncha.js").RectificationRecord} RectificationRecord */
/** @typedef {import("../../../pkg/xuncha.js").RectificationOutcome} RectificationOutcome */
/** @typedef {import("../../../pkg/xuncha.js").Attachment} Attachment */

/**
 * The visit's rectification deadlines (one per finding ordered corrected), in
 * the core's order: those still to rectify (open, overdue) and those met.
 * @param {{ deadlines: Deadline[] }} evaluation evaluated with the visit's rectifications
 */
export function rectificationDeadlines(evaluation) {
  const all = evaluation.deadlines.filter((d) => d.kind === "rectification");
  return {
    waiting: all.filter((d) => d.status === "open" || d.status === "overdue"),
    met: all.filter((d) => d.status === "metOnTime" || d.status === "metLate"),
  };
}

/** A finding's key in a form: its rule code and path (a finding is named by both). */
export function findingKey(/** @type {{ code?: string, findingCode?: string, path?: string }} */ f) {
  return `${f.code ?? f.findingCode} ${f.path}`;
}

/**
 * @typedef {{
 *   code: string,
 *   path: string,
 *   outcome?: RectificationOutcome,
 *   note?: string,
 *   photo?: Attachment,
 * }} Choice one finding as the officer left it in the form
 */

/**
 * The record of one re-inspection: the findings the officer gave an outcome,
 * with their notes and photos (a finding left unanswered is not part of it).
 * @param {{ id: string, visitId: string, schemaVersion: number, checkedOn: string }} fresh
 * @param {Choice[]} choices
 * @returns {RectificationRecord}
 */
export function recheckRecord(fresh, choices) {
  const answered = choices.filter((c) => c.outcome);
  const attachments = answered.flatMap((c) => (c.photo ? [c.photo] : []));
  return {
    schemaVersion: fresh.schemaVersion,
    id: fresh.id,
    visitId: fresh.visitId,
    method: "onSite",
    checkedOn: fresh.checkedOn,
    // Absent, not undefined: the core reads an undefined field as null.
    items: answered.map((c) => ({
      findingCode: c.code,
      path: c.path,
      outcome: c.outcome,
      ...(c.note?.trim() ? { note: c.note.trim() } : {}),
      ...(c.photo?.sha256 ? { photoSha256: [c.photo.sha256] } : {}),
    })),
    attachments: attachments.filter((a, i) => attachments.findIndex((b) => b.sha256 === a.sha256) === i),
  };
}

/**
 * For each finding a record names, the latest word on it: what the visit's
 * card shows beside the finding (the deadline's status is the core's).
 * @param {RectificationRecord[]} records
 * @returns {Map<string, { outcome: RectificationOutcome, checkedOn: string, method: string, note?: string }>}
 */
export function latestOutcomes(records) {
  const byDay = [...records].sort((a, b) => (a.checkedOn ?? "").localeCompare(b.checkedOn ?? ""));
  const out = new Map();
  for (const r of byDay) {
    for (const i of r.items ?? []) {
      if (i.outcome) out.set(findingKey(i), { outcome: i.outcome, checkedOn: r.checkedOn ?? "", method: r.method ?? "", note: i.note });
    }
  }
  return out;
}

/**
 * Staff closing findings on the documents the operator sent in (书面审查):
 * each chosen finding rectified on the documents' day, with the reason.
 * @param {{ id: string, visitId: string, schemaVersion: number, checkedOn: string }} fresh
 * @param {string} reason what the documents were and why they suffice
 * @param {{ code: string, path: string }[]} findings
 * @returns {RectificationRecord}
 */
export function closureRecord(fresh, reason, findings) {
  return {
    schemaVersion: fresh.schemaVersion,
    id: fresh.id,
    visitId: fresh.visitId,
    method: "documentary",
    checkedOn: fresh.checkedOn,
    ...(reason.trim() ? { reason: reason.trim() } : {}),
    items: findings.map((f) => ({ findingCode: f.code, path: f.path, outcome: "rectified" })),
    attachments: [],
  };
}
