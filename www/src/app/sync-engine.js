// One sync pass: push the outbox, send photos after their records, pull what
// HQ has for this device. No DOM and no wasm, so the service worker runs the
// same code for Background Sync. Exactly one pass at a time across tabs and
// the worker: a Web Lock, taken if free (a tab that finds it held skips).
import { STRICT, getMeta, waitingBlob, waitingBlobs, markUploaded } from "./db.js";
import { onPushResult, onPulled } from "./record-state.js";
import { registerDeviceKey, topUpNumbers } from "./evidence.js";

const PUSH_BATCH = 50;
const PULL_PAGE = 200;
// Photo uploads in flight at once: enough to hide a round trip, few enough for a weak signal.
const UPLOADS_AT_ONCE = 3;

/** A failure worth retrying later (network, HQ 5xx/429); anything else is reported and stops the pass. */
export class SyncError extends Error {
  /** @param {string} code @param {string} message @param {{ retry?: boolean, status?: number }} [options] */
  constructor(code, message, { retry = true, status } = {}) {
    super(message);
    this.code = code;
    this.retry = retry;
    this.status = status;
  }
}

async function call(base, token, method, path, body, contentType = "application/json") {
  let resp;
  try {
    resp = await fetch(base + path, {
      method,
      headers: { "content-type": contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : contentType === "application/json" ? JSON.stringify(body) : body,
      cache: "no-store",
    });
  } catch (e) {
    throw new SyncError("OFFLINE", `network: ${e.message}`);
  }
  let json = null;
  try {
    json = await resp.json();
  } catch {
    /* not JSON (a proxy's error page) */
  }
  if (resp.status === 401) throw new SyncError("SIGNED_OUT", json?.message?.zh ?? "登录已过期", { retry: false, status: 401 });
  if (resp.status >= 500 || resp.status === 429 || resp.status === 408) throw new SyncError(json?.code ?? "HQ_UNAVAILABLE", json?.message?.zh ?? `HQ ${resp.status}`, { status: resp.status });
  if (!resp.ok) throw new SyncError(json?.code ?? `HTTP_${resp.status}`, json?.message?.zh ?? `HQ ${resp.status}`, { retry: false, status: resp.status });
  return { status: resp.status, json };
}

/**
 * Run one pass if no other tab or worker is running one.
 * Returns { ran, pushed, rejected, conflicts, uploaded, pulled } or { ran: false }.
 * @returns {Promise<{ ran: boolean, pushed?: number, rejected?: number, conflicts?: number, uploaded?: number, pulled?: number }>}
 */
export async function syncOnce(db, { base = "", locks = globalThis.navigator?.locks } = {}) {
  const run = () => pass(db, base);
  if (!locks) return run();
  return locks.request("xuncha-sync", { ifAvailable: true }, (lock) => (lock ? run() : { ran: false }));
}

async function pass(db, base) {
  const session = await getMeta(db, "session");
  if (!session?.token) throw new SyncError("SIGNED_OUT", "请先登录", { retry: false });
  const deviceId = await getMeta(db, "deviceId");
  // The core's protocol version, kept by the app at start (this code also runs in the
  // service worker, which does not load the core).
  const protocolVersion = await getMeta(db, "protocolVersion");
  if (!protocolVersion) throw new SyncError("NOT_READY", "应用尚未完成启动", { retry: true });
  const out = { ran: true, pushed: 0, rejected: 0, conflicts: 0, uploaded: 0, pulled: 0 };
  try {
    // HQ must know the key before it sees a record signed by it; numbers are leased while there is signal.
    const post = async (/** @type {string} */ path, /** @type {unknown} */ body) => (await call(base, session.token, "POST", path, body)).json;
    await registerDeviceKey(db, post);
    await topUpNumbers(db, post, new Date().getFullYear());
    await push(db, base, session.token, deviceId, protocolVersion, out);
    await uploadAttachments(db, base, session.token, out);
    await pull(db, base, session.token, protocolVersion, out);
    await record(db, { at: new Date().toISOString(), ok: true, ...out });
  } catch (e) {
    await record(db, { at: new Date().toISOString(), ok: false, code: e.code ?? "ERROR", message: String(e.message) });
    throw e;
  }
  return out;
}

async function record(db, result) {
  const tx = db.transaction("meta", "readwrite", STRICT);
  const last = (await tx.store.get("lastSync"))?.value ?? {};
  await tx.store.put({ key: "lastSync", value: result.ok ? { ...result, lastSuccess: result.at } : { ...result, lastSuccess: last.lastSuccess } });
  await tx.done;
}

async function push(db, base, token, deviceId, protocolVersion, out) {
  for (;;) {
    // Read and marked sent in one write: HQ may commit even if the answer is lost,
    // and a save landing in between must not find an entry it may still replace.
    const tx0 = db.transaction("outbox", "readwrite", STRICT);
    const entries = await tx0.store.getAll(null, PUSH_BATCH);
    for (const e of entries) if (!e.sent) await tx0.store.put({ ...e, sent: true });
    await tx0.done;
    if (entries.length === 0) return;
    const { json } = await call(base, token, "POST", "/api/v1/sync/push", { protocolVersion, deviceId, changes: entries.map((e) => e.change) });
    const results = json?.results ?? [];
    if (results.length !== entries.length) throw new SyncError("BAD_ANSWER", "HQ answered a different number of changes");
    const tx = db.transaction(["outbox", "records", "blobs"], "readwrite", STRICT);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const r = results[i];
      await tx.objectStore("outbox").delete(e.seq);
      const local = await tx.objectStore("records").get(e.id);
      if (!local) continue;
      const { stored, counted } = onPushResult(local, e.change, r);
      if (counted) out[counted]++;
      if (counted === "pushed") {
        for (const h of r.missingAttachments ?? []) {
          const b = await tx.objectStore("blobs").get(h);
          if (b && b.uploaded) await tx.objectStore("blobs").put(waitingBlob(b)); // HQ lost it: send again
        }
      }
      await tx.objectStore("records").put(stored);
    }
    await tx.done;
  }
}

