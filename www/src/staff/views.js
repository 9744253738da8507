// The console's screens. Each reads through app.hq (never fetch) and the core
// (labels, findings, charts); the pure parts live in state.js.
import { t, tx } from "../app/i18n.js";
import { h, formatTime, today, twoTapButton, problemItems } from "../app/ui.js";
import { term, section, itemName, fieldAt } from "../app/catalogue.js";
import { fieldRenderer } from "../app/form-fields.js";
import { words } from "./hq.js";
import { periodOf, filterDeadlines, countByStatus, searchVisits, figuresView, figuresParams, narrowTo } from "./state.js";
import { rectificationDeadlines, closureRecord, findingKey } from "../app/rectification.js";
import { say } from "./text.js";
import { saveAs, reportDocx, csvBlob, parseCsv, xlsxBlob } from "./downloads.js";

export function signIn(app, done) {
  const error = h("p", { class: "error", id: "sign-in-error", role: "alert" });
  const form = h("form", { id: "sign-in", class: "card narrow" },
    h("h1", {}, say("brand")),
    h("p", { class: "hint" }, say("signInHint")),
    h("label", {}, say("login"), h("input", { name: "login", autocomplete: "username", required: true })),
    h("label", {}, say("password"), h("input", { name: "password", type: "password", autocomplete: "current-password", required: true })),
    error,
    h("button", { type: "submit", class: "primary" }, say("signIn")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    try {
      await app.hq.signIn(form.login.value.trim(), form.password.value);
      done();
    } catch (err) {
      error.textContent = words(err);
    }
  });
  return h("main", { class: "sign-in-page" }, form);
}

/** First run: make the bureau and its first staff account with the code HQ printed, then sign in as it. */
export function setup(app, done) {
  const code = new URLSearchParams(location.hash.split("?")[1] ?? "").get("code") ?? "";
  const error = h("p", { class: "error", id: "setup-error", role: "alert" });
  const form = h("form", { id: "setup", class: "card narrow" },
    h("h1", {}, say("firstRun")),
    h("p", { class: "hint" }, say("firstRunHint")),
    h("label", {}, say("bureauName"), h("input", { name: "bureau", required: true, placeholder: "福州市鼓楼区市场监督管理局" })),
    h("label", {}, say("login"), h("input", { name: "login", required: true, autocomplete: "username" })),
    h("label", {}, say("name"), h("input", { name: "name", required: true })),
    h("label", {}, say("password"), h("input", { name: "password", type: "password", minlength: "8", required: true, autocomplete: "new-password" })),
    error,
    h("button", { type: "submit", class: "primary" }, say("create")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(form));
    try {
      await app.hq.setUp({ code, bureau: String(f.bureau), login: String(f.login), name: String(f.name), password: String(f.password) });
      await app.hq.signIn(String(f.login), String(f.password));
      done();
    } catch (err) {
      error.textContent = words(err);
    }
  });
  return h("main", { class: "sign-in-page" }, form);
}

// ---- figures and report paragraphs ------------------------------------------------

/**
 * Sampling by product category and special equipment by kind, as the core
 * counts them: the lines a report writes as "服装鞋帽202个批次，69个批次不合格".
 * @param {import("../../../pkg/console/xuncha_console.js").Figures} f
 */
function breakdowns(f) {
  const table = (/** @type {string} */ id, /** @type {string[]} */ heads, /** @type {(string | number)[][]} */ rows) =>
    h("table", { class: "board", id }, h("thead", {}, h("tr", {}, heads.map((x, i) => h("th", { class: i ? "num" : "" }, x)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, r.map((x, i) => h("td", { class: i ? "num" : "" }, String(x)))))));
  const sampling = f.sampling.byCategory;
  const equipment = f.equipment.byKind;
  if (!sampling.length && !equipment.length) return null;
  return h("div", { class: "card breakdowns" },
    sampling.length ? h("div", {}, h("h2", {}, say("byProductCategory")),
      table("by-category", [say("productCategory"), say("batches"), say("failedBatches"), say("pendingResults")], sampling.map((c) => [tx(c.label), c.batches, c.failed, c.pendingResults]))) : null,
    equipment.length ? h("div", {}, h("h2", {}, say("byEquipmentKind")),
      table("by-equipment-kind", [say("equipmentKind"), say("equipment"), say("hazards")], equipment.map((k) => [tx(k.label), k.units, k.hazards]))) : null);
}

/** The report's paragraphs, in the order a bureau writes them. */
const PARAGRAPHS = ["total", "price", "metrology", "equipment", "sampling"];

/**
 * One figure, opening the records that make it up: `count` is the core's count
 * behind it (a field of `Figures.counts`), `word` the figure's name in text.js.
 */
const figure = (id, word, value, count, where) =>
  h("a", { class: "figure", id: `fig-${id}`, href: `#/behind?count=${count}&figure=${word}&${where}`, title: say("openRecords") },
    h("span", { class: "value" }, String(value)), h("span", { class: "label" }, say(word)));

