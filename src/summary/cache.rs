//! A [`DigestIndex`] as bytes, for the console's cache: a bureau-year of
//! digests as JSON is tens of megabytes that IndexedDB keeps as UTF-16 and
//! the core must parse again on every open; as bytes (each distinct string
//! once, numbers as varints, days as day numbers) it is a fraction of that
//! and is read back in one pass.
//!
//! Layout (version 1): `XDG1`, the strings (count, then each as length and
//! UTF-8), the digests (count, then each field in [`Digest`]'s order, strings
//! by their number in the table). Anything else is [`CacheError`]: a cache
//! that does not read is dropped and fetched again, never half-read.

use std::collections::HashMap;

use super::digest::{Digest, DigestFinding, DigestLimit, DigestOfficer, DigestSample};
use super::DigestIndex;
use crate::rules::CheckKind;
use crate::time::{Date, Timestamp};
use crate::visit::RecordStatus;

const MAGIC: &[u8; 4] = b"XDG1";

/// Why cached bytes could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheError(pub String);

impl crate::CoreError for CacheError {
    fn code(&self) -> &'static str {
        "CACHE_UNREADABLE"
    }
    fn message(&self) -> crate::Text {
        crate::Text::new(format!("本机保存的统计数据无法读取，将重新下载（{}）", self.0), format!("The figures kept on this computer cannot be read and will be downloaded again ({})", self.0))
    }
}

// ---- writing -------------------------------------------------------------------

struct Writer<'a> {
    out: Vec<u8>,
    strings: HashMap<&'a str, u32>,
    table: Vec<&'a str>,
}

impl<'a> Writer<'a> {
    fn uint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.out.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.out.push(n as u8);
    }
    fn int(&mut self, n: i64) {
        self.uint(((n << 1) ^ (n >> 63)) as u64);
    }
    fn str(&mut self, s: &'a str) {
        let next = self.table.len() as u32;
        let id = *self.strings.entry(s).or_insert(next);
        if id == next {
            self.table.push(s);
        }
        self.uint(id as u64);
    }
    /// An optional string: 0 for none, else its number + 1.
    fn opt_str(&mut self, s: Option<&'a str>) {
        match s {
            None => self.uint(0),
            Some(s) => {
                let next = self.table.len() as u32;
                let id = *self.strings.entry(s).or_insert(next);
                if id == next {
                    self.table.push(s);
                }
                self.uint(id as u64 + 1);
            }
        }
    }
    fn date(&mut self, d: Date) {
        use chrono::Datelike;
        self.int(d.num_days_from_ce() as i64);
    }
    /// An optional day: 0 for none, else the day number's zigzag + 1.
    fn opt_date(&mut self, d: Option<Date>) {
        match d {
            None => self.uint(0),
            Some(d) => {
                use chrono::Datelike;
                let n = d.num_days_from_ce() as i64;
                self.uint(((n << 1) ^ (n >> 63)) as u64 + 1);
            }
        }
    }
    fn opt_timestamp(&mut self, t: Option<Timestamp>) {
        match t {
            None => self.uint(0),
            Some(t) => {
                self.uint(1);
                self.int(t.timestamp());
                self.uint(t.timestamp_subsec_nanos() as u64);
                self.int(t.offset().local_minus_utc() as i64);
            }
        }
    }
}

fn status_byte(s: RecordStatus) -> u64 {
    match s {
        RecordStatus::Draft => 0,
        RecordStatus::Finalised => 1,
        RecordStatus::Discarded => 2,
    }
}

fn kind_byte(k: CheckKind) -> u64 {
    match k {
        CheckKind::Price => 0,
        CheckKind::Metrology => 1,
        CheckKind::Equipment => 2,
        CheckKind::Sampling => 3,
    }
}

