// Handing documents over (送达), as pure functions over the visit's delivery
// record (the core's DeliveryRecord): what is still to hand over, and the
// record with one more document marked. No DOM, no storage: tested with node:test.

/** @typedef {import("../../../pkg/xuncha.js").DeliveryRecord} DeliveryRecord */
/** @typedef {import("../../../pkg/xuncha.js").DocumentDelivery} Delivery */

/**
 * The documents (keys, in the core's order) not yet marked as handed over.
 * @param {string[]} toHandOver the core's `DocumentSet.toHandOver`
 * @param {DeliveryRecord | undefined} record
 */
export function stillToHandOver(toHandOver, record) {
  const done = new Set((record?.deliveries ?? []).map((d) => d.document));
  return toHandOver.filter((k) => !done.has(k));
}

/**
 * The mark of one document, if it was handed over.
 * @param {DeliveryRecord | undefined} record
 * @param {string} key
 */
export function deliveryOf(record, key) {
  return (record?.deliveries ?? []).find((d) => d.document === key);
}

/**
 * The record with `delivery` marked (a new record for the visit if there is
 * none yet); a document already marked keeps its first mark, which is
 * evidence. `evidence`: the photo or video of a refused delivery, listed among
 * the record's attachments.
 * @param {DeliveryRecord | undefined} record
 * @param {{ id: string, visitId: string, schemaVersion: number }} fresh used when there is no record yet
 * @param {Delivery} delivery
 * @param {import("../../../pkg/xuncha.js").Attachment} [evidence]
 * @returns {DeliveryRecord}
 */
export function withDelivery(record, fresh, delivery, evidence) {
  const base = record ?? { schemaVersion: fresh.schemaVersion, id: fresh.id, visitId: fresh.visitId, deliveries: [], attachments: [] };
  if (deliveryOf(base, delivery.document ?? "")) return base;
  const attachments = [...(base.attachments ?? [])];
  if (evidence && !attachments.some((a) => a.sha256 === evidence.sha256)) attachments.push(evidence);
  return { ...base, deliveries: [...(base.deliveries ?? []), delivery], attachments };
}
