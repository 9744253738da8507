// 双随机 in the console: the bureau's three lists (imported from a spreadsheet
// saved as CSV, read and checked by HQ's core), its plans, the draw with its
// seed and commitment, each plan's progress from the officers' visits, and the
// publication list. Reads and writes through app.hq only.
import { tx, getLang } from "../app/i18n.js";
import { h, twoTapButton } from "../app/ui.js";
import { term } from "../app/catalogue.js";
import { words } from "./hq.js";
import { say } from "./text.js";
import { saveAs, csvBlob, parseCsv, csvText, xlsxRows } from "./downloads.js";

const LISTS = /** @type {const} */ (["targets", "inspectors", "matters"]);
const PREVIEW_ROWS = 8;

/** A share as the spreadsheet writes it: 0.05 → 5%. */
const percent = (/** @type {number} */ share) => `${Math.round(share * 1000) / 10}%`;

/** One cell of a list's preview, as its spreadsheet column reads (check kinds in the core's words). */
function cell(app, /** @type {string} */ field, /** @type {any} */ value) {
  if (field === "checkKinds") return (value ?? []).map((/** @type {string} */ k) => tx(term(app.catalogue, "checkKinds", k)) || k).join("、");
  if (field === "ratio" || field === "keyUnitRatio") return percent(value);
  if (Array.isArray(value)) return value.join("、");
  if (value === true) return say("yes");
  if (value === false) return say("no");
  return value ?? "";
}

/** Show HQ's verdict on a list sent: the count stored, or every wrong line (the clerk fixes them in the sheet). */
function listVerdict(/** @type {HTMLElement} */ outcome, /** @type {() => Promise<{ count: number }>} */ send) {
  outcome.className = "list-outcome";
  outcome.textContent = say("uploading");
  return send().then(
    ({ count }) => {
      outcome.className = "ok-note";
      outcome.textContent = say("listStored", { n: count });
      setTimeout(() => dispatchEvent(new HashChangeEvent("hashchange")), 600);
    },
    (err) => {
      outcome.className = "error";
      outcome.replaceChildren(h("strong", {}, say("listRefused")), h("ul", {}, words(err).split(/[；;] ?/).map((r) => h("li", {}, r))));
    });
}

/**
 * A list edited in place: the rows of its CSV (as HQ's core writes it) as text
 * fields, rows added and removed, sent back as CSV for the core to read — the
 * console never interprets a cell.
 */
async function listEditor(app, /** @type {string} */ key, /** @type {HTMLElement} */ outcome) {
  const [heading, ...rows] = parseCsv(await app.hq.listCsv(key)).filter((r) => r.some((c) => c.trim()));
  const body = h("tbody", {});
  const addRow = (/** @type {string[]} */ values) => {
    const tr = h("tr", {},
      heading.map((hd, i) => h("td", {}, h("input", { value: values[i] ?? "", "aria-label": hd, autocomplete: "off" }))),
      h("td", {}, h("button", { type: "button", class: "small", onclick: () => tr.remove() }, say("removeRow"))));
    body.append(tr);
  };
  rows.forEach(addRow);
  const filter = h("input", { type: "search", placeholder: say("filterRows"), "aria-label": say("filterRows"), oninput: () => {
    const q = filter.value.trim();
    for (const tr of body.children) /** @type {HTMLElement} */ (tr).hidden = Boolean(q) && ![...tr.querySelectorAll("input")].some((i) => i.value.includes(q));
  } });
  const save = () => listVerdict(outcome, () => app.hq.putList(key, csvText([heading, ...[...body.children].map((tr) => [...tr.querySelectorAll("input")].map((i) => i.value.trim()))])));
  return h("div", { class: "list-editor", id: `list-editor-${key}` },
    h("div", { class: "inline" }, filter,
      h("button", { type: "button", onclick: () => (addRow([]), /** @type {HTMLInputElement} */ (body.lastElementChild?.querySelector("input"))?.focus()) }, "＋ ", say("addRow")),
      h("button", { type: "button", class: "primary", id: `list-save-${key}`, onclick: save }, say("saveList"))),
    h("div", { class: "table-scroll" }, h("table", { class: "board compact editable" }, h("thead", {}, h("tr", {}, heading.map((hd) => h("th", {}, hd)), h("th", {}, ""))), body)));
}

