//! Where every node and key of a YAML document is, from one parse.
//!
//! [`super::locate`] finds one node per parse of the whole document, which
//! is exact and cheap for the few problems a file usually has, but a brief
//! naming 4,000 unknown actors was parsed 4,000 times (8 s; 8,000 took
//! 35 s). Once a document has been asked about more than a few times, its
//! outline is made with yaml-rust2's event parser, which gives each event's
//! position, and later questions are answered from it. A document whose
//! outline cannot be made (anchors, complex keys, a syntax error) keeps
//! using the locator. `tests/catalogue.rs` and the unit tests below check
//! that both give the same positions.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::Seg;

/// One step of a path, whoever chose the key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &[Seg]) -> Vec<Step> {
    (path.iter())
        .map(|s| match s {
            Seg::Key(k) => Step::Key(k.to_string()),
            Seg::Label(k) => Step::Key(k.clone()),
            Seg::Index(i) => Step::Index(*i),
        })
        .collect()
}

/// The positions (line and column in the document, from 1) of its nodes
/// and keys.
#[derive(Debug, Default)]
pub struct Outline {
    nodes: HashMap<Vec<Step>, (usize, usize)>,
    /// (the mapping's path, the key, which occurrence from 0).
    keys: HashMap<(Vec<Step>, String, usize), (usize, usize)>,
}

impl Outline {
    /// The outline of `yaml`, or `None` when it uses what the outline does
    /// not follow or does not parse.
    pub fn of(yaml: &str) -> Option<Outline> {
        let mut builder = Builder {
            chars: yaml.chars().collect(),
            ..Builder::default()
        };
        let mut parser = Parser::new_from_str(yaml);
        parser.load(&mut builder, false).ok()?;
        (!builder.unsupported).then_some(builder.outline)
    }

    pub fn node(&self, path: &[Seg]) -> Option<(usize, usize)> {
        self.nodes.get(&steps(path)).copied()
    }

    pub fn key(&self, path: &[Seg], key: &str, nth: usize) -> Option<(usize, usize)> {
        self.keys.get(&(steps(path), key.to_string(), nth)).copied()
    }
}

/// A collection being read.
enum Frame {
    Sequence {
        path: Vec<Step>,
        next: usize,
    },
    Mapping {
        path: Vec<Step>,
        /// The key just read, whose value comes next; `None` when a key
        /// comes next.
        key: Option<String>,
        seen: HashMap<String, usize>,
    },
}

#[derive(Default)]
struct Builder {
    /// The document, to tell a flow mapping's `{` from a block mapping.
    chars: Vec<char>,
    outline: Outline,
    /// A block mapping just started: yaml-rust2 places it after its first
    /// key, libyaml at the key, so its place is taken from the key.
    block_mapping: Option<Vec<Step>>,
    /// Where an empty value of the key just read would be for libyaml
    /// (`title:` and nothing: just after the colon; yaml-rust2 places it
    /// where the next thing starts), for a plain key.
    after_key: Option<(usize, usize)>,
    frames: Vec<Frame>,
    /// Only the first document is outlined, as only it is read.
    documents: usize,
    unsupported: bool,
}

impl Builder {
    /// The path of the node starting now; `None` when it is a mapping's
    /// key, whose position is recorded instead.
    fn place(&mut self, scalar: Option<&str>, at: (usize, usize)) -> Option<Vec<Step>> {
        let Some(frame) = self.frames.last_mut() else {
            return Some(Vec::new());
        };
        match frame {
            Frame::Sequence { path, next } => {
                let mut path = path.clone();
                path.push(Step::Index(*next));
                *next += 1;
                Some(path)
            }
            Frame::Mapping { path, key, seen } => match key.take() {
                Some(k) => {
                    let mut path = path.clone();
                    path.push(Step::Key(k));
                    Some(path)
                }
                None => {
                    let Some(name) = scalar else {
                        // A list or mapping as a key.
                        self.unsupported = true;
                        return None;
                    };
                    if let Some(mapping) = self.block_mapping.take() {
                        self.outline.nodes.entry(mapping).or_insert(at);
                    }
                    let nth = seen.entry(name.to_string()).or_insert(0);
                    let entry = (path.clone(), name.to_string(), *nth);
                    *nth += 1;
                    self.outline.keys.entry(entry).or_insert(at);
                    *key = Some(name.to_string());
                    None
                }
            },
        }
    }

