//! `#[derive(FromValue)]`: a compact reader of a JSON tree for one record type,
//! made from the same `#[serde(...)]` attributes its `Deserialize` derive reads,
//! so the two agree on every name (tests/decode_places.rs checks that they
//! agree on every value, error and place, too).
//!
//! Why not serde's derive in the wasm: each derived `Deserialize` brings its own
//! field-name visitor, map visitor and missing-field paths, and links them with
//! the deserializer's generic layers per type. Here a struct's reader is a
//! `match` from field index to slot; finding the field, noting unknown members,
//! pinning errors and the type errors' words live once, in the core's
//! `decode::tracked` (non-generic), and each field type's reader is shared by
//! every struct that has a field of that type.
//!
//! Supported (what the core's records use): structs with named fields —
//! `rename_all = "camelCase"`, `rename`, `default` (container and field),
//! `deny_unknown_fields`, `skip`; enums of unit variants — `rename_all`
//! (`camelCase`, `lowercase`), `rename`. Anything else is a compile error
//! naming the attribute, so a new shape cannot be read differently by accident.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::{format_ident, quote};
use syn::{parse_macro_input, Data, DeriveInput, Error, Fields, LitStr};

#[proc_macro_derive(FromValue, attributes(serde))]
pub fn derive_from_value(input: TokenStream) -> TokenStream {
    derive_with(input, expand)
}

/// `input` expanded by `expand`, or its error as a compile error.
fn derive_with(input: TokenStream, expand: fn(&DeriveInput) -> syn::Result<Tokens>) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// The `#[serde(...)]` attributes the two derives understand, parsed once. One
/// only one side can honour is kept as that side's error (with its place), so
/// a shape a derive cannot handle is a compile error, never a silent difference.
#[derive(Default)]
struct SerdeAttrs {
    rename_all: Option<String>,
    rename: Option<String>,
    tag: Option<String>,
    default: bool,
    deny_unknown_fields: bool,
    skip_reading: bool,
    skip_writing: bool,
    skip_if: Option<syn::ExprPath>,
    /// An attribute `FromValue` cannot honour (`tag`, `try_from`, `from`, `default = "…"`).
    not_read: Option<Error>,
    /// An attribute `ToJson` cannot honour (`into`).
    not_written: Option<Error>,
}

