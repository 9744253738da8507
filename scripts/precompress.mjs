// Writes a brotli (.br) and a gzip (.gz) copy beside each compressible file
// under the built site's assets/, at the highest levels (done once per build,
// not per request). Only there: those files are named by their content hash, so
// a copy can never go stale; the shell (index.html, sw.js, the manifest) is
// small, revalidated on every load, and served as it is.
// HQ serves them with Content-Encoding when the browser accepts them
// (hq/src/api/site.rs). Prints what the wasm weighs over the wire.
//   node scripts/precompress.mjs target/site
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, extname } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const COMPRESSIBLE = new Set([".js", ".mjs", ".css", ".html", ".wasm", ".json", ".svg", ".webmanifest", ".txt"]);
const root = process.argv[2] ?? "target/site";

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

for (const path of files(join(root, "assets"))) {
  if (!COMPRESSIBLE.has(extname(path))) continue;
  const raw = readFileSync(path);
  if (raw.length < 1024) continue; // not worth a second request's headers
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
  const gz = gzipSync(raw, { level: 9 });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gz);
  if (path.endsWith(".wasm")) {
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`wasm over the wire: ${kb(raw.length)} raw, ${kb(gz.length)} gzip, ${kb(br.length)} brotli (${path})`);
  }
}
