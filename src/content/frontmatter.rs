//! One content file → one typed item: splitting the front matter from the
//! body, parsing the YAML into the structs below (which reject unknown keys),
//! then checking every value and collecting every problem in the file.
//!
//! Each function here is pure (text in, item or problems out), so `serve` can
//! re-parse just the file that changed.

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::content::date::Date;
use crate::content::model::*;
use crate::diagnostics::Diagnostic;
use crate::text::{is_safe_segment, slugify, typographic};
use crate::yaml::{self, Seg};

/// The parts of a content file.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// File line where the front matter starts (the line after `---`).
    pub front_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Splits `---\nyaml\n---\nbody`. A BOM and CRLF line endings are accepted.
pub fn split<'t>(path: &Path, text: &'t str) -> Result<Split<'t>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let missing = || {
        Diagnostic::error("no-front-matter", "the file does not start with front matter")
            .in_file(path)
            .at(1, 1)
            .with_help("start the file with a line `---`, then YAML keys such as `title: …`, then another line `---`")
    };
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or_else(missing)?;
    if first.trim_end() != "---" {
        return Err(missing());
    }
    let start = first.len();
    let mut offset = start;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        if line.trim_end() == "---" {
            return Ok(Split {
                front_matter: &text[start..offset],
                front_line: 2,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error("unclosed-front-matter", "the front matter is not closed")
            .in_file(path)
            .at(1, 1)
            .with_help(
                "add a line `---` after the last front-matter key, before the text of the page",
            ),
    )
}

// ---------------------------------------------------------------------------
// The front matter as written. Field names are the keys writers type.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BriefFront {
    title: Option<String>,
    date: Option<String>,
    updated: Option<String>,
    slug: Option<String>,
    summary: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    actors: Vec<ActorEntry>,
    #[serde(default, deserialize_with = "one_or_many")]
    topics: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    places: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    events: Vec<EventFront>,
    #[serde(default, deserialize_with = "one_or_many")]
    sources: Vec<SourceEntry>,
    confidence: Option<Confidence>,
    #[serde(default)]
    draft: Option<bool>,
    extra: Option<serde_yaml::Value>,
}

