//! What makes a finalised record evidence at HQ: the devices' signing keys,
//! the signature every finalised record must carry, the per-bureau chain of
//! what HQ accepted, and the blocks of document numbers leased to devices.
//!
//! All of it is decided against what HQ holds — the key registered for the
//! pushing device, the blocks HQ leased, the numbers already taken — never
//! against what the pushed record says of itself.

use xuncha::sync::{signed_message, Change};
use xuncha::time::Timestamp;

use super::sql::{Cols, Sql, P, R};
use super::{Store, StoreError, User};
use crate::signing::{base64_decode, key_id, Scheme};

/// Why a finalised record's signature or numbers are refused (the change's `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceRefusal {
    /// A finalised record came without the device's signature.
    SignatureMissing,
    /// Signed by a key HQ never registered for this bureau and device.
    UnknownKey,
    /// Signed by a key revoked before the record reached HQ.
    KeyRevoked,
    /// The signature is not the key's signature of this record's hash.
    SignatureInvalid,
    /// A document number outside every block HQ leased to the bureau.
    NumberNotLeased,
    /// A document number another record already took.
    NumberTaken,
}

impl EvidenceRefusal {
    #[cfg(test)]
    pub const ALL: [EvidenceRefusal; 6] = [
        EvidenceRefusal::SignatureMissing,
        EvidenceRefusal::UnknownKey,
        EvidenceRefusal::KeyRevoked,
        EvidenceRefusal::SignatureInvalid,
        EvidenceRefusal::NumberNotLeased,
        EvidenceRefusal::NumberTaken,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EvidenceRefusal::SignatureMissing => "SIGNATURE_MISSING",
            EvidenceRefusal::UnknownKey => "SIGNATURE_UNKNOWN_KEY",
            EvidenceRefusal::KeyRevoked => "SIGNATURE_KEY_REVOKED",
            EvidenceRefusal::SignatureInvalid => "SIGNATURE_INVALID",
            EvidenceRefusal::NumberNotLeased => "DOCUMENT_NUMBER_NOT_LEASED",
            EvidenceRefusal::NumberTaken => "DOCUMENT_NUMBER_TAKEN",
        }
    }

    pub fn message(self) -> xuncha::problem::Text {
        use xuncha::problem::Text;
        match self {
            EvidenceRefusal::SignatureMissing => Text::new("已定稿的记录缺少本机签名，请更新应用后重新同步", "the finalised record lacks the device's signature; update the app and sync again"),
            EvidenceRefusal::UnknownKey => Text::new("签名所用的本机密钥未在本局登记，请重新登录", "the record is signed by a key this bureau never registered for the device; sign in again"),
            EvidenceRefusal::KeyRevoked => Text::new("该设备已被停用，其签名不再接受", "the device was revoked; its signatures are no longer accepted"),
            EvidenceRefusal::SignatureInvalid => Text::new("签名与记录内容不符：记录在签名后被改动", "the signature does not match the record: it was changed after signing"),
            EvidenceRefusal::NumberNotLeased => Text::new("文书编号不在本局发放的号段内", "a document number lies outside every block this bureau leased"),
            EvidenceRefusal::NumberTaken => Text::new("文书编号已被其他记录使用", "a document number is already used by another record"),
        }
    }
}

/// The key a finalised record was signed with, checked: what the chain records.
pub struct Signed {
    pub key_id: String,
    pub value: String,
}

/// A block of document numbers leased to one device.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberBlock {
    pub prefix: String,
    pub year: i64,
    pub first: i64,
    pub last: i64,
}

