//! YAML with file positions, shared by `config` and `content`: parsing front
//! matter and `site.yaml` into typed structs, and turning serde_yaml's errors
//! into [`Diagnostic`]s whose line and column are the file's (not the front
//! matter's), with wording a writer understands and a suggestion for
//! misspelt keys.
//!
//! serde_yaml reports the first problem only and has no located value tree,
//! so two tools fill the gaps:
//! - [`mask`]: after a failed parse, the document is read again with each
//!   faulty node left out, until it parses, so every problem in a file is
//!   reported in one run, each at its own line and column, and the checks
//!   made after parsing still run on the rest;
//! - [`locate`]: [`Source::locate`] finds the line and column of any node by
//!   a path such as `events[2].date`, so checks made after parsing (dates,
//!   URLs, references) point at the value at fault. It parses again, so it
//!   is only called when there is a problem to report.

use std::path::Path;

use serde::de::{DeserializeOwned, DeserializeSeed};

use crate::diagnostics::{Diagnostic, nearest};

mod depth;
mod locate;
mod mask;
mod outline;

pub use outline::Positions;

use locate::{Goal, Locator};
pub use mask::Mask;
use mask::Masked;

/// A file with more problems than this has them reported up to here: the
/// rest are most likely the same mistake again.
const MOST_PROBLEMS_PER_FILE: usize = 50;

/// The same, for a document with `&anchors` and `*aliases`: reading one
/// again repeats every alias (up to serde_yaml's limit of 100 jumps per
/// event), and one mistake inside a repeated node is a new problem at
/// every path that reaches it, so 50 readings of a 2 KB document took
/// seconds (found by the `references` fuzz target).
const MOST_PROBLEMS_WITH_ALIASES: usize = 3;

/// A document read as far as it could be.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The value, read without the nodes that had problems; `None` when not
    /// even that could be built (a syntax error, a required key missing).
    pub value: Option<T>,
    /// One problem for each node left out, in the order found.
    pub problems: Vec<Diagnostic>,
    /// The paths of the nodes left out (`draft`, `events[1]`).
    pub masked: Mask,
    /// The paths whose absence a problem already explains: the nodes left
    /// out, and the keys suggested for misspelt ones (`title` for
    /// `titel:`), so that a required key among them is not reported again
    /// as missing.
    pub explained: Mask,
}

impl<T> Parsed<T> {
    /// No value and, so far, no problem.
    fn nothing() -> Parsed<T> {
        Parsed {
            value: None,
            problems: Vec::new(),
            masked: Mask::new(),
            explained: Mask::new(),
        }
    }

    /// The value when the document had no problem at all.
    pub fn ok(self) -> Result<T, Vec<Diagnostic>> {
        match self.value {
            Some(value) if self.problems.is_empty() => Ok(value),
            _ => Err(self.problems),
        }
    }
}

/// One step of a path to a YAML node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(&'static str),
    /// A key chosen by the writer, such as a label under `links:`.
    Label(String),
    Index(usize),
}

