//! Resolving references (SPEC §3): the strings in `actors`, `topics`,
//! `places`, `related` and events become entities.
//!
//! A reference is tried as an id, then as a name or alias (compared after
//! NFKC, case and white-space folding), then as the slug of the string used
//! as an id. Two matches are an error listing both; no match makes a stub
//! entity named by the string, which gets a page like a profile and is
//! reported once as a warning naming the file that would define it.

use std::collections::HashMap;
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::content::model::{EntityKind, FailedFile, Model, Reference, SourceFile};
use crate::diagnostics::{Diagnostic, Names};
use crate::text::{fold_name, slugify};

use super::{Entity, EntityIx};

/// The typo suggestion for each stub name (the profile name it is
/// probably a misspelling of, if any), kept between resolves of the same
/// profiles: `serve` resolves again after an edit of briefs, and looking
/// for the nearest of thousands of names is the slow part of resolving.
#[derive(Debug, Default)]
pub struct Suggestions(Mutex<HashMap<(Field, String), Option<String>>>);

impl Suggestions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Field, String), Option<String>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Which kinds a field may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `actors`: a person or an organisation.
    Actor,
    Topic,
    Place,
}

impl Field {
    fn kinds(self) -> &'static [EntityKind] {
        match self {
            Field::Actor => &[EntityKind::Person, EntityKind::Organization],
            Field::Topic => &[EntityKind::Topic],
            Field::Place => &[EntityKind::Place],
        }
    }
}

/// The outcome of looking a reference up among the profiles.
#[derive(Debug, Clone, PartialEq)]
enum Lookup {
    Found(EntityIx),
    Ambiguous(Vec<EntityIx>),
    Missing,
}

/// Ids and folded names of every entity, by kind.
pub(super) struct Index {
    ids: [FxHashMap<String, EntityIx>; 4],
    names: [FxHashMap<String, Vec<EntityIx>>; 4],
}

/// The three ways a reference can match, tried in this order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Stage {
    Id,
    Name,
    Slug,
}

impl Stage {
    pub(super) const ALL: [Stage; 3] = [Stage::Id, Stage::Name, Stage::Slug];

    /// The key this stage looks `text` up by.
    pub(super) fn key(self, text: &str) -> String {
        match self {
            Stage::Id => text.to_string(),
            Stage::Name => fold_name(text),
            Stage::Slug => slugify(text),
        }
    }
}

impl Index {
    pub(super) fn new(entities: &[Entity]) -> Index {
        let mut index = Index {
            ids: Default::default(),
            names: Default::default(),
        };
        for (ix, e) in entities.iter().enumerate() {
            index.add(ix, e);
        }
        index
    }

    fn add(&mut self, ix: EntityIx, e: &Entity) {
        let k = e.kind.index();
        self.ids[k].entry(e.id.clone()).or_insert(ix);
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            let list = self.names[k].entry(fold_name(name)).or_default();
            if !list.contains(&ix) {
                list.push(ix);
            }
        }
    }

    /// The entities of `kinds` that `key` (made by [`Stage::key`]) matches
    /// at one stage.
    pub(super) fn matches(&self, kinds: &[EntityKind], stage: Stage, key: &str) -> Vec<EntityIx> {
        let mut found = Vec::new();
        for k in kinds {
            match stage {
                Stage::Id | Stage::Slug => found.extend(self.ids[k.index()].get(key)),
                Stage::Name => found.extend(self.names[k.index()].get(key).into_iter().flatten()),
            }
        }
        found
    }

    fn lookup(&self, field: Field, text: &str) -> Lookup {
        for stage in Stage::ALL {
            let matches = self.matches(field.kinds(), stage, &stage.key(text));
            match matches.len() {
                0 => continue,
                1 => return Lookup::Found(matches[0]),
                _ => return Lookup::Ambiguous(matches),
            }
        }
        Lookup::Missing
    }
}

/// Where a reference was written, for messages.
struct Site<'m> {
    source: &'m SourceFile,
    reference: &'m Reference,
    /// `kind:` given on an actor entry.
    kind_hint: Option<EntityKind>,
}

/// Resolves references against the profiles and creates stubs. Stubs are
/// appended to `entities`. What a reference's text comes to is kept,
/// because the same few names recur across thousands of briefs.
pub struct Resolver<'m> {
    index: Index,
    seen: FxHashMap<(Field, &'m str), Outcome>,
    /// Stubs waiting to be numbered, by field and slug: references that
    /// slugify alike share one stub.
    pending: Vec<(Field, String, Vec<Site<'m>>)>,
    pending_at: FxHashMap<(Field, String), usize>,
    first_stub: EntityIx,
    pub problems: Vec<Diagnostic>,
}

/// What the text of a reference comes to in one field.
#[derive(Debug, Clone)]
enum Outcome {
    Found(EntityIx),
    Ambiguous(Vec<EntityIx>),
    /// A stub waiting in `pending` at this position.
    Stub(usize),
    /// Text with no letter or digit, which cannot become a page.
    Unnamed,
}

/// Until stubs are numbered, a missing reference is remembered by its
/// position in `pending`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved {
    Entity(EntityIx),
    Stub(usize),
    Failed,
}