fn serde_attrs(attrs: &[syn::Attribute]) -> syn::Result<SerdeAttrs> {
    let mut out = SerdeAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let name = meta.path.get_ident().map(|i| i.to_string()).unwrap_or_default();
            let by_hand = |derive: &str| meta.error(format!("{derive} does not handle `#[serde({name})]`: write `impl {derive}` by hand"));
            match name.as_str() {
                "rename_all" => out.rename_all = Some(meta.value()?.parse::<LitStr>()?.value()),
                "rename" => out.rename = Some(meta.value()?.parse::<LitStr>()?.value()),
                "tag" => {
                    out.not_read = Some(by_hand("FromValue"));
                    out.tag = Some(meta.value()?.parse::<LitStr>()?.value());
                }
                "default" if meta.input.peek(syn::Token![=]) => {
                    out.not_read = Some(meta.error("FromValue: `default = \"path\"` is not supported"));
                    meta.value()?.parse::<LitStr>()?;
                }
                "default" => out.default = true,
                "deny_unknown_fields" => out.deny_unknown_fields = true,
                "skip" => (out.skip_reading, out.skip_writing) = (true, true),
                "skip_deserializing" => out.skip_reading = true,
                "skip_serializing" => out.skip_writing = true,
                "skip_serializing_if" => out.skip_if = Some(meta.value()?.parse::<LitStr>()?.parse()?),
                "try_from" | "from" => {
                    out.not_read = Some(by_hand("FromValue"));
                    meta.value()?.parse::<LitStr>()?;
                }
                "into" => {
                    out.not_written = Some(by_hand("ToJson"));
                    meta.value()?.parse::<LitStr>()?;
                }
                _ => return Err(by_hand("FromValue or ToJson")),
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// The attributes, for reading: refused if one cannot be honoured.
fn read_attrs(attrs: &[syn::Attribute]) -> syn::Result<SerdeAttrs> {
    let mut out = serde_attrs(attrs)?;
    match out.not_read.take() {
        Some(error) => Err(error),
        None => Ok(out),
    }
}

/// The attributes, for writing: refused if one cannot be honoured.
fn write_attrs(attrs: &[syn::Attribute]) -> syn::Result<SerdeAttrs> {
    let mut out = serde_attrs(attrs)?;
    match out.not_written.take() {
        Some(error) => Err(error),
        None => Ok(out),
    }
}

fn unraw(ident: &syn::Ident) -> String {
    ident.to_string().trim_start_matches("r#").to_string()
}

/// serde's `RenameRule` for a field (snake_case in Rust).
fn rename_field(rule: Option<&str>, field: &str, span: Span) -> syn::Result<String> {
    match rule {
        None => Ok(field.to_string()),
        Some("camelCase") => {
            // Exactly serde's: PascalCase, then the first letter lowered.
            let mut pascal = String::new();
            let mut capitalize = true;
            for ch in field.chars() {
                if ch == '_' {
                    capitalize = true;
                } else if capitalize {
                    pascal.push(ch.to_ascii_uppercase());
                    capitalize = false;
                } else {
                    pascal.push(ch);
                }
            }
            Ok(pascal[..1].to_ascii_lowercase() + &pascal[1..])
        }
        Some(other) => Err(Error::new(span, format!("FromValue: rename_all = \"{other}\" on fields is not supported"))),
    }
}

/// serde's `RenameRule` for a variant (PascalCase in Rust).
fn rename_variant(rule: Option<&str>, variant: &str, span: Span) -> syn::Result<String> {
    match rule {
        None => Ok(variant.to_string()),
        Some("camelCase") => Ok(variant[..1].to_ascii_lowercase() + &variant[1..]),
        Some("lowercase") => Ok(variant.to_ascii_lowercase()),
        Some(other) => Err(Error::new(span, format!("FromValue: rename_all = \"{other}\" on variants is not supported"))),
    }
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let container = read_attrs(&input.attrs)?;
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let body = match &input.data {
        Data::Struct(data) => struct_body(input, &container, &data.fields)?,
        Data::Enum(data) => enum_body(input, &container, data)?,
        Data::Union(_) => return Err(Error::new_spanned(name, "FromValue: unions are not records")),
    };
    Ok(quote! {
        impl #impl_generics crate::decode::FromValue for #name #ty_generics #where_clause {
            fn from_value(at: crate::decode::At<'_, '_>) -> ::core::result::Result<Self, crate::decode::Error> {
                #body
            }
        }
    })
}

fn struct_body(input: &DeriveInput, container: &SerdeAttrs, fields: &Fields) -> syn::Result<Tokens> {
    let name = &input.ident;
    let Fields::Named(fields) = fields else {
        return Err(Error::new_spanned(name, "FromValue: only structs with named fields"));
    };
    // serde's "struct X" (with the container's own rename), as in its type errors.
    let expecting = format!("struct {}", container.rename.clone().unwrap_or_else(|| unraw(name)));
    let deny = container.deny_unknown_fields;

    let mut wire = Vec::new();
    let mut arms = Vec::new();
    let mut slots = Vec::new();
    let mut finish = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref().expect("named");
        let attrs = read_attrs(&field.attrs)?;
        if attrs.skip_reading {
            finish.push(quote! { #ident: ::core::default::Default::default() });
            continue;
        }
        let key = match attrs.rename {
            Some(key) => key,
            None => rename_field(container.rename_all.as_deref(), &unraw(ident), ident.span())?,
        };
        let index = wire.len();
        let slot = format_ident!("slot_{}", index);
        let ty = &field.ty;
        if attrs.default || container.default {
            // serde takes a missing field from `Self::default()` (or the field's own, with
            // `#[serde(default)]` on the field); this, from the field's own `Default`: the same
            // wherever `Default` is derived (every record type's; the core has no hand-written
            // one), with no whole default value built and dropped per read, and no slot to
            // unwrap (≈ 3.4 KB gzipped of the tablet's module). tests/decode_places.rs removes
            // every member of real records and compares with serde.
            slots.push(quote! { let mut #slot: #ty = ::core::default::Default::default(); });
            arms.push(quote! { #index => members.value_into(&mut #slot)?, });
            finish.push(quote! { #ident: #slot });
        } else {
            slots.push(quote! { let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None; });
            arms.push(quote! { #index => members.value_into_some(&mut #slot)?, });
            finish.push(quote! { #ident: match #slot { ::core::option::Option::Some(v) => v, ::core::option::Option::None => crate::decode::FromValue::missing(#key)? } });
        }
        wire.push(key);
    }
    let loop_body = if arms.is_empty() {
        quote! { while members.next_field()?.is_some() {} }
    } else {
        quote! {
            while let ::core::option::Option::Some(index) = members.next_field()? {
                match index {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    Ok(quote! {
        const FIELDS: &[&str] = &[#(#wire),*];
        #(#slots)*
        let mut members = at.members(#expecting, FIELDS, #deny)?;
        #loop_body
        ::core::result::Result::Ok(#name { #(#finish),* })
    })
}

fn enum_body(input: &DeriveInput, container: &SerdeAttrs, data: &syn::DataEnum) -> syn::Result<Tokens> {
    let name = &input.ident;
    if container.default || container.deny_unknown_fields {
        return Err(Error::new_spanned(name, "FromValue: `default` / `deny_unknown_fields` on an enum"));
    }
    let mut wire = Vec::new();
    let mut arms = Vec::new();
    let variants: Vec<_> = data.variants.iter().collect();
    for (index, variant) in variants.iter().enumerate() {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(Error::new_spanned(&variant.ident, "FromValue: only enums of unit variants; write `impl FromValue` by hand (delegating to serde)"));
        }
        let attrs = read_attrs(&variant.attrs)?;
        if attrs.skip_reading {
            return Err(Error::new_spanned(&variant.ident, "FromValue: skipped variants are not supported"));
        }
        wire.push(match attrs.rename {
            Some(key) => key,
            None => rename_variant(container.rename_all.as_deref(), &unraw(&variant.ident), variant.ident.span())?,
        });
        let v = &variant.ident;
        // The last arm takes the rest: `unit_variant` only returns indices of VARIANTS.
        if index + 1 == variants.len() {
            arms.push(quote! { _ => #name::#v, });
        } else {
            arms.push(quote! { #index => #name::#v, });
        }
    }
    if arms.is_empty() {
        return Err(Error::new_spanned(name, "FromValue: an enum with no variants"));
    }
    Ok(quote! {
        const VARIANTS: &[&str] = &[#(#wire),*];
        ::core::result::Result::Ok(match at.unit_variant(VARIANTS)? { #(#arms)* })
    })
}

// ---- writing -------------------------------------------------------------------

/// `#[derive(ToJson)]`: a compact writer of JSON text for one output type, made
/// from the same `#[serde(...)]` attributes its `Serialize` derive reads, so the
/// two write the same text (tests/encode_same.rs holds them to it: every output
/// of real records, byte for byte against `serde_json`'s text of its `Value`).
///
/// Members are written in the order of their names, as `serde_json::Value`'s
/// sorted map writes them (the text the edge gave before this writer).
///
/// Why not serde's derive in the wasm: each `Serialize` impl drives a generic
/// serializer through its state machine (`SerializeStruct`, errors at every
/// step) and builds a `Value` tree first; here a struct's writer is one key
/// and one call per field, and the text is written once.
///
/// Supported: structs with named fields — `rename_all = "camelCase"`, `rename`,
/// `skip`, `skip_serializing`, `skip_serializing_if` (so `#[skip_serializing_none]`);
/// enums of unit variants — `rename_all` (`camelCase`, `lowercase`), `rename`;
/// internally tagged enums (`tag = "…"`) of unit and struct variants. Anything
/// else is a compile error naming the attribute.
#[proc_macro_derive(ToJson, attributes(serde))]
pub fn derive_to_json(input: TokenStream) -> TokenStream {
    derive_with(input, expand_write)
}

/// `"name":` as JSON text: names are identifiers, never in need of escapes.
fn key_text(name: &str, span: Span) -> syn::Result<String> {
    if name.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        return Err(Error::new(span, format!("ToJson: the member name {name:?} would need escaping")));
    }
    Ok(format!("\"{name}\":"))
}

fn expand_write(input: &DeriveInput) -> syn::Result<Tokens> {
    let container = write_attrs(&input.attrs)?;
    let name = &input.ident;
    let mut generics = input.generics.clone();
    for param in generics.type_params_mut() {
        param.bounds.push(syn::parse_quote!(crate::encode::ToJson));
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    // A map keyed by a unit-variant enum writes each key as the variant's name.
    let mut key_impl = Tokens::new();
    if let Data::Enum(data) = &input.data {
        if container.tag.is_none() && data.variants.iter().all(|v| matches!(v.fields, Fields::Unit)) {
            key_impl = quote! {
                impl #impl_generics crate::encode::JsonKey for #name #ty_generics #where_clause {
                    fn key_text(&self) -> ::std::string::String {
                        let mut text = ::std::string::String::new();
                        crate::encode::ToJson::write_json(self, &mut text);
                        text[1..text.len() - 1].to_string()
                    }
                }
            };
        }
    }
    let body = match &input.data {
        Data::Struct(data) => {
            if container.tag.is_some() {
                return Err(Error::new_spanned(name, "ToJson: `tag` on a struct"));
            }
            let Fields::Named(fields) = &data.fields else {
                return Err(Error::new_spanned(name, "ToJson: only structs with named fields"));
            };
            let members = named_members(fields, container.rename_all.as_deref(), |ident| quote! { &self.#ident })?;
            object(members)
        }
        Data::Enum(data) => write_enum(input, &container, data)?,
        Data::Union(_) => return Err(Error::new_spanned(name, "ToJson: unions are not records")),
    };
    Ok(quote! {
        impl #impl_generics crate::encode::ToJson for #name #ty_generics #where_clause {
            fn write_json(&self, out: &mut ::std::string::String) {
                #body
            }
        }
        #key_impl
    })
}

/// One member to write: its name, and the statement writing it into the object `w`.
type Member = (String, Tokens);

fn named_members(fields: &syn::FieldsNamed, rename_all: Option<&str>, access: impl Fn(&syn::Ident) -> Tokens) -> syn::Result<Vec<Member>> {
    let mut members = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref().expect("named");
        let attrs = write_attrs(&field.attrs)?;
        if attrs.skip_writing {
            continue;
        }
        let wire = match attrs.rename {
            Some(key) => key,
            None => rename_field(rename_all, &unraw(ident), ident.span())?,
        };
        let key = key_text(&wire, ident.span())?;
        let value = access(ident);
        let write = quote! {
            w.key(#key);
            crate::encode::ToJson::write_json(#value, w.out());
        };
        members.push((
            wire,
            match attrs.skip_if {
                Some(path) => quote! { if !#path(#value) { #write } },
                None => write,
            },
        ));
    }
    Ok(members)
}

/// An object of `members`, in the order of their names.
fn object(mut members: Vec<Member>) -> Tokens {
    members.sort_by(|a, b| a.0.cmp(&b.0));
    let writes = members.into_iter().map(|(_, write)| write);
    quote! {
        let mut w = crate::encode::Object::begin(out);
        #(#writes)*
        w.end();
    }
}

fn write_enum(input: &DeriveInput, container: &SerdeAttrs, data: &syn::DataEnum) -> syn::Result<Tokens> {
    let name = &input.ident;
    let mut arms = Vec::new();
    for variant in &data.variants {
        let attrs = write_attrs(&variant.attrs)?;
        if attrs.skip_writing {
            return Err(Error::new_spanned(&variant.ident, "ToJson: skipped variants are not supported"));
        }
        let wire = match attrs.rename {
            Some(key) => key,
            None => rename_variant(container.rename_all.as_deref(), &unraw(&variant.ident), variant.ident.span())?,
        };
        let v = &variant.ident;
        match (&container.tag, &variant.fields) {
            (None, Fields::Unit) => {
                key_text(&wire, v.span())?;
                let text = format!("\"{wire}\"");
                arms.push(quote! { #name::#v => out.push_str(#text), });
            }
            (None, _) => return Err(Error::new_spanned(v, "ToJson: a variant with data needs `tag = \"…\"`; write `impl ToJson` by hand")),
            (Some(tag), fields) => {
                let tag_member = {
                    let key = key_text(tag, v.span())?;
                    key_text(&wire, v.span())?;
                    let value = format!("\"{wire}\"");
                    (tag.clone(), quote! { w.key(#key); w.out().push_str(#value); })
                };
                match fields {
                    Fields::Unit => {
                        let body = object(vec![tag_member]);
                        arms.push(quote! { #name::#v => { #body } });
                    }
                    Fields::Named(named) => {
                        let variant_attrs = write_attrs(&variant.attrs)?;
                        let mut members = named_members(named, variant_attrs.rename_all.as_deref(), |ident| quote! { #ident })?;
                        members.push(tag_member);
                        let bindings = named.named.iter().map(|f| f.ident.as_ref().expect("named"));
                        let body = object(members);
                        arms.push(quote! { #name::#v { #(#bindings),* } => { #body } });
                    }
                    Fields::Unnamed(_) => return Err(Error::new_spanned(v, "ToJson: tuple variants in a tagged enum are not supported")),
                }
            }
        }
    }
    if arms.is_empty() {
        return Err(Error::new_spanned(name, "ToJson: an enum with no variants"));
    }
    Ok(quote! {
        #[allow(unused_variables)]
        match self { #(#arms)* }
    })
}
