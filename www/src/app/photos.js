// A photo as HQ takes it: large ones downscaled, types HQ does not accept
// (GIF, BMP…) re-encoded as JPEG, named by the SHA-256 of its bytes. Shared by
// the visit editor and the re-inspection (复查) card.
import { t } from "./i18n.js";
import { sha256Hex } from "./ui.js";

export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
const PHOTO_LONG_SIDE = 2048;
const HQ_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic"]; // what HQ's attachment upload accepts

/**
 * @param {Blob} file
 * @returns {Promise<{ sha256: string, mediaType: string, size: number, blob: Blob }>}
 */
export async function preparePhoto(file) {
  let blob = file;
  if (blob.size > 2 * 1024 * 1024 || !HQ_TYPES.includes(blob.type)) blob = await downscale(file).catch(() => file);
  if (blob.size > MAX_PHOTO_BYTES) throw new Error(t("photoTooLarge"));
  return { sha256: await sha256Hex(await blob.arrayBuffer()), mediaType: blob.type || "image/jpeg", size: blob.size, blob };
}

async function downscale(/** @type {Blob} */ file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, PHOTO_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d")).drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error("encode"))), "image/jpeg", 0.85));
}
