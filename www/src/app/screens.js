// The screens other than the visit editor: sign-in, today's visits, a visit's
// result and its documents, the dashboard and settings.
import { t, tx, setLang, getLang } from "./i18n.js";
import { h, toast, formatTime, formatBytes, today as todayDate, sha256Hex, isoLocal } from "./ui.js";
import { signIn, signOut, currentSession } from "./session.js";
import { kindSections, term, section, itemName, optionLabel } from "./catalogue.js";
import { documentsCard, documentPage } from "./documents.js";
import { rectificationCard } from "./rectification-card.js";
import { taskRows } from "./tasks.js";

export async function login(app, onSignedIn) {
  const error = h("p", { class: "error", role: "alert", id: "login-error" });
  const form = h("form", { class: "card narrow", id: "login-form" },
    h("h1", {}, t("signIn")),
    h("p", { class: "hint" }, t("signInOnce")),
    h("label", {}, t("login"), h("input", { name: "login", autocomplete: "username", required: true, autocapitalize: "off" })),
    h("label", {}, t("password"), h("input", { name: "password", type: "password", autocomplete: "current-password", required: true })),
    error,
    h("button", { class: "primary big", type: "submit" }, t("signIn")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    if (!navigator.onLine) return (error.textContent = t("offlineNoSession"));
    try {
      const answer = await signIn(app.db, form.login.value.trim(), form.password.value);
      if (!answer.ok) return (error.textContent = `${t("signInFailed")}：${tx(answer.message) || answer.status}`);
      onSignedIn();
    } catch (err) {
      error.textContent = `${t("signInFailed")}：${t("offlineNoSession")}`;
    }
  });
  return form;
}

const STATE_CLASS = { pending: "warn", synced: "ok", rejected: "bad", conflict: "bad" };

export async function today(app) {
  const entries = await app.records.visits();
  const session = await currentSession(app.db);
  // Visits are written by officers; a staff account here would end in HQ's FORBIDDEN.
  const officer = session?.user?.role !== "staff";
  const kinds = kindSections(app.catalogue);
  const list = h("ul", { class: "visit-list", id: "visit-list" });
  for (const e of entries) {
    const v = e.record;
    const counts = kinds.map((k) => `${tx(k.title)} ${(v[k.key] ?? []).length}`);
    list.append(h("li", {},
      h("a", { class: "visit-row", href: `#/visit/${v.id}`, dataset: { id: v.id, state: e.state, status: v.status ?? "draft" } },
        h("div", { class: "row-main" },
          h("strong", {}, v.operator?.name || v.site?.name || "（未填经营者）"),
          h("span", { class: "muted" }, [v.site?.name, formatTime(v.startedAt)].filter(Boolean).join(" · ")),
          h("span", { class: "muted" }, counts.join(" · "))),
        h("div", { class: "row-badges" },
          h("span", { class: `badge ${v.status === "finalised" ? "ok" : ""}` }, v.status === "finalised" ? t("finalised") : t("draft")),
          h("span", { class: `badge sync ${STATE_CLASS[e.state] ?? ""}` }, t(e.state ?? "pending"))))));
  }
  const tasks = officer ? taskRows(await app.records.tasks(), entries.map((e) => e.record), todayDate(), session?.user?.certificateNo) : [];
  return h("section", {},
    h("div", { class: "screen-head" }, h("h1", {}, t("today")),
      officer ? h("a", { class: "button primary big", href: "#/new", id: "new-visit" }, "＋ ", t("newVisit")) : h("p", { class: "note", id: "staff-account" }, t("staffAccount"))),
    tasks.length ? tasksCard(tasks, app.catalogue) : null,
    entries.length ? list : h("p", { class: "empty" }, t("noVisits")));
}

