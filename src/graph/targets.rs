//! What a link in a Markdown body can point at (SPEC §5), and how to find
//! it: wikilinks by the reference rules (id, then name or alias, then slug)
//! over every entity and brief, links to source files by their path, and
//! the names autolinking looks for. Made once per build (the lookup tables
//! on the first link that needs them), read by every body as it renders.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, Input, MatchKind};

use crate::content::model::{Draft, EntityKind, Model};
use crate::diagnostics::Names;
use crate::text::{fold_name, slugify};

use super::references::{Index, Stage};
use super::{BriefIx, EntityIx, Graph};

/// A page a body can link to. Each content file is one: a profile is the
/// page of its entity (profiles are the first entities, in model order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Brief(BriefIx),
    Entity(EntityIx),
    /// A free page, by its index in [`Model::pages`].
    Page(usize),
}

/// The outcome of looking a wikilink or a file link up.
#[derive(Debug, Clone)]
pub enum Found<'m> {
    Target(Target),
    Ambiguous(Vec<Target>),
    /// A draft, left out of this build.
    Draft(&'m Draft),
    /// A file that failed to load: its own error already says why, so a
    /// link to it is not reported again.
    Broken,
    Missing,
}

/// The kinds a wikilink may name: every kind, or the one its folder prefix
/// (`[[people/kim-jong-un]]`) picks.
#[derive(Debug, Clone, Copy)]
struct Scope {
    briefs: bool,
    kinds: &'static [EntityKind],
}

const EVERY_KIND: &[EntityKind] = &EntityKind::ALL;

/// Every way a body can name a page.
pub struct LinkTargets<'m> {
    model: &'m Model,
    graph: &'m Graph,
    /// Made for the first wikilink or link to a file: most bodies have
    /// none (and `serve` often renders only one body).
    indexes: OnceLock<Indexes<'m>>,
    /// Names for "did you mean": entity names and aliases, brief titles;
    /// folded on the first unresolved link.
    suggestions: OnceLock<Names<'m>>,
    pub autolinker: Arc<Autolinker>,
}

/// The pages a wikilink or a link to a file may find.
struct Indexes<'m> {
    entities: Index,
    brief_slugs: HashMap<&'m str, BriefIx>,
    brief_titles: HashMap<String, Vec<BriefIx>>,
    /// Content files by their path from the site root.
    files: HashMap<&'m Path, Target>,
    draft_files: HashMap<&'m Path, &'m Draft>,
    draft_names: HashMap<String, &'m Draft>,
    broken_files: HashSet<&'m Path>,
    /// The slug or id each broken file would have had, by its file name,
    /// and its title, name and aliases as slugs, where they could be read.
    broken_names: HashSet<String>,
}

impl<'m> Indexes<'m> {
    fn new(model: &'m Model, graph: &'m Graph) -> Indexes<'m> {
        let mut brief_titles: HashMap<String, Vec<BriefIx>> = HashMap::new();
        for (ix, b) in model.briefs.iter().enumerate() {
            brief_titles
                .entry(fold_name(&b.title))
                .or_default()
                .push(ix);
        }
        let mut files: HashMap<&Path, Target> = HashMap::new();
        files.extend(
            (model.briefs.iter().enumerate())
                .map(|(i, b)| (b.source.path.as_path(), Target::Brief(i))),
        );
        files.extend(
            (model.profiles.iter().enumerate())
                .map(|(i, p)| (p.source.path.as_path(), Target::Entity(i))),
        );
        files.extend(
            (model.pages.iter().enumerate())
                .map(|(i, p)| (p.source.path.as_path(), Target::Page(i))),
        );
        let mut draft_names = HashMap::new();
        for d in &model.drafts {
            draft_names.insert(d.slug.clone(), d);
            draft_names.insert(fold_name(&d.title), d);
        }
        Indexes {
            entities: Index::new(&graph.entities),
            brief_slugs: (model.briefs.iter().enumerate())
                .map(|(i, b)| (b.slug.as_str(), i))
                .collect(),
            brief_titles,
            files,
            draft_files: model.drafts.iter().map(|d| (d.path.as_path(), d)).collect(),
            draft_names,
            broken_files: model.failed.iter().map(|f| f.path.as_path()).collect(),
            broken_names: (model.failed.iter())
                .flat_map(|f| {
                    std::iter::once(f.key.clone()).chain(f.names.iter().map(|n| slugify(n)))
                })
                .collect(),
        }
    }
}

