// What a clerk takes away from the figures screen: the report paragraphs as a
// Word file (.docx, made by the `docx` library, loaded only when asked for),
// the summary table and the findings as CSV for Excel. Nothing here reads HQ:
// the caller hands over what it has.

/** Save `blob` as `name` through the browser's own download. */
export function saveAs(/** @type {Blob} */ blob, /** @type {string} */ name) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The report paragraphs as a Word document, set as a bureau's 报告 is: the
 * title in 小标宋, the body in 仿宋 三号 with a two-character first-line indent.
 * @param {string} title e.g. "2026年上半年 市场监管检查情况"
 * @param {string[]} paragraphs
 * @returns {Promise<Blob>}
 */
export async function reportDocx(title, paragraphs) {
  const { Document, Packer, Paragraph, TextRun, AlignmentType } = await import("docx");
  const body = (/** @type {string} */ text) =>
    new Paragraph({ children: [new TextRun({ text, font: "仿宋_GB2312", size: 32 })], indent: { firstLine: 640 }, spacing: { line: 560 } });
  const doc = new Document({
    creator: "xuncha",
    title,
    sections: [{
      children: [
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 400 }, children: [new TextRun({ text: title, font: "方正小标宋简体", size: 44 })] }),
        ...paragraphs.map(body),
      ],
    }],
  });
  return Packer.toBlob(doc);
}

/** CSV text (the core's and HQ's carry a BOM for Excel) as a file. */
export function csvBlob(/** @type {string} */ text) {
  return new Blob([text], { type: "text/csv;charset=utf-8" });
}
