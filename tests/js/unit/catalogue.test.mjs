// The app's use of the core's form catalogue, without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import core from "./core.mjs";
import { section, kindSections, visibleFields, visibleOptions, isRequired, changeSubtype, setAt, getAt, parseList, term, labelWithUnit, itemName, fieldAt } from "../../../www/src/app/catalogue.js";

const catalogue = core.formCatalogue();
const paths = (fields) => fields.map((f) => f.path);

test("the four kinds of check, each with its subtype chooser, in the core's order", () => {
  assert.deepEqual(kindSections(catalogue).map((s) => [s.key, s.kind, s.subtype]), [
    ["priceChecks", "price", "subject"],
    ["instrumentChecks", "metrology", "instrumentType"],
    ["equipmentChecks", "equipment", "kind"],
    ["samples", "sampling", "category"],
  ]);
  assert.equal(catalogue.schemaVersion, core.schemaVersion());
  assert.equal(catalogue.protocolVersion, core.protocolVersion());
});

test("a water meter shows its installation date and DN and no scale fields; a scale the reverse", () => {
  const m = section(catalogue, "instrumentChecks");
  const water = paths(visibleFields(m, "waterMeter"));
  assert.ok(water.includes("installedOn") && water.includes("nominalDiameterMm"));
  assert.ok(!water.includes("maxG") && !water.includes("weighings"));
  const scale = paths(visibleFields(m, "priceScale"));
  assert.ok(scale.includes("maxG") && scale.includes("weighings") && !scale.includes("installedOn"));
  // Before a type is chosen, only what every type has.
  assert.ok(!paths(visibleFields(m, undefined)).includes("maxG"));
  const dn = m.fields.find((f) => f.path === "nominalDiameterMm");
  assert.equal(isRequired(dn, "waterMeter", {}), true);
  assert.equal(labelWithUnit(dn, "zh"), "公称口径（mm）");
});

test("a goods tag offers goods elements, a service list the service ones", () => {
  const p = section(catalogue, "priceChecks");
  const elements = p.fields.find((f) => f.path === "elementsSeen");
  assert.deepEqual(visibleOptions(elements, "goods").map((o) => o.value), ["name", "price", "unit", "specification", "origin", "grade", "colour"]);
  assert.deepEqual(visibleOptions(elements, "service").map((o) => o.value), ["serviceItem", "serviceContent", "priceOrMethod"]);
});

test("a group's fields are marked required only once the group is recorded", () => {
  const p = section(catalogue, "priceChecks");
  const price = p.fields.find((f) => f.path === "comparison.price");
  assert.equal(isRequired(price, "goods", {}), false);
  assert.equal(isRequired(price, "goods", { comparison: { detailsShown: false } }), true);
});

test("changing the subtype keeps what applies and returns what was dropped", () => {
  const m = section(catalogue, "instrumentChecks");
  const scale = { id: "x", instrumentType: "priceScale", serialNo: "ACS-1", tradeUse: true, maxG: 15000, eG: 5, weighings: [{ loadG: 5000, readingG: 5010 }] };
  const { item, dropped } = changeSubtype(m, scale, "waterMeter");
  assert.deepEqual(item, { id: "x", instrumentType: "waterMeter", serialNo: "ACS-1", tradeUse: true });
  assert.deepEqual(dropped.map((d) => d.field.path).sort(), ["eG", "maxG", "weighings"]);
  assert.equal(scale.maxG, 15000, "the original is untouched (it is what undo restores)");
  const p = section(catalogue, "priceChecks");
  const tag = changeSubtype(p, { subject: "goods", elementsSeen: ["name", "price"], pricingUnit: "元/500克" }, "service");
  assert.deepEqual(tag.item, { subject: "service" });
  assert.deepEqual(tag.dropped.map((d) => [d.field.path, d.value]), [["elementsSeen", ["name", "price"]], ["pricingUnit", "元/500克"]]);
});

test("setting by path creates groups and removes them when emptied", () => {
  const item = {};
  setAt(item, "comparison.price", 899);
  assert.deepEqual(item, { comparison: { price: 899 } });
  assert.equal(getAt(item, "comparison.price"), 899);
  setAt(item, "comparison.price", undefined);
  assert.deepEqual(item, {}, "an empty comparison would ask for its fields");
  setAt(item, "sealNos", []);
  assert.deepEqual(item, {});
});

test("lists typed in one line, with Chinese or Latin separators", () => {
  assert.deepEqual(parseList("FT-1，FT-2、FT-3, FT-4"), ["FT-1", "FT-2", "FT-3", "FT-4"]);
  assert.deepEqual(parseList("9.5，10", true), [9.5, 10]);
  assert.deepEqual(parseList(" ， "), []);
});

test("the core's words for measures and deadline states", () => {
  assert.equal(term(catalogue, "measures", "orderRectifyByDeadline").zh, "责令限期改正");
  assert.equal(term(catalogue, "deadlineStatuses", "metOnTime").zh, "按期完成");
  assert.equal(term(catalogue, "findingLevels", "violation").zh, "违法");
});

test("an item is called by its first text the officer filled (else its code), in the core's field order", () => {
  assert.equal(itemName(section(catalogue, "priceChecks"), { subject: "goods", itemName: "猪肉" }), "猪肉");
  assert.equal(itemName(section(catalogue, "instrumentChecks"), { instrumentType: "waterMeter", serialNo: "SB-1" }), "SB-1");
  assert.equal(itemName(section(catalogue, "samples"), { category: "food", sampleNo: "DC1", productName: "芹菜" }), "芹菜");
  assert.equal(itemName(section(catalogue, "samples"), { category: "food", sampleNo: "DC1" }), "DC1");
  assert.equal(itemName(section(catalogue, "samples"), { category: "food" }), undefined);
});

test("a pointer into a visit names the part and field the catalogue describes", () => {
  const at = (p) => {
    const f = fieldAt(catalogue, p);
    return f && [f.section.key, f.index, f.field?.path];
  };
  assert.deepEqual(at("/operator/name"), ["operator", undefined, "name"]);
  assert.deepEqual(at("/priceChecks/2/markedPrice"), ["priceChecks", 2, "markedPrice"]);
  assert.deepEqual(at("/instrumentChecks/0/verification/markPresent"), ["instrumentChecks", 0, "verification.markPresent"]);
  // Below a table field: the table.
  assert.deepEqual(at("/instrumentChecks/0/weighings/1/readingG"), ["instrumentChecks", 0, "weighings"]);
  assert.deepEqual(at("/notes"), ["", undefined, "notes"]);
  assert.deepEqual(at("/priceChecks/1"), ["priceChecks", 1, undefined]);
  assert.equal(at("/noSuchThing"), undefined);
});