impl<'m> LinkTargets<'m> {
    pub fn new(model: &'m Model, graph: &'m Graph) -> LinkTargets<'m> {
        LinkTargets::with_autolinker(model, graph, Arc::new(Autolinker::new(model, graph)))
    }

    /// [`LinkTargets::new`] with an autolinker made before from the same
    /// entities (`serve`, after an edit that left them as they were).
    pub fn with_autolinker(
        model: &'m Model,
        graph: &'m Graph,
        autolinker: Arc<Autolinker>,
    ) -> LinkTargets<'m> {
        LinkTargets {
            model,
            graph,
            indexes: OnceLock::new(),
            suggestions: OnceLock::new(),
            autolinker,
        }
    }

    fn indexes(&self) -> &Indexes<'m> {
        (self.indexes).get_or_init(|| Indexes::new(self.model, self.graph))
    }

    /// Looks up the target of `[[target]]` (without label or anchor).
    pub fn wikilink(&self, text: &str) -> Found<'m> {
        let indexes = self.indexes();
        let (scope, name) = scope_of(text);
        let name = name.trim();
        for stage in Stage::ALL {
            let key = stage.key(name);
            let mut found: Vec<Target> = indexes
                .entities
                .matches(scope.kinds, stage, &key)
                .into_iter()
                .map(Target::Entity)
                .collect();
            if scope.briefs {
                match stage {
                    Stage::Id | Stage::Slug => found.extend(
                        indexes
                            .brief_slugs
                            .get(key.as_str())
                            .map(|&b| Target::Brief(b)),
                    ),
                    Stage::Name => found.extend(
                        (indexes.brief_titles.get(&key).into_iter().flatten())
                            .map(|&b| Target::Brief(b)),
                    ),
                }
            }
            found.dedup();
            match found.len() {
                0 => continue,
                1 => return Found::Target(found[0]),
                _ => return Found::Ambiguous(found),
            }
        }
        let draft = (indexes.draft_names.get(&slugify(name)))
            .or_else(|| indexes.draft_names.get(&fold_name(name)));
        match draft {
            Some(d) if scope.briefs => Found::Draft(d),
            _ if indexes.broken_names.contains(slugify(name).as_str()) => Found::Broken,
            _ => Found::Missing,
        }
    }

    /// Looks up a link to a source file, `path` as written in a body of the
    /// file `from` (both relative to the site root).
    pub fn file(&self, from: &Path, path: &str) -> (Found<'m>, PathBuf) {
        let joined = from.parent().unwrap_or(Path::new("")).join(path);
        let Some(normal) = normalize(&joined) else {
            return (Found::Missing, joined);
        };
        let indexes = self.indexes();
        let found = match indexes.files.get(normal.as_path()) {
            Some(t) => Found::Target(*t),
            None => match indexes.draft_files.get(normal.as_path()) {
                Some(d) => Found::Draft(d),
                None if indexes.broken_files.contains(normal.as_path()) => Found::Broken,
                None => Found::Missing,
            },
        };
        (found, normal)
    }

    /// What `wrong` probably meant: the entity name, alias or brief title
    /// it is a typo of; else the brief titles sharing most of its words
    /// (`Tiani declares himself head of the junta` for "… head of the
    /// CNSP"), at most two.
    pub fn suggest(&self, wrong: &str) -> Vec<&'m str> {
        let (_, name) = scope_of(wrong);
        let (model, graph) = (self.model, self.graph);
        let names = self.suggestions.get_or_init(|| {
            let entities =
                (graph.entities.iter()).flat_map(|e| std::iter::once(&e.name).chain(&e.aliases));
            Names::new(
                entities
                    .chain(model.briefs.iter().map(|b| &b.title))
                    .map(String::as_str),
            )
        });
        if let Some(near) = names.nearest(name) {
            return vec![near];
        }
        similar_titles(name, model.briefs.iter().map(|b| b.title.as_str()))
    }
}

/// The titles sharing most words with `wrong`: at least two, and at least
/// half of the words of both together; the best two, best first.
fn similar_titles<'m>(wrong: &str, titles: impl Iterator<Item = &'m str>) -> Vec<&'m str> {
    let words = |text: &str| -> HashSet<String> {
        fold_name(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let wanted = words(wrong);
    if wanted.len() < 2 {
        return Vec::new();
    }
    let mut scored: Vec<(usize, usize, &str)> = titles
        .filter_map(|title| {
            let have = words(title);
            let common = wanted.intersection(&have).count();
            let all = wanted.union(&have).count();
            (common >= 2 && common * 2 >= all).then_some((common * 1000 / all, common, title))
        })
        .collect();
    scored.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then_with(|| a.2.cmp(b.2)));
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(2).map(|(_, _, t)| t).collect()
}

/// A wikilink's target without the folder in front of it, if any:
/// `people/kim-jong-un` → `kim-jong-un`.
pub fn without_folder(text: &str) -> &str {
    scope_of(text).1
}