impl<'m> Resolver<'m> {
    pub fn new(entities: &[Entity]) -> Resolver<'m> {
        Resolver {
            index: Index::new(entities),
            seen: FxHashMap::default(),
            pending: Vec::new(),
            pending_at: FxHashMap::default(),
            first_stub: entities.len(),
            problems: Vec::new(),
        }
    }

    /// Resolves one reference written in `source`.
    pub fn resolve(
        &mut self,
        field: Field,
        reference: &'m Reference,
        kind_hint: Option<EntityKind>,
        source: &'m SourceFile,
        entities: &[Entity],
        model: &Model,
    ) -> Resolved {
        let text = reference.text.as_str();
        let outcome = match self.seen.get(&(field, text)) {
            Some(outcome) => outcome.clone(),
            None => {
                let outcome = self.look_up(field, text);
                self.seen.insert((field, text), outcome.clone());
                outcome
            }
        };
        match outcome {
            Outcome::Found(ix) => Resolved::Entity(ix),
            Outcome::Ambiguous(candidates) => {
                self.problems.push(ambiguous(
                    text,
                    &candidates,
                    reference,
                    source,
                    entities,
                    model,
                ));
                Resolved::Failed
            }
            Outcome::Unnamed => {
                self.problems.push(
                    source
                        .yaml()
                        .error_at(
                            "invalid-reference",
                            &reference.at.segs(),
                            format!("`{text}` names no entity and cannot become a page"),
                        )
                        .with_help(
                            "use letters or digits in the name, or the id of an existing profile",
                        ),
                );
                Resolved::Failed
            }
            Outcome::Stub(at) => {
                self.pending[at].2.push(Site {
                    source,
                    reference,
                    kind_hint,
                });
                Resolved::Stub(at)
            }
        }
    }

    /// What `text` comes to in `field`, the first time it is met: a
    /// profile, several, or a stub (new, or shared with text that
    /// slugifies alike).
    fn look_up(&mut self, field: Field, text: &str) -> Outcome {
        match self.index.lookup(field, text) {
            Lookup::Found(ix) => Outcome::Found(ix),
            Lookup::Ambiguous(candidates) => Outcome::Ambiguous(candidates),
            Lookup::Missing => {
                let slug = slugify(text);
                if slug.is_empty() {
                    return Outcome::Unnamed;
                }
                let at = *(self.pending_at.entry((field, slug.clone()))).or_insert_with(|| {
                    self.pending.push((field, slug, Vec::new()));
                    self.pending.len() - 1
                });
                Outcome::Stub(at)
            }
        }
    }

    /// Creates the stub entities (appending them to `entities`), warns once
    /// about each, and returns the entity index of every pending stub.
    pub fn create_stubs(
        &mut self,
        entities: &mut Vec<Entity>,
        failed: &[FailedFile],
        suggestions: &Suggestions,
    ) -> Vec<EntityIx> {
        let stubs: Vec<Entity> = (self.pending.iter())
            .map(|(field, slug, sites)| Entity {
                kind: stub_kind(*field, sites),
                id: slug.clone(),
                name: stub_name(slug, sites),
                aliases: Vec::new(),
                profile: None,
            })
            .collect();
        // Stubs join `entities` at the end, so the profiles can be borrowed
        // for typo suggestions meanwhile: the slow part, so in parallel, and
        // each stub name looked for once while the profiles stay the same.
        let missing: Vec<(Field, String)> = {
            let known = suggestions.lock();
            let mut missing: Vec<(Field, String)> = (self.pending.iter().zip(&stubs))
                .map(|((field, _, _), stub)| (*field, stub.name.clone()))
                .filter(|key| !known.contains_key(key))
                .collect();
            missing.sort_unstable_by(|a, b| (a.0 as u8, &a.1).cmp(&(b.0 as u8, &b.1)));
            missing.dedup();
            missing
        };
        if !missing.is_empty() {
            let profiles = &entities[..self.first_stub];
            let names: HashMap<Field, Names> = [Field::Actor, Field::Topic, Field::Place]
                .into_iter()
                .filter(|field| missing.iter().any(|m| m.0 == *field))
                .map(|field| (field, profile_names(field.kinds(), profiles)))
                .collect();
            let found: Vec<((Field, String), Option<String>)> = (missing.into_par_iter())
                .map(|(field, name)| {
                    let meant = names.get(&field).and_then(|n| n.nearest(&name));
                    let meant = meant.map(str::to_string);
                    ((field, name), meant)
                })
                .collect();
            suggestions.lock().extend(found);
        }
        let known = suggestions.lock();
        let known = &*known;
        let warnings: Vec<Diagnostic> = (self.pending.par_iter().zip(&stubs))
            // A stub whose profile has an error of its own: saying it is
            // missing too would only add noise.
            .filter(|((_, slug, _), stub)| !failed.iter().any(|f| f.would_define(stub.kind, slug)))
            .map(|((field, _, sites), stub)| {
                let meant = known.get(&(*field, stub.name.clone())).cloned().flatten();
                stub_warning(stub, sites, meant.as_deref())
            })
            .collect();
        self.problems.extend(warnings);
        let numbered = (self.first_stub..self.first_stub + stubs.len()).collect();
        entities.extend(stubs);
        numbered
    }

    /// The id of the stub at `position`.
    pub fn stub_entity(numbered: &[EntityIx], resolved: Resolved) -> Option<EntityIx> {
        match resolved {
            Resolved::Entity(ix) => Some(ix),
            Resolved::Stub(at) => Some(numbered[at]),
            Resolved::Failed => None,
        }
    }
}

