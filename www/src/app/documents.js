// On-site documents: the list a finalised visit needs, and each one on A4 for
// the browser's print. The core makes every document (content, order, the
// legal elements); this module only lays them out. Offline: nothing here
// leaves the device.
import qrcode from "qrcode-generator";
import { t, tx } from "./i18n.js";
import { h, formatTime, problemItems } from "./ui.js";
import { stillToHandOver, deliveryOf } from "./handover.js";

/** @typedef {import("../../../pkg/xuncha.js").VisitDocument} VisitDocument */
/** @typedef {import("../../../pkg/xuncha.js").DocumentSet} DocumentSet */
/** @typedef {import("../../../pkg/xuncha.js").DocumentValue} DocumentValue */

/**
 * Where a printed document is checked: HQ's public page, which says whether it
 * holds the finalised record with this hash (hq/src/api/verify.rs).
 * @param {VisitDocument} doc
 */
export function verifyUrl(doc, origin = location.origin) {
  const number = doc.number ? `&n=${encodeURIComponent(doc.number)}` : "";
  return `${origin}/verify?v=${encodeURIComponent(doc.visitId ?? "")}&h=${doc.recordSha256}${number}`;
}

/** A QR code as an image (a GIF data URL: offline, no canvas needed). */
function qrImage(text, alt) {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  return h("img", { class: "doc-qr", src: qr.createDataURL(3, 2), alt, width: String((qr.getModuleCount() + 4) * 3) });
}

/** The route of one document (its key holds a "/" for per-sample documents). */
export function documentHref(visitId, key) {
  return `#/visit/${visitId}/doc/${encodeURIComponent(key)}`;
}

/**
 * @typedef {{
 *   record: import("../../../pkg/xuncha.js").DeliveryRecord | undefined,
 *   methods: import("../../../pkg/xuncha.js").DeliveryMethodInfo[],
 *   mark: (doc: VisitDocument, fields: Record<string, any>, evidence: File | undefined) => Promise<void>,
 * }} Handover
 */

/**
 * The card on the result screen: every document the visit needs, to preview and
 * print, and — for those handed to the party — to mark as handed over (送达),
 * with what is still to hand over at the top; those the core refused, with what
 * is missing in the officer's words.
 * @param {{ id: string }} visit
 * @param {DocumentSet | null} set
 * @param {string} [error] why no documents could be made at all
 * @param {Handover} [handover]
 */
export function documentsCard(visit, set, error, handover) {
  if (!set) return h("div", { class: "card", id: "documents" }, h("h2", {}, t("documents")), h("p", { class: "warn" }, error ?? "—"));
  if (!set.documents.length && !set.refused.length) return h("div", { class: "card", id: "documents" }, h("h2", {}, t("documents")), h("p", { class: "muted", id: "no-documents" }, t("noDocuments")));
  const title = (/** @type {string} */ key) => tx(set.documents.find((d) => d.key === key)?.title ?? { zh: key, en: key });
  const still = handover ? stillToHandOver(set.toHandOver, handover.record) : [];
  return h("div", { class: "card", id: "documents" },
    h("h2", {}, t("documents")),
    handover && set.toHandOver.length ? h("p", { id: "still-to-hand-over", class: still.length ? "warn" : "ok-note", dataset: { count: String(still.length) } },
      still.length ? t("stillToHandOver", { n: still.length, list: still.map(title).join("、") }) : t("allHandedOver")) : null,
    h("ul", { class: "documents" }, set.documents.map((d) =>
      h("li", { class: "document-row", dataset: { key: d.key, kind: d.kind } },
        h("span", { class: "doc-icon", "aria-hidden": "true" }),
        h("span", { class: "doc-title" }, tx(d.title), sampleNo(d) ? h("span", { class: "muted" }, ` ${sampleNo(d)}`) : null, d.number ? h("span", { class: "muted doc-number" }, ` ${d.number}`) : null),
        h("a", { class: "button big", href: documentHref(visit.id, d.key) }, t("previewPrint")),
        handover && set.toHandOver.includes(d.key) ? handoverControl(d, handover) : null))),
    set.refused.length ? h("div", { class: "refused", id: "refused-documents" },
      h("h3", {}, t("documentsRefused")),
      h("ul", {}, set.refused.map((r) => h("li", { dataset: { key: r.key } },
        h("strong", {}, tx(r.title)),
        h("ul", { class: "problems" }, r.problems.map((p) => h("li", { class: "problem error", dataset: { code: p.code, path: p.path } }, tx(p.message),
          p.path === "" ? h("a", { href: "#/settings", class: "fix" }, ` ${t("setIssuer")}`) : null)))))),
      h("p", { class: "muted" }, t("refusedHint"))) : null);
}

/**
 * A document's delivery: how and when it was handed over, or the form to mark it
 * (the core's ways of delivery, each asking only for what it needs).
 * @param {VisitDocument} d
 * @param {Handover} handover
 */
