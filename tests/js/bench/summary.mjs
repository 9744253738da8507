// Browser benchmark of summaries on the wasm build: a generated bureau-year,
// timed with the data already inside the wasm (the core's own cost) and
// crossing the JS/wasm boundary three ways. Prints a markdown table.
import { launch, serve } from "../browser/harness.mjs";

const VISITS = Number(process.env.VISITS ?? 100000);
const site = await serve(process.env.SITE_DIR);
const browser = await launch();
const page = await browser.newPage();
page.on("pageerror", (e) => console.error("page error:", e));
await page.goto(site.url);

const r = await page.evaluate(async (visits) => {
  const m = await import("./pkg/xuncha.js");
  const w = await m.default();
  const query = { period: "2026", asOf: "2027-01-31", groupBy: "month" };
  const t = () => performance.now();
  const out = {};

  // 1. The core alone: generate and summarise inside the wasm, nothing crosses.
  const inside = m.benchSummariseInside(2026, visits, 2026, query);
  Object.assign(out, { visits: inside.visits, items: inside.items, coreMs: inside.summariseMs, generateMs: inside.generateMs });

  // The same data set as JS objects (what the app holds after reading IndexedDB).
  let t0 = t();
  const text = m.benchGenerate(2026, visits, 2026);
  out.jsonMB = text.length / 1e6; // UTF-16 code units ≈ characters
  t0 = t();
  const data = JSON.parse(text);
  out.parseMs = t() - t0;

  // Each crossing in its own try: at a bureau-year a step may run out of wasm memory (4 GiB at most).
  const attempt = (name, f) => {
    try {
      return f();
    } catch (e) {
      out.errors = [...(out.errors ?? []), `${name}: ${e.message ?? e}`];
      return null;
    }
  };
  // 2. JS objects across the boundary (serde-wasm-bindgen), element by element.
  const opts = { query, followUps: data.followUps, rectifications: data.rectifications };
  t0 = t();
  const s1 = attempt("objects", () => m.summarise(data.visits, opts));
  out.objectsMs = s1 ? t() - t0 : null;

  // 3. One JSON string across the boundary (stringify in JS, parse in Rust).
  t0 = t();
  const visitsText = JSON.stringify(data.visits);
  const optsText = JSON.stringify(opts);
  out.stringifyMs = t() - t0;
  t0 = t();
  const s2 = attempt("json", () => JSON.parse(m.summariseJson(visitsText, optsText)));
  out.jsonMs = s2 ? t() - t0 : null;
  out.same = s1 && s2 ? s1.figures.visits === s2.figures.visits && s1.figures.violations === s2.figures.violations : null;
  out.counted = (s1 ?? s2)?.figures.visits;

  // 4. Incremental: the builder holds the year; one more visit, then read.
  const b = new m.SummaryBuilder(query);
  b.addRectifications(data.rectifications);
  t0 = t();
  const byVisit = new Map();
  for (const f of data.followUps) (byVisit.get(f.visitId) ?? byVisit.set(f.visitId, []).get(f.visitId)).push(f);
  for (const v of data.visits) b.upsert(v, byVisit.get(v.id));
  out.buildAllMs = t() - t0;
  const extra = structuredClone(data.visits[Math.floor(data.visits.length / 2)]);
  const rounds = 200;
  t0 = t();
  for (let i = 0; i < rounds; i++) {
    extra.id = `01900000-0000-7000-8000-${String(900000000 + i).padStart(12, "0")}`;
    b.upsert(extra);
  }
  out.upsertMs = (t() - t0) / rounds;
  t0 = t();
  const live = b.summary();
  out.readMs = t() - t0;
  out.liveVisits = live.figures.visits;
  out.wasmMemoryMB = w.memory.buffer.byteLength / 1048576;
  out.jsHeapMB = performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null;
  return out;
}, VISITS);

const f = (x, d = 0) => (x == null ? "—" : x.toFixed(d));
console.log(`data set: ${r.visits} visit records, ${r.items} items, ${f(r.jsonMB, 1)} M characters of JSON; counted ${r.counted}; the two crossings agree: ${r.same}`);
console.log();
console.log("| step | time | ratio to the core alone |");
console.log("|---|---|---|");
console.log(`| core alone: summarise inside the wasm (evaluate + count + group by month) | ${f(r.coreMs)} ms | 1.00 |`);
console.log(`| JS objects → \`summarise\` (serde-wasm-bindgen) | ${f(r.objectsMs)} ms | ${f(r.objectsMs / r.coreMs, 2)} |`);
console.log(`| JSON text → \`summariseJson\` (+ ${f(r.stringifyMs)} ms JSON.stringify in JS) | ${f(r.jsonMs)} ms | ${f(r.jsonMs / r.coreMs, 2)} (${f((r.jsonMs + r.stringifyMs) / r.coreMs, 2)} with stringify) |`);
console.log(`| boundary cost, objects | ${r.objectsMs == null ? "—" : f(r.objectsMs - r.coreMs)} ms | |`);
console.log(`| boundary cost, JSON text incl. stringify | ${r.jsonMs == null ? "—" : f(r.jsonMs + r.stringifyMs - r.coreMs)} ms | |`);
console.log(`| incremental: build the year one record at a time | ${f(r.buildAllMs)} ms | ${f(r.buildAllMs / r.coreMs, 2)} |`);
console.log(`| incremental: add one visit | ${f(r.upsertMs * 1000, 0)} µs | |`);
console.log(`| incremental: read the figures | ${f(r.readMs, 2)} ms | |`);
console.log(`| (JSON.parse of the data set in JS, for scale) | ${f(r.parseMs)} ms | |`);
if (r.errors) console.log(`\nfailed steps: ${r.errors.join("; ")}`);
console.log();
console.log(`memory after: wasm linear memory ${f(r.wasmMemoryMB)} MB, JS heap ${f(r.jsHeapMB)} MB`);
await browser.close();
await site.close();
