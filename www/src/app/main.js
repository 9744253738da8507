// The officer's app: boot, the screens' router, the sync status and the
// update prompt. All checking, findings, figures and charts come from the
// wasm core; this file does UI, storage and network only.
import init, * as core from "../../../pkg/xuncha.js";
import { Workbox } from "workbox-window";
import { openStore, getMeta, setMeta, pendingCount, waitingCount } from "./db.js";
import { syncOnce } from "./sync-engine.js";
import { numbersLeft, NUMBERS_LOW } from "./evidence.js";
import { createScheduler } from "./scheduler.js";
import { Records } from "./records.js";
import { t, setLang, getLang } from "./i18n.js";
import { h, formatTime, clearToasts } from "./ui.js";
import * as screens from "./screens.js";
import { visitEditor } from "./visit-editor.js";

const channel = "BroadcastChannel" in self ? new BroadcastChannel("xuncha") : null;

const app = {
  core,
  db: null,
  records: null,
  scheduler: null,
  online: navigator.onLine,
  catalogue: null,
  signedIn: false,
  sync: { pending: 0, photos: 0, last: null, running: false, /** @type {number | undefined} */ numbersLeft: undefined },
  leaveGuard: null, // the open editor's "save now", run before leaving it
};

async function boot() {
  setLang(getLang());
  await init();
  // The one description of the record: forms, labels and the core's words.
  app.catalogue = core.formCatalogue();
  app.db = await openStore();
  app.records = new Records(app.db, core, () => {
    app.scheduler?.soon();
    requestBackgroundSync();
    channel?.postMessage({ type: "saved" });
    refreshStatus();
  });
  if (!(await getMeta(app.db, "deviceId"))) await setMeta(app.db, "deviceId", core.newId());
  // For the sync code, which also runs in the service worker without the core.
  if ((await getMeta(app.db, "protocolVersion")) !== core.protocolVersion()) await setMeta(app.db, "protocolVersion", core.protocolVersion());
  await applyRulebook();
  // Ask the browser to keep our data (not cleared under storage pressure).
  if (navigator.storage?.persist && !(await navigator.storage.persisted?.())) navigator.storage.persist().catch(() => {});

  app.scheduler = createScheduler(
    async () => {
      app.sync.running = true;
      renderStatus();
      try {
        const out = await syncOnce(app.db);
        if (out.ran) await applyRulebook(); // a pull may bring a rulebook or templates and no records
        if (out.ran && (out.pulled || out.pushed || out.rejected || out.conflicts)) {
          channel?.postMessage({ type: "synced" });
          rerenderIfIdle();
        }
        return out;
      } finally {
        app.sync.running = false;
      }
    },
    () => refreshStatus(),
  );

  addEventListener("online", () => ((app.online = true), renderStatus()));
  addEventListener("offline", () => ((app.online = false), renderStatus()));
  addEventListener("hashchange", () => (clearToasts(), route())); // messages about the screen left go with it
  // The open editor saves when the page is hidden or closed.
  addEventListener("pagehide", () => app.leaveGuard?.());
  document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && app.leaveGuard?.());
  channel?.addEventListener("message", () => {
    refreshStatus();
    rerenderIfIdle();
  });

  renderShell();
  // The top bar wraps when its notes are long: what sticks below it is placed by its real height.
  const topbar = /** @type {HTMLElement} */ (document.querySelector(".topbar"));
  new ResizeObserver(() => document.documentElement.style.setProperty("--topbar-h", `${topbar.offsetHeight}px`)).observe(topbar);
  await refreshStatus();
  await route();
  if (await getMeta(app.db, "session")) app.scheduler.start();
  registerServiceWorker();
  /** @type {any} */ (window).xuncha = { app, core, syncNow: () => app.scheduler.now("test") }; // for the end-to-end tests and support
  document.body.dataset.ready = "true";
}

