//! The core's JSON reader: each record type's [`FromValue`] reads a `&Value`
//! with the JSON Pointer of the place it is at, and notes the members no field
//! takes.
//!
//! The readers are written by `#[derive(FromValue)]` (the `derive/` crate) from
//! the same `#[serde(...)]` attributes serde's own derive reads, so the two agree
//! by construction; tests/decode_places.rs holds them to it on every mutation of
//! real records and published files (same value, or the same message at the
//! same place). The wasm carries these readers only: serde's per-type
//! Deserializer/Visitor code, and `serde_path_to_error` before it, compiled
//! each record type's reading several times over (measured in BENCHMARKS.md).
//! Errors keep serde_json's words ("invalid type: string \"x\", expected u32").
//!
//! Where an error is pinned (as `serde_path_to_error` did): a value's error at
//! the value, a key's error (an unknown field of a strict struct) at the key, a
//! struct's own error (a missing field) at the struct. The innermost place wins.
//! A few leaf types (dates, numbers' newtypes, serde's untagged shapes) are read
//! by serde over [`At`], which is also a serde `Deserializer`.

use std::cell::RefCell;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Error, Map, Value};

use crate::check::Ptr;

/// A value of type `T` read from `value`, or the error and where it was found.
pub fn read<T: FromValue>(value: &Value) -> Result<T, ReadError> {
    read_noting_unknown(value).map(|(t, _)| t)
}

/// The same, with the JSON Pointer of every member the type has no field for
/// (with a value other than null), in the order met: [`Members::next_field`]
/// notes each one it steps over (and a serde-read leaf's skipped members are
/// noted where serde asks [`At`] for `deserialize_ignored_any`).
pub fn read_noting_unknown<T: FromValue>(value: &Value) -> Result<(T, Vec<String>), ReadError> {
    let notes = Notes::default();
    match T::from_value(At { value, place: &Place::Root, notes: &notes }) {
        Ok(t) => Ok((t, notes.unknown.into_inner())),
        Err(error) => Err(ReadError { at: notes.at.into_inner().unwrap_or_default(), error }),
    }
}

/// The same read by serde's derived `Deserialize` over this module's
/// deserializer: the reference a [`FromValue`] reader must agree with
/// (tests/decode_places.rs). Native only: the wasm carries no serde readers of records.
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub fn read_noting_unknown_via_serde<'de, T: de::Deserialize<'de>>(value: &'de Value) -> Result<(T, Vec<String>), ReadError> {
    let notes = Notes::default();
    match T::deserialize(At { value, place: &Place::Root, notes: &notes }) {
        Ok(t) => Ok((t, notes.unknown.into_inner())),
        Err(error) => Err(ReadError { at: notes.at.into_inner().unwrap_or_default(), error }),
    }
}

/// A type error, with the place of the value (or key, or struct) it is about.
#[derive(Debug)]
pub struct ReadError {
    at: Vec<Step>,
    pub error: Error,
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

impl ReadError {
    /// Where, as a JSON Pointer ("" for the root).
    pub fn pointer(&self) -> String {
        pointer_of(&self.at)
    }
}

/// "where: what", where written `calendar.years[0].holidays` ("." for the root),
/// as in messages about files HQ publishes.
impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.at.is_empty() {
            f.write_str(".")?;
        }
        for (n, step) in self.at.iter().enumerate() {
            match step {
                Step::Key(k) if n == 0 => f.write_str(k)?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        write!(f, ": {}", self.error)
    }
}

fn pointer_of(steps: &[Step]) -> String {
    steps
        .iter()
        .fold(Ptr::root(), |p, step| match step {
            Step::Key(k) => p.key(k),
            Step::Index(i) => p.index(*i),
        })
        .into()
}

/// Where a value sits: a chain on the stack, written out only for an error.
enum Place<'p> {
    Root,
    Key(&'p Place<'p>, &'p str),
    Index(&'p Place<'p>, usize),
}

impl Place<'_> {
    fn steps(&self, out: &mut Vec<Step>) {
        match self {
            Place::Root => {}
            Place::Key(parent, key) => {
                parent.steps(out);
                out.push(Step::Key(key.to_string()));
            }
            Place::Index(parent, i) => {
                parent.steps(out);
                out.push(Step::Index(*i));
            }
        }
    }
}

