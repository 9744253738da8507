// Records as the screens use them: the core makes ids, hashes and checks;
// db.js keeps them; every save queues the change for HQ in the same write.
import { saveWithOutbox, getMeta } from "./db.js";

export class Records {
  constructor(db, core, onSaved) {
    this.db = db;
    this.core = core;
    this.onSaved = onSaved;
  }

  async visits() {
    return (await this.db.getAllFromIndex("records", "byKind", "visit")).sort((a, b) => (b.record.startedAt ?? "").localeCompare(a.record.startedAt ?? ""));
  }

  async get(id) {
    return this.db.get("records", id);
  }

  async followUps(visitId) {
    const all = (await this.db.getAllFromIndex("records", "byKind", "sampleFollowUp")).map((r) => r.record);
    return visitId ? all.filter((f) => f.visitId === visitId) : all;
  }

  /** A new local revision of `visit`, queued for HQ; `blobs`: photos first kept here. */
  async saveVisit(edited, blobs = []) {
    // Exactly what travels as JSON (no `undefined` members): the hash must be of what HQ receives.
    const visit = JSON.parse(JSON.stringify(edited));
    const previous = await this.get(visit.id);
    const revision = this.core.newId();
    const change = { kind: "visit", id: visit.id, revision, sha256: this.core.contentSha256(visit), record: visit };
    if (previous?.revision) change.baseRevision = previous.revision;
    const entry = { id: visit.id, kind: "visit", record: visit, revision, syncedRevision: previous?.syncedRevision };
    await saveWithOutbox(this.db, entry, change, blobs);
    this.onSaved?.(visit.id);
    return entry;
  }

  /**
   * Resolve a conflict by keeping this device's version: the same record as a
   * new revision on top of HQ's (both versions stay at HQ).
   */
  async keepMine(id) {
    const entry = await this.get(id);
    if (entry?.state !== "conflict") return;
    const revision = this.core.newId();
    const base = entry.remote?.revision ?? entry.currentRevision;
    const change = { kind: entry.kind, id, baseRevision: base, revision, sha256: this.core.contentSha256(entry.record), record: entry.record };
    await saveWithOutbox(this.db, { id, kind: entry.kind, record: entry.record, revision, syncedRevision: base }, change);
    this.onSaved?.(id);
  }

  async newVisit() {
    const session = await getMeta(this.db, "session");
    const me = session?.user ?? {};
    return {
      schemaVersion: 1,
      id: this.core.newId(),
      status: "draft",
      operator: {},
      site: {},
      officers: [{ name: me.name || undefined, certificateNo: me.certificateNo || undefined }, {}],
      startedAt: undefined,
      attachments: [],
      priceChecks: [],
      instrumentChecks: [],
      equipmentChecks: [],
      samples: [],
    };
  }
}
