// Browser benchmark of the console's figures from per-record digests, on the
// generated bureau-year (the same data set as bench/summary.mjs), next to
// today's full path in the same run: the core evaluating and counting every
// record inside the wasm. Steps: making the digests (HQ does it as records
// arrive), reading HQ's pages into the DigestSet, a summary from digests in
// wasm memory, switching period or grouping, the set kept in IndexedDB as
// bytes, and a cold open of the dashboard from that cache in a new page.
// Prints markdown.
import { launch, serve } from "../browser/harness.mjs";

const VISITS = Number(process.env.VISITS ?? 100000);
const site = await serve(process.env.SITE_DIR);
const browser = await launch();
const context = await browser.newContext();
const page = await context.newPage();
page.on("pageerror", (e) => console.error("page error:", e));
await page.goto(site.url);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const warm = await page.evaluate(async (visits) => {
  const m = await import("./pkg/xuncha.js");
  await m.default();
  const t = () => performance.now();
  const year = { period: "2026", asOf: "2027-01-31", groupBy: "month" };
  const out = {};
  // Today's full path: generate and summarise inside the wasm (the core's own time, nothing crosses).
  const inside = m.benchSummariseInside(2026, visits, 2026, year);
  Object.assign(out, { visits: inside.visits, coreMs: inside.summariseMs, counted: inside.counted });

  // The digests, in pages as HQ serves them.
  const { makeMs, pages } = m.benchDigestPages(2026, visits, 2026, 20000);
  out.makeMs = makeMs;
  out.pages = pages.length;
  out.megachars = pages.reduce((n, p) => n + p.length, 0) / 1e6;
  let t0 = t();
  const set = new m.DigestSet();
  for (const p of pages) set.addPage(p);
  out.addMs = t() - t0;
  out.held = set.size;

  // A summary from the digests already in wasm memory: the year by month, as the dashboard opens.
  const runs = [];
  let summary;
  for (let i = 0; i < 6; i++) {
    t0 = t();
    summary = set.summary(year);
    runs.push(t() - t0);
  }
  out.sumRuns = runs.slice(1);
  out.same = summary.figures.visits === inside.counted;

  // Switching: another period, scope or grouping, each a new sum.
  const queries = [
    { period: "2026-H1", asOf: "2027-01-31", groupBy: "officer" },
    { period: "2026-Q3", asOf: "2027-01-31", groupBy: "market" },
    { period: "2026", asOf: "2027-01-31", groupBy: "kind" },
    { period: "2026-05", asOf: "2027-01-31", groupBy: "operator" },
    { period: "2026", asOf: "2026-09-30", groupBy: "month", scope: { kind: "sampling" } },
  ];
  out.switches = queries.map((q) => {
    const s = t();
    set.summary(q);
    return t() - s;
  });
  // The same queries as JSON text, parsed in JS.
  out.switchesJson = queries.map((q) => {
    const s = t();
    JSON.parse(set.summaryJson(q));
    return t() - s;
  });
  out.groups = queries.map((q) => set.summary(q).groups.length);
  // A drill-down: the records behind the violations of the year.
  t0 = t();
  out.behind = set.recordsBehind(year, "violations").length;
  out.behindMs = t() - t0;

  // Kept in IndexedDB as the console keeps them: the set's bytes.
  t0 = t();
  const bytes = set.toBytes();
  out.toBytesMs = t() - t0;
  out.megabytes = bytes.length / 1e6;
  t0 = t();
  const db = await new Promise((ok, bad) => {
    const r = indexedDB.open("bench-figures", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("cache");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => bad(r.error);
  });
  await new Promise((ok, bad) => {
    const tx = db.transaction("cache", "readwrite");
    tx.objectStore("cache").put(bytes.buffer, "digests:bytes");
    tx.oncomplete = ok;
    tx.onerror = () => bad(tx.error);
  });
  db.close();
  out.storeMs = t() - t0;
  out.wasmMemoryMB = m.__wasm?.memory?.buffer?.byteLength / 1048576;
  set.free();
  return out;
}, VISITS);

// Cold open in a new page: load the wasm, read the kept pages, hold them, sum the year.
const cold = await context.newPage();
await cold.goto(site.url);
const open = await cold.evaluate(async () => {
  const t = () => performance.now();
  const t0 = t();
  const m = await import("./pkg/xuncha.js");
  await m.default();
  const t1 = t();
  const db = await new Promise((ok, bad) => {
    const r = indexedDB.open("bench-figures", 1);
    r.onsuccess = () => ok(r.result);
    r.onerror = () => bad(r.error);
  });
  const buffer = await new Promise((ok, bad) => {
    const r = db.transaction("cache").objectStore("cache").get("digests:bytes");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => bad(r.error);
  });
  const t2 = t();
  const set = m.DigestSet.fromBytes(new Uint8Array(buffer));
  const t3 = t();
  const s = set.summary({ period: "2026", asOf: "2027-01-31", groupBy: "month" });
  const t4 = t();
  return { initMs: t1 - t0, readMs: t2 - t1, addMs: t3 - t2, sumMs: t4 - t3, totalMs: t4 - t0, visits: s.figures.visits };
});

const f = (x, d = 0) => (x == null || Number.isNaN(x) ? "—" : x.toFixed(d));
const r = warm;
const sum = median(r.sumRuns);
console.log(`data set: ${r.visits} visit records, ${r.counted} counted; ${r.held} digests in ${r.pages} pages, ${f(r.megachars, 1)} M characters of JSON (${f((r.megachars * 1e6) / r.held)} a digest); the digests sum to the full evaluation: ${r.same}`);
console.log();
console.log("| step | time | ratio to today's full path |");
console.log("|---|---|---|");
console.log(`| today's full path: evaluate and count every record inside the wasm (the year by month) | ${f(r.coreMs)} ms | 1.00 |`);
console.log(`| make every visit's digest (once; HQ does it as each record arrives) | ${f(r.makeMs)} ms | ${f(r.makeMs / r.coreMs, 2)} |`);
console.log(`| read HQ's pages into the DigestSet (JSON text → wasm) | ${f(r.addMs)} ms | ${f(r.addMs / r.coreMs, 2)} |`);
console.log(`| **summary from digests in wasm memory** (median of 5) | ${f(sum)} ms | ${f(sum / r.coreMs, 3)} |`);
console.log(`| switching period, scope or grouping (5 queries: median / slowest) | ${f(median(r.switches))} / ${f(Math.max(...r.switches))} ms | ${f(median(r.switches) / r.coreMs, 3)} |`);
console.log(`| … each query, objects: ${r.switches.map((x, i) => `${f(x)} ms (${r.groups[i]} groups)`).join(", ")} | | |`);
console.log(`| … each query as JSON text + JSON.parse: ${r.switchesJson.map((x) => `${f(x)} ms`).join(", ")} | ${f(median(r.switchesJson))} / ${f(Math.max(...r.switchesJson))} ms | ${f(median(r.switchesJson) / r.coreMs, 3)} |`);
console.log(`| the records behind a figure (${r.behind} visits with violations) | ${f(r.behindMs)} ms | ${f(r.behindMs / r.coreMs, 3)} |`);
console.log(`| the set as bytes for the cache (${f(r.megabytes, 1)} MB, against ${f(r.megachars, 1)} M characters of JSON) | ${f(r.toBytesMs)} ms | |`);
console.log(`| keep the bytes in IndexedDB | ${f(r.storeMs)} ms | |`);
console.log(`| **cold open from the IndexedDB cache** (new page: wasm ${f(open.initMs)} + read ${f(open.readMs)} + hold ${f(open.addMs)} + sum ${f(open.sumMs)} ms) | ${f(open.totalMs)} ms | ${f(open.totalMs / r.coreMs, 2)} |`);
await browser.close();
await site.close();
