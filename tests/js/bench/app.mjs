// Benchmarks of the officer's app (figures, not pass/fail), in headless
// Chromium against a real HQ: offline cold start to interactive, save-to-
// durable latency, and the sync of 1,000 visits with photos.
// Run by scripts/bench.sh (HQ_BIN: a release build of xuncha-hq).
import { startHq } from "../app/hq.mjs";
import { launch, newContext, open, signIn, untilControlled } from "../app/app-driver.mjs";

const VISITS = Number(process.env.APP_VISITS ?? 1000);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.round((xs.length - 1) * p))];
const ms = (x) => `${x.toFixed(1)} ms`;

const hq = await startHq();
const browser = await launch();
try {
  const context = await newContext(browser);
  let page = await open(context, hq.url);
  await signIn(page);
  await untilControlled(page);

  // 1. Cold start to interactive (the ready mark: core loaded, storage open, screen drawn).
  const start = async (offline) => {
    await context.setOffline(offline);
    const times = [];
    for (let i = 0; i < 8; i++) {
      await page.close();
      const t = Date.now();
      page = await open(context, hq.url);
      times.push(Date.now() - t);
    }
    return times;
  };
  const online = await start(false);
  const offline = await start(true);
  console.log("| step | p50 | p95 | note |\n|---|---|---|---|");
  console.log(`| cold start to interactive, offline (service worker cache) | ${ms(pct(offline, 0.5))} | ${ms(pct(offline, 0.95))} | baseline online in the same run: p50 ${ms(pct(online, 0.5))} (ratio ${(pct(offline, 0.5) / pct(online, 0.5)).toFixed(2)}) |`);

  await context.setOffline(false);
  // 2. Save to durable: the record and its outbox entry in one strict transaction (200 saves).
  const saves = await page.evaluate(async () => {
    const { app } = window.xuncha;
    const fixture = await (await fetch("/example-visit.json")).json().catch(() => null);
    const base = fixture ?? (await app.records.newVisit());
    const strict = [];
    const relaxed = [];
    for (let i = 0; i < 200; i++) {
      const v = { ...structuredClone(base), id: app.core.newId(), status: "draft" };
      delete v.finalisedAt;
      let t = performance.now();
      await app.records.saveVisit(v);
      strict.push(performance.now() - t);
      // The same write without strict durability, for the ratio.
      t = performance.now();
      const tx = app.db.transaction(["records", "outbox"], "readwrite", { durability: "relaxed" });
      tx.objectStore("records").put({ id: "relaxed-" + i, kind: "bench", record: v });
      tx.objectStore("outbox").add({ id: "relaxed-" + i, kind: "bench", change: { record: v } });
      await tx.done;
      relaxed.push(performance.now() - t);
    }
    // Leave no bench rows in the queue.
    const tx = app.db.transaction(["records", "outbox"], "readwrite");
    await tx.objectStore("outbox").clear();
    await tx.objectStore("records").clear();
    await tx.done;
    return { strict, relaxed };
  });
  console.log(`| save to durable (record + outbox entry, strict durability, 200 saves) | ${ms(pct(saves.strict, 0.5))} | ${ms(pct(saves.strict, 0.95))} | relaxed durability in the same run: p50 ${ms(pct(saves.relaxed, 0.5))} (strict costs ${(pct(saves.strict, 0.5) / pct(saves.relaxed, 0.5)).toFixed(1)}×) |`);

  // 3. Sync of VISITS finalised visits, each with a photo and a signature image (unique bytes).
  await page.goto(hq.url + "#/settings"); // a screen that does not redraw as records arrive
  await page.waitForSelector("#persisted");
  const fixtureText = await (await fetch(hq.url + "/example-visit.json")).text();
  await context.setOffline(true); // prepared offline, as in the field; timed from when signal returns
  const prepared = await page.evaluate(async ([n, fixtureText]) => {
    const { app, core } = window.xuncha;
    const fixture = JSON.parse(fixtureText);
    let bytes = 0;
    const photo = (seed, size) => {
      const b = new Uint8Array(size);
      crypto.getRandomValues(b.subarray(0, Math.min(size, 65536)));
      b[0] = seed & 255; b[1] = (seed >> 8) & 255;
      return b;
    };
    const hex = async (b) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", b))].map((x) => x.toString(16).padStart(2, "0")).join("");
    for (let i = 0; i < n; i++) {
      const v = structuredClone(fixture);
      v.id = core.newId();
      for (const k of ["priceChecks", "instrumentChecks", "equipmentChecks", "samples"]) for (const item of v[k] ?? []) item.id = core.newId();
      const sig = photo(i, 6_000);
      const pic = photo(i + 100_000, 60_000);
      const [s1, s2] = [await hex(sig), await hex(pic)];
      v.attachments = [{ sha256: s1, mediaType: "image/png", sizeBytes: sig.length }, { sha256: s2, mediaType: "image/jpeg", sizeBytes: pic.length }];
      v.signature.imageSha256 = s1;
      v.priceChecks[0].photoSha256 = [s2];
      await app.records.saveVisit(v, [
        { sha256: s1, mediaType: "image/png", size: sig.length, blob: new Blob([sig], { type: "image/png" }) },
        { sha256: s2, mediaType: "image/jpeg", size: pic.length, blob: new Blob([pic], { type: "image/jpeg" }) },
      ]);
      bytes += sig.length + pic.length;
    }
    return { bytes };
  }, [VISITS, fixtureText]);
  const t = Date.now();
  await context.setOffline(false);
  await page.evaluate(() => window.xuncha.syncNow());
  let pushedSecs = null;
  for (;;) {
    // Counted through the indexes: reading the photos themselves would slow what is measured.
    const [queued, waiting] = await page.evaluate(async () => {
      const { db } = window.xuncha.app;
      return [await db.count("outbox"), await db.countFromIndex("blobs", "byWaiting")];
    });
    if (queued === 0 && pushedSecs === null) pushedSecs = (Date.now() - t) / 1000;
    if (queued === 0 && waiting === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const secs = (Date.now() - t) / 1000;
  const stats = await hq.stats();
  console.log(`| sync of ${VISITS} finalised visits with 2 photos each (${(prepared.bytes / 1048576).toFixed(1)} MiB) to a local HQ | ${secs.toFixed(1)} s | — | ${(VISITS / secs).toFixed(0)} visits/s; records all at HQ after ${pushedSecs.toFixed(1)} s, photos (3 uploads at once) the rest; HQ holds ${stats.records} records |`);
} finally {
  await browser.close();
  hq.stop();
}
