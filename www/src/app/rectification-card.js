// The re-inspection (复查) card of a finalised visit: each finding ordered
// corrected with its deadline as the core judges it (open, overdue, met on
// time or late), what the last re-inspection found, and the form to record a
// new one — per finding 已整改 / 未整改, a note, a photo — kept on the tablet
// and sent to HQ like any record. Offline throughout.
import { t, tx } from "./i18n.js";
import { h, today, problemItems } from "./ui.js";
import { term } from "./catalogue.js";
import { rectificationDeadlines, recheckRecord, latestOutcomes, findingKey } from "./rectification.js";
import { preparePhoto } from "./photos.js";

/** @typedef {import("../../../pkg/xuncha.js").Deadline} Deadline */
/** @typedef {import("../../../pkg/xuncha.js").RectificationRecord} RectificationRecord */

/**
 * @param {any} app
 * @param {{ id: string }} visit
 * @param {{ deadlines: Deadline[] }} evaluation evaluated with the visit's rectifications
 * @param {RectificationRecord[]} records the visit's rectification records
 * @param {() => void} saved called once a re-inspection is kept
 * @returns {HTMLElement | null} nothing when the visit ordered no rectification
 */
export function rectificationCard(app, visit, evaluation, records, saved) {
  const { waiting, met } = rectificationDeadlines(evaluation);
  if (!waiting.length && !met.length) return null;
  const terms = app.core.rectificationTerms();
  const outcomeLabel = (/** @type {string} */ v) => tx(terms.outcomes.find((/** @type {any} */ o) => o.value === v)?.label ?? { zh: v, en: v });
  const methodLabel = (/** @type {string} */ v) => tx(terms.methods.find((/** @type {any} */ m) => m.value === v)?.label ?? { zh: v, en: v });
  const last = latestOutcomes(records);

  const row = (/** @type {Deadline} */ d) => {
    const seen = last.get(findingKey(d));
    return h("li", { class: `rectification-row ${d.status}`, dataset: { code: d.code, path: d.path, status: d.status } },
      h("div", { class: "rectification-head" },
        h("strong", {}, tx(d.title)),
        h("span", { class: `badge ${d.status === "overdue" || d.status === "metLate" ? "bad" : d.status === "metOnTime" ? "ok" : "warn"}` }, tx(term(app.catalogue, "deadlineStatuses", d.status)))),
      h("p", { class: "muted" }, `${t("rectifyBy")}：${d.due}`, d.doneOn ? ` · ${t("rectifiedOn")}：${d.doneOn}` : ""),
      seen ? h("p", { class: "last-recheck" }, `${methodLabel(seen.method)} ${seen.checkedOn}：${outcomeLabel(seen.outcome)}`, seen.note ? ` · ${seen.note}` : "") : null);
  };

  return h("div", { class: "card", id: "rectifications" },
    h("h2", {}, t("rectifications")),
    h("p", { id: "rectifications-waiting", class: waiting.length ? "warn" : "ok-note", dataset: { count: String(waiting.length) } },
      waiting.length ? t("rectificationsWaiting", { n: waiting.length }) : t("allRectified")),
    h("ul", { class: "rectification-list" }, [...waiting, ...met].map(row)),
    waiting.length ? recheckForm(app, visit, waiting, terms, saved) : null);
}

/**
 * @param {any} app
 * @param {{ id: string }} visit
 * @param {Deadline[]} waiting
 * @param {import("../../../pkg/xuncha.js").RectificationTerms} terms
 * @param {() => void} saved
 */
function recheckForm(app, visit, waiting, terms, saved) {
  const problems = h("ul", { class: "problems", id: "recheck-problems" });
  const day = h("input", { type: "date", name: "checkedOn", value: today(), max: today(), id: "recheck-day" });
  /** @type {Map<string, Blob>} */
  const photos = new Map();
  const rows = waiting.map((d, i) => {
    const chosen = h("span", { class: "muted" });
    const photo = h("input", { type: "file", accept: "image/*", capture: "environment", class: "visually-hidden", name: `photo-${i}`,
      onchange: () => {
        const f = photo.files?.[0];
        if (f) photos.set(findingKey(d), f);
        chosen.textContent = f ? `${t("chosen")}：${f.name}` : "";
      } });
    return h("fieldset", { class: "recheck-item", dataset: { code: d.code, path: d.path } },
      h("legend", {}, tx(d.title)),
      h("div", { class: "choices" }, terms.outcomes.map((o) =>
        h("label", { class: "choice" }, h("input", { type: "radio", name: `outcome-${i}`, value: o.value }), " ", tx(o.label)))),
      h("label", { class: "field" }, t("recheckNote"), h("input", { name: `note-${i}`, autocomplete: "off" })),
      h("div", { class: "field" }, h("label", { class: "button big" }, photo, t("takePhoto")), chosen));
  });
  const form = h("form", { class: "recheck-form", id: "recheck-form" },
    h("h3", {}, t("recordRecheck")),
    h("label", { class: "field" }, t("recheckDay"), day),
    rows,
    problems,
    h("button", { type: "submit", class: "primary big" }, t("saveRecheck")));
  form.addEventListener("input", () => problems.replaceChildren());
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    try {
      const prepared = new Map();
      for (const [key, file] of photos) prepared.set(key, await preparePhoto(file));
      const choices = waiting.map((d, i) => {
        const photo = prepared.get(findingKey(d));
        return {
          code: d.code,
          path: d.path,
          outcome: /** @type {any} */ (data.get(`outcome-${i}`) || undefined),
          note: String(data.get(`note-${i}`) ?? ""),
          photo: photo ? { sha256: photo.sha256, mediaType: photo.mediaType, sizeBytes: photo.size } : undefined,
        };
      });
      const record = recheckRecord({ id: app.core.newId(), visitId: visit.id, schemaVersion: app.core.schemaVersion(), checkedOn: day.value }, choices);
      const used = new Set((record.attachments ?? []).map((a) => a.sha256));
      await app.records.saveRectification(record, [...prepared.values()].filter((p) => used.has(p.sha256)));
      saved();
    } catch (err) {
      problems.replaceChildren(...problemItems(/** @type {any} */ (err)));
    }
  });
  return h("details", { class: "recheck" }, h("summary", { class: "button big primary", id: "recheck-open" }, t("recordRecheck")), form);
}
