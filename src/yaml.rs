//! YAML with file positions, shared by `config` and `content`: parsing front
//! matter and `site.yaml` into typed structs, and turning serde_yaml's errors into [`Diagnostic`]s whose line
//! and column are the file's (not the front matter's), with wording a writer
//! understands and a suggestion for misspelt keys.
//!
//! serde_yaml reports the position of the first problem only and has no
//! located value tree, so two tools fill the gaps:
//! - after a failed parse, the document is read again as plain YAML and every
//!   unknown top-level key is reported, not just the first;
//! - [`Source::locate`] finds the line and column of any node by a path such
//!   as `events[2].date`, so checks made after parsing (dates, URLs, references)
//!   point at the value at fault. It parses again, so it is only called when
//!   there is a problem to report.

use std::path::Path;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::forward_to_deserialize_any;

use crate::diagnostics::{Diagnostic, nearest};

/// One step of a path to a YAML node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(&'static str),
    /// A key chosen by the writer, such as a label under `links:`.
    Label(String),
    Index(usize),
}

/// Renders a path as `events[2].date`.
pub fn path_to_string(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Label(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A YAML document inside a file.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file, relative to the site root.
    pub file: &'a Path,
    pub yaml: &'a str,
    /// The file line on which `yaml` starts (2 for front matter after `---`).
    pub first_line: usize,
    /// How messages name the document: "the brief's front matter", "site.yaml".
    pub what: &'a str,
}

impl<'a> Source<'a> {
    /// Parses the document into `T`, or reports every problem found.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Vec<Diagnostic>> {
        let text = if self.yaml.trim().is_empty() {
            "{}"
        } else {
            self.yaml
        };
        match serde_yaml::from_str::<T>(text) {
            Ok(value) => Ok(value),
            Err(first) => Err(self.explain::<T>(first)),
        }
    }

    /// An error for each character YAML does not allow. serde_yaml stops at
    /// the first with a byte offset; a writer needs to see where they are, as
    /// most editors do not show them. Only called once a parse has failed.
    fn control_characters(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (n, line) in self.yaml.split('\n').enumerate() {
            for (column, c) in line.chars().enumerate() {
                if is_allowed_in_yaml(c) {
                    continue;
                }
                let d = Diagnostic::error(
                    "control-character",
                    format!(
                        "invisible control character U+{:04X} in {}",
                        c as u32, self.what
                    ),
                )
                .with_help("delete it: YAML does not allow control characters (they often come with text copied from a PDF or a word processor)");
                out.push(d.in_file(self.file).at(n + self.first_line, column + 1));
            }
        }
        out
    }

    /// A diagnostic at a position inside the YAML text (1-based, as serde_yaml
    /// reports them), moved to the file's line numbering.
    fn diagnostic_at(&self, d: Diagnostic, line: usize, column: usize) -> Diagnostic {
        d.in_file(self.file).at(line + self.first_line - 1, column)
    }

    /// The file position of the node at `path`, if the node exists.
    pub fn locate(&self, path: &[Seg]) -> Option<(usize, usize)> {
        self.find(path, Goal::Node)
    }

    /// The file position of the `nth` (from 0) occurrence of `key` in the
    /// mapping at `path`: the key itself, not its value.
    fn locate_key(&self, path: &[Seg], key: &str, nth: usize) -> Option<(usize, usize)> {
        self.find(path, Goal::Key { key, nth })
    }

    fn find(&self, path: &[Seg], goal: Goal) -> Option<(usize, usize)> {
        let deserializer = serde_yaml::Deserializer::from_str(self.yaml);
        let error = Locator { path, goal }.deserialize(deserializer).err()?;
        let location = error.location()?;
        Some((location.line() + self.first_line - 1, location.column()))
    }

    /// A diagnostic pointing at the node at `path`, or at the nearest
    /// enclosing node that exists, or at the document's first line.
    pub fn error_at(
        &self,
        code: &'static str,
        path: &[Seg],
        message: impl Into<String>,
    ) -> Diagnostic {
        let d = Diagnostic::error(code, message).in_file(self.file);
        d.at_location(self.locate_nearest(path).or(Some((self.first_line, 1))))
    }

    /// Like [`Source::error_at`] but a warning.
    pub fn warning_at(
        &self,
        code: &'static str,
        path: &[Seg],
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = self.error_at(code, path, message);
        d.severity = crate::diagnostics::Severity::Warning;
        d
    }

    fn locate_nearest(&self, path: &[Seg]) -> Option<(usize, usize)> {
        (0..=path.len()).rev().find_map(|n| {
            if n == 0 {
                None
            } else {
                self.locate(&path[..n])
            }
        })
    }

    /// An error at a top-level key, with a help line.
    pub fn error_at_key(
        &self,
        code: &'static str,
        key: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        self.error_at(code, &[Seg::Key(key)], message)
            .with_help(help)
    }

    /// Turns a failed parse into diagnostics: the error serde_yaml found,
    /// reworded, plus every other unknown top-level key.
    fn explain<T: DeserializeOwned>(&self, first: serde_yaml::Error) -> Vec<Diagnostic> {
        let known = field_names::<T>();
        let mut out = Vec::new();
        let (path, message) = split_path(&first);
        let location = first
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        if message.starts_with("control characters are not allowed") {
            let found = self.control_characters();
            if !found.is_empty() {
                return found;
            }
        }
        if let Some(rest) = message.strip_prefix("duplicate field `") {
            let key = rest.split('`').next().unwrap_or_default();
            return vec![self.duplicate_key(path.as_deref(), key)];
        }
        let unknown_top_level = path.is_none() && message.starts_with("unknown field `");
        if !unknown_top_level {
            let d = self.reword(path.as_deref(), &message);
            out.push(self.diagnostic_at(d, location.0, location.1));
        }
        // Report every unknown top-level key, located by its own line.
        if let Ok(serde_yaml::Value::Mapping(map)) =
            serde_yaml::from_str::<serde_yaml::Value>(self.yaml)
        {
            for key in map.keys() {
                let Some(key) = key.as_str() else { continue };
                if known.contains(&key) {
                    continue;
                }
                let position = self.locate_key(&[], key, 0).unwrap_or((self.first_line, 1));
                let d = unknown_key(key, known, self.what, None)
                    .in_file(self.file)
                    .at(position.0, position.1);
                out.push(d);
            }
        }
        if out.is_empty() {
            let d = self.reword(path.as_deref(), &message);
            out.push(self.diagnostic_at(d, location.0, location.1));
        }
        out
    }

    /// A key given twice, at its second occurrence (serde_yaml points at
    /// the mapping that holds it).
    fn duplicate_key(&self, path: Option<&str>, key: &str) -> Diagnostic {
        let segs = path.map(parse_path).unwrap_or_default();
        let place = path.map_or_else(|| self.what.to_string(), |p| format!("`{p}`"));
        let first = self.locate_key(&segs, key, 0);
        let second = self.locate_key(&segs, key, 1);
        let mut help = format!("keep one of the two `{key}:` lines");
        if let Some((line, _)) = first {
            help.push_str(&format!(" (the other is on line {line})"));
        }
        Diagnostic::error(
            "duplicate-key",
            format!("`{key}` is given twice in {place}"),
        )
        .with_help(help)
        .in_file(self.file)
        .at_location(second.or(first).or(Some((self.first_line, 1))))
    }

    /// Rewords one serde_yaml message for a writer.
    fn reword(&self, path: Option<&str>, message: &str) -> Diagnostic {
        let place = path.map(|p| format!("`{p}`"));
        if let Some(rest) = message.strip_prefix("unknown field `") {
            let key = rest.split('`').next().unwrap_or_default();
            let expected = backticked(rest.split_once(',').map(|x| x.1).unwrap_or(""));
            let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
            return unknown_key(key, &expected, self.what, path);
        }
        if let Some(rest) = message.strip_prefix("missing field `") {
            let key = rest.split('`').next().unwrap_or_default();
            let inside = place
                .map(|p| format!(" in {p}"))
                .unwrap_or_else(|| format!(" in {}", self.what));
            return Diagnostic::error(
                "missing-key",
                format!("missing required key `{key}`{inside}"),
            )
            .with_help(format!("add a line `{key}: …`"));
        }
        if let Some(rest) = message.strip_prefix("unknown variant `") {
            let value = rest.split('`').next().unwrap_or_default();
            let expected = backticked(rest.split_once(',').map(|x| x.1).unwrap_or(""));
            let target = place.unwrap_or_else(|| "this value".to_string());
            return Diagnostic::error("invalid-value", format!("{target} cannot be `{value}`"))
                .with_help(format!("use {}", or_list(&expected)));
        }
        if let Some(rest) = message.strip_prefix("invalid type: ") {
            let (found, expected) = rest
                .split_once(", expected ")
                .unwrap_or((rest, "another type"));
            let target = place.unwrap_or_else(|| self.what.to_string());
            let expected = expected_words(expected);
            return Diagnostic::error(
                "invalid-type",
                format!(
                    "{target} should be {expected}, found {}",
                    found_words(found)
                ),
            )
            .with_help(type_help(&expected));
        }
        if message.starts_with("recursion limit exceeded") {
            return Diagnostic::error(
                "invalid-yaml",
                format!("{} nests lists or mappings too deeply", self.what),
            )
            .with_help("YAML here may nest at most 128 levels; check for unbalanced `[` or `{`");
        }
        if message.starts_with("repetition limit exceeded") {
            return Diagnostic::error(
                "invalid-yaml",
                format!("{} repeats its `*aliases` too many times", self.what),
            )
            .with_help("write the values out instead of nesting `&anchor`/`*alias` repeats");
        }
        if path.is_none() {
            return Diagnostic::error("invalid-yaml", format!("invalid YAML in {}: {message}", self.what)).with_help(
                "check the indentation and quoting near this line; values containing `: ` or starting with `[`, `{`, `*`, `&`, `!`, `%`, `@` or `#` need quotes",
            );
        }
        let target = place.unwrap_or_default();
        Diagnostic::error("invalid-value", format!("{target}: {message}"))
    }
}

