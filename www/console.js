// Record-check console: all checking is done by the wasm core; this file only
// reads the textarea and draws the report.
import init, { validateVisit, finaliseVisit, coreVersion } from "./pkg/xuncha.js";

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

function check() {
  let record;
  try {
    record = JSON.parse($("record").value);
  } catch (e) {
    show(t("不是有效的 JSON：", "Not valid JSON: ") + e.message, false, []);
    return null;
  }
  const r = validateVisit(record);
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

async function loadExample() {
  const example = await (await fetch("example-visit.json")).json();
  example.status = "draft";
  delete example.finalisedAt;
  delete example.endedAt;
  // A visit that started an hour ago, so that finishing it now is plausible.
  const start = new Date(Date.now() - 3600_000);
  example.startedAt = start.toISOString();
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
$("version").textContent = `xuncha core ${coreVersion()}`;
$("record").addEventListener("input", check);
$("finalise").addEventListener("click", () => finalise());
$("confirm").addEventListener("click", () => finalise(pendingWarnings));
$("reset").addEventListener("click", loadExample);
$("lang").addEventListener("click", switchLanguage);
await loadExample();
