// The local record's sync state, as pure functions: what a save, HQ's answer to
// a push, and a pulled change do to the stored record (and to the outbox).
// db.js and sync-engine.js run them inside their transactions; the rules live
// here, unit-tested in Node with no browser (tests/js/unit/record-state.test.mjs).
//
// A stored record: { id, kind, record, revision, state: "pending" | "synced" |
// "rejected" | "conflict", syncedRevision, lineage, remote, currentRevision,
// problems, reason, updatedAt }.

/** How many of a record's revisions confirmed by HQ the tablet remembers (to know its own when HQ sends it back). */
export const LINEAGE_KEPT = 50;

/** `lineage` with `revision` appended, the oldest forgotten past LINEAGE_KEPT. */
export function extendLineage(lineage, revision) {
  return [...(lineage ?? []).filter((r) => r !== revision), revision].slice(-LINEAGE_KEPT);
}

/**
 * A save: the stored record after it, the outbox entries it replaces and the
 * change to queue.
 * - `change.baseRevision` given: this device's version kept over HQ's; it
 *   supersedes every unsent entry and settles the conflict on this side.
 * - else the change is based on `basedOn` (the editor's copy) or the record's
 *   revision now; an unsent entry for that revision is replaced, its base kept.
 * - an editor's copy made from an older revision than the stored one, where the
 *   stored one is HQ's: HQ will answer a conflict, and its version stays beside.
 * @param {any} current the stored record, or undefined
 * @param {{ seq: number, sent: boolean, change: any }[]} queued unsent and sent outbox entries of this id
 * @returns {{ stored: any, replaced: number[], change: any }}
 */
export function onSave(current, entry, change, queued, { basedOn, now }) {
  const overHq = change.baseRevision !== undefined;
  let base = overHq ? change.baseRevision : (basedOn ?? current?.revision);
  const replaced = [];
  for (const q of queued) {
    if (!q.sent && (overHq || q.change.revision === base)) {
      if (!overHq) base = q.change.baseRevision;
      replaced.push(q.seq);
    }
  }
  const hqUnderEditor =
    !overHq && basedOn !== undefined && current && current.revision !== basedOn && current.syncedRevision === current.revision
      ? { revision: current.revision, record: current.record, at: now }
      : undefined;
  const queuedChange = { ...change, baseRevision: base ?? undefined };
  if (!queuedChange.baseRevision) delete queuedChange.baseRevision;
  const stored = {
    ...entry,
    syncedRevision: current?.syncedRevision,
    lineage: current?.lineage,
    remote: overHq ? undefined : (current?.remote ?? hqUnderEditor),
    currentRevision: overHq ? undefined : current?.currentRevision,
    state: "pending",
    problems: [],
    reason: undefined,
    updatedAt: now,
  };
  return { stored, replaced, change: queuedChange };
}

/**
 * HQ's answer to one pushed change. A record saved again since the change was
 * queued keeps its newer state (only what HQ now has is noted).
 * @returns {{ stored: any, counted: "pushed" | "rejected" | "conflicts" | null }}
 */
export function onPushResult(local, change, result) {
  const stored = { ...local };
  const newer = local.revision !== change.revision;
  switch (result.status) {
    case "accepted":
    case "alreadyApplied":
      stored.syncedRevision = change.revision;
      stored.lineage = extendLineage(local.lineage, change.revision);
      if (!newer) Object.assign(stored, { state: "synced", problems: [], reason: undefined, remote: undefined, currentRevision: undefined });
      return { stored, counted: "pushed" };
    case "rejected":
      // Shown to the officer; it does not hold up the others. A fix is a new save.
      if (!newer) Object.assign(stored, { state: "rejected", problems: result.problems ?? [], reason: result.reason, message: result.message });
      return { stored, counted: "rejected" };
    case "conflict":
      if (!newer) Object.assign(stored, { state: "conflict", currentRevision: result.currentRevision });
      return { stored, counted: "conflicts" };
    default:
      return { stored: local, counted: null };
  }
}

/**
 * A change pulled from HQ. Local work not at HQ (queued, in conflict, or
 * rejected awaiting a fix) is never overwritten: HQ's version is kept beside it.
 * @param {any} local the stored record, or undefined
 * @param {number} queued outbox entries of this id
 * @returns {{ stored: any | null, pulled: boolean }} `stored: null`: nothing to write
 */
export function onPulled(local, queued, change, now) {
  const unsettled = queued > 0 || local?.state === "conflict" || local?.state === "rejected";
  // HQ sends each record as it is now; one of this tablet's own revisions that it
  // has since moved past (an edit saved after this pass pushed) is not news.
  if (local && local.revision !== change.revision && local.lineage?.includes(change.revision)) return { stored: null, pulled: false };
  if (local && (unsettled || local.revision === change.revision)) {
    const stored = { ...local };
    if (local.revision === change.revision && !unsettled) Object.assign(stored, { state: "synced", syncedRevision: change.revision });
    else if (local.revision !== change.revision) stored.remote = { revision: change.revision, record: change.record, at: now };
    return { stored, pulled: false };
  }
  return {
    stored: { id: change.id, kind: change.kind, record: change.record, revision: change.revision, syncedRevision: change.revision, lineage: extendLineage(local?.lineage, change.revision), state: "synced", problems: [], updatedAt: now, fromHq: true },
    pulled: true,
  };
}
