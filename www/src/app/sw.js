// The service worker: the app shell and the wasm precached (the app starts
// with no network); navigations fall back to the shell; nothing else is
// intercepted — never a POST, never the API. An update installs beside the
// running version and waits until the officer says "update" (the page shows
// the prompt), and it never touches IndexedDB, where the records are.
import { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL } from "workbox-precaching";
import { registerRoute, NavigationRoute } from "workbox-routing";
import { openStore } from "./db.js";
import { syncOnce } from "./sync-engine.js";

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// HQ's pages stay HQ's: the console, and the public check a document's QR code opens.
registerRoute(new NavigationRoute(createHandlerBoundToURL("index.html"), { denylist: [/^\/api\//, /console\.html$/, /^\/verify(\?|$)/, /^\/staff(\/|$)/] }));

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
});

// Background Sync: the browser wakes the worker when signal returns, even with the app closed.
self.addEventListener("sync", (event) => {
  if (event.tag !== "xuncha-sync") return;
  event.waitUntil(
    (async () => {
      const db = await openStore();
      try {
        await syncOnce(db, { base: self.location.origin });
      } finally {
        db.close();
      }
      // Every open tab, controlled by this worker or not, redraws what changed.
      new BroadcastChannel("xuncha").postMessage({ type: "synced" });
    })(),
  );
});
