//! What differs between two versions of a record, field by field (JSON
//! Pointers), so staff resolving a conflict see what each version says.

use serde::Serialize;
use serde_json::Value;

/// One leaf that differs: its pointer, and its value in each version (absent: `None`).
#[derive(Clone, Debug, PartialEq, Serialize, crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Every leaf that differs between `before` and `after`, in document order
/// (objects by key, lists by position); equal parts are skipped whole.
pub fn differences(before: &Value, after: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk(String::new(), Some(before), Some(after), &mut out);
    out
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn walk(path: String, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<Difference>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                walk(format!("{path}/{}", escape(k)), x.get(k), y.get(k), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                walk(format!("{path}/{i}"), x.get(i), y.get(i), out);
            }
        }
        _ => out.push(Difference { path, before: a.cloned(), after: b.cloned() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn leaves_that_differ_are_named_by_pointer() {
        let a = json!({ "operator": { "name": "甲", "phone": "1" }, "priceChecks": [{ "markedPrice": 15.8 }], "notes": "x", "a/b": 1 });
        let b = json!({ "operator": { "name": "乙", "phone": "1" }, "priceChecks": [{ "markedPrice": 15.8 }, { "markedPrice": 3 }], "a/b": 2 });
        let d = differences(&a, &b);
        let paths: Vec<&str> = d.iter().map(|x| x.path.as_str()).collect();
        assert_eq!(paths, vec!["/a~1b", "/notes", "/operator/name", "/priceChecks/1"]);
        assert_eq!((d[1].before.clone(), d[1].after.clone()), (Some(json!("x")), None));
        assert_eq!(d[3].after, Some(json!({ "markedPrice": 3 })));
        assert!(differences(&a, &a).is_empty());
    }
}
