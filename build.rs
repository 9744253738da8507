//! The JSON files the core carries in the wasm (the form catalogue, the built-in
//! rulebook, document templates and report template), written to OUT_DIR without
//! their layout whitespace: the files stay readable in the repository, and the
//! tablet's module is ≈ 2 KB gzipped smaller (BENCHMARKS.md). Nothing but
//! whitespace outside strings is dropped; `tests/embedded_json.rs` checks that each
//! embedded text parses to the same JSON as its file.

use std::path::PathBuf;

const EMBEDDED: [(&str, &str); 4] = [
    ("src/form/catalogue.json", "catalogue.json"),
    ("src/rules/rulebook.json", "rulebook.json"),
    ("src/documents/templates.json", "templates.json"),
    ("src/summary/report_template.json", "report_template.json"),
];

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (source, name) in EMBEDDED {
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        std::fs::write(out.join(name), without_layout(&text)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    println!("cargo::rerun-if-changed=build.rs");
}

/// JSON text without the whitespace between its tokens (JSON's four whitespace
/// characters, outside strings; a string's escapes are stepped over whole).
fn without_layout(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}
