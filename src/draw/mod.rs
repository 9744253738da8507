//! 双随机: a random draw anyone can re-run (优化营商环境条例 Art. 54; 国办发〔2015〕58号).
//!
//! From one plan's published inputs — the matters (抽查事项, each with its
//! ratio, its key-unit ratio, the certificate it needs), the target directory
//! (检查对象名录库) and the inspector directory (执法检查人员名录库) — and a
//! seed, the draw picks targets per matter and a pair of inspectors per target.
//! The seed is committed before the draw (its SHA-256 is published with the
//! inputs' hash) and revealed after it, so nobody could choose it to suit the
//! result, and anyone can check both hashes and run the draw again.
//!
//! The algorithm (`xuncha-draw-v1`), short enough to re-implement from this
//! note with any SHA-256:
//! - `inputs` = SHA-256 of the inputs' canonical JSON (`sync::canonical_json`).
//! - A target's **lot** for a matter is SHA-256 of the UTF-8 text
//!   `xuncha-draw-v1|lot|{seed}|{inputs}|{matter code}|{credit code}`, in hex.
//! - For each matter (in the order given): the **eligible** targets are those
//!   of one of the matter's categories (all, if it names none), less those in a
//!   sector window ([`Exclusion`]). Key units (重点单位) and the rest are drawn
//!   apart: of each, the `ceil(ratio × count)` with the lowest lots, the key
//!   units at the matter's key-unit ratio (特种设备监督检查办法 Art. 9).
//! - Each picked target gets the two inspectors with the lowest
//!   SHA-256(`xuncha-draw-v1|inspector|{seed}|{inputs}|{matter}|{credit code}|{certificate no}`)
//!   among those available, holding the matter's certificate kind, and not
//!   marked 回避 for that target; with fewer than two it is listed unstaffed.

pub mod budget;
pub mod directory;
pub mod tasks;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use sha2::{Digest, Sha256};

use crate::error::CoreError;
use crate::problem::Text;
use crate::time::Date;

pub const ALGORITHM: &str = "xuncha-draw-v1";

