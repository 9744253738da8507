// The bureau's figures on this machine: each visit's digest (what it adds to
// the figures, made by HQ's core when the record changed) is kept in the
// console's IndexedDB as the pages HQ served, held in the core's DigestSet,
// and summed there for any period, scope, grouping and day — offline too.
// Only digests changed since the last visit are fetched; a new rulebook at HQ
// (every digest made again) starts the cache over.
import { getMeta, setMeta } from "../app/db.js";

/** Above this many cached pages the cache is fetched anew (each page may repeat digests of later ones). */
const MAX_PAGES = 64;
const PAGE_SIZE = 20000;

/**
 * @typedef {{ bureau: number, rulebook: string, next: number, pages: number }} CacheHead
 * @typedef {{ loaded: number, total: number, phase: "cache" | "download" }} Progress
 */

export class BureauFigures {
  /**
   * @param {any} db the console's IndexedDB
   * @param {{ call(path: string, options?: { text?: boolean }): Promise<any> }} hq
   * @param {typeof import("../../../pkg/xuncha.js")} core
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

  /** Read the cached pages into the core. @param {number} bureau @param {(p: Progress) => void} progress */
  async open(bureau, progress) {
    /** @type {CacheHead | null} */
    const head = (await getMeta(this.db, "digests")) ?? null;
    this.head = head?.bureau === bureau ? head : null;
    for (let i = 0; i < (this.head?.pages ?? 0); i++) {
      const text = await getMeta(this.db, `digests:${i}`);
      if (typeof text !== "string") break;
      this.set.addPage(text);
      progress({ loaded: this.set.size, total: this.set.size, phase: "cache" });
    }
    this.opened = true;
  }

  /** Fetch the pages HQ has after the cache's cursor, caching each. @param {number} bureau @param {(p: Progress) => void} progress */
  async download(bureau, progress) {
    for (;;) {
      const after = this.head?.next ?? 0;
      const text = await this.hq.call(`/api/v1/staff/digests?after=${after}&limit=${PAGE_SIZE}`, { text: true });
      const page = this.set.addPage(text);
      if (this.head && after > 0 && (page.rulebook !== this.head.rulebook || (page.count > 0 && this.head.pages >= MAX_PAGES))) {
        // Made again under another rulebook (or the cache grew long): start over.
        await this.reset();
        continue;
      }
      const head = this.head ?? { bureau, rulebook: page.rulebook, next: 0, pages: 0 };
      if (page.count > 0) {
        await setMeta(this.db, `digests:${head.pages}`, text);
        await setMeta(this.db, "digests", { bureau, rulebook: page.rulebook, next: page.next, pages: head.pages + 1 });
        this.head = { bureau, rulebook: page.rulebook, next: page.next, pages: head.pages + 1 };
      } else {
        this.head = head;
      }
      progress({ loaded: this.set.size, total: page.total, phase: "download" });
      if (!page.more) return;
    }
  }

  /** Forget the cache (another rulebook; sign-out). */
  async reset() {
    this.set.free();
    this.set = new this.core.DigestSet();
    this.head = null;
    await setMeta(this.db, "digests", null);
  }

  /** @param {import("../../../pkg/xuncha.js").SummaryQuery} query */
  summary(query) {
    return this.set.summary(query);
  }

  /** @param {import("../../../pkg/xuncha.js").SummaryQuery} query @param {string} count @param {string} [group] */
  recordsBehind(query, count, group) {
    return this.set.recordsBehind(query, count, group);
  }

  /** @param {string} id */
  digest(id) {
    return this.set.get(id);
  }
}