#[derive(Debug)]
enum ActorEntry {
    Name(String),
    Full(ActorMap),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorMap {
    #[serde(rename = "ref")]
    reference: String,
    role: Option<String>,
    kind: Option<ActorKind>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ActorKind {
    Person,
    #[serde(alias = "organisation")]
    Organization,
}

impl ActorKind {
    fn entity_kind(self) -> EntityKind {
        match self {
            ActorKind::Person => EntityKind::Person,
            ActorKind::Organization => EntityKind::Organization,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFront {
    date: String,
    title: String,
    place: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    actors: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    topics: Vec<String>,
    description: Option<String>,
    /// Numbers of the brief's sources (from 1), or URLs.
    #[serde(default, deserialize_with = "one_or_many")]
    sources: Vec<String>,
    confidence: Option<Confidence>,
}

#[derive(Debug)]
enum SourceEntry {
    Url(String),
    Full(SourceMap),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceMap {
    url: String,
    title: Option<String>,
    publisher: Option<String>,
    date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AffiliationFront {
    org: String,
    role: Option<String>,
    from: Option<String>,
    until: Option<String>,
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationFront {
    with: String,
    #[serde(rename = "type")]
    label: String,
    kind: Option<ActorKind>,
    from: Option<String>,
    until: Option<String>,
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonFront {
    name: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    aliases: Vec<String>,
    role: Option<String>,
    country: Option<String>,
    born: Option<String>,
    died: Option<String>,
    image: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    links: Option<IndexMap<String, String>>,
    #[serde(default, deserialize_with = "one_or_many")]
    affiliations: Vec<AffiliationFront>,
    #[serde(default, deserialize_with = "one_or_many")]
    relations: Vec<RelationFront>,
    autolink: Option<bool>,
    extra: Option<serde_yaml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganizationFront {
    name: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    aliases: Vec<String>,
    #[serde(rename = "type")]
    org_type: Option<String>,
    country: Option<String>,
    founded: Option<String>,
    image: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    links: Option<IndexMap<String, String>>,
    #[serde(default, deserialize_with = "one_or_many")]
    relations: Vec<RelationFront>,
    autolink: Option<bool>,
    extra: Option<serde_yaml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFront {
    title: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    aliases: Vec<String>,
    summary: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    related: Vec<String>,
    image: Option<String>,
    autolink: Option<bool>,
    extra: Option<serde_yaml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceFront {
    name: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    aliases: Vec<String>,
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    summary: Option<String>,
    autolink: Option<bool>,
    extra: Option<serde_yaml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: Option<String>,
    slug: Option<String>,
    summary: Option<String>,
    draft: Option<bool>,
    extra: Option<serde_yaml::Value>,
}

// ---------------------------------------------------------------------------
// Lenient list fields: `topics: sanctions` means `topics: [sanctions]`, and an
// empty `topics:` means no topics.

fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct OneOrMany<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            T::deserialize(de::value::StrDeserializer::new(v)).map(|t| vec![t])
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
            self.visit_str(&v.to_string())
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
            self.visit_str(&v.to_string())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element()? {
                out.push(item);
            }
            Ok(out)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| vec![t])
        }
    }

    d.deserialize_any(OneOrMany(PhantomData))
}

/// Implements `Deserialize` for an enum that is either a bare string or a map.
macro_rules! string_or_map {
    ($ty:ident, $plain:ident, $full:ident, $map:ty, $what:literal) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        Ok($ty::$plain(v.to_string()))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                        Ok($ty::$plain(v.to_string()))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                        Ok($ty::$plain(v.to_string()))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                        <$map>::deserialize(de::value::MapAccessDeserializer::new(map))
                            .map($ty::$full)
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

string_or_map!(
    ActorEntry,
    Name,
    Full,
    ActorMap,
    "a name, or a mapping with `ref:` and optionally `role:` and `kind:`"
);
string_or_map!(
    SourceEntry,
    Url,
    Full,
    SourceMap,
    "a URL, or a mapping with `url:` and optionally `title:`, `publisher:`, `date:`"
);

// ---------------------------------------------------------------------------
// Checking values. A `Checker` collects every problem in one file.

struct Checker<'a> {
    source: yaml::Source<'a>,
    problems: Vec<Diagnostic>,
    /// Keys whose absence a problem already reported explains.
    explained: yaml::Mask,
    /// Nodes left out of the parse; list items among them shift the
    /// positions of the items after them.
    masked: yaml::Mask,
}

impl<'a> Checker<'a> {
    fn error(
        &mut self,
        code: &'static str,
        at: &[Seg],
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.source.error_at(code, at, message).with_help(help);
        self.problems.push(d);
    }

    fn new(source: yaml::Source<'a>) -> Checker<'a> {
        Checker {
            source,
            problems: Vec::new(),
            explained: yaml::Mask::new(),
            masked: yaml::Mask::new(),
        }
    }

    /// Parses the document, keeping its problems; `None` when no value
    /// could be read at all.
    fn parse<T: serde::de::DeserializeOwned>(&mut self) -> Option<T> {
        let parsed = self.source.parse::<T>();
        self.problems.extend(parsed.problems);
        self.explained = parsed.explained;
        self.masked = parsed.masked;
        parsed.value
    }

    /// True if a problem already reported explains why the top-level `key`
    /// is missing (its value was wrong, or it was misspelt).
    fn is_explained(&self, key: &str) -> bool {
        self.explained.contains(key)
    }

    /// A required text value that must be present and not blank.
    fn text(&mut self, value: Option<String>, key: &'static str) -> String {
        let Some(value) = value else {
            if !self.is_explained(key) {
                let d = Diagnostic::error(
                    "missing-key",
                    format!("missing required key `{key}` in {}", self.source.what),
                )
                .with_help(format!("add a line `{key}: …`"))
                .in_file(self.source.file)
                .at(self.source.first_line, 1);
                self.problems.push(d);
            }
            return String::new();
        };
        let value = value.trim().to_string();
        if value.is_empty() {
            self.error(
                "empty-value",
                &[Seg::Key(key)],
                format!("`{key}` is empty"),
                format!("write the {key} after `{key}:`"),
            );
        }
        value
    }

    /// An optional value: blank counts as absent.
    fn optional(value: Option<String>) -> Option<String> {
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// Optional prose shown to readers, with the punctuation of the bodies.
    fn prose(value: Option<String>) -> Option<String> {
        Self::optional(value).map(|v| typographic(&v))
    }

    fn date(&mut self, value: Option<&str>, at: &[Seg]) -> Option<Date> {
        let value = value?;
        match Date::parse(value) {
            Ok(d) => Some(d),
            Err(why) => {
                let message = format!("invalid date in `{}`", yaml::path_to_string(at));
                self.error("invalid-date", at, message, why);
                None
            }
        }
    }

    /// The `from` and `until` dates of a position or relation. Whether
    /// they contradict each other or other profiles (a death) is for the
    /// graph's lints: a warning must not keep the profile out.
    fn period(
        &mut self,
        from: Option<String>,
        until: Option<String>,
        from_at: &[Seg],
        until_at: &[Seg],
    ) -> (Option<Date>, Option<Date>) {
        let from = self.date(from.as_deref(), from_at);
        (from, self.date(until.as_deref(), until_at))
    }

    /// A date that needs a day (a brief's `date` and `updated`).
    fn full_date(&mut self, value: Option<&str>, at: &[Seg]) -> Option<Date> {
        let date = self.date(value, at)?;
        if !date.is_full() {
            let key = yaml::path_to_string(at);
            self.error(
                "partial-date",
                at,
                format!("`{key}` of a brief needs a day, found `{}`", date.iso()),
                format!(
                    "write the full date, e.g. `{key}: {}-01`; partial dates are for events",
                    date.iso()
                ),
            );
            return None;
        }
        Some(date)
    }

    fn reference(&mut self, text: &str, at: Vec<Seg>) -> Option<Reference> {
        let text = text.trim();
        if text.is_empty() {
            self.error(
                "empty-reference",
                &at,
                format!("empty reference in `{}`", yaml::path_to_string(&at)),
                "name an entity by its id (`kim-jong-un`), its name or one of its aliases",
            );
            return None;
        }
        Some(Reference {
            text: text.to_string(),
            at: RefPath::new(&at),
        })
    }

    /// The position in the file's list at `list` of each of the `count`
    /// items that were read: items left out of the parse for a problem are
    /// skipped, so the rest are still located at their own lines.
    fn indices(&self, list: &[Seg], count: usize) -> Vec<usize> {
        if self.masked.is_empty() {
            return (0..count).collect();
        }
        let list = yaml::path_to_string(list);
        (0..)
            .filter(|i| !self.masked.contains(&format!("{list}[{i}]")))
            .take(count)
            .collect()
    }

    fn references(&mut self, items: &[String], key: &'static str) -> Vec<Reference> {
        self.references_at(items, &[Seg::Key(key)])
    }

    fn references_at(&mut self, items: &[String], base: &[Seg]) -> Vec<Reference> {
        let indices = self.indices(base, items.len());
        items
            .iter()
            .zip(indices)
            .filter_map(|(text, i)| {
                let mut at = base.to_vec();
                at.push(Seg::Index(i));
                self.reference(text, at)
            })
            .collect()
    }

    fn url(&mut self, url: &str, at: &[Seg], allow_relative: bool) -> Option<String> {
        let url = url.trim();
        let lower = url.to_ascii_lowercase();
        let is_http = (lower.starts_with("https://") || lower.starts_with("http://"))
            && url.len() > "https://".len()
            && !url.contains(char::is_whitespace);
        let is_relative = allow_relative
            && !url.is_empty()
            && !lower.contains(':')
            && !url.starts_with("//")
            && !url.contains(char::is_whitespace);
        if is_http || is_relative {
            return Some(url.to_string());
        }
        let what = if allow_relative {
            "an http(s) URL or a relative link"
        } else {
            "an http(s) URL"
        };
        self.error(
            "invalid-url",
            at,
            format!(
                "`{}` must be {what}, found `{url}`",
                yaml::path_to_string(at)
            ),
            "write the full address, starting with `https://`",
        );
        None
    }

    fn aliases(&mut self, aliases: Vec<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let indices = self.indices(&[Seg::Key("aliases")], aliases.len());
        for (alias, i) in aliases.into_iter().zip(indices) {
            let alias = alias.trim().to_string();
            if alias.is_empty() {
                self.error(
                    "empty-value",
                    &[Seg::Key("aliases"), Seg::Index(i)],
                    "empty alias",
                    "remove the empty entry from `aliases`",
                );
            } else if seen.insert(alias.clone()) {
                out.push(alias);
            }
        }
        out
    }

    fn image(&mut self, image: Option<String>) -> Option<String> {
        let image = Self::optional(image)?;
        let path = image.trim_start_matches('/');
        let safe = path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != ".." && !seg.contains('\\'));
        if !safe || image.contains(':') {
            self.error(
                "invalid-image",
                &[Seg::Key("image")],
                format!("`image` must be a path under `static/`, found `{image}`"),
                "put the picture in `static/img/` and write e.g. `image: img/kim-jong-un.jpg`",
            );
            return None;
        }
        Some(path.to_string())
    }

    fn links(&mut self, links: Option<IndexMap<String, String>>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (label, url) in links.unwrap_or_default() {
            let label = label.trim().to_string();
            let at = [Seg::Key("links"), Seg::Label(label.clone())];
            let checked = self.url(&url, &at, true);
            if let Some(url) = checked {
                out.push((label, url));
            }
        }
        out
    }

    fn extra(&mut self, extra: Option<serde_yaml::Value>) -> serde_yaml::Value {
        match extra {
            None | Some(serde_yaml::Value::Null) => serde_yaml::Value::Mapping(Default::default()),
            Some(v @ serde_yaml::Value::Mapping(_)) => v,
            Some(_) => {
                self.error(
                    "invalid-type",
                    &[Seg::Key("extra")],
                    "`extra` should be a mapping of keys to values",
                    "write `extra:` followed by indented `key: value` lines",
                );
                serde_yaml::Value::Mapping(Default::default())
            }
        }
    }

    fn slug(&mut self, given: Option<String>, fallback: &str) -> String {
        if let Some(given) = Self::optional(given) {
            let single_segment =
                !given.contains('/') && !given.contains('\\') && given != "." && given != "..";
            let slug = slugify(&given);
            if !single_segment || slug.is_empty() || !is_safe_segment(&slug) {
                self.error(
                    "invalid-slug",
                    &[Seg::Key("slug")],
                    format!("`slug` must be a single URL segment of letters, digits and `-`, found `{given}`"),
                    format!("write e.g. `slug: {}`", if slug.is_empty() { "my-page" } else { &slug }),
                );
                return fallback.to_string();
            }
            return slug;
        }
        fallback.to_string()
    }
}

/// A file that failed to load: every problem in it, and what could still be
/// read of it.
#[derive(Debug)]
pub struct Rejected {
    pub problems: Vec<Diagnostic>,
    pub salvage: Salvage,
}

/// What a file that failed to load would have named and been named by, so
/// that its one mistake is not reported again as links to nothing (links to
/// it by title) or profiles no one refers to (those only it named).
#[derive(Debug, Clone, Default)]
pub struct Salvage {
    /// Its title, or its name and aliases.
    pub names: Vec<String>,
    /// Every reference in its front matter, and the target of every
    /// wikilink in its body.
    pub references: Vec<String>,
}

impl From<Vec<Diagnostic>> for Rejected {
    fn from(problems: Vec<Diagnostic>) -> Rejected {
        Rejected {
            problems,
            salvage: Salvage::default(),
        }
    }
}

/// The item if its file had no problems; else the problems and what the
/// rest of the site needs to know of it.
fn finish<T>(
    item: T,
    problems: Vec<Diagnostic>,
    salvage: impl FnOnce(T) -> Salvage,
) -> Result<T, Rejected> {
    if problems.is_empty() {
        Ok(item)
    } else {
        Err(Rejected {
            problems,
            salvage: salvage(item),
        })
    }
}

/// The targets of the wikilinks in a body, without label or heading
/// (`[[Kim Jong Un#Early life|Kim]]` → `Kim Jong Un`).
fn wikilink_targets(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("[[") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find("]]") else { break };
        let inner = &rest[..end];
        let target = inner.split(['|', '#']).next().unwrap_or_default().trim();
        if !target.is_empty() && !target.contains('\n') {
            out.push(target.to_string());
        }
        rest = &rest[end + 2..];
    }
    out
}

fn texts<'r>(references: impl IntoIterator<Item = &'r Reference>) -> Vec<String> {
    references.into_iter().map(|r| r.text.clone()).collect()
}

fn brief_salvage(brief: Brief) -> Salvage {
    let mut references = texts(brief.actors.iter().map(|a| &a.reference));
    references.extend(texts(brief.topics.iter().chain(&brief.places)));
    for event in &brief.events {
        references.extend(texts(
            event.place.iter().chain(&event.actors).chain(&event.topics),
        ));
    }
    references.extend(wikilink_targets(&brief.body));
    Salvage {
        names: vec![brief.title],
        references,
    }
}

/// The fallback slug of a brief: its file stem without a leading date.
pub(crate) fn brief_default_slug(stem: &str, title: &str) -> String {
    let without_date = if Date::from_file_name(stem).is_some() {
        stem[10..].trim_start_matches('-')
    } else {
        stem
    };
    let slug = slugify(without_date);
    if slug.is_empty() {
        slugify(title)
    } else {
        slug
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn source_file(path: &Path, split: &Split, what: &'static str) -> SourceFile {
    SourceFile {
        path: path.to_path_buf(),
        front_matter: split.front_matter.to_string(),
        front_line: split.front_line,
        body_line: split.body_line,
        what,
        positions: Default::default(),
    }
}

/// Parses a brief.
pub fn parse_brief(path: &Path, text: &str) -> Result<Brief, Rejected> {
    let split = split(path, text).map_err(|d| vec![d])?;
    let source = source_file(path, &split, "the brief's front matter");
    let mut c = Checker::new(source.yaml());
    let front: BriefFront = c.parse().ok_or_else(|| c.problems.clone())?;
    let stem = stem(path);
    let title = c.text(front.title, "title");
    let date = match front.date.as_deref() {
        Some(text) => c.full_date(Some(text), &[Seg::Key("date")]),
        None if c.is_explained("date") => None,
        None => Date::from_file_name(&stem).or_else(|| {
            c.problems.push(
                Diagnostic::error("missing-date", "the brief has no `date`")
                    .in_file(path)
                    .at(split.front_line, 1)
                    .with_help("add `date: YYYY-MM-DD` to the front matter, or start the file name with the date, e.g. `2023-09-12-kim-arrives.md`"),
            );
            None
        }),
    };
    let updated = c.full_date(front.updated.as_deref(), &[Seg::Key("updated")]);
    let slug = c.slug(front.slug, &brief_default_slug(&stem, &title));
    let indices = c.indices(&[Seg::Key("actors")], front.actors.len());
    let actors = front
        .actors
        .iter()
        .zip(indices)
        .filter_map(|(entry, i)| match entry {
            ActorEntry::Name(name) => c
                .reference(name, vec![Seg::Key("actors"), Seg::Index(i)])
                .map(|reference| ActorRef {
                    reference,
                    role: None,
                    kind: None,
                }),
            ActorEntry::Full(map) => c
                .reference(
                    &map.reference,
                    vec![Seg::Key("actors"), Seg::Index(i), Seg::Key("ref")],
                )
                .map(|reference| ActorRef {
                    reference,
                    role: Checker::prose(map.role.clone()),
                    kind: map.kind.map(ActorKind::entity_kind),
                }),
        })
        .collect();
    let topics = c.references(&front.topics, "topics");
    let places = c.references(&front.places, "places");
    let indices = c.indices(&[Seg::Key("sources")], front.sources.len());
    let sources: Vec<SourceLink> = front
        .sources
        .into_iter()
        .zip(indices)
        .filter_map(|(entry, i)| check_source(&mut c, i, entry))
        .collect();
    let indices = c.indices(&[Seg::Key("events")], front.events.len());
    let events = front
        .events
        .into_iter()
        .zip(indices)
        .filter_map(|(event, i)| check_event(&mut c, i, event, &sources))
        .collect();
    let extra = c.extra(front.extra);
    let summary = Checker::prose(front.summary);
    let problems = c.problems;
    let brief = Brief {
        // After the slug, which is made from the title as written.
        title: typographic(&title),
        slug,
        date: date.unwrap_or_else(|| Date::parse("1970-01-01").expect("a valid constant date")),
        updated,
        summary,
        actors,
        topics,
        places,
        events,
        sources,
        confidence: front.confidence,
        draft: front.draft.unwrap_or(false),
        extra,
        body: split.body.to_string(),
        source,
    };
    finish(brief, problems, brief_salvage)
}

fn check_event(
    c: &mut Checker,
    i: usize,
    event: EventFront,
    brief_sources: &[SourceLink],
) -> Option<Event> {
    let base = |key| vec![Seg::Key("events"), Seg::Index(i), Seg::Key(key)];
    let date = c.date(Some(&event.date), &base("date"));
    let title = event.title.trim().to_string();
    if title.is_empty() {
        c.error(
            "empty-value",
            &base("title"),
            "event `title` is empty",
            "describe the event in a few words",
        );
    }
    let place = event
        .place
        .as_deref()
        .and_then(|p| c.reference(p, base("place")));
    let actors = c.references_at(&event.actors, &base("actors"));
    let topics = c.references_at(&event.topics, &base("topics"));
    let sources = (event.sources.iter().enumerate())
        .filter_map(|(n, cited)| {
            let mut at = base("sources");
            at.push(Seg::Index(n));
            event_source(c, cited, &at, brief_sources)
        })
        .collect();
    Some(Event {
        date: date?,
        title: typographic(&title),
        place,
        actors,
        topics,
        description: Checker::optional(event.description),
        sources,
        confidence: event.confidence,
    })
}

/// One entry of an event's `sources`: the number of one of the brief's
/// sources (from 1, as the brief's page numbers them), or a URL, which is
/// that source when the brief lists it.
fn event_source(
    c: &mut Checker,
    cited: &str,
    at: &[Seg],
    brief_sources: &[SourceLink],
) -> Option<EventSource> {
    let cited = cited.trim();
    if let Ok(number) = cited.parse::<usize>() {
        if number == 0 || number > brief_sources.len() {
            let listed = match brief_sources.len() {
                0 => "the brief lists no `sources`".to_string(),
                1 => "the brief lists 1 source".to_string(),
                n => format!("the brief lists {n} sources, numbered 1 to {n}"),
            };
            c.error(
                "unknown-source",
                at,
                format!("the event cites source {number}, but {listed}"),
                "cite a source by its number in the brief's `sources` list (from 1), or by its URL",
            );
            return None;
        }
        let url = brief_sources[number - 1].url.clone();
        return Some(EventSource {
            url,
            number: Some(number),
        });
    }
    let url = c.url(cited, at, false)?;
    let number = (brief_sources.iter())
        .position(|s| s.url == url)
        .map(|i| i + 1);
    Some(EventSource { url, number })
}

fn check_source(c: &mut Checker, i: usize, entry: SourceEntry) -> Option<SourceLink> {
    match entry {
        SourceEntry::Url(url) => {
            let url = c.url(&url, &[Seg::Key("sources"), Seg::Index(i)], false)?;
            Some(SourceLink {
                url,
                title: None,
                publisher: None,
                date: None,
            })
        }
        SourceEntry::Full(map) => {
            let at = |key| [Seg::Key("sources"), Seg::Index(i), Seg::Key(key)];
            let url = c.url(&map.url, &at("url"), false);
            let date = c.date(map.date.as_deref(), &at("date"));
            Some(SourceLink {
                url: url?,
                title: Checker::prose(map.title),
                publisher: Checker::optional(map.publisher),
                date,
            })
        }
    }
}

/// Parses a person, organisation, topic or place.
pub fn parse_profile(kind: EntityKind, path: &Path, text: &str) -> Result<Profile, Rejected> {
    let split = split(path, text).map_err(|d| vec![d])?;
    let what = match kind {
        EntityKind::Person => "the person's front matter",
        EntityKind::Organization => "the organisation's front matter",
        EntityKind::Topic => "the topic's front matter",
        EntityKind::Place => "the place's front matter",
    };
    let source = source_file(path, &split, what);
    let mut c = Checker::new(source.yaml());
    let stem = stem(path);
    let id = slugify(&stem);
    if id.is_empty() {
        c.problems.push(
            Diagnostic::error(
                "invalid-id",
                format!("the file name `{stem}` gives no usable id"),
            )
            .in_file(path)
            .with_help("name the file after the entity in Latin letters, e.g. `kim-jong-un.md`"),
        );
    }
    let mut facts = Facts::default();
    let (name, aliases, summary, related, affiliations, relations, autolink, extra);
    match kind {
        EntityKind::Person => {
            let f: PersonFront = c.parse().ok_or_else(|| c.problems.clone())?;
            name = c.text(f.name, "name");
            aliases = c.aliases(f.aliases);
            facts.role = Checker::prose(f.role);
            facts.country = Checker::optional(f.country);
            facts.born = c.date(f.born.as_deref(), &[Seg::Key("born")]);
            facts.died = c.date(f.died.as_deref(), &[Seg::Key("died")]);
            facts.image = c.image(f.image);
            facts.links = c.links(f.links);
            affiliations = check_affiliations(&mut c, f.affiliations);
            relations = check_relations(&mut c, f.relations);
            summary = f.summary;
            related = Vec::new();
            autolink = f.autolink;
            extra = c.extra(f.extra);
        }
        EntityKind::Organization => {
            let f: OrganizationFront = c.parse().ok_or_else(|| c.problems.clone())?;
            name = c.text(f.name, "name");
            aliases = c.aliases(f.aliases);
            facts.org_type = Checker::optional(f.org_type);
            facts.country = Checker::optional(f.country);
            facts.founded = c.date(f.founded.as_deref(), &[Seg::Key("founded")]);
            facts.image = c.image(f.image);
            facts.links = c.links(f.links);
            affiliations = Vec::new();
            relations = check_relations(&mut c, f.relations);
            summary = f.summary;
            related = Vec::new();
            autolink = f.autolink;
            extra = c.extra(f.extra);
        }
        EntityKind::Topic => {
            let f: TopicFront = c.parse().ok_or_else(|| c.problems.clone())?;
            name = c.text(f.title, "title");
            aliases = c.aliases(f.aliases);
            facts.image = c.image(f.image);
            summary = f.summary;
            related = c.references(&f.related, "related");
            affiliations = Vec::new();
            relations = Vec::new();
            autolink = f.autolink;
            extra = c.extra(f.extra);
        }
        EntityKind::Place => {
            let f: PlaceFront = c.parse().ok_or_else(|| c.problems.clone())?;
            name = c.text(f.name, "name");
            aliases = c.aliases(f.aliases);
            facts.country = Checker::optional(f.country);
            facts.lat = check_coordinate(&mut c, f.lat, "lat", 90.0);
            facts.lon = check_coordinate(&mut c, f.lon, "lon", 180.0);
            affiliations = Vec::new();
            relations = Vec::new();
            summary = f.summary;
            related = Vec::new();
            autolink = f.autolink;
            extra = c.extra(f.extra);
        }
    }
    let problems = c.problems;
    let profile = Profile {
        kind,
        id,
        name,
        aliases,
        summary: Checker::prose(summary),
        facts,
        related,
        affiliations,
        relations,
        autolink: autolink.unwrap_or(true),
        extra,
        body: split.body.to_string(),
        source,
    };
    finish(profile, problems, |p| {
        let mut references = texts(&p.related);
        references.extend(texts(p.affiliations.iter().map(|a| &a.org)));
        references.extend(texts(p.relations.iter().map(|r| &r.with)));
        references.extend(wikilink_targets(&p.body));
        let mut names = vec![p.name];
        names.extend(p.aliases);
        Salvage { names, references }
    })
}

/// A person's `affiliations`, each located at its own line.
fn check_affiliations(c: &mut Checker, entries: Vec<AffiliationFront>) -> Vec<Affiliation> {
    let indices = c.indices(&[Seg::Key("affiliations")], entries.len());
    (entries.into_iter().zip(indices))
        .filter_map(|(entry, i)| {
            let at = |key| vec![Seg::Key("affiliations"), Seg::Index(i), Seg::Key(key)];
            let org = c.reference(&entry.org, at("org"));
            let (from, until) = c.period(entry.from, entry.until, &at("from"), &at("until"));
            let source = (entry.source.as_deref()).and_then(|u| c.url(u, &at("source"), false));
            Some(Affiliation {
                org: org?,
                role: Checker::prose(entry.role),
                from,
                until,
                source,
            })
        })
        .collect()
}

/// A profile's typed `relations`, each located at its own line.
fn check_relations(c: &mut Checker, entries: Vec<RelationFront>) -> Vec<Relation> {
    let indices = c.indices(&[Seg::Key("relations")], entries.len());
    (entries.into_iter().zip(indices))
        .filter_map(|(entry, i)| {
            let at = |key| vec![Seg::Key("relations"), Seg::Index(i), Seg::Key(key)];
            let with = c.reference(&entry.with, at("with"));
            let label = typographic(entry.label.trim());
            if label.is_empty() {
                c.error(
                    "empty-value",
                    &at("type"),
                    "relation `type` is empty",
                    "say how the two are related, e.g. `type: son of` or `type: supplies arms to`",
                );
            }
            let (from, until) = c.period(entry.from, entry.until, &at("from"), &at("until"));
            let source = (entry.source.as_deref()).and_then(|u| c.url(u, &at("source"), false));
            Some(Relation {
                with: with?,
                with_kind: entry.kind.map(ActorKind::entity_kind),
                label: (!label.is_empty()).then_some(label)?,
                from,
                until,
                source,
            })
        })
        .collect()
}

fn check_coordinate(
    c: &mut Checker,
    value: Option<f64>,
    key: &'static str,
    limit: f64,
) -> Option<f64> {
    let value = value?;
    if !value.is_finite() || value.abs() > limit {
        c.error(
            "invalid-value",
            &[Seg::Key(key)],
            format!("`{key}` must be between -{limit} and {limit}, found {value}"),
            "write decimal degrees, e.g. `lat: 43.1155` and `lon: 131.8855`",
        );
        return None;
    }
    Some(value)
}

/// Parses a free page.
pub fn parse_page(path: &Path, text: &str) -> Result<Page, Rejected> {
    let split = split(path, text).map_err(|d| vec![d])?;
    let source = source_file(path, &split, "the page's front matter");
    let mut c = Checker::new(source.yaml());
    let front: PageFront = c.parse().ok_or_else(|| c.problems.clone())?;
    let title = c.text(front.title, "title");
    let stem_slug = slugify(&stem(path));
    let fallback = if stem_slug.is_empty() {
        slugify(&title)
    } else {
        stem_slug
    };
    let slug = c.slug(front.slug, &fallback);
    let extra = c.extra(front.extra);
    let problems = c.problems;
    let page = Page {
        title: typographic(&title),
        slug,
        summary: Checker::prose(front.summary),
        draft: front.draft.unwrap_or(false),
        extra,
        body: split.body.to_string(),
        source,
    };
    finish(page, problems, |p| Salvage {
        names: vec![p.title],
        references: wikilink_targets(&p.body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(problems: &[Diagnostic]) -> Vec<String> {
        problems.iter().map(|d| d.render(Path::new("."))).collect()
    }

    const BRIEF: &str = "content/briefs/2023-09-12-kim-arrives.md";

    #[test]
    fn splits_with_bom_and_crlf() {
        let s = split(
            Path::new("a.md"),
            "\u{feff}---\r\ntitle: x\r\n---\r\nBody\r\n",
        )
        .unwrap();
        assert_eq!(s.front_matter, "title: x\r\n");
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn missing_and_unclosed_front_matter() {
        let e = split(Path::new("a.md"), "# Hello\n").unwrap_err();
        assert_eq!(e.code, "no-front-matter");
        let e = split(Path::new("a.md"), "---\ntitle: x\n").unwrap_err();
        assert_eq!(e.code, "unclosed-front-matter");
    }

    #[test]
    fn brief_with_every_field() {
        let text = "---\ntitle: Kim arrives\nactors:\n  - ref: Kim Jong Un\n    role: visiting leader\n  - vladimir-putin\n  - ref: Russian Railways\n    kind: organization\ntopics: sanctions\nevents:\n  - date: 2023-07\n    title: Shoigu visits\n    actors: [Sergei Shoigu]\nsources:\n  - https://example.com/a\n  - url: https://example.com/b\n    publisher: Example\n---\nKim *arrived* by train.\n\nSecond paragraph.\n";
        let b = parse_brief(Path::new(BRIEF), text).unwrap();
        assert_eq!(b.slug, "kim-arrives");
        assert_eq!(b.date.iso(), "2023-09-12");
        assert_eq!(b.summary, None);
        assert_eq!(b.actors.len(), 3);
        assert_eq!(b.actors[0].role.as_deref(), Some("visiting leader"));
        assert_eq!(b.actors[2].kind, Some(EntityKind::Organization));
        assert_eq!(b.topics[0].text, "sanctions");
        assert_eq!(b.events[0].date.display(), "July 2023");
        assert_eq!(b.sources.len(), 2);
        assert_eq!(b.source.body_line, 19);
    }

    #[test]
    fn every_bad_value_in_a_file_is_reported() {
        let text = "---\ntitle: x\ndate: 2023-02-30\nslug: ../../etc\nevents:\n  - date: soon\n    title: a\nsources:\n  - javascript:alert(1)\n---\n";
        let problems = parse_brief(Path::new(BRIEF), text).unwrap_err().problems;
        assert_eq!(
            render(&problems),
            vec![
                "content/briefs/2023-09-12-kim-arrives.md:3:7: error: invalid date in `date` [invalid-date]\n  help: `2023-02-30` is not a day of the calendar; check the month and the day",
                "content/briefs/2023-09-12-kim-arrives.md:4:7: error: `slug` must be a single URL segment of letters, digits and `-`, found `../../etc` [invalid-slug]\n  help: write e.g. `slug: etc`",
                "content/briefs/2023-09-12-kim-arrives.md:9:5: error: `sources[0]` must be an http(s) URL, found `javascript:alert(1)` [invalid-url]\n  help: write the full address, starting with `https://`",
                "content/briefs/2023-09-12-kim-arrives.md:6:11: error: invalid date in `events[0].date` [invalid-date]\n  help: `soon` is not a date; write `YYYY-MM-DD` (e.g. `2023-09-12`), `YYYY-MM`, `YYYY`, or an RFC 3339 datetime such as `2023-09-12T06:00:00+09:00`",
            ]
        );
    }

    #[test]
    fn brief_without_any_date() {
        let problems = parse_brief(Path::new("content/briefs/kim.md"), "---\ntitle: x\n---\n")
            .unwrap_err()
            .problems;
        assert_eq!(problems[0].code, "missing-date");
        assert_eq!(problems[0].line, Some(2));
    }

    #[test]
    fn partial_brief_date_is_refused() {
        let problems = parse_brief(
            Path::new("content/briefs/kim.md"),
            "---\ntitle: x\ndate: 2023-09\n---\n",
        )
        .unwrap_err()
        .problems;
        assert_eq!(problems[0].code, "partial-date");
    }

    #[test]
    fn profile_defaults() {
        let p = parse_profile(
            EntityKind::Person,
            Path::new("content/people/Kim Jong Un.md"),
            "---\nname: Kim Jong Un\naliases: [Kim Jong-un, 김정은, '']\nborn: 1984\n---\nLeader of North Korea.\n",
        )
        .unwrap_err().problems;
        assert_eq!(problems_codes(&p), vec!["empty-value"]);
        let p = parse_profile(
            EntityKind::Person,
            Path::new("content/people/Kim Jong Un.md"),
            "---\nname: Kim Jong Un\naliases: [Kim Jong-un, 김정은]\nborn: 1984\n---\nLeader of North Korea.\n",
        )
        .unwrap();
        assert_eq!(p.id, "kim-jong-un");
        assert_eq!(p.summary, None);
        assert_eq!(p.facts.born.unwrap().display(), "1984");
        assert!(p.autolink);
    }

    fn problems_codes(p: &[Diagnostic]) -> Vec<&str> {
        p.iter().map(|d| d.code).collect()
    }

    #[test]
    fn place_coordinates_are_checked() {
        let p = parse_profile(
            EntityKind::Place,
            Path::new("content/places/x.md"),
            "---\nname: X\nlat: 123\n---\n",
        )
        .unwrap_err()
        .problems;
        assert_eq!(p[0].code, "invalid-value");
        assert_eq!(p[0].line, Some(3));
    }

    #[test]
    fn topic_uses_title() {
        let t = parse_profile(
            EntityKind::Topic,
            Path::new("content/topics/sanctions.md"),
            "---\ntitle: Sanctions\nrelated: arms-transfers\n---\n",
        )
        .unwrap();
        assert_eq!(t.name, "Sanctions");
        assert_eq!(t.related[0].text, "arms-transfers");
    }

    #[test]
    fn person_unknown_key_is_named() {
        let p = parse_profile(
            EntityKind::Person,
            Path::new("content/people/x.md"),
            "---\nname: X\ntitle: Dr\n---\n",
        )
        .unwrap_err()
        .problems;
        assert_eq!(
            p[0].message,
            "unknown key `title` in the person's front matter"
        );
    }

    /// Nothing a writer types may panic: every prefix of a rich brief, and
    /// every single-character change to it, parses to an item or problems.
    #[test]
    fn no_input_panics() {
        let text = "\u{feff}---\r\ntitle: Kim arrives\nslug: é/..\nactors:\n  - ref: 김정은\n    role: leader\n    kind: organisation\n  - {ref: ''}\ntopics: x\nevents:\n  - date: 2023-07\n    title: T\n    place: P\n    actors: [A, 7]\nsources:\n  - url: https://x.example\n    date: 2023-02-29\n  - 12\nextra: {a: [1, {b: ~}]}\n---\nBody [^1] *x*\n\n[^1]: note\n";
        let mut inputs: Vec<String> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .map(|i| text[..i].to_string())
            .collect();
        for (i, _) in text.char_indices() {
            for replacement in [
                "",
                ":",
                "\n",
                "[",
                "{",
                "'",
                "*a",
                "!!binary",
                "99999999999999999999",
            ] {
                let mut changed = text.to_string();
                let end = i + text[i..].chars().next().map(char::len_utf8).unwrap_or(0);
                changed.replace_range(i..end, replacement);
                inputs.push(changed);
            }
        }
        for input in &inputs {
            let _ = parse_brief(Path::new("content/briefs/2023-01-01-x.md"), input);
            let _ = parse_profile(EntityKind::Place, Path::new("content/places/x.md"), input);
            let _ = parse_page(Path::new("content/pages/x.md"), input);
        }
    }
}
