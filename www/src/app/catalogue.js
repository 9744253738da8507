// The record as the core describes it (core.formCatalogue()): which fields each
// part of a visit has, per subtype, and the words for the core's concepts.
// Pure functions over that description and plain records: no DOM, no storage,
// so they are unit-tested in Node against the real core (tests/js/unit/).

/** @typedef {import("../../../pkg/xuncha.js").FormCatalogue} FormCatalogue */
/** @typedef {import("../../../pkg/xuncha.js").FormSection} FormSection */
/** @typedef {import("../../../pkg/xuncha.js").FormField} FormField */

/** JSON Pointer for a dotted path under a base pointer: ("/priceChecks/0", "verification.validUntil"). */
/** @param {string} base @param {string} path */
export function pointer(base, path) {
  return base + "/" + path.split(".").join("/");
}

export function getAt(obj, path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/** Set a value by dotted path; empty values are removed, and so is a group left empty. */
export function setAt(obj, path, value) {
  const parts = path.split(".");
  const chain = [obj];
  let o = obj;
  for (const k of parts.slice(0, -1)) chain.push((o = o[k] ??= {}));
  const last = parts.at(-1);
  if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) delete o[last];
  else o[last] = value;
  // A group with nothing left in it is not recorded (an empty `comparison` would ask for its fields).
  for (let i = parts.length - 1; i > 0; i--) {
    const parent = chain[i - 1];
    const key = parts[i - 1];
    if (parent[key] && typeof parent[key] === "object" && !Array.isArray(parent[key]) && Object.keys(parent[key]).length === 0) delete parent[key];
  }
}

/**
 * The section of the catalogue stored under `key` in the visit ("priceChecks", "operator"…).
 * @param {FormCatalogue} catalogue @param {string} key @returns {FormSection}
 */
export function section(catalogue, key) {
  const s = catalogue.sections.find((x) => x.key === key);
  if (!s) throw new Error(`the core describes no part "${key}"`);
  return s;
}

/** The sections for the four kinds of check, in the core's order. @param {FormCatalogue} catalogue */
export function kindSections(catalogue) {
  return catalogue.sections.filter((s) => s.kind);
}

/** The subtype an item has chosen (undefined before the officer picks one). @param {FormSection} sec @param {object} item @returns {string | undefined} */
export function subtypeOf(sec, item) {
  return sec.subtype ? getAt(item, sec.subtype) : undefined;
}

/** Whether a field (or an option) belongs to the subtype; before one is chosen, only the common ones. */
/** @param {{ appliesTo?: string[] }} spec @param {string | undefined} subtype */
export function applies(spec, subtype) {
  return !spec.appliesTo || (subtype !== undefined && spec.appliesTo.includes(subtype));
}

/** The fields the officer sees on an item of this subtype. @param {FormSection} sec @param {string | undefined} subtype */
export function visibleFields(sec, subtype) {
  return sec.fields.filter((f) => applies(f, subtype));
}

/**
 * What an item is called on screen: its first text the officer filled, in the
 * core's field order (a tag's goods, an instrument's serial number, a sample's
 * product), else its first code (a sample's number).
 * @param {FormSection} sec @param {object} item @returns {string | undefined}
 */
export function itemName(sec, item) {
  const fields = visibleFields(sec, subtypeOf(sec, item));
  const first = (input) => fields.filter((f) => f.input === input).map((f) => getAt(item, f.path)).find((v) => typeof v === "string" && v.trim() !== "");
  return first("text") ?? first("code");
}

/** The options of a choice that belong to the subtype. @param {FormField} field @param {string | undefined} subtype */
export function visibleOptions(field, subtype) {
  return (field.options ?? []).filter((o) => applies(o, subtype));
}

/**
 * Whether the form marks the field required: validation requires it for this
 * subtype, and (for a field inside a group, e.g. "comparison.price") the group
 * is recorded at all.
 */
/** @param {FormField} field @param {string | undefined} subtype @param {object} item */
export function isRequired(field, subtype, item) {
  const required = field.required || (subtype !== undefined && (field.requiredFor ?? []).includes(subtype));
  if (!required) return false;
  const dot = field.path.lastIndexOf(".");
  return dot < 0 || getAt(item, field.path.slice(0, dot)) !== undefined;
}