/** The officer's 双随机 tasks: what to check where, by when, with whom; a tap starts (or continues) the visit. */
function tasksCard(/** @type {import("./tasks.js").TaskRow[]} */ rows, /** @type {any} */ catalogue) {
  return h("div", { class: "card", id: "tasks" },
    h("h2", {}, t("myTasks")),
    h("ul", { class: "task-list" }, rows.map((r) => h("li", { class: `task ${r.state}${r.overdue ? " overdue" : ""}`, dataset: { task: r.task.id, state: r.state } },
      h("div", { class: "row-main" },
        h("strong", {}, r.task.target.name, r.task.keyUnit ? h("span", { class: "badge warn" }, t("taskKeyUnit")) : null),
        h("span", { class: "muted" }, [r.task.target.address, r.task.target.market].filter(Boolean).join(" · ")),
        h("span", {}, `${r.task.matterTitle}（${r.task.plan}）`, r.task.checkKinds?.length ? ` · ${r.task.checkKinds.map((k) => tx(term(catalogue, "checkKinds", k))).join("、")}` : ""),
        h("span", { class: r.overdue ? "bad-text" : "muted" }, t("taskDue", { due: r.task.due }), r.overdue ? `（${t("taskOverdue")}）` : "", r.partner.length ? ` · ${t("taskPartner", { names: r.partner.join("、") })}` : ""),
        r.recent && r.state === "notStarted" ? h("span", { class: "warn-text", role: "note" }, t("taskRecent", { date: r.recent.date })) : null,
        r.state === "notStarted" && r.task.inspectedThisYear ? h("span", { class: r.task.overCap ? "warn-text" : "muted", role: "note", dataset: { overCap: String(Boolean(r.task.overCap)) } },
          t("taskInspected", { n: r.task.inspectedThisYear, last: r.task.lastInspected ?? "" }), r.task.overCap ? `，${t("taskOverCap")}` : "") : null),
      r.state === "finalised"
        ? h("a", { class: "button", href: `#/visit/${r.visit?.id}/result` }, t("taskDone"))
        : h("a", { class: "button primary big", href: r.visit ? `#/visit/${r.visit.id}` : `#/task/${encodeURIComponent(r.task.id)}` }, r.visit ? t("continueTask") : t("startTask"))))));
}

/** One finding with its basis and measures, in the core's words. */
export function findingCard(f, catalogue) {
  return h("li", { class: `finding ${f.level}`, dataset: { code: f.code } },
    h("div", { class: "finding-title" }, h("span", { class: `badge ${f.level === "violation" ? "bad" : "warn"}` }, tx(term(catalogue, "findingLevels", f.level))), " ", tx(f.title)),
    h("p", {}, tx(f.message)),
    h("p", { class: "basis" }, `${t("basis")}：`, f.basis.map((b) => `《${tx(b.law)}》${tx(b.article)}`).join("；")),
    f.measures?.length ? h("p", {}, `${t("measures")}：`, f.measures.map((m) => tx(term(catalogue, "measures", m))).join("、")) : null,
    f.rectifyBy ? h("p", { class: "deadline" }, `${t("rectifyBy")}：${f.rectifyBy}`) : null);
}