/// The diagnostic for a key that the document does not allow.
fn unknown_key(key: &str, known: &[&str], what: &str, inside: Option<&str>) -> Diagnostic {
    let place = match inside {
        Some(p) => format!("`{p}`"),
        None => what.to_string(),
    };
    let d = Diagnostic::error("unknown-key", format!("unknown key `{key}` in {place}"));
    match nearest(key, known.iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => {
            let mut help = format!("the keys allowed here are {}", and_list(known));
            if known.contains(&"extra") {
                help.push_str("; put free data for templates under `extra:`");
            }
            d.with_help(help)
        }
    }
}

/// Whether YAML allows `c` in a document (YAML 1.2, §5.1: printable
/// characters, tab and line breaks).
fn is_allowed_in_yaml(c: char) -> bool {
    matches!(c, '\t' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// Parses a path as serde_yaml writes it (`events[1].actors[0]`).
fn parse_path(text: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in text.split('.') {
        let (key, indexes) = part
            .split_once('[')
            .map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            segs.push(Seg::Label(key.to_string()));
        }
        for index in indexes.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                segs.push(Seg::Index(i));
            }
        }
    }
    segs
}

/// Splits serde_yaml's `events[1].date: message at line 3 column 5` into the
/// path (if any) and the message without positions.
fn split_path(error: &serde_yaml::Error) -> (Option<String>, String) {
    let text = strip_positions(&error.to_string());
    if let Some((head, tail)) = text.split_once(": ")
        && !head.is_empty()
        && !head.contains(char::is_whitespace)
    {
        return (Some(head.to_string()), tail.to_string());
    }
    (None, text)
}

