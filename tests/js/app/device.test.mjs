// What the tablet itself brings, each against a real HQ: Background Sync with
// the app closed; the signal cut in the middle of photo uploads; a camera photo
// too large to keep as it is; storage that fills up (a real small disk); and a
// database written by the previous app version.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../browser/harness.mjs";
import { hqAndBrowser, startVisit, signedIn, draft, until, open, signIn, untilControlled, addItems, addPhoto, sign, finalise, untilSynced, TABLET, PHOTO } from "./app-driver.mjs";

let hq, browser;
hqAndBrowser((started) => ({ hq, browser } = started));





async function hqBytes(sha) {
  const token = await hq.token("staff1");
  const resp = await fetch(`${hq.url}/api/v1/attachments/${sha}`, { headers: { authorization: `Bearer ${token}` } });
  return resp.ok ? Buffer.from(await resp.arrayBuffer()) : null;
}

/** The photos of record `id` that HQ knows it lacks. */
async function hqMissing(id) {
  const token = await hq.token("staff1");
  const { json } = await hq.api("GET", "/api/v1/attachments/missing", { token });
  return json.missing.filter((m) => m.recordId === id).map((m) => m.sha256).sort();
}

test("Background Sync sends a visit saved offline after the app was closed", async (t) => {
  const { context, page } = await signedIn(browser, hq.url);
  await untilControlled(page);
  await context.setOffline(true);
  const id = await draft(page, { operator: "后台同步商行" });
  // The save asked the browser for a sync as soon as there is signal.
  assert.deepEqual(await page.evaluate(async () => (await navigator.serviceWorker.ready).sync.getTags()), ["xuncha-sync"]);
  await page.close(); // the officer closes the app; no tab is left to sync
  await context.setOffline(false);
  // Only the service worker can send it now. Chromium fires the sync event itself when
  // the signal returns; should it not have within a few seconds, DevTools fires it.
  let firedBy = "the browser";
  try {
    await until(async () => (await hq.changesOf(id)).length, 8_000);
  } catch {
    firedBy = "DevTools";
    const blank = await context.newPage();
    const cdp = await context.newCDPSession(blank);
    const registrations = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
    await cdp.send("ServiceWorker.enable");
    const reg = await until(() => registrations.find((r) => r.scopeURL.startsWith(hq.url) && !r.isDeleted));
    await cdp.send("ServiceWorker.dispatchSyncEvent", { origin: new URL(hq.url).origin, registrationId: reg.registrationId, tag: "xuncha-sync", lastChance: false });
  }
  t.diagnostic(`sync event fired by ${firedBy}`);
  assert.equal(context.pages().filter((p) => p.url().startsWith(hq.url)).length, 0, "no page of the app was open");
  const changes = await until(async () => (await hq.changesOf(id)).length && hq.changesOf(id));
  assert.equal(changes.length, 1);
  assert.equal(changes[0].record.operator.name, "后台同步商行");
  // The app, opened again, finds the outbox empty: the worker stored HQ's answer.
  const again = await open(context, hq.url);
  await again.waitForSelector(`[data-id="${id}"][data-state="synced"]`);
  assert.equal(await again.evaluate(() => window.xuncha.app.db.count("outbox")), 0);
  await context.close();
});

