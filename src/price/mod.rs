//! Price tagging (明码标价): what the officer saw on one tag and at the till.
//! Rules: SAMR Order 56 (明码标价和禁止价格欺诈规定), in force 2022-07-01.

pub(crate) mod rules;
mod validate;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::problem::Text;
use crate::time::Date;

pub use validate::validate_price_check;

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct PriceCheck {
    pub id: Option<String>,
    pub subject: Option<PriceSubject>,
    /// The goods or service checked, as the officer names it (e.g. "猪肉（前腿）").
    pub item_name: Option<String>,
    /// Whether a price tag / price list was shown at all.
    pub tag_present: Option<bool>,
    /// The elements the tag actually shows.
    pub elements_seen: Vec<TagElement>,
    /// The price on the tag, in yuan.
    pub marked_price: Option<f64>,
    /// The unit the price is per (计价单位), e.g. "元/500克".
    pub pricing_unit: Option<String>,
    /// What the till or the seller actually charged, in yuan, for the same quantity.
    pub charged_price: Option<f64>,
    /// Other prices marked at the same time for the same goods (一物多价).
    pub other_marked_prices: Vec<f64>,
    /// A comparison price (原价 / 被比较价格) shown next to the selling price.
    pub comparison: Option<ComparisonPrice>,
    /// A gift (赠品) offered with the goods.
    pub gift: Option<Gift>,
    /// For services paid after consumption: was a settlement list (结算清单) given?
    pub settlement_list_given: Option<bool>,
    /// Fees charged that were not marked (价外加价), in yuan.
    pub unmarked_fees: Option<f64>,
    pub photo_sha256: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum PriceSubject {
    Goods,
    Service,
}

impl PriceSubject {
    pub const ALL: [PriceSubject; 2] = [PriceSubject::Goods, PriceSubject::Service];

    pub fn label(self) -> Text {
        match self {
            PriceSubject::Goods => Text::new("商品", "Goods"),
            PriceSubject::Service => Text::new("服务", "Service"),
        }
    }
}

/// Elements a tag may show. Goods: Art. 7 ¶1 (name, price, unit) and the
/// distinguishing ones; services: Art. 7 ¶2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub enum TagElement {
    /// 品名
    Name,
    /// 价格
    Price,
    /// 计价单位
    Unit,
    /// 规格
    Specification,
    /// 产地
    Origin,
    /// 等级
    Grade,
    /// 颜色
    Colour,
    /// 服务项目
    ServiceItem,
    /// 服务内容
    ServiceContent,
    /// 价格或者计价方法
    PriceOrMethod,
}

impl TagElement {
    pub const ALL: [TagElement; 10] = [
        TagElement::Name,
        TagElement::Price,
        TagElement::Unit,
        TagElement::Specification,
        TagElement::Origin,
        TagElement::Grade,
        TagElement::Colour,
        TagElement::ServiceItem,
        TagElement::ServiceContent,
        TagElement::PriceOrMethod,
    ];

    /// The element as a form shows it (its name on a tag, in both languages).
    pub fn label(self) -> Text {
        let en = self.name_en();
        let mut chars = en.chars();
        let en = chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default();
        Text::new(self.name_zh(), en)
    }

    /// The element's name on a tag.
    pub fn name_zh(self) -> &'static str {
        match self {
            TagElement::Name => "品名",
            TagElement::Price => "价格",
            TagElement::Unit => "计价单位",
            TagElement::Specification => "规格",
            TagElement::Origin => "产地",
            TagElement::Grade => "等级",
            TagElement::Colour => "颜色",
            TagElement::ServiceItem => "服务项目",
            TagElement::ServiceContent => "服务内容",
            TagElement::PriceOrMethod => "价格或计价方法",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            TagElement::Name => "name",
            TagElement::Price => "price",
            TagElement::Unit => "pricing unit",
            TagElement::Specification => "specification",
            TagElement::Origin => "origin",
            TagElement::Grade => "grade",
            TagElement::Colour => "colour",
            TagElement::ServiceItem => "service item",
            TagElement::ServiceContent => "service content",
            TagElement::PriceOrMethod => "price or pricing method",
        }
    }

    /// Whether the element belongs on a goods tag (else on a service price list).
    pub fn is_for_goods(self) -> bool {
        !matches!(self, TagElement::ServiceItem | TagElement::ServiceContent | TagElement::PriceOrMethod)
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct ComparisonPrice {
    /// The comparison price shown, in yuan.
    pub price: Option<f64>,
    /// Whether the tag explains what the comparison price is (its source, date…).
    pub details_shown: Option<bool>,
    /// The first day the comparison price was shown.
    pub shown_since: Option<Date>,
    /// Transaction prices at this venue before `shownSince` (from the till records).
    pub transactions: Vec<Transaction>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Transaction {
    pub on: Option<Date>,
    pub price: Option<f64>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, crate::decode::FromValue, crate::encode::ToJson)]
#[serde(rename_all = "camelCase", default)]
pub struct Gift {
    pub description: Option<String>,
    pub name_shown: Option<bool>,
    pub quantity_shown: Option<bool>,
}