/// The result of walking a bureau's chain.
#[derive(Debug)]
pub struct ChainCheck {
    pub entries: i64,
    /// The first entry (by position) whose hash or link does not hold.
    pub first_broken: Option<i64>,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of one chain entry: what it links to and everything it says.
fn entry_hash(prev: &str, seq: i64, record_id: &str, record_sha256: &str, key_id: &str, signature: &str, accepted_at: &str) -> String {
    xuncha::sync::sha256_of_bytes(format!("{prev}\n{seq}\n{record_id}\n{record_sha256}\n{key_id}\n{signature}\n{accepted_at}").as_bytes())
}

/// Check the signature of a finalised record being accepted: by a key HQ
/// registered for this bureau (by whichever device: a record restored from a
/// backup onto another tablet still carries the signature of the one that
/// finalised it), not revoked, over
/// [`signed_message`] of the record's id and hash.
pub(super) fn check_signature(tx: &mut dyn Sql, change: &Change, user: &User) -> R<Result<Signed, EvidenceRefusal>> {
    let Some(sig) = &change.signature else { return Ok(Err(EvidenceRefusal::SignatureMissing)) };
    let row = tx.row("SELECT algorithm, public_key, revoked_at FROM device_keys WHERE key_id = ?1 AND bureau_id = ?2", &[P::Text(&sig.key_id), P::Int(user.bureau_id)])?;
    let Some(row) = row else { return Ok(Err(EvidenceRefusal::UnknownKey)) };
    let mut cols = Cols::new(row);
    let (algorithm, public_key, revoked_at) = (cols.text()?, cols.text()?, cols.opt_text()?);
    if revoked_at.is_some() {
        return Ok(Err(EvidenceRefusal::KeyRevoked));
    }
    let scheme = Scheme::parse(&algorithm).map_err(|_| StoreError::corrupt(format!("key {} has the unknown scheme {algorithm:?}", sig.key_id)))?;
    if sig.algorithm != algorithm {
        return Ok(Err(EvidenceRefusal::SignatureInvalid));
    }
    let spki = base64_decode(&public_key).ok_or_else(|| StoreError::corrupt(format!("key {} is not base64", sig.key_id)))?;
    let Some(value) = base64_decode(&sig.value) else { return Ok(Err(EvidenceRefusal::SignatureInvalid)) };
    match scheme.verify(&spki, signed_message(&change.id, &change.sha256).as_bytes(), &value) {
        Ok(()) => Ok(Ok(Signed { key_id: sig.key_id.clone(), value: sig.value.clone() })),
        Err(_) => Ok(Err(EvidenceRefusal::SignatureInvalid)),
    }
}

/// Append an accepted finalised record to its bureau's chain.
pub(super) fn append_to_chain(tx: &mut dyn Sql, bureau_id: i64, record_id: &str, record_sha256: &str, signed: &Signed, accepted_at: &str) -> R<()> {
    let last = tx.row("SELECT seq, entry_hash FROM ledger WHERE bureau_id = ?1 ORDER BY seq DESC LIMIT 1", &[P::Int(bureau_id)])?;
    let (seq, prev) = match last {
        Some(row) => {
            let mut cols = Cols::new(row);
            (cols.int()? + 1, cols.text()?)
        }
        None => (1, GENESIS.to_string()),
    };
    let hash = entry_hash(&prev, seq, record_id, record_sha256, &signed.key_id, &signed.value, accepted_at);
    tx.exec(
        "INSERT INTO ledger (bureau_id, seq, record_id, record_sha256, key_id, signature, accepted_at, prev_hash, entry_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[P::Int(bureau_id), P::Int(seq), P::Text(record_id), P::Text(record_sha256), P::Text(&signed.key_id), P::Text(&signed.value), P::Text(accepted_at), P::Text(&prev), P::Text(&hash)],
    )?;
    Ok(())
}

/// Take a finalised visit's document numbers: each inside a block HQ leased
/// to the bureau, none already taken by another record. Checked before
/// anything is written; taken (written) only by [`take_numbers`].
pub(super) fn check_numbers(tx: &mut dyn Sql, bureau_id: i64, record_id: &str, record: &serde_json::Value) -> R<Result<Vec<(i64, i64, String)>, EvidenceRefusal>> {
    let mut numbers = Vec::new();
    for n in record.get("documentNumbers").and_then(|v| v.as_array()).into_iter().flatten() {
        let (Some(year), Some(serial)) = (n.get("year").and_then(|v| v.as_i64()), n.get("serial").and_then(|v| v.as_i64())) else { continue };
        let document = n.get("document").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let leased = tx.int("SELECT COUNT(*) FROM number_blocks WHERE bureau_id = ?1 AND doc_year = ?2 AND first_no <= ?3 AND last_no >= ?3", &[P::Int(bureau_id), P::Int(year), P::Int(serial)])?;
        if leased == 0 {
            return Ok(Err(EvidenceRefusal::NumberNotLeased));
        }
        let taken = tx.row("SELECT record_id FROM document_numbers WHERE bureau_id = ?1 AND doc_year = ?2 AND serial_no = ?3", &[P::Int(bureau_id), P::Int(year), P::Int(serial)])?;
        if let Some(row) = taken {
            if Cols::new(row).text()? != record_id {
                return Ok(Err(EvidenceRefusal::NumberTaken));
            }
        }
        numbers.push((year, serial, document));
    }
    Ok(Ok(numbers))
}

pub(super) fn take_numbers(tx: &mut dyn Sql, bureau_id: i64, record_id: &str, numbers: &[(i64, i64, String)]) -> R<()> {
    for (year, serial, document) in numbers {
        tx.exec(
            "INSERT INTO document_numbers (bureau_id, doc_year, serial_no, record_id, document) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            &[P::Int(bureau_id), P::Int(*year), P::Int(*serial), P::Text(record_id), P::Text(document)],
        )?;
    }
    Ok(())
}

/// Most numbers in one block.
pub const MAX_BLOCK: i64 = 500;

impl Store {
    /// Register a device's public key (SPKI DER, base64) for the caller's
    /// bureau and device; registering the same key again is a no-op. `Err` if
    /// the key does not read, or is registered for another bureau or device.
    pub fn register_key(&self, user: &User, device_id: &str, algorithm: &str, public_key: &str, now: Timestamp) -> R<Result<String, &'static str>> {
        let Ok(scheme) = Scheme::parse(algorithm) else { return Ok(Err("UNKNOWN_ALGORITHM")) };
        let Some(spki) = base64_decode(public_key) else { return Ok(Err("BAD_KEY")) };
        if scheme.check_key(&spki).is_err() {
            return Ok(Err("BAD_KEY"));
        }
        let id = key_id(&spki);
        self.write(Some(user.bureau_id), |tx| {
            if let Some(row) = tx.row("SELECT bureau_id, device_id FROM device_keys WHERE key_id = ?1", &[P::Text(&id)])? {
                let mut cols = Cols::new(row);
                let same = cols.int()? == user.bureau_id && cols.text()? == device_id;
                return Ok(if same { Ok(id.clone()) } else { Err("KEY_TAKEN") });
            }
            tx.exec(
                "INSERT INTO device_keys (key_id, bureau_id, user_id, device_id, algorithm, public_key, registered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                &[P::Text(&id), P::Int(user.bureau_id), P::Int(user.id), P::Text(device_id), P::Text(scheme.as_str()), P::Text(public_key.trim()), P::Text(&now.to_rfc3339())],
            )?;
            Ok(Ok(id.clone()))
        })
    }