/** What HQ published (the rulebook, the document templates), kept from the last pull, into the core. */
async function applyRulebook() {
  const rb = await getMeta(app.db, "rulebook");
  try {
    if (rb && core.rulebookInfo().version !== rb.version) core.loadRulebook(JSON.stringify(rb));
  } catch (e) {
    console.warn("HQ's rulebook was not loaded; the built-in one stays", e);
  }
  const templates = await getMeta(app.db, "documentTemplates");
  try {
    if (templates && core.documentTemplatesVersion() !== templates.version) core.loadDocumentTemplates(JSON.stringify(templates));
  } catch (e) {
    console.warn("HQ's document templates were not loaded; the ones in use stay", e);
  }
}

function requestBackgroundSync() {
  navigator.serviceWorker?.ready.then((reg) => /** @type {any} */ (reg).sync?.register("xuncha-sync")).catch(() => {});
}

// ---- shell, status bar -------------------------------------------------------

function renderShell() {
  document.getElementById("app").replaceChildren(
    h("header", { class: "topbar" },
      h("a", { class: "brand", href: "#/" }, t("appName")),
      h("nav", { class: "tabs", "aria-label": "main" },
        h("a", { href: "#/", id: "nav-today" }, t("today")),
        h("a", { href: "#/dashboard", id: "nav-dashboard" }, t("dashboard")),
        h("a", { href: "#/settings", id: "nav-settings" }, t("settings"))),
      h("div", { id: "sync-status", class: "sync-status", role: "status", "aria-live": "polite" })),
    h("div", { id: "update-banner", class: "banner", hidden: true }),
    h("main", { id: "screen", tabindex: "-1" }),
    h("div", { id: "toasts", class: "toasts" }),
  );
}

async function refreshStatus() {
  if (!app.db) return;
  app.signedIn = !!(await getMeta(app.db, "session"));
  app.sync.pending = await pendingCount(app.db);
  app.sync.photos = await waitingCount(app.db);
  app.sync.last = await getMeta(app.db, "lastSync");
  app.sync.numbersLeft = app.signedIn ? await numbersLeft(app.db, new Date().getFullYear()) : undefined;
  renderStatus();
}

function renderStatus() {
  const el = document.getElementById("sync-status");
  if (!el) return;
  const { pending, photos, last, running } = app.sync;
  const parts = [
    h("span", { class: `dot ${app.online ? "on" : "off"}` }, app.online ? t("online") : t("offline")),
    // Before sign-in nothing has been synced: the bar does not claim it.
    h("span", { id: "pending-count", dataset: { count: String(pending) } }, pending ? t("pendingCount", { n: pending }) : photos ? "" : app.signedIn ? t("allSynced") : t("signedOut")),
    photos ? h("span", { id: "photos-waiting", dataset: { count: String(photos) } }, t("photosWaiting", { n: photos })) : null,
    h("span", { class: "last" }, t("lastSync", { t: last?.lastSuccess ? formatTime(last.lastSuccess) : t("never") })),
  ];
  if (last && !last.ok && (pending || photos)) {
    // A lost session is the one failure the officer must act on: one tap to the sign-in screen.
    // No signal is the normal day, not an error: said calmly, without the browser's words.
    parts.push(last.code === "SIGNED_OUT"
      ? h("a", { class: "error", id: "sync-error", href: "#/login" }, t("signInAgain"))
      : last.code === "OFFLINE" || !app.online
        ? h("span", { class: "note", id: "sync-error", dataset: { code: "OFFLINE" } }, t("waitingForSignal"))
        : h("span", { class: "error", id: "sync-error", dataset: { code: last.code } }, t("syncError", { e: last.message })));
  }
  // Warned well before the block runs out: a visit cannot be finalised without numbers for its documents.
  if (app.sync.numbersLeft !== undefined && app.sync.numbersLeft < NUMBERS_LOW) {
    parts.push(h("span", { class: "error", id: "numbers-low", dataset: { left: String(app.sync.numbersLeft) } }, t("numbersLow", { n: app.sync.numbersLeft })));
  }
  parts.push(h("button", { class: "small", id: "sync-now", disabled: running, onclick: () => app.scheduler?.now("button") }, t("syncNow")));
  el.replaceChildren(...parts.filter(Boolean));
}