/** A list: how many, when last replaced, the first rows; a spreadsheet (CSV or Excel) to replace it with, or edit it here. */
function listCard(app, /** @type {string} */ key, /** @type {any} */ list) {
  const outcome = h("div", { class: "list-outcome", role: "status", id: `list-outcome-${key}` });
  const input = h("input", { type: "file", accept: ".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", class: "visually-hidden", id: `list-file-${key}` });
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    // An Excel workbook's first sheet goes the way a CSV does: as text for the core to read.
    const csv = /\.xlsx$/i.test(file.name) ? csvText(await xlsxRows(file)) : await file.text();
    await listVerdict(outcome, () => app.hq.putList(key, csv));
  });
  const editorSlot = h("div", {});
  const columns = list.columns ?? [];
  const lang = getLang();
  return h("div", { class: "card list-card", dataset: { list: key } },
    h("h2", {}, tx(list.label), " ", h("span", { class: "badge ok", id: `list-count-${key}` }, say("entries", { n: list.entries.length }))),
    h("p", { class: "muted" }, list.updatedAt ? say("updatedAt", { at: list.updatedAt.slice(0, 16).replace("T", " ") }) : say("neverImported")),
    list.entries.length ? h("div", { class: "table-scroll" }, h("table", { class: "board compact" },
      h("thead", {}, h("tr", {}, columns.map((/** @type {any} */ c) => h("th", {}, lang === "zh" ? c.zh : c.en)))),
      h("tbody", {}, list.entries.slice(0, PREVIEW_ROWS).map((/** @type {any} */ e) => h("tr", {}, columns.map((/** @type {any} */ c) => h("td", {}, String(cell(app, c.field, e[c.field]))))))))) : null,
    list.entries.length > PREVIEW_ROWS ? h("p", { class: "muted" }, say("andMore", { n: list.entries.length - PREVIEW_ROWS })) : null,
    h("p", { class: "hint" }, say("csvColumns"), columns.map((/** @type {any} */ c) => `${lang === "zh" ? c.zh : c.en}${c.required ? "*" : ""}`).join("，")),
    h("div", { class: "inline" },
      h("label", { class: "button primary" }, input, say("importSheet")),
      h("button", { type: "button", id: `list-edit-${key}`, onclick: async () => editorSlot.replaceChildren(await listEditor(app, key, outcome)) }, say("editList")),
      list.entries.length ? h("button", { type: "button", onclick: async () => saveAs(csvBlob(await app.hq.listCsv(key)), `${key}.csv`) }, say("downloadList")) : null),
    editorSlot,
    outcome);
}

/** A stacked bar of a plan's tasks by state: done, in progress, overdue, not started, unstaffed. */
function progressBar(/** @type {any} */ p, /** @type {any} */ terms) {
  const parts = [["done", p.done], ["unreachable", p.unreachable], ["inProgress", p.inProgress], ["overdue", p.overdue], ["notStarted", p.notStarted], ["unstaffed", p.unstaffed]];
  const label = (/** @type {string} */ state) => tx(terms.states.find((/** @type {any} */ s) => s.value === state)?.label);
  return h("div", { class: "plan-progress" },
    h("div", { class: "bar", role: "img", "aria-label": parts.map(([s, n]) => `${label(String(s))} ${n}`).join("，") },
      parts.filter(([, n]) => Number(n) > 0).map(([s, n]) => h("span", { class: `seg ${s}`, style: `flex-grow:${n}` }))),
    h("ul", { class: "legend" }, parts.map(([s, n]) => h("li", { dataset: { state: String(s) } }, h("span", { class: `dot ${s}` }), `${label(String(s))} ${n}`))));
}

