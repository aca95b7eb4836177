//! Finding where a node is in a YAML document, by its path.
//!
//! serde_yaml has no located value tree, but it stamps an error raised while
//! reading a node with that node's line and column. [`Locator`] walks a
//! document to the node at a path and fails there on purpose, which is how
//! we learn where the node is. It parses again, so it is only used when there
//! is a problem to report.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Seg;

/// Walks to the node at `path` and fails there on purpose: serde_yaml stamps
/// an error raised while reading a node with that node's position, which is
/// how we learn where the node is.
pub(super) struct Locator<'p> {
    pub path: &'p [Seg],
    pub goal: Goal<'p>,
}

/// What to find once the path is walked.
#[derive(Clone, Copy)]
pub(super) enum Goal<'k> {
    /// The node itself.
    Node,
    /// The `nth` occurrence (from 0) of a key of the mapping.
    Key { key: &'k str, nth: usize },
}

const FOUND: &str = "found";

impl<'de> DeserializeSeed<'de> for Locator<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let goal = self.goal;
        match self.path.split_first() {
            None => match goal {
                Goal::Node => d.deserialize_any(FailHere),
                Goal::Key { key, nth } => d.deserialize_map(KeyLocator { key, nth }),
            },
            Some((Seg::Key(key), rest)) => d.deserialize_map(MapWalker { key, rest, goal }),
            Some((Seg::Label(key), rest)) => d.deserialize_map(MapWalker { key, rest, goal }),
            Some((Seg::Index(index), rest)) => d.deserialize_any(SeqWalker {
                index: *index,
                rest,
                goal,
            }),
        }
    }
}

struct FailHere;

impl<'de> Visitor<'de> for FailHere {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("anything")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_some<D: de::Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
}

struct MapWalker<'p> {
    key: &'p str,
    rest: &'p [Seg],
    goal: Goal<'p>,
}

impl<'de> Visitor<'de> for MapWalker<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<KeyText>()? {
            if key.0.as_deref() == Some(self.key) {
                return map.next_value_seed(Locator {
                    path: self.rest,
                    goal: self.goal,
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

struct SeqWalker<'p> {
    index: usize,
    rest: &'p [Seg],
    goal: Goal<'p>,
}

impl<'de> Visitor<'de> for SeqWalker<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list")
    }

    /// A single value where a list may stand (`topics: trade`, or one
    /// event written as a mapping) is the list's first item.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        if self.index != 0 {
            return Ok(());
        }
        Locator {
            path: self.rest,
            goal: self.goal,
        }
        .deserialize(de::value::MapAccessDeserializer::new(map))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        match (self.index, self.rest, self.goal) {
            (0, [], Goal::Node) => Err(E::custom(FOUND)),
            _ => Ok(()),
        }
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.visit_str("")
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.visit_str("")
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.visit_str("")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.visit_str("")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for _ in 0..self.index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Locator {
            path: self.rest,
            goal: self.goal,
        })?;
        Ok(())
    }
}

/// Finds the `nth` occurrence of a key of a mapping, failing while reading
/// that key.
struct KeyLocator<'k> {
    key: &'k str,
    nth: usize,
}

impl<'de> Visitor<'de> for KeyLocator<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut skip = self.nth;
        let key = self.key;
        while map
            .next_key_seed(KeyMatch {
                key,
                skip: &mut skip,
            })?
            .is_some()
        {
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Matches one key; fails on `key` once `skip` earlier matches are passed.
struct KeyMatch<'k, 's> {
    key: &'k str,
    skip: &'s mut usize,
}

impl<'de> DeserializeSeed<'de> for KeyMatch<'_, '_> {
    type Value = ();

    /// Fails inside the key's own `deserialize_any`, so that the error
    /// carries the key's position rather than the mapping's.
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyMatch<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if v != self.key {
            Ok(())
        } else if *self.skip == 0 {
            Err(E::custom(FOUND))
        } else {
            *self.skip -= 1;
            Ok(())
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// A mapping key as text, or `None` for keys that are not scalars.
struct KeyText(Option<String>);

impl<'de> de::Deserialize<'de> for KeyText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_yaml::Value::deserialize(d)?;
        Ok(KeyText(match value {
            serde_yaml::Value::String(s) => Some(s),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            serde_yaml::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }))
    }
}