/// What a read notes on its way: the innermost place an error passed (the
/// first one pinned), and the members skipped as unknown.
#[derive(Default)]
struct Notes {
    at: RefCell<Option<Vec<Step>>>,
    unknown: RefCell<Vec<String>>,
}

impl Notes {
    fn pin(&self, place: &Place) {
        let mut first = self.at.borrow_mut();
        if first.is_none() {
            let mut steps = Vec::new();
            place.steps(&mut steps);
            *first = Some(steps);
        }
    }

    fn note_unknown(&self, place: &Place) {
        let mut steps = Vec::new();
        place.steps(&mut steps);
        self.unknown.borrow_mut().push(pointer_of(&steps));
    }
}

/// A value and its place: what a [`FromValue`] reader is given.
pub struct At<'p, 'de> {
    value: &'de Value,
    place: &'p Place<'p>,
    notes: &'p Notes,
}

/// Read a child value with `seed`, pinning an error to the child's place.
fn child<'p, 'de, S: DeserializeSeed<'de>>(seed: S, value: &'de Value, place: Place<'p>, notes: &'p Notes) -> Result<S::Value, Error> {
    seed.deserialize(At { value, place: &place, notes }).inspect_err(|_| notes.pin(&place))
}

/// A number for any numeric type (serde's visitors check the range), anything else refused.
macro_rules! number {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.value {
                    Value::Number(n) => n.deserialize_any(visitor),
                    other => Err(wrong(other, &visitor)),
                }
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for At<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => n.deserialize_any(visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => self.items(items, visitor),
            Value::Object(map) => self.entries(map, visitor),
        }
    }

    // The typed entry points take only their own kind of value and refuse the
    // rest with the message serde_json's `&Value` gives ("invalid type: map,
    // expected a string"). That way a visitor's other methods are never
    // reached and the optimiser drops them: above all each struct's
    // `visit_seq`, which read a struct from an array (serde_json accepts
    // `[…]` for a struct; a record never is one, so here it is a wrong type).

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(*b),
            other => Err(wrong(other, &visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            other => Err(wrong(other, &visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            other => Err(wrong(other, &visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => self.items(items, visitor),
            other => Err(wrong(other, &visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(map) => self.entries(map, visitor),
            other => Err(wrong(other, &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _name: &'static str, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _name: &'static str, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    number!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _name: &'static str, _variants: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(variant) => visitor.visit_enum(variant.as_str().into_deserializer()),
            Value::Object(map) => match single(map) {
                Some((variant, value)) => visitor.visit_enum(Variant { variant, value, place: self.place, notes: self.notes }),
                None => Err(de::Error::invalid_value(de::Unexpected::Map, &"map with a single key")),
            },
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !self.value.is_null() {
            self.notes.note_unknown(self.place);
        }
        visitor.visit_unit()
    }

    forward_to_deserialize_any! { bytes byte_buf }
}

impl<'de> At<'_, 'de> {
    fn items<V: Visitor<'de>>(self, items: &'de [Value], visitor: V) -> Result<V::Value, Error> {
        let mut seq = Items { items: items.iter(), next: 0, place: self.place, notes: self.notes };
        let out = visitor.visit_seq(&mut seq)?;
        match seq.items.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(items.len(), &"fewer elements in array")),
        }
    }

    fn entries<V: Visitor<'de>>(self, map: &'de Map<String, Value>, visitor: V) -> Result<V::Value, Error> {
        let mut entries = Entries { entries: map.iter(), value: None, place: self.place, notes: self.notes };
        let out = visitor.visit_map(&mut entries)?;
        match entries.entries.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(map.len(), &"fewer elements in map")),
        }
    }
}

/// The error for a value of the wrong kind, worded as serde_json's.
fn wrong(value: &Value, expected: &dyn de::Expected) -> Error {
    de::Error::invalid_type(unexpected(value), expected)
}

fn single(map: &Map<String, Value>) -> Option<(&String, &Value)> {
    let mut entries = map.iter();
    let first = entries.next()?;
    entries.next().is_none().then_some(first)
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => de::Unexpected::Unsigned(u),
            (_, Some(i), _) => de::Unexpected::Signed(i),
            (_, _, f) => de::Unexpected::Float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct Items<'p, 'de> {
    items: std::slice::Iter<'de, Value>,
    next: usize,
    place: &'p Place<'p>,
    notes: &'p Notes,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, Error> {
        let Some(value) = self.items.next() else { return Ok(None) };
        let index = self.next;
        self.next += 1;
        child(seed, value, Place::Index(self.place, index), self.notes).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'p, 'de> {
    entries: serde_json::map::Iter<'de>,
    /// The entry whose key was just read.
    value: Option<(&'de String, &'de Value)>,
    place: &'p Place<'p>,
    notes: &'p Notes,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = Error;

    fn next_key_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some((key, value));
        // A key is a string; serde's string deserializer reads it as a field name or a map key.
        let key_de: de::value::BorrowedStrDeserializer<'de, Error> = de::value::BorrowedStrDeserializer::new(key);
        seed.deserialize(key_de).map(Some).inspect_err(|_| self.notes.pin(&Place::Key(self.place, key)))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        match self.value.take() {
            Some((key, value)) => child(seed, value, Place::Key(self.place, key), self.notes),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum written as `{ "Variant": content }`: the content's place is under the variant's key.
struct Variant<'p, 'de> {
    variant: &'de String,
    value: &'de Value,
    place: &'p Place<'p>,
    notes: &'p Notes,
}

impl<'p, 'de> de::EnumAccess<'de> for Variant<'p, 'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let name: de::value::BorrowedStrDeserializer<'de, Error> = de::value::BorrowedStrDeserializer::new(self.variant);
        seed.deserialize(name).map(|v| (v, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        child(std::marker::PhantomData::<()>, self.value, Place::Key(self.place, self.variant), self.notes)
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        child(seed, self.value, Place::Key(self.place, self.variant), self.notes)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let place = Place::Key(self.place, self.variant);
        de::Deserializer::deserialize_seq(At { value: self.value, place: &place, notes: self.notes }, visitor).inspect_err(|_| self.notes.pin(&place))
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        let place = Place::Key(self.place, self.variant);
        de::Deserializer::deserialize_map(At { value: self.value, place: &place, notes: self.notes }, visitor).inspect_err(|_| self.notes.pin(&place))
    }
}

/// A type read from a JSON tree by the core's own readers: `#[derive(FromValue)]`
/// (derive/) for records, the impls below for what records are made of.
///
/// Binding invariant: a reader gives the same value, error, error place and
/// unknown-member notes as serde's derived `Deserialize` run through this
/// module's deserializer (tests/decode_places.rs holds it to that). So the
/// errors are serde's own words, and where a type's rules are serde's (numbers,
/// strings, dates, tagged enums) its reader *is* serde, over this deserializer.
pub trait FromValue: Sized {
    fn from_value(at: At<'_, '_>) -> Result<Self, Error>;

    /// The value of an absent field that has no default: an error, except for
    /// an `Option` (as serde's derive, which reads a missing `Option` as `None`).
    fn missing(field: &'static str) -> Result<Self, Error> {
        Err(de::Error::missing_field(field))
    }
}

/// Types whose reading is serde's, over the tracked deserializer: the leaves.
#[macro_export]
#[doc(hidden)]
macro_rules! from_value_via_serde {
    ($($t:ty),* $(,)?) => {
        $(
            impl $crate::decode::FromValue for $t {
                fn from_value(at: $crate::decode::At<'_, '_>) -> Result<Self, $crate::decode::Error> {
                    <$t as serde::Deserialize>::deserialize(at)
                }
            }
        )*
    };
}

from_value_via_serde!(bool, String, f64, f32, u8, u16, u32, u64, usize, i8, i16, i32, i64, Value);
from_value_via_serde!(chrono::NaiveDateTime, chrono::NaiveTime, chrono::DateTime<chrono::Utc>);

/// Dates and timestamps: a string read by `time`'s readers, which agree with
/// chrono's `FromStr` (what serde's impls call), with the words of serde's
/// visitors for any other kind of value.
impl FromValue for chrono::NaiveDate {
    fn from_value(at: At<'_, '_>) -> Result<Self, Error> {
        at.text_as("a formatted date string", crate::time::read_date)
    }
}

impl FromValue for chrono::DateTime<chrono::FixedOffset> {
    fn from_value(at: At<'_, '_>) -> Result<Self, Error> {
        at.text_as("an RFC 3339 formatted date and time string", crate::time::read_timestamp)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(at: At<'_, '_>) -> Result<Self, Error> {
        match at.value {
            Value::Null => Ok(None),
            _ => T::from_value(at).map(Some),
        }
    }

    fn missing(_field: &'static str) -> Result<Self, Error> {
        Ok(None)
    }
}

impl<T: FromValue> FromValue for Box<T> {
    fn from_value(at: At<'_, '_>) -> Result<Self, Error> {
        T::from_value(at).map(Box::new)
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(at: At<'_, '_>) -> Result<Self, Error> {
        let items = at.items_of("a sequence")?;
        let mut out = Vec::with_capacity(items.len().min(4096));
        for (index, value) in items.iter().enumerate() {
            out.push(read_child(at.notes, value, Place::Index(at.place, index))?);
        }
        Ok(out)
    }
}

/// A map's keys are read as serde reads them from a key string (a `String`, a
/// unit variant's name), with an error about a key pinned at its member.
impl<K: FromValue + Ord, T: FromValue> FromValue for std::collections::BTreeMap<K, T> {
    fn from_value(at: At<'_, '_>) -> Result<Self, Error> {
        read_entries(at)
    }
}

/// Read as a `BTreeMap` is: the same entries, values and errors.
impl<K: FromValue + Ord, T: FromValue> FromValue for crate::sorted_map::SortedMap<K, T> {
    fn from_value(at: At<'_, '_>) -> Result<Self, Error> {
        read_entries(at)
    }
}

/// A map of each member of an object as a key and a value, put in in the object's order.
fn read_entries<K: FromValue, T: FromValue, M: Default + Extend<(K, T)>>(at: At<'_, '_>) -> Result<M, Error> {
    let mut out = M::default();
    for (key, value) in at.entries_of("a map")? {
        let place = Place::Key(at.place, key);
        let key: K = read_child(at.notes, &Value::String(key.clone()), Place::Key(at.place, key))?;
        out.extend([(key, read_child(at.notes, value, place)?)]);
    }
    Ok(out)
}

/// Read `T` from a child value at `place`, pinning an error there.
fn read_child<T: FromValue>(notes: &Notes, value: &Value, place: Place<'_>) -> Result<T, Error> {
    T::from_value(At { value, place: &place, notes }).inspect_err(|_| notes.pin(&place))
}

/// A pair, from an array of two (serde's tuple, with its words).
impl<A: FromValue, B: FromValue> FromValue for (A, B) {
    fn from_value(at: At<'_, '_>) -> Result<Self, Error> {
        const EXPECTING: &str = "a tuple of size 2";
        let items = at.items_of(EXPECTING)?;
        let element = |index: usize| match items.get(index) {
            Some(value) => Ok(value),
            None => Err(de::Error::invalid_length(index, &EXPECTING)),
        };
        let a = read_child(at.notes, element(0)?, Place::Index(at.place, 0))?;
        let b = read_child(at.notes, element(1)?, Place::Index(at.place, 1))?;
        if items.len() > 2 {
            return Err(de::Error::invalid_length(items.len(), &"fewer elements in array"));
        }
        Ok((a, b))
    }
}

impl<'p, 'de> At<'p, 'de> {
    fn items_of(&self, expecting: &'static str) -> Result<&'de [Value], Error> {
        match self.value {
            Value::Array(items) => Ok(items),
            other => Err(wrong(other, &expecting)),
        }
    }

    /// A string read by `parse`, whose error is the message (as serde's `Error::custom`).
    fn text_as<T>(&self, expecting: &'static str, parse: fn(&str) -> Result<T, crate::time::TimeError>) -> Result<T, Error> {
        match self.value {
            Value::String(s) => parse(s).map_err(de::Error::custom),
            other => Err(wrong(other, &expecting)),
        }
    }

    fn entries_of(&self, expecting: &'static str) -> Result<&'de Map<String, Value>, Error> {
        match self.value {
            Value::Object(map) => Ok(map),
            other => Err(wrong(other, &expecting)),
        }
    }

    /// The members of a struct named `fields`, in the order the object holds
    /// them (the order serde meets them, so the first error is the same one).
    /// `expecting` is serde's "struct X", for a value that is not an object.
    pub fn members(self, expecting: &'static str, fields: &'static [&'static str], deny_unknown: bool) -> Result<Members<'p, 'de>, Error> {
        let map = self.entries_of(expecting)?;
        Ok(Members { entries: map.iter(), current: None, fields, deny_unknown, place: self.place, notes: self.notes })
    }

    /// The index in `variants` of a unit variant, written `"name"` or
    /// `{"name": null}` (both as serde_json reads them).
    pub fn unit_variant(self, variants: &'static [&'static str]) -> Result<usize, Error> {
        let find = |name: &str| variants.iter().position(|v| *v == name).ok_or_else(|| de::Error::unknown_variant(name, variants));
        match self.value {
            Value::String(name) => find(name),
            Value::Object(map) => match single(map) {
                Some((name, content)) => {
                    let index = find(name)?;
                    if !content.is_null() {
                        let place = Place::Key(self.place, name);
                        self.notes.pin(&place);
                        return Err(wrong(content, &"unit"));
                    }
                    Ok(index)
                }
                None => Err(de::Error::invalid_value(de::Unexpected::Map, &"map with a single key")),
            },
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        }
    }
}

/// A struct's members being read: [`Members::next_field`] finds the next one
/// the struct has a field for (noting or refusing the others on the way), and
/// [`Members::value`] reads it.
pub struct Members<'p, 'de> {
    entries: serde_json::map::Iter<'de>,
    current: Option<(&'de String, &'de Value)>,
    fields: &'static [&'static str],
    deny_unknown: bool,
    place: &'p Place<'p>,
    notes: &'p Notes,
}

impl<'p, 'de> Members<'p, 'de> {
    /// The index (in the struct's field names) of the next member that is a field.
    pub fn next_field(&mut self) -> Result<Option<usize>, Error> {
        for (key, value) in self.entries.by_ref() {
            if let Some(index) = self.fields.iter().position(|f| *f == key.as_str()) {
                self.current = Some((key, value));
                return Ok(Some(index));
            }
            let place = Place::Key(self.place, key);
            if self.deny_unknown {
                self.notes.pin(&place);
                return Err(de::Error::unknown_field(key, self.fields));
            }
            if !value.is_null() {
                self.notes.note_unknown(&place);
            }
        }
        Ok(None)
    }

    /// The value of the member `next_field` found, written into `slot`: one
    /// shared function per field type, so a struct's reader has no move or
    /// drop of its own per field.
    #[inline(never)]
    pub fn value_into<T: FromValue>(&mut self, slot: &mut T) -> Result<(), Error> {
        *slot = self.value()?;
        Ok(())
    }

    /// The same, into a slot that starts empty.
    #[inline(never)]
    pub fn value_into_some<T: FromValue>(&mut self, slot: &mut Option<T>) -> Result<(), Error> {
        *slot = Some(self.value()?);
        Ok(())
    }

    /// The value of the member `next_field` found.
    pub fn value<T: FromValue>(&mut self) -> Result<T, Error> {
        match self.current.take() {
            Some((key, value)) => read_child(self.notes, value, Place::Key(self.place, key)),
            None => Err(de::Error::custom("value is missing")),
        }
    }
}
