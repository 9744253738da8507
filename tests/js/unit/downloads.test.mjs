// The console's CSV reading (for its Excel downloads): what the core and HQ write comes back cell for cell.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCsv } from "../../../www/src/staff/downloads.js";

test("CSV with a BOM, CRLF, quoted commas, doubled quotes and line breaks reads back cell for cell", () => {
  const text = '\uFEFF记录编号,经营者,情况\r\n1,"某""超市"",有限公司","两行\r\n说明"\r\n2,福州某某,\'=HYPERLINK(1)\r\n';
  assert.deepEqual(parseCsv(text), [
    ["记录编号", "经营者", "情况"],
    ["1", '某"超市",有限公司', "两行\r\n说明"],
    ["2", "福州某某", "'=HYPERLINK(1)"],
  ]);
  assert.deepEqual(parseCsv("a,b"), [["a", "b"]]);
  assert.deepEqual(parseCsv("a,\r\n"), [["a", ""]]);
});
