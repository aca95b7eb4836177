//! The typed model of a site's content: what the load phase produces and
//! every later phase reads. Values here are validated (dates parsed, slugs
//! safe, URLs checked) but references are still the strings the writer typed;
//! the graph phase resolves them.

use std::path::PathBuf;

use crate::content::date::Date;
use crate::yaml::{self, Seg};

/// The four kinds of entity a brief can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Topic,
    Place,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Topic,
        EntityKind::Place,
    ];

    /// The folder under `content/` and the first URL segment.
    pub fn folder(self) -> &'static str {
        match self {
            EntityKind::Person => "people",
            EntityKind::Organization => "organizations",
            EntityKind::Topic => "topics",
            EntityKind::Place => "places",
        }
    }

    /// `person`, as in templates' `kind` and `person.html`.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Topic => "topic",
            EntityKind::Place => "place",
        }
    }

    /// The key of the theme's plural word for the kind (`people`).
    pub fn plural_key(self) -> &'static str {
        match self {
            EntityKind::Person => "people",
            EntityKind::Organization => "organizations",
            EntityKind::Topic => "topics",
            EntityKind::Place => "places",
        }
    }

    /// For counts in messages: "person"/"people".
    pub fn count_words(self) -> (&'static str, &'static str) {
        match self {
            EntityKind::Person => ("person", "people"),
            EntityKind::Organization => ("organisation", "organisations"),
            EntityKind::Topic => ("topic", "topics"),
            EntityKind::Place => ("place", "places"),
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether this kind can stand in a brief's `actors` list.
    pub fn is_actor(self) -> bool {
        matches!(self, EntityKind::Person | EntityKind::Organization)
    }
}

/// Where an item came from, kept so later phases can point at the exact line
/// of a problem.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root: `content/briefs/2023-09-12-kim.md`.
    pub path: PathBuf,
    /// The YAML between the `---` lines.
    pub front_matter: String,
    /// The file line on which the front matter starts.
    pub front_line: usize,
    /// The file line on which the body starts.
    pub body_line: usize,
    /// How messages name the front matter ("the brief's front matter").
    pub what: &'static str,
    /// For a front matter with many problems: see [`yaml::Positions`].
    pub positions: yaml::Positions,
}

impl SourceFile {
    pub fn yaml(&self) -> yaml::Source<'_> {
        yaml::Source {
            file: &self.path,
            yaml: &self.front_matter,
            first_line: self.front_line,
            what: self.what,
            positions: Some(&self.positions),
        }
    }
}

/// A reference to an entity as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub text: String,
    /// The path of the value in the front matter (`actors[1].ref`).
    pub at: RefPath,
}

/// The path of a reference in the front matter (`events[2].actors[0]`),
/// kept in a few bytes: a site has hundreds of thousands of references,
/// and the path is only read to locate a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefPath {
    /// Each step: an index into [`RefPath::KEYS`], or [`RefPath::INDEX`]
    /// with the list index.
    steps: [(u8, u32); 4],
    len: u8,
}

impl RefPath {
    /// The keys a reference's path can hold.
    const KEYS: [&'static str; 11] = [
        "actors",
        "ref",
        "topics",
        "places",
        "events",
        "place",
        "related",
        "affiliations",
        "org",
        "relations",
        "with",
    ];
    const INDEX: u8 = u8::MAX;

    /// The compact form of `segs`: up to four steps of the keys above and
    /// list indexes (further steps are dropped).
    pub fn new(segs: &[Seg]) -> RefPath {
        let mut path = RefPath {
            steps: [(0, 0); 4],
            len: 0,
        };
        for seg in segs.iter().take(4) {
            let step = match seg {
                Seg::Index(i) => (Self::INDEX, u32::try_from(*i).unwrap_or(u32::MAX)),
                Seg::Key(k) => match Self::KEYS.iter().position(|x| x == k) {
                    Some(n) => (n as u8, 0),
                    None => continue,
                },
                Seg::Label(_) => continue,
            };
            path.steps[usize::from(path.len)] = step;
            path.len += 1;
        }
        path
    }

    /// The path as [`crate::yaml::Source::locate`] takes it.
    pub fn segs(&self) -> Vec<Seg> {
        self.steps[..usize::from(self.len)]
            .iter()
            .map(|&(key, index)| match key {
                Self::INDEX => Seg::Index(index as usize),
                k => Seg::Key(Self::KEYS[usize::from(k)]),
            })
            .collect()
    }
}

/// An entry of a brief's `actors` list.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorRef {
    pub reference: Reference,
    pub role: Option<String>,
    /// `kind: organization` (or `person`) on the map form: the kind of the
    /// stub created if nothing matches.
    pub kind: Option<EntityKind>,
}

/// How sure the writer is of a brief or an event, in the words of
/// analytic standards (ICD 203): `confidence: moderate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Moderate,
    High,
}

impl Confidence {
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }
}

