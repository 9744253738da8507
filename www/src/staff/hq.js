// Everything the staff console asks HQ, in one place (views never fetch):
// signed in as staff, errors in HQ's words.
import { getMeta, setMeta, STRICT } from "../app/db.js";
import { getLang } from "../app/i18n.js";

export class HqError extends Error {
  /** @param {number} status @param {string} code @param {{ zh: string, en: string }} [words] */
  constructor(status, code, words) {
    super(words?.zh ?? code);
    this.status = status;
    this.code = code;
    this.words = words;
  }
}

/** HQ's words for an error (or the error's own), in the console's language. @param {unknown} e */
export function words(e) {
  return e instanceof HqError ? (getLang() === "zh" ? e.words?.zh : e.words?.en) ?? e.code : String(/** @type {any} */ (e)?.message ?? e);
}

export class Hq {
  /** @param {any} db the console's own IndexedDB (its session and device id) @param {{ protocolVersion(): number }} core */
  constructor(db, core) {
    this.db = db;
    this.core = core;
    /** @type {{ template: import("../../../pkg/console/xuncha_console.js").ReportTemplate, builtin: boolean } | null} the bureau's report template, once fetched */
    this.template = null;
  }

  async session() {
    return getMeta(this.db, "session");
  }

  /** The id this console signs in with (its own device: never revoked from here). */
  async deviceId() {
    return getMeta(this.db, "deviceId");
  }

  /** @param {string} path @param {{ method?: string, body?: unknown, text?: boolean, csv?: string }} [options] */
  async call(path, { method = "GET", body, text = false, csv } = {}) {
    const session = await this.session();
    let resp;
    try {
      resp = await fetch(path, {
        method,
        headers: { "content-type": csv === undefined ? "application/json" : "text/csv", ...(session?.token ? { authorization: `Bearer ${session.token}` } : {}) },
        body: csv ?? (body === undefined ? undefined : JSON.stringify(body)),
        cache: "no-store",
      });
    } catch {
      throw new HqError(0, "OFFLINE", { zh: "无法连接局机关服务器，请检查网络", en: "HQ cannot be reached; check the network" });
    }
    if (!resp.ok) {
      const json = await resp.json().catch(() => null);
      throw new HqError(resp.status, json?.code ?? `HTTP_${resp.status}`, json?.message);
    }
    return text ? resp.text() : resp.json();
  }

  /** First run: the bureau and its first staff account, with HQ's printed code. */
  setUp(fields) {
    return this.call("/api/v1/setup", { method: "POST", body: fields });
  }

  /** Sign in; only staff accounts may use the console. */
  async signIn(login, password) {
    let deviceId = await getMeta(this.db, "deviceId");
    if (!deviceId) {
      deviceId = `console-${crypto.randomUUID()}`;
      await setMeta(this.db, "deviceId", deviceId);
    }
    const json = await this.call("/api/v1/auth/login", { method: "POST", body: { login, password, deviceId } });
    if (json.user?.role !== "staff") {
      // The session HQ just gave is ended at once: an officer's account has no business here.
      await fetch("/api/v1/auth/logout", { method: "POST", headers: { authorization: `Bearer ${json.token}` } }).catch(() => {});
      throw new HqError(403, "NOT_STAFF", { zh: "此账号为执法人员账号，请在巡查应用中使用；工作台仅供局机关工作人员", en: "This is an officer's account: use the inspection app; the console is for bureau staff" });
    }
    await setMeta(this.db, "session", { token: json.token, user: json.user, expiresAt: json.expiresAt });
    return json.user;
  }

  async signOut() {
    await this.call("/api/v1/auth/logout", { method: "POST" }).catch(() => {});
    const tx = this.db.transaction("meta", "readwrite", STRICT);
    await tx.store.delete("session");
    // Another bureau may sign in next: its own template.
    await tx.store.delete("reportTemplate");
    await tx.done;
    this.template = null;
  }

  /** Every finding of the bureau as CSV (HQ's export, with the rectifications it holds). @param {string} asOf */
  findingsCsv(asOf) {
    return this.call(`/api/v1/staff/findings.csv?asOf=${asOf}`, { text: true });
  }

  /** @param {string} asOf */
  deadlines(asOf) {
    return this.call(`/api/v1/staff/deadlines?asOf=${asOf}`);
  }

  /** Every record of the bureau at its current revision (a staff pull, page by page). */
  async records() {
    const all = [];
    let cursor;
    for (;;) {
      const page = await this.call("/api/v1/sync/pull", { method: "POST", body: { protocolVersion: this.core.protocolVersion(), cursor, limit: 1000 } });
      all.push(...page.changes);
      cursor = page.nextCursor;
      if (!page.more) return all;
    }
  }

  /** A sample's follow-up, as a whole record: HQ makes it the next revision. @param {any} record */
  saveFollowUp(record) {
    return this.call("/api/v1/staff/follow-ups", { method: "POST", body: record });
  }

  /** A rectification record (closed on documents), as a whole record. @param {any} record */
  saveRectification(record) {
    return this.call("/api/v1/staff/rectifications", { method: "POST", body: record });
  }

  /** What a rulebook file changes against the one in force at HQ. @param {unknown} rulebook */
  previewRulebook(rulebook) {
    return this.call("/api/v1/staff/rulebooks/preview", { method: "POST", body: rulebook });
  }

