//! The report paragraphs: the figures of a summary written out the way the
//! bureau's work reports put them ("共出动执法人员X人次，检查经营主体X家次……"),
//! one paragraph per kind of check and one for the whole, in Chinese and English
//! — in the words of a report template ([`super::template`]): a bureau's own,
//! or the core's (`report_template.json`).

use serde::{Deserialize, Serialize};

use super::Summary;
use crate::problem::Text;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct ReportParagraphs {
    pub total: Text,
    pub price: Text,
    pub metrology: Text,
    pub equipment: Text,
    pub sampling: Text,
}

impl ReportParagraphs {
    /// All paragraphs, in report order, in one language.
    pub fn joined(&self, zh: bool) -> String {
        [&self.total, &self.price, &self.metrology, &self.equipment, &self.sampling].iter().map(|t| if zh { t.zh.as_str() } else { t.en.as_str() }).collect::<Vec<_>>().join("\n")
    }
}

/// The paragraphs in today's wording (the built-in template).
pub fn paragraphs(s: &Summary) -> ReportParagraphs {
    super::template::ReportTemplate::builtin().render(s)
}