export async function figures(app) {
  const view = figuresView(new URLSearchParams(location.hash.split("?")[1] ?? ""), today());
  const { kind, asOf } = view;
  const period = periodOf(kind, asOf);
  // Summed here from the bureau's digests (cached, brought up to date): switching period or grouping asks HQ nothing.
  const { offline } = await app.figuresReady();
  const summary = app.figures.summary({ period, asOf, scope: view.scope, groupBy: view.groupBy });
  // In the bureau's own phrasing (its report template; kept for offline use).
  const { template } = await app.hq.reportTemplate();
  const report = app.core.reportParagraphs(summary, template);
  const f = summary.figures;
  const kindLabel = (/** @type {string} */ k) => tx(term(app.catalogue, "checkKinds", k)) || k;
  const picker = h("form", { class: "picker", id: "period-picker" },
    h("label", {}, say("period"), h("select", { name: "kind" }, ["month", "quarter", "half", "year"].map((k) => h("option", { value: k, selected: k === kind }, say(k))))),
    h("label", {}, say("asOf"), h("input", { type: "date", name: "asOf", value: asOf })),
    h("label", {}, say("checkKind"), h("select", { name: "checkKind" }, h("option", { value: "" }, say("allKinds")),
      ["price", "metrology", "equipment", "sampling"].map((k) => h("option", { value: k, selected: view.scope.kind === k }, kindLabel(k))))),
    h("label", {}, say("groupBy"), h("select", { name: "groupBy" }, h("option", { value: "" }, say("noGrouping")),
      ["market", "officer", "operator", "kind", "month"].map((g) => h("option", { value: g, selected: view.groupBy === g }, say(`by_${g}`))))),
    h("button", { type: "submit", class: "primary" }, say("show")));
  picker.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(picker);
    location.hash = `#/?${figuresParams(view, {
      kind: /** @type {any} */ (data.get("kind")),
      asOf: String(data.get("asOf")),
      groupBy: /** @type {any} */ (data.get("groupBy") || undefined),
      scope: { kind: /** @type {any} */ (data.get("checkKind") || undefined) },
    })}`;
  });
  const where = figuresParams(view);
  // The scope narrowed to one market, officer or operator, each undone in one tap.
  const scopeNames = /** @type {const} */ (["market", "officer", "operator"]);
  const narrowed = scopeNames.filter((k) => view.scope[k]);
  const scopeBar = narrowed.length ? h("p", { class: "scope-bar", id: "scope-bar" }, say("scope"), "：",
    narrowed.map((k) => h("a", { class: "chip", href: `#/?${figuresParams({ ...view, scope: { ...view.scope, [k]: undefined } })}`, title: say("widen"), dataset: { scope: k } },
      `${say(`by_${k}`)} ${view.scope[k]} ✕`))) : null;
  const groupTable = summary.groups.length ? h("div", { class: "card", id: "groups" }, h("h2", {}, say(`by_${view.groupBy}`)),
    h("table", { class: "board" },
      h("thead", {}, h("tr", {}, h("th", {}, say("group")), h("th", { class: "num" }, say("visits")), h("th", { class: "num" }, say("violations")), h("th", { class: "num" }, say("ordered")), h("th", { class: "num" }, say("onTimeRate")))),
      h("tbody", {}, summary.groups.map((g) => {
        const behindOf = (/** @type {string} */ count, /** @type {string} */ word, /** @type {string | number} */ value) =>
          h("a", { href: `#/behind?count=${count}&figure=${word}&group=${encodeURIComponent(g.key)}&${where}` }, String(value));
        const label = g.label || g.key || "—";
        return h("tr", { class: "group-row", dataset: { key: g.key } },
          h("td", {}, h("a", { class: "group-label", href: `#/?${figuresParams(view, narrowTo(view, g.key))}` }, view.groupBy === "kind" ? kindLabel(g.key) : label)),
          h("td", { class: "num" }, behindOf("visits", "visits", g.figures.visits)),
          h("td", { class: "num" }, behindOf("violations", "violations", g.figures.violations)),
          h("td", { class: "num" }, behindOf("rectOrdered", "ordered", g.figures.rectification.ordered)),
          h("td", { class: "num" }, behindOf("rectOnTime", "onTimeRate", g.figures.rectification.onTimeRate.display)));
      })))) : null;
  const chart = h("div", { class: "chart", role: "img", "aria-label": say("trend") });
  chart.innerHTML = app.core.trendChartSvg(summary);
  const paragraph = (key) => {
    const text = tx(report[key]);
    const button = h("button", { type: "button", class: "copy", dataset: { key }, onclick: async () => {
      await navigator.clipboard?.writeText(text).catch(() => {});
      button.textContent = say("copied");
    } }, say("copy"));
    return h("div", { class: "paragraph", dataset: { key } }, h("p", {}, text), button);
  };
  return h("section", { id: "figures" },
    h("div", { class: "screen-head" }, h("h1", {}, `${tx(summary.period.label)} · ${say("figures")}`), picker),
    offline ? h("p", { class: "note", id: "figures-offline", role: "status" }, say("figuresOffline")) : null,
    scopeBar,
    summary.drafts ? h("p", { class: "muted" }, say("drafts", { n: summary.drafts })) : null,
    h("div", { class: "figures" },
      figure("visits", "visits", f.visits, "visits", where),
      figure("operators", "operators", f.operators, "visits", where),
      figure("markets", "markets", f.markets, "inMarket", where),
      figure("deployments", "deployments", f.officerDeployments, "officerDeployments", where),
      figure("with-violations", "withViolations", f.visitsWithViolations, "withViolations", where),
      figure("violations", "violations", f.violations, "violations", where),
      figure("cases", "casesToOpen", f.casesToOpen, "toCase", where),
      figure("compliance", "complianceRate", f.complianceRate.display, "compliant", where),
      figure("price", "priceChecks", f.price.checks, "priceChecks", where),
      figure("instruments", "instruments", f.metrology.instruments, "instruments", where),
      figure("failed-instruments", "failedInstruments", f.metrology.failed, "instrumentsFailed", where),
      figure("failed-instrument-operators", "failedInstrumentOperators", f.metrology.failedOperators, "instrumentsFailed", where),
      figure("equipment", "equipment", f.equipment.units, "equipment", where),
      figure("hazards", "hazards", f.equipment.hazards, "equipmentHazards", where),
      figure("batches", "batches", f.sampling.batches, "samples", where),
      figure("failed-batches", "failedBatches", f.sampling.failed, "samplesFailed", where),
      figure("ordered", "ordered", f.rectification.ordered, "rectOrdered", where),
      figure("on-time", "onTimeRate", f.rectification.onTimeRate.display, "rectOnTime", where),
      figure("overdue", "overdue", f.rectification.overdue, "rectOverdue", where)),
    groupTable,
    breakdowns(f),
    h("div", { class: "card" }, h("h2", {}, say("trend")), chart),
    h("div", { class: "card", id: "paragraphs" }, h("h2", {}, say("paragraphs")), PARAGRAPHS.map(paragraph),
      h("div", { class: "downloads" },
        h("button", { type: "button", id: "download-docx", onclick: async () => {
          const title = `${tx(summary.period.label)}${say("reportTitle")}`;
          saveAs(await reportDocx(title, PARAGRAPHS.map((k) => report[k].zh)), `${title}.docx`);
        } }, say("downloadDocx")),
        h("button", { type: "button", id: "download-summary-csv", onclick: () => saveAs(csvBlob(app.core.summaryCsv(summary)), `${period}-统计表.csv`) }, say("downloadSummaryCsv")),
        h("button", { type: "button", id: "download-findings-csv", onclick: async () => saveAs(csvBlob(await app.hq.findingsCsv(asOf)), `${asOf}-问题清单.csv`) }, say("downloadFindingsCsv")),
        h("button", { type: "button", id: "download-summary-xlsx", onclick: async () => saveAs(await xlsxBlob(parseCsv(app.core.summaryCsv(summary))), `${period}-统计表.xlsx`) }, say("downloadSummaryXlsx")),
        h("button", { type: "button", id: "download-findings-xlsx", onclick: async () => saveAs(await xlsxBlob(parseCsv(await app.hq.findingsCsv(asOf))), `${asOf}-问题清单.xlsx`) }, say("downloadFindingsXlsx")))));
}