    /// A block sequence written at its key's indentation (`events:` then
    /// `- date: …`) starts, for libyaml, at its first `-`; yaml-rust2 places
    /// it at the entry after the dash.
    fn at_dash(&self, index: usize, at: (usize, usize)) -> (usize, usize) {
        if matches!(self.chars.get(index), Some('-' | '[')) {
            return at;
        }
        let back = (self.chars[..index.min(self.chars.len())].iter().rev())
            .take_while(|c| **c == ' ' || **c == '\t')
            .count();
        match index.checked_sub(back + 1).map(|i| self.chars[i]) {
            Some('-') if at.1 > back + 1 => (at.0, at.1 - back - 1),
            _ => at,
        }
    }

    /// A `|` or `>` scalar starts, for libyaml, at its indicator; yaml-rust2
    /// places it at its text, lines below.
    fn at_indicator(&self, index: usize, at: (usize, usize)) -> (usize, usize) {
        let before = &self.chars[..index.min(self.chars.len())];
        let Some(indicator) = before.iter().rposition(|c| matches!(c, '|' | '>')) else {
            return at;
        };
        let lines_up = before[indicator..].iter().filter(|c| **c == '\n').count();
        let line_start = before[..indicator]
            .iter()
            .rposition(|c| *c == '\n')
            .map_or(0, |i| i + 1);
        if lines_up == 0 || lines_up >= at.0 {
            return at;
        }
        (at.0 - lines_up, indicator - line_start + 1)
    }

    /// Just after the colon that follows a plain key of `chars`
    /// characters starting at char `key` and at `at`.
    fn after_colon(&self, key: usize, chars: usize, at: (usize, usize)) -> Option<(usize, usize)> {
        let end = key + chars;
        let spaces = (self.chars.get(end..)?.iter())
            .take_while(|c| **c == ' ' || **c == '\t')
            .count();
        let colon = end + spaces;
        (self.chars.get(colon) == Some(&':')).then_some((at.0, at.1 + colon - key + 1))
    }

