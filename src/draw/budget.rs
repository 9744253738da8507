//! The inspection budget (优化营商环境条例 Art. 54: inspections kept few):
//! how often each operator was inspected in a year, across plans and ad-hoc
//! visits, and which would go over the bureau's cap — for the draw, for the
//! console's watch list and, carried in each task, for the officer's tablet.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::tasks::Task;
use crate::time::Date;
use crate::visit::{RecordStatus, Visit};

/// One operator's inspections in a year.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Inspected {
    pub count: u32,
    pub last: Option<Date>,
    pub name: Option<String>,
}

/// Each operator's finalised inspections in `year`, by credit code. An
/// amendment corrects its original and is not another inspection; a visit
/// without a credit code cannot be attributed and is left out.
pub fn inspections_in(visits: &[Visit], year: i32) -> BTreeMap<String, Inspected> {
    let mut out: BTreeMap<String, Inspected> = BTreeMap::new();
    for v in visits {
        // An amendment corrects its original: the chain is counted once, by its first record.
        if v.status != Some(RecordStatus::Finalised) || v.amends.is_some() {
            continue;
        }
        let Some(on) = v.started_at.or(v.finalised_at).map(|t| t.date_naive()) else { continue };
        let Some(code) = v.operator.as_ref().and_then(|o| o.credit_code.as_deref()).filter(|c| c.len() == 18) else { continue };
        if on.year() != year {
            continue;
        }
        let e = out.entry(code.to_string()).or_default();
        e.count += 1;
        e.last = e.last.max(Some(on));
        if e.name.is_none() {
            e.name = v.operator.as_ref().and_then(|o| o.name.clone());
        }
    }
    out
}

/// The operators inspected more than `cap` times in `year`.
pub fn over_cap(counts: &BTreeMap<String, Inspected>, cap: u32) -> Vec<(String, Inspected)> {
    counts.iter().filter(|(_, i)| i.count > cap).map(|(c, i)| (c.clone(), i.clone())).collect()
}

/// Write into each task what the bureau's records say of its target this
/// year (so the tablet warns offline), and whether one more would pass the cap.
pub fn annotate(tasks: &mut [Task], counts: &BTreeMap<String, Inspected>, cap: Option<u32>) {
    let empty = Inspected::default();
    for t in tasks {
        let i = counts.get(&t.target.credit_code).unwrap_or(&empty);
        t.inspected_this_year = Some(i.count);
        t.last_inspected = i.last;
        t.over_cap = cap.map(|c| i.count + 1 > c).filter(|over| *over);
    }
}