/** `#/draws`: the lists, the plans, a new plan. */
export async function draws(app) {
  const [lists, { plans }, watch] = await Promise.all([app.hq.directories(), app.hq.plans(), app.hq.inspections()]);
  const terms = app.core.taskTerms();
  const message = h("p", { id: "plan-message", role: "status" });
  const matters = lists.matters.entries;
  const form = h("form", { id: "new-plan", class: "card form-grid" },
    h("h2", { class: "span" }, say("newPlan")),
    h("label", { class: "field" }, say("planTitle"), h("input", { name: "title", required: true, autocomplete: "off", placeholder: say("planTitleExample") })),
    h("label", { class: "field" }, say("planBatch"), h("input", { name: "batch", autocomplete: "off", placeholder: say("planBatchExample") })),
    h("label", { class: "field" }, say("planStarts"), h("input", { name: "starts", type: "date" })),
    h("label", { class: "field" }, say("planDue"), h("input", { name: "due", type: "date", required: true })),
    h("fieldset", { class: "span matters" }, h("legend", {}, say("planMatters")),
      matters.length ? matters.map((/** @type {any} */ m) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "matter", value: m.code }), ` ${m.code} ${m.title}（${say("ratioShort")} ${percent(m.ratio)}；${say("keyUnit")} ${percent(m.keyUnitRatio)}）`)) : h("p", { class: "muted" }, say("importMattersFirst"))),
    h("button", { type: "submit", class: "primary" }, say("makePlan")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = new FormData(form);
    try {
      const plan = await app.hq.createPlan({ title: String(f.get("title")), batch: String(f.get("batch") || "") || undefined, starts: String(f.get("starts") || "") || undefined, due: String(f.get("due")), matters: f.getAll("matter").map(String) });
      location.hash = `#/plan/${encodeURIComponent(plan.id)}`;
    } catch (err) {
      message.className = "error";
      message.textContent = words(err);
    }
  });
  return h("section", { id: "draws" },
    h("div", { class: "screen-head" }, h("h1", {}, say("draws"))),
    h("p", { class: "hint" }, say("drawsHint")),
    h("div", { class: "card" }, h("h2", {}, say("plans")),
      plans.length ? h("table", { class: "board", id: "plan-list" },
        h("thead", {}, h("tr", {}, h("th", {}, say("planTitle")), h("th", {}, say("planDue")), h("th", {}, say("drawn")), h("th", {}, say("progress")))),
        h("tbody", {}, plans.map((/** @type {any} */ { plan, progress }) => h("tr", { dataset: { plan: plan.id } },
          h("td", {}, h("a", { href: `#/plan/${encodeURIComponent(plan.id)}` }, plan.title, plan.batch ? ` ${plan.batch}` : ""), h("div", { class: "muted mono" }, plan.id)),
          h("td", {}, plan.starts ? say("planPeriod", { from: plan.starts, to: plan.due }) : plan.due),
          h("td", {}, plan.drawnAt ? plan.drawnAt.slice(0, 10) : h("span", { class: "badge open" }, say("notDrawn"))),
          h("td", {}, plan.drawnAt ? progressBar(progress, terms) : "—"))))) : h("p", { class: "muted" }, say("noPlans"))),
    message,
    form,
    budgetCard(app, watch),
    ...LISTS.map((key) => listCard(app, key, lists[key])));
}

/** The yearly inspection cap per operator, and who is over it this year (plans and ad-hoc visits alike). */
function budgetCard(app, /** @type {any} */ watch) {
  const outcome = h("p", { id: "cap-outcome", role: "status" });
  const cap = h("input", { type: "number", min: "1", max: "366", id: "inspection-cap", value: watch.cap ?? "", placeholder: say("noCap") });
  const save = async () => {
    try {
      await app.hq.setInspectionCap(cap.value ? Number(cap.value) : null);
      dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      outcome.className = "error";
      outcome.textContent = words(err);
    }
  };
  return h("div", { class: "card", id: "budget" },
    h("h2", {}, say("inspectionBudget")),
    h("p", { class: "hint" }, say("budgetHint")),
    h("div", { class: "inline" }, h("label", { class: "field" }, say("capPerYear"), cap), h("button", { type: "button", id: "save-cap", onclick: save }, say("save"))),
    outcome,
    watch.cap == null ? null : watch.overCap.length
      ? h("table", { class: "board", id: "over-cap" },
        h("thead", {}, h("tr", {}, h("th", {}, say("operator")), h("th", {}, say("inspectedTimes", { year: watch.year })), h("th", {}, say("lastInspected")))),
        h("tbody", {}, watch.overCap.map((/** @type {any} */ o) => h("tr", { dataset: { creditCode: o.creditCode } },
          h("td", {}, o.name ?? "", h("div", { class: "muted mono" }, o.creditCode)), h("td", {}, h("span", { class: "badge overdue" }, String(o.count))), h("td", {}, o.last ?? "")))))
      : h("p", { class: "ok-note", id: "none-over-cap" }, say("noneOverCap", { year: watch.year, cap: watch.cap })));
}

