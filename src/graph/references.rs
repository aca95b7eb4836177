//! Resolving references (SPEC §3): the strings in `actors`, `topics`,
//! `places`, `related` and events become entities.
//!
//! A reference is tried as an id, then as a name or alias (compared after
//! NFKC, case and white-space folding), then as the slug of the string used
//! as an id. Two matches are an error listing both; no match makes a stub
//! entity named by the string, which gets a page like a profile and is
//! reported once as a warning naming the file that would define it.
//!
//! [`Lookups`] keeps where every reference led and every stub's
//! references, so that `serve` can look up only an edited brief's
//! references again and still number the stubs as a full resolve does.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::content::model::{EntityKind, Model, Reference, SourceFile};
use crate::diagnostics::{Diagnostic, Names};
use crate::text::{fold_name, slugify};

use super::{Entity, EntityIx};

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

/// Who wrote a reference: a brief, or a profile (its `related` topics,
/// affiliations and relations).
/// Briefs come first, in model order, then profiles: stubs are numbered
/// in the order of their first reference in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Writer {
    Brief(usize),
    Profile(usize),
}

/// One reference, as the resolver reads it.
#[derive(Clone, Copy)]
struct Written<'m> {
    field: Field,
    reference: &'m Reference,
    /// `kind:` given on an actor entry.
    kind_hint: Option<EntityKind>,
}

fn written<'m>(field: Field) -> impl Fn(&'m Reference) -> Written<'m> {
    move |reference| Written {
        field,
        reference,
        kind_hint: None,
    }
}

/// Every reference `writer` makes, in the order they are resolved: a
/// brief's actors, topics and places, then each event's place, actors and
/// topics; a profile's related topics, then the organisation of each of
/// its affiliations, then the other end of each of its relations.
fn references_of(model: &Model, writer: Writer) -> Box<dyn Iterator<Item = Written<'_>> + '_> {
    match writer {
        Writer::Profile(p) => {
            let profile = &model.profiles[p];
            let orgs = profile.affiliations.iter().map(|a| Written {
                field: Field::Actor,
                reference: &a.org,
                kind_hint: Some(EntityKind::Organization),
            });
            let others = profile.relations.iter().map(|r| Written {
                field: Field::Actor,
                reference: &r.with,
                kind_hint: r.with_kind,
            });
            Box::new(
                (profile.related.iter().map(written(Field::Topic)))
                    .chain(orgs)
                    .chain(others),
            )
        }
        Writer::Brief(b) => {
            let brief = &model.briefs[b];
            let actors = brief.actors.iter().map(|a| Written {
                field: Field::Actor,
                reference: &a.reference,
                kind_hint: a.kind,
            });
            let events = brief.events.iter().flat_map(|ev| {
                (ev.place.iter().map(written(Field::Place)))
                    .chain(ev.actors.iter().map(written(Field::Actor)))
                    .chain(ev.topics.iter().map(written(Field::Topic)))
            });
            Box::new(
                actors
                    .chain(brief.topics.iter().map(written(Field::Topic)))
                    .chain(brief.places.iter().map(written(Field::Place)))
                    .chain(events),
            )
        }
    }
}

fn source_of(model: &Model, writer: Writer) -> &SourceFile {
    match writer {
        Writer::Brief(b) => &model.briefs[b].source,
        Writer::Profile(p) => &model.profiles[p].source,
    }
}

/// What one reference came to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Looked {
    Entity(EntityIx),
    /// A stub, by its place in [`Lookups`] (numbered once every reference
    /// is known).
    Stub(StubId),
    /// An error, reported where the reference is written.
    Failed,
}

/// A stub's place in [`Lookups`], which stays while `serve` runs (its
/// entity index does not: stubs are numbered by first reference).
pub type StubId = usize;

/// What a reference's text came to in one field, the first time it is met.
#[derive(Debug, Clone)]
enum Outcome {
    Found(EntityIx),
    Ambiguous(Vec<EntityIx>),
    /// No profile: a stub.
    Missing,
    /// Text with no letter or digit, which cannot become a page.
    Unnamed,
}

/// A reference to a stub: who wrote it, where among their references, and
/// whether it says `kind: organization`.
#[derive(Debug, Clone, Copy)]
struct StubSite {
    writer: Writer,
    position: usize,
    organisation: bool,
}

impl StubSite {
    fn order(&self) -> (Writer, usize) {
        (self.writer, self.position)
    }
}

/// A name no profile defines, and every reference to it.
struct Stub {
    field: Field,
    slug: String,
    /// In resolve order. A stub left without references is gone; its slot
    /// stays, should it come back.
    sites: Vec<StubSite>,
    /// Made again whenever `sites` change.
    entity: Entity,
    warning: Option<Diagnostic>,
    /// The profile name this one is likely a typo of, once looked for: it
    /// depends only on the name and the profiles, which stay.
    meant: Option<(String, Option<String>)>,
    changed: bool,
}