test("the signal cut in the middle of photo uploads: the record is at HQ, its photos follow on the next pass", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await context.setOffline(true);
  await startVisit(page, { operator: "断网上传商行" });
  await addItems(page, ["price", "metrology"]);
  await addPhoto(page, '[data-kind="price"]');
  // A second, different photo (other bytes, other hash).
  const other = Buffer.from(await page.evaluate(async () => {
    const c = document.createElement("canvas");
    c.width = 320;
    c.height = 240;
    const g = c.getContext("2d");
    g.fillStyle = "#c33";
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = "#fff";
    g.fillText("台秤 ACS-15", 40, 120);
    const b = await new Promise((ok) => c.toBlob(ok, "image/png"));
    return [...new Uint8Array(await b.arrayBuffer())];
  }));
  await page.setInputFiles('[data-kind="metrology"] input[type=file]', { name: "scale.png", mimeType: "image/png", buffer: other });
  await page.waitForSelector('[data-kind="metrology"] img.thumb');
  await page.click("#save");
  await page.waitForSelector("#saved-note:has-text('已保存')");
  const id = await page.$eval("#editor", (e) => e.dataset.id);
  const shas = await page.evaluate(async (id) => (await window.xuncha.app.db.get("records", id)).record.attachments.map((a) => a.sha256), id);
  assert.equal(shas.length, 2);
  // Signal returns for the record; it drops again as the photos start (each upload cut).
  let cut = 0;
  await context.route("**/api/v1/attachments/*", (route) => (route.request().method() === "PUT" ? (cut++, route.abort("internetdisconnected")) : route.continue()));
  await context.setOffline(false);
  await untilSynced(page);
  await until(() => cut >= 1);
  await page.waitForSelector("#photos-waiting[data-count='2']");
  assert.deepEqual(await hqMissing(id), shas.slice().sort(), "HQ knows which photos it lacks");
  // Signal back for good: the next pass sends them, without a reload.
  await context.unroute("**/api/v1/attachments/*");
  await page.evaluate(() => window.xuncha.syncNow());
  await until(async () => !(await page.$("#photos-waiting")));
  for (const sha of shas) {
    const bytes = await hqBytes(sha);
    const local = Buffer.from(await page.evaluate(async (sha) => [...new Uint8Array(await (await window.xuncha.app.db.get("blobs", sha)).blob.arrayBuffer())], sha));
    assert.ok(bytes && bytes.equals(local), "HQ holds the very bytes");
  }
  assert.deepEqual(await hqMissing(id), []);
  assert.equal((await hq.changesOf(id)).length, 1, "the record went once");
  await context.close();
});