export async function result(app, id) {
  const entry = await app.records.get(id);
  if (!entry) return h("p", {}, "404");
  const v = entry.record;
  const followUps = await app.records.followUps(id);
  const rechecks = await app.records.rectifications(id);
  const ev = app.core.evaluateVisit(v, { asOf: todayDate(), followUps, rectifications: app.core.rectificationsOf(rechecks) });
  const violations = ev.findings.filter((f) => f.level === "violation").length;
  let documents = null;
  let documentsError;
  try {
    documents = await app.records.documents(v);
  } catch (e) {
    documentsError = tx(e.messages) || e.message;
  }
  const reason = h("input", { id: "amend-reason", placeholder: t("amendReason") });
  return h("section", { id: "result" },
    h("div", { class: "screen-head" }, h("a", { href: "#/", class: "button" }, "‹ ", t("back")), h("h1", {}, t("result"))),
    h("div", { class: `card verdict ${v.unreachable ? "" : ev.compliant ? "ok" : "bad"}`, id: "verdict", dataset: { unreachable: String(Boolean(v.unreachable)) } },
      h("strong", {}, v.unreachable
        ? t("notInspected", { reason: tx(optionLabel(section(app.catalogue, "unreachable"), "reason", v.unreachable.reason ?? "")) || "" })
        : ev.compliant ? t("compliant") : t("violations", { n: violations })),
      v.unreachable?.note ? h("p", {}, v.unreachable.note) : null,
      h("p", { class: "muted" }, `${v.operator?.name ?? ""} · ${v.site?.name ?? ""} · ${formatTime(v.finalisedAt ?? v.startedAt)}`),
      h("p", { class: "muted" }, `${t("rulebook")} ${ev.rulebookVersion}`)),
    syncNotice(app, entry),
    documentsCard(v, documents, documentsError, {
      record: await app.records.deliveries(id),
      methods: app.core.deliveryMethods(),
      mark: async (doc, fields, file) => {
        const evidence = file ? { sha256: await sha256Hex(await file.arrayBuffer()), mediaType: file.type || "application/octet-stream", size: file.size, blob: file } : undefined;
        await app.records.markDelivered(id, { document: doc.key, number: doc.number, deliveredAt: isoLocal(), ...fields, evidenceSha256: evidence?.sha256 }, evidence);
        toast(t("saved"));
        dispatchEvent(new HashChangeEvent("hashchange"));
      },
    }),
    v.status === "finalised" ? rectificationCard(app, v, ev, rechecks, () => {
      toast(t("saved"));
      dispatchEvent(new HashChangeEvent("hashchange"));
    }) : null,
    h("div", { class: "card" }, h("h2", {}, t("findings")), ev.findings.length ? h("ul", { class: "findings", id: "result-findings" }, ev.findings.map((f) => findingCard(f, app.catalogue))) : h("p", {}, t("noFindings"))),
    ev.deadlines.length ? h("div", { class: "card" }, h("h2", {}, t("deadlines")), h("ul", { class: "deadlines" }, ev.deadlines.map((d) => h("li", { class: `deadline ${d.status}`, dataset: { code: d.code, status: d.status } },
      `${tx(d.title)}：${d.due}（${tx(term(app.catalogue, "deadlineStatuses", d.status))}）`)))) : null,
    h("div", { class: "card", id: "lab-results" }, h("h2", {}, t("labResults")),
      (v.samples ?? []).length === 0 ? h("p", { class: "muted" }, "—") :
      h("ul", {}, (v.samples ?? []).map((s) => {
        const fu = followUps.find((f) => f.sampleId === s.id);
        const items = fu?.labResult?.items ?? [];
        return h("li", { dataset: { sample: s.id } }, h("strong", {}, itemName(section(app.catalogue, "samples"), s) ?? s.id), "：",
          fu?.labResult ? [`${fu.labResult.reportNo ?? ""} `, items.map((i) => h("span", { class: `badge ${i.verdict === "fail" ? "bad" : "ok"}` }, `${i.name} ${tx(term(app.catalogue, "verdicts", i.verdict)) || "—"}`))] : t("noLabResult"));
      }))),
    h("div", { class: "card" }, h("h2", {}, t("amend")), reason,
      h("button", { class: "big", id: "amend", onclick: async () => {
        try {
          const draft = app.core.amendVisit(v, reason.value);
          await app.records.saveVisit(draft);
          location.hash = `#/visit/${draft.id}`;
        } catch (e) {
          toast(tx(e.messages) || e.message, "error");
        }
      } }, t("amend"))),
  );
}

