// What the device adds to make a finalised record evidence: its signature, by a
// key it made at sign-in (WebCrypto P-256, the private half non-extractable:
// no script, not even this app, can read it out), and the document numbers
// HQ leased it ahead of time, to give out offline.
//
// Both live in IndexedDB's meta store and stay out of backups: a private key
// never leaves the device, and a restored backup must never hand out numbers
// again (see db.js exportAll, which leaves them out, and importAll, which
// never writes meta). No DOM and no wasm: the service worker's sync pass uses
// the leasing and registering half.
import { getMeta, STRICT } from "./db.js";

/** The scheme, as HQ names it (hq/src/signing.rs). */
export const SIGNING_SCHEME = "ECDSA-P256-SHA256";
/** How many numbers one lease asks for. */
export const NUMBERS_PER_LEASE = 50;
/** Fewer left than this: lease again at the next sync, and warn the officer. */
export const NUMBERS_LOW = 20;

/**
 * @typedef {{ keyId: string, privateKey: CryptoKey, publicKey: string, registered: boolean }} DeviceKey
 * @typedef {{ prefix: string, year: number, first: number, last: number, next: number }} HeldBlock
 * @typedef {{ document: string, prefix: string, year: number, serial: number }} TakenNumber
 */

/** @param {Uint8Array} bytes */
function base64(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** @param {ArrayBuffer} buf */
function hex(buf) {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Make this session's signing key (at sign-in): the key HQ will hold the
 * records finalised from now on to. Earlier keys stay valid at HQ for what
 * they signed.
 * @returns {Promise<DeviceKey>}
 */
export async function makeDeviceKey(db) {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const spki = await crypto.subtle.exportKey("spki", pair.publicKey);
  const key = { keyId: hex(await crypto.subtle.digest("SHA-256", spki)), privateKey: pair.privateKey, publicKey: base64(new Uint8Array(spki)), registered: false };
  const tx = db.transaction("meta", "readwrite", STRICT);
  await tx.store.put({ key: "deviceKey", value: key });
  await tx.done;
  return key;
}

/**
 * Sign what the core says a finalised record's signature covers
 * (`recordSigningMessage(id, sha256)`). A device without a key (signed in
 * before keys existed) makes one now; it is registered at the next sync.
 * @param {string} message
 * @returns {Promise<import("../../../pkg/xuncha.js").RecordSignature>}
 */
export async function signRecord(db, message) {
  /** @type {DeviceKey | undefined} */
  const key = (await getMeta(db, "deviceKey")) ?? (await makeDeviceKey(db));
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key.privateKey, new TextEncoder().encode(message));
  return { keyId: key.keyId, algorithm: SIGNING_SCHEME, value: base64(new Uint8Array(sig)) };
}

/**
 * Tell HQ the public half of this device's key, once.
 * @param {(path: string, body: unknown) => Promise<any>} post HQ's answer as JSON, or a throw
 */
export async function registerDeviceKey(db, post) {
  /** @type {DeviceKey | undefined} */
  const key = await getMeta(db, "deviceKey");
  if (!key || key.registered) return;
  await post("/api/v1/devices/keys", { algorithm: SIGNING_SCHEME, publicKey: key.publicKey });
  const tx = db.transaction("meta", "readwrite", STRICT);
  const now = (await tx.store.get("deviceKey"))?.value;
  // A sign-in in between made another key: that one still needs registering.
  if (now?.keyId === key.keyId) await tx.store.put({ key: "deviceKey", value: { ...now, registered: true } });
  await tx.done;
}

/** @returns {Promise<HeldBlock[]>} */
async function blocks(db) {
  return (await getMeta(db, "numberBlocks")) ?? [];
}

/** How many numbers of `year` this device still holds. */
export async function numbersLeft(db, year) {
  return (await blocks(db)).filter((b) => b.year === year).reduce((n, b) => n + (b.last - b.next + 1), 0);
}

/**
 * Lease another block of `year` from HQ when fewer than NUMBERS_LOW are left.
 * @param {(path: string, body: unknown) => Promise<any>} post
 */
export async function topUpNumbers(db, post, year) {
  if ((await numbersLeft(db, year)) >= NUMBERS_LOW) return;
  const block = await post("/api/v1/devices/numbers", { year, count: NUMBERS_PER_LEASE });
  const tx = db.transaction("meta", "readwrite", STRICT);
  /** @type {HeldBlock[]} */
  const held = (await tx.store.get("numberBlocks"))?.value ?? [];
  held.push({ prefix: block.prefix, year: block.year, first: block.first, last: block.last, next: block.first });
  await tx.store.put({ key: "numberBlocks", value: held });
  await tx.done;
}

/** Not enough numbers left on the device to number a visit's documents. */
export class NumbersExhausted extends Error {
  /** @param {number} needed @param {number} left */
  constructor(needed, left) {
    super(`needs ${needed} document numbers, ${left} left`);
    this.code = "NUMBERS_EXHAUSTED";
    this.needed = needed;
    this.left = left;
  }
}

/**
 * Take the next numbers of `year`, one per document key, in one write: a
 * number taken is never given again on this device, even if the save that
 * follows fails (a gap is allowed; a repeat never).
 * @param {string[]} documents
 * @returns {Promise<TakenNumber[]>}
 */
export async function takeNumbers(db, year, documents) {
  if (!documents.length) return [];
  const tx = db.transaction("meta", "readwrite", STRICT);
  /** @type {HeldBlock[]} */
  const held = (await tx.store.get("numberBlocks"))?.value ?? [];
  const left = held.filter((b) => b.year === year).reduce((n, b) => n + (b.last - b.next + 1), 0);
  if (left < documents.length) {
    tx.abort();
    await tx.done.catch(() => {});
    throw new NumbersExhausted(documents.length, left);
  }
  /** @type {TakenNumber[]} */
  const taken = [];
  for (const document of documents) {
    const block = held.find((b) => b.year === year && b.next <= b.last);
    if (!block) throw new Error("unreachable: numbers counted above");
    taken.push({ document, prefix: block.prefix, year, serial: block.next });
    block.next += 1;
  }
  // Spent blocks are dropped; what is left stays in lease order.
  await tx.store.put({ key: "numberBlocks", value: held.filter((b) => b.next <= b.last) });
  await tx.done;
  return taken;
}