/// Where every reference of the site led: the first half of resolving.
/// Kept by `serve`, so that after an edit of a brief only that brief's
/// references are looked up again ([`Lookups::update`]).
pub struct Lookups {
    index: Index,
    /// The profiles' entities, the names typo suggestions come from.
    profiles: Vec<Entity>,
    briefs: usize,
    /// For each writer (briefs, then profiles): what its references came
    /// to, in [`references_of`] order, and the errors they raised.
    looked: Vec<Vec<Looked>>,
    errors: Vec<Vec<Diagnostic>>,
    stubs: Vec<Stub>,
    stub_at: FxHashMap<(Field, String), StubId>,
    /// The stubs there are, in the order they are numbered.
    order: Vec<StubId>,
    /// Each stub's entity index (`None` while it is gone).
    numbers: Vec<Option<EntityIx>>,
}

impl Lookups {
    /// Looks up every reference of `model` among `profiles` (the profiles'
    /// entities, in model order) and makes the stubs.
    pub fn new(model: &Model, profiles: &[Entity]) -> Lookups {
        let writers: Vec<Writer> = ((0..model.briefs.len()).map(Writer::Brief))
            .chain((0..model.profiles.len()).map(Writer::Profile))
            .collect();
        let mut lookups = Lookups {
            index: Index::new(profiles),
            profiles: profiles.to_vec(),
            briefs: model.briefs.len(),
            looked: Vec::with_capacity(writers.len()),
            errors: Vec::with_capacity(writers.len()),
            stubs: Vec::new(),
            stub_at: FxHashMap::default(),
            order: Vec::new(),
            numbers: Vec::new(),
        };
        // In parallel, each thread remembering what each text came to: the
        // same few names recur across thousands of briefs.
        let found: Vec<_> = (writers.par_iter())
            .map_init(FxHashMap::default, |seen, &w| {
                lookups.look_up_writer(model, w, seen)
            })
            .collect();
        let mut stub_of_text = FxHashMap::default();
        for (&w, (references, errors)) in writers.iter().zip(found) {
            let looked = lookups.add_stub_sites(w, &references, &mut stub_of_text);
            lookups.looked.push(looked);
            lookups.errors.push(errors);
        }
        lookups.finish(model);
        lookups
    }

    /// Looks up the references of the briefs `changed` again, after an
    /// edit (the profiles and the set of briefs are as before).
    pub fn update(&mut self, model: &Model, changed: &[usize]) {
        for &b in changed {
            let w = Writer::Brief(b);
            for looked in std::mem::take(&mut self.looked[b]) {
                if let Looked::Stub(id) = looked {
                    let stub = &mut self.stubs[id];
                    stub.sites.retain(|s| s.writer != w);
                    stub.changed = true;
                }
            }
            let (references, errors) = self.look_up_writer(model, w, &mut FxHashMap::default());
            self.looked[b] = self.add_stub_sites(w, &references, &mut FxHashMap::default());
            self.errors[b] = errors;
        }
        self.finish(model);
    }

