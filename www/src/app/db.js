// Local storage: one IndexedDB database. Everything an officer entered lives
// here until HQ has it — records, the outbox of changes to send, and photo and
// signature bytes — apart from the service worker's caches, which an update
// or a browser clean-up may delete.
//
// Invariants (tested in tests/js/app):
// - a record and its outbox entry are written in one transaction with strict
//   durability: both are on disk, or neither;
// - an outbox entry is removed only in the transaction that stores HQ's answer;
// - a pulled page and the cursor after it are written in one transaction.
import { openDB } from "idb";
import { onSave } from "./record-state.js";

export const DB_NAME = "xuncha";
const VERSION = 2;
export const STRICT = { durability: "strict" };

export function openStore(name = DB_NAME) {
  return openDB(name, VERSION, {
    // Each step takes a database of the version before it to the next; a tablet
    // may skip app versions, so every step runs in order, and none loses a row.
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        // { id, kind, record, revision, syncedRevision?, lineage?, state, problems?, reason?, currentRevision?, remote?, updatedAt }
        // (`lineage`: this record's revisions HQ has confirmed to this tablet, oldest first)
        const records = db.createObjectStore("records", { keyPath: "id" });
        records.createIndex("byKind", "kind");
        // { seq, id, kind, change: { kind, id, baseRevision?, revision, sha256, record }, queuedAt, sent }
        const outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        outbox.createIndex("byId", "id");
        // { sha256, mediaType, size, blob, uploaded, waiting?, createdAt }
        db.createObjectStore("blobs", { keyPath: "sha256" });
        // { key, value }: session, deviceId, pullCursor, rulebook, lastSync, settings
        db.createObjectStore("meta", { keyPath: "key" });
      }
      if (oldVersion < 2) {
        // Photos HQ does not have yet carry `waiting: 1` (absent once uploaded), so a sparse
        // index finds them without reading every photo.
        const blobs = tx.objectStore("blobs");
        blobs.createIndex("byWaiting", "waiting");
        return (async () => {
          for (let c = await blobs.openCursor(); c; c = await c.continue()) {
            if (!c.value.uploaded) await c.update({ ...c.value, waiting: 1 });
          }
        })();
      }
    },
  });
}

/** A photo or signature to keep until HQ has it. */
export function waitingBlob(blob) {
  return { ...blob, uploaded: false, waiting: 1, createdAt: blob.createdAt ?? new Date().toISOString() };
}

/** Photos and signatures HQ does not have yet (their hashes). */
export async function waitingBlobs(db) {
  return db.getAllKeysFromIndex("blobs", "byWaiting");
}

/**
 * HQ has it (or, with `refused`, will never take it: kept here, no longer waiting).
 * @param {any} db
 * @param {string} sha256
 * @param {{ refused?: { code: string, message: string } }} [options]
 */
export async function markUploaded(db, sha256, { refused } = {}) {
  const tx = db.transaction("blobs", "readwrite", STRICT);
  const now = await tx.store.get(sha256);
  if (now) {
    const { waiting, ...rest } = now;
    await tx.store.put(refused ? { ...rest, refused } : { ...rest, uploaded: true });
  }
  await tx.done;
}

export async function getMeta(db, key) {
  return (await db.get("meta", key))?.value;
}

export async function setMeta(db, key, value) {
  const tx = db.transaction("meta", "readwrite", STRICT);
  await tx.store.put({ key, value });
  await tx.done;
}

/** A quota error in words an officer understands (the write did not happen). */
export function isQuotaError(e) {
  return e && (e.name === "QuotaExceededError" || /quota/i.test(String(e.message)));
}

export { LINEAGE_KEPT, extendLineage } from "./record-state.js";

/**
 * Save a record as a new local revision and queue it for HQ, in one durable
 * transaction; with any new photos (`blobs`). `change` is the whole change
 * (sha256 already computed by the core).
 *
 * The base HQ judges against is decided here, inside the write, so no other
 * write can slip between reading it and using it: `change.baseRevision` when
 * given (keeping this device's version over HQ's: it then supersedes every
 * unsent entry), else `basedOn` (the
 * revision an editor's copy was made from), else the record's revision now.
 * An unsent entry for the revision this one supersedes is replaced (its base
 * kept): HQ never sees an intermediate draft it need not. An entry that was
 * sent stays, since HQ may have it even if the answer was lost; so does one
 * this save did not start from (another tab's), so HQ sees both.
 */
