// Builds www/ into target/site (served by HQ): the officer's app (index.html)
// with its service worker and manifest, the record-check console, and the
// staff console (staff/index.html, served at /staff/).
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { fileURLToPath } from "node:url";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  build: {
    outDir: fileURLToPath(new URL("../target/site", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: { app: "index.html", console: "console.html", staff: "staff/index.html" },
      // The console's Word and Excel writers (and the Excel reader) load only when a clerk downloads or imports: named so
      // that the officer's service worker leaves them out of the tablet's precache.
      output: {
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some((id) => /node_modules\/(docx|write-excel-file|read-excel-file|fflate|jszip|saxen|unzipper-esm|worker-f)\//.test(id)) ? "assets/staff-downloads-[name]-[hash].js" : "assets/[name]-[hash].js",
      },
    },
  },
  server: { fs: { allow: [".."] }, proxy: { "/api": "http://127.0.0.1:8080" } },
  plugins: [
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src/app",
      filename: "sw.js",
      injectRegister: false,
      registerType: "prompt",
      manifest: {
        name: "巡查 · 市场监管现场检查",
        short_name: "巡查",
        description: "离线可用的现场检查：明码标价、计量器具、特种设备、抽检",
        lang: "zh-CN",
        start_url: "/",
        scope: "/",
        display: "standalone",
        orientation: "any",
        background_color: "#f4f6f8",
        theme_color: "#0b5cad",
        icons: [
          { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "/icon-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
          { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
        ],
      },
      injectManifest: {
        // The shell, the tablet's wasm and the record-check console; the example record too.
        // Not the staff console's own core (pkg/console): the officer never runs it.
        globPatterns: ["**/*.{js,css,html,wasm,svg,png,json,webmanifest}"],
        globIgnores: ["assets/staff-downloads-*", "assets/xuncha_console_bg-*"],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        rollupFormat: "iife",
      },
    }),
  ],
});
