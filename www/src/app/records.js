// Records as the screens use them: the core makes ids, hashes and checks;
// db.js keeps them; every save queues the change for HQ in the same write.
import { saveWithOutbox, getMeta, setMeta, putBlob, exportAll, importAll } from "./db.js";
import { signRecord, takeNumbers } from "./evidence.js";
import { withDelivery } from "./handover.js";
import { visitFromTask } from "./tasks.js";

export class Records {
  constructor(db, core, onSaved) {
    this.db = db;
    this.core = core;
    this.onSaved = onSaved;
  }

  /** The visits to list and count: a discarded draft is neither (it stays stored, and at HQ). */
  async visits() {
    return (await this.db.getAllFromIndex("records", "byKind", "visit")).filter((e) => e.record.status !== "discarded").sort((a, b) => (b.record.startedAt ?? "").localeCompare(a.record.startedAt ?? ""));
  }

  async get(id) {
    return this.db.get("records", id);
  }

  /** A photo or signature kept on the device ({ sha256, mediaType, size, blob }), or undefined. */
  photo(sha256) {
    return this.db.get("blobs", sha256);
  }

  /** Keep a photo's bytes on the device (waiting for HQ) before the record names it. */
  keepPhoto(photo) {
    return putBlob(this.db, photo);
  }

  exportBackup() {
    return exportAll(this.db);
  }

  importBackup(data) {
    return importAll(this.db, data);
  }

  /**
   * Who issues this device's documents: the bureau's full name and the province
   * whose templates apply (set once in Settings).
   * @returns {Promise<{ bureau?: string, region?: string }>}
   */
  async issuer() {
    return (await getMeta(this.db, "issuer")) ?? {};
  }

  /** @param {{ bureau?: string, region?: string }} issuer */
  setIssuer(issuer) {
    return setMeta(this.db, "issuer", issuer);
  }

  /**
   * The documents of a finalised visit, made by the core under the issuer set here.
   * @param {import("../../../pkg/xuncha.js").Visit} visit
   * @returns {Promise<import("../../../pkg/xuncha.js").DocumentSet>}
   */
  async documents(visit) {
    const { bureau, region } = await this.issuer();
    return this.core.visitDocuments(visit, { bureau: bureau || undefined, region: region || undefined, followUps: await this.followUps(visit.id) });
  }

  /**
   * The record of which of a visit's documents were handed over (none yet: undefined).
   * @returns {Promise<import("../../../pkg/xuncha.js").DeliveryRecord | undefined>}
   */
  async deliveries(visitId) {
    const all = await this.db.getAllFromIndex("records", "byKind", "delivery");
    return all.map((r) => r.record).find((r) => r.visitId === visitId);
  }