/// The digests held, as bytes.
pub fn to_bytes(index: &DigestIndex) -> Vec<u8> {
    let mut w = Writer { out: Vec::with_capacity(index.len() * 96), strings: HashMap::new(), table: Vec::new() };
    w.uint(index.len() as u64);
    for d in index.digests() {
        w.str(&d.id);
        w.opt_str(d.amends.as_deref());
        w.uint(status_byte(d.status) | (d.unreachable as u64) << 2);
        w.opt_date(d.started_on);
        w.opt_timestamp(d.finalised_at);
        w.opt_date(d.date);
        w.opt_str(d.market.as_deref());
        w.opt_str(d.site.as_deref());
        w.str(&d.operator);
        w.str(&d.operator_name);
        w.uint(d.officers.len() as u64);
        for o in &d.officers {
            w.str(&o.certificate_no);
            w.str(&o.name);
            w.opt_str(o.user_id.as_deref());
        }
        w.uint(d.price_checks as u64);
        w.uint(d.instruments as u64);
        w.uint(d.equipment as u64);
        w.uint(d.equipment_kinds.len() as u64);
        for (i, k) in &d.equipment_kinds {
            w.uint(*i as u64);
            w.uint(*k as u64);
        }
        w.uint(d.samples.len() as u64);
        for s in &d.samples {
            w.uint((s.category as u64) << 1 | s.has_result as u64);
        }
        w.uint(d.findings.len() as u64);
        for f in &d.findings {
            w.str(&f.code);
            w.uint(kind_byte(f.kind) | (f.notice as u64) << 2 | (f.to_case as u64) << 3);
            w.uint(f.item.map_or(0, |i| i as u64 + 1));
            w.opt_date(f.rectify_by);
            w.opt_date(f.rectified_on);
            w.opt_date(f.unless_done_by);
        }
        w.uint(d.disposals.len() as u64);
        for l in &d.disposals {
            w.date(l.due);
            w.opt_date(l.done);
        }
        w.str(&d.rulebook);
    }
    let body = std::mem::take(&mut w.out);
    let table = std::mem::take(&mut w.table);
    w.out.extend_from_slice(MAGIC);
    w.uint(table.len() as u64);
    for s in table {
        w.uint(s.len() as u64);
        w.out.extend_from_slice(s.as_bytes());
    }
    w.out.extend_from_slice(&body);
    w.out
}

// ---- reading -------------------------------------------------------------------

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    table: Vec<&'a str>,
}

impl<'a> Reader<'a> {
    fn bad(&self, what: &str) -> CacheError {
        CacheError(format!("{what} at byte {}", self.at))
    }
    fn uint(&mut self) -> Result<u64, CacheError> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or_else(|| self.bad("cut short"))?;
            self.at += 1;
            n |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(self.bad("a number too long"))
    }
    fn small(&mut self) -> Result<u32, CacheError> {
        u32::try_from(self.uint()?).map_err(|_| self.bad("a number too large"))
    }
    fn int(&mut self) -> Result<i64, CacheError> {
        let n = self.uint()?;
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }
    fn str(&mut self) -> Result<String, CacheError> {
        let i = self.uint()? as usize;
        self.table.get(i).map(|s| s.to_string()).ok_or_else(|| self.bad("an unknown string"))
    }
    fn opt_str(&mut self) -> Result<Option<String>, CacheError> {
        match self.uint()? as usize {
            0 => Ok(None),
            i => self.table.get(i - 1).map(|s| Some(s.to_string())).ok_or_else(|| self.bad("an unknown string")),
        }
    }
    fn day(&self, n: i64) -> Result<Date, CacheError> {
        i32::try_from(n).ok().and_then(Date::from_num_days_from_ce_opt).ok_or_else(|| self.bad("a day out of range"))
    }
    fn date(&mut self) -> Result<Date, CacheError> {
        let n = self.int()?;
        self.day(n)
    }
    fn opt_date(&mut self) -> Result<Option<Date>, CacheError> {
        match self.uint()? {
            0 => Ok(None),
            z => {
                let z = z - 1;
                self.day((z >> 1) as i64 ^ -((z & 1) as i64)).map(Some)
            }
        }
    }
    fn opt_timestamp(&mut self) -> Result<Option<Timestamp>, CacheError> {
        if self.uint()? == 0 {
            return Ok(None);
        }
        let (secs, nanos, offset) = (self.int()?, self.small()?, self.int()?);
        let offset = i32::try_from(offset).ok().and_then(chrono::FixedOffset::east_opt).ok_or_else(|| self.bad("a time zone out of range"))?;
        let t = chrono::DateTime::from_timestamp(secs, nanos).ok_or_else(|| self.bad("a time out of range"))?;
        Ok(Some(t.with_timezone(&offset)))
    }
    /// A count of things that follow, each at least one byte: never more than the bytes left.
    fn count(&mut self) -> Result<usize, CacheError> {
        let n = self.uint()? as usize;
        if n > self.bytes.len() - self.at {
            return Err(self.bad("a count beyond the end"));
        }
        Ok(n)
    }
}