// After the push: the records of this pass are at HQ before their photos. Every
// photo and signature kept on the tablet goes, even one whose visit HQ refused or
// whose item was removed: HQ stores it by hash, and nothing captured is lost.
async function uploadAttachments(db, base, token, out) {
  const queue = await waitingBlobs(db);
  let failure = null;
  const worker = async () => {
    while (queue.length && !failure) {
      const sha = queue.shift();
      const b = await db.get("blobs", sha);
      if (!b || b.uploaded) continue;
      try {
        await call(base, token, "PUT", `/api/v1/attachments/${sha}`, b.blob, b.mediaType || "image/jpeg");
      } catch (e) {
        // HQ refuses this file for good (type, size, bytes): it stays on the tablet, marked,
        // and the others go on; a retryable failure or a lost session stops the pass.
        if (e.retry === false && e.status !== 401) {
          await markUploaded(db, sha, { refused: { code: e.code, message: e.message } });
          out.refusedUploads = (out.refusedUploads ?? 0) + 1;
          continue;
        }
        failure ??= e;
        return;
      }
      await markUploaded(db, sha);
      out.uploaded++;
    }
  };
  await Promise.all(Array.from({ length: UPLOADS_AT_ONCE }, worker));
  if (failure) throw failure;
}

async function pull(db, base, token, protocolVersion, out) {
  for (;;) {
    const cursor = await getMeta(db, "pullCursor");
    const rulebook = await getMeta(db, "rulebook");
    const templates = await getMeta(db, "documentTemplates");
    const tasks = await getMeta(db, "tasks");
    const { json } = await call(base, token, "POST", "/api/v1/sync/pull", {
      protocolVersion,
      cursor: cursor ?? undefined,
      limit: PULL_PAGE,
      rulebookVersion: rulebook?.version ?? undefined,
      templatesVersion: templates?.version ?? undefined,
      tasksVersion: tasks?.version ?? undefined,
    });
    // The page and the cursor after it, in one transaction: a crash in between re-pulls, never skips.
    const tx = db.transaction(["records", "outbox", "meta"], "readwrite", STRICT);
    for (const c of json.changes ?? []) {
      const local = await tx.objectStore("records").get(c.id);
      const queued = await tx.objectStore("outbox").index("byId").count(c.id);
      const { stored, pulled } = onPulled(local, queued, c, new Date().toISOString());
      if (stored) await tx.objectStore("records").put(stored);
      if (pulled) out.pulled++;
    }
    if (json.rulebook) await tx.objectStore("meta").put({ key: "rulebook", value: json.rulebook });
    if (json.templates) await tx.objectStore("meta").put({ key: "documentTemplates", value: json.templates });
    // The officer's 双随机 tasks, kept whole for offline use (a new list replaces the old).
    if (json.tasks) await tx.objectStore("meta").put({ key: "tasks", value: json.tasks });
    await tx.objectStore("meta").put({ key: "pullCursor", value: json.nextCursor });
    await tx.done;
    if (!json.more) return;
  }
}