    /// What each of the references of `writer` comes to among the
    /// profiles (`None`: a stub), with the errors they raise.
    fn look_up_writer<'m>(
        &self,
        model: &'m Model,
        writer: Writer,
        seen: &mut FxHashMap<(Field, &'m str), Outcome>,
    ) -> (Vec<(Written<'m>, Option<Looked>)>, Vec<Diagnostic>) {
        let source = source_of(model, writer);
        let mut errors = Vec::new();
        let references = references_of(model, writer)
            .map(|w| {
                let text = w.reference.text.as_str();
                let outcome = seen
                    .entry((w.field, text))
                    .or_insert_with(|| self.look_up(w.field, text));
                let looked = match outcome {
                    Outcome::Found(ix) => Some(Looked::Entity(*ix)),
                    Outcome::Missing => None,
                    Outcome::Ambiguous(candidates) => {
                        errors.push(ambiguous(
                            text,
                            candidates,
                            w.reference,
                            source,
                            &self.profiles,
                            model,
                        ));
                        Some(Looked::Failed)
                    }
                    Outcome::Unnamed => {
                        errors.push(unnamed(text, w.reference, source));
                        Some(Looked::Failed)
                    }
                };
                (w, looked)
            })
            .collect();
        (references, errors)
    }

    /// What `text` comes to in `field` among the profiles.
    fn look_up(&self, field: Field, text: &str) -> Outcome {
        match self.index.lookup(field, text) {
            Lookup::Found(ix) => Outcome::Found(ix),
            Lookup::Ambiguous(candidates) => Outcome::Ambiguous(candidates),
            Lookup::Missing if slugify(text).is_empty() => Outcome::Unnamed,
            Lookup::Missing => Outcome::Missing,
        }
    }

    /// Turns the missing references of `writer` into references to stubs
    /// (references whose text slugifies alike share one), recording where
    /// each stub is referenced.
    fn add_stub_sites<'m>(
        &mut self,
        writer: Writer,
        references: &[(Written<'m>, Option<Looked>)],
        stub_of_text: &mut FxHashMap<(Field, &'m str), StubId>,
    ) -> Vec<Looked> {
        let mut looked = Vec::with_capacity(references.len());
        for (position, (w, found)) in references.iter().enumerate() {
            if let Some(found) = found {
                looked.push(*found);
                continue;
            }
            let text = w.reference.text.as_str();
            let id = match stub_of_text.get(&(w.field, text)) {
                Some(&id) => id,
                None => {
                    let id = self.stub_for(w.field, slugify(text));
                    stub_of_text.insert((w.field, text), id);
                    id
                }
            };
            let site = StubSite {
                writer,
                position,
                organisation: w.kind_hint == Some(EntityKind::Organization),
            };
            let stub = &mut self.stubs[id];
            let at = (stub.sites).partition_point(|s| s.order() < site.order());
            stub.sites.insert(at, site);
            stub.changed = true;
            looked.push(Looked::Stub(id));
        }
        looked
    }

    /// The stub of `slug` in `field`, made if there is none yet.
    fn stub_for(&mut self, field: Field, slug: String) -> StubId {
        let id = self.stubs.len();
        let known = *self.stub_at.entry((field, slug.clone())).or_insert(id);
        if known != id {
            return known;
        }
        self.stubs.push(Stub {
            field,
            entity: Entity {
                kind: field.kinds()[0],
                id: slug.clone(),
                name: String::new(),
                aliases: Vec::new(),
                profile: None,
            },
            slug,
            sites: Vec::new(),
            warning: None,
            meant: None,
            changed: true,
        });
        id
    }

    /// Makes each stub whose references changed again (its entity, typo
    /// suggestion and warning), and numbers the stubs.
    fn finish(&mut self, model: &Model) {
        let changed: Vec<StubId> = (0..self.stubs.len())
            .filter(|&id| self.stubs[id].changed && !self.stubs[id].sites.is_empty())
            .collect();
        for &id in &changed {
            let stub = &mut self.stubs[id];
            let spellings = (stub.sites.iter()).filter_map(|s| reference_at(model, s));
            stub.entity.kind = stub_kind(stub.field, &stub.sites);
            stub.entity.name = stub_name(&stub.slug, spellings.map(|r| r.text.as_str()));
        }
        self.suggest(&changed);
        let warnings: Vec<(StubId, Option<Diagnostic>)> = (changed.par_iter())
            .map(|&id| (id, self.warning(model, &self.stubs[id])))
            .collect();
        for (id, warning) in warnings {
            self.stubs[id].warning = warning;
        }
        for stub in &mut self.stubs {
            stub.changed = false;
        }
        self.order = (0..self.stubs.len())
            .filter(|&id| !self.stubs[id].sites.is_empty())
            .collect();
        let stubs = &self.stubs;
        self.order.sort_by_key(|&id| stubs[id].sites[0].order());
        self.numbers = vec![None; self.stubs.len()];
        for (rank, &id) in self.order.iter().enumerate() {
            self.numbers[id] = Some(self.profiles.len() + rank);
        }
    }

    /// Looks for the profile name each of the stubs `ids` likely misspells,
    /// where its name is new: the slow part of resolving, so in parallel.
    fn suggest(&mut self, ids: &[StubId]) {
        let missing: Vec<StubId> = (ids.iter().copied())
            .filter(|&id| {
                let stub = &self.stubs[id];
                stub.meant
                    .as_ref()
                    .is_none_or(|(name, _)| *name != stub.entity.name)
            })
            .collect();
        if missing.is_empty() {
            return;
        }
        let names: HashMap<Field, Names> = [Field::Actor, Field::Topic, Field::Place]
            .into_iter()
            .filter(|field| missing.iter().any(|&id| self.stubs[id].field == *field))
            .map(|field| (field, profile_names(field.kinds(), &self.profiles)))
            .collect();
        let found: Vec<(StubId, Option<String>)> = (missing.par_iter())
            .map(|&id| {
                let stub = &self.stubs[id];
                let meant = names
                    .get(&stub.field)
                    .and_then(|n| n.nearest(&stub.entity.name));
                (id, meant.map(str::to_string))
            })
            .collect();
        for (id, meant) in found {
            let stub = &mut self.stubs[id];
            stub.meant = Some((stub.entity.name.clone(), meant));
        }
    }

    /// The warning that a stub has no profile, unless a file that failed
    /// to load would have been its profile (saying it is missing too would
    /// only add noise).
    fn warning(&self, model: &Model, stub: &Stub) -> Option<Diagnostic> {
        let failed = (model.failed.iter()).any(|f| f.would_define(stub.entity.kind, &stub.slug));
        let first = stub.sites.first()?;
        let reference = reference_at(model, first)?;
        let meant = stub.meant.as_ref().and_then(|(_, m)| m.as_deref());
        let source = source_of(model, first.writer);
        (!failed).then(|| stub_warning(&stub.entity, source, reference, stub.sites.len(), meant))
    }

    /// The stubs' entities, in the order they are numbered (after the
    /// profiles).
    pub fn stubs(&self) -> impl Iterator<Item = &Entity> {
        self.order.iter().map(|&id| &self.stubs[id].entity)
    }

    /// The stubs there are, in the order they are numbered.
    pub fn stub_order(&self) -> &[StubId] {
        &self.order
    }

    /// The entity a reference came to, if any.
    pub fn entity(&self, looked: Looked) -> Option<EntityIx> {
        match looked {
            Looked::Entity(ix) => Some(ix),
            Looked::Stub(id) => self.numbers[id],
            Looked::Failed => None,
        }
    }

    /// The stub's entity index, while there is such a stub.
    pub fn stub_entity(&self, id: StubId) -> Option<EntityIx> {
        self.numbers[id]
    }

    /// What each reference of brief `b` came to, in resolve order.
    pub fn of_brief(&self, b: usize) -> &[Looked] {
        &self.looked[b]
    }

    /// What each reference of profile `p` came to, in resolve order:
    /// `related`, then `affiliations`, then `relations`.
    pub fn of_profile(&self, p: usize) -> &[Looked] {
        &self.looked[self.briefs + p]
    }

    /// Every problem of resolving: the errors of each reference in resolve
    /// order, then a warning per stub.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let errors = self.errors.iter().flatten();
        let warnings = (self.order.iter()).filter_map(|&id| self.stubs[id].warning.as_ref());
        errors.chain(warnings).cloned().collect()
    }
}

/// The reference written at `site`.
fn reference_at<'m>(model: &'m Model, site: &StubSite) -> Option<&'m Reference> {
    (references_of(model, site.writer).nth(site.position)).map(|w| w.reference)
}