/** @param {any} db @param {any} entry @param {any} change @param {any[]} [blobs] @param {{ basedOn?: string }} [options] */
export async function saveWithOutbox(db, entry, change, blobs = [], { basedOn } = {}) {
  const tx = db.transaction(["records", "outbox", "blobs"], "readwrite", STRICT);
  const records = tx.objectStore("records");
  const outbox = tx.objectStore("outbox");
  const current = await records.get(change.id);
  const queued = await outbox.index("byId").getAll(change.id);
  const next = onSave(current, entry, change, queued, { basedOn, now: new Date().toISOString() });
  for (const seq of next.replaced) await outbox.delete(seq);
  await records.put(next.stored);
  await outbox.add({ id: change.id, kind: change.kind, change: next.change, queuedAt: next.stored.updatedAt, sent: false });
  for (const b of blobs) {
    if (!(await tx.objectStore("blobs").getKey(b.sha256))) await tx.objectStore("blobs").put(waitingBlob(b));
  }
  await tx.done;
}

/** Keep a photo or signature taken before its visit is saved; it waits for upload like any other. */
export async function putBlob(db, blob) {
  const tx = db.transaction("blobs", "readwrite", STRICT);
  if (!(await tx.store.getKey(blob.sha256))) await tx.store.put(waitingBlob(blob));
  await tx.done;
}

/** Records waiting for HQ (a visit saved ten times is one record to send, not ten). */
export async function pendingCount(db) {
  let n = 0;
  for (let c = await db.transaction("outbox").store.index("byId").openKeyCursor(null, "nextunique"); c; c = await c.continue()) n++;
  return n;
}

export async function waitingCount(db) {
  return db.countFromIndex("blobs", "byWaiting");
}

/** Everything local, for a backup file (photos as base64). */
export async function exportAll(db) {
  const records = await db.getAll("records");
  const outbox = await db.getAll("outbox");
  const blobs = [];
  for (const b of await db.getAll("blobs")) {
    blobs.push({ ...b, blob: undefined, base64: await blobToBase64(b.blob) });
  }
  // Not the session, nor the signing key (its private half cannot leave the device) nor the
  // leased numbers (a restored backup must never give them out again).
  const meta = (await db.getAll("meta")).filter((m) => !["session", "deviceKey", "numberBlocks"].includes(m.key));
  return { format: "xuncha-backup", version: 1, exportedAt: new Date().toISOString(), records, outbox, blobs, meta };
}

/** Restore a backup: adds what is missing, never overwrites a newer local record. */
export async function importAll(db, backup) {
  if (backup?.format !== "xuncha-backup") throw new Error("not a xuncha backup file");
  const tx = db.transaction(["records", "outbox", "blobs"], "readwrite", STRICT);
  let added = 0;
  for (const r of backup.records ?? []) {
    const mine = await tx.objectStore("records").get(r.id);
    if (!mine || (mine.updatedAt ?? "") < (r.updatedAt ?? "")) {
      await tx.objectStore("records").put(r);
      added++;
    }
  }
  const queued = new Set((await tx.objectStore("outbox").getAll()).map((o) => o.change.revision));
  for (const o of backup.outbox ?? []) {
    if (!queued.has(o.change.revision)) {
      const { seq, ...rest } = o;
      await tx.objectStore("outbox").add(rest);
    }
  }
  for (const b of backup.blobs ?? []) {
    if (!(await tx.objectStore("blobs").getKey(b.sha256))) {
      const { base64, ...rest } = b;
      const blob = base64ToBlob(base64, b.mediaType);
      await tx.objectStore("blobs").put(rest.uploaded ? { ...rest, blob } : waitingBlob({ ...rest, blob }));
    }
  }
  await tx.done;
  return added;
}

async function blobToBase64(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function base64ToBlob(b64, type) {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return new Blob([bytes], { type });
}