// ---- the records behind a figure ---------------------------------------------------------

/**
 * Every record that makes up one figure of the period, and what each adds to
 * it: the core counts from the bureau's records (the same counting HQ's
 * figures use), each row opening the record.
 */
export async function behind(app) {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const view = figuresView(params, today());
  const { kind, asOf } = view;
  const count = /** @type {keyof import("../../../pkg/console/xuncha_console.js").Counts} */ (params.get("count") ?? "visits");
  const word = params.get("figure") ?? "visits";
  const group = params.get("group") ?? undefined;
  const query = { period: periodOf(kind, asOf), asOf, scope: view.scope, groupBy: view.groupBy };
  // The period named as the core names it (“2026年下半年”): a summary of nothing costs nothing.
  const periodLabel = tx(app.core.summarise([], { query }).period.label);
  // From the same digests as the figures: the rows add up to the figure tapped.
  await app.figuresReady();
  const shares = app.figures.recordsBehind(query, count, group);
  const total = shares.reduce((n, s) => n + s.count, 0);
  return h("section", { id: "behind", dataset: { count, total: String(total) } },
    h("div", { class: "screen-head" }, h("a", { href: `#/?${figuresParams(view)}`, class: "button" }, "‹ ", say("back")),
      h("h1", {}, `${say(word)} · ${periodLabel}${group ? ` · ${group}` : ""}`)),
    h("p", { class: "muted", id: "behind-total" }, say("recordsBehind", { n: shares.length, total })),
    shares.length === 0 ? h("p", { class: "muted" }, say("noMatch")) :
    h("table", { class: "board" },
      h("thead", {}, h("tr", {}, h("th", {}, say("started")), h("th", {}, say("operator")), h("th", {}, say("site")), h("th", {}, say("officers")), h("th", { class: "num" }, say("adds")))),
      h("tbody", {}, shares.map((s) => {
        const d = app.figures.digest(s.visitId);
        return h("tr", { class: "behind-row", dataset: { id: s.visitId, count: String(s.count) } },
          h("td", {}, s.date),
          h("td", {}, h("a", { href: `#/record/${s.visitId}` }, d?.operatorName || s.visitId)),
          h("td", {}, d?.site ?? ""),
          h("td", {}, (d?.officers ?? []).map((o) => o.name).filter(Boolean).join("、")),
          h("td", { class: "num" }, String(s.count)));
      }))));
}

// ---- deadlines board ---------------------------------------------------------------

export async function deadlines(app) {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const filter = { status: params.get("status") ?? "", kind: params.get("kind") ?? "" };
  const { deadlines: rows } = await app.hq.deadlines(today());
  const shown = filterDeadlines(rows, filter);
  const counts = countByStatus(rows);
  const kinds = [...new Set(rows.map((r) => r.deadline.kind))];
  const statusLabel = (s) => tx(term(app.catalogue, "deadlineStatuses", s)) || s;
  const select = (name, all, values, label) => h("select", { name, "aria-label": all, onchange: (e) => {
    const next = new URLSearchParams({ ...filter, [name]: /** @type {HTMLSelectElement} */ (e.target).value });
    location.hash = `#/deadlines?${next}`;
  } }, h("option", { value: "" }, all), values.map((v) => h("option", { value: v, selected: filter[name] === v }, label(v))));
  const kindLabel = (k) => tx(term(app.catalogue, "deadlineKinds", k)) || k;
  return h("section", { id: "deadlines" },
    h("div", { class: "screen-head" }, h("h1", {}, say("deadlines")),
      h("div", { class: "filters" },
        select("status", say("allStatuses"), ["overdue", "open"], (s) => `${statusLabel(s)}（${counts[s] ?? 0}）`),
        select("kind", say("allKinds"), kinds, kindLabel))),
    shown.length === 0 ? h("p", { class: "muted", id: "no-deadlines" }, say("noDeadlines")) :
    h("table", { class: "board" },
      h("thead", {}, h("tr", {}, h("th", {}, say("due")), h("th", {}, say("status")), h("th", {}, say("limit")), h("th", {}, say("operator")))),
      h("tbody", {}, shown.map((r) => h("tr", { class: `deadline ${r.deadline.status}`, dataset: { code: r.deadline.code, status: r.deadline.status, visit: r.visitId } },
        h("td", {}, r.deadline.due),
        h("td", {}, h("span", { class: `badge ${r.deadline.status}` }, statusLabel(r.deadline.status))),
        h("td", {}, tx(r.deadline.title),
          // The action that closes a lab limit: entering the sample's result.
          (r.deadline.kind === "labDelivery" || r.deadline.kind === "labReport") && r.deadline.itemId
            ? [" ", h("a", { class: "action", href: `#/lab/${r.visitId}/${r.deadline.itemId}` }, say("enterLabResult"))]
            // …and a rectification's: closing it on the documents the operator sent in.
            : r.deadline.kind === "rectification" ? [" ", h("a", { class: "action", href: `#/rectify/${r.visitId}` }, say("closeOnDocuments"))]
            // …and a 双随机 result's: recording it published, on its plan.
            : r.deadline.kind === "publication" && r.planId ? [" ", h("a", { class: "action", href: `#/plan/${encodeURIComponent(r.planId)}` }, say("recordPublished"))] : null),
        h("td", {}, h("a", { class: "record-link", href: `#/record/${r.visitId}` }, r.operator ?? r.visitId)))))));
}

