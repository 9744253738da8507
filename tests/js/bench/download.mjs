// A console's first download of a bureau's digests, in headless Chromium,
// against a running HQ: every page fetched after the cursor as the console
// fetches them (gzipped by the browser) and read into the core's DigestSet.
// Usage: node bench/download.mjs HQ_URL TOKEN — run by HQ's figures_benchmark
// on its seeded bureau-year, HQ serving the bench site (the core, from
// target/bench-site). Prints a markdown row.
import { launch } from "../browser/harness.mjs";

const [url, token] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage();
page.on("pageerror", (e) => console.error("page error:", e));
// HQ's own origin, so the requests are the console's own.
await page.goto(`${url}/`);
const r = await page.evaluate(async ({ token }) => {
  const m = await import("./pkg/xuncha.js");
  await m.default();
  const set = new m.DigestSet();
  const t0 = performance.now();
  let after = 0;
  let pages = 0;
  let chars = 0;
  let fetchMs = 0;
  for (;;) {
    const f0 = performance.now();
    const resp = await fetch(`/api/v1/staff/digests?after=${after}&limit=20000`, { headers: { authorization: `Bearer ${token}` }, cache: "no-store" });
    const text = await resp.text();
    fetchMs += performance.now() - f0;
    chars += text.length;
    pages += 1;
    const head = set.addPage(text);
    after = head.next;
    if (!head.more) break;
  }
  const totalMs = performance.now() - t0;
  const bytes = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/v1/staff/digests")).reduce((n, e) => n + e.transferSize, 0);
  return { pages, chars, fetchMs, totalMs, held: set.size, bytes };
}, { token });
console.log(`| first download of every digest in Chromium (${r.pages} pages, ${(r.bytes / 1e6).toFixed(2)} MB over the wire, gzip; ${r.held} digests): fetched ${r.fetchMs.toFixed(0)} ms, held in the DigestSet ${(r.totalMs - r.fetchMs).toFixed(0)} ms | ${r.totalMs.toFixed(0)} ms | |`);
await browser.close();
