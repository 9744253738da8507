//! build.rs embeds the core's JSON files without their layout whitespace: each
//! embedded text must be the same JSON as its file, and no longer than it needs to be.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;

const EMBEDDED: [(&str, &str); 4] = [
    ("src/form/catalogue.json", include_str!(concat!(env!("OUT_DIR"), "/catalogue.json"))),
    ("src/rules/rulebook.json", include_str!(concat!(env!("OUT_DIR"), "/rulebook.json"))),
    ("src/documents/templates.json", include_str!(concat!(env!("OUT_DIR"), "/templates.json"))),
    ("src/summary/report_template.json", include_str!(concat!(env!("OUT_DIR"), "/report_template.json"))),
];

#[test]
fn each_embedded_text_is_its_file_without_layout() {
    for (source, embedded) in EMBEDDED {
        let file = std::fs::read_to_string(format!("{}/{source}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let (file_json, embedded_json): (Value, Value) = (serde_json::from_str(&file).unwrap(), serde_json::from_str(embedded).unwrap());
        assert_eq!(embedded_json, file_json, "{source}");
        // The file with characters dropped, every one of them whitespace, and none left between tokens.
        let mut kept = embedded.chars().peekable();
        for c in file.chars() {
            if kept.peek() == Some(&c) {
                kept.next();
            } else {
                assert!(c.is_ascii_whitespace(), "{source}: {c:?} dropped");
            }
        }
        assert!(kept.next().is_none(), "{source}: more than the file");
        assert!(embedded.len() < file.len(), "{source}");
        let layout = serde_json::to_string(&file_json).unwrap().len();
        assert_eq!(embedded.len(), layout, "{source}: as long as serde_json's compact writing of it");
    }
}