// ---- records -------------------------------------------------------------------------

/**
 * The records of one kind among the bureau's (as a staff pull gives them), those of one visit if named.
 * @param {{ kind: string, record: any }[]} all @param {string} kind @param {string} [visitId]
 */
function recordsOf(all, kind, visitId) {
  return all.filter((c) => c.kind === kind && (visitId === undefined || c.record.visitId === visitId)).map((c) => c.record);
}

async function bureauRecords(app) {
  app.records = await app.hq.records();
  return app.records;
}

export async function records(app) {
  const all = (await bureauRecords(app)).filter((c) => c.kind === "visit").map((c) => c.record);
  const query = new URLSearchParams(location.hash.split("?")[1] ?? "").get("q") ?? "";
  const { finalised, drafts } = searchVisits(all, query);
  const row = (v) => h("li", { class: "record-row", dataset: { id: v.id } },
    h("a", { href: `#/record/${v.id}` }, h("strong", {}, v.operator?.name ?? "—"), h("span", { class: "muted" }, ` ${v.site?.name ?? ""} · ${formatTime(v.finalisedAt ?? v.startedAt)}`)));
  const search = h("input", { type: "search", id: "search", value: query, placeholder: say("search"), "aria-label": say("search") });
  search.addEventListener("change", () => (location.hash = `#/records?q=${encodeURIComponent(search.value)}`));
  return h("section", { id: "records", dataset: { q: query } },
    h("div", { class: "screen-head" }, h("h1", {}, say("records")), search),
    finalised.length + drafts.length === 0 ? h("p", { class: "muted" }, say("noMatch")) : null,
    h("h2", {}, say("finalisedVisits", { n: finalised.length })), h("ul", { class: "records", id: "finalised-list" }, finalised.map(row)),
    drafts.length ? [h("h2", {}, say("draftVisits", { n: drafts.length })), h("ul", { class: "records", id: "draft-list" }, drafts.map(row))] : null);
}

export async function record(app, id) {
  const found = (app.records ?? (await bureauRecords(app))).find((c) => c.id === id);
  if (!found) return h("p", { class: "error" }, say("notFound"));
  const v = found.record;
  const followUps = recordsOf(app.records ?? [], "sampleFollowUp", id);
  const rechecks = recordsOf(app.records ?? [], "rectification", id);
  const ev = app.core.evaluateVisit(v, { asOf: today(), followUps, rectifications: app.core.rectificationsOf(rechecks) });
  const { revisions, conflicts } = await app.hq.revisions(id);
  let docs = null;
  if (v.status === "finalised") docs = await app.hq.documents(id).catch(() => null);
  const row = (label, value) => h("tr", {}, h("th", {}, label), h("td", {}, value ?? "—"));
  return h("section", { id: "record", dataset: { id } },
    h("div", { class: "screen-head" }, h("a", { href: "#/records", class: "button" }, "‹ ", say("back")), h("h1", {}, v.operator?.name ?? id)),
    h("div", { class: "card" }, h("table", { class: "facts" },
      row(say("creditCode"), v.operator?.creditCode),
      row(say("site"), v.site?.name),
      row(say("started"), formatTime(v.startedAt)),
      row(say("officers"), (v.officers ?? []).map((o) => `${o.name ?? ""}（${o.certificateNo ?? ""}）`).join("、")))),
    h("div", { class: "card" }, h("h2", {}, say("findings")),
      ev.findings.length ? h("ul", { class: "findings", id: "record-findings" }, ev.findings.map((f) => h("li", { dataset: { code: f.code } }, h("strong", {}, tx(f.title)), " ", tx(f.message),
        h("div", { class: "muted" }, `${say("basis")}：`, f.basis.map((b) => `《${tx(b.law)}》${tx(b.article)}`).join("；"))))) : h("p", {}, say("noFindings"))),
    (v.samples ?? []).length ? h("div", { class: "card", id: "record-samples" }, h("h2", {}, say("samples")),
      h("ul", {}, v.samples.map((s) => {
        const fu = followUps.find((f) => f.sampleId === s.id);
        return h("li", { dataset: { sample: s.id } }, `${itemName(section(app.catalogue, "samples"), s) ?? s.sampleNo ?? s.id} `,
          fu?.labResult ? h("span", { class: "muted" }, `${fu.labResult.reportNo ?? ""} `) : null,
          h("a", { class: "button", href: `#/lab/${id}/${s.id}` }, fu?.labResult ? say("editLabResult") : say("enterLabResult")));
      }))) : null,
    rectificationsCard(app, id, ev, rechecks),
    docs ? h("div", { class: "card", id: "record-documents" }, h("h2", {}, say("documents")),
      h("ul", {}, docs.documents.map((d) => h("li", { dataset: { key: d.key } }, tx(d.title), d.number ? h("span", { class: "muted" }, ` ${d.number}`) : null)))) : null,
    h("div", { class: "card" }, h("h2", {}, say("revisions")),
      h("table", { class: "board", id: "revisions" },
        h("thead", {}, h("tr", {}, h("th", {}, say("received")), h("th", {}, say("device")), h("th", {}, say("status")), h("th", {}, say("revision")))),
        h("tbody", {}, revisions.map((r) => h("tr", {}, h("td", {}, formatTime(r.receivedAt)), h("td", {}, r.deviceId), h("td", {}, r.record.status === "finalised" ? t("finalised") : r.record.status === "draft" ? t("draft") : r.record.status ?? ""), h("td", { class: "mono" }, r.revision.slice(-8)))))),
      conflicts.length ? conflictsCard(app, id, revisions[revisions.length - 1]?.record ?? v, conflicts) : null));
}