test("a large camera photo is downscaled before it is kept, and HQ gets what the tablet kept", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await startVisit(page, { operator: "大照片商行" });
  // A 4000×3000 photo of fine detail, as a tablet camera makes (well over 2 MB).
  const big = Buffer.from(await page.evaluate(async () => {
    const c = document.createElement("canvas");
    c.width = 4000;
    c.height = 3000;
    const g = c.getContext("2d");
    const img = g.createImageData(4000, 3000);
    let x = 12345;
    for (let i = 0; i < img.data.length; i += 4) {
      x = (x * 1103515245 + 12345) >>> 0;
      img.data[i] = x & 255;
      img.data[i + 1] = (x >> 8) & 255;
      img.data[i + 2] = (i >> 12) & 255;
      img.data[i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const b = await new Promise((ok) => c.toBlob(ok, "image/jpeg", 0.92));
    return [...new Uint8Array(await b.arrayBuffer())];
  }));
  assert.ok(big.length > 2 * 1024 * 1024, `the test photo is large (${big.length} bytes)`);
  await page.setInputFiles("[data-ptr='/attachments'] input[type=file]", { name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: big });
  await page.waitForSelector("[data-ptr='/attachments'] img.thumb");
  await page.click("#save");
  await page.waitForSelector("#saved-note:has-text('已保存')");
  const id = await page.$eval("#editor", (e) => e.dataset.id);
  const kept = await page.evaluate(async (id) => {
    const record = (await window.xuncha.app.db.get("records", id)).record;
    const a = record.attachments[0];
    const stored = await window.xuncha.app.db.get("blobs", a.sha256);
    const bitmap = await createImageBitmap(stored.blob);
    const digest = await crypto.subtle.digest("SHA-256", await stored.blob.arrayBuffer());
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    return { listed: a, type: stored.blob.type, size: stored.blob.size, width: bitmap.width, height: bitmap.height, hex };
  }, id);
  assert.equal(kept.type, "image/jpeg");
  assert.equal(Math.max(kept.width, kept.height), 2048, "long side brought to 2048 px");
  assert.equal(kept.width / kept.height, 4 / 3, "proportions kept");
  assert.ok(kept.size < big.length, `smaller than the original (${kept.size} < ${big.length})`);
  assert.equal(kept.listed.sizeBytes, kept.size);
  assert.equal(kept.listed.sha256, kept.hex, "the record names the bytes kept");
  await untilSynced(page);
  await until(async () => !(await page.$("#photos-waiting")) && (await hqBytes(kept.hex)));
  assert.equal((await hqBytes(kept.hex)).length, kept.size);
  await context.close();
});

// A tablet whose storage fills up: Chromium's profile on a 48 MiB disk of its own
// (tmpfs), so the quota errors are the browser's own. (DevTools' quota override
// changes what is reported, not what IndexedDB enforces.) Mounting needs root:
// where it is refused, the test says so and skips.
test("storage full: the save fails visibly with nothing half-written, and succeeds once space is freed", async (t) => {
  const disk = mkdtempSync(join(tmpdir(), "xuncha-full-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", disk], { stdio: "pipe" });
  } catch (e) {
    return t.skip(`cannot mount a small disk here (${String(e.stderr || e.message).trim()})`);
  }
  let context;
  try {
    mkdirSync(join(disk, "profile"));
    context = await chromium.launchPersistentContext(join(disk, "profile"), { executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS, viewport: TABLET, locale: "zh-CN", timezoneId: "Asia/Shanghai", hasTouch: true });
    const page = await open(context, hq.url);
    await signIn(page);
    await context.setOffline(true);
    const id = await draft(page, { operator: "存储已满商行" });
    const before = await page.evaluate(async (id) => ({ record: await window.xuncha.app.db.get("records", id), outbox: await window.xuncha.app.db.getAll("outbox") }), id);
    // Other data fills the disk (another app, old downloads): chunks until not even 1 KiB fits.
    const filled = await page.evaluate(async () => {
      const req = indexedDB.open("filler", 1);
      req.onupgradeneeded = () => req.result.createObjectStore("junk", { autoIncrement: true });
      const db = await new Promise((ok, fail) => ((req.onsuccess = () => ok(req.result)), (req.onerror = () => fail(req.error))));
      let total = 0;
      for (let size = 4 << 20; size >= 1024; ) {
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)));
        const ok = await new Promise((done) => {
          const tx = db.transaction("junk", "readwrite", { durability: "strict" });
          tx.objectStore("junk").add(new Blob([bytes]));
          tx.oncomplete = () => done(true);
          tx.onabort = tx.onerror = () => done(false);
        });
        if (ok) total += size;
        else size >>= 2;
      }
      db.close();
      return total;
    });
    assert.ok(filled > 0);
    // The officer goes on typing: the save fails, and says so where they look.
    await page.fill("#f_operator_name", "存储已满商行（改名）");
    await page.click("#save");
    await page.waitForSelector("#saved-note.failed");
    await page.waitForSelector(".toast-error:has-text('设备存储已满')");
    // Nothing half-written: the record and its queued change are exactly as before.
    const during = await page.evaluate(async (id) => ({ record: await window.xuncha.app.db.get("records", id), outbox: await window.xuncha.app.db.getAll("outbox") }), id);
    assert.deepEqual(during, before);
    // A photo cannot be kept either: said so, and the visit does not name a photo it lacks.
    await page.setInputFiles("[data-ptr='/attachments'] input[type=file]", { name: "p.png", mimeType: "image/png", buffer: PHOTO });
    await page.waitForSelector(".toast-error:has-text('设备存储已满') >> nth=1");
    assert.equal(await page.$("[data-ptr='/attachments'] img.thumb"), null);
    // Space freed (the other data deleted): the same screen saves what was typed.
    await page.evaluate(() => new Promise((ok, fail) => { const r = indexedDB.deleteDatabase("filler"); r.onsuccess = ok; r.onerror = () => fail(r.error); }));
    await page.click("#save");
    await page.waitForSelector("#saved-note:has-text('已保存')");
    assert.equal(await page.$("#saved-note.failed"), null);
    await context.setOffline(false);
    await untilSynced(page);
    const changes = await until(async () => (await hq.changesOf(id)).length && hq.changesOf(id));
    assert.equal(changes.at(-1).record.operator.name, "存储已满商行（改名）");
    assert.deepEqual(changes.at(-1).record.attachments, []);
  } finally {
    await context?.close();
    execFileSync("umount", ["-l", disk]);
  }
});