    fn node(&mut self, path: Vec<Step>, at: (usize, usize)) {
        self.outline.nodes.entry(path).or_insert(at);
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.unsupported || self.documents > 1 {
            return;
        }
        let at = (mark.line(), mark.col() + 1);
        match event {
            Event::DocumentStart => self.documents += 1,
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    self.unsupported = true;
                }
                let at = match style {
                    TScalarStyle::Literal | TScalarStyle::Folded => {
                        self.at_indicator(mark.index(), at)
                    }
                    _ => at,
                };
                let empty = value.is_empty() && style == TScalarStyle::Plain;
                let after_key = self.after_key.take();
                match self.place(Some(&value), at) {
                    Some(path) => self.node(path, after_key.filter(|_| empty).unwrap_or(at)),
                    None if style == TScalarStyle::Plain && !value.contains('\n') => {
                        self.after_key = self.after_colon(mark.index(), value.chars().count(), at);
                    }
                    None => {}
                }
            }
            Event::Alias(_) => self.unsupported = true,
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if anchor != 0 || tag.is_some() {
                    self.unsupported = true;
                }
                let Some(path) = self.place(None, at) else {
                    return;
                };
                let is_mapping = matches!(event, Event::MappingStart(..));
                if is_mapping && self.chars.get(mark.index()) != Some(&'{') {
                    self.block_mapping = Some(path.clone());
                } else {
                    let at = if is_mapping {
                        at
                    } else {
                        self.at_dash(mark.index(), at)
                    };
                    self.node(path.clone(), at);
                }
                self.frames.push(if !is_mapping {
                    Frame::Sequence { path, next: 0 }
                } else {
                    Frame::Mapping {
                        path,
                        key: None,
                        seen: HashMap::new(),
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.frames.pop();
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

/// How many times a document is asked about before its outline is made:
/// the locator answers the usual few problems exactly as it always has.
const LOCATES_BEFORE_OUTLINE: usize = 8;

/// What a document keeps to answer many questions about positions: how
/// often it was asked, and its outline once made. Kept with the document's
/// text (in [`crate::content::model::SourceFile`]), so an edited document
/// never meets an old outline.
#[derive(Debug, Default)]
pub struct Positions {
    asked: AtomicUsize,
    /// Boxed: most documents never need one, and a site has many.
    outline: OnceLock<Option<Box<Outline>>>,
}

impl Clone for Positions {
    /// A copy starts afresh: the outline is made again if needed.
    fn clone(&self) -> Positions {
        Positions::default()
    }
}

impl Positions {
    /// The outline of `yaml` (the text these positions belong to), once it
    /// has been asked about often enough to be worth making.
    pub fn outline(&self, yaml: &str) -> Option<&Outline> {
        if self.asked.fetch_add(1, Ordering::Relaxed) < LOCATES_BEFORE_OUTLINE {
            return None;
        }
        (self.outline)
            .get_or_init(|| Outline::of(yaml).map(Box::new))
            .as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Source;
    use std::path::Path;

    fn source(yaml: &str) -> Source<'_> {
        Source {
            file: Path::new("x.md"),
            yaml,
            first_line: 1,
            what: "the brief's front matter",
            positions: None,
        }
    }

    fn segs(steps: &[Step]) -> Vec<Seg> {
        (steps.iter())
            .map(|s| match s {
                Step::Key(k) => Seg::Label(k.clone()),
                Step::Index(i) => Seg::Index(*i),
            })
            .collect()
    }

    /// Every node and key the outline finds is where the locator finds it.
    fn agrees(yaml: &str) {
        let outline = Outline::of(yaml).expect("an outline");
        assert!(!outline.nodes.is_empty());
        for (steps, &at) in &outline.nodes {
            let path = segs(steps);
            if path.is_empty() {
                continue;
            }
            assert_eq!(
                source(yaml).locate_exactly(&path),
                Some(at),
                "{path:?} in\n{yaml}"
            );
        }
        for ((steps, key, nth), &at) in &outline.keys {
            let path = segs(steps);
            assert_eq!(
                source(yaml).locate_key_exactly(&path, key, *nth),
                Some(at),
                "key {key} #{nth} of {path:?} in\n{yaml}"
            );
        }
    }

    #[test]
    fn the_outline_agrees_with_the_locator() {
        agrees(
            "title: A\nactors:\n  - Kim Jong Un\n  - {ref: Putin, role: host}\n  - ref: Shoigu\n    role: guest\n",
        );
        agrees(
            "title: 'quoted: yes'\ntopics: [a, b,\n  c]\nevents:\n- date: 2023-09-13\n  title: \"Talks\"\n  actors: [Kim, Putin]\n",
        );
        agrees(
            "summary: |\n  Two lines\n  of text.\nlinks:\n  Official site: https://example.org\n  Wiki: https://example.org/w\n",
        );
        agrees("a: 1\na: 2\nb:\n  c: {d: [1, 2, {e: f}]}\n");
        agrees("title :\nslug: x\nlinks:\nevents:\n- date: 2023\n  title:\n");
    }

    #[test]
    fn the_example_site_and_the_catalogue_agree() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .chain(walkdir::WalkDir::new(root.join("tests/fixtures/invalid")))
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        {
            // The locator parses once per node: the large cases would
            // take minutes.
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            if text.len() > 20_000 {
                continue;
            }
            let Some(yaml) = text
                .strip_prefix("---\n")
                .and_then(|rest| rest.split_once("\n---").map(|(y, _)| y))
            else {
                continue;
            };
            if serde_yaml::from_str::<serde_yaml::Value>(yaml).is_err() {
                continue;
            }
            if Outline::of(yaml).is_some() {
                agrees(yaml);
                checked += 1;
            }
        }
        assert!(checked > 30, "{checked} documents");
    }

    #[test]
    fn the_outline_is_made_after_a_few_questions_and_not_copied() {
        let yaml = "a: 1\nb: 2\n";
        let positions = Positions::default();
        for _ in 0..LOCATES_BEFORE_OUTLINE {
            assert!(positions.outline(yaml).is_none());
        }
        let outline = positions.outline(yaml).expect("made by now");
        assert_eq!(outline.node(&[Seg::Key("b")]), Some((2, 4)));
        assert_eq!(outline.key(&[], "b", 0), Some((2, 1)));
        assert!(positions.clone().outline(yaml).is_none());
    }

    #[test]
    fn anchors_and_complex_keys_are_left_to_the_locator() {
        assert!(Outline::of("a: &x 1\nb: *x\n").is_none());
        assert!(Outline::of("? [a, b]\n: c\n").is_none());
        assert!(Outline::of("a: [unclosed\n").is_none());
        assert!(Outline::of("a: !tag x\n").is_none());
    }
}