export function syncNotice(app, entry) {
  if (entry.state === "rejected") {
    return h("div", { class: "card bad", id: "rejected-notice", role: "alert" }, h("strong", {}, t("problemsAtHq")),
      // HQ's words for a refusal not about the data (a revoked device, a changed record), its code otherwise.
      entry.reason ? h("p", { id: "rejected-reason", dataset: { reason: entry.reason } }, entry.message ? tx(entry.message) : entry.reason) : null,
      h("ul", {}, (entry.problems ?? []).map((p) => h("li", { dataset: { code: p.code } }, tx(p.message)))));
  }
  if (entry.state === "conflict") {
    return h("div", { class: "card bad", id: "conflict-notice", role: "alert" }, h("p", {}, t("conflictHelp")),
      entry.remote ? h("p", { class: "muted" }, `${t("otherVersion")}：${entry.remote.record?.operator?.name ?? ""} · ${formatTime(entry.remote.at)}`) : null,
      h("button", { class: "big", id: "keep-mine", onclick: async () => {
        await app.leaveGuard?.(); // what the editor holds is saved first: it is "this device's version"
        await app.records.keepMine(entry.id);
        toast(t("saved"));
        dispatchEvent(new HashChangeEvent("hashchange"));
      } }, t("keepMine")));
  }
  return null;
}

const PERIODS = () => {
  const d = todayDate();
  const y = d.slice(0, 4);
  const m = Number(d.slice(5, 7));
  return [
    { value: `${y}-${d.slice(5, 7)}`, label: ["本月", "This month"] },
    { value: `${y}-Q${Math.ceil(m / 3)}`, label: ["本季度", "This quarter"] },
    { value: `${y}-H${m <= 6 ? 1 : 2}`, label: ["本半年", "This half-year"] },
    { value: y, label: ["本年", "This year"] },
  ];
};

export async function dashboard(app) {
  const visits = (await app.records.visits()).map((e) => e.record);
  const followUps = await app.records.followUps();
  const rectifications = app.core.rectificationsOf(await app.records.rectifications());
  const periods = PERIODS();
  const select = h("select", { id: "period" }, periods.map((p, i) => h("option", { value: p.value, selected: i === 3 }, tx(p.label))));
  const body = h("div", { id: "dashboard-body" });
  const draw = () => {
    // One call: the figures, their paragraphs and charts (the tablet's core reads no summary back in).
    const { figures: f, report, trendChart, findingsChart } = app.core.dashboard(visits, { query: { period: select.value, asOf: todayDate() }, followUps, rectifications });
    const tile = (label, value, sub) => h("div", { class: "tile" }, h("span", { class: "tile-value" }, value), h("span", { class: "tile-label" }, tx(label)), sub ? h("span", { class: "muted" }, sub) : null);
    body.replaceChildren(
      h("div", { class: "tiles", id: "figures" },
        tile(["检查家次", "Visits"], f.visits),
        tile(["出动人次", "Officer deployments"], f.officerDeployments),
        tile(["合规率", "Compliance"], f.complianceRate.display, t("compliantOf", { n: f.complianceRate.numerator, d: f.complianceRate.denominator })),
        tile(["违法行为", "Violations"], f.violations),
        tile(["计量器具不合格", "Instruments failed"], f.metrology.failed, t("instrumentsChecked", { n: f.metrology.instruments })),
        tile(["抽检不合格", "Samples failed"], f.sampling.failed, t("batchesSampled", { n: f.sampling.batches }))),
      h("div", { class: "card chart", id: "trend-chart", html: trendChart }),
      h("div", { class: "card chart", id: "findings-chart", html: findingsChart }),
      h("div", { class: "card", id: "report" }, h("h2", {}, t("report")), ["total", "price", "metrology", "equipment", "sampling"].map((k) => h("p", {}, tx(report[k])))));
  };
  select.addEventListener("change", draw);
  draw();
  return h("section", {}, h("div", { class: "screen-head" }, h("h1", {}, t("dashboard")), h("label", { class: "inline" }, t("period"), " ", select)), body);
}

/** One document of a finalised visit, laid out for print. */
export async function visitDocument(app, id, key) {
  const entry = await app.records.get(id);
  if (!entry) return h("p", {}, "404");
  let set;
  try {
    set = await app.records.documents(entry.record);
  } catch (e) {
    return h("p", { class: "warn" }, tx(e.messages) || e.message);
  }
  const doc = set.documents.find((d) => d.key === key);
  if (!doc) return h("p", { class: "warn" }, t("documentMissing"));
  const imageUrl = async (sha) => {
    const b = await app.records.photo(sha);
    if (!b) return null;
    return new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => resolve(null);
      reader.readAsDataURL(b.blob);
    });
  };
  return documentPage(doc, imageUrl, `#/visit/${id}/result`);
}