/// Removes every ` at line N column M` (positions inside the YAML, which are
/// not the file's) from a message.
fn strip_positions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .map(|(j, _)| j)
            .unwrap_or(after.len());
        rest = &after[skip..];
    }
    out.push_str(rest);
    out.trim_end().to_string()
}

/// The words between backticks: "one of `a`, `b`" → ["a", "b"].
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn or_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => "another value".to_string(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

fn and_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    quoted.join(", ")
}

/// serde's type names in plain words.
fn found_words(found: &str) -> String {
    if found.starts_with("sequence") {
        "a list".to_string()
    } else if found.starts_with("map") {
        "a mapping (`key: value` lines)".to_string()
    } else if found.starts_with("unit") {
        "nothing".to_string()
    } else {
        found
            .replace("string \"", "the text \"")
            .replace("integer `", "the number `")
    }
}

fn expected_words(expected: &str) -> String {
    match expected {
        "a sequence" => "a list".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        "usize" | "u64" | "u32" => "a whole number".to_string(),
        "f64" | "f32" => "a number".to_string(),
        e if e.starts_with("struct ") || e == "a map" => {
            "a mapping (`key: value` lines)".to_string()
        }
        e => e.to_string(),
    }
}

fn type_help(expected: &str) -> String {
    match expected {
        "a list" => "write a list as `[a, b]` or as lines starting with `- `".to_string(),
        "a string" => "write the value as text; quote it if it contains `: ` or starts with a special character".to_string(),
        "`true` or `false`" => "write `true` or `false`".to_string(),
        e => format!("write {e} here"),
    }
}