fn unnamed(text: &str, reference: &Reference, source: &SourceFile) -> Diagnostic {
    source
        .yaml()
        .error_at(
            "invalid-reference",
            &reference.at.segs(),
            format!("`{text}` names no entity and cannot become a page"),
        )
        .with_help("use letters or digits in the name, or the id of an existing profile")
}

/// The kind of a stub: an actor is a person unless a reference says it is
/// an organisation.
fn stub_kind(field: Field, sites: &[StubSite]) -> EntityKind {
    match field {
        Field::Actor if sites.iter().any(|s| s.organisation) => EntityKind::Organization,
        Field::Actor => EntityKind::Person,
        Field::Topic => EntityKind::Topic,
        Field::Place => EntityKind::Place,
    }
}

/// The warning that `stub` has no profile, at its first reference (of
/// `uses`), with the profile name it was likely `meant` to be.
fn stub_warning(
    stub: &Entity,
    source: &SourceFile,
    first: &Reference,
    uses: usize,
    meant: Option<&str>,
) -> Diagnostic {
    let (kind, name, slug) = (stub.kind, &stub.name, &stub.id);
    let file = format!("content/{}/{}.md", kind.folder(), slug);
    let key = if kind == EntityKind::Topic {
        "title"
    } else {
        "name"
    };
    let uses = if uses == 1 {
        String::new()
    } else {
        format!(" (referenced {uses} times)")
    };
    let warning = source.yaml().warning_at(
        if meant.is_some() {
            "likely-typo"
        } else {
            "stub"
        },
        &first.at.segs(),
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
fn stub_name<'a>(slug: &str, mut spellings: impl Iterator<Item = &'a str>) -> String {
    let natural = spellings.find(|text| slugify(text) != *text);
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
    let mut ids: Vec<&str> = candidates
        .iter()
        .map(|ix| entities[*ix].id.as_str())
        .collect();
    ids.dedup();
    // Profiles of two kinds may share an id: then only the kind tells them
    // apart.
    let help = if ids.len() == 1 {
        format!(
            "they share the id `{}` (a profile's id is its file name): rename one of the files, e.g. `{}-agency.md`, and refer to it by its new id",
            ids[0], ids[0]
        )
    } else {
        let quoted: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
        format!("write the id of the one you mean: {}", quoted.join(" or "))
    };
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
        .with_help(help)
}
