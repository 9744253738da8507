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

/**
 * Rows of CSV text as the core and HQ write it (RFC 4180: quoted fields may
 * hold commas, quotes doubled, line breaks; a leading BOM; CRLF).
 * @param {string} text
 * @returns {string[][]}
 */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && s[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += ch;
  }
  if (field !== "" || row.length) row.push(field), rows.push(row);
  return rows;
}

/**
 * The same table as an Excel workbook (.xlsx, by the `write-excel-file`
 * library, loaded only when asked for): the header row bold, columns sized to
 * their text, numbers as numbers.
 * @param {string[][]} rows the first is the header
 * @returns {Promise<Blob>}
 */
export async function xlsxBlob(rows) {
  const { default: writeExcelFile } = await import("write-excel-file/browser");
  const number = /^-?\d{1,11}(\.\d+)?$/;
  const sheet = rows.map((r, i) => r.map((value) => (i > 0 && number.test(value) ? { value: Number(value), type: Number } : { value, type: String, ...(i === 0 ? { fontWeight: "bold" } : {}) })));
  const width = (/** @type {number} */ c) => Math.min(60, Math.max(6, ...rows.map((r) => [...(r[c] ?? "")].reduce((n, ch) => n + (ch.charCodeAt(0) > 255 ? 2 : 1), 0))));
  const columns = (rows[0] ?? []).map((_, c) => ({ width: width(c) }));
  return writeExcelFile(/** @type {any} */ (sheet), { columns }).toBlob();
}

/** Rows as CSV text (RFC 4180: a field with a comma, quote or line break quoted, quotes doubled). @param {string[][]} rows */
export function csvText(rows) {
  const cell = (/** @type {string} */ v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return rows.map((r) => r.map((v) => cell(String(v ?? ""))).join(",")).join("\r\n") + "\r\n";
}

/**
 * The first sheet of an Excel workbook (.xlsx, by the `read-excel-file`
 * library, loaded only when asked for) as rows of text, as the spreadsheet
 * shows them: dates as YYYY-MM-DD, numbers as written, true/false as 是/否.
 * @param {Blob} file
 * @returns {Promise<string[][]>}
 */
export async function xlsxRows(file) {
  const { readSheet } = await import("read-excel-file/browser");
  const data = await readSheet(file);
  const text = (/** @type {unknown} */ v) =>
    v == null ? "" : v instanceof Date ? v.toISOString().slice(0, 10) : v === true ? "是" : v === false ? "否" : String(v);
  return data.map((row) => row.map(text));
}
