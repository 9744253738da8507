// The staff console (局机关工作台): the bureau's figures and report paragraphs,
// the deadlines board, and every record with its history — on the same wasm
// core as the tablet, signed in as staff. Routes: #/ (figures), #/deadlines,
// #/records, #/record/ID, #/draws and #/plan/ID (双随机), #/rulebook and
// #/report-template (the bureau's wording of its report paragraphs).
import init, * as core from "../../../pkg/console/xuncha_console.js";
import { openStore } from "../app/db.js";
import { setLang, getLang } from "../app/i18n.js";
import { h } from "../app/ui.js";
import { Hq, HqError, words } from "./hq.js";
import { BureauFigures } from "./digests.js";
import * as views from "./views.js";
import * as draws from "./draws.js";
import { reportTemplate } from "./report-template.js";
import { say } from "./text.js";

const app = {
  core,
  /** @type {any} */ db: null,
  /** @type {Hq | null} */ hq: null,
  /** @type {any} */ catalogue: null,
  /** @type {any[] | null} the bureau's records, read once per visit to the records screen */
  records: null,
  /** @type {BureauFigures | null} the bureau's digests, summed here */
  figures: null,
  /** The digests brought up to date (the first time with a progress line on screen). @type {() => Promise<{ offline: boolean }>} */
  figuresReady: async () => ({ offline: false }),
};

async function boot() {
  await init();
  app.catalogue = core.formCatalogue();
  app.db = await openStore("xuncha-staff");
  app.hq = new Hq(app.db, core);
  app.figures = new BureauFigures(app.db, app.hq, core);
  setLang(getLang());
  addEventListener("hashchange", route);
  await route();
  document.body.dataset.ready = "true";
}

function shell(session, screen) {
  const nav = (href, label, id) => h("a", { href, id, class: location.hash === href || (href === "#/" && !location.hash) ? "active" : "" }, label);
  return h("div", { class: "layout" },
    h("header", { class: "top" },
      h("strong", { class: "brand" }, say("brand")),
      h("nav", { "aria-label": say("navigation") },
        nav("#/", say("figures"), "nav-figures"),
        nav("#/deadlines", say("deadlines"), "nav-deadlines"),
        nav("#/records", say("records"), "nav-records"),
        nav("#/accounts", say("accounts"), "nav-accounts"),
        nav("#/draws", say("draws"), "nav-draws"),
        nav("#/rulebook", say("rulebook"), "nav-rulebook"),
        nav("#/report-template", say("reportTemplate"), "nav-report-template")),
      // The bureau by name: a demo bureau's name says it is demo data, on every screen.
      h("span", { class: "who", id: "who" }, session.user.bureauName ? h("span", { class: "bureau-name" }, session.user.bureauName) : null, ` ${session.user.name || session.user.login}`),
      h("button", { type: "button", class: "lang", onclick: () => (setLang(getLang() === "zh" ? "en" : "zh"), route()) }, getLang() === "zh" ? "English" : "中文"),
      h("button", { type: "button", id: "sign-out", onclick: async () => (await app.hq?.signOut(), route()) }, say("signOut"))),
    h("main", { id: "screen", tabindex: "-1" }, screen));
}

let seq = 0;
async function route() {
  const mine = ++seq;
  const root = /** @type {HTMLElement} */ (document.getElementById("root"));
  const session = await app.hq?.session();
  // First run: the link HQ printed opens the page that makes the bureau and its first staff account.
  if (location.hash.startsWith("#/setup")) {
    root.replaceChildren(views.setup(app, () => ((location.hash = "#/"), route())));
    return;
  }
  // Public: anyone re-runs a published 双随机 draw here, in their own browser.
  if (location.hash.startsWith("#/draw-check")) {
    root.replaceChildren(h("main", {}, views.drawCheck(app)));
    return;
  }
  if (!session) {
    root.replaceChildren(views.signIn(app, route));
    return;
  }
  // "#/records?q=…": the screen, then its parameters (read by the screen).
  const [, where, id] = (location.hash || "#/").split("?")[0].split("/");
  app.figuresReady = () => {
    const figures = /** @type {BureauFigures} */ (app.figures);
    // The first load of a large bureau takes seconds: say how far it has got.
    const line = h("p", { class: "progress", id: "figures-progress", role: "status" }, say("loadingFigures"));
    if (!figures.opened && mine === seq) root.replaceChildren(shell(session, line));
    return figures.ready(session.user.bureauId, (p) => {
      line.textContent = say(p.phase === "cache" ? "loadingCachedFigures" : "downloadingFigures", { loaded: p.loaded.toLocaleString(), total: p.total.toLocaleString() });
    });
  };
  let screen;
  try {
    if (where === "deadlines") screen = await views.deadlines(app);
    else if (where === "records") screen = await views.records(app);
    else if (where === "accounts") screen = await views.accounts(app);
    else if (where === "record" && id) screen = await views.record(app, decodeURIComponent(id));
    else if (where === "rulebook") screen = views.rulebook(app);
    else if (where === "report-template") screen = await reportTemplate(app);
    else if (where === "draws") screen = await draws.draws(app);
    else if (where === "plan" && id) screen = await draws.plan(app, decodeURIComponent(id));
    else if (where === "behind") screen = await views.behind(app);
    else if (where === "rectify" && id) screen = await views.rectify(app, decodeURIComponent(id));
    else if (where === "lab" && id) screen = await views.labResult(app, decodeURIComponent(id), decodeURIComponent((location.hash.split("?")[0].split("/")[3]) ?? ""));
    else screen = await views.figures(app);
  } catch (e) {
    if (e instanceof HqError && e.status === 401) {
      await app.hq?.signOut();
      return route();
    }
    screen = h("p", { class: "error", role: "alert" }, words(e));
  }
  if (mine !== seq) return;
  root.replaceChildren(shell(session, screen));
}

boot();
