//! The canonical form of a record and its SHA-256: object keys sorted, no
//! insignificant white space, strings as serde_json writes them, and numbers
//! by value — an integral number is written as an integer (`1.0` → `1`),
//! because JavaScript has only one kind of number: the tablet's `1` and HQ's
//! `1.0` are the same datum. The tablet computes it with this same code
//! (through wasm), so both sides agree byte for byte.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Largest integer every JSON reader holds exactly (2^53).
const EXACT: f64 = 9_007_199_254_740_992.0;

fn normalise(v: &Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < EXACT && !n.is_i64() && !n.is_u64() => Value::from(f as i64),
            _ => v.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), normalise(x))).collect()),
        _ => v.clone(),
    }
}

/// The canonical JSON text of a value.
pub fn canonical_json(v: &Value) -> String {
    // serde_json's map is ordered by key (no `preserve_order` feature), so
    // writing the normalised value is canonical.
    // The core's writer: serde_json's text exactly (tests/encode_same.rs), with no serializer in the wasm.
    crate::encode::to_json_text(&normalise(v))
}

/// SHA-256 of the canonical JSON, as 64 lowercase hex digits.
pub fn content_sha256(v: &Value) -> String {
    sha256_hex(canonical_json(v).as_bytes())
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_spacing_do_not_matter() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": {"y": [1, 2], "x": "字"}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":{"x":"字","y":[1,2]},"b":1}"#).unwrap();
        assert_eq!(canonical_json(&a), r#"{"a":{"x":"字","y":[1,2]},"b":1}"#);
        assert_eq!(content_sha256(&a), content_sha256(&b));
        assert_ne!(content_sha256(&a), content_sha256(&json!({"a": {"x": "字", "y": [2, 1]}, "b": 1})));
    }

    #[test]
    fn numbers_by_value_as_javascript_holds_them() {
        let native: Value = serde_json::from_str(r#"{"a": 1.0, "b": 2.50, "c": -0.0, "d": 15000}"#).unwrap();
        assert_eq!(canonical_json(&native), r#"{"a":1,"b":2.5,"c":0,"d":15000}"#);
        assert_eq!(content_sha256(&native), content_sha256(&json!({"a": 1, "b": 2.5, "c": 0, "d": 15000})));
    }

    #[test]
    fn the_hash_survives_the_trip_as_text() {
        // Floats as devices produce them (sums, shortest forms); the default
        // parser of serde_json is one ulp off for some of these.
        let mut v = Vec::new();
        for i in 0..2000 {
            v.push(json!(20.0 + i as f64 * 0.01 - 0.04));
            v.push(json!(i as f64 * 0.1 + 0.2));
            v.push(json!(1.0e-7 * i as f64 + 123456.789));
        }
        let record = json!({ "values": v });
        let text = serde_json::to_string(&record).unwrap();
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(content_sha256(&back), content_sha256(&record));
    }

    #[test]
    fn known_digest() {
        // sha256("{}") — a fixed point to catch an accidental change of the canonical form.
        assert_eq!(content_sha256(&json!({})), "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }
}
