// A few DOM helpers: the app is plain DOM, rendered per screen.
import { tx } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === "class") el.className = v;
    else if (k === "html") el.innerHTML = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "value" || k === "checked" || k === "disabled" || k === "selected") el[k] = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A short message at the bottom of the screen. */
export function toast(text, kind = "info") {
  const host = document.getElementById("toasts");
  const el = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" }, text);
  host.append(el);
  setTimeout(() => el.remove(), kind === "error" ? 8000 : 3000);
}

/** A message with an undo button, kept a little longer than a toast. */
export function undoToast(text, undo, label = document.documentElement.lang === "en" ? "Undo" : "撤销") {
  const host = document.getElementById("toasts");
  const el = h("div", { class: "toast toast-undo", role: "status" }, h("span", {}, text),
    h("button", { type: "button", class: "small", id: "undo", onclick: () => (el.remove(), undo()) }, label));
  host.append(el);
  setTimeout(() => el.remove(), 10_000);
}

/**
 * A button for what should not happen by a slip: the first tap arms it (its
 * label says to tap again) for a few seconds, the second does it.
 */
export function twoTapButton(attrs, label, armedLabel, act) {
  let armed = null;
  const button = h("button", { type: "button", ...attrs, onclick: () => {
    if (!armed) {
      button.textContent = armedLabel;
      button.classList.add("armed");
      armed = setTimeout(() => ((armed = null), (button.textContent = label), button.classList.remove("armed")), 4000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    act();
  } }, label);
  return button;
}

/** Clear messages that belong to the screen being left (an error about a field no longer shown). */
export function clearToasts() {
  document.getElementById("toasts")?.replaceChildren();
}

/** "2026-11-23T09:30:00+08:00" for a Date, in the device's zone (the core reads offsets). */
export function isoLocal(d = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

export function today() {
  return isoLocal().slice(0, 10);
}

export function formatTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(document.documentElement.lang || "zh-CN", { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatBytes(n) {
  if (!Number.isFinite(n)) return "?";
  const units = ["B", "KB", "MB", "GB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) (n /= 1024), i++;
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The core's problems as list items (code and path kept for the field they
 * belong to); an error without problems says its own message.
 * @param {{ problems?: { code?: string, path?: string, message: { zh: string, en: string } }[], message?: string }} err
 */
export function problemItems(err) {
  const problems = err.problems ?? [{ message: { zh: err.message ?? "", en: err.message ?? "" } }];
  return problems.map((p) => h("li", { class: "problem error", dataset: { code: p.code ?? "", path: p.path ?? "" } }, tx(p.message)));
}
