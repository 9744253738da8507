// The visit editor: operator, site and officers; items of the four kinds;
// photos; the operator's signature (or the refusal, recorded or witnessed); finalise.
// Every change is checked by the core as the officer types (problems beside
// the field, findings as they arise, with their legal basis) and saved on the
// device shortly after, queued for HQ in the same write.
import { t, tx, getLang } from "./i18n.js";
import { h, toast, undoToast, twoTapButton, isoLocal, today, sha256Hex } from "./ui.js";
import { section, kindSections, subtypeOf, visibleFields, changeSubtype, optionLabel, itemName, term } from "./catalogue.js";
import { fieldRenderer } from "./form-fields.js";
import { recorderControl } from "./recorder.js";
import { isQuotaError } from "./db.js";
import { VisitDraft } from "./visit-store.js";
import { findingCard, syncNotice } from "./screens.js";
import { preparePhoto, MAX_PHOTO_BYTES } from "./photos.js";
import { licenceScanButton } from "./licence-scan.js";


export async function visitEditor(app, original, entry) {
  const { core, catalogue } = app;
  const kinds = kindSections(catalogue);
  // The record, its dirty flag and its saves live in the store; this view draws and reports edits.
  const draft = new VisitDraft(app.records, structuredClone(original), entry?.revision);
  const visit = draft.visit;
  visit.startedAt ??= isoLocal();
  visit.attachments ??= [];
  for (const sec of kinds) visit[sec.key] ??= [];
  const followUps = await app.records.followUps(visit.id);
  const issuer = await app.records.issuer();
  let root = null;
  let checkTimer = null;
  let saveTimer = null;
  const fields = new Map(); // JSON Pointer → field element
  const savedNote = h("span", { class: "saved-note", id: "saved-note", role: "status" });
  const problemsPanel = h("div", { class: "card problems", id: "problems" });
  const findingsPanel = h("div", { class: "card", id: "findings" });
  // Beside the form on a landscape tablet; in portrait a bar above the buttons
  // that opens over the form, so the counts stay in sight while typing.
  const sideSummary = h("button", { type: "button", class: "side-summary", id: "side-summary", "aria-expanded": "false", onclick: () => {
    const open = side.classList.toggle("open");
    sideSummary.setAttribute("aria-expanded", String(open));
    sideSummary.querySelector(".chevron").textContent = open ? "▾" : "▴";
  } });
  const side = h("aside", { class: "editor-side", id: "editor-side", tabindex: "0", "aria-label": `${t("problems")} / ${t("findings")}` }, sideSummary, problemsPanel, findingsPanel);

  // ---- fields ----------------------------------------------------------------
  function changed() {
    draft.touch();
    savedNote.textContent = "";
    savedNote.classList.remove("failed");
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 150);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, 1200);
  }

  const { field } = fieldRenderer({ registry: fields, onChange: () => changed(), media: { recording: (c) => recorderControl(c, keepRecording) } });
  const officerSection = section(catalogue, "officers");
  const refusalSection = section(catalogue, "refusal");
  const unreachableSection = section(catalogue, "unreachable");

  /** A part of the visit that is one object ("operator", "site"; "" is the visit's own notes). */
  function objectCard(key) {
    const sec = section(catalogue, key);
    const obj = key ? (visit[key] ??= {}) : visit;
    // The operator's credit code can be read off the licence's QR code, then goes in like a typed one.
    const scan = key === "operator" ? licenceScanButton(app.core, (code) => {
      const input = /** @type {HTMLInputElement | null} */ (document.getElementById("f_operator_creditCode"));
      if (!input) return;
      input.value = code;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }) : null;
    return h("div", { class: "card", dataset: { ptr: key ? `/${key}` : "/notes" } }, h("div", { class: "card-head" }, h("h2", {}, tx(sec.title)), scan),
      h("div", { class: "grid" }, sec.fields.map((f) => field(f, obj, key ? `/${key}` : ""))));
  }

  // ---- photos ------------------------------------------------------------------
  async function keepPhoto(file) {
    const photo = await preparePhoto(file);
    await app.records.keepPhoto(photo);
    if (!visit.attachments.some((a) => a.sha256 === photo.sha256)) visit.attachments.push({ sha256: photo.sha256, mediaType: photo.mediaType, sizeBytes: photo.size, takenAt: isoLocal() });
    return photo.sha256;
  }

  function photoStrip(owner, ptr) {
    const strip = h("div", { class: "photos", dataset: { ptr } });
    let urls = [];
    const draw = async () => {
      const shas = owner ? owner.photoSha256 ?? [] : visit.attachments.filter((a) => !referenced(a.sha256)).map((a) => a.sha256);
      // Object URLs hold the photo in memory until revoked: those of the last drawing go now.
      for (const u of urls) URL.revokeObjectURL(u);
      urls = [];
      const thumbs = [];
      for (const sha of shas) {
        const b = await app.records.photo(sha);
        if (!b) {
          thumbs.push(h("span", { class: "thumb missing" }, "…"));
          continue;
        }
        const url = URL.createObjectURL(b.blob);
        urls.push(url);
        thumbs.push(h("button", { type: "button", class: "thumb", "aria-label": t("viewPhoto"), onclick: () => viewPhoto(b.blob, () => {
          removePhoto(owner, sha);
          changed();
          draw();
        }) }, h("img", { class: "thumb", alt: t("photos"), src: url })));
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

  /** The photo large, with a way to take it out of the record (the bytes stay until nothing uses them). */
  function viewPhoto(blob, remove) {
    const url = URL.createObjectURL(blob);
    const dialog = h("dialog", { class: "photo-viewer", id: "photo-viewer" },
      h("img", { src: url, alt: t("photos") }),
      h("div", { class: "buttons" },
        h("button", { type: "button", class: "danger big", id: "remove-photo", onclick: () => (dialog.close(), remove()) }, t("removePhoto")),
        h("button", { type: "button", class: "big", id: "close-photo", onclick: () => dialog.close() }, t("close"))));
    dialog.addEventListener("close", () => (URL.revokeObjectURL(url), dialog.remove()));
    document.body.append(dialog);
    dialog.showModal();
  }

  function removePhoto(owner, sha) {
    if (owner) owner.photoSha256 = (owner.photoSha256 ?? []).filter((x) => x !== sha);
    if (!owner?.photoSha256?.length) delete owner?.photoSha256;
    if (!referenced(sha)) visit.attachments = visit.attachments.filter((a) => a.sha256 !== sha);
  }

  /** A refusal's recording: kept by hash like a photo, listed in the record (a new take replaces the last). */
  async function keepRecording(blob, mediaType) {
    if (blob.size > MAX_PHOTO_BYTES) throw new Error(t("recordingTooLarge"));
    const sha256 = await sha256Hex(await blob.arrayBuffer());
    await app.records.keepPhoto({ sha256, mediaType, size: blob.size, blob });
    const previous = visit.refusal?.recordingSha256;
    if (previous && previous !== sha256) visit.attachments = visit.attachments.filter((a) => a.sha256 !== previous);
    if (!visit.attachments.some((a) => a.sha256 === sha256)) visit.attachments.push({ sha256, mediaType, sizeBytes: blob.size, caption: t("refusalRecordingCaption"), takenAt: isoLocal() });
    return sha256;
  }

  function referenced(sha) {
    if (visit.signature?.imageSha256 === sha) return true;
    if (visit.refusal?.recordingSha256 === sha) return true;
    return kinds.some((k) => (visit[k.key] ?? []).some((x) => (x.photoSha256 ?? []).includes(sha)));
  }

  // ---- items of the four kinds ---------------------------------------------------
  // Each item card shows the fields of its subtype only (the core says which);
  // changing the subtype keeps what still applies and says what was dropped.
  function kindSection(sec) {
    const list = h("div", { class: "items" });
    const items = () => visit[sec.key];
    const draw = (notes = new Map()) => {
      list.replaceChildren(...items().map((item, i) => itemCard(sec, item, i, draw, notes.get(item))));
      check();
    };
    draw();
    return h("section", { class: "kind", id: `kind-${sec.kind}` },
      h("div", { class: "section-head" }, h("h2", {}, tx(sec.title)),
        h("button", { type: "button", class: "big", id: `add-${sec.kind}`, onclick: () => {
          items().push({ id: core.newId() });
          changed();
          draw();
          list.lastElementChild?.querySelector("select,input")?.focus();
        } }, "＋ ", t("addWhat", { what: tx(sec.title) }))),
      list);
  }

  function itemCard(sec, item, i, redraw, note) {
    const base = `/${sec.key}/${i}`;
    const subtype = subtypeOf(sec, item);
    const chooser = sec.fields.find((f) => f.path === sec.subtype);
    const shown = visibleFields(sec, subtype).filter((f) => f !== chooser);
    const summary = [subtype && tx(optionLabel(sec, sec.subtype, subtype)), itemName(sec, item)].filter(Boolean).join(" · ");
    const chooserField = field(chooser, item, base, subtype);
    // A change of subtype is its own edit: the card is drawn again for the new subtype.
    chooserField.querySelector("select").addEventListener("change", (e) => {
      const before = structuredClone(item);
      const { item: next, dropped } = changeSubtype(sec, before, e.target.value || undefined);
      visit[sec.key][i] = next;
      changed();
      redraw(new Map(dropped.length ? [[next, { before, dropped }]] : []));
    }, { capture: true });
    const card = h("div", { class: "card item", dataset: { ptr: base, kind: sec.kind, subtype: subtype ?? "" } },
      h("div", { class: "item-head" }, h("h3", {}, `${tx(sec.title)} ${i + 1}`, summary ? h("span", { class: "muted" }, `　${summary}`) : null),
        removeButton(() => {
          const removed = visit[sec.key].splice(i, 1)[0];
          changed();
          redraw();
          undoToast(t("itemRemoved", { what: `${tx(sec.title)} ${i + 1}` }), () => {
            visit[sec.key].splice(i, 0, removed);
            changed();
            redraw();
          });
        })),
      note ? droppedNote(note, () => {
        visit[sec.key][i] = note.before;
        changed();
        redraw();
      }) : null,
      h("div", { class: "grid" }, chooserField, subtype === undefined ? h("p", { class: "hint choose-first" }, t("chooseSubtypeFirst", { what: tx(chooser.label) })) : null, shown.map((f) => field(f, item, base, subtype))),
      h("div", { class: "field" }, h("span", { class: "label" }, t("photos")), photoStrip(item, `${base}/photoSha256`)),
      h("div", { class: "field-problems item-problems" }));
    fields.set(base, card);
    return card;
  }

  /** "已移除不适用于「水表」的内容：最大秤量、称量检查　[撤销]" */
  function droppedNote({ dropped }, undo) {
    return h("div", { class: "dropped-note", role: "status" },
      h("span", {}, t("droppedFields", { what: dropped.map((d) => tx(d.field.label)).join(getLang() === "en" ? ", " : "、") })),
      h("button", { type: "button", class: "small", id: "undo-subtype", onclick: undo }, t("undo")));
  }

  /** Delete asks first (two taps) and can be undone. */
  function removeButton(remove) {
    return twoTapButton({ class: "small danger", dataset: { action: "remove-item" } }, t("remove"), t("confirmRemove"), remove);
  }

  // ---- signature ------------------------------------------------------------------
  const signatureBox = h("div", { class: "card", id: "signature", dataset: { ptr: "/signature" } });
  fields.set("/signature", signatureBox);
  function drawSignature() {
    const problems = h("div", { class: "field-problems" });
    if (visit.signature?.imageSha256) {
      const img = h("img", { class: "signature-image", alt: t("signature") });
      app.records.photo(visit.signature.imageSha256).then((b) => b && (img.src = URL.createObjectURL(b.blob)));
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
      h("summary", {}, tx(refusalSection.title)),
      h("div", { class: "grid" }, refusalSection.fields.map((f) => field(f, refusalObj, "/refusal"))));
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
            await app.records.keepPhoto({ sha256, mediaType: "image/png", size: blob.size, blob });
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

  /**
   * What the visit's documents would lack once finalised (the core then refuses
   * them, and only an amendment can help): shown now as warnings at the fields,
   * where validation says nothing already.
   */
  function documentGaps(problems) {
    let set;
    try {
      set = core.visitDocuments({ ...visit, status: "finalised" }, { bureau: issuer.bureau || undefined, region: issuer.region || undefined, followUps });
    } catch {
      return []; // not yet a visit documents can be made from (no start time…)
    }
    const said = new Set(problems.map((p) => p.path));
    return set.refused.flatMap((r) => r.problems).filter((p) => !said.has(p.path)).map((p) => ({ ...p, severity: /** @type {const} */ ("warning") }));
  }

  let seenFindings = new Set();
  let firstCheck = true;
  function check() {
    try {
      const report = core.validateVisit(visit);
      place([...report.problems, ...documentGaps(report.problems)]);
      const ev = core.evaluateVisit(visit, { asOf: today(), followUps });
      const cards = ev.findings.map((f) => findingCard(f, catalogue));
      const key = (f) => `${f.code} ${f.path}`;
      const fresh = ev.findings.map((f, i) => (seenFindings.has(key(f)) ? null : cards[i])).filter(Boolean);
      seenFindings = new Set(ev.findings.map(key));
      for (const c of fresh) c.classList.add("new");
      findingsPanel.replaceChildren(h("h2", {}, t("findings"), " ", h("span", { class: `badge ${ev.findings.length ? "bad" : "ok"}`, id: "finding-count" }, String(ev.findings.length))),
        ev.findings.length ? h("ul", { class: "findings" }, cards) : h("p", {}, t("noFindings")));
      const errors = report.problems.filter((p) => p.severity === "error").length;
      sideSummary.replaceChildren(
        h("span", { class: `badge ${errors ? "bad" : "ok"}` }, t("toFixShort", { n: errors })), " ",
        h("span", { class: `badge ${ev.findings.length ? "bad" : "ok"}` }, t("findingsShort", { n: ev.findings.length })),
        h("span", { class: "chevron", "aria-hidden": "true" }, side.classList.contains("open") ? "▾" : "▴"));
      // A finding that just arose is brought into view in the panel (never the page under the officer's finger).
      if (fresh.length && !firstCheck) side.scrollTop += fresh[0].getBoundingClientRect().top - side.getBoundingClientRect().top - 64;
      firstCheck = false;
      const code = fields.get("/operator/creditCode");
      if (code && visit.operator?.creditCode?.length === 18 && !report.problems.some((p) => p.path === "/operator/creditCode")) code.querySelector(".field-problems").append(h("p", { class: "ok" }, "✓ ", t("creditCodeOk")));
      return report;
    } catch (e) {
      console.error(e);
      return null;
    }
  }

  // ---- saving, finalising ------------------------------------------------------------
  /** Save now if anything changed; true when what is on screen is on the device. */
  async function saveNow() {
    clearTimeout(saveTimer);
    try {
      if ((await draft.save()) === "saved") {
        savedNote.textContent = `✓ ${t("saved")}`;
        savedNote.classList.remove("failed");
      }
      return true;
    } catch (e) {
      // Stays on screen (a toast fades): what is typed here is not on the device yet.
      savedNote.textContent = `⚠ ${t("notSaved")}`;
      savedNote.classList.add("failed");
      toast(isQuotaError(e) ? t("quotaFull") : e.message, "error");
      return false;
    }
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
      const done = await app.records.numberDocuments(core.finaliseVisit(candidate, { confirmedWarnings }));
      await draft.saveAs(done);
      app.leaveGuard = null;
      location.hash = `#/visit/${visit.id}/result`;
    } catch (e) {
      if (e.code === "NEEDS_CONFIRMATION") {
        const warnings = e.problems.filter((p) => p.severity === "warning");
        confirmBox.hidden = false;
        confirmBox.replaceChildren(h("h2", {}, t("confirmWarnings")),
          h("ul", {}, warnings.map((p) => h("li", { dataset: { code: p.code } }, tx(p.message)))),
          h("div", { class: "buttons" },
            h("button", { type: "button", onclick: () => (confirmBox.hidden = true) }, t("cancel")),
            h("button", { type: "button", class: "primary big", id: "confirm-and-finalise", onclick: () => finalise(warnings.map((p) => ({ code: p.code, path: p.path }))) }, t("confirmAndFinalise"))));
        confirmBox.scrollIntoView({ block: "center" });
      } else if (e.code === "FINALISE_BLOCKED") {
        place(e.problems);
        const errors = e.problems.filter((p) => p.severity === "error");
        toast(t("finaliseBlocked", { n: errors.length }), "error");
        if (errors[0]) focusProblem(errors[0].path);
      } else if (e.code === "NUMBERS_EXHAUSTED") toast(t("numbersExhausted", { n: e.needed, left: e.left }), "error");
      else if (isQuotaError(e)) toast(t("quotaFull"), "error");
      else toast(tx(e.messages) || e.message, "error");
    }
  }

  // ---- discarding a draft ------------------------------------------------------------
  // Asks first (two taps), can be undone, and is never a deletion: the draft is
  // saved once more, marked discarded, and HQ keeps it in the record's history.
  function discardButton() {
    return twoTapButton({ class: "big danger discard", id: "discard-draft" }, t("discardDraft"), t("confirmDiscard"), async () => {
      if (!(await saveNow())) return;
      try {
        const gone = core.discardVisit(visit);
        await draft.saveAs(gone);
      } catch (e) {
        return toast(isQuotaError(e) ? t("quotaFull") : tx(e.messages) || e.message, "error");
      }
      app.leaveGuard = null;
      // Offered on the list, after the navigation has cleared the old screen's messages.
      addEventListener("hashchange", () => undoToast(t("draftDiscarded"), async () => {
        await app.records.saveVisit({ ...(await app.records.get(visit.id)).record, status: "draft" });
        location.hash = `#/visit/${visit.id}`;
      }), { once: true });
      location.hash = "#/";
    });
  }

  // ---- layout ------------------------------------------------------------------------
  const officersBox = h("div", { class: "rows" });
  const drawOfficers = () => {
    officersBox.replaceChildren(...(visit.officers ??= []).map((o, i) => h("div", { class: "row-line" },
      officerSection.fields.map((f) => field(f, o, `/officers/${i}`)))),
      h("button", { type: "button", class: "small", onclick: () => { visit.officers.push({}); drawOfficers(); } }, "＋ ", tx(officerSection.title)));
  };
  drawOfficers();
  fields.set("/officers", officersBox);

  // The operator could not be inspected (not found at its address, closed): a result of its own, folded away until needed.
  const unreachableObj = visit.unreachable ?? {};
  const unreachable = h("details", { class: "card", id: "unreachable", open: !!visit.unreachable, dataset: { ptr: "/unreachable" } },
    h("summary", {}, h("h2", {}, tx(unreachableSection.title))),
    h("p", { class: "hint" }, t("unreachableHint")),
    h("div", { class: "grid" }, unreachableSection.fields.map((f) => field(f, unreachableObj, "/unreachable"))));
  const keepUnreachable = () => {
    if (Object.values(unreachableObj).some((x) => x !== undefined && x !== "")) visit.unreachable = unreachableObj;
    else delete visit.unreachable;
  };
  unreachable.addEventListener("input", keepUnreachable);
  unreachable.addEventListener("change", keepUnreachable);

  // A visit for a 双随机 task says which, and what the task calls for.
  const task = visit.taskId ? (await app.records.tasks()).find((x) => x.id === visit.taskId) : undefined;
  root = h("section", { class: "editor", id: "editor", dataset: { id: visit.id } },
    h("div", { class: "screen-head" }, h("a", { href: "#/", class: "button" }, "‹ ", t("back")), h("h1", {}, visit.amends ? `${t("amend")}` : t("newVisit")), savedNote),
    task ? h("p", { class: "note task-note", id: "task-note" }, t("fromTask", { matter: task.matterTitle, plan: task.plan, due: task.due }),
      task.checkKinds?.length ? `（${task.checkKinds.map((k) => tx(term(app.catalogue, "checkKinds", k))).join("、")}）` : "") : null,
    noticeSlot,
    h("div", { class: "editor-grid" },
      h("div", { class: "editor-main" },
        objectCard("operator"),
        objectCard("site"),
        h("div", { class: "card" }, h("h2", {}, tx(officerSection.title)), officersBox),
        unreachable,
        objectCard("notice"),
        ...kinds.map(kindSection),
        objectCard(""),
        h("div", { class: "card" }, h("h2", {}, t("photos")), photoStrip(null, "/attachments")),
        signatureBox,
        confirmBox),
      side),
    h("div", { class: "action-bar" },
      discardButton(),
      h("button", { type: "button", class: "big", id: "save", onclick: async () => { draft.touch(); await saveNow(); } }, t("save")),
      h("button", { type: "button", class: "primary big", id: "finalise", onclick: () => finalise() }, t("finalise"))));
  for (const el of root.querySelectorAll("[data-ptr]")) if (!fields.has(el.dataset.ptr)) fields.set(el.dataset.ptr, el);
  queueMicrotask(check);
  return root;
}