/**
 * The item with its subtype changed: values of fields (and options) that no
 * longer apply are taken out and returned, so the officer can be told and undo.
 * Returns { item, dropped: [{ field, value }] }; `item` is a new object.
 * @param {FormSection} sec @param {object} item @param {string | undefined} subtype
 * @returns {{ item: any, dropped: { field: FormField, value: unknown }[] }}
 */
export function changeSubtype(sec, item, subtype) {
  const next = structuredClone(item);
  setAt(next, sec.subtype, subtype);
  const dropped = [];
  for (const f of sec.fields) {
    if (f.path === sec.subtype) continue;
    const value = getAt(next, f.path);
    if (value === undefined) continue;
    if (!applies(f, subtype)) {
      dropped.push({ field: f, value });
      setAt(next, f.path, undefined);
    } else if (f.input === "multi" && Array.isArray(value)) {
      const kept = value.filter((v) => applies(f.options.find((o) => o.value === v) ?? {}, subtype));
      if (kept.length !== value.length) {
        dropped.push({ field: f, value: value.filter((v) => !kept.includes(v)) });
        setAt(next, f.path, kept);
      }
    }
  }
  return { item: next, dropped };
}

/** A field's label with its unit: "标示价格（元）" / "Marked price (元)". @param {FormField} field @param {string} lang */
export function labelWithUnit(field, lang) {
  const label = lang === "en" ? field.label.en : field.label.zh;
  if (!field.unit) return label;
  return lang === "en" ? `${label} (${field.unit})` : `${label}（${field.unit}）`;
}

/**
 * The label of a value of one of the core's vocabularies ("measures", "deadlineStatuses"…).
 * @param {FormCatalogue} catalogue @param {keyof FormCatalogue["vocabulary"]} vocabulary @param {string} value
 */
export function term(catalogue, vocabulary, value) {
  return catalogue.vocabulary[vocabulary].find((c) => c.value === value)?.label;
}

/** The label of an option value of a field, e.g. the instrument type "waterMeter" → 水表. */
/** @param {FormSection} sec @param {string} path @param {string} value */
export function optionLabel(sec, path, value) {
  return sec.fields.find((f) => f.path === path)?.options?.find((o) => o.value === value)?.label;
}

/** Parse what was typed into a list field: "FT-1，FT-2、FT-3" → ["FT-1", "FT-2", "FT-3"]. */
/** @param {string} text @param {boolean} [numbers] @returns {(string | number)[]} */
export function parseList(text, numbers = false) {
  const parts = text.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean);
  return numbers ? parts.map(Number).filter((n) => !Number.isNaN(n)) : parts;
}

/**
 * The part and field a JSON Pointer into a visit names, as the catalogue
 * describes them: "/priceChecks/0/markedPrice" → the price section, item 0,
 * its markedPrice field; "/operator/name"; "/notes" (the visit's own fields).
 * A pointer below a field (a table's row) names that field. Undefined when the
 * catalogue has no such part or field.
 * @param {FormCatalogue} catalogue @param {string} ptr
 * @returns {{ section: FormSection, index?: number, field?: FormField } | undefined}
 */
export function fieldAt(catalogue, ptr) {
  const parts = ptr.split("/").slice(1).map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  let sec = catalogue.sections.find((s) => s.key === parts[0] && s.key !== "");
  let rest = parts.slice(1);
  if (!sec) {
    sec = catalogue.sections.find((s) => s.key === "");
    rest = parts;
  }
  if (!sec) return undefined;
  let index;
  if (sec.repeated && /^\d+$/.test(rest[0] ?? "")) index = Number(rest.shift());
  for (let n = rest.length; n > 0; n--) {
    const path = rest.slice(0, n).join(".");
    const field = sec.fields.find((f) => f.path === path);
    if (field) return { section: sec, index, field };
  }
  return rest.length ? (sec.key === "" ? undefined : { section: sec, index }) : { section: sec, index };
}