  /**
   * Mark one of a visit's documents as handed over: the visit's delivery record
   * revised and queued for HQ; a refused delivery's photo or video kept with it.
   * Throws the core's problems (`e.problems`) if the mark is incomplete.
   * @param {string} visitId
   * @param {import("../../../pkg/xuncha.js").DocumentDelivery} delivery
   * @param {{ sha256: string, mediaType: string, size: number, blob: Blob }} [evidence]
   */
  markDelivered(visitId, delivery, evidence) {
    return this.#inTurn(async () => {
      const current = await this.deliveries(visitId);
      const attachment = evidence ? { sha256: evidence.sha256, mediaType: evidence.mediaType, sizeBytes: evidence.size } : undefined;
      const record = withDelivery(current, { id: this.core.newId(), visitId, schemaVersion: this.core.schemaVersion() }, delivery, attachment);
      return this.#keepChecked("delivery", record, (r) => this.core.validateDelivery(r), evidence ? [evidence] : []);
    });
  }

  /**
   * Keep a record of its own kind (a delivery, a re-inspection): checked by
   * the core, stored with its photos and queued for HQ in one write. Throws
   * the core's problems (`e.problems`, code `INCOMPLETE`) when it is not whole.
   * @template {{ id?: string }} R
   * @param {"delivery" | "rectification"} kind
   * @param {R} record
   * @param {(record: R) => import("../../../pkg/xuncha.js").ValidationReport} validate
   * @param {{ sha256: string, mediaType: string, size: number, blob: Blob }[]} blobs
   * @returns {Promise<R>}
   */
  async #keepChecked(kind, record, validate, blobs) {
    // What is stored is what the core checked: undefined fields dropped, as JSON keeps them.
    const clean = JSON.parse(JSON.stringify(record));
    const report = validate(clean);
    if (!report.ok) throw Object.assign(new Error(`incomplete ${kind}`), { code: "INCOMPLETE", problems: report.problems });
    const revision = this.core.newId();
    /** @type {import("../../../pkg/xuncha.js").Change} */
    const change = { kind, id: clean.id, revision, sha256: this.core.contentSha256(clean), record: clean };
    await saveWithOutbox(this.db, { id: clean.id, kind, record: clean, revision }, change, blobs);
    this.onSaved?.(clean.id);
    return clean;
  }

  /**
   * A visit's rectification records (复查 on this tablet, closures by staff from HQ); every visit's without one.
   * @param {string} [visitId]
   * @returns {Promise<import("../../../pkg/xuncha.js").RectificationRecord[]>}
   */
  async rectifications(visitId) {
    const all = await this.db.getAllFromIndex("records", "byKind", "rectification");
    return all.map((r) => r.record).filter((r) => visitId === undefined || r.visitId === visitId);
  }

  /**
   * Keep a re-inspection: checked by the core, stored with its photos and
   * queued for HQ in one write. Throws the core's problems (`e.problems`).
   * @param {import("../../../pkg/xuncha.js").RectificationRecord} record
   * @param {{ sha256: string, mediaType: string, size: number, blob: Blob }[]} photos
   */
  saveRectification(record, photos) {
    return this.#inTurn(() => this.#keepChecked("rectification", record, (r) => this.core.validateRectification(r), photos));
  }

  async followUps(visitId) {
    const all = (await this.db.getAllFromIndex("records", "byKind", "sampleFollowUp")).map((r) => r.record);
    return visitId ? all.filter((f) => f.visitId === visitId) : all;
  }

  /**
   * A new local revision of `visit`, queued for HQ; `blobs`: photos first kept here.
   * `basedOn`: the revision the caller's copy was made from (an editor's last load
   * or save); without it, the record's revision at the moment of writing.
   * @param {import("../../../pkg/xuncha.js").Visit} edited
   * @param {any[]} [blobs]
   * @param {{ basedOn?: string }} [options]
   * @returns {Promise<{ id: string, revision: string }>}
   */
  saveVisit(edited, blobs = [], { basedOn } = {}) {
    // Exactly what travels as JSON (no `undefined` members): the hash must be of what HQ receives.
    const visit = JSON.parse(JSON.stringify(edited));
    const revision = this.core.newId();
    /** @type {import("../../../pkg/xuncha.js").Change} */
    const change = { kind: "visit", id: visit.id, revision, sha256: this.core.contentSha256(visit), record: visit };
    return this.#inTurn(async () => {
      await this.#signIfFinalised(change);
      await saveWithOutbox(this.db, { id: visit.id, kind: "visit", record: visit, revision }, change, blobs, { basedOn });
      this.onSaved?.(visit.id);
      return { id: visit.id, revision };
    });
  }

  /**
   * Resolve a conflict by keeping this device's version: the same record as a
   * new revision on top of HQ's (both versions stay at HQ).
   */
  keepMine(id) {
    return this.#inTurn(async () => {
      const entry = await this.get(id);
      // In conflict, or edited since (HQ's version is still kept beside it).
      const base = entry?.remote?.revision ?? entry?.currentRevision;
      if (!base) return;
      const revision = this.core.newId();
      /** @type {import("../../../pkg/xuncha.js").Change} */
      const change = { kind: entry.kind, id, baseRevision: base, revision, sha256: this.core.contentSha256(entry.record), record: entry.record };
      await this.#signIfFinalised(change);
      await saveWithOutbox(this.db, { id, kind: entry.kind, record: entry.record, revision }, change);
      this.onSaved?.(id);
    });
  }

  /** A finalised record travels with this device's signature of its hash (HQ refuses it without). */
  async #signIfFinalised(/** @type {import("../../../pkg/xuncha.js").Change} */ change) {
    if (/** @type {any} */ (change.record).status === "finalised") {
      change.signature = await signRecord(this.db, this.core.recordSigningMessage(change.id, change.sha256));
    }
  }

  /**
   * Number a just-finalised visit's documents from the blocks HQ leased this
   * device (the core says which documents take one). Throws NumbersExhausted
   * when too few are left: the visit is then not finalised.
   * @param {import("../../../pkg/xuncha.js").Visit} visit
   * @returns {Promise<import("../../../pkg/xuncha.js").Visit>}
   */
  async numberDocuments(visit) {
    let set;
    try {
      set = await this.documents(visit);
    } catch {
      return visit; // no template in force: no documents to number
    }
    const year = Number((visit.finalisedAt ?? new Date().toISOString()).slice(0, 4));
    const taken = await takeNumbers(this.db, year, set.unnumbered);
    return taken.length ? { ...visit, documentNumbers: [...(visit.documentNumbers ?? []), ...taken] } : visit;
  }

  // This tab's saves run one after another (an autosave and a tap on 保存 can
  // overlap); each reads the record's revision inside its own write.
  /** @type {Promise<unknown>} */
  #queue = Promise.resolve();
  /** @template T @param {() => Promise<T>} write @returns {Promise<T>} */
  #inTurn(write) {
    const turn = this.#queue.then(write);
    this.#queue = turn.catch(() => {});
    return turn;
  }

  /**
   * The officer's 双随机 tasks as HQ last sent them (kept for offline use).
   * @returns {Promise<import("../../../pkg/xuncha.js").Task[]>}
   */
  async tasks() {
    return (await getMeta(this.db, "tasks"))?.tasks ?? [];
  }

  /**
   * A fresh visit; from a task, with what the core fills from it (operator, site, inspectors, the task's id).
   * @param {import("../../../pkg/xuncha.js").Task} [task]
   */
  async newVisit(task) {
    const fresh = await this.#freshVisit();
    return task ? visitFromTask(fresh, this.core.visitForTask(task), fresh.officers?.[0]?.certificateNo) : fresh;
  }

  /** @returns {Promise<import("../../../pkg/xuncha.js").Visit>} */
  async #freshVisit() {
    const session = await getMeta(this.db, "session");
    const me = session?.user ?? {};
    return {
      schemaVersion: this.core.schemaVersion(),
      id: this.core.newId(),
      status: /** @type {const} */ ("draft"),
      operator: {},
      site: {},
      officers: [{ name: me.name || undefined, certificateNo: me.certificateNo || undefined }, {}],
      startedAt: undefined,
      attachments: [],
      // The lists of checks are added by the editor, from the core's catalogue.
    };
  }
}
