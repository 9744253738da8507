// On-site documents: the list a finalised visit needs, and each one on A4 for
// the browser's print. The core makes every document (content, order, the
// legal elements); this module only lays them out. Offline: nothing here
// leaves the device.
import qrcode from "qrcode-generator";
import { t, tx } from "./i18n.js";
import { h } from "./ui.js";

/** @typedef {import("../../../pkg/xuncha.js").VisitDocument} VisitDocument */
/** @typedef {import("../../../pkg/xuncha.js").DocumentSet} DocumentSet */
/** @typedef {import("../../../pkg/xuncha.js").DocumentValue} DocumentValue */

/**
 * Where a printed document is checked: HQ's public page, which says whether it
 * holds the finalised record with this hash (hq/src/api/verify.rs).
 * @param {VisitDocument} doc
 */
export function verifyUrl(doc, origin = location.origin) {
  return `${origin}/verify?v=${encodeURIComponent(doc.visitId ?? "")}&h=${doc.recordSha256}`;
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
 * The card on the result screen: every document the visit needs, to preview and
 * print; those the core refused, with what is missing in the officer's words.
 * @param {{ id: string }} visit
 * @param {DocumentSet | null} set
 * @param {string} [error] why no documents could be made at all
 */
export function documentsCard(visit, set, error) {
  if (!set) return h("div", { class: "card", id: "documents" }, h("h2", {}, t("documents")), h("p", { class: "warn" }, error ?? "—"));
  return h("div", { class: "card", id: "documents" },
    h("h2", {}, t("documents")),
    h("ul", { class: "documents" }, set.documents.map((d) =>
      h("li", { class: "document-row", dataset: { key: d.key, kind: d.kind } },
        h("span", { class: "doc-icon", "aria-hidden": "true" }),
        h("span", { class: "doc-title" }, tx(d.title), sampleNo(d) ? h("span", { class: "muted" }, ` ${sampleNo(d)}`) : null),
        h("a", { class: "button big", href: documentHref(visit.id, d.key) }, t("previewPrint"))))),
    set.refused.length ? h("div", { class: "refused", id: "refused-documents" },
      h("h3", {}, t("documentsRefused")),
      h("ul", {}, set.refused.map((r) => h("li", { dataset: { key: r.key } },
        h("strong", {}, tx(r.title)),
        h("ul", { class: "problems" }, r.problems.map((p) => h("li", { class: "problem error", dataset: { code: p.code, path: p.path } }, tx(p.message),
          p.path === "" ? h("a", { href: "#/settings", class: "fix" }, ` ${t("setIssuer")}`) : null)))))),
      h("p", { class: "muted" }, t("refusedHint"))) : null);
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
      h("button", { class: "big primary", id: "print", onclick: () => print() }, t("print"))),
    h("article", { class: "document", lang: "zh-CN", dataset: { kind: doc.kind, key: doc.key } },
      h("h1", { class: "doc-heading" }, doc.title.zh),
      parts,
      // Repeated on every printed page (fixed elements are): which record the page
      // rests on, and a QR code anyone can scan to check it against HQ.
      h("footer", { class: "doc-footer" },
        qrImage(verifyUrl(doc), "核验二维码"),
        h("span", {}, `${doc.title.zh} · 记录校验值 SHA-256：${doc.recordSha256}`, h("br"), "扫码核验文书与局存档记录是否一致"))));
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
