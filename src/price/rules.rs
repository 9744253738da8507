//! Compliance rules for price tagging (SAMR Order 56).

use crate::encode::to_value;

use super::{PriceCheck, PriceSubject, TagElement};
use crate::check::Ptr;
use crate::evaluate::{exceeds, Ctx};
use crate::problem::Text;

/// Elements Art. 7 requires: goods ¶1, services ¶2.
const GOODS_REQUIRED: [TagElement; 3] = [TagElement::Name, TagElement::Price, TagElement::Unit];
const SERVICE_REQUIRED: [TagElement; 3] = [TagElement::ServiceItem, TagElement::ServiceContent, TagElement::PriceOrMethod];

fn names(elements: &[TagElement]) -> (String, String) {
    (elements.iter().map(|e| e.name_zh()).collect::<Vec<_>>().join("、"), elements.iter().map(|e| e.name_en()).collect::<Vec<_>>().join(", "))
}

fn yuan(v: f64) -> String {
    format!("{:.2}", v)
}

pub fn evaluate(p: &PriceCheck, ctx: &mut Ctx, at: &Ptr) {
    let Some(subject) = p.subject else { return };
    let id = &p.id;
    let item = p.item_name.as_deref().unwrap_or("").trim();

    match p.tag_present {
        Some(false) => ctx.find("PRICE.NO_TAG", None, at, id, Text::new(format!("“{item}”未明码标价"), format!("\"{item}\" has no price tag")), vec![]),
        Some(true) => {
            let required: &[TagElement] = match subject {
                PriceSubject::Goods => &GOODS_REQUIRED,
                PriceSubject::Service => &SERVICE_REQUIRED,
            };
            let missing: Vec<TagElement> = required.iter().copied().filter(|e| !p.elements_seen.contains(e)).collect();
            if !missing.is_empty() {
                let (zh, en) = names(&missing);
                ctx.find(
                    "PRICE.MISSING_ELEMENT",
                    None,
                    &at.key("elementsSeen"),
                    id,
                    Text::new(format!("“{item}”的标价缺少：{zh}"), format!("the tag of \"{item}\" lacks: {en}")),
                    vec![("missing", to_value(&missing))],
                );
            }
            if subject == PriceSubject::Goods {
                city_elements(p, ctx, at, item);
            }
        }
        None => {}
    }

    if let (Some(marked), Some(charged)) = (p.marked_price, p.charged_price) {
        // Art. 21: charging less than marked is not a violation.
        if exceeds(charged, marked) {
            ctx.find(
                "PRICE.ABOVE_MARKED",
                None,
                &at.key("chargedPrice"),
                id,
                Text::new(
                    format!("“{item}”标价 {} 元，实收 {} 元，高出 {} 元", yuan(marked), yuan(charged), yuan(charged - marked)),
                    format!("\"{item}\": marked ¥{}, charged ¥{}, ¥{} more", yuan(marked), yuan(charged), yuan(charged - marked)),
                ),
                vec![("markedPrice", to_value(&marked)), ("chargedPrice", to_value(&charged)), ("difference", to_value(&(charged - marked)))],
            );
        }
    }
    if let Some(fee) = p.unmarked_fees.filter(|f| exceeds(*f, 0.0)) {
        ctx.find(
            "PRICE.UNMARKED_FEE",
            None,
            &at.key("unmarkedFees"),
            id,
            Text::new(format!("“{item}”另收未标明费用 {} 元", yuan(fee)), format!("\"{item}\": an unmarked fee of ¥{}", yuan(fee))),
            vec![("unmarkedFees", to_value(&fee))],
        );
    }

    let mut prices: Vec<f64> = p.marked_price.into_iter().chain(p.other_marked_prices.iter().copied()).collect();
    prices.sort_by(|a, b| a.total_cmp(b));
    prices.dedup_by(|a, b| !exceeds(*a, *b) && !exceeds(*b, *a));
    if prices.len() > 1 {
        let list = prices.iter().map(|v| yuan(*v)).collect::<Vec<_>>().join(" / ");
        ctx.find(
            "PRICE.TWO_PRICES",
            None,
            &at.key("otherMarkedPrices"),
            id,
            Text::new(format!("“{item}”同时标示不同价格：{list} 元"), format!("\"{item}\" shows different prices at once: ¥{list}")),
            vec![("prices", to_value(&prices))],
        );
    }

    comparison(p, ctx, at, item);

    if let Some(g) = &p.gift {
        if g.name_shown == Some(false) || g.quantity_shown == Some(false) {
            let what = g.description.as_deref().unwrap_or("赠品");
            let mut lacks_zh = vec![];
            let mut lacks_en = vec![];
            if g.name_shown == Some(false) {
                lacks_zh.push("品名");
                lacks_en.push("name");
            }
            if g.quantity_shown == Some(false) {
                lacks_zh.push("数量");
                lacks_en.push("quantity");
            }
            ctx.find(
                "PRICE.GIFT_UNMARKED",
                None,
                &at.key("gift"),
                id,
                Text::new(format!("赠品“{what}”未标明{}", lacks_zh.join("、")), format!("the gift \"{what}\" does not show its {}", lacks_en.join(" or "))),
                vec![],
            );
        }
    }
    if subject == PriceSubject::Service && p.settlement_list_given == Some(false) {
        ctx.find(
            "PRICE.NO_SETTLEMENT_LIST",
            None,
            &at.key("settlementListGiven"),
            id,
            Text::new(format!("“{item}”先消费后结算，未提供结算清单"), format!("\"{item}\" is paid after use, without a settlement list")),
            vec![],
        );
    }
}

