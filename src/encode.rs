//! The core's JSON writer: what crosses the wasm edge as text. Each output
//! type's [`ToJson`] is written by `#[derive(ToJson)]` (the `derive/` crate) from
//! the same `#[serde(...)]` attributes serde's own derive reads; the leaves
//! below write numbers, strings and dates exactly as serde_json and chrono's
//! serde impls do. tests/encode_same.rs compares every output of real records,
//! byte for byte, with `serde_json`'s text of the same value.
//!
//! Binding invariant: `to_json_text(x)` is `serde_json::to_string(&serde_json::to_value(x))`
//! — members in the order of their names (a `Value` map is sorted), `null` for
//! a float that is not finite, serde_json's escapes and number forms.
//!
//! Why not serde: serde's `Serialize` drives a generic serializer per type,
//! and the edge built a `Value` tree before the text: ≈ 30 KB of the tablet's
//! module (BENCHMARKS.md). Native code (HQ, exports, tests) keeps serde.

use std::collections::BTreeMap;
use std::fmt::Write;

pub use xuncha_derive::ToJson;

/// A type the core writes as JSON text.
pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

/// `value` as JSON text.
pub fn to_json_text<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// `value` as a `serde_json::Value`: its text read back (equal to
/// `serde_json::to_value`, floats included: the text is the shortest that
/// reads back as the same number). For the few values the core builds as
/// JSON (a finding's figures, a record's changed fields), so that the wasm
/// carries one writer.
pub fn to_value<T: ToJson + ?Sized>(value: &T) -> serde_json::Value {
    serde_json::from_str(&to_json_text(value)).expect("the writer writes JSON (tests/encode_same.rs)")
}

/// An object being written: the derive's writers call [`Object::key`] before each member.
pub struct Object<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Object<'a> {
    pub fn begin(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, first: true }
    }

    /// `key` is the member's name as text, quoted, with its colon: `"name":`.
    pub fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push_str(key);
    }

    pub fn out(&mut self) -> &mut String {
        self.out
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

/// A string with serde_json's escapes: `"` `\` and the control characters
/// (`\b \t \n \f \r`, the rest as `\u00xx`); everything else as it is.
pub fn write_str(s: &str, out: &mut String) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        run = i + 1;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[run..]);
    out.push('"');
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_str(self, out)
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(self, out)
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" })
    }
}

macro_rules! integers {
    ($($t:ty)*) => {
        $(
            impl ToJson for $t {
                fn write_json(&self, out: &mut String) {
                    let _ = write!(out, "{self}");
                }
            }
        )*
    };
}

integers!(u8 u16 u32 u64 usize i8 i16 i32 i64);

/// As serde_json's `Value` holds a float: `null` unless finite, else its shortest form.
impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        match serde_json::Number::from_f64(*self) {
            Some(n) => {
                let _ = write!(out, "{n}");
            }
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out)
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out)
    }
}

impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}

/// A map's key as its member name: a string as it is, a unit variant by its name.
pub trait JsonKey {
    fn key_text(&self) -> String;
}

impl JsonKey for String {
    fn key_text(&self) -> String {
        self.clone()
    }
}

/// Members in the order of their names (a map keyed by an enum is ordered by
/// variant, `Value`'s by the name it is written as).
impl<K: JsonKey, V: ToJson> ToJson for BTreeMap<K, V> {
    fn write_json(&self, out: &mut String) {
        write_map(self.iter(), out)
    }
}

/// A map's entries as an object, in the order of the names they are written as.
pub fn write_map<'a, K: JsonKey + 'a, V: ToJson + 'a>(entries: impl Iterator<Item = (&'a K, &'a V)>, out: &mut String) {
    let mut members: Vec<(String, &V)> = entries.map(|(k, v)| (k.key_text(), v)).collect();
    members.sort_by(|a, b| a.0.cmp(&b.0));
    out.push('{');
    for (i, (key, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(&key, out);
        out.push(':');
        value.write_json(out);
    }
    out.push('}');
}

impl ToJson for serde_json::Value {
    fn write_json(&self, out: &mut String) {
        use serde_json::Value;
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => b.write_json(out),
            Value::Number(n) => {
                let _ = write!(out, "{n}");
            }
            Value::String(s) => write_str(s, out),
            Value::Array(items) => items.write_json(out),
            Value::Object(map) => {
                out.push('{');
                for (i, (key, value)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(key, out);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// `YYYY-MM-DD`, as chrono's serde impl writes a date.
impl ToJson for chrono::NaiveDate {
    fn write_json(&self, out: &mut String) {
        let _ = write!(out, "\"{self}\"");
    }
}

/// RFC 3339 with as many fraction digits as needed and `Z` for UTC, as chrono's serde impl writes it.
impl ToJson for chrono::DateTime<chrono::FixedOffset> {
    fn write_json(&self, out: &mut String) {
        write_str(&self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true), out)
    }
}
