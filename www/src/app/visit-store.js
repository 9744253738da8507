// One visit being edited: the record, whether it has unsaved changes, and its
// saves, one at a time. No DOM: the editor view draws from it and reports edits.
//
// Saves run in turn, so a tap on 保存 during an autosave waits for it (and
// 已保存 means on the device). Each is based on the revision this copy was last
// saved as (or loaded from): HQ judges it against that, so a version pulled
// under the open editor becomes a conflict the officer sees, never a silent overwrite.

export class VisitDraft {
  /**
   * @param {import("./records.js").Records} records
   * @param {import("../../../pkg/xuncha.js").Visit} visit the copy to edit (kept by the draft)
   * @param {string | undefined} revision the stored revision it was loaded from
   */
  constructor(records, visit, revision) {
    this.records = records;
    this.visit = visit;
    this.dirty = false;
    this.basedOn = revision;
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
  }

  /** Something was typed: the next save writes. */
  touch() {
    this.dirty = true;
  }

  /**
   * Save what is on screen if anything changed; "saved", or "clean" when nothing was to save. A failed save stays dirty.
   * @returns {Promise<"saved" | "clean">}
   */
  save() {
    return this.#inTurn(async () => {
      if (!this.dirty) return "clean";
      this.dirty = false;
      try {
        await this.#write(this.visit);
        return "saved";
      } catch (e) {
        this.dirty = true;
        throw e;
      }
    });
  }

  /** Save a record the core made from this one (finalised, discarded) as the next revision. */
  saveAs(record) {
    return this.#inTurn(() => this.#write(record));
  }

  async #write(record) {
    ({ revision: this.basedOn } = await this.records.saveVisit(record, [], { basedOn: this.basedOn }));
  }

  /** @template T @param {() => Promise<T>} write @returns {Promise<T>} */
  #inTurn(write) {
    const turn = this.queue.then(write);
    this.queue = turn.catch(() => {});
    return turn;
  }
}
