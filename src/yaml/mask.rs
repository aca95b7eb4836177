//! Parsing a document again with some of its nodes left out, so that one
//! parse can report every problem in a file rather than only the first.
//!
//! serde stops at the first value it cannot use. After that first error,
//! [`super::Source::parse`] parses again with the node at fault *masked*:
//! a [`Masked`] deserializer passes everything through to serde_yaml except
//! the map entries and list items whose paths are in the mask, which it skips
//! as if the writer had not written them. serde_yaml still reads every node
//! itself, so the next error carries its exact line and column. Paths are
//! written the way serde_yaml writes them in its errors (`events[1].date`,
//! `.[0]` for an item of a top-level list), so an error's path can go into
//! the mask as it is.

use std::collections::HashSet;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

/// The paths of the nodes a parse leaves out.
pub type Mask = HashSet<String>;

/// The path of a map entry inside the node at `parent`.
fn key_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// The path of a list item inside the node at `parent`.
fn index_path(parent: &str, index: usize) -> String {
    if parent.is_empty() {
        format!(".[{index}]")
    } else {
        format!("{parent}[{index}]")
    }
}

/// A deserializer that reads the node at `path` through `inner`, leaving
/// out the masked nodes inside it.
pub struct Masked<'m, D> {
    pub inner: D,
    pub mask: &'m Mask,
    pub path: String,
}

/// Wraps a visitor so that the maps and lists it is given are masked too.
struct MaskedVisitor<'m, V> {
    inner: V,
    mask: &'m Mask,
    path: String,
}

macro_rules! forward_deserialize {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method(MaskedVisitor { inner: visitor, mask: self.mask, path: self.path })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Masked<'_, D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.wrap(visitor);
        self.inner.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.wrap(visitor);
        self.inner.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.wrap(visitor);
        self.inner.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.wrap(visitor);
        self.inner.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.wrap(visitor);
        self.inner.deserialize_struct(name, fields, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.wrap(visitor);
        self.inner.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

impl<'m, D> Masked<'m, D> {
    fn wrap<V>(&self, inner: V) -> MaskedVisitor<'m, V> {
        MaskedVisitor {
            inner,
            mask: self.mask,
            path: self.path.clone(),
        }
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                self.inner.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for MaskedVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>),
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Masked {
            inner: d,
            mask: self.mask,
            path: self.path,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Masked {
            inner: d,
            mask: self.mask,
            path: self.path,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(MaskedSeq {
            inner: seq,
            mask: self.mask,
            path: self.path,
            index: 0,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(MaskedMap {
            inner: map,
            mask: self.mask,
            path: self.path,
            key: String::new(),
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        // Enums here are single words (`autolink: first`): nothing inside
        // them to mask.
        self.inner.visit_enum(data)
    }
}

/// A list whose masked items are skipped.
struct MaskedSeq<'m, A> {
    inner: A,
    mask: &'m Mask,
    path: String,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for MaskedSeq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        loop {
            let path = index_path(&self.path, self.index);
            self.index += 1;
            if !self.mask.contains(&path) {
                return self.inner.next_element_seed(MaskedSeed {
                    inner: seed,
                    mask: self.mask,
                    path,
                });
            }
            if self.inner.next_element::<IgnoredAny>()?.is_none() {
                return Ok(None);
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        None
    }
}

/// A map whose masked entries are skipped.
struct MaskedMap<'m, A> {
    inner: A,
    mask: &'m Mask,
    path: String,
    /// The path of the entry whose key was read last.
    key: String,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for MaskedMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut seed = Some(seed);
        loop {
            let peek = KeyPeek {
                seed: &mut seed,
                mask: self.mask,
                parent: &self.path,
            };
            match self.inner.next_key_seed(peek)? {
                None => return Ok(None),
                Some(Key::Kept(key, path)) => {
                    self.key = path;
                    return Ok(Some(key));
                }
                Some(Key::Masked) => {
                    self.inner.next_value::<IgnoredAny>()?;
                }
            }
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.next_value_seed(MaskedSeed {
            inner: seed,
            mask: self.mask,
            path: std::mem::take(&mut self.key),
        })
    }
}

/// Reads the node at `path` through `inner`, masked.
struct MaskedSeed<'m, T> {
    inner: T,
    mask: &'m Mask,
    path: String,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for MaskedSeed<'_, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T::Value, D::Error> {
        self.inner.deserialize(Masked {
            inner: d,
            mask: self.mask,
            path: self.path,
        })
    }
}

/// A map key read: kept (with its path), or masked.
enum Key<T> {
    Kept(T, String),
    Masked,
}

/// Reads a key as text first, to decide whether its entry is masked, and
/// only then hands it to the real key seed. Both happen while serde_yaml
/// reads the key, so an error about the key (an unknown field) carries the
/// key's own position.
struct KeyPeek<'s, 'm, K> {
    seed: &'s mut Option<K>,
    mask: &'m Mask,
    parent: &'s str,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeyPeek<'_, '_, K> {
    type Value = Key<K::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for KeyPeek<'_, '_, K> {
    type Value = Key<K::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        let path = key_path(self.parent, key);
        if self.mask.contains(&path) {
            return Ok(Key::Masked);
        }
        let seed = self
            .seed
            .take()
            .ok_or_else(|| E::custom("a key was read twice"))?;
        let value = seed.deserialize(de::value::StrDeserializer::<E>::new(key))?;
        Ok(Key::Kept(value, path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        title: Option<String>,
        #[serde(default)]
        events: Vec<Event>,
        draft: Option<bool>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Event {
        date: String,
    }

    fn parse(yaml: &str, masked: &[&str]) -> Result<Doc, String> {
        let mask: Mask = masked.iter().map(|s| s.to_string()).collect();
        let d = serde_yaml::Deserializer::from_str(yaml);
        Doc::deserialize(Masked {
            inner: d,
            mask: &mask,
            path: String::new(),
        })
        .map_err(|e| e.to_string())
    }

    #[test]
    fn masked_entries_and_items_are_left_out() {
        let yaml = "title: x\ndraft: yes\nevents:\n  - date: a\n  - [oops]\n  - date: c\n";
        let first = parse(yaml, &[]).unwrap_err();
        assert!(first.starts_with("draft: invalid type"), "{first}");
        let second = parse(yaml, &["draft"]).unwrap_err();
        assert!(second.starts_with("events[1]: invalid type"), "{second}");
        let doc = parse(yaml, &["draft", "events[1]"]).unwrap();
        assert_eq!(
            doc,
            Doc {
                title: Some("x".into()),
                events: vec![Event { date: "a".into() }, Event { date: "c".into() }],
                draft: None,
            }
        );
    }

    #[test]
    fn unknown_keys_keep_their_position_and_can_be_masked() {
        let yaml = "title: x\nevents:\n  - date: a\n    when: b\n";
        let e = parse(yaml, &["title"]).unwrap_err();
        assert_eq!(
            e,
            "events[0]: unknown field `when`, expected `date` at line 4 column 5"
        );
        assert!(parse(yaml, &["events[0].when"]).is_ok());
    }
}