/** `#/plan/ID`: the commitment before the draw, the draw, each task and the publication list. */
export async function plan(app, /** @type {string} */ id) {
  const detail = await app.hq.plan(id);
  const { plan: p, inputs, result, tasks, progress } = detail;
  const terms = app.core.taskTerms();
  const label = (/** @type {any[]} */ list, /** @type {string | undefined} */ value) => (value ? tx(list.find((x) => x.value === value)?.label) : "");
  const message = h("p", { id: "plan-outcome", role: "status" });
  const act = async (/** @type {() => Promise<unknown>} */ run) => {
    try {
      await run();
      dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      message.className = "error";
      message.textContent = words(err);
    }
  };
  const download = async (/** @type {() => Promise<string>} */ read, /** @type {string} */ name, /** @type {string} */ type) => {
    try {
      saveAs(type === "csv" ? csvBlob(await read()) : new Blob([await read()], { type: "application/json" }), name);
    } catch (err) {
      message.className = "error";
      message.textContent = words(err);
    }
  };
  const bureauId = (await app.hq.session())?.user?.bureauId;
  const publicLink = `${location.origin}/staff/#/draw-check?plan=/api/v1/public/draws/${bureauId}/${encodeURIComponent(p.id)}`;
  const byId = new Map(progress.tasks.map((/** @type {any} */ t) => [t.taskId, t]));
  const matterTitle = (/** @type {string} */ code) => inputs.matters.find((/** @type {any} */ m) => m.code === code)?.title ?? code;
  const publishedOn = h("input", { type: "date", id: "published-on", value: new Date().toLocaleDateString("sv-SE") });
  // What the last action did, said once on the screen drawn after it.
  const note = sessionStorage.getItem("plan-note");
  sessionStorage.removeItem("plan-note");
  if (note) (message.className = "ok-note"), (message.textContent = note);
  const reason = h("input", { id: "redraw-reason", autocomplete: "off", placeholder: say("redrawReason"), "aria-label": say("redrawReason") });
  return h("section", { id: "plan", dataset: { plan: p.id, drawn: String(Boolean(p.drawnAt)) } },
    h("div", { class: "screen-head" }, h("a", { href: "#/draws", class: "button" }, "‹ ", say("draws")), h("h1", {}, p.title, p.batch ? ` ${p.batch}` : "")),
    h("p", { class: "muted" }, `${say("planNo")} ${p.id} · ${p.starts ? say("planPeriod", { from: p.starts, to: p.due }) : `${say("planDue")} ${p.due}`} · ${inputs.matters.map((/** @type {any} */ m) => `${m.code} ${m.title}`).join("；")}`),
    message,
    h("div", { class: "card", id: "commitment" },
      h("h2", {}, say("publishedBefore")),
      h("p", {}, `${say("commitmentLabel")}：`, h("span", { class: "mono", id: "seed-commitment" }, p.seedCommitment)),
      h("p", {}, `${say("inputsHash")}：`, h("span", { class: "mono", id: "inputs-sha256" }, p.inputsSha256)),
      h("p", { class: "muted" }, say("inputsCounts", { targets: inputs.targets.length, inspectors: inputs.inspectors.length, matters: inputs.matters.length })),
      h("button", { type: "button", id: "download-inputs", onclick: () => download(() => app.hq.planInputs(p.id), `draw-inputs-${p.id}.json`, "json") }, say("downloadInputs")),
      h("p", { class: "hint" }, say("publicLink"), h("a", { id: "public-link", href: publicLink }, publicLink)),
      p.drawnAt
        ? h("div", { id: "revealed" },
          h("p", {}, `${say("seed")}：`, h("span", { class: "mono", id: "seed" }, p.seed)),
          h("p", { class: "hint" }, say("rerunHint", { id: p.id }), " ", h("a", { href: "#/draw-check" }, say("drawCheck"))))
        : h("button", { type: "button", class: "primary big", id: "run-draw", onclick: () => act(() => app.hq.drawPlan(p.id)) }, say("runPlanDraw"))),
    p.drawnAt ? h("div", { class: "card", id: "tasks" },
      h("h2", {}, say("tasksOfPlan", { n: progress.total })),
      progressBar(progress, terms),
      h("div", { class: "table-scroll" }, h("table", { class: "board", id: "task-list" },
        h("thead", {}, h("tr", {}, [say("target"), say("matter"), say("inspectorsLabel"), say("state"), say("taskResult"), say("publishBy")].map((x) => h("th", {}, x)))),
        h("tbody", {}, tasks.map((/** @type {any} */ t) => {
          const row = byId.get(t.id) ?? {};
          return h("tr", { dataset: { task: t.id, state: row.state } },
            h("td", {}, t.target.name, t.keyUnit ? h("span", { class: "badge open" }, say("keyUnit")) : null, t.overCap ? h("span", { class: "badge overdue", title: say("overCapHint") }, say("overCap")) : null, h("div", { class: "muted mono" }, t.target.creditCode)),
            h("td", {}, matterTitle(t.matter)),
            h("td", {}, t.inspectors?.length ? t.inspectors.map((/** @type {any} */ i) => i.name).join("、") : h("span", { class: "error" }, say("unstaffed"))),
            h("td", {}, h("span", { class: `badge state-${row.state}` }, label(terms.states, row.state))),
            h("td", {}, row.visitId ? h("a", { href: `#/record/${encodeURIComponent(row.visitId)}` }, label(terms.outcomes, row.outcome) || say("openRecord")) : "—"),
            h("td", {}, row.publication ? [row.publication.due, " ", h("span", { class: `badge ${row.publication.status}` }, tx(term(app.catalogue, "deadlineStatuses", row.publication.status)))] : "—"));
        })))),
      h("div", { class: "inline publish-actions" },
        h("button", { type: "button", class: "primary", id: "download-publication", onclick: () => download(() => app.hq.publicationCsv(p.id), `publication-${p.id}.csv`, "csv") }, say("downloadPublication")),
        h("label", { class: "field" }, say("publishedOn"), publishedOn),
        h("button", { type: "button", id: "mark-published", onclick: () => act(async () => {
          const { published } = await app.hq.markPublished(p.id, publishedOn.value || undefined);
          sessionStorage.setItem("plan-note", say("markedPublished", { n: published }));
        }) }, say("recordPublished"))),
      h("p", { class: "hint" }, say("publicationColumns"), terms.publicationColumns.join("，"))) : null,
    p.drawnAt ? h("div", { class: "card", id: "redraw" },
      h("h2", {}, say("redraw")),
      h("p", { class: "hint" }, say("redrawHint")),
      h("div", { class: "inline" }, reason, twoTapButton({ id: "redraw-button" }, say("redraw"), say("confirmRedraw"), () => act(() => app.hq.redrawPlan(p.id, reason.value))))) : null,
    p.redraws?.length ? h("div", { class: "card", id: "redraws" }, h("h2", {}, say("earlierDraws")),
      h("ul", {}, p.redraws.map((/** @type {any} */ r) => h("li", {}, `${r.drawnAt.slice(0, 10)}：${r.reason}`, h("div", { class: "muted mono" }, `${say("seed")} ${r.seed} · ${say("commitmentLabel")} ${r.seedCommitment}`))))) : null);
}
