// The bureau's figures on this machine: each visit's digest (what it adds to
// the figures, made by HQ's core when the record changed) is held in the
// core's DigestSet, summed there for any period, scope, grouping and day —
// offline too — and kept in the console's IndexedDB as the DigestSet's bytes
// (a fraction of the JSON, read back in one pass). Only digests changed since
// the last visit are fetched; a new rulebook at HQ (every digest made again)
// or a cache that does not read starts it over.
import { getMeta, setMeta } from "../app/db.js";

const PAGE_SIZE = 20000;

/**
 * @typedef {{ bureau: number, rulebook: string, next: number }} CacheHead
 * @typedef {{ loaded: number, total: number, phase: "cache" | "download" }} Progress
 */

export class BureauFigures {
  /**
   * @param {any} db the console's IndexedDB
   * @param {{ call(path: string, options?: { text?: boolean }): Promise<any> }} hq
   * @param {typeof import("../../../pkg/console/xuncha_console.js")} core
   */
  constructor(db, hq, core) {
    this.db = db;
    this.hq = hq;
    this.core = core;
    this.set = new core.DigestSet();
    /** @type {CacheHead | null} */
    this.head = null;
    /** When the cache was read into memory (once a session). */
    this.opened = false;
  }

  /**
   * The digests held, brought up to date: the cache read once (cold open), then
   * whatever HQ has that is newer. Offline, the cached figures stand.
   * @param {number} bureau the signed-in bureau (a cache of another bureau's is dropped)
   * @param {(p: Progress) => void} [progress]
   * @returns {Promise<{ offline: boolean }>}
   */
  async ready(bureau, progress = () => {}) {
    if (!this.opened) await this.open(bureau, progress);
    if (this.head && this.head.bureau !== bureau) await this.reset();
    try {
      await this.download(bureau, progress);
      return { offline: false };
    } catch (e) {
      if (/** @type {any} */ (e)?.code === "OFFLINE") return { offline: true };
      throw e;
    }
  }

  /** Read the kept digests into the core. @param {number} bureau @param {(p: Progress) => void} progress */
  async open(bureau, progress) {
    /** @type {CacheHead | null} */
    const head = (await getMeta(this.db, "digests")) ?? null;
    this.opened = true;
    if (head?.bureau !== bureau) return;
    const bytes = await getMeta(this.db, "digests:bytes");
    try {
      const set = this.core.DigestSet.fromBytes(new Uint8Array(bytes));
      this.set.free();
      this.set = set;
      this.head = head;
      progress({ loaded: set.size, total: set.size, phase: "cache" });
    } catch {
      // Unreadable (damaged, or from another version): fetched again from the start.
      await this.reset();
    }
  }

  /** Fetch what HQ has after the cache's cursor, then keep the whole set. @param {number} bureau @param {(p: Progress) => void} progress */
  async download(bureau, progress) {
    let changed = false;
    for (;;) {
      const after = this.head?.next ?? 0;
      const text = await this.hq.call(`/api/v1/staff/digests?after=${after}&limit=${PAGE_SIZE}`, { text: true });
      const page = this.set.addPage(text);
      if (this.head && after > 0 && page.rulebook !== this.head.rulebook) {
        // Made again under another rulebook: start over.
        await this.reset();
        continue;
      }
      this.head = { bureau, rulebook: page.rulebook, next: page.count > 0 ? page.next : after };
      changed ||= page.count > 0;
      progress({ loaded: this.set.size, total: page.total, phase: "download" });
      if (!page.more) break;
    }
    if (changed) {
      // The bytes first, then the cursor: a crash between leaves a cursor behind the bytes, fetched again.
      await setMeta(this.db, "digests:bytes", this.set.toBytes().buffer);
      await setMeta(this.db, "digests", this.head);
    }
  }

  /** Forget the cache (another rulebook; sign-out). */
  async reset() {
    this.set.free();
    this.set = new this.core.DigestSet();
    this.head = null;
    await setMeta(this.db, "digests", null);
    await setMeta(this.db, "digests:bytes", null);
  }

  /** @param {import("../../../pkg/console/xuncha_console.js").SummaryQuery} query */
  summary(query) {
    // As JSON text: a grouping by operator is thousands of groups, and one parse beats building them across the boundary (BENCHMARKS.md).
    return /** @type {import("../../../pkg/console/xuncha_console.js").Summary} */ (JSON.parse(this.set.summaryJson(query)));
  }

  /** @param {import("../../../pkg/console/xuncha_console.js").SummaryQuery} query @param {string} count @param {string} [group] */
  recordsBehind(query, count, group) {
    return this.set.recordsBehind(query, count, group);
  }

  /** @param {string} id */
  digest(id) {
    return this.set.get(id);
  }
}