fn status_of(n: u64) -> Option<RecordStatus> {
    Some(match n {
        0 => RecordStatus::Draft,
        1 => RecordStatus::Finalised,
        2 => RecordStatus::Discarded,
        _ => return None,
    })
}

fn kind_of(n: u64) -> CheckKind {
    match n & 3 {
        0 => CheckKind::Price,
        1 => CheckKind::Metrology,
        2 => CheckKind::Equipment,
        _ => CheckKind::Sampling,
    }
}

/// Digests kept as bytes, held again.
pub fn from_bytes(bytes: &[u8]) -> Result<DigestIndex, CacheError> {
    if bytes.get(..4) != Some(MAGIC) {
        return Err(CacheError("not a digest cache (version 1)".into()));
    }
    let mut r = Reader { bytes, at: 4, table: Vec::new() };
    let strings = r.count()?;
    r.table.reserve(strings);
    for _ in 0..strings {
        let len = r.count()?;
        let text = std::str::from_utf8(&bytes[r.at..r.at + len]).map_err(|_| r.bad("a string that is not UTF-8"))?;
        r.at += len;
        r.table.push(text);
    }
    let n = r.count()?;
    let mut digests = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.str()?;
        let amends = r.opt_str()?;
        let flags = r.uint()?;
        let status = status_of(flags & 3).ok_or_else(|| r.bad("an unknown status"))?;
        let started_on = r.opt_date()?;
        let finalised_at = r.opt_timestamp()?;
        let date = r.opt_date()?;
        let (market, site) = (r.opt_str()?, r.opt_str()?);
        let (operator, operator_name) = (r.str()?, r.str()?);
        let officers = (0..r.count()?).map(|_| Ok(DigestOfficer { certificate_no: r.str()?, name: r.str()?, user_id: r.opt_str()? })).collect::<Result<_, CacheError>>()?;
        let (price_checks, instruments, equipment) = (r.small()?, r.small()?, r.small()?);
        let equipment_kinds = (0..r.count()?).map(|_| Ok((r.small()?, u8::try_from(r.uint()?).map_err(|_| r.bad("an unknown equipment kind"))?))).collect::<Result<_, CacheError>>()?;
        let samples = (0..r.count()?)
            .map(|_| {
                let n = r.uint()?;
                Ok(DigestSample { category: u8::try_from(n >> 1).map_err(|_| r.bad("an unknown product category"))?, has_result: n & 1 == 1 })
            })
            .collect::<Result<_, CacheError>>()?;
        let findings = (0..r.count()?)
            .map(|_| {
                let code = r.str()?;
                let flags = r.uint()?;
                let item = match r.uint()? {
                    0 => None,
                    i => Some(u32::try_from(i - 1).map_err(|_| r.bad("an item out of range"))?),
                };
                Ok(DigestFinding {
                    code,
                    kind: kind_of(flags),
                    notice: flags & 4 != 0,
                    item,
                    to_case: flags & 8 != 0,
                    rectify_by: r.opt_date()?,
                    rectified_on: r.opt_date()?,
                    unless_done_by: r.opt_date()?,
                    rule: None,
                })
            })
            .collect::<Result<_, CacheError>>()?;
        let disposals = (0..r.count()?).map(|_| Ok(DigestLimit { due: r.date()?, done: r.opt_date()? })).collect::<Result<_, CacheError>>()?;
        let rulebook = r.str()?;
        digests.push(Digest {
            id,
            amends,
            status,
            unreachable: flags & 4 != 0,
            started_on,
            finalised_at,
            date,
            market,
            site,
            operator,
            operator_name,
            officers,
            price_checks,
            instruments,
            equipment,
            equipment_kinds,
            samples,
            findings,
            disposals,
            rulebook,
        });
    }
    if r.at != bytes.len() {
        return Err(r.bad("bytes after the last digest"));
    }
    let mut index = DigestIndex::default();
    index.extend(digests);
    Ok(index)
}