    /// Revoke every key of a device: its signatures arriving from now on are refused.
    pub fn revoke_device(&self, device_id: &str, now: Timestamp) -> R<u64> {
        self.write(None, |tx| tx.exec("UPDATE device_keys SET revoked_at = ?1 WHERE device_id = ?2 AND revoked_at IS NULL", &[P::Text(&now.to_rfc3339()), P::Text(device_id)]))
    }

    /// Lease the next `count` document numbers of `year` in the caller's bureau to its device.
    pub fn lease_numbers(&self, user: &User, device_id: &str, year: i64, count: i64, now: Timestamp) -> R<NumberBlock> {
        let count = count.clamp(1, MAX_BLOCK);
        self.write(Some(user.bureau_id), |tx| {
            let last = tx.int("SELECT COALESCE(MAX(last_no), 0) FROM number_blocks WHERE bureau_id = ?1 AND doc_year = ?2", &[P::Int(user.bureau_id), P::Int(year)])?;
            let prefix = tx.row("SELECT document_prefix FROM bureaus WHERE id = ?1", &[P::Int(user.bureau_id)])?.map(|r| Cols::new(r).text()).transpose()?.unwrap_or_default();
            let (first, last) = (last + 1, last + count);
            tx.exec(
                "INSERT INTO number_blocks (bureau_id, doc_year, first_no, last_no, device_id, user_id, leased_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                &[P::Int(user.bureau_id), P::Int(year), P::Int(first), P::Int(last), P::Text(device_id), P::Int(user.id), P::Text(&now.to_rfc3339())],
            )?;
            Ok(NumberBlock { prefix, year, first, last })
        })
    }

    /// The prefix printed before a bureau's document numbers (e.g. 鼓市监).
    pub fn set_document_prefix(&self, bureau_id: i64, prefix: &str) -> R<bool> {
        Ok(self.write(None, |tx| tx.exec("UPDATE bureaus SET document_prefix = ?1 WHERE id = ?2", &[P::Text(prefix), P::Int(bureau_id)]))? > 0)
    }

    /// Walk a bureau's chain from its start: every entry links to the one
    /// before and hashes to what it says.
    pub fn check_chain(&self, bureau_id: i64) -> R<ChainCheck> {
        let rows =
            self.read(|tx| tx.rows("SELECT seq, record_id, record_sha256, key_id, signature, accepted_at, prev_hash, entry_hash FROM ledger WHERE bureau_id = ?1 ORDER BY seq", &[P::Int(bureau_id)]))?;
        let mut prev = GENESIS.to_string();
        let mut expected_seq = 1;
        let entries = rows.len() as i64;
        for row in rows {
            let mut c = Cols::new(row);
            let (seq, record_id, sha, key, sig, at, linked, hash) = (c.int()?, c.text()?, c.text()?, c.text()?, c.text()?, c.text()?, c.text()?, c.text()?);
            if seq != expected_seq || linked != prev || entry_hash(&prev, seq, &record_id, &sha, &key, &sig, &at) != hash {
                return Ok(ChainCheck { entries, first_broken: Some(expected_seq) });
            }
            prev = hash;
            expected_seq += 1;
        }
        Ok(ChainCheck { entries, first_broken: None })
    }

    /// The newest entry of a bureau's chain: (position, hash) — what a bureau
    /// writes down or sends elsewhere to pin the chain's state.
    pub fn chain_head(&self, bureau_id: i64) -> R<Option<(i64, String)>> {
        self.read(|tx| {
            tx.row("SELECT seq, entry_hash FROM ledger WHERE bureau_id = ?1 ORDER BY seq DESC LIMIT 1", &[P::Int(bureau_id)])?
                .map(|r| {
                    let mut c = Cols::new(r);
                    Ok((c.int()?, c.text()?))
                })
                .transpose()
        })
    }
}