/**
 * A record's conflicting versions: for each still open, what it says against
 * the current version field by field (the core's differences, the catalogue's
 * labels), and the choice — take it, or keep the current one; the settled ones
 * with how they were settled.
 */
function conflictsCard(app, /** @type {string} */ id, /** @type {any} */ current, /** @type {any[]} */ conflicts) {
  const message = h("p", { id: "conflict-outcome", role: "status" });
  const resolve = async (/** @type {any} */ c, /** @type {boolean} */ take) => {
    try {
      await app.hq.resolveConflict(id, c.revision, take);
      app.records = null;
      dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      message.className = "error";
      message.textContent = words(err);
    }
  };
  const name = (/** @type {string} */ ptr) => {
    const at = fieldAt(app.catalogue, ptr);
    if (!at) return ptr;
    const item = at.index === undefined ? "" : say("itemNo", { n: at.index + 1 });
    return [tx(at.section.title), item, at.field ? tx(at.field.label) : ""].filter(Boolean).join(" · ");
  };
  const shown = (/** @type {unknown} */ x) => (x === undefined || x === null ? "—" : x === true ? say("yes") : x === false ? say("no") : typeof x === "object" ? JSON.stringify(x) : String(x));
  return h("div", { class: "conflicts", id: "conflicts" },
    h("h3", {}, say("conflicts")),
    message,
    conflicts.map((c) => {
      const head = h("p", {}, `${formatTime(c.receivedAt)} · ${c.deviceId} · ${c.revision.slice(-8)}`);
      if (c.resolution) return h("div", { class: "conflict settled", dataset: { revision: c.revision, resolution: c.resolution } }, head, h("p", { class: "ok-note" }, say(c.resolution === "taken" ? "conflictTaken" : "conflictKept", { at: formatTime(c.resolvedAt) })));
      const diffs = app.core.recordDifferences(current, c.record).filter((d) => !["/updatedAt", "/savedAt"].includes(d.path));
      return h("div", { class: "conflict open", dataset: { revision: c.revision } }, head,
        h("table", { class: "board compact" },
          h("thead", {}, h("tr", {}, h("th", {}, say("field")), h("th", {}, say("currentVersion")), h("th", {}, say("thisVersion")))),
          h("tbody", {}, diffs.map((d) => h("tr", { dataset: { path: d.path } }, h("td", {}, name(d.path)), h("td", {}, shown(d.before)), h("td", {}, shown(d.after)))))),
        h("div", { class: "inline" },
          c.record?.status === "draft" && current?.status !== "finalised" ? h("button", { type: "button", class: "primary", dataset: { act: "take" }, onclick: () => resolve(c, true) }, say("takeVersion")) : h("span", { class: "muted" }, say("settleOnTablet")),
          h("button", { type: "button", dataset: { act: "keep" }, onclick: () => resolve(c, false) }, say("keepCurrent"))));
    }));
}

/**
 * A visit's rectifications: each finding ordered corrected with its deadline as
 * the core judges it, the re-inspections and closures recorded, and the way to
 * close the rest on documents.
 */
function rectificationsCard(app, visitId, ev, rechecks) {
  const { waiting, met } = rectificationDeadlines(ev);
  if (!waiting.length && !met.length) return null;
  const terms = app.core.rectificationTerms();
  const label = (list, v) => tx(list.find((x) => x.value === v)?.label ?? { zh: v, en: v });
  return h("div", { class: "card", id: "record-rectifications" }, h("h2", {}, say("rectifications")),
    h("ul", {}, [...waiting, ...met].map((d) => h("li", { dataset: { code: d.code, path: d.path, status: d.status } },
      h("span", { class: `badge ${d.status}` }, tx(term(app.catalogue, "deadlineStatuses", d.status)) || d.status), " ", tx(d.title),
      h("span", { class: "muted" }, ` ${say("due")} ${d.due}${d.doneOn ? ` · ${say("rectifiedOn")} ${d.doneOn}` : ""}`)))),
    rechecks.length ? h("ul", { class: "rechecks" }, rechecks.map((r) => h("li", { dataset: { method: r.method } },
      `${r.checkedOn ?? ""} ${label(terms.methods, r.method)}：`,
      (r.items ?? []).map((i) => label(terms.outcomes, i.outcome)).join("、"),
      r.reason ? h("span", { class: "muted" }, ` · ${r.reason}`) : null))) : null,
    waiting.length ? h("a", { class: "button primary", href: `#/rectify/${visitId}`, id: "close-on-documents" }, say("closeOnDocuments")) : null);
}

/**
 * Close a visit's rectifications on the documents the operator sent in: the
 * findings still waiting (all chosen at first), the documents' day and the
 * reason, checked by the core, saved at HQ as a rectification record.
 */
