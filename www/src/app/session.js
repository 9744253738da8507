// Signing in and out: HQ's answer kept on the device, so the app works offline
// afterwards. Views call these; they do not fetch or open IndexedDB themselves.
import { getMeta, setMeta, STRICT } from "./db.js";
import { makeDeviceKey, registerDeviceKey, topUpNumbers } from "./evidence.js";

/** Sign in at HQ; { ok: true } or { ok: false, message } in HQ's words ({ zh, en }) or a status. */
export async function signIn(db, login, password) {
  const body = { login, password, deviceId: await getMeta(db, "deviceId") };
  const resp = await fetch("/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await resp.json().catch(() => ({}));
  if (!resp.ok) return { ok: false, message: json.message, status: resp.status };
  await setMeta(db, "session", { token: json.token, user: json.user, expiresAt: json.expiresAt });
  // A key of this session's own, told to HQ now, and numbers leased while there is signal
  // (should either fail, the next sync does it before pushing anything).
  await makeDeviceKey(db);
  const post = async (/** @type {string} */ path, /** @type {unknown} */ payload) => {
    const r = await fetch(path, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${json.token}` }, body: JSON.stringify(payload) });
    if (!r.ok) throw new Error(`HQ ${r.status} on ${path}`);
    return r.json();
  };
  try {
    await registerDeviceKey(db, post);
    await topUpNumbers(db, post, new Date().getFullYear());
  } catch {
    /* the next sync pass retries */
  }
  return { ok: true };
}

/** The signed-in user's session, or undefined. */
export function currentSession(db) {
  return getMeta(db, "session");
}

/** Forget the session; records stay on the device (they may not be at HQ yet). */
export async function signOut(db) {
  const tx = db.transaction("meta", "readwrite", STRICT);
  await tx.store.delete("session");
  await tx.done;
}
