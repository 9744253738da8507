// A real HQ process for the app's end-to-end tests: its own data directory,
// the accounts the tests use, the built site (or a copy of it) beside the API.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = new URL("../../../", import.meta.url).pathname;
export const HQ_BIN = process.env.HQ_BIN ?? join(ROOT, "target/debug/xuncha-hq");
export const SITE = process.env.SITE_DIR ?? join(ROOT, "target/site");
export const PASSWORD = "correct horse 9";

/** `empty`: no bureau and no accounts (a first run: HQ prints its setup link, kept as `setupLink`). */
export async function startHq({ copySite = false, empty = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "xuncha-e2e-"));
  const admin = (...args) => execFileSync(HQ_BIN, ["admin", "--data-dir", dir, ...args], { encoding: "utf8" }).trim();
  if (!empty) {
    const b1 = admin("create-bureau", "鼓楼区市场监督管理局");
    admin("create-user", "--bureau", b1, "--login", "chen", "--role", "officer", "--name", "陈某", "--certificate", "35010019001", "--password", PASSWORD);
    admin("create-user", "--bureau", b1, "--login", "staff1", "--role", "staff", "--name", "局机关", "--password", PASSWORD);
  }
  let site = SITE;
  if (copySite) {
    site = join(dir, "site");
    cpSync(SITE, site, { recursive: true });
  }
  const child = spawn(HQ_BIN, ["--listen", "127.0.0.1:0", "--data-dir", dir, "--site", site], { stdio: ["ignore", "pipe", "inherit"] });
  // Every line kept as it comes (two may arrive in one chunk, before anyone waits for the second).
  const rl = createInterface({ input: child.stdout });
  const lines = [];
  const waiting = [];
  rl.on("line", (l) => (waiting.length ? waiting.shift().ok(l) : lines.push(l)));
  child.once("exit", (code) => waiting.splice(0).forEach((w) => w.fail(new Error(`HQ exited ${code}`))));
  const nextLine = () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((ok, fail) => waiting.push({ ok, fail })));
  const line = await nextLine();
  const url = line.match(/http:\/\/[^\s]+/)[0];
  const setupLink = empty ? (await nextLine()).match(/http:\/\/[^\s]+/)?.[0] : undefined;
  const hq = {
    url,
    setupLink,
    dir,
    site,
    admin,
    async api(method, path, { token, body, raw } = {}) {
      const resp = await fetch(url + path, { method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: resp.status, json: raw ? null : await resp.json().catch(() => null), resp };
    },
    async token(login) {
      return (await hq.api("POST", "/api/v1/auth/login", { body: { login, password: PASSWORD, deviceId: "test-desk" } })).json.token;
    },
    /** The bureau's records as a staff pull reads them: each once, at its current revision. */
    async staffPull() {
      const token = await hq.token("staff1");
      const all = [];
      let cursor;
      for (;;) {
        const { json } = await hq.api("POST", "/api/v1/sync/pull", { token, body: { protocolVersion: 1, cursor, limit: 1000 } });
        all.push(...json.changes);
        cursor = json.nextCursor;
        if (!json.more) return all;
      }
    },
    /** Every revision HQ accepted of one record, oldest first (its audit trail; none: []). */
    async changesOf(id) {
      const { status, json } = await hq.api("GET", `/api/v1/staff/records/${id}/revisions`, { token: await hq.token("staff1") });
      if (status === 404) return [];
      if (status !== 200) throw new Error(`revisions of ${id}: HQ ${status}`);
      return json.revisions;
    },
    async stats() {
      return (await hq.api("GET", "/api/v1/stats", { token: await hq.token("staff1") })).json;
    },
    stop() {
      child.kill("SIGKILL");
    },
  };
  return hq;
}