/// A city's own required elements for named goods (Order 56 Art. 7 ¶4).
fn city_elements(p: &PriceCheck, ctx: &mut Ctx, at: &Ptr, item: &str) {
    let Some(city) = ctx.visit.site.as_ref().and_then(|s| s.city.as_deref()).map(str::trim) else {
        return;
    };
    let date = ctx.date;
    let entries: Vec<_> = ctx
        .book
        .city_price_elements
        .iter()
        .filter(|c| c.city.trim() == city && date >= c.from && c.until.map_or(true, |u| date <= u))
        .filter(|c| c.goods.iter().any(|g| !g.is_empty() && item.contains(g.as_str())))
        .cloned()
        .collect();
    for entry in entries {
        let missing: Vec<TagElement> = entry.elements.iter().copied().filter(|e| !p.elements_seen.contains(e)).collect();
        if missing.is_empty() {
            continue;
        }
        let (zh, en) = names(&missing);
        let before = ctx.findings.len();
        ctx.find(
            "PRICE.CITY_ELEMENT",
            None,
            &at.key("elementsSeen"),
            &p.id,
            Text::new(format!("按{city}规定，“{item}”的标价还应标明：{zh}"), format!("{city} also requires \"{item}\" to show: {en}")),
            vec![("missing", to_value(&missing)), ("city", to_value(&city))],
        );
        if let Some(f) = ctx.findings.get_mut(before) {
            f.basis.push(entry.basis.clone());
        }
    }
}

/// Art. 16 ¶2: a comparison price shown without details may not exceed the
/// lowest transaction price of the 7 days before it was first shown (or, with
/// no sale in those days, the last transaction price).
fn comparison(p: &PriceCheck, ctx: &mut Ctx, at: &Ptr, item: &str) {
    let Some(c) = &p.comparison else { return };
    let (Some(price), Some(since), Some(false)) = (c.price, c.shown_since, c.details_shown) else {
        return;
    };
    let Some((_, version)) = ctx.in_force("PRICE.COMPARISON_TOO_HIGH", None) else {
        return;
    };
    let window = version.values.window_days.unwrap_or(7) as i64;
    let first_day = crate::time::add_days(since, -window);
    let valid = || c.transactions.iter().filter_map(|t| Some((t.on?, t.price?)));
    let in_window: Vec<f64> = valid().filter(|(on, _)| *on >= first_day && *on < since).map(|(_, p)| p).collect();
    let (reference, how_zh, how_en) = if let Some(lowest) = in_window.iter().copied().reduce(f64::min) {
        (lowest, format!("前 {window} 日内最低成交价"), format!("lowest transaction price in the {window} days before"))
    } else if let Some(last_day) = valid().filter(|(on, _)| *on < since).map(|(on, _)| on).max() {
        // On the last day with sales, the lowest of that day's prices.
        let last = valid().filter(|(on, _)| *on == last_day).map(|(_, p)| p).reduce(f64::min).unwrap_or(f64::INFINITY);
        (last, format!("前 {window} 日内无成交，取最后一次成交价（{last_day}）"), format!("no sale in the {window} days before; last transaction price ({last_day})"))
    } else {
        ctx.find(
            "PRICE.COMPARISON_UNVERIFIED",
            None,
            &at.key("comparison"),
            &p.id,
            Text::new(
                format!("“{item}”标示被比较价格 {} 元，但无 {since} 之前的成交记录可核，请调取交易记录", yuan(price)),
                format!("\"{item}\" shows a comparison price of ¥{} with no transaction before {since} to check it against; obtain the sales records", yuan(price)),
            ),
            vec![("comparisonPrice", to_value(&price))],
        );
        return;
    };
    if exceeds(price, reference) {
        ctx.find(
            "PRICE.COMPARISON_TOO_HIGH",
            None,
            &at.key("comparison").key("price"),
            &p.id,
            Text::new(
                format!("“{item}”被比较价格 {} 元，高于{how_zh} {} 元", yuan(price), yuan(reference)),
                format!("\"{item}\": comparison price ¥{} is above the {how_en}, ¥{}", yuan(price), yuan(reference)),
            ),
            vec![("comparisonPrice", to_value(&price)), ("referencePrice", to_value(&reference)), ("windowStart", to_value(&first_day)), ("shownSince", to_value(&since))],
        );
    }
}