  /**
   * The bureau's report template in force (its own, or the core's wording), kept
   * for offline use; and the figures a template may name.
   * @returns {Promise<{ template: import("../../../pkg/console/xuncha_console.js").ReportTemplate, builtin: boolean }>}
   */
  async reportTemplate() {
    // Asked once a session (and again after one is published): switching the figures' period asks HQ nothing.
    if (this.template) return this.template;
    try {
      const got = await this.call("/api/v1/staff/report-template");
      this.template = { template: got.template, builtin: got.builtin };
      await setMeta(this.db, "reportTemplate", this.template);
      return this.template;
    } catch (e) {
      const kept = await getMeta(this.db, "reportTemplate");
      if (e instanceof HqError && e.code === "OFFLINE" && kept) return kept;
      throw e;
    }
  }

  /** Publish the bureau's report template (checked again by HQ's core). @param {import("../../../pkg/console/xuncha_console.js").ReportTemplate} template */
  async publishReportTemplate(template) {
    const published = await this.call("/api/v1/staff/report-template", { method: "POST", body: template });
    this.template = null;
    return published;
  }

  /** Publish a rulebook file: devices get it on their next pull. @param {unknown} rulebook */
  publishRulebook(rulebook) {
    return this.call("/api/v1/staff/rulebooks", { method: "POST", body: rulebook });
  }

  accounts() {
    return this.call("/api/v1/staff/accounts");
  }

  /** @param {{ login: string, name: string, role: string, certificateNo?: string, password: string }} account */
  createAccount(account) {
    return this.call("/api/v1/staff/accounts", { method: "POST", body: account });
  }

  /** @param {string} login @param {"disable" | "enable"} what */
  setDisabled(login, what) {
    return this.call(`/api/v1/staff/accounts/${encodeURIComponent(login)}/${what}`, { method: "POST", body: {} });
  }

  /** @param {string} login @param {string} password */
  resetPassword(login, password) {
    return this.call(`/api/v1/staff/accounts/${encodeURIComponent(login)}/password`, { method: "POST", body: { password } });
  }

  /** @param {string} device */
  revokeDevice(device) {
    return this.call(`/api/v1/staff/devices/${encodeURIComponent(device)}/revoke`, { method: "POST", body: {} });
  }

  /** @param {string} id */
  revisions(id) {
    return this.call(`/api/v1/staff/records/${encodeURIComponent(id)}/revisions`);
  }

  /** Settle a conflict: take its version (drafts only) or keep the current one. @param {string} id @param {string} revision @param {boolean} take */
  resolveConflict(id, revision, take) {
    return this.call(`/api/v1/staff/records/${encodeURIComponent(id)}/conflicts/${encodeURIComponent(revision)}`, { method: "POST", body: { take } });
  }

  /** @param {string} id */
  documents(id) {
    return this.call(`/api/v1/staff/records/${encodeURIComponent(id)}/documents`);
  }

  // ---- 双随机 ---------------------------------------------------------------------

  /** The bureau's three lists, each with its entries and spreadsheet layout. */
  directories() {
    return this.call("/api/v1/staff/directories");
  }

  /** Replace a list with a spreadsheet saved as CSV (read and checked by HQ's core). @param {string} list @param {string} csv */
  putList(list, csv) {
    return this.call(`/api/v1/staff/directories/${encodeURIComponent(list)}`, { method: "PUT", csv });
  }

  /** What a bureau published of a plan (public: no sign-in needed). @param {string} path */
  publicPlan(path) {
    return this.call(path);
  }

  /** A list as CSV, written by HQ's core as it reads it back. @param {string} list */
  listCsv(list) {
    return this.call(`/api/v1/staff/directories/${encodeURIComponent(list)}/csv`, { text: true });
  }

  plans() {
    return this.call("/api/v1/staff/plans");
  }

  /** @param {{ title: string, batch?: string, starts?: string, due: string, matters: string[] }} plan */
  createPlan(plan) {
    return this.call("/api/v1/staff/plans", { method: "POST", body: plan });
  }

  /** @param {string} id */
  plan(id) {
    return this.call(`/api/v1/staff/plans/${encodeURIComponent(id)}`);
  }

  /** @param {string} id */
  drawPlan(id) {
    return this.call(`/api/v1/staff/plans/${encodeURIComponent(id)}/draw`, { method: "POST" });
  }

  /** @param {string} id @param {string} reason */
  redrawPlan(id, reason) {
    return this.call(`/api/v1/staff/plans/${encodeURIComponent(id)}/redraw`, { method: "POST", body: { reason } });
  }

  /** The yearly cap and the operators over it. @param {number} [year] */
  inspections(year) {
    return this.call(`/api/v1/staff/inspections${year ? `?year=${year}` : ""}`);
  }

  /** @param {number | null} cap */
  setInspectionCap(cap) {
    return this.call("/api/v1/staff/inspection-cap", { method: "PUT", body: { cap } });
  }

  /** The plan's results so far were published on a day (today if none). @param {string} id @param {string} [on] */
  markPublished(id, on) {
    return this.call(`/api/v1/staff/plans/${encodeURIComponent(id)}/published`, { method: "POST", body: on ? { on } : {} });
  }

  /** The plan's frozen inputs, as published (JSON text). @param {string} id */
  planInputs(id) {
    return this.call(`/api/v1/staff/plans/${encodeURIComponent(id)}/inputs`, { text: true });
  }

  /** @param {string} id */
  publicationCsv(id) {
    return this.call(`/api/v1/staff/plans/${encodeURIComponent(id)}/publication.csv`, { text: true });
  }
}
