// The refusal recorder (处罚程序规定 Art. 43: a refusal to sign is recorded on
// sound or video). Records from the tablet's camera and microphone (sound
// alone when there is no camera), or takes a file from the camera app; the
// bytes are kept on the device by hash like a photo, and sync to HQ.
import { t } from "./i18n.js";
import { h, toast } from "./ui.js";

/** What HQ takes for a recording (hq/src/api/attachments.rs). */
const RECORDING_TYPES = ["audio/webm", "video/webm", "audio/mp4", "video/mp4", "audio/ogg"];
/** HQ's attachment limit is 8 MiB: at these rates that is about four minutes. */
const LIMIT_SECONDS = 180;
const BITRATES = { videoBitsPerSecond: 250_000, audioBitsPerSecond: 32_000 };

/**
 * A recorder control. `keep(blob, mediaType)` stores the bytes and lists them
 * in the record, resolving to their SHA-256; `set(sha)` writes the field.
 * @param {{ id: string, value: string | undefined, set: (v: string | undefined) => void }} field
 * @param {(blob: Blob, mediaType: string) => Promise<string>} keep
 */
export function recorderControl({ id, value, set }, keep) {
  const box = h("div", { class: "recorder", id });
  let stream = null;
  let recorder = null;
  let timer = null;

  const done = async (blob, type) => {
    const mediaType = type.split(";")[0].trim().toLowerCase();
    if (!RECORDING_TYPES.includes(mediaType)) return toast(t("recordingType"), "error");
    try {
      value = await keep(blob, mediaType);
      set(value);
      // The refusal card listens for input to attach itself to the visit.
      box.dispatchEvent(new Event("input", { bubbles: true }));
    } catch (e) {
      toast(e.message, "error");
    }
    draw();
  };

  const stop = () => {
    clearInterval(timer);
    recorder?.state === "recording" && recorder.stop();
  };

  const start = async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } }).catch(() => navigator.mediaDevices.getUserMedia({ audio: true }));
    } catch {
      return toast(t("noMicrophone"), "error");
    }
    const chunks = [];
    recorder = new MediaRecorder(stream, BITRATES);
    recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((tr) => tr.stop());
      const type = recorder.mimeType || chunks[0]?.type || "video/webm";
      done(new Blob(chunks, { type }), type);
    };
    recorder.start(1000);
    const began = Date.now();
    const seconds = () => Math.round((Date.now() - began) / 1000);
    box.replaceChildren(
      h("span", { class: "recording-now", role: "status" }, h("span", { class: "dot", "aria-hidden": "true" }), t("recordingNow", { s: 0 })),
      h("button", { type: "button", class: "big danger", id: `${id}-stop`, onclick: stop }, t("stopRecording")));
    timer = setInterval(() => {
      box.querySelector(".recording-now").lastChild.textContent = t("recordingNow", { s: seconds() });
      if (seconds() >= LIMIT_SECONDS) stop();
    }, 1000);
  };

  const draw = () => {
    const file = h("input", { type: "file", accept: RECORDING_TYPES.join(","), capture: "environment", class: "visually-hidden" });
    file.addEventListener("change", () => file.files[0] && done(file.files[0], file.files[0].type || ""));
    box.replaceChildren(
      h("span", { class: value ? "ok" : "muted", id: `${id}-state` }, value ? `${t("recorded")} ✓ ${value.slice(0, 8)}…` : t("notRecorded")),
      typeof MediaRecorder === "function" ? h("button", { type: "button", class: "big", id: `${id}-start`, onclick: start }, value ? t("recordAgain") : t("startRecording")) : null,
      h("label", { class: "button" }, t("recordingFile"), file));
  };
  draw();
  return box;
}
