//! Data validation of a price-tag check.

use super::{PriceCheck, PriceSubject, TagElement};
use crate::check::{Checks, Label, Ptr};
use crate::problem::ProblemCode;
use crate::time::Date;

pub fn validate_price_check(p: &PriceCheck, c: &mut Checks, at: &Ptr, visit_date: Option<Date>) {
    c.id(&p.id, &at.key("id"));
    let subject = c.require(&p.subject, &at.key("subject"), Label("商品或服务", "goods or service")).copied();
    c.require_text(&p.item_name, &at.key("itemName"), Label("商品/服务名称", "goods / service name"));
    let tag = c.require(&p.tag_present, &at.key("tagPresent"), Label("是否明码标价", "whether a tag is shown")).copied();

    if let Some(subject) = subject {
        for (i, e) in p.elements_seen.iter().enumerate() {
            if e.is_for_goods() != (subject == PriceSubject::Goods) {
                let (zh, en) = match subject {
                    PriceSubject::Goods => ("商品", "goods"),
                    PriceSubject::Service => ("服务", "service"),
                };
                c.push(ProblemCode::ElementNotForSubject, &at.key("elementsSeen").index(i), format!("该标价要素不属于{}标价", zh), format!("this element does not belong on a {} tag", en));
            }
        }
    }
    if tag == Some(false) && !p.elements_seen.is_empty() {
        c.push(ProblemCode::TagInconsistent, &at.key("elementsSeen"), "记录为未明码标价，却列出了标价要素，请核对".into(), "recorded as untagged, yet tag elements are listed; please check".into());
    }
    if tag == Some(true) && p.elements_seen.contains(&TagElement::Price) {
        c.require(&p.marked_price, &at.key("markedPrice"), Label("标示价格", "marked price"));
    }
    money(c, p.marked_price, &at.key("markedPrice"), Label("标示价格", "marked price"));
    money(c, p.charged_price, &at.key("chargedPrice"), Label("实收价格", "charged price"));
    c.non_negative(p.unmarked_fees, &at.key("unmarkedFees"), Label("价外收费", "unmarked fees"));
    for (i, price) in p.other_marked_prices.iter().enumerate() {
        money(c, Some(*price), &at.key("otherMarkedPrices").index(i), Label("另一标示价格", "other marked price"));
    }

    if let Some(cmp) = &p.comparison {
        let cat = at.key("comparison");
        let price = c.require(&cmp.price, &cat.key("price"), Label("被比较价格", "comparison price")).copied();
        c.positive(price, &cat.key("price"), Label("被比较价格", "comparison price"));
        c.require(&cmp.details_shown, &cat.key("detailsShown"), Label("是否标明被比较价格的详细信息", "whether details are shown"));
        let since = c.require(&cmp.shown_since, &cat.key("shownSince"), Label("被比较价格开始标示日期", "date the comparison price was first shown")).copied();
        c.date_not_future(since, &cat.key("shownSince"), Label("被比较价格开始标示日期", "date first shown"));
        if let (Some(s), Some(v)) = (since, visit_date) {
            if s > v {
                c.push(ProblemCode::DateOrder, &cat.key("shownSince"), "开始标示日期晚于检查日期".into(), "first shown after the visit date".into());
            }
        }
        for (i, t) in cmp.transactions.iter().enumerate() {
            let tat = cat.key("transactions").index(i);
            let on = c.require(&t.on, &tat.key("on"), Label("成交日期", "transaction date")).copied();
            c.require(&t.price, &tat.key("price"), Label("成交价格", "transaction price"));
            c.non_negative(t.price, &tat.key("price"), Label("成交价格", "transaction price"));
            c.date_not_future(on, &tat.key("on"), Label("成交日期", "transaction date"));
            if let (Some(on), Some(s)) = (on, since) {
                if on >= s {
                    c.push(
                        ProblemCode::TransactionOutsideWindow,
                        &tat.key("on"),
                        format!("成交日期 {} 不早于被比较价格开始标示日期 {}，不计入比较", on, s),
                        format!("the transaction on {} is not before {} and does not count", on, s),
                    );
                }
            }
        }
    }
    if let Some(g) = &p.gift {
        let gat = at.key("gift");
        c.require_text(&g.description, &gat.key("description"), Label("赠品", "gift"));
        c.require(&g.name_shown, &gat.key("nameShown"), Label("赠品是否标明品名", "whether the gift's name is shown"));
        c.require(&g.quantity_shown, &gat.key("quantityShown"), Label("赠品是否标明数量", "whether the gift's quantity is shown"));
    }
}

fn money(c: &mut Checks, value: Option<f64>, at: &Ptr, label: Label) {
    c.non_negative(value, at, label);
    if value == Some(0.0) {
        c.push(ProblemCode::ZeroPrice, at, format!("{}为 0，确认无误吗？", label.0), format!("{} is 0; is that right?", label.1));
    }
}
