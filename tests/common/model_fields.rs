//! Every leaf of a serde model, found by deserializing it: a deserializer that
//! records what each field asks for (bool, number, text, date, enum…).
//!
//! serde-reflection cannot trace the visit whole: dates and timestamps both
//! read from strings, and no one default string parses as both. Here a string
//! that a field refuses is retried on the next pass (a date, then nothing, for
//! an optional value), so every field of every struct is reached.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, IntoDeserializer, SeqAccess, VariantAccess, Visitor};
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leaf {
    Bool,
    Number,
    Integer,
    Text,
    Date,
    /// Read from a string that is neither text nor a date (a timestamp).
    Opaque,
    Enum(Vec<&'static str>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attempt {
    Text,
    Date,
    Skip,
}

#[derive(Default)]
struct State {
    leaves: BTreeMap<String, Leaf>,
    attempts: BTreeMap<String, Attempt>,
    refused_at: Option<String>,
}

#[derive(Debug)]
pub struct Refused(String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Refused {}
impl de::Error for Refused {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Refused(msg.to_string())
    }
}

struct Lister<'s> {
    path: String,
    state: &'s RefCell<State>,
}

impl<'s> Lister<'s> {
    fn at(&self, key: &str) -> Lister<'s> {
        let path = if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) };
        Lister { path, state: self.state }
    }
    fn leaf(&self, leaf: Leaf) {
        self.state.borrow_mut().leaves.insert(self.path.clone(), leaf);
    }
    fn attempt(&self) -> Attempt {
        *self.state.borrow().attempts.get(&self.path).unwrap_or(&Attempt::Text)
    }
}

/// Every leaf of `T`, as "priceChecks[].comparison.transactions[].on".
pub fn leaves<T: for<'de> Deserialize<'de>>() -> BTreeMap<String, Leaf> {
    let state = RefCell::new(State::default());
    for _ in 0..10_000 {
        let result = T::deserialize(Lister { path: String::new(), state: &state });
        let mut s = state.borrow_mut();
        match result {
            Ok(_) => return std::mem::take(&mut s.leaves),
            Err(e) => {
                let at = s.refused_at.take().unwrap_or_else(|| panic!("refused with no field to retry: {e}"));
                let next = match s.attempts.get(&at).copied().unwrap_or(Attempt::Text) {
                    Attempt::Text => Attempt::Date,
                    Attempt::Date => Attempt::Skip,
                    Attempt::Skip => panic!("{at}: refused even when skipped: {e}"),
                };
                s.attempts.insert(at, next);
            }
        }
    }
    panic!("the model did not settle");
}

macro_rules! numbers {
    ($($method:ident $visit:ident $one:literal => $leaf:ident),*) => {
        $(fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
            self.leaf(Leaf::$leaf);
            v.$visit($one)
        })*
    };
}

impl<'de, 's> de::Deserializer<'de> for Lister<'s> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Refused> {
        panic!("{}: a field of no fixed shape", self.path)
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        self.leaf(Leaf::Bool);
        v.visit_bool(true)
    }
    // Every number reads the same way: recorded as a number or an integer, given 1.
    numbers! {
        deserialize_f64 visit_f64 1.0 => Number,
        deserialize_f32 visit_f32 1.0 => Number,
        deserialize_u8 visit_u8 1 => Integer,
        deserialize_u16 visit_u16 1 => Integer,
        deserialize_u32 visit_u32 1 => Integer,
        deserialize_u64 visit_u64 1 => Integer,
        deserialize_i32 visit_i32 1 => Integer,
        deserialize_i64 visit_i64 1 => Integer
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        let (leaf, text) = match self.attempt() {
            Attempt::Text => (Leaf::Text, "x"),
            Attempt::Date => (Leaf::Date, "2026-01-01"),
            Attempt::Skip => unreachable!("a skipped field is not read"),
        };
        self.leaf(leaf);
        v.visit_str(text).inspect_err(|_| self.state.borrow_mut().refused_at = Some(self.path.clone()))
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        self.deserialize_str(v)
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        if self.attempt() == Attempt::Skip {
            self.leaf(Leaf::Opaque);
            return v.visit_none();
        }
        v.visit_some(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        let item = self.at("[]");
        // "a[]" rather than "a.[]"
        let item = Lister { path: item.path.replace(".[]", "[]"), state: item.state };
        v.visit_seq(Items { next: Some(item) })
    }
    fn deserialize_struct<V: Visitor<'de>>(self, _name: &'static str, fields: &'static [&'static str], v: V) -> Result<V::Value, Refused> {
        v.visit_seq(Fields { parent: self, fields, i: 0 })
    }
    fn deserialize_enum<V: Visitor<'de>>(self, _name: &'static str, variants: &'static [&'static str], v: V) -> Result<V::Value, Refused> {
        self.leaf(Leaf::Enum(variants.to_vec()));
        v.visit_enum(Variant(variants[0]))
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, v: V) -> Result<V::Value, Refused> {
        v.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! { i8 i16 i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct map identifier ignored_any }
}

struct Items<'s> {
    next: Option<Lister<'s>>,
}

impl<'de, 's> SeqAccess<'de> for Items<'s> {
    type Error = Refused;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Refused> {
        match self.next.take() {
            Some(item) => seed.deserialize(item).map(Some),
            None => Ok(None),
        }
    }
}

struct Fields<'s> {
    parent: Lister<'s>,
    fields: &'static [&'static str],
    i: usize,
}

impl<'de, 's> SeqAccess<'de> for Fields<'s> {
    type Error = Refused;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Refused> {
        let Some(name) = self.fields.get(self.i) else { return Ok(None) };
        self.i += 1;
        seed.deserialize(self.parent.at(name)).map(Some)
    }
}

struct Variant(&'static str);

impl<'de> EnumAccess<'de> for Variant {
    type Error = Refused;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Refused> {
        let name: de::value::StrDeserializer<Refused> = self.0.into_deserializer();
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'de> VariantAccess<'de> for Variant {
    type Error = Refused;
    fn unit_variant(self) -> Result<(), Refused> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value, Refused> {
        panic!("only unit variants are expected in records")
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Refused> {
        panic!("only unit variants are expected in records")
    }
    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Result<V::Value, Refused> {
        panic!("only unit variants are expected in records")
    }
}