test("a database written by the previous app version is upgraded in place: its unsent visit and photo reach HQ", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await context.setOffline(true);
  await startVisit(page, { operator: "旧版本数据商行" });
  await addItems(page, ["price"]);
  await addPhoto(page, '[data-kind="price"]');
  await page.click("#save");
  await page.waitForSelector("#saved-note:has-text('已保存')");
  const id = await page.$eval("#editor", (e) => e.dataset.id);
  await page.close();
  // Rewrite the database as version 1 of the app left it (no photo index, no `waiting` marks),
  // from a page of the same origin that does not open it.
  const console_ = await context.newPage();
  await console_.goto(hq.url + "/console.html");
  const rows = await console_.evaluate(async () => {
    const req = (r) => new Promise((ok, fail) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => fail(r.error))));
    const db = await req(indexedDB.open("xuncha"));
    const read = async (store) => req(db.transaction(store).objectStore(store).getAll());
    const data = { records: await read("records"), outbox: await read("outbox"), blobs: await read("blobs"), meta: await read("meta"), version: db.version };
    db.close();
    await req(indexedDB.deleteDatabase("xuncha"));
    const open = indexedDB.open("xuncha", 1);
    open.onupgradeneeded = () => {
      const v1 = open.result;
      v1.createObjectStore("records", { keyPath: "id" }).createIndex("byKind", "kind");
      v1.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true }).createIndex("byId", "id");
      v1.createObjectStore("blobs", { keyPath: "sha256" });
      v1.createObjectStore("meta", { keyPath: "key" });
    };
    const old = await req(open);
    const tx = old.transaction(["records", "outbox", "blobs", "meta"], "readwrite");
    for (const r of data.records) tx.objectStore("records").put(r);
    for (const o of data.outbox) tx.objectStore("outbox").put(o);
    for (const { waiting, ...b } of data.blobs) tx.objectStore("blobs").put(b);
    for (const m of data.meta) tx.objectStore("meta").put(m);
    await new Promise((ok) => (tx.oncomplete = ok));
    old.close();
    return { version: data.version, ids: data.records.map((r) => r.id), outbox: data.outbox.length, blobs: data.blobs.length };
  });
  assert.equal(rows.version, 2);
  assert.ok(rows.ids.includes(id));
  assert.deepEqual([rows.outbox, rows.blobs], [1, 1]);
  await console_.close();
  // The new app opens it, still offline: upgraded, nothing missing, the photo counted as waiting.
  const again = await open(context, hq.url);
  await again.waitForSelector(`[data-id="${id}"][data-state="pending"]`);
  assert.equal(await again.evaluate(() => window.xuncha.app.db.version), 2);
  await again.waitForSelector("#photos-waiting[data-count='1']");
  await context.setOffline(false);
  await untilSynced(again);
  await until(async () => !(await again.$("#photos-waiting")));
  const [change] = await hq.changesOf(id);
  assert.equal(change.record.operator.name, "旧版本数据商行");
  assert.ok(await hqBytes(change.record.attachments[0].sha256), "the photo is at HQ");
  await context.close();
});

test("the operator signs with a finger on the pad (touch events, not a mouse), and the stroke is what is kept", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await startVisit(page, { operator: "手指签名商行" });
  await addItems(page, ["price"]);
  await sign(page, { finger: true });
  await page.waitForSelector("#signature img.signature-image");
  const sig = await page.evaluate(async () => {
    const id = document.querySelector("#editor").dataset.id;
    await window.xuncha.app.leaveGuard?.();
    const v = (await window.xuncha.app.db.get("records", id)).record;
    const b = await window.xuncha.app.db.get("blobs", v.signature.imageSha256);
    // Ink on the pad: some pixels are not blank.
    const bmp = await createImageBitmap(b.blob);
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const g = c.getContext("2d");
    g.drawImage(bmp, 0, 0);
    const px = g.getImageData(0, 0, bmp.width, bmp.height).data;
    let inked = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) inked++;
    return { signer: v.signature.signerName, inked };
  });
  assert.equal(sig.signer, "林某");
  assert.ok(sig.inked > 500, `the stroke is in the image (${sig.inked} inked pixels)`);
  await finalise(page);
  await page.waitForSelector("#verdict");
  await context.close();
});

test("the tablet precaches its own core, not the staff console's, and its core has none of the console's calls", async () => {
  const { context, page } = await signedIn(browser, hq.url);
  await untilControlled(page);
  const cached = await page.evaluate(async () => {
    const paths = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
  assert.ok(cached.some((p) => /^\/assets\/xuncha_bg-[^/]+\.wasm$/.test(p)), `the tablet's core is precached:\n${cached.join("\n")}`);
  assert.ok(!cached.some((p) => p.includes("xuncha_console")), "the staff console's core is not the officer's download");
  const calls = await page.evaluate(() => Object.fromEntries(["dashboard", "finaliseVisit", "runDraw", "DigestSet", "reportParagraphs"].map((k) => [k, typeof window.xuncha.core[k]])));
  assert.deepEqual(calls, { dashboard: "function", finaliseVisit: "function", runDraw: "undefined", DigestSet: "undefined", reportParagraphs: "undefined" });
  await context.close();
});
