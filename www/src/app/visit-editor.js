// The visit editor: operator, site and officers; items of the four kinds;
// photos; the operator's signature (or refusal with a witness); finalise.
// Every change is checked by the core as the officer types (problems beside
// the field, findings as they arise, with their legal basis) and saved on the
// device shortly after, queued for HQ in the same write.
import { t, tx } from "./i18n.js";
import { h, toast, isoLocal, today, sha256Hex } from "./ui.js";
import { HEADER, OFFICER, REFUSAL, KINDS, pointer, getAt, setAt } from "./forms.js";
import { putBlob, isQuotaError } from "./db.js";
import { findingCard, syncNotice } from "./screens.js";

const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
const PHOTO_LONG_SIDE = 2048;
const HQ_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic"]; // what HQ's attachment upload accepts

export async function visitEditor(app, original, entry) {
  const { core, db } = app;
  const visit = structuredClone(original);
  visit.startedAt ??= isoLocal();
  for (const k of ["attachments", "priceChecks", "instrumentChecks", "equipmentChecks", "samples"]) visit[k] ??= [];
  const followUps = await app.records.followUps(visit.id);
  let dirty = false;
  let root = null;
  let checkTimer = null;
  let saveTimer = null;
  const fields = new Map(); // JSON Pointer → field element
  const savedNote = h("span", { class: "saved-note", id: "saved-note", role: "status" });
  const problemsPanel = h("div", { class: "card problems", id: "problems" });
  const findingsPanel = h("div", { class: "card", id: "findings" });

  // ---- fields ----------------------------------------------------------------
  function changed() {
    dirty = true;
    savedNote.textContent = "";
    savedNote.classList.remove("failed");
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 150);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, 1200);
  }

  function control(spec, obj, ptr) {
    const value = getAt(obj, spec.key);
    const id = `f${ptr.replace(/[^a-zA-Z0-9]/g, "_")}`;
    const set = (v) => (setAt(obj, spec.key, v), changed());
    switch (spec.type) {
      case "select":
        return h("select", { id, onchange: (e) => set(e.target.value || undefined) },
          h("option", { value: "" }, t("unset")),
          spec.options.map((o) => h("option", { value: o.value, selected: value === o.value }, tx(o.label))));
      case "bool":
        return h("select", { id, class: "bool", onchange: (e) => set(e.target.value === "" ? undefined : e.target.value === "true") },
          h("option", { value: "" }, t("unset")), h("option", { value: "true", selected: value === true }, t("yes")), h("option", { value: "false", selected: value === false }, t("no")));
      case "multi":
        return h("div", { class: "chips", id, role: "group" }, spec.options.map((o) =>
          h("label", { class: "chip" }, h("input", { type: "checkbox", checked: (value ?? []).includes(o.value), onchange: (e) => {
            const now = new Set(getAt(obj, spec.key) ?? []);
            e.target.checked ? now.add(o.value) : now.delete(o.value);
            set(spec.options.map((x) => x.value).filter((x) => now.has(x)));
          } }), tx(o.label))));
      case "list":
        return h("input", { id, value: (value ?? []).join("，"), oninput: (e) => set(e.target.value.split(/[,，、]/).map((s) => s.trim()).filter(Boolean)) });
      case "number":
        return h("input", { id, type: "number", inputmode: "decimal", step: "any", value: value ?? "", oninput: (e) => set(e.target.value === "" ? undefined : Number(e.target.value)) });
      case "date":
        return h("input", { id, type: "date", value: value ?? "", oninput: (e) => set(e.target.value || undefined) });
      case "rows":
        return rows(spec, obj, ptr);
      default:
        return h("input", { id, type: spec.type === "tel" ? "tel" : "text", value: value ?? "", autocapitalize: spec.upper ? "characters" : "off",
          oninput: (e) => set((spec.upper ? e.target.value.toUpperCase() : e.target.value).trim() || undefined) });
    }
  }

  function field(spec, obj, base) {
    const ptr = pointer(base, spec.key);
    const input = control(spec, obj, ptr);
    const el = h("div", { class: `field field-${spec.type}`, dataset: { ptr } },
      h("label", { for: input.id }, tx(spec.label)),
      input,
      spec.hint ? h("small", { class: "hint" }, tx(spec.hint)) : null,
      h("div", { class: "field-problems", "aria-live": "polite" }));
    fields.set(ptr, el);
    return el;
  }

  function rows(spec, obj, ptr) {
    const box = h("div", { class: "rows", id: `f${ptr.replace(/[^a-zA-Z0-9]/g, "_")}` });
    const draw = () => {
      const list = getAt(obj, spec.key) ?? [];
      box.replaceChildren(
        ...list.map((row, i) => h("div", { class: "row-line" },
          spec.fields.map((f) => field(f, row, `${ptr}/${i}`)),
          h("button", { type: "button", class: "small", "aria-label": t("remove"), onclick: () => (list.splice(i, 1), setAt(obj, spec.key, list.slice()), changed(), draw()) }, "✕"))),
        h("button", { type: "button", class: "small", onclick: () => { const l = getAt(obj, spec.key) ?? []; l.push({}); setAt(obj, spec.key, l); changed(); draw(); } }, "＋ ", t("addRow")));
    };
    draw();
    return box;
  }

  // ---- photos ------------------------------------------------------------------
  async function keepPhoto(file) {
    let blob = file;
    // Large photos are downscaled, and types HQ does not take (GIF, BMP…) re-encoded as JPEG.
    if (blob.size > 2 * 1024 * 1024 || !HQ_TYPES.includes(blob.type)) blob = await downscale(file).catch(() => file);
    if (blob.size > MAX_PHOTO_BYTES) throw new Error(t("photoTooLarge"));
    const sha256 = await sha256Hex(await blob.arrayBuffer());
    await putBlob(db, { sha256, mediaType: blob.type || "image/jpeg", size: blob.size, blob });
    if (!visit.attachments.some((a) => a.sha256 === sha256)) visit.attachments.push({ sha256, mediaType: blob.type || "image/jpeg", sizeBytes: blob.size, takenAt: isoLocal() });
    return sha256;
  }

  function photoStrip(owner, ptr) {
    const strip = h("div", { class: "photos", dataset: { ptr } });
    const draw = async () => {
      const shas = owner ? owner.photoSha256 ?? [] : visit.attachments.filter((a) => !referenced(a.sha256)).map((a) => a.sha256);
      const thumbs = [];
      for (const sha of shas) {
        const b = await db.get("blobs", sha);
        thumbs.push(b ? h("img", { class: "thumb", alt: t("photos"), src: URL.createObjectURL(b.blob) }) : h("span", { class: "thumb missing" }, "…"));
      }
      const input = h("input", { type: "file", accept: "image/*", capture: "environment", class: "visually-hidden", multiple: true });
      input.addEventListener("change", async () => {
        for (const file of input.files) {
          try {
            const sha = await keepPhoto(file);
            if (owner) (owner.photoSha256 ??= []).includes(sha) || owner.photoSha256.push(sha);
          } catch (e) {
            toast(isQuotaError(e) ? t("quotaFull") : e.message, "error");
          }
        }
        changed();
        draw();
      });
      strip.replaceChildren(...thumbs, h("label", { class: "button photo-button" }, "＋ ", t("takePhoto"), input));
    };
    draw();
    return strip;
  }

  function referenced(sha) {
    if (visit.signature?.imageSha256 === sha) return true;
    return Object.values(KINDS).some((k) => (visit[k.list] ?? []).some((x) => (x.photoSha256 ?? []).includes(sha)));
  }

  // ---- items of the four kinds ---------------------------------------------------
  function kindSection(kindKey) {
    const kind = KINDS[kindKey];
    const list = h("div", { class: "items" });
    const draw = () => {
      list.replaceChildren(...visit[kind.list].map((item, i) => {
        const base = `/${kind.list}/${i}`;
        const card = h("div", { class: "card item", dataset: { ptr: base, kind: kindKey } },
          h("div", { class: "item-head" }, h("h3", {}, `${tx(kind.title)} ${i + 1}`),
            h("button", { type: "button", class: "small danger", onclick: () => { visit[kind.list].splice(i, 1); changed(); draw(); } }, t("remove"))),
          h("div", { class: "grid" }, kind.fields.map((f) => field(f, item, base))),
          h("div", { class: "field" }, h("span", { class: "label" }, t("photos")), photoStrip(item, `${base}/photoSha256`)),
          h("div", { class: "field-problems item-problems" }));
        fields.set(base, card);
        return card;
      }));
      check();
    };
    draw();
    return h("section", { class: "kind", id: `kind-${kindKey}` },
      h("div", { class: "section-head" }, h("h2", {}, tx(kind.title)),
        h("button", { type: "button", class: "big", id: `add-${kindKey}`, onclick: () => { visit[kind.list].push({ id: core.newId() }); changed(); draw(); list.lastElementChild?.querySelector("input,select")?.focus(); } }, "＋ ", t("add"), tx(kind.title))),
      list);
  }

  // ---- signature ------------------------------------------------------------------
  const signatureBox = h("div", { class: "card", id: "signature", dataset: { ptr: "/signature" } });
  fields.set("/signature", signatureBox);
  function drawSignature() {
    const problems = h("div", { class: "field-problems" });
    if (visit.signature?.imageSha256) {
      const img = h("img", { class: "signature-image", alt: t("signature") });
      db.get("blobs", visit.signature.imageSha256).then((b) => b && (img.src = URL.createObjectURL(b.blob)));
      signatureBox.replaceChildren(h("h2", {}, t("signature")), h("p", { id: "signed" }, `${t("signed")}：${visit.signature.signerName ?? ""}`), img,
        h("button", { type: "button", onclick: () => { delete visit.signature; changed(); drawSignature(); } }, t("clear")), problems);
      return;
    }
    const canvas = h("canvas", { id: "signature-pad", width: 800, height: 260, "aria-label": t("signature") });
    const ctx = canvas.getContext("2d");
    ctx.lineWidth = 4;
    ctx.lineCap = "round";
    let drawing = false;
    let inked = false;
    const at = (e) => {
      const r = canvas.getBoundingClientRect();
      return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
    };
    canvas.addEventListener("pointerdown", (e) => { drawing = true; canvas.setPointerCapture(e.pointerId); ctx.beginPath(); ctx.moveTo(...at(e)); });
    canvas.addEventListener("pointermove", (e) => { if (!drawing) return; ctx.lineTo(...at(e)); ctx.stroke(); inked = true; });
    canvas.addEventListener("pointerup", () => (drawing = false));
    const signer = h("input", { id: "signer-name", value: visit.operator?.contactName ?? "" });
    const refusalObj = visit.refusal ?? {};
    const refusal = h("details", { id: "refusal", open: !!visit.refusal },
      h("summary", {}, t("refusal")),
      h("div", { class: "grid" }, REFUSAL.map((f) => field(f, refusalObj, "/refusal"))));
    refusal.addEventListener("input", () => {
      const filled = Object.values(refusalObj).some(Boolean);
      if (filled) visit.refusal = refusalObj;
      else delete visit.refusal;
    });
    signatureBox.replaceChildren(
      h("h2", {}, t("signature")),
      h("label", { for: "signer-name" }, t("signerName")), signer,
      canvas,
      h("div", { class: "buttons" },
        h("button", { type: "button", onclick: () => { ctx.clearRect(0, 0, canvas.width, canvas.height); inked = false; } }, t("clear")),
        h("button", { type: "button", class: "primary", id: "confirm-signature", onclick: async () => {
          if (!inked) return toast(t("signatureMissing"), "error");
          const blob = await new Promise((ok) => canvas.toBlob(ok, "image/png"));
          const sha256 = await sha256Hex(await blob.arrayBuffer());
          try {
            await putBlob(db, { sha256, mediaType: "image/png", size: blob.size, blob });
          } catch (e) {
            return toast(isQuotaError(e) ? t("quotaFull") : e.message, "error");
          }
          if (!visit.attachments.some((a) => a.sha256 === sha256)) visit.attachments.push({ sha256, mediaType: "image/png", sizeBytes: blob.size, takenAt: isoLocal() });
          visit.signature = { signerName: signer.value.trim() || undefined, imageSha256: sha256, signedAt: isoLocal() };
          delete visit.refusal;
          changed();
          drawSignature();
        } }, t("confirmSignature"))),
      refusal, problems);
  }
  drawSignature();

  // ---- checking ----------------------------------------------------------------------
  function place(problems) {
    for (const el of fields.values()) {
      el.classList.remove("has-error", "has-warning");
      el.querySelector(":scope > .field-problems")?.replaceChildren();
    }
    for (const el of root?.querySelectorAll(".field-problems") ?? []) el.replaceChildren();
    const loose = [];
    for (const p of problems) {
      let path = p.path;
      let el = fields.get(path);
      while (!el && path.includes("/")) {
        path = path.slice(0, path.lastIndexOf("/"));
        el = fields.get(path);
      }
      const msg = h("p", { class: `problem ${p.severity}`, dataset: { code: p.code } }, tx(p.message));
      if (el) {
        el.classList.add(p.severity === "error" ? "has-error" : "has-warning");
        (el.querySelector(":scope > .field-problems") ?? el.querySelector(".field-problems"))?.append(msg);
      } else loose.push(msg);
    }
    const errors = problems.filter((p) => p.severity === "error").length;
    problemsPanel.replaceChildren(
      h("h2", {}, t("problems"), " ", h("span", { class: `badge ${errors ? "bad" : "ok"}`, id: "error-count" }, String(errors))),
      problems.length ? h("ul", {}, problems.map((p) => h("li", { class: p.severity }, h("a", { href: "javascript:void 0", onclick: () => focusProblem(p.path) }, tx(p.message))))) : h("p", {}, t("noProblems")),
      ...loose);
  }

  function focusProblem(path) {
    let el = fields.get(path);
    while (!el && path.includes("/")) el = fields.get((path = path.slice(0, path.lastIndexOf("/"))));
    el?.scrollIntoView({ block: "center" });
    el?.querySelector("input,select,canvas")?.focus();
  }

  function check() {
    try {
      const report = core.validateVisit(visit);
      place(report.problems);
      const ev = core.evaluateVisit(visit, { asOf: today(), followUps });
      findingsPanel.replaceChildren(h("h2", {}, t("findings"), " ", h("span", { class: `badge ${ev.findings.length ? "bad" : "ok"}`, id: "finding-count" }, String(ev.findings.length))),
        ev.findings.length ? h("ul", { class: "findings" }, ev.findings.map(findingCard)) : h("p", {}, t("noFindings")));
      const code = fields.get("/operator/creditCode");
      if (code && visit.operator?.creditCode?.length === 18 && !report.problems.some((p) => p.path === "/operator/creditCode")) code.querySelector(".field-problems").append(h("p", { class: "ok" }, "✓ ", t("creditCodeOk")));
      return report;
    } catch (e) {
      console.error(e);
      return null;
    }
  }

  // ---- saving, finalising ------------------------------------------------------------
  // The revision this screen's copy was made from: what its next save is based on.
  let basedOn = entry?.revision;
  // Saves from this screen run one at a time, so a tap on 保存 during an
  // autosave waits for it (and 已保存 means on the device).
  let saving = Promise.resolve(true);
  const inTurn = (write) => (saving = saving.then(write, write));

  function saveNow() {
    clearTimeout(saveTimer);
    return inTurn(async () => {
      if (!dirty) return true;
      dirty = false;
      try {
        ({ revision: basedOn } = await app.records.saveVisit(visit, [], { basedOn })); // (saved as a copy: the JSON that travels)
        savedNote.textContent = `✓ ${t("saved")}`;
        savedNote.classList.remove("failed");
        return true;
      } catch (e) {
        dirty = true;
        // Stays on screen (a toast fades): what is typed here is not on the device yet.
        savedNote.textContent = `⚠ ${t("notSaved")}`;
        savedNote.classList.add("failed");
        toast(isQuotaError(e) ? t("quotaFull") : e.message, "error");
        return false;
      }
    });
  }
  // Run before leaving the editor, and when the page is hidden or closed (main.js).
  app.leaveGuard = saveNow;
  // HQ's answer (rejected, conflict) shows while the officer is here; the fields are left alone.
  const noticeSlot = h("div", { id: "sync-notice" }, entry ? syncNotice(app, entry) : null);
  app.refreshEditorNotice = async () => noticeSlot.replaceChildren(syncNotice(app, await app.records.get(visit.id)) ?? "");

  const confirmBox = h("div", { class: "card confirm", id: "confirm-warnings", hidden: true });

  async function finalise(confirmedWarnings = []) {
    if (!(await saveNow())) return;
    const candidate = structuredClone(visit);
    candidate.endedAt ??= isoLocal();
    try {
      const done = core.finaliseVisit(candidate, { confirmedWarnings });
      await inTurn(async () => ({ revision: basedOn } = await app.records.saveVisit(done, [], { basedOn })));
      app.leaveGuard = null;
      location.hash = `#/visit/${visit.id}/result`;
    } catch (e) {
      if (e.code === "NEEDS_CONFIRMATION") {
        const warnings = e.problems.filter((p) => p.severity === "warning");
        confirmBox.hidden = false;
        confirmBox.replaceChildren(h("h2", {}, t("confirmWarnings")),
          h("ul", {}, warnings.map((p) => h("li", {}, tx(p.message), h("small", { class: "muted" }, ` (${p.code})`)))),
          h("div", { class: "buttons" },
            h("button", { type: "button", onclick: () => (confirmBox.hidden = true) }, t("cancel")),
            h("button", { type: "button", class: "primary big", id: "confirm-and-finalise", onclick: () => finalise(warnings.map((p) => ({ code: p.code, path: p.path }))) }, t("confirmAndFinalise"))));
        confirmBox.scrollIntoView({ block: "center" });
      } else if (e.code === "FINALISE_BLOCKED") {
        place(e.problems);
        const errors = e.problems.filter((p) => p.severity === "error");
        toast(t("finaliseBlocked", { n: errors.length }), "error");
        if (errors[0]) focusProblem(errors[0].path);
      } else if (isQuotaError(e)) toast(t("quotaFull"), "error");
      else toast(tx(e.messages) || e.message, "error");
    }
  }

  // ---- layout ------------------------------------------------------------------------
  const officersBox = h("div", { class: "rows" });
  const drawOfficers = () => {
    officersBox.replaceChildren(...(visit.officers ??= []).map((o, i) => h("div", { class: "row-line" },
      OFFICER.map((f) => field(f, o, `/officers/${i}`)))),
      h("button", { type: "button", class: "small", onclick: () => { visit.officers.push({}); drawOfficers(); } }, "＋ ", t("officer")));
  };
  drawOfficers();
  fields.set("/officers", officersBox);

  root = h("section", { class: "editor", id: "editor", dataset: { id: visit.id } },
    h("div", { class: "screen-head" }, h("a", { href: "#/", class: "button" }, "‹ ", t("back")), h("h1", {}, visit.amends ? `${t("amend")}` : t("newVisit")), savedNote),
    noticeSlot,
    h("div", { class: "editor-grid" },
      h("div", { class: "editor-main" },
        h("div", { class: "card", dataset: { ptr: "/operator" } }, h("h2", {}, t("operator")), h("div", { class: "grid" }, HEADER.operator.map((f) => field(f, (visit.operator ??= {}), "/operator")))),
        h("div", { class: "card" }, h("h2", {}, t("site")), h("div", { class: "grid" }, HEADER.site.map((f) => field(f, (visit.site ??= {}), "/site")))),
        h("div", { class: "card" }, h("h2", {}, t("officers")), officersBox),
        ...Object.keys(KINDS).map(kindSection),
        h("div", { class: "card" }, h("h2", {}, t("photos")), photoStrip(null, "/attachments")),
        signatureBox,
        confirmBox),
      h("aside", { class: "editor-side", tabindex: "0", "aria-label": `${t("problems")} / ${t("findings")}` }, problemsPanel, findingsPanel)),
    h("div", { class: "action-bar" },
      h("button", { type: "button", class: "big", id: "save", onclick: async () => { dirty = true; await saveNow(); } }, t("save")),
      h("button", { type: "button", class: "primary big", id: "finalise", onclick: () => finalise() }, t("finalise"))));
  for (const el of root.querySelectorAll("[data-ptr]")) if (!fields.has(el.dataset.ptr)) fields.set(el.dataset.ptr, el);
  queueMicrotask(check);
  return root;
}

async function downscale(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, PHOTO_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error("encode"))), "image/jpeg", 0.85));
}