/// Whether `yaml` has both an `&anchor` and an `*alias`, each where a node
/// starts (so `AT&T` and `*emphasis*` inside text do not count).
fn uses_aliases(yaml: &str) -> bool {
    let marks_a_node = |mark: char| {
        yaml.match_indices(mark).any(|(i, _)| {
            let before = yaml[..i].chars().next_back();
            let after = yaml[i + 1..].chars().next();
            matches!(before, None | Some(' ' | '\t' | '\n' | '[' | '{' | ','))
                && after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
    };
    marks_a_node('&') && marks_a_node('*')
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
    /// Kept with a document that may be asked about many times (front
    /// matter), so that its positions come from one parse.
    pub positions: Option<&'a Positions>,
}

impl<'a> Source<'a> {
    /// Parses the document into `T`, reporting every problem found (not only
    /// the first, as serde would): see [`mask`].
    pub fn parse<T: DeserializeOwned>(&self) -> Parsed<T> {
        let text = if self.yaml.trim().is_empty() {
            "{}"
        } else {
            self.yaml
        };
        if let Some((line, column)) = depth::too_deep(text) {
            let mut parsed = Parsed::nothing();
            let problem = self.diagnostic_at(self.nested_too_deeply(), line, column);
            parsed.problems.push(problem);
            return parsed;
        }
        match serde_yaml::from_str::<T>(text) {
            Ok(value) => Parsed {
                value: Some(value),
                ..Parsed::nothing()
            },
            Err(first) => self.recover(text, first),
        }
    }

    fn nested_too_deeply(&self) -> Diagnostic {
        Diagnostic::error(
            "invalid-yaml",
            format!("{} nests lists or mappings too deeply", self.what),
        )
        .with_help(format!(
            "YAML here may nest at most {} levels; check for unbalanced `[` or `{{`",
            depth::MOST_LEVELS
        ))
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
    pub fn locate_key(&self, path: &[Seg], key: &str, nth: usize) -> Option<(usize, usize)> {
        self.find(path, Goal::Key { key, nth })
    }

    /// Asks the document's outline once it has been asked about often (a
    /// brief with thousands of problems), the locator otherwise.
    fn find(&self, path: &[Seg], goal: Goal) -> Option<(usize, usize)> {
        let outline = self.positions.and_then(|p| p.outline(self.yaml));
        let (line, column) = match outline {
            Some(outline) => match goal {
                Goal::Node => outline.node(path),
                Goal::Key { key, nth } => outline.key(path, key, nth),
            },
            _ => self.find_exactly(path, goal),
        }?;
        Some((line + self.first_line - 1, column))
    }

    /// The position in the document (not the file) of the node `goal` at
    /// `path`, from a parse of the whole document.
    fn find_exactly(&self, path: &[Seg], goal: Goal) -> Option<(usize, usize)> {
        let deserializer = serde_yaml::Deserializer::from_str(self.yaml);
        let error = Locator { path, goal }.deserialize(deserializer).err()?;
        let location = error.location()?;
        Some((location.line(), location.column()))
    }

    #[cfg(test)]
    fn locate_exactly(&self, path: &[Seg]) -> Option<(usize, usize)> {
        self.find_exactly(path, Goal::Node)
    }

    #[cfg(test)]
    fn locate_key_exactly(&self, path: &[Seg], key: &str, nth: usize) -> Option<(usize, usize)> {
        self.find_exactly(path, Goal::Key { key, nth })
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

    /// Reads the document again after `first`, each time with every node
    /// that had a problem left out, until it parses or no value can be
    /// built; one problem for each node left out.
    fn recover<T: DeserializeOwned>(&self, text: &str, first: serde_yaml::Error) -> Parsed<T> {
        let mut parsed = Parsed::nothing();
        let mut error = first;
        let most = if uses_aliases(text) {
            MOST_PROBLEMS_WITH_ALIASES
        } else {
            MOST_PROBLEMS_PER_FILE
        };
        loop {
            let Some(next) = self.explain(&error, &mut parsed) else {
                return parsed;
            };
            parsed.explained.insert(next.clone());
            if !parsed.masked.insert(next) || parsed.problems.len() >= most {
                return parsed;
            }
            let masked = Masked {
                inner: serde_yaml::Deserializer::from_str(text),
                mask: &parsed.masked,
                path: String::new(),
            };
            match T::deserialize(masked) {
                Ok(value) => {
                    parsed.value = Some(value);
                    return parsed;
                }
                Err(e) => error = e,
            }
        }
    }

    /// Adds the problem `error` stands for to `parsed`, and returns the path
    /// of the node to leave out before reading again, or `None` when the
    /// document cannot be read any further.
    fn explain<T>(&self, error: &serde_yaml::Error, parsed: &mut Parsed<T>) -> Option<String> {
        let (path, message) = split_path(error);
        let location = error
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let inside = |key: &str| match &path {
            Some(p) => format!("{p}.{key}"),
            None => key.to_string(),
        };
        if message.starts_with("control characters are not allowed") {
            let found = self.control_characters();
            if !found.is_empty() {
                parsed.problems.extend(found);
                return None;
            }
        }
        if let Some(rest) = message.strip_prefix("duplicate field `") {
            let key = rest.split('`').next().unwrap_or_default();
            parsed
                .problems
                .push(self.duplicate_key(path.as_deref(), key));
            return Some(inside(key));
        }
        if let Some(rest) = message.strip_prefix("missing field `") {
            // A required key left out because its value was wrong has been
            // reported already; either way the mapping holding it cannot be
            // read, so it is left out next.
            let key = rest.split('`').next().unwrap_or_default();
            if !parsed.explained.contains(&inside(key)) {
                let d = self.reword(path.as_deref(), &message);
                parsed
                    .problems
                    .push(self.diagnostic_at(d, location.0, location.1));
            }
            return path;
        }
        let d = self.reword(path.as_deref(), &message);
        parsed
            .problems
            .push(self.diagnostic_at(d, location.0, location.1));
        if let Some(rest) = message.strip_prefix("unknown field `") {
            let key = rest.split('`').next().unwrap_or_default();
            let expected = backticked(rest.split_once(',').map(|x| x.1).unwrap_or(""));
            if let Some(meant) = nearest(key, expected.iter().map(String::as_str)) {
                parsed.explained.insert(inside(meant));
            }
            return Some(inside(key));
        }
        path
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
            return self.nested_too_deeply();
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
            positions: None,
        }
    }

    fn rendered(yaml: &str) -> Vec<String> {
        source(yaml)
            .parse::<Doc>()
            .ok()
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
                "content/briefs/a.md:3:1: error: unknown key `actor` in the brief's front matter [unknown-key]\n  help: the keys allowed here are `title`, `events`, `draft`",
                "content/briefs/a.md:4:1: error: unknown key `topic` in the brief's front matter [unknown-key]\n  help: the keys allowed here are `title`, `events`, `draft`",
            ]
        );
    }

    #[test]
    fn suggests_the_nearest_key() {
        let out = rendered("title: x\ndraf: true\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:3:1: error: unknown key `draf` in the brief's front matter [unknown-key]\n  help: did you mean `draft`?"
            ]
        );
    }

    #[test]
    fn nested_unknown_key() {
        let out = rendered("title: x\nevents:\n  - date: 2023\n    titel: a\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:5:5: error: unknown key `titel` in `events[0]` [unknown-key]\n  help: did you mean `title`?"
            ]
        );
    }

    #[test]
    fn wrong_type() {
        let out = rendered("title: [a, b]\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:2:8: error: `title` should be a string, found a list [invalid-type]\n  help: write the value as text; quote it if it contains `: ` or starts with a special character"
            ]
        );
    }

    #[test]
    fn missing_key() {
        let out = rendered("draft: true\n");
        assert_eq!(
            out[0],
            "content/briefs/a.md:2:1: error: missing required key `title` in the brief's front matter [missing-key]\n  help: add a line `title: …`"
        );
    }

    #[test]
    fn syntax_error_has_file_line() {
        let out = rendered("title: x\n  bad: indent\n");
        assert!(out[0].starts_with("content/briefs/a.md:3:6: error: invalid YAML in the brief's front matter: mapping values are not allowed in this context [invalid-yaml]"), "{out:?}");
    }

    #[test]
    fn a_duplicate_key_is_located_at_its_second_line() {
        let out = rendered("title: x\ndraft: true\ntitle: y\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:4:1: error: `title` is given twice in the brief's front matter [duplicate-key]\n  help: keep one of the two `title:` lines (the other is on line 2)"
            ]
        );
        let out = rendered("title: x\nevents:\n  - date: 2023\n    title: a\n    date: 2024\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:6:5: error: `date` is given twice in `events[0]` [duplicate-key]\n  help: keep one of the two `date:` lines (the other is on line 4)"
            ]
        );
    }

    #[test]
    fn control_characters_are_located_and_named() {
        let out = rendered("title: x\u{0}y\ndraft: \u{7}true\n");
        assert_eq!(
            out,
            vec![
                "content/briefs/a.md:2:9: error: invisible control character U+0000 in the brief's front matter [control-character]\n  help: delete it: YAML does not allow control characters (they often come with text copied from a PDF or a word processor)",
                "content/briefs/a.md:3:8: error: invisible control character U+0007 in the brief's front matter [control-character]\n  help: delete it: YAML does not allow control characters (they often come with text copied from a PDF or a word processor)",
            ]
        );
        // Tabs, line breaks and ordinary Unicode are fine.
        assert!(
            source("title: \"a\\tb\"\r\ndraft: true\t\n")
                .parse::<Doc>()
                .ok()
                .is_ok()
        );
    }

    #[test]
    fn anchors_and_aliases_are_told_from_text() {
        assert!(uses_aliases("a: &x [1]\nb: *x\n"));
        assert!(uses_aliases("a: [&x 1, *x]\n"));
        assert!(!uses_aliases("title: AT&T buys *everything*\n"));
        assert!(!uses_aliases("title: a & b\nsummary: '*' marks it\n"));
    }

    #[test]
    fn runaway_nesting_and_aliases_are_explained() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Free {
            extra: serde_yaml::Value,
        }
        let rendered = |yaml: &str| -> Vec<String> {
            let problems = source(yaml).parse::<Free>().ok().unwrap_err();
            problems.iter().map(|d| d.render(Path::new("."))).collect()
        };
        let deep = format!("extra: {}{}\n", "[".repeat(200), "]".repeat(200));
        assert!(
            rendered(&deep)[0].contains("error: the brief's front matter nests lists or mappings too deeply [invalid-yaml]\n  help: YAML here may nest at most 128 levels"),
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
