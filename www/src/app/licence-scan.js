// Reading the credit code off a business licence's QR code: the officer takes
// a photo of it (the tablet's camera, offline), the QR decoder (jsQR, loaded
// on first use and precached like the rest of the app) reads its text, and the
// core finds the code in it. The code then goes into the form like a typed
// one, and is checked like one.
import { t } from "./i18n.js";
import { h, toast } from "./ui.js";

/** Large photos are scaled to this many pixels on their long side before decoding (speed; QR codes stay readable). */
const MAX_SIDE = 1600;

/**
 * The text of the QR code in a photo, or null when none is found.
 * @param {Blob} file
 * @returns {Promise<string | null>}
 */
export async function qrText(file) {
  const { default: jsQR } = await import("jsqr");
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const [w, h2] = [Math.round(bitmap.width * scale), Math.round(bitmap.height * scale)];
  const canvas = new OffscreenCanvas(w, h2);
  const ctx = /** @type {OffscreenCanvasRenderingContext2D} */ (canvas.getContext("2d"));
  ctx.drawImage(bitmap, 0, 0, w, h2);
  bitmap.close();
  const image = ctx.getImageData(0, 0, w, h2);
  return jsQR(image.data, w, h2)?.data ?? null;
}

/**
 * A button that takes a photo of the licence's QR code and gives the credit code it names.
 * @param {{ creditCodeIn(text: string): string | undefined }} core
 * @param {(code: string) => void} onCode
 */
export function licenceScanButton(core, onCode) {
  const input = h("input", { type: "file", accept: "image/*", capture: "environment", class: "visually-hidden", id: "licence-photo" });
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    let text = null;
    try {
      text = await qrText(file);
    } catch {
      text = null;
    }
    if (!text) return toast(t("qrNotFound"), "error");
    const code = core.creditCodeIn(text);
    if (!code) return toast(t("qrNoCreditCode"), "error");
    onCode(code);
    toast(t("qrRead", { code }));
  });
  return h("label", { class: "button big scan", id: "scan-licence" }, input, "▦ ", t("scanLicence"));
}