export async function rectify(app, visitId) {
  const all = app.records ?? (await bureauRecords(app));
  const visit = all.find((c) => c.kind === "visit" && c.id === visitId)?.record;
  if (!visit) return h("p", { class: "error" }, say("notFound"));
  const rechecks = recordsOf(all, "rectification", visitId);
  const ev = app.core.evaluateVisit(visit, { asOf: today(), followUps: [], rectifications: app.core.rectificationsOf(rechecks) });
  const { waiting } = rectificationDeadlines(ev);
  const outcome = h("div", { id: "rectify-outcome", role: "status" });
  const problems = h("ul", { class: "problems", id: "rectify-problems" });
  const day = h("input", { type: "date", name: "checkedOn", value: today(), max: today(), id: "rectify-day" });
  const reason = h("textarea", { name: "reason", id: "rectify-reason", rows: "3", placeholder: say("reasonHint") });
  const boxes = waiting.map((d) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "finding", value: findingKey(d), checked: true }), " ", tx(d.title), h("span", { class: "muted" }, ` ${say("due")} ${d.due}`)));
  const form = h("form", { id: "rectify-form", class: "card form-grid" },
    h("fieldset", { class: "span" }, h("legend", {}, say("findingsToClose")), boxes),
    h("label", { class: "field" }, say("documentsDay"), day),
    h("label", { class: "field span" }, say("reason"), reason),
    problems,
    outcome,
    h("button", { type: "submit", class: "primary", id: "save-rectify" }, say("closeOnDocuments")));
  // What was said about the last try goes once the clerk changes anything.
  form.addEventListener("input", () => (problems.replaceChildren(), (outcome.textContent = "")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const chosen = new Set(new FormData(form).getAll("finding").map(String));
    const record = closureRecord({ id: app.core.newId(), visitId, schemaVersion: app.core.schemaVersion(), checkedOn: day.value }, reason.value, waiting.filter((d) => chosen.has(findingKey(d))));
    const show = (list) => problems.replaceChildren(...problemItems({ problems: list }));
    const report = app.core.validateRectification(record);
    show(report.problems);
    if (!report.ok) return (outcome.textContent = say("fixProblems", { n: report.errorCount }));
    try {
      const result = await app.hq.saveRectification(record);
      if (result.status === "accepted" || result.status === "alreadyApplied") {
        app.records = null; // read again: HQ holds a new record
        outcome.replaceChildren(say("rectificationClosed"), " ", h("a", { href: `#/record/${visitId}` }, say("openRecord")));
        outcome.className = "ok-note";
        form.querySelector("#save-rectify")?.setAttribute("disabled", "");
      } else {
        show(result.problems ?? []);
        outcome.textContent = result.message ? tx(result.message) : say("fixProblems", { n: (result.problems ?? []).length });
      }
    } catch (err) {
      outcome.textContent = words(err);
    }
  });
  return h("section", { id: "rectify", dataset: { visit: visitId } },
    h("div", { class: "screen-head" }, h("a", { href: `#/record/${visitId}`, class: "button" }, "‹ ", say("back")), h("h1", {}, `${say("closeOnDocuments")}：${visit.operator?.name ?? ""}`)),
    h("p", { class: "muted" }, `${visit.site?.name ?? ""} · ${formatTime(visit.startedAt)}`),
    waiting.length ? form : h("p", { class: "ok-note", id: "nothing-to-close" }, say("nothingToClose")));
}

// ---- lab results ---------------------------------------------------------------------

/**
 * A sample's follow-up (lab result, 复检, disposal), chosen from its visit: the
 * form the core's catalogue describes, checked by the core as the clerk types;
 * saved at HQ as the follow-up's next revision, which the officer's tablet pulls.
 */
export async function labResult(app, visitId, sampleId) {
  const all = app.records ?? (await bureauRecords(app));
  const visit = all.find((c) => c.id === visitId)?.record;
  const sample = visit?.samples?.find((s) => s.id === sampleId);
  if (!sample) return h("p", { class: "error" }, say("notFound"));
  const existing = all.find((c) => c.kind === "sampleFollowUp" && c.record.visitId === visitId && c.record.sampleId === sampleId)?.record;
  const record = structuredClone(existing ?? { schemaVersion: app.core.schemaVersion(), id: app.core.newId(), visitId, sampleId });
  /** @type {Map<string, HTMLElement>} */
  const registry = new Map();
  const outcome = h("div", { id: "lab-outcome", role: "status" });
  const place = (problems) => {
    for (const el of registry.values()) {
      el.classList.remove("has-error", "has-warning");
      el.querySelector(":scope > .field-problems")?.replaceChildren();
    }
    for (const p of problems) {
      let path = p.path;
      let el = registry.get(path);
      while (!el && path.includes("/")) el = registry.get((path = path.slice(0, path.lastIndexOf("/"))));
      el?.classList.add(p.severity === "error" ? "has-error" : "has-warning");
      el?.querySelector(":scope > .field-problems")?.append(h("p", { class: `problem ${p.severity}`, dataset: { code: p.code, path: p.path } }, tx(p.message)));
    }
  };
  const check = () => place(app.core.validateFollowUp(record).problems);
  const { field } = fieldRenderer({ registry, onChange: () => check() });
  const sec = app.catalogue.followUp;
  const form = h("form", { id: "lab-form", class: "card form-grid" },
    sec.fields.map((f) => field(f, record, "", undefined)),
    outcome,
    h("button", { type: "submit", class: "primary", id: "save-lab" }, say("save")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const report = app.core.validateFollowUp(record);
    place(report.problems);
    if (!report.ok) return (outcome.textContent = say("fixProblems", { n: report.errorCount }));
    try {
      const result = await app.hq.saveFollowUp(JSON.parse(JSON.stringify(record)));
      if (result.status === "accepted" || result.status === "alreadyApplied") {
        app.records = null; // read again: HQ holds a new revision
        outcome.textContent = say("labSaved");
        outcome.className = "ok-note";
      } else {
        place(result.problems ?? []);
        outcome.textContent = result.message ? tx(result.message) : say("fixProblems", { n: (result.problems ?? []).length });
      }
    } catch (err) {
      outcome.textContent = words(err);
    }
  });
  check();
  return h("section", { id: "lab", dataset: { visit: visitId, sample: sampleId } },
    h("div", { class: "screen-head" }, h("a", { href: `#/record/${visitId}`, class: "button" }, "‹ ", say("back")),
      h("h1", {}, `${tx(sec.title)}：${itemName(section(app.catalogue, "samples"), sample) ?? sample.sampleNo ?? ""}`)),
    h("p", { class: "muted" }, `${visit.operator?.name ?? ""} · ${sample.sampleNo ?? ""} · ${formatTime(visit.startedAt)}`),
    form);
}

