// Form controls for the fields the core describes (core.formCatalogue()):
// one function per input kind, each reading and writing the record by the
// field's dotted path. Nothing here knows the model; the catalogue does.
import { t, tx, getLang } from "./i18n.js";
import { h } from "./ui.js";
import { pointer, getAt, setAt, visibleOptions, isRequired, labelWithUnit, parseList } from "./catalogue.js";

/** The element id of the control for a JSON Pointer (the tests find fields by it too). */
export const controlId = (ptr) => `f${ptr.replace(/[^a-zA-Z0-9]/g, "_")}`;

/**
 * Renders fields into `registry` (pointer → element, for placing problems).
 * `onChange()` runs after every edit; `subtype` filters options. `media.recording`
 * draws a recorder for a `recording` field (the editor owns the device's storage).
 * @param {{ registry: Map<string, HTMLElement>, onChange: Function, media?: { recording: (c: { id: string, value: string | undefined, set: (v: string | undefined) => void }) => HTMLElement } }} options
 */
export function fieldRenderer({ registry, onChange, media }) {
  function control(spec, obj, ptr, subtype) {
    const value = getAt(obj, spec.path);
    const id = controlId(ptr);
    const set = (v) => (setAt(obj, spec.path, v), onChange(spec, obj));
    switch (spec.input) {
      case "choice":
        return h("select", { id, onchange: (e) => set(e.target.value || undefined) },
          h("option", { value: "" }, t("unset")),
          visibleOptions(spec, subtype).map((o) => h("option", { value: o.value, selected: value === o.value }, tx(o.label))));
      case "bool":
        return h("select", { id, class: "bool", onchange: (e) => set(e.target.value === "" ? undefined : e.target.value === "true") },
          h("option", { value: "" }, t("unset")), h("option", { value: "true", selected: value === true }, t("yes")), h("option", { value: "false", selected: value === false }, t("no")));
      case "multi": {
        const options = visibleOptions(spec, subtype);
        return h("div", { class: "chips", id, role: "group" }, options.map((o) =>
          h("label", { class: "chip" }, h("input", { type: "checkbox", value: o.value, checked: (value ?? []).includes(o.value), onchange: (e) => {
            const now = new Set(getAt(obj, spec.path) ?? []);
            e.target.checked ? now.add(o.value) : now.delete(o.value);
            set(options.map((x) => x.value).filter((x) => now.has(x)));
          } }), tx(o.label))));
      }
      case "textList":
      case "numberList":
        return h("input", { id, inputmode: spec.input === "numberList" ? "decimal" : "text", value: (value ?? []).join("，"), oninput: (e) => set(parseList(e.target.value, spec.input === "numberList")) });
      case "number":
      case "integer":
        return h("input", { id, type: "number", inputmode: spec.input === "integer" ? "numeric" : "decimal", step: spec.input === "integer" ? "1" : "any", min: spec.min, max: spec.max, value: value ?? "",
          oninput: (e) => set(e.target.value === "" ? undefined : Number(e.target.value)) });
      case "date":
        return h("input", { id, type: "date", value: value ?? "", oninput: (e) => set(e.target.value || undefined) });
      case "rows":
        return rows(spec, obj, ptr, subtype);
      case "recording":
        return media ? media.recording({ id, value, set }) : h("span", { id }, value ? "✓" : "—");
      default: {
        const upper = spec.input === "code";
        return h("input", { id, type: spec.input === "tel" ? "tel" : "text", value: value ?? "", autocapitalize: upper ? "characters" : "off",
          oninput: (e) => set((upper ? e.target.value.toUpperCase() : e.target.value).trim() || undefined) });
      }
    }
  }

  /** One labelled field with its hint and the place for its problems. */
  function field(spec, obj, base, subtype) {
    const ptr = pointer(base, spec.path);
    const input = control(spec, obj, ptr, subtype);
    const required = isRequired(spec, subtype, obj);
    const el = h("div", { class: `field field-${spec.input}`, dataset: { ptr, input: spec.input } },
      h("label", { for: input.id }, labelWithUnit(spec, getLang()), required ? h("span", { class: "required", "aria-label": t("required") }, " *") : null),
      input,
      spec.hint ? h("small", { class: "hint" }, tx(spec.hint)) : null,
      h("div", { class: "field-problems", "aria-live": "polite" }));
    registry.set(ptr, el);
    return el;
  }

  /** A table: one line of columns per row, a button to add one, ✕ to remove one. */
  function rows(spec, obj, ptr, subtype) {
    const box = h("div", { class: "rows", id: controlId(ptr) });
    const draw = () => {
      const list = getAt(obj, spec.path) ?? [];
      box.replaceChildren(
        ...list.map((row, i) => h("div", { class: "row-line" },
          spec.rows.map((c) => field(c, row, `${ptr}/${i}`, subtype)),
          h("button", { type: "button", class: "small", "aria-label": t("removeRow"), onclick: () => {
            list.splice(i, 1);
            setAt(obj, spec.path, list.slice());
            onChange(spec, obj);
            draw();
          } }, "✕"))),
        h("button", { type: "button", class: "small", dataset: { addRow: ptr }, onclick: () => {
          const l = getAt(obj, spec.path) ?? [];
          l.push({});
          setAt(obj, spec.path, l);
          onChange(spec, obj);
          draw();
          box.querySelector(".row-line:last-of-type input, .row-line:last-of-type select")?.focus();
        } }, "＋ ", t("addRow")));
    };
    draw();
    return box;
  }

  return { field };
}