function handoverControl(d, handover) {
  const done = deliveryOf(handover.record, d.key);
  if (done) {
    const method = handover.methods.find((m) => m.value === done.method);
    return h("p", { class: "handed-over", dataset: { method: done.method ?? "" } }, h("span", { class: "badge ok" }, t("handedOver")), " ",
      method ? tx(method.label) : "", done.deliveredAt ? ` · ${formatTime(done.deliveredAt)}` : "", done.recipient ? ` · ${done.recipient}` : "");
  }
  const id = `handover-${d.key.replace(/[^a-zA-Z0-9]/g, "_")}`;
  const problems = h("ul", { class: "problems" });
  const needed = {
    recipient: h("label", { class: "field" }, t("recipient"), h("input", { name: "recipient", autocomplete: "off" })),
    evidenceSha256: evidenceField(),
    address: h("div", {},
      h("label", { class: "field" }, t("deliveryAddress"), h("input", { name: "address", autocomplete: "off" })),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "addressConfirmed" }), " ", t("addressConfirmed"))),
  };
  const form = h("form", { class: "handover-form", id },
    h("fieldset", {}, h("legend", {}, t("deliveryMethod")),
      handover.methods.map((m, i) => h("label", { class: "choice" }, h("input", { type: "radio", name: "method", value: m.value, checked: i === 0, onchange: () => show(m) }), " ", tx(m.label)))),
    Object.values(needed),
    problems,
    h("button", { type: "submit", class: "primary big" }, t("confirmDelivery")));
  const show = (/** @type {import("../../../pkg/xuncha.js").DeliveryMethodInfo} */ m) => {
    for (const [need, el] of Object.entries(needed)) el.hidden = need !== m.needs;
  };
  show(handover.methods[0]);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const file = /** @type {File | null} */ (data.get("evidence"));
    try {
      await handover.mark(d, { method: data.get("method"), recipient: data.get("recipient") || undefined, address: data.get("address") || undefined, addressConfirmed: data.get("addressConfirmed") === "on" ? true : undefined }, file && file.size ? file : undefined);
    } catch (err) {
      problems.replaceChildren(...problemItems(/** @type {any} */ (err)));
    }
  });
  return h("details", { class: "handover" }, h("summary", { class: "button big", id: `${id}-open` }, t("markHandedOver")), form);
}

/** The photo or video of a refused delivery: one big button (the browser's own file control speaks its own language). */
function evidenceField() {
  const chosen = h("span", { class: "muted evidence-chosen" });
  const input = h("input", { name: "evidence", type: "file", accept: "image/*,video/*", capture: "environment", class: "visually-hidden",
    onchange: () => (chosen.textContent = input.files?.[0] ? `${t("chosen")}：${input.files[0].name}` : "") });
  return h("div", { class: "field" }, h("span", {}, t("evidencePhoto")),
    h("label", { class: "button big evidence-button" }, input, t("takePhotoOrVideo")), chosen);
}

/** @param {VisitDocument} d */
function sampleNo(d) {
  const v = d.parts.find((p) => p.element === "sample.number")?.value;
  return v?.type === "text" ? v.text : "";
}

/**
 * One document as it prints: A4 portrait, Chinese (the legal language of the
 * document), the record's hash on every page, 第 页 共 页 from the print CSS.
 * @param {VisitDocument} doc
 * @param {(sha256: string) => Promise<string | null>} imageUrl a signature image as a data URL
 */
export async function documentPage(doc, imageUrl, backHref) {
  const parts = [];
  for (const p of doc.parts) parts.push(await part(p, imageUrl));
  return h("section", { id: "document-screen" },
    h("div", { class: "screen-head no-print" },
      h("a", { href: backHref, class: "button" }, "‹ ", t("back")),
      h("h1", {}, tx(doc.title)),
      h("button", { class: "big primary", id: "print", onclick: () => print() }, t("print")),
      // Where the tablet can share (a messaging app, e-mail), the document's title, number and check link.
      "share" in navigator ? h("button", { class: "big", id: "share", onclick: () => navigator.share({ title: doc.title.zh, text: [doc.title.zh, doc.number].filter(Boolean).join(" "), url: verifyUrl(doc) }).catch(() => {}) }, t("share")) : null),
    h("article", { class: "document", lang: "zh-CN", dataset: { kind: doc.kind, key: doc.key } },
      h("h1", { class: "doc-heading" }, doc.title.zh),
      doc.number ? h("p", { class: "doc-number", id: "doc-number" }, doc.number) : null,
      parts,
      // Repeated on every printed page (fixed elements are): which record the page
      // rests on, and a QR code anyone can scan to check it against HQ.
      h("footer", { class: "doc-footer" },
        qrImage(verifyUrl(doc), "核验二维码"),
        h("span", {}, `${doc.title.zh}${doc.number ? ` · ${doc.number}` : ""} · 记录校验值 SHA-256：${doc.recordSha256}`, h("br"), "扫码核验文书与局存档记录是否一致"))));
}

/** @param {import("../../../pkg/xuncha.js").DocumentPart} p */
async function part(p, imageUrl) {
  const label = p.label.zh ? h("h2", { class: "doc-label" }, p.label.zh) : null;
  return h("div", { class: `doc-part ${p.value.type}`, dataset: { element: p.element } }, label, await value(p.value, imageUrl));
}

/** @param {DocumentValue} v */
async function value(v, imageUrl) {
  switch (v.type) {
    case "text":
      return h("p", { class: "doc-value" }, v.text);
    case "statement":
      return h("p", { class: "doc-statement" }, v.text.zh);
    case "lines":
      return h("div", { class: "doc-value" }, v.lines.map((l) => h("p", {}, l)));
    case "table":
      return h("table", { class: "doc-table" },
        h("thead", {}, h("tr", {}, v.columns.map((c) => h("th", {}, c.zh)))),
        h("tbody", {}, v.rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
    case "signatures": {
      const signers = [];
      for (const s of v.signers) {
        const src = s.imageSha256 ? await imageUrl(s.imageSha256) : null;
        signers.push(h("div", { class: "signer" },
          h("span", { class: "signer-role" }, `${s.role.zh}：`),
          src ? h("img", { class: "signature-image", src, alt: `${s.name ?? ""} 签名` }) : h("span", { class: "sign-line" }),
          h("span", { class: "signer-name" }, s.name ? `（${s.name}）` : ""),
          h("span", { class: "signer-date" }, s.signedAt ?? "　　年　　月　　日")));
      }
      return h("div", { class: "signatures" }, signers);
    }
  }
}
