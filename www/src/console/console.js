// Record-check console: all checking is done by the wasm core; this file only
// reads the textarea and draws the report.
import init, { validateVisit, finaliseVisit, evaluateVisit, coreVersion, rulebookInfo } from "../../../pkg/xuncha.js";

let lang = "zh";
const $ = (id) => document.getElementById(id);
const t = (zh, en) => (lang === "zh" ? zh : en);

function show(summary, ok, problems) {
  $("summary").textContent = summary;
  $("summary").className = ok ? "ok" : "bad";
  $("problems").replaceChildren(
    ...problems.map((p) => {
      const li = document.createElement("li");
      li.className = p.severity;
      const msg = document.createElement("div");
      msg.textContent = lang === "zh" ? p.message.zh : p.message.en;
      const code = document.createElement("div");
      code.className = "code";
      code.textContent = `${p.code} · ${p.path || "/"}`;
      li.append(msg, code);
      return li;
    }),
  );
}

const el = (tag, cls, text) => Object.assign(document.createElement(tag), { className: cls ?? "", textContent: text ?? "" });
const MEASURES = {
  orderRectify: ["责令改正", "order to rectify"], orderRectifyByDeadline: ["责令限期改正", "rectify by a deadline"],
  orderStopUse: ["责令停止使用", "stop use"], openCase: ["立案调查", "open a case"], withdrawFromSale: ["责令下架", "withdraw from sale"],
  disposal: ["核查处置", "follow up and dispose"], correctProcedure: ["程序补正", "correct the procedure"], remind: ["提醒告知", "remind"],
};
const STATUS = { open: ["未到期", "open"], overdue: ["已逾期", "overdue"], metOnTime: ["按期完成", "on time"], metLate: ["逾期完成", "late"], lapsed: ["已过期", "lapsed"] };

// Compliance findings: what the operator did wrong, on what basis, what to order, by when.
function showEvaluation(record) {
  const e = evaluateVisit(record);
  if (!e) {
    $("verdict").textContent = "";
    $("findings").replaceChildren();
    $("deadlines").replaceChildren();
    return;
  }
  const violations = e.findings.filter((f) => f.level === "violation").length;
  $("verdict").textContent = e.compliant
    ? t(`合规判定：未发现违法问题（${e.findings.length} 项提醒）`, `Compliance: no violation (${e.findings.length} notices)`)
    : t(`合规判定：发现 ${violations} 项违法问题`, `Compliance: ${violations} violations`);
  $("verdict").className = e.compliant ? "ok" : "bad";
  $("findings").replaceChildren(
    ...e.findings.map((f) => {
      const li = el("li", `finding ${f.level}`);
      const basis = f.basis.map((b) => `《${b.law.zh}》${b.article.zh}`).join("；");
      const measures = f.measures.map((m) => MEASURES[m][lang === "zh" ? 0 : 1]).join("、");
      li.append(
        el("div", "title", lang === "zh" ? f.title.zh : f.title.en),
        el("div", "", lang === "zh" ? f.message.zh : f.message.en),
        el("div", "basis", t("依据：", "Basis: ") + basis),
        el("div", "measure", t("措施：", "Measures: ") + measures + (f.rectifyBy ? t(`；整改期限 ${f.rectifyBy}`, `; rectify by ${f.rectifyBy}`) : "")),
        el("div", "code", `${f.code} · ${f.path}`),
      );
      return li;
    }),
  );
  $("deadlines").replaceChildren(
    ...e.deadlines.filter((d) => d.kind !== "rectification").map((d) => {
      const li = el("li", `deadline ${d.status}`);
      li.append(el("div", "", `${lang === "zh" ? d.title.zh : d.title.en}：${d.due}（${STATUS[d.status][lang === "zh" ? 0 : 1]}）`));
      return li;
    }),
  );
}

function check() {
  let record;
  try {
    record = JSON.parse($("record").value);
  } catch (e) {
    show(t("不是有效的 JSON：", "Not valid JSON: ") + e.message, false, []);
    return null;
  }
  const r = validateVisit(record);
  showEvaluation(record);
  show(
    r.ok
      ? t(`可以定稿（${r.warningCount} 项提示需确认）`, `Ready to finalise (${r.warningCount} warnings to confirm)`)
      : t(`${r.errorCount} 处错误、${r.warningCount} 项提示`, `${r.errorCount} errors, ${r.warningCount} warnings`),
    r.ok,
    r.problems,
  );
  return record;
}

// Warnings the core asked about; confirming them is a deliberate second tap.
let pendingWarnings = [];

function finalise(confirmedWarnings = []) {
  const record = check();
  if (!record) return;
  $("confirm").hidden = true;
  try {
    const done = finaliseVisit(record, { confirmedWarnings });
    $("record").value = JSON.stringify(done, null, 2);
    show(t("已定稿", "Finalised"), true, []);
  } catch (e) {
    if (e.name !== "XunchaError") throw e;
    show(lang === "zh" ? e.messages.zh : e.messages.en, false, e.problems);
    if (e.code === "NEEDS_CONFIRMATION") {
      pendingWarnings = e.problems.map(({ code, path }) => ({ code, path }));
      $("confirm").hidden = false;
    }
  }
}

// Move every date of the example by the same number of days, so that it is a
// visit of today with certificates, inspections and samples as current as they
// were on its own day.
function shiftDates(value, days) {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const day = new Date(value.slice(0, 10) + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + days);
    return day.toISOString().slice(0, 10) + value.slice(10);
  }
  if (Array.isArray(value)) return value.map((v) => shiftDates(v, days));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftDates(v, days)]));
  return value;
}

async function loadExample() {
  const original = await (await fetch("example-visit.json")).json();
  const localToday = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
  const days = Math.round((Date.parse(localToday) - Date.parse(original.startedAt.slice(0, 10))) / 86_400_000);
  const example = shiftDates(original, days);
  example.status = "draft";
  delete example.finalisedAt;
  delete example.endedAt;
  // A visit that started an hour ago, so that finishing it now is plausible.
  example.startedAt = new Date(Date.now() - 3600_000).toISOString();
  example.signature.signedAt = new Date().toISOString();
  $("record").value = JSON.stringify(example, null, 2);
  check();
}

function switchLanguage() {
  lang = lang === "zh" ? "en" : "zh";
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  $("lang").textContent = lang === "zh" ? "English" : "中文";
  for (const el of document.querySelectorAll("[data-zh]")) el.textContent = el.dataset[lang];
  check();
}

await init();
$("version").textContent = `xuncha core ${coreVersion()} · ${t("规则库", "rulebook")} ${rulebookInfo().version}`;
$("record").addEventListener("input", check);
$("finalise").addEventListener("click", () => finalise());
$("confirm").addEventListener("click", () => finalise(pendingWarnings));
$("reset").addEventListener("click", loadExample);
$("lang").addEventListener("click", switchLanguage);
await loadExample();