/// The kind of a stub: an actor is a person unless a reference says it is
/// an organisation.
fn stub_kind(field: Field, sites: &[Site]) -> EntityKind {
    match field {
        Field::Actor
            if sites
                .iter()
                .any(|s| s.kind_hint == Some(EntityKind::Organization)) =>
        {
            EntityKind::Organization
        }
        Field::Actor => EntityKind::Person,
        Field::Topic => EntityKind::Topic,
        Field::Place => EntityKind::Place,
    }
}

/// The warning that `stub` has no profile, at its first reference, with
/// the profile name it was likely `meant` to be.
fn stub_warning(stub: &Entity, sites: &[Site], meant: Option<&str>) -> Diagnostic {
    let (kind, name, slug) = (stub.kind, &stub.name, &stub.id);
    let first = &sites[0];
    let file = format!("content/{}/{}.md", kind.folder(), slug);
    let key = if kind == EntityKind::Topic {
        "title"
    } else {
        "name"
    };
    let uses = if sites.len() == 1 {
        String::new()
    } else {
        format!(" (referenced {} times)", sites.len())
    };
    let warning = first.source.yaml().warning_at(
        if meant.is_some() {
            "likely-typo"
        } else {
            "stub"
        },
        &first.reference.at.segs(),
        format!(
            "no profile for `{name}`; made a stub {} page{uses}",
            kind.name()
        ),
    );
    match meant {
        Some(meant) => warning.with_help(format!(
            "did you mean `{meant}`? Correct the reference, or create `{file}` if `{name}` is someone else"
        )),
        None => warning.with_help(format!("create `{file}` with `{key}: {name}` to describe it, or correct the reference if it should match an existing profile")),
    }
}

/// The names and aliases of the profiles of `kinds`, for typo suggestions.
fn profile_names<'e>(kinds: &[EntityKind], profiles: &'e [Entity]) -> Names<'e> {
    Names::new(
        profiles
            .iter()
            .filter(|e| kinds.contains(&e.kind))
            .flat_map(|e| std::iter::once(&e.name).chain(&e.aliases))
            .map(String::as_str),
    )
}

/// The name a stub page shows: the first spelling written as a name rather
/// than as an id (`Louis Thomas`, not `louis-thomas`), or else the id with
/// its words capitalised.
fn stub_name(slug: &str, sites: &[Site]) -> String {
    let natural = sites
        .iter()
        .map(|s| s.reference.text.as_str())
        .find(|text| slugify(text) != *text);
    match natural {
        Some(text) => text.to_string(),
        None => slug
            .split('-')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn ambiguous(
    text: &str,
    candidates: &[EntityIx],
    reference: &Reference,
    source: &SourceFile,
    entities: &[Entity],
    model: &Model,
) -> Diagnostic {
    let describe = |ix: &EntityIx| {
        let e = &entities[*ix];
        match e.profile {
            Some(p) => format!(
                "{} `{}` ({})",
                e.kind.name(),
                e.name,
                model.profiles[p].source.path.display()
            ),
            None => format!("{} `{}`", e.kind.name(), e.name),
        }
    };
    let listed: Vec<String> = candidates.iter().map(describe).collect();
    let ids: Vec<String> = candidates
        .iter()
        .map(|ix| format!("`{}`", entities[*ix].id))
        .collect();
    source
        .yaml()
        .error_at(
            "ambiguous-reference",
            &reference.at.segs(),
            format!(
                "`{text}` matches more than one entity: {}",
                listed.join(" and ")
            ),
        )
        .with_help(format!(
            "write the id of the one you mean: {}",
            ids.join(" or ")
        ))
}
