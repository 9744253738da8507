//! Photos, signature images and documents by content hash, per bureau. An
//! attachment is read by whoever may read a record that lists it (staff: the
//! bureau's; an officer: their visits' and their visits' follow-ups'), and by
//! the account that uploaded it. Holdings are per bureau, so an upload never
//! says whether another bureau holds the same bytes.

use xuncha::time::Timestamp;

use super::records::officers_visits;
use super::sql::{Cols, P, R};
use super::{Role, Store, User};

/// A stored photo or signature image.
pub struct AttachmentBytes {
    pub media_type: String,
    pub data: Vec<u8>,
}

/// A record that lists an attachment HQ does not hold yet.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingAttachment {
    pub record_id: String,
    pub sha256: String,
}

/// What the bytes are, by their first bytes (not by what the sender says).
pub fn sniff_media_type(data: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| data.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"RIFF") && data.get(8..12) == Some(b"WEBP") {
        Some("image/webp")
    } else if data.get(4..8) == Some(b"ftyp") && data.get(8..12).is_some_and(|brand| [&b"heic"[..], b"heix", b"mif1", b"msf1", b"heim", b"heis"].contains(&brand)) {
        Some("image/heic")
    } else if starts(b"%PDF-") {
        Some("application/pdf")
    } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        // EBML: a WebM recording (MediaRecorder's usual output); audio or video alike.
        Some("video/webm")
    } else if data.get(4..8) == Some(b"ftyp") {
        // Any other ISO media file: an MP4 recording (Safari's MediaRecorder, a camera app).
        Some("video/mp4")
    } else if starts(b"OggS") {
        Some("audio/ogg")
    } else {
        None
    }
}

/// Whether bytes that read as `sniffed` may be stored as `claimed`: the same
/// type, or the same recording container (a WebM or MP4 file holds audio,
/// video or both, and its first bytes do not say which).
pub fn content_is(sniffed: Option<&str>, claimed: &str) -> bool {
    fn container(t: &str) -> &str {
        match t {
            "audio/webm" | "video/webm" => "webm",
            "audio/mp4" | "video/mp4" => "mp4",
            other => other,
        }
    }
    sniffed.is_some_and(|s| container(s) == container(claimed))
}

impl Store {
    /// Keep an attachment's bytes (the caller checked the hash, size and
    /// type); false when the bureau held it already (an upload is idempotent).
    pub fn put_attachment(&self, user: &User, sha256: &str, media_type: &str, data: &[u8], now: Timestamp) -> R<bool> {
        self.write(Some(user.bureau_id), |tx| {
            let n = tx.exec(
                "INSERT INTO attachments (bureau_id, sha256, media_type, size_bytes, data, uploaded_by, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (bureau_id, sha256) DO NOTHING",
                &[P::Int(user.bureau_id), P::Text(sha256), P::Text(media_type), P::Int(data.len() as i64), P::Bytes(data), P::Int(user.id), P::Text(&now.to_rfc3339())],
            )?;
            Ok(n > 0)
        })
    }

    /// An attachment `user` may read; `None` both when it is absent and when
    /// it is not theirs to read (the two look the same from outside).
    pub fn attachment(&self, user: &User, sha256: &str) -> R<Option<AttachmentBytes>> {
        let base = "SELECT a.media_type, a.data FROM attachments a WHERE a.bureau_id = ?1 AND a.sha256 = ?2";
        let (sql, params) = match (user.role, user.certificate()) {
            (Role::Staff, _) => (base.to_string(), vec![P::Int(user.bureau_id), P::Text(sha256)]),
            (Role::Officer, Some(cert)) => (
                format!(
                    "{base} AND (a.uploaded_by = ?3 OR EXISTS (SELECT 1 FROM record_attachments ra JOIN records r ON r.id = ra.record_id
                       WHERE ra.bureau_id = ?1 AND ra.sha256 = ?2 AND r.visit_id IN ({})))",
                    officers_visits(4)
                ),
                vec![P::Int(user.bureau_id), P::Text(sha256), P::Int(user.id), P::Text(cert)],
            ),
            // An account without a certificate is on no visit: only its own uploads.
            (Role::Officer, None) => (format!("{base} AND a.uploaded_by = ?3"), vec![P::Int(user.bureau_id), P::Text(sha256), P::Int(user.id)]),
        };
        self.read(|tx| {
            let Some(row) = tx.row(&sql, &params)? else {
                return Ok(None);
            };
            let mut cols = Cols::new(row);
            Ok(Some(AttachmentBytes { media_type: cols.text()?, data: cols.bytes()? }))
        })
    }

    /// Attachments that current records list and HQ does not hold: the
    /// bureau's for staff, an officer's own visits' for an officer.
    pub fn missing_attachments(&self, user: &User) -> R<Vec<MissingAttachment>> {
        let base = "SELECT ra.record_id, ra.sha256 FROM record_attachments ra
             LEFT JOIN attachments a ON a.bureau_id = ra.bureau_id AND a.sha256 = ra.sha256";
        let rows = match (user.role, user.certificate()) {
            (Role::Staff, _) => self.read(|tx| tx.rows(&format!("{base} WHERE ra.bureau_id = ?1 AND a.sha256 IS NULL ORDER BY ra.record_id, ra.sha256"), &[P::Int(user.bureau_id)]))?,
            (Role::Officer, Some(cert)) => self.read(|tx| {
                tx.rows(
                    &format!("{base} JOIN records r ON r.id = ra.record_id WHERE ra.bureau_id = ?1 AND a.sha256 IS NULL AND r.visit_id IN ({}) ORDER BY ra.record_id, ra.sha256", officers_visits(2)),
                    &[P::Int(user.bureau_id), P::Text(cert)],
                )
            })?,
            (Role::Officer, None) => Vec::new(),
        };
        rows.into_iter()
            .map(|r| {
                let mut cols = Cols::new(r);
                Ok(MissingAttachment { record_id: cols.text()?, sha256: cols.text()? })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{content_is, sniff_media_type as sniff};

    #[test]
    fn bytes_are_known_by_their_first_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert!(content_is(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 0x9F]), "audio/webm"));
        assert!(content_is(sniff(b"\0\0\0\x18ftypmp42"), "audio/mp4"));
        assert!(!content_is(sniff(b"\0\0\0\x18ftypmp42"), "audio/webm"));
        assert!(!content_is(sniff(b"<html>"), "audio/ogg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Some("image/heic"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b""), None);
    }
}