/// The field names of a struct that derives `Deserialize`, read from what it
/// passes to `deserialize_struct`. Used to list every unknown key, not only
/// the first one serde reports.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldsProbe(&mut fields));
    fields
}

struct FieldsProbe<'a>(&'a mut &'static [&'static str]);

impl<'de> de::Deserializer<'de> for FieldsProbe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("fields read"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// Walks to the node at `path` and fails there on purpose: serde_yaml stamps
/// an error raised while reading a node with that node's position, which is
/// how we learn where the node is.
struct Locator<'p> {
    path: &'p [Seg],
    goal: Goal<'p>,
}

/// What to find once the path is walked.
#[derive(Clone, Copy)]
enum Goal<'k> {
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
            Some((Seg::Index(index), rest)) => d.deserialize_seq(SeqWalker {
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

/// The error for a file that is not valid UTF-8, at the first bad byte.
pub fn not_utf8(file: &Path, error: &std::string::FromUtf8Error) -> Diagnostic {
    let bytes = error.as_bytes();
    let valid = &bytes[..error.utf8_error().valid_up_to()];
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = valid
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let column = String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count()
        + 1;
    Diagnostic::error("not-utf8", "the file is not valid UTF-8 text")
        .in_file(file)
        .at(line, column)
        .with_help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        events: Vec<Event>,
        draft: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Event {
        date: String,
        title: String,
    }

    fn source(yaml: &str) -> Source<'_> {
        Source {
            file: Path::new("content/briefs/a.md"),
            yaml,
            first_line: 2,
            what: "the brief's front matter",
        }
    }

    fn rendered(yaml: &str) -> Vec<String> {
        source(yaml)
            .parse::<Doc>()
            .unwrap_err()
            .iter()
            .map(|d| d.render(Path::new(".")))
            .collect()
    }

    #[test]
    fn locates_nodes_by_path() {
        let yaml =
            "title: x\nevents:\n  - date: 2023\n    title: a\n  - date: 20x3\n    title: b\n";
        let s = source(yaml);
        assert_eq!(s.locate(&[Seg::Key("title")]), Some((2, 8)));
        assert_eq!(
            s.locate(&[Seg::Key("events"), Seg::Index(1), Seg::Key("date")]),
            Some((6, 11))
        );
        assert_eq!(s.locate(&[Seg::Key("nope")]), None);
        assert_eq!(s.locate_key(&[], "events", 0), Some((3, 1)));
    }

    #[test]
    fn every_unknown_top_level_key_is_reported() {
        let out = rendered("title: x\nactor: [a]\ntopic: [b]\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:3:1: error: unknown key `actor` in the brief's front matter\n  help: the keys allowed here are `title`, `events`, `draft`",
                "content/briefs/a.md:4:1: error: unknown key `topic` in the brief's front matter\n  help: the keys allowed here are `title`, `events`, `draft`",
            ]
        );
    }

    #[test]
    fn suggests_the_nearest_key() {
        let out = rendered("title: x\ndraf: true\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:3:1: error: unknown key `draf` in the brief's front matter\n  help: did you mean `draft`?"
            ]
        );
    }

    #[test]
    fn nested_unknown_key() {
        let out = rendered("title: x\nevents:\n  - date: 2023\n    titel: a\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:5:5: error: unknown key `titel` in `events[0]`\n  help: did you mean `title`?"
            ]
        );
    }

    #[test]
    fn wrong_type() {
        let out = rendered("title: [a, b]\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:2:8: error: `title` should be a string, found a list\n  help: write the value as text; quote it if it contains `: ` or starts with a special character"
            ]
        );
    }

    #[test]
    fn missing_key() {
        let out = rendered("draft: true\n");
        assert_eq!(
            out[0],
            "content/briefs/a.md:2:1: error: missing required key `title` in the brief's front matter\n  help: add a line `title: …`"
        );
    }

    #[test]
    fn syntax_error_has_file_line() {
        let out = rendered("title: x\n  bad: indent\n");
        assert!(out[0].starts_with("content/briefs/a.md:3:6: error: invalid YAML in the brief's front matter: mapping values are not allowed in this context"), "{out:?}");
    }

    #[test]
    fn a_duplicate_key_is_located_at_its_second_line() {
        let out = rendered("title: x\ndraft: true\ntitle: y\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:4:1: error: `title` is given twice in the brief's front matter\n  help: keep one of the two `title:` lines (the other is on line 2)"
            ]
        );
        let out = rendered("title: x\nevents:\n  - date: 2023\n    title: a\n    date: 2024\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:6:5: error: `date` is given twice in `events[0]`\n  help: keep one of the two `date:` lines (the other is on line 4)"
            ]
        );
    }

    #[test]
    fn control_characters_are_located_and_named() {
        let out = rendered("title: x\u{0}y\ndraft: \u{7}true\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:2:9: error: invisible control character U+0000 in the brief's front matter\n  help: delete it: YAML does not allow control characters (they often come with text copied from a PDF or a word processor)",
                "content/briefs/a.md:3:8: error: invisible control character U+0007 in the brief's front matter\n  help: delete it: YAML does not allow control characters (they often come with text copied from a PDF or a word processor)",
            ]
        );
        // Tabs, line breaks and ordinary Unicode are fine.
        assert!(
            source("title: \"a\\tb\"\r\ndraft: true\t\n")
                .parse::<Doc>()
                .is_ok()
        );
    }

    #[test]
    fn runaway_nesting_and_aliases_are_explained() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Free {
            extra: serde_yaml::Value,
        }
        let rendered = |yaml: &str| -> Vec<String> {
            let problems = source(yaml).parse::<Free>().unwrap_err();
            problems.iter().map(|d| d.render(Path::new("."))).collect()
        };
        let deep = format!("extra: {}{}\n", "[".repeat(200), "]".repeat(200));
        assert!(
            rendered(&deep)[0].contains("error: the brief's front matter nests lists or mappings too deeply\n  help: YAML here may nest at most 128 levels"),
            "{:?}",
            rendered(&deep)
        );
        let mut lol = "extra:\n  a: &a [1,1,1,1,1,1,1,1,1]\n".to_string();
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let p = pair[0];
            lol.push_str(&format!(
                "  {}: &{} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n",
                pair[1], pair[1]
            ));
        }
        assert!(
            rendered(&lol)[0]
                .contains("error: the brief's front matter repeats its `*aliases` too many times"),
            "{:?}",
            rendered(&lol)
        );
    }

    #[test]
    fn strips_yaml_positions() {
        assert_eq!(
            strip_positions(
                "found unexpected end of stream at line 2 column 1, while scanning a quoted scalar at line 1 column 8"
            ),
            "found unexpected end of stream, while scanning a quoted scalar"
        );
    }

    #[test]
    fn utf8_error_position() {
        let bytes = b"---\ntitle: caf\xe9\n".to_vec();
        let err = String::from_utf8(bytes).unwrap_err();
        let d = not_utf8(Path::new("x.md"), &err);
        assert_eq!((d.line, d.column), (Some(2), Some(11)));
    }
}