// ---- rulebooks -------------------------------------------------------------------------

/**
 * A new rulebook: the clerk chooses the file, reads what it changes against the
 * one in force (HQ's diff by the core: each rule's changes in words, calendar
 * years), and only then publishes it.
 */
export function rulebook(app) {
  const outcome = h("div", { id: "rulebook-outcome", role: "status" });
  const diffBox = h("div", { id: "rulebook-diff" });
  // The browser's own file control speaks the browser's language: a button in ours instead.
  const input = h("input", { type: "file", accept: ".json,application/json", id: "rulebook-file", class: "visually-hidden" });
  const chosenName = h("span", { class: "muted", id: "rulebook-chosen" });
  let chosen = /** @type {unknown} */ (undefined);
  const fail = (/** @type {unknown} */ err) => {
    outcome.textContent = words(err);
    outcome.className = "error";
  };
  input.addEventListener("change", async () => {
    diffBox.replaceChildren();
    outcome.textContent = "";
    const file = input.files?.[0];
    chosenName.textContent = file?.name ?? "";
    if (!file) return;
    try {
      chosen = JSON.parse(await file.text());
    } catch {
      return fail(new Error(say("notJson")));
    }
    try {
      const d = await app.hq.previewRulebook(chosen);
      const years = (/** @type {number[]} */ list) => list.join("、") || "—";
      diffBox.replaceChildren(...[
        h("p", { id: "rulebook-versions" }, say("rulebookVersions", { from: d.fromVersion, to: d.toVersion })),
        d.unchanged ? h("p", { class: "ok-note", id: "rulebook-unchanged" }, say("rulebookUnchanged")) : null,
        d.rulesChanged.length ? h("div", { class: "card" }, h("h2", {}, say("rulesChanged", { n: d.rulesChanged.length })),
          h("ul", { id: "rules-changed" }, d.rulesChanged.map((/** @type {any} */ r) => h("li", { dataset: { code: r.code } }, h("strong", {}, tx(r.title)), h("span", { class: "muted" }, ` ${r.code}`),
            h("ul", {}, r.changes.map((/** @type {any} */ c) => h("li", {}, tx(c)))))))) : null,
        [...d.rulesAdded, ...d.rulesRemoved].length ? h("p", {}, say("rulesAddedRemoved", { added: d.rulesAdded.map((/** @type {any} */ r) => r.code).join("、") || "—", removed: d.rulesRemoved.map((/** @type {any} */ r) => r.code).join("、") || "—" })) : null,
        h("p", { id: "calendar-years" }, say("calendarYears", { added: years(d.calendarYearsAdded), removed: years(d.calendarYearsRemoved), changed: years(d.calendarYearsChanged) })),
        h("button", { type: "button", class: "primary", id: "publish-rulebook", onclick: async () => {
          try {
            const { version } = await app.hq.publishRulebook(chosen);
            outcome.textContent = say("rulebookPublished", { version });
            outcome.className = "ok-note";
            document.getElementById("publish-rulebook")?.setAttribute("disabled", "");
          } catch (err) {
            fail(err);
          }
        } }, say("publishRulebook", { version: d.toVersion }))].filter((x) => x !== null));
    } catch (err) {
      fail(err);
    }
  });
  return h("section", { id: "rulebook" },
    h("div", { class: "screen-head" }, h("h1", {}, say("rulebook"))),
    h("p", { class: "hint" }, say("rulebookHint")),
    h("div", { class: "card file-choice" }, h("label", { class: "button primary" }, input, say("chooseRulebook")), chosenName),
    outcome,
    diffBox);
}

// ---- accounts and devices -----------------------------------------------------------

/** The bureau's accounts and their devices: the admin command's operations, for staff. */
export async function accounts(app) {
  const { accounts: list } = await app.hq.accounts();
  // Staff never lock themselves out (HQ refuses it too): no such buttons on their own row and device.
  const me = (await app.hq.session())?.user?.login;
  const myDevice = await app.hq.deviceId();
  const message = h("p", { id: "accounts-message", role: "status" });
  const act = async (/** @type {() => Promise<unknown>} */ run) => {
    try {
      await run();
      dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      message.textContent = words(err);
      message.className = "error";
    }
  };
  const create = h("form", { id: "new-account", class: "card form-grid" },
    h("h2", { class: "span" }, say("newAccount")),
    h("label", { class: "field" }, say("login"), h("input", { name: "login", required: true, autocomplete: "off" })),
    h("label", { class: "field" }, say("name"), h("input", { name: "name", required: true, autocomplete: "off" })),
    h("label", { class: "field" }, say("role"), h("select", { name: "role" }, h("option", { value: "officer" }, say("officer")), h("option", { value: "staff" }, say("staffRole")))),
    h("label", { class: "field" }, say("certificateNo"), h("input", { name: "certificateNo", autocomplete: "off" })),
    h("label", { class: "field" }, say("password"), h("input", { name: "password", type: "password", autocomplete: "new-password", minlength: "8", required: true })),
    h("button", { type: "submit", class: "primary" }, say("create")));
  create.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(create));
    act(() => app.hq.createAccount({ login: String(data.login), name: String(data.name), role: String(data.role), certificateNo: String(data.certificateNo || "") || undefined, password: String(data.password) }));
  });
  const row = (a) => {
    const password = h("input", { type: "password", name: "new-password", placeholder: say("newPassword"), "aria-label": `${say("newPassword")} ${a.login}`, autocomplete: "new-password" });
    return h("tr", { dataset: { login: a.login, disabled: String(a.disabled) } },
      h("td", {}, h("strong", {}, a.login), h("div", { class: "muted" }, a.name)),
      h("td", {}, a.role === "staff" ? say("staffRole") : say("officer"), a.certificateNo ? h("div", { class: "muted" }, a.certificateNo) : null),
      h("td", {}, h("span", { class: `badge ${a.disabled ? "overdue" : "ok"}` }, a.disabled ? say("disabled") : say("active")),
        a.login === me ? null : h("div", {}, h("button", { type: "button", class: "small", dataset: { act: a.disabled ? "enable" : "disable" }, onclick: () => act(() => app.hq.setDisabled(a.login, a.disabled ? "enable" : "disable")) }, a.disabled ? say("enable") : say("disable")))),
      h("td", {}, a.devices.length ? h("ul", { class: "devices" }, a.devices.map((d) => h("li", { dataset: { device: d.deviceId } },
        h("span", { class: "mono" }, d.deviceId), " ",
        d.revoked ? h("span", { class: "badge overdue" }, say("deviceRevoked")) : h("span", { class: "muted" }, say("liveSessions", { n: d.liveTokens })), " ",
        d.revoked || d.deviceId === myDevice ? null : twoTapButton({ class: "small revoke", dataset: { device: d.deviceId } }, say("revoke"), say("confirmRevoke"), () => act(() => app.hq.revokeDevice(d.deviceId)))))) : "—"),
      h("td", {}, h("div", { class: "inline" }, password, h("button", { type: "button", class: "small", dataset: { act: "password" }, onclick: () => act(() => app.hq.resetPassword(a.login, password.value)) }, say("setPassword")))));
  };
  return h("section", { id: "accounts" },
    h("div", { class: "screen-head" }, h("h1", {}, say("accounts"))),
    message,
    h("div", { class: "card" }, h("table", { class: "board", id: "account-list" },
      h("thead", {}, h("tr", {}, h("th", {}, say("login")), h("th", {}, say("role")), h("th", {}, say("state")), h("th", {}, say("devices")), h("th", {}, say("setPassword")))),
      h("tbody", {}, list.map(row)))),
    create);
}