/// How many inspectors go to each target (at least two, by local practice and 处罚程序规定 Art. 21).
pub const INSPECTORS_PER_TARGET: usize = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DrawInputs {
    /// The plan and batch this draw is for (e.g. "2026 年第一批").
    pub plan: String,
    /// The day of the draw: sector windows are counted back from it.
    pub draw_day: Date,
    pub matters: Vec<Matter>,
    pub targets: Vec<Target>,
    pub inspectors: Vec<Inspector>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Matter {
    /// Stable code of the 抽查事项 (e.g. "SCJG-JL-001").
    pub code: String,
    pub title: String,
    /// The legal basis the matter list names for it.
    pub basis: String,
    /// The check kinds a visit for it records (price, metrology, equipment, sampling).
    #[serde(default)]
    pub check_kinds: Vec<String>,
    /// The target categories it applies to (any of them); empty: every target.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Share of the eligible ordinary targets drawn, 0–1.
    pub ratio: f64,
    /// Share of the eligible key units drawn, 0–1 (not below `ratio`).
    pub key_unit_ratio: f64,
    /// The certificate kind an inspector must hold (e.g. "specialEquipment").
    pub certificate: Option<String>,
    /// The sector whose window rules apply.
    pub sector: Option<Sector>,
    /// Working days from a target's result to its publication (公示); absent:
    /// [`tasks::DEFAULT_PUBLICATION_WORKING_DAYS`].
    pub publication_working_days: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum Sector {
    Food,
    /// 常规 special-equipment checks (not 证后).
    SpecialEquipment,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Target {
    /// 统一社会信用代码: the target's key.
    pub credit_code: String,
    pub name: String,
    pub address: Option<String>,
    pub market: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    /// 重点单位 (schools, hospitals, malls, recent accidents, many complaints).
    #[serde(default)]
    pub key_unit: bool,
    pub risk_class: Option<String>,
    /// Checks that open a sector window.
    #[serde(default)]
    pub recent_checks: Vec<RecentCheck>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecentCheck {
    pub on: Date,
    pub kind: RecentCheckKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum RecentCheckKind {
    /// A food check by an upper level (食品监督检查办法 Art. 42: not repeated within 3 months).
    UpperLevelFood,
    /// A 证后 special-equipment check (特种设备监督检查办法 Art. 17: no 常规 check that year).
    PostLicenceEquipment,
}

impl RecentCheckKind {
    pub fn label(self) -> Text {
        match self {
            RecentCheckKind::UpperLevelFood => Text::new("上级食品检查", "upper-level food check"),
            RecentCheckKind::PostLicenceEquipment => Text::new("证后特种设备检查", "post-licence equipment check"),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Inspector {
    pub certificate_no: String,
    pub name: String,
    /// Certificate kinds held (e.g. "general", "specialEquipment").
    #[serde(default)]
    pub certificates: Vec<String>,
    /// Fields of enforcement (执法领域, e.g. 价格、计量): for the clerk; not read by the draw.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    pub available: bool,
    /// 回避: targets (credit codes) this inspector may not be sent to.
    #[serde(default)]
    pub conflicts: Vec<String>,
}

/// Why an otherwise eligible target was left out of a matter's draw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", tag = "rule")]
pub enum Exclusion {
    /// 食品监督检查办法 Art. 42: an upper level checked it within 3 months.
    #[serde(rename = "FOOD_UPPER_LEVEL_3_MONTHS")]
    FoodUpperLevel { on: Date },
    /// 特种设备监督检查办法 Art. 17: a 证后 check this year.
    #[serde(rename = "EQUIPMENT_POST_LICENCE_SAME_YEAR")]
    EquipmentPostLicence { on: Date },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct DrawResult {
    pub algorithm: String,
    pub plan: String,
    pub draw_day: Date,
    /// SHA-256 of the inputs' canonical JSON.
    pub inputs_sha256: String,
    pub seed: String,
    /// SHA-256 of the seed's text: what was published before the draw.
    pub seed_commitment: String,
    pub matters: Vec<MatterDraw>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct MatterDraw {
    pub matter: String,
    /// Eligible ordinary targets and key units (after the windows).
    pub eligible: usize,
    pub eligible_key_units: usize,
    pub picked: Vec<Pick>,
    pub excluded: Vec<Excluded>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Pick {
    pub credit_code: String,
    pub name: String,
    pub key_unit: bool,
    /// The target's lot (hex): the lowest were drawn.
    pub lot: String,
    /// The inspectors' certificate numbers; empty when fewer than two could go.
    pub inspectors: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Excluded {
    pub credit_code: String,
    pub because: Exclusion,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DrawError {
    /// The seed is not 32–128 lowercase hex digits (at least 128 bits).
    BadSeed,
    /// A matter's ratio is outside 0–1, or its key-unit ratio below its ratio.
    BadRatio(String),
    /// The same matter code, credit code or certificate number twice.
    Duplicate(String),
    /// The revealed seed does not hash to the published commitment.
    CommitmentMismatch,
}

impl CoreError for DrawError {
    fn code(&self) -> &'static str {
        match self {
            DrawError::BadSeed => "BAD_SEED",
            DrawError::BadRatio(_) => "BAD_RATIO",
            DrawError::Duplicate(_) => "DUPLICATE",
            DrawError::CommitmentMismatch => "COMMITMENT_MISMATCH",
        }
    }
    fn message(&self) -> Text {
        match self {
            DrawError::BadSeed => Text::new("随机种子须为 32–128 位小写十六进制数", "the seed must be 32–128 lowercase hex digits"),
            DrawError::BadRatio(m) => {
                Text::new(format!("抽查事项“{m}”的抽查比例须在 0–1 之间，重点单位比例不低于一般比例"), format!("matter \"{m}\": ratios must be 0–1, the key-unit ratio not below the ratio"))
            }
            DrawError::Duplicate(k) => Text::new(format!("“{k}”重复出现"), format!("\"{k}\" appears twice")),
            DrawError::CommitmentMismatch => Text::new("公布的种子承诺值与种子不符", "the seed does not hash to the published commitment"),
        }
    }
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// What is published before the draw: SHA-256 of the seed's text.
pub fn commitment(seed: &str) -> String {
    sha256_hex(seed)
}

/// SHA-256 of the inputs' canonical JSON (what is published with the commitment).
pub fn inputs_sha256(inputs: &DrawInputs) -> String {
    crate::sync::content_sha256(&serde_json::to_value(inputs).expect("draw inputs serialise"))
}

/// `ceil(ratio × n)`, exact for ratios written with a few decimals.
fn share(ratio: f64, n: usize) -> usize {
    ((ratio * n as f64) - 1e-9).ceil().max(0.0) as usize
}

/// The window that keeps `target` out of `matter` on `day`, if any.
pub fn exclusion(matter: &Matter, target: &Target, day: Date) -> Option<Exclusion> {
    let three_months_before = day.checked_sub_months(chrono::Months::new(3)).unwrap_or(day);
    target.recent_checks.iter().find_map(|c| match (matter.sector, c.kind) {
        (Some(Sector::Food), RecentCheckKind::UpperLevelFood) if c.on > three_months_before && c.on <= day => Some(Exclusion::FoodUpperLevel { on: c.on }),
        (Some(Sector::SpecialEquipment), RecentCheckKind::PostLicenceEquipment) if chrono::Datelike::year(&c.on) == chrono::Datelike::year(&day) && c.on <= day => {
            Some(Exclusion::EquipmentPostLicence { on: c.on })
        }
        _ => None,
    })
}

fn check(inputs: &DrawInputs, seed: &str) -> Result<(), DrawError> {
    if !(32..=128).contains(&seed.len()) || !seed.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(DrawError::BadSeed);
    }
    for m in &inputs.matters {
        if !(0.0..=1.0).contains(&m.ratio) || !(0.0..=1.0).contains(&m.key_unit_ratio) || m.key_unit_ratio < m.ratio {
            return Err(DrawError::BadRatio(m.code.clone()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for key in inputs.matters.iter().map(|m| &m.code).chain(inputs.targets.iter().map(|t| &t.credit_code)).chain(inputs.inspectors.iter().map(|i| &i.certificate_no)) {
        if !seen.insert(key.as_str()) {
            return Err(DrawError::Duplicate(key.clone()));
        }
    }
    Ok(())
}

/// Run the draw. The same inputs and seed give the same result, anywhere.
pub fn draw(inputs: &DrawInputs, seed: &str) -> Result<DrawResult, DrawError> {
    check(inputs, seed)?;
    let inputs_hash = inputs_sha256(inputs);
    let mut matters = Vec::with_capacity(inputs.matters.len());
    for m in &inputs.matters {
        let lot = |t: &Target| sha256_hex(&format!("{ALGORITHM}|lot|{seed}|{inputs_hash}|{}|{}", m.code, t.credit_code));
        let mut excluded = Vec::new();
        let mut ordinary = Vec::new();
        let mut key_units = Vec::new();
        for t in inputs.targets.iter().filter(|t| m.categories.is_empty() || t.categories.iter().any(|c| m.categories.contains(c))) {
            if let Some(because) = exclusion(m, t, inputs.draw_day) {
                excluded.push(Excluded { credit_code: t.credit_code.clone(), because });
            } else if t.key_unit {
                key_units.push((lot(t), t));
            } else {
                ordinary.push((lot(t), t));
            }
        }
        let (eligible, eligible_key_units) = (ordinary.len(), key_units.len());
        let mut picked = Vec::new();
        for (list, ratio) in [(&mut key_units, m.key_unit_ratio), (&mut ordinary, m.ratio)] {
            list.sort_by(|a, b| a.0.cmp(&b.0));
            for (lot, t) in list.iter().take(share(ratio, list.len())) {
                picked.push(Pick { credit_code: t.credit_code.clone(), name: t.name.clone(), key_unit: t.key_unit, lot: lot.clone(), inspectors: inspectors_for(inputs, m, t, seed, &inputs_hash) });
            }
        }
        picked.sort_by(|a, b| a.lot.cmp(&b.lot));
        matters.push(MatterDraw { matter: m.code.clone(), eligible, eligible_key_units, picked, excluded });
    }
    Ok(DrawResult { algorithm: ALGORITHM.into(), plan: inputs.plan.clone(), draw_day: inputs.draw_day, inputs_sha256: inputs_hash, seed: seed.into(), seed_commitment: commitment(seed), matters })
}

/// The inspectors who may go to `target` for `matter`, by their lots; two or none.
fn inspectors_for(inputs: &DrawInputs, m: &Matter, t: &Target, seed: &str, inputs_hash: &str) -> Vec<String> {
    let mut candidates: Vec<(String, &Inspector)> = inputs
        .inspectors
        .iter()
        .filter(|i| i.available && m.certificate.as_ref().map_or(true, |c| i.certificates.contains(c)) && !i.conflicts.contains(&t.credit_code))
        .map(|i| (sha256_hex(&format!("{ALGORITHM}|inspector|{seed}|{inputs_hash}|{}|{}|{}", m.code, t.credit_code, i.certificate_no)), i))
        .collect();
    if candidates.len() < INSPECTORS_PER_TARGET {
        return Vec::new();
    }
    candidates.sort_by(|a, b| a.0.cmp(&b.0));
    candidates.into_iter().take(INSPECTORS_PER_TARGET).map(|(_, i)| i.certificate_no.clone()).collect()
}

/// Re-run a published draw: the seed must hash to the commitment published before it.
pub fn rerun(inputs: &DrawInputs, seed: &str, published_commitment: &str) -> Result<DrawResult, DrawError> {
    if commitment(seed) != published_commitment.trim() {
        return Err(DrawError::CommitmentMismatch);
    }
    draw(inputs, seed)
}

// A tagged enum is read as serde reads it (the derive does not take that shape).
crate::from_value_via_serde!(Exclusion);