export async function settings(app) {
  const storage = h("div", { id: "storage" });
  const drawStorage = async () => {
    const persisted = await navigator.storage?.persisted?.();
    const est = await navigator.storage?.estimate?.();
    storage.replaceChildren(
      h("p", { class: persisted ? "ok" : "warn", id: "persisted" }, persisted ? t("persisted") : t("notPersisted")),
      est ? h("p", { id: "usage" }, t("used", { u: formatBytes(est.usage), q: formatBytes(est.quota) })) : null,
      persisted ? null : h("button", { id: "request-persist", onclick: async () => {
        // Say what the browser answered: a refusal is common (it decides by how the app is used).
        const granted = await navigator.storage.persist().catch(() => false);
        await drawStorage();
        toast(granted ? t("persistGranted") : t("persistRefused"), granted ? "info" : "error");
      } }, t("requestPersist")));
  };
  drawStorage();
  const session = await currentSession(app.db);
  const file = h("input", { type: "file", accept: "application/json,.json", id: "import-file", class: "visually-hidden" });
  file.addEventListener("change", async () => {
    try {
      const n = await app.records.importBackup(JSON.parse(await file.files[0].text()));
      toast(t("imported", { n }));
      app.scheduler?.soon();
    } catch (e) {
      toast(e.message, "error");
    }
  });
  return h("section", {},
    h("h1", {}, t("settings")),
    h("div", { class: "card" }, h("h2", {}, t("language")),
      h("div", { class: "segmented" }, [["zh", "中文"], ["en", "English"]].map(([l, label]) =>
        h("button", { class: getLang() === l ? "active" : "", id: `lang-${l}`, onclick: () => (setLang(l), location.reload()) }, label)))),
    issuerCard(app, await app.records.issuer()),
    h("div", { class: "card" }, h("h2", {}, t("storage")), storage),
    h("div", { class: "card" }, h("h2", {}, t("backup")),
      h("button", { class: "big", id: "export", onclick: async () => {
        const data = await app.records.exportBackup();
        const url = URL.createObjectURL(new Blob([JSON.stringify(data)], { type: "application/json" }));
        h("a", { href: url, download: `xuncha-backup-${todayDate()}.json` }).click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      } }, t("exportBackup")),
      h("label", { class: "button big", for: "import-file" }, t("importBackup")), file),
    h("div", { class: "card" },
      h("p", {}, `${session?.user?.name ?? ""}（${session?.user?.login ?? ""}）`),
      h("p", { class: "muted" }, `${t("version")} ${app.core.coreVersion()} · ${t("rulebook")} ${app.core.rulebookInfo().version}`),
      h("button", { id: "sign-out", onclick: async () => {
        await signOut(app.db); // local records stay on the device (they may not be at HQ yet)
        location.hash = "#/login";
      } }, t("signOut"))));
}

/** Who issues this device's documents: printed on every order, so set once here. */
function issuerCard(app, issuer) {
  const bureau = h("input", { id: "issuer-bureau", value: issuer.bureau ?? "", placeholder: t("bureauHint") });
  const region = h("input", { id: "issuer-region", value: issuer.region ?? "", placeholder: t("regionHint") });
  return h("div", { class: "card", id: "issuer" }, h("h2", {}, t("issuer")),
    h("label", { class: "field" }, h("span", {}, t("bureauName")), bureau),
    h("label", { class: "field" }, h("span", {}, t("templateRegion")), region),
    h("button", { class: "big", id: "save-issuer", onclick: async () => {
      await app.records.setIssuer({ bureau: bureau.value.trim() || undefined, region: region.value.trim() || undefined });
      toast(t("saved"));
    } }, t("save")));
}