// ---- re-running a published draw (public) -------------------------------------------

/** Anyone re-runs a published 双随机 draw in the browser, with the same core as HQ. */
export function drawCheck(app) {
  const out = h("div", { id: "draw-result" });
  const form = h("form", { id: "draw-form", class: "card" },
    h("h1", {}, say("drawCheck")),
    h("p", { class: "hint" }, say("drawCheckHint")),
    h("label", { class: "field" }, say("drawInputs"), h("textarea", { name: "inputs", rows: "8", spellcheck: "false", required: true })),
    h("label", { class: "field" }, say("seed"), h("input", { name: "seed", autocomplete: "off", required: true, class: "mono" })),
    h("label", { class: "field" }, say("commitmentLabel"), h("input", { name: "commitment", autocomplete: "off", required: true, class: "mono" })),
    h("button", { type: "submit", class: "primary" }, say("runDraw")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(form);
    try {
      const result = app.core.runDraw(JSON.parse(String(f.get("inputs"))), String(f.get("seed")).trim(), String(f.get("commitment")).trim());
      const inputs = JSON.parse(String(f.get("inputs")));
      const named = (no) => inputs.inspectors.find((i) => i.certificateNo === no)?.name ?? no;
      out.replaceChildren(
        h("div", { class: "card" },
          h("p", { class: "ok-note", id: "commitment-ok" }, "✔ ", say("commitmentOk")),
          h("p", {}, `${say("inputsHash")}：`, h("span", { class: "mono", id: "inputs-hash" }, result.inputsSha256))),
        ...result.matters.map((m) => h("div", { class: "card matter-draw", dataset: { matter: m.matter } },
          h("h2", {}, `${say("matter")} ${m.matter} · ${inputs.matters.find((x) => x.code === m.matter)?.title ?? ""}`),
          h("p", { class: "muted" }, say("eligibleCount", { n: m.eligible, k: m.eligibleKeyUnits })),
          h("table", { class: "board" },
            h("thead", {}, h("tr", {}, h("th", {}, say("target")), h("th", {}, say("keyUnit")), h("th", {}, say("inspectorsLabel")))),
            h("tbody", {}, m.picked.map((p) => h("tr", { dataset: { creditCode: p.creditCode } },
              h("td", {}, p.name, h("div", { class: "muted mono" }, p.creditCode)),
              h("td", {}, p.keyUnit ? "✔" : ""),
              h("td", {}, p.inspectors.length ? p.inspectors.map(named).join("、") : h("span", { class: "error" }, say("unstaffed"))))))),
          m.excluded.length ? h("p", { class: "muted" }, `${say("excludedLabel")}：`, m.excluded.map((x) => inputs.targets.find((t) => t.creditCode === x.creditCode)?.name ?? x.creditCode).join("、")) : null)));
    } catch (err) {
      out.replaceChildren(h("p", { class: "error", role: "alert", id: "draw-error" }, tx(err.messages) || String(err.message ?? err)));
    }
  });
  // A bureau's published link (…#/draw-check?plan=/api/v1/public/draws/B/P) fills the form from what it published.
  const published = new URLSearchParams(location.hash.split("?")[1] ?? "").get("plan");
  const source = h("p", { class: "muted", id: "draw-source" });
  if (published && published.startsWith("/api/v1/public/draws/")) {
    app.hq.publicPlan(published).then((p) => {
      /** @type {HTMLTextAreaElement} */ (form.querySelector('[name="inputs"]')).value = JSON.stringify(p.inputs, null, 2);
      /** @type {HTMLInputElement} */ (form.querySelector('[name="seed"]')).value = p.seed ?? "";
      /** @type {HTMLInputElement} */ (form.querySelector('[name="commitment"]')).value = p.seedCommitment;
      source.textContent = say("publishedBy", { bureau: p.bureau, title: [p.title, p.batch].filter(Boolean).join(" ") });
      if (!p.seed) source.textContent += ` ${say("notDrawnYet")}`;
    }, (err) => out.replaceChildren(h("p", { class: "error", role: "alert" }, String(err?.words?.zh ?? err?.message ?? err))));
  }
  return h("section", { id: "draw-check" }, source, form, out);
}
