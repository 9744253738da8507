//! What a rulebook changes against another: before a bureau publishes one, it
//! sees every rule added, removed or changed (level, measures, rectification
//! period, legal basis, each version and its parameters) and every calendar
//! year added, removed or changed — in words, both languages.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{Rule, RuleVersion, Rulebook};
use crate::problem::Text;

#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct RulebookDiff {
    pub from_version: String,
    pub to_version: String,
    pub rules_added: Vec<RuleRef>,
    pub rules_removed: Vec<RuleRef>,
    pub rules_changed: Vec<RuleChange>,
    pub calendar_years_added: Vec<i32>,
    pub calendar_years_removed: Vec<i32>,
    pub calendar_years_changed: Vec<i32>,
    /// Nothing but the version and date differ.
    pub unchanged: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct RuleRef {
    pub code: String,
    pub title: Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct RuleChange {
    pub code: String,
    pub title: Text,
    pub changes: Vec<Text>,
}

fn json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn version_key(v: &RuleVersion) -> String {
    format!("{}{}", v.from, v.applies_to.as_ref().map(|a| format!(" [{}]", a.join(","))).unwrap_or_default())
}

fn rule_changes(old: &Rule, new: &Rule) -> Vec<Text> {
    let mut out = Vec::new();
    let mut field = |zh: &str, en: &str, a: Value, b: Value| {
        if a != b {
            out.push(Text::new(format!("{zh}：{} → {}", shown(&a), shown(&b)), format!("{en}: {} → {}", shown(&a), shown(&b))));
        }
    };
    field("级别", "level", json(&old.level), json(&new.level));
    field("名称", "title", json(&old.title.zh), json(&new.title.zh));
    field("措施", "measures", json(&old.measures), json(&new.measures));
    field("整改期限（天）", "rectification period (days)", json(&old.rectify_days), json(&new.rectify_days));
    if json(&old.basis) != json(&new.basis) || json(&old.penalty) != json(&new.penalty) {
        out.push(Text::new("法律依据或罚则有变化", "the legal basis or penalty changed"));
    }
    fn versions(r: &Rule) -> BTreeMap<String, &RuleVersion> {
        r.versions.iter().map(|v| (version_key(v), v)).collect()
    }
    let (a, b) = (versions(old), versions(new));
    for (key, v) in &b {
        match a.get(key) {
            None => out.push(Text::new(format!("新增版本（自{key}起）"), format!("new version from {key}"))),
            Some(o) => {
                if o.until != v.until {
                    out.push(Text::new(
                        format!("版本（自{key}起）截止日：{} → {}", shown(&json(&o.until)), shown(&json(&v.until))),
                        format!("version from {key}: until {} → {}", shown(&json(&o.until)), shown(&json(&v.until))),
                    ));
                }
                let (pa, pb) = (json(&o.values), json(&v.values));
                let names: std::collections::BTreeSet<&String> = pa.as_object().into_iter().flat_map(|m| m.keys()).chain(pb.as_object().into_iter().flat_map(|m| m.keys())).collect();
                for n in names {
                    let (x, y) = (pa.get(n).cloned().unwrap_or(Value::Null), pb.get(n).cloned().unwrap_or(Value::Null));
                    if x != y {
                        out.push(Text::new(format!("版本（自{key}起）参数 {n}：{} → {}", shown(&x), shown(&y)), format!("version from {key}: parameter {n} {} → {}", shown(&x), shown(&y))));
                    }
                }
                if json(&o.basis) != json(&v.basis) {
                    out.push(Text::new(format!("版本（自{key}起）技术标准有变化"), format!("version from {key}: standards changed")));
                }
            }
        }
    }
    for key in a.keys().filter(|k| !b.contains_key(*k)) {
        out.push(Text::new(format!("删除版本（自{key}起）"), format!("version from {key} removed")));
    }
    out
}

impl Rulebook {
    /// What `newer` changes against this rulebook.
    pub fn diff(&self, newer: &Rulebook) -> RulebookDiff {
        let rules = |b: &Rulebook| b.rules().map(|r| (r.code.clone(), r.clone())).collect::<BTreeMap<_, _>>();
        let (a, b) = (rules(self), rules(newer));
        let reference = |r: &Rule| RuleRef { code: r.code.clone(), title: r.title.clone() };
        let rules_added = b.values().filter(|r| !a.contains_key(&r.code)).map(reference).collect::<Vec<_>>();
        let rules_removed = a.values().filter(|r| !b.contains_key(&r.code)).map(reference).collect::<Vec<_>>();
        let rules_changed = b
            .values()
            .filter_map(|r| a.get(&r.code).map(|o| (o, r)))
            .filter_map(|(o, r)| {
                let changes = rule_changes(o, r);
                (!changes.is_empty()).then(|| RuleChange { code: r.code.clone(), title: r.title.clone(), changes })
            })
            .collect::<Vec<_>>();
        let (ca, cb) = (&self.source.calendar, &newer.source.calendar);
        let year = |k: &String| k.parse::<i32>().ok();
        let calendar_years_added = cb.keys().filter(|k| !ca.contains_key(*k)).filter_map(year).collect::<Vec<_>>();
        let calendar_years_removed = ca.keys().filter(|k| !cb.contains_key(*k)).filter_map(year).collect::<Vec<_>>();
        let calendar_years_changed = cb.iter().filter(|(k, v)| ca.get(*k).is_some_and(|o| json(o) != json(v))).filter_map(|(k, _)| year(k)).collect::<Vec<_>>();
        let unchanged = rules_added.is_empty()
            && rules_removed.is_empty()
            && rules_changed.is_empty()
            && calendar_years_added.is_empty()
            && calendar_years_removed.is_empty()
            && calendar_years_changed.is_empty()
            && json(&self.source.city_price_elements) == json(&newer.source.city_price_elements);
        RulebookDiff {
            from_version: self.version.clone(),
            to_version: newer.version.clone(),
            rules_added,
            rules_removed,
            rules_changed,
            calendar_years_added,
            calendar_years_removed,
            calendar_years_changed,
            unchanged,
        }
    }
}
