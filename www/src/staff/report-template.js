// The bureau's report template (报告模板): the paragraphs of the figures
// screen in the bureau's own phrasing. The clerk downloads the one in force,
// edits its wording, uploads it: the core checks it here (a figure it does
// not have, a brace left open — each said in words) and writes this year's
// paragraphs with it before it is published; HQ checks it again.
import { tx } from "../app/i18n.js";
import { h, today } from "../app/ui.js";
import { words } from "./hq.js";
import { say } from "./text.js";
import { saveAs } from "./downloads.js";

/** @param {any} app */
export async function reportTemplate(app) {
  const { template, builtin } = await app.hq.reportTemplate();
  const terms = app.core.reportTemplateTerms();
  const outcome = h("div", { id: "template-outcome", role: "status" });
  const result = h("div", { id: "template-result" });
  // The browser's own file control speaks the browser's language: a button in ours instead.
  const input = h("input", { type: "file", accept: ".json,application/json", id: "template-file", class: "visually-hidden" });
  const chosenName = h("span", { class: "muted", id: "template-chosen" });
  input.addEventListener("change", async () => {
    result.replaceChildren();
    outcome.textContent = "";
    outcome.className = "";
    const file = input.files?.[0];
    chosenName.textContent = file?.name ?? "";
    if (!file) return;
    const checked = app.core.checkReportTemplate(await file.text());
    if (!checked.template) {
      result.replaceChildren(h("div", { class: "card" }, h("p", { class: "error" }, say("templateProblems", { n: checked.problems.length })),
        h("ul", { id: "template-problems" }, checked.problems.map((p) => h("li", {}, tx(p))))));
      return;
    }
    const chosen = checked.template;
    // This year's figures, written in the uploaded template.
    await app.figuresReady();
    const asOf = today();
    const summary = app.figures.summary({ period: asOf.slice(0, 4), asOf });
    const paragraphs = app.core.reportParagraphs(summary, chosen);
    result.replaceChildren(h("div", { class: "card", id: "template-preview" }, h("h2", {}, say("templatePreview", { version: chosen.version })),
      ["total", "price", "metrology", "equipment", "sampling"].map((k) => h("p", { class: "paragraph", dataset: { key: k } }, tx(/** @type {any} */ (paragraphs)[k]))),
      h("button", { type: "button", class: "primary", id: "publish-template", onclick: async () => {
        try {
          const { version } = await app.hq.publishReportTemplate(chosen);
          outcome.textContent = say("templatePublished", { version });
          outcome.className = "ok-note";
          document.getElementById("publish-template")?.setAttribute("disabled", "");
        } catch (err) {
          outcome.textContent = words(err);
          outcome.className = "error";
        }
      } }, say("publishTemplate", { version: chosen.version }))));
  });
  return h("section", { id: "report-template" },
    h("div", { class: "screen-head" }, h("h1", {}, say("reportTemplate"))),
    h("p", { class: "hint" }, say("reportTemplateHint")),
    h("div", { class: "card" },
      h("p", { id: "template-in-force" }, say("templateInForce", { version: template.version }), builtin ? ` ${say("templateBuiltin")}` : "", template.note ? h("span", { class: "muted" }, ` · ${template.note}`) : null),
      h("button", { type: "button", id: "download-template", onclick: () => saveAs(new Blob([JSON.stringify(template, null, 2)], { type: "application/json" }), `报告模板-${template.version}.json`) }, say("downloadTemplate"))),
    h("div", { class: "card file-choice" }, h("label", { class: "button primary" }, input, say("chooseTemplate")), chosenName),
    outcome,
    result,
    h("details", { class: "card", id: "template-figures" }, h("summary", {}, say("templateFigures")),
      h("p", { class: "hint" }, say("templateSyntax")),
      h("table", { class: "board" }, h("thead", {}, h("tr", {}, h("th", {}, say("figureName")), h("th", {}, say("figureMeaning")))),
        h("tbody", {}, terms.figures.map((f) => h("tr", {}, h("td", {}, h("code", {}, `{${f.name}}`)), h("td", {}, tx(f.meaning))))))));
}
