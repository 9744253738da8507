//! Reading untrusted JSON into typed records without ever giving up early or
//! panicking. Serde stops at the first bad field; we want *every* bad field,
//! each as a [`Problem`] with its JSON Pointer. So: decode, and on a type error
//! report it, take the bad value out, and decode again (bounded). Unknown fields
//! are reported too — a field we would silently drop is data an officer loses.
//! Both come from one pass of the core's own deserializer ([`tracked`]): it
//! pins a type error to its place, and notes each member serde skips as one
//! the model does not have. (One deserializer, no wrappers and no writing the
//! record back out to compare: a smaller wasm and a faster read.)

use serde_json::Value;

mod tracked;
use crate::problem::{Problem, ProblemCode, Text};
pub use serde_json::Error;
#[cfg(not(target_arch = "wasm32"))]
pub use tracked::read_noting_unknown_via_serde;
pub use tracked::{read, read_noting_unknown, At, FromValue, Members, ReadError};
pub use xuncha_derive::FromValue;

/// Upper bound on repairs, so hostile input cannot make decoding slow.
const MAX_REPAIRS: usize = 64;

/// The typed record (when the input was an object) and the structural problems found on the way.
pub struct Decoded<T> {
    pub record: Option<T>,
    pub problems: Vec<Problem>,
    /// Pointers of values taken out as unreadable; later checks stay quiet about them.
    pub removed: Vec<String>,
}

impl<T> Decoded<T> {
    /// Whether a later content check at `path` would only repeat a structural problem.
    pub fn is_shadowed(&self, path: &str) -> bool {
        self.removed.iter().any(|r| path == r || (path.starts_with(r.as_str()) && path.as_bytes().get(r.len()) == Some(&b'/')))
    }
}

/// Decode `value` into `T`, reporting every wrong type and unknown field.
pub fn decode<T: FromValue>(mut value: Value) -> Decoded<T> {
    let mut problems = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    if !value.is_object() {
        problems.push(Problem::new(ProblemCode::NotAnObject, "", Text::new(format!("记录应为对象，实际为{}", kind_zh(&value)), format!("a record must be an object, not {}", kind_en(&value)))));
        return Decoded { record: None, problems, removed };
    }
    for _ in 0..MAX_REPAIRS {
        match tracked::read_noting_unknown::<T>(&value) {
            Ok((record, unknown)) => {
                for at in unknown {
                    let key = at.rsplit('/').next().unwrap_or_default().to_string();
                    problems.push(Problem::new(ProblemCode::UnknownField, at, Text::new(format!("无法识别的字段“{}”", key), format!("unknown field \"{}\"", key))));
                }
                return Decoded { record: Some(record), problems, removed };
            }
            Err(err) => {
                let at = err.pointer();
                let detail = err.error.to_string();
                if !removed.contains(&at) {
                    problems.push(type_problem(&at, &detail, value.pointer(&at)));
                }
                match take_out(&mut value, &at, &removed) {
                    Some(gone) => removed.push(gone),
                    None => break,
                }
            }
        }
    }
    Decoded { record: None, problems, removed }
}

/// Read a record that was validated when it was saved (for counting and
/// summaries): the same reader as [`decode`] — so no second copy of the
/// record model in the wasm — but with no problems made of unknown fields;
/// the lenient path only when the record does not read cleanly.
pub fn decode_trusted<T: FromValue>(value: Value) -> Option<T> {
    match tracked::read::<T>(&value) {
        Ok(record) => Some(record),
        Err(_) => decode(value).record,
    }
}

fn type_problem(at: &str, detail: &str, found: Option<&Value>) -> Problem {
    let field = at.rsplit('/').next().unwrap_or_default();
    if detail.starts_with("invalid type") || detail.starts_with("invalid length") {
        let found_zh = found.map(kind_zh).unwrap_or("未知");
        Problem::new(ProblemCode::WrongType, at, Text::new(format!("字段“{}”类型不正确（收到{}）", field, found_zh), format!("field \"{}\": {}", field, detail)))
    } else {
        Problem::new(ProblemCode::InvalidValue, at, Text::new(format!("字段“{}”的取值或格式无效", field), format!("field \"{}\": {}", field, detail)))
    }
}

/// Take the unreadable value at `at` out of the tree. An object member is
/// removed; a list element is first replaced by an empty object (lists of
/// records then keep their indices), and if that is not readable either the
/// whole list goes. Returns the pointer of what was taken out.
fn take_out(root: &mut Value, at: &str, removed: &[String]) -> Option<String> {
    let (parent_at, last) = at.rsplit_once('/')?;
    let key = unescape(last);
    let parent = root.pointer_mut(parent_at)?;
    match parent {
        Value::Object(map) => {
            map.remove(&key)?;
            Some(at.to_string())
        }
        Value::Array(items) => {
            let i: usize = key.parse().ok()?;
            let already_tried = removed.iter().any(|r| r == at);
            if !already_tried && !items.get(i)?.is_object() {
                items[i] = Value::Object(Default::default());
                Some(at.to_string())
            } else {
                take_out(root, parent_at, removed)
            }
        }
        _ => None,
    }
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn kind_zh(v: &Value) -> &'static str {
    match v {
        Value::Null => "空值",
        Value::Bool(_) => "布尔值",
        Value::Number(_) => "数字",
        Value::String(_) => "文本",
        Value::Array(_) => "列表",
        Value::Object(_) => "对象",
    }
}

fn kind_en(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parse a file HQ publishes (a rulebook, document templates) and read it as
/// `T`, with the offending field's path in the error ("published: invalid
/// type…"): the same path-tracking reader as records, so the wasm carries one kind of it.
pub fn read_published<T: FromValue>(text: &str) -> Result<T, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    tracked::read(&value).map_err(|e| e.to_string())
}
