//! docs/problem-codes.md is generated from the code; this keeps it true.
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn problem_code_catalogue_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/problem-codes.md");
    let want = xuncha::problem::catalogue_markdown();
    if std::env::var_os("XUNCHA_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "docs/problem-codes.md is stale: run XUNCHA_BLESS=1 cargo test --test catalogue");
}

#[test]
fn problem_codes_are_unique_and_stable_in_form() {
    let mut seen = std::collections::HashSet::new();
    for c in xuncha::ProblemCode::ALL {
        assert!(seen.insert(c.as_str()), "duplicate {}", c.as_str());
        assert!(c.as_str().bytes().all(|b| b.is_ascii_uppercase() || b == b'_'), "{}", c.as_str());
        // the wire form is the serde form
        assert_eq!(serde_json::to_value(c).unwrap(), serde_json::json!(c.as_str()));
    }
}

#[test]
fn rule_catalogue_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let want = xuncha::rules::catalogue_markdown(xuncha::Rulebook::builtin());
    if std::env::var_os("XUNCHA_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "docs/rules.md is stale: run XUNCHA_BLESS=1 cargo test --test catalogue");
}
