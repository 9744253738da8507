//! The additive core of summaries. Each effective visit becomes one
//! [`Contribution`]; an [`Aggregate`] is a sum of contributions that can also
//! take one away — so adding a visit, or replacing a record by its amendment,
//! costs one contribution, not a recount.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::equipment::EquipmentKind;
use crate::evaluate::IMPLEMENTED_RULES;
use crate::rules::CheckKind;
use crate::sampling::ProductCategory;
use crate::time::Date;
use crate::visit::Visit;

macro_rules! counts {
    ($($(#[$doc:meta])* $f:ident),* $(,)?) => {
        /// Every count a summary reports, for one visit or for many.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
        #[serde(rename_all = "camelCase")]
        pub struct Counts { $($(#[$doc])* pub $f: u32,)* }

        impl Counts {
            pub fn add(&mut self, o: &Counts) { $(self.$f += o.$f;)* }
            pub fn sub(&mut self, o: &Counts) { $(self.$f -= o.$f;)* }

            /// The reader of one count by its name as sent (camelCase: `rectOnTime`).
            pub fn reader(name: &str) -> Option<fn(&Counts) -> u32> {
                let snake: String = name.chars().flat_map(|c| if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] }).collect();
                match snake.as_str() {
                    $(stringify!($f) => Some(|c: &Counts| c.$f),)*
                    _ => None,
                }
            }
        }
    };
}

counts! {
    /// 检查家次
    visits,
    /// Visits at a site in a market: the records behind 检查 X 个市场.
    in_market,
    compliant,
    with_violations,
    violations,
    notices,
    /// 出动执法人员人次
    officer_deployments,
    price_checks,
    price_violations,
    /// 计量器具台
    instruments,
    instruments_failed,
    /// 特种设备台（套）
    equipment,
    /// 隐患/问题项
    equipment_hazards,
    equipment_hazards_rectified,
    /// 抽检批次
    samples,
    samples_with_result,
    samples_failed,
    samples_disposed,
    disposals_open,
    disposals_overdue,
    /// 违法问题中措施为立案调查的（转化案件）
    to_case,
    /// 责令整改
    rect_ordered,
    rect_open,
    rect_on_time,
    rect_late,
    rect_overdue,
}

/// A rectification done (复查): the finding it closes and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Rectification {
    pub visit_id: String,
    pub finding_code: String,
    /// The finding's path in the visit.
    pub path: String,
    pub rectified_on: Date,
}

/// Index of a rule code in [`IMPLEMENTED_RULES`].
pub fn rule_index(code: &str) -> Option<usize> {
    IMPLEMENTED_RULES.iter().position(|c| *c == code)
}

/// What one effective visit adds to a summary: counts and tallies of its
/// own, names borrowed from its digest (nothing per visit is allocated but
/// the few findings' tallies).
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution<'a> {
    pub date: Date,
    /// The visit's month as `year * 100 + month` (202603).
    pub month: u32,
    pub market: Option<&'a str>,
    /// Operator identity: the credit code when it has one, else name and address.
    pub operator: &'a str,
    pub operator_name: &'a str,
    pub officers: &'a [super::digest::DigestOfficer],
    pub counts: Counts,
    /// Violations by rule, as (rule index, count).
    pub by_code: Vec<(u16, u32)>,
    /// Samples by product category (index in [`ProductCategory::ALL`], or its length for
    /// none given): batches, failed, with a result.
    pub samples_by_category: Vec<(u8, [u32; 3])>,
    /// Equipment by kind (index in [`EquipmentKind::ALL`]): units, hazards found.
    pub equipment_by_kind: Vec<(u8, [u32; 2])>,
}

/// The summaries' hasher for their maps of short keys (operators, markets,
/// groups, chains): eight bytes a step (the Fx mix, as rustc uses), several
/// times faster than the default hasher on a bureau-year; the keys are the
/// bureau's own records, so resistance to crafted collisions is not needed.
#[derive(Clone, Copy, Default)]
pub struct FastHash(u64);

impl FastHash {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FastHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.mix(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.mix(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 56));
    }
    fn write_u8(&mut self, n: u8) {
        self.mix(n as u64);
    }
    fn write_u32(&mut self, n: u32) {
        self.mix(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }
}

pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHash>>;

/// Where a tally of `index` sits in a short list of (index, counts), added if new.
pub(super) fn tally<const N: usize>(list: &mut Vec<(u8, [u32; N])>, index: u8) -> &mut [u32; N] {
    let at = match list.iter().position(|(i, _)| *i == index) {
        Some(at) => at,
        None => {
            list.push((index, [0; N]));
            list.len() - 1
        }
    };
    &mut list[at].1
}

pub(super) fn kind_of_path(path: &str) -> Option<(CheckKind, usize)> {
    let mut parts = path.split('/').skip(1);
    let kind = match parts.next()? {
        "priceChecks" => CheckKind::Price,
        "instrumentChecks" => CheckKind::Metrology,
        "equipmentChecks" => CheckKind::Equipment,
        "samples" => CheckKind::Sampling,
        _ => return None,
    };
    Some((kind, parts.next()?.parse().ok()?))
}

pub fn operator_key(v: &Visit) -> (String, String) {
    let op = v.operator.as_ref();
    let name = op.and_then(|o| o.name.as_deref()).unwrap_or("").trim().to_string();
    let code = op.and_then(|o| o.credit_code.as_deref()).map(str::trim).unwrap_or("");
    // An 18-character code as written identifies the operator; stalls without one by name and address.
    let key = if code.chars().count() == 18 {
        code.to_string()
    } else {
        let addr = op.and_then(|o| o.address.as_deref()).unwrap_or("").trim();
        format!("{name}|{addr}")
    };
    (key, name)
}

/// Names (operators, markets, officers' certificates) as numbers: a summary
/// counts distinct ones and groups by them, and numbers are cheap to count.
#[derive(Clone, Debug, Default)]
pub struct Names {
    ids: FastMap<String, u32>,
}

/// A record's names as numbers (see [`Names`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameIds {
    pub operator: u32,
    pub market: Option<u32>,
    /// Each officer's certificate, in the digest's order.
    pub officers: Vec<u32>,
}

