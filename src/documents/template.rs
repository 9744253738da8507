//! Document templates are data (处罚程序规定 Art. 86: each province may set its
//! own formats): which elements a document shows, in what order, under which
//! label, with which fixed wording. What the law requires of each kind of
//! document is data too — the `requirements`, each tied to the article that
//! requires it — and a template that leaves a requirement out is refused
//! whole, like a rulebook the engine cannot use.

use crate::sorted_map::SortedMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::elements::Element;
use super::DocumentKind;
use crate::error::CoreError;
use crate::problem::Text;
use crate::rules::Confidence;
use crate::time::Date;

const BUILTIN_TEMPLATES: &str = include_str!(concat!(env!("OUT_DIR"), "/templates.json"));

/// The template file's format this core reads.
pub const TEMPLATES_FORMAT: u32 = 1;

/// Everything HQ publishes about documents: the legal minimum and the templates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateSet {
    pub format: u32,
    pub version: String,
    pub published: Date,
    /// Per kind of document, what the law requires it to contain.
    pub requirements: SortedMap<DocumentKind, Vec<Requirement>>,
    pub templates: Vec<Template>,
}

/// One element the law requires of a kind of document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Requirement {
    pub element: Element,
    /// The article that requires it, as printed on the document's help.
    pub basis: String,
    pub confidence: Confidence,
}

/// The documents of one region, in force from a day on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Template {
    /// "national", or a province's name (e.g. "福建省").
    pub region: String,
    pub name: Text,
    pub effective_from: Date,
    pub documents: SortedMap<DocumentKind, DocumentTemplate>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentTemplate {
    pub title: Text,
    /// How many copies are made (e.g. the 抽样单's 一式四份).
    pub copies: Option<u32>,
    pub elements: Vec<TemplateElement>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateElement {
    pub element: Element,
    pub label: Text,
    /// The fixed wording, for the template's own text elements (告知, remedies…).
    pub text: Option<Text>,
}

/// A template set the core cannot use; every reason is listed.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplatesError {
    pub reasons: Vec<String>,
}

impl CoreError for TemplatesError {
    fn code(&self) -> &'static str {
        "TEMPLATES_INVALID"
    }
    fn message(&self) -> Text {
        Text::new(format!("文书模板无效（{} 处问题）", self.reasons.len()), format!("the document templates are invalid ({} problems)", self.reasons.len()))
    }
    fn details(&self) -> Vec<String> {
        self.reasons.clone()
    }
}

impl TemplateSet {
    /// Read and check a template set (JSON text from HQ).
    pub fn from_json(text: &str) -> Result<TemplateSet, TemplatesError> {
        let set: TemplateSet = crate::decode::read_published(text).map_err(|e| TemplatesError { reasons: vec![e] })?;
        let reasons = set.problems();
        if reasons.is_empty() {
            Ok(set)
        } else {
            Err(TemplatesError { reasons })
        }
    }

    /// The templates built into this core (the national 范本).
    pub fn builtin() -> &'static TemplateSet {
        static BUILTIN: std::sync::OnceLock<TemplateSet> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| TemplateSet::from_json(BUILTIN_TEMPLATES).expect("the built-in templates are checked by the tests"))
    }

    /// Why the set cannot be used: a format this core does not read, a
    /// template without a national fallback, or a document that leaves out
    /// what the law requires of it.
    fn problems(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        if self.format != TEMPLATES_FORMAT {
            reasons.push(format!("format {} is not supported (this core reads {TEMPLATES_FORMAT})", self.format));
        }
        if self.version.trim().is_empty() {
            reasons.push("version: required".into());
        }
        for kind in DocumentKind::ALL {
            if !self.requirements.contains_key(&kind) {
                reasons.push(format!("requirements: nothing listed for {}", kind.title().zh));
            }
            if !self.templates.iter().any(|t| t.region == "national" && t.documents.contains_key(&kind)) {
                reasons.push(format!("templates: no national template for {}", kind.title().zh));
            }
        }
        for t in &self.templates {
            let at = format!("{} {}", t.region, t.effective_from);
            for (kind, doc) in &t.documents {
                for req in self.requirements.get(kind).into_iter().flatten() {
                    if !doc.elements.iter().any(|e| e.element == req.element) {
                        reasons.push(format!("{at} {}: lacks “{}”, required by {}", kind.title().zh, req.element.as_str(), req.basis));
                    }
                }
                for e in &doc.elements {
                    if e.element.is_text() && e.text.is_none() {
                        reasons.push(format!("{at} {}: “{}” needs its text", kind.title().zh, e.element.as_str()));
                    }
                    if !e.element.is_text() && e.text.is_some() {
                        reasons.push(format!("{at} {}: “{}” is filled from the record and takes no text", kind.title().zh, e.element.as_str()));
                    }
                }
            }
        }
        reasons
    }

    /// The template in force for `region` on `day`: the region's newest one
    /// in force, else the national one.
    pub fn template_for(&self, region: Option<&str>, day: Date) -> Option<&Template> {
        let newest = |r: &str| self.templates.iter().filter(|t| t.region == r && t.effective_from <= day).max_by_key(|t| t.effective_from);
        region.and_then(newest).or_else(|| newest("national"))
    }

    pub fn requirements(&self, kind: DocumentKind) -> &[Requirement] {
        self.requirements.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }
}