// ---- routing -----------------------------------------------------------------

let editorOpen = false;
// Routes overlap (a tap while a sync redraws the list): only the latest may draw,
// or a slower, older one would put back a stale screen.
let routeSeq = 0;

function rerenderIfIdle() {
  // Never under the officer's fingers: in the editor only HQ's verdict is redrawn.
  if (editorOpen) app.refreshEditorNotice?.();
  else route();
}

async function route() {
  const seq = ++routeSeq;
  if (app.leaveGuard) {
    await app.leaveGuard();
    app.leaveGuard = null;
  }
  const screen = document.getElementById("screen");
  const hash = location.hash.replace(/^#/, "") || "/";
  const session = await getMeta(app.db, "session");
  for (const id of ["today", "dashboard", "settings"]) document.getElementById(`nav-${id}`)?.classList.toggle("active", hash === (id === "today" ? "/" : `/${id}`));
  editorOpen = false;
  let editing = false;
  if (!session && hash !== "/login") return (location.hash = "#/login");
  let view;
  const m = hash.match(/^\/visit\/([^/]+)(\/result)?$/);
  const doc = hash.match(/^\/visit\/([^/]+)\/doc\/([^/]+)$/);
  if (hash === "/login") view = await screens.login(app, onSignedIn);
  else if (hash === "/") view = await screens.today(app);
  else if (hash === "/new") {
    const visit = await app.records.newVisit();
    history.replaceState(null, "", `#/visit/${visit.id}`);
    editing = true;
    view = await visitEditor(app, visit, null);
  } else if (hash.startsWith("/task/")) {
    // A visit started from a 双随机 task: operator, site and inspectors filled in, the task linked.
    const id = decodeURIComponent(hash.slice("/task/".length));
    const task = (await app.records.tasks()).find((x) => x.id === id);
    if (!task) view = h("section", {}, h("p", { class: "error", role: "alert", id: "task-gone" }, t("taskGone")), h("a", { class: "button big", href: "#/" }, "‹ ", t("back")));
    else {
      const visit = await app.records.newVisit(task);
      history.replaceState(null, "", `#/visit/${visit.id}`);
      editing = true;
      view = await visitEditor(app, visit, null);
    }
  } else if (m && m[2]) view = await screens.result(app, m[1]);
  else if (doc) view = await screens.visitDocument(app, doc[1], decodeURIComponent(doc[2]));
  else if (m) {
    const entry = await app.records.get(m[1]);
    if (entry?.record.status === "finalised") return (location.hash = `#/visit/${m[1]}/result`);
    editing = true;
    view = await visitEditor(app, entry?.record ?? (await app.records.newVisit()), entry);
  } else if (hash === "/dashboard") view = await screens.dashboard(app);
  else if (hash === "/settings") view = await screens.settings(app);
  else view = h("p", {}, "404");
  if (seq !== routeSeq) return;
  editorOpen = editing;
  screen.replaceChildren(view);
  screen.focus({ preventScroll: true });
  scrollTo(0, 0);
}

async function onSignedIn() {
  await refreshStatus();

  app.scheduler.start();
  location.hash = "#/";
}

// ---- updates -----------------------------------------------------------------

function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || /** @type {any} */ (import.meta).env.DEV) return;
  const wb = new Workbox("./sw.js");
  // A new version waits until the officer says so; records are in IndexedDB and stay.
  wb.addEventListener("waiting", () => {
    const banner = document.getElementById("update-banner");
    banner.hidden = false;
    banner.replaceChildren(
      h("span", {}, t("updateReady")),
      h("button", { id: "update-now", onclick: async () => {
        if (app.leaveGuard) await app.leaveGuard();
        wb.addEventListener("controlling", () => location.reload());
        wb.messageSkipWaiting();
      } }, t("updateNow")),
    );
  });
  wb.register().catch((e) => console.warn("service worker not registered", e));
}

boot().catch((e) => {
  console.error(e);
  document.getElementById("app").replaceChildren(h("p", { class: "fatal", role: "alert" }, `应用无法启动 / The app could not start: ${e.message}`));
});