impl Names {
    /// The number of a name, given the first time it is met.
    pub fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The number of a name already met.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    pub fn ids_of(&mut self, d: &super::digest::Digest) -> NameIds {
        NameIds { operator: self.id(&d.operator), market: d.market.as_deref().map(|m| self.id(m)), officers: d.officers.iter().map(|o| self.id(&o.certificate_no)).collect() }
    }
}

/// A sum of contributions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Aggregate {
    pub counts: Counts,
    pub by_code: Vec<u32>,
    /// Samples by product category (the last: none given): batches, failed, with a result.
    pub samples_by_category: Vec<[u32; 3]>,
    /// Equipment by kind: units, hazards.
    pub equipment_by_kind: Vec<[u32; 2]>,
    /// Operators (by [`Names`] number) with how many contributions each (for distinct counts under removal).
    operators: FastMap<u32, u32>,
    /// Markets likewise (检查 X 个市场).
    markets: FastMap<u32, u32>,
    /// Operators found using a failed instrument, likewise (查处使用不合格计量器具的商家).
    failed_instrument_operators: FastMap<u32, u32>,
    /// Kept by month (`year * 100 + month`) when asked: the total's trend (groups do not need one).
    pub by_month: bool,
    pub months: crate::sorted_map::SortedMap<u32, Counts>,
}

fn count_in(map: &mut FastMap<u32, u32>, key: u32) {
    *map.entry(key).or_default() += 1;
}

fn count_out(map: &mut FastMap<u32, u32>, key: u32) {
    if let Some(n) = map.get_mut(&key) {
        *n -= 1;
        if *n == 0 {
            map.remove(&key);
        }
    }
}

impl Aggregate {
    /// A sum that also keeps each month's counts.
    pub fn by_month() -> Aggregate {
        Aggregate { by_month: true, ..Aggregate::default() }
    }

    pub fn add(&mut self, c: &Contribution, ids: &NameIds) {
        self.counts.add(&c.counts);
        if self.by_code.is_empty() {
            self.by_code = vec![0; IMPLEMENTED_RULES.len()];
        }
        for &(i, n) in &c.by_code {
            self.by_code[i as usize] += n;
        }
        if self.samples_by_category.is_empty() {
            self.samples_by_category = vec![[0; 3]; ProductCategory::ALL.len() + 1];
            self.equipment_by_kind = vec![[0; 2]; EquipmentKind::ALL.len()];
        }
        for (i, t) in &c.samples_by_category {
            self.samples_by_category[*i as usize].iter_mut().zip(t).for_each(|(a, b)| *a += b);
        }
        for (i, t) in &c.equipment_by_kind {
            self.equipment_by_kind[*i as usize].iter_mut().zip(t).for_each(|(a, b)| *a += b);
        }
        count_in(&mut self.operators, ids.operator);
        if let Some(m) = ids.market {
            count_in(&mut self.markets, m);
        }
        if c.counts.instruments_failed > 0 {
            count_in(&mut self.failed_instrument_operators, ids.operator);
        }
        if self.by_month {
            self.months.get_or_default(c.month).add(&c.counts);
        }
    }

    pub fn sub(&mut self, c: &Contribution, ids: &NameIds) {
        self.counts.sub(&c.counts);
        for &(i, n) in &c.by_code {
            self.by_code[i as usize] -= n;
        }
        for (i, t) in &c.samples_by_category {
            self.samples_by_category[*i as usize].iter_mut().zip(t).for_each(|(a, b)| *a -= b);
        }
        for (i, t) in &c.equipment_by_kind {
            self.equipment_by_kind[*i as usize].iter_mut().zip(t).for_each(|(a, b)| *a -= b);
        }
        count_out(&mut self.operators, ids.operator);
        if let Some(m) = ids.market {
            count_out(&mut self.markets, m);
        }
        if c.counts.instruments_failed > 0 {
            count_out(&mut self.failed_instrument_operators, ids.operator);
        }
        if let Some(m) = self.months.get_mut(&c.month) {
            m.sub(&c.counts);
            if m.visits == 0 {
                self.months.remove(&c.month);
            }
        }
    }

    /// 家: distinct operators.
    pub fn distinct_operators(&self) -> u32 {
        self.operators.len() as u32
    }

    /// 个市场: distinct markets of the visits (those whose site names one).
    pub fn distinct_markets(&self) -> u32 {
        self.markets.len() as u32
    }

    /// 家: distinct operators with at least one failed instrument.
    pub fn operators_with_failed_instruments(&self) -> u32 {
        self.failed_instrument_operators.len() as u32
    }
}