/// A source an event cites: one of its brief's (`number`, from 1), or a
/// URL of its own.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct EventSource {
    pub url: String,
    pub number: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub date: Date,
    pub title: String,
    pub place: Option<Reference>,
    pub actors: Vec<Reference>,
    pub topics: Vec<Reference>,
    /// Inline Markdown.
    pub description: Option<String>,
    pub sources: Vec<EventSource>,
    pub confidence: Option<Confidence>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceLink {
    pub url: String,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct Brief {
    pub source: SourceFile,
    pub title: String,
    pub slug: String,
    pub date: Date,
    pub updated: Option<Date>,
    /// As written in the front matter; without one, pages show the body's
    /// first paragraph (rendered with its links, in the render phase).
    pub summary: Option<String>,
    pub actors: Vec<ActorRef>,
    pub topics: Vec<Reference>,
    pub places: Vec<Reference>,
    pub events: Vec<Event>,
    pub sources: Vec<SourceLink>,
    pub confidence: Option<Confidence>,
    pub draft: bool,
    pub extra: serde_yaml::Value,
    pub body: String,
}

impl Brief {
    /// The date as of which event `event` was expected, when it is dated
    /// after the brief (after its `updated`, if it has one): the brief's
    /// `updated`, else its `date`.
    pub fn expected_as_of(&self, event: usize) -> Option<&Date> {
        let as_of = self.updated.as_ref().unwrap_or(&self.date);
        as_of.ends_before(&self.events[event].date).then_some(as_of)
    }
}

/// The facts an infobox shows; which ones apply depends on the kind.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub role: Option<String>,
    pub org_type: Option<String>,
    pub country: Option<String>,
    pub born: Option<Date>,
    pub died: Option<Date>,
    pub founded: Option<Date>,
    /// A path under `static/`.
    pub image: Option<String>,
    /// Label → URL, in the order written.
    pub links: Vec<(String, String)>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A position a person holds or held: an entry of `affiliations`.
#[derive(Debug, Clone, PartialEq)]
pub struct Affiliation {
    /// The organisation, as written.
    pub org: Reference,
    pub role: Option<String>,
    pub from: Option<Date>,
    /// `None`: the position is held still (or was until the person died).
    pub until: Option<Date>,
    /// A URL backing the entry.
    pub source: Option<String>,
}

/// A typed tie from the profile's entity to another actor: an entry of
/// `relations` ("son of", "supplies arms to").
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub with: Reference,
    /// `kind: organization` on the entry: the kind of the stub made if
    /// nothing matches.
    pub with_kind: Option<EntityKind>,
    /// Free text, as written: `son of`.
    pub label: String,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub source: Option<String>,
}

/// A person, organisation, topic or place defined by its own file.
#[derive(Debug, Clone)]
pub struct Profile {
    pub source: SourceFile,
    pub kind: EntityKind,
    /// The file stem, slugified: `kim-jong-un`.
    pub id: String,
    /// `name`, or `title` for topics.
    pub name: String,
    pub aliases: Vec<String>,
    /// As written; without one, the body's first paragraph is shown.
    pub summary: Option<String>,
    pub facts: Facts,
    /// Topics only: `related` topic references.
    pub related: Vec<Reference>,
    /// People only: positions in organisations.
    pub affiliations: Vec<Affiliation>,
    /// People and organisations: typed ties to other actors.
    pub relations: Vec<Relation>,
    pub autolink: bool,
    pub extra: serde_yaml::Value,
    pub body: String,
}

/// A free page such as "About".
#[derive(Debug, Clone)]
pub struct Page {
    pub source: SourceFile,
    pub title: String,
    pub slug: String,
    /// As written; without one, the body's first paragraph is shown.
    pub summary: Option<String>,
    pub draft: bool,
    pub extra: serde_yaml::Value,
    pub body: String,
}

/// A draft brief or page left out of the build: kept only so that a link
/// to it can say it is a draft rather than that nothing is there.
#[derive(Debug, Clone)]
pub struct Draft {
    pub path: PathBuf,
    pub title: String,
    pub slug: String,
}

/// Everything under `content/`, sorted by file path.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub briefs: Vec<Brief>,
    pub profiles: Vec<Profile>,
    pub pages: Vec<Page>,
    /// Drafts left out (empty with `--drafts`).
    pub drafts: Vec<Draft>,
    /// The files that failed to load. Their errors already say what is
    /// wrong, so references and links to them are not reported again.
    pub failed: Vec<FailedFile>,
}

impl Model {
    /// The briefs' Markdown bodies, leaving them empty: the render phase
    /// renders each and frees it.
    pub fn take_brief_bodies(&mut self) -> Vec<String> {
        (self.briefs.iter_mut())
            .map(|b| std::mem::take(&mut b.body))
            .collect()
    }

    /// Frees the Markdown bodies of profiles and pages and the front matter
    /// of every file (the briefs' bodies are gone already). The render phase
    /// calls it once bodies are rendered and every warning about the front
    /// matter is made: pages need only the rendered HTML.
    pub fn release_text(&mut self) {
        fn release(source: &mut SourceFile, body: &mut String) {
            *body = String::new();
            source.front_matter = String::new();
        }
        for brief in &mut self.briefs {
            release(&mut brief.source, &mut brief.body);
        }
        for profile in &mut self.profiles {
            release(&mut profile.source, &mut profile.body);
        }
        for page in &mut self.pages {
            release(&mut page.source, &mut page.body);
        }
    }
}

/// A content file that failed to load.
#[derive(Debug, Clone)]
pub struct FailedFile {
    pub path: PathBuf,
    /// The kind of profile, for a file under an entity folder.
    pub kind: Option<EntityKind>,
    /// The slug (brief, page) or id (profile) its file name gives.
    pub key: String,
    /// Its title, or name and aliases, where they could be read.
    pub names: Vec<String>,
    /// The references and wikilink targets it holds, where they could be
    /// read: the entities only it names are not "unreferenced".
    pub references: Vec<String>,
}

impl FailedFile {
    /// True if this file would have been the profile of `kind` with this id
    /// (by its file name), or with a name or alias that slugifies to it.
    pub fn would_define(&self, kind: EntityKind, id: &str) -> bool {
        self.kind == Some(kind)
            && (self.key == id || self.names.iter().any(|n| crate::text::slugify(n) == id))
    }
}
