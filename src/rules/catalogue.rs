//! The rule catalogue (docs/rules.md), generated from the rulebook so that it
//! is always what the engine uses. A test fails when the file is stale.

use std::fmt::Write;

use super::{Confidence, LegalBasis, Rulebook};

fn basis_line(b: &LegalBasis) -> String {
    let conf = match b.confidence {
        Confidence::H => "H",
        Confidence::M => "M",
        Confidence::L => "L",
    };
    let edition = b.edition.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
    format!("《{}》{}{} [{}]", b.law.zh, b.article.zh, edition, conf)
}

pub fn catalogue_markdown(book: &Rulebook) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Rule catalogue\n");
    let _ = writeln!(
        out,
        "Generated from the built-in rulebook `src/rules/rulebook.json` (version {}, published {}).\n\
         Regenerate with `XUNCHA_BLESS=1 cargo test --test catalogue`; a test fails when this file is stale.\n\n\
         Confidence: **H** read in the primary text; **M** secondary sources; **L** recalled, to be verified.\n\
         Every parameter is data that HQ can update, with effective dates; a finding always carries its basis.\n",
        book.version, book.published
    );
    let years = book.calendar.known_years();
    let _ = writeln!(out, "## Working-day calendar\n");
    for y in &years {
        let _ = writeln!(out, "- {y}: {}", book.calendar.source(*y).unwrap_or(""));
    }
    let _ = writeln!(out, "\nOutside these years deadlines are counted on weekends only, and the evaluation says so.\n");
    let mut kind = None;
    let mut rules: Vec<_> = book.rules().collect();
    rules.sort_by(|a, b| (a.kind, &a.code).cmp(&(b.kind, &b.code)));
    for rule in rules {
        if kind != Some(rule.kind) {
            kind = Some(rule.kind);
            let _ = writeln!(out, "## {:?}\n", rule.kind);
        }
        let _ = writeln!(out, "### `{}` — {}\n", rule.code, rule.title.zh);
        let _ = writeln!(out, "{}. Level: {:?}. Measures: {}.", rule.title.en, rule.level, rule.measures.iter().map(|m| m.text().zh).collect::<Vec<_>>().join("、"));
        if let Some(d) = rule.rectify_days {
            let _ = writeln!(out, "Default rectification period: {d} days.");
        }
        let _ = writeln!(out, "\n- Basis: {}", rule.basis.iter().map(basis_line).collect::<Vec<_>>().join("; "));
        if !rule.penalty.is_empty() {
            let _ = writeln!(out, "- Penalty: {}", rule.penalty.iter().map(basis_line).collect::<Vec<_>>().join("; "));
        }
        for v in &rule.versions {
            let until = v.until.map(|u| u.to_string()).unwrap_or_else(|| "…".into());
            let applies = v.applies_to.as_ref().map(|a| format!(" for {}", a.join(", "))).unwrap_or_default();
            let params = serde_json::to_string(&v.values).unwrap_or_default();
            let params = if params == "{}" { String::new() } else { format!(": `{params}`") };
            let standards = if v.basis.is_empty() { String::new() } else { format!(" — {}", v.basis.iter().map(basis_line).collect::<Vec<_>>().join("; ")) };
            let note = v.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
            let _ = writeln!(out, "- In force {} … {}{}{}{}{}", v.from, until, applies, params, standards, note);
        }
        let _ = writeln!(out);
    }
    out
}