/// Splits a folder prefix off a wikilink: `people/kim-jong-un`.
fn scope_of(text: &str) -> (Scope, &str) {
    if let Some((folder, rest)) = text.split_once('/') {
        if folder == "briefs" {
            return (
                Scope {
                    briefs: true,
                    kinds: &[],
                },
                rest,
            );
        }
        for kind in EntityKind::ALL {
            if folder == kind.folder() {
                let kinds: &'static [EntityKind] = match kind {
                    EntityKind::Person => &[EntityKind::Person],
                    EntityKind::Organization => &[EntityKind::Organization],
                    EntityKind::Topic => &[EntityKind::Topic],
                    EntityKind::Place => &[EntityKind::Place],
                };
                return (
                    Scope {
                        briefs: false,
                        kinds,
                    },
                    rest,
                );
            }
        }
    }
    (
        Scope {
            briefs: true,
            kinds: EVERY_KIND,
        },
        text,
    )
}

/// `a/b/../c.md` → `a/c.md`; `None` when `..` climbs above the site root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Finds entity names and aliases in plain text: one automaton over every
/// name, built once per build (SPEC §5).
///
/// Names that must not become links are in the automaton too, matched and
/// then left as text: a profile's with `autolink: false`, and a spelling
/// shared by two entities. Matching them keeps the longest-match rule
/// whole: with Kim Jong Un's alias `Kim`, "Kim Yo Jong" is still her name
/// (not a link to him on `Kim`) even when she is not autolinked.
pub struct Autolinker {
    automaton: Option<AhoCorasick>,
    /// The entity each pattern links to; `None` for names left as text.
    entity_of: Vec<Option<EntityIx>>,
}

/// Who a spelling belongs to, while the patterns are gathered.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Owner {
    Linked(EntityIx),
    /// Opted out of autolinking, or shared by two entities.
    Nobody,
}

impl Autolinker {
    pub fn new(model: &Model, graph: &Graph) -> Autolinker {
        let mut owners: HashMap<String, Owner> = HashMap::new();
        for (ix, e) in graph.entities.iter().enumerate() {
            let opted_out = e.profile.is_some_and(|p| !model.profiles[p].autolink);
            let claim = if opted_out {
                Owner::Nobody
            } else {
                Owner::Linked(ix)
            };
            for name in std::iter::once(&e.name).chain(&e.aliases) {
                for spelling in spellings(name) {
                    let owner = owners.entry(spelling).or_insert(claim);
                    if *owner != claim {
                        // A spelling shared by two entities links to neither.
                        *owner = Owner::Nobody;
                    }
                }
            }
        }
        let mut patterns: Vec<(String, Option<EntityIx>)> = owners
            .into_iter()
            .map(|(name, owner)| match owner {
                Owner::Linked(e) => (name, Some(e)),
                Owner::Nobody => (name, None),
            })
            // One-letter names would link every initial.
            .filter(|(name, _)| name.chars().filter(|c| c.is_alphanumeric()).count() >= 2)
            .collect();
        patterns.sort();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|(name, _)| name))
            .ok()
            .filter(|_| patterns.iter().any(|(_, e)| e.is_some()));
        Autolinker {
            automaton,
            entity_of: patterns.into_iter().map(|(_, e)| e).collect(),
        }
    }

    /// Every whole-word mention in `text`, left to right, longest first.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, EntityIx)> {
        let mut found = Vec::new();
        let Some(automaton) = &self.automaton else {
            return found;
        };
        let mut from = 0;
        while from < text.len() {
            let Some(m) = automaton.find(Input::new(text).span(from..text.len())) else {
                break;
            };
            if is_whole_word(text, m.range()) {
                if let Some(entity) = self.entity_of[m.pattern().as_usize()] {
                    found.push((m.range(), entity));
                }
                from = m.end();
            } else {
                // Look again from the next character: a shorter name may
                // start later inside this match.
                from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        }
        found
    }
}

/// A name as written, and as smart punctuation prints it (`d’Ivoire`).
fn spellings(name: &str) -> Vec<String> {
    let name = name.trim().to_string();
    if name.contains('\'') {
        vec![name.replace('\'', "\u{2019}"), name]
    } else {
        vec![name]
    }
}

fn is_whole_word(text: &str, range: Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_relative_paths() {
        assert_eq!(
            normalize(Path::new("content/briefs/../people/./kim.md")),
            Some(PathBuf::from("content/people/kim.md"))
        );
        assert_eq!(normalize(Path::new("content/../../etc/passwd")), None);
    }

    #[test]
    fn whole_words_only() {
        assert!(is_whole_word("Putin's visit", 0..5));
        assert!(!is_whole_word("Putinism", 0..5));
        assert!(!is_whole_word("xPutin", 1..6));
        assert!(is_whole_word("(김정은)", 1..10));
    }
}
