//! The resolve phase: the typed [`Model`] → a [`Graph`] of entities and the
//! links between them.
//!
//! First every reference is resolved to an entity (creating stubs for names
//! no profile defines, see [`references`]); then the relations every page
//! shows are computed once, from indexes (see [`relations`]): the briefs and
//! events of each entity, its connections, the related briefs of each brief,
//! and the timeline. Later phases only read the graph.

pub mod backlinks;
pub mod lint;
pub mod references;
pub mod relations;
pub mod targets;

use rayon::prelude::*;

use crate::content::model::{EntityKind, Model};
use crate::diagnostics::Diagnostic;
pub use references::Suggestions;
use references::{Field, Resolved, Resolver};
pub use relations::{EventRef, Relations};

/// Index of an entity in [`Graph::entities`].
pub type EntityIx = usize;
/// Index of a brief in [`Model::briefs`] (and [`Graph::briefs`]).
pub type BriefIx = usize;

/// A person, organisation, topic or place: from a profile, or a stub.
#[derive(Debug, Clone)]
pub struct Entity {
    pub kind: EntityKind,
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// The profile in [`Model::profiles`]; `None` for a stub.
    pub profile: Option<usize>,
}

impl Entity {
    pub fn is_stub(&self) -> bool {
        self.profile.is_none()
    }
}

/// A brief's references, resolved. Each entity appears once per list.
#[derive(Debug, Clone, Default)]
pub struct ResolvedBrief {
    /// With the role given in this brief.
    pub actors: Vec<(EntityIx, Option<String>)>,
    pub topics: Vec<EntityIx>,
    pub places: Vec<EntityIx>,
    /// Parallel to the brief's `events`.
    pub events: Vec<ResolvedEvent>,
}

impl ResolvedBrief {
    /// Actors, topics and places, each once.
    pub fn entities(&self) -> impl Iterator<Item = EntityIx> + '_ {
        self.actors
            .iter()
            .map(|(e, _)| *e)
            .chain(self.topics.iter().copied())
            .chain(self.places.iter().copied())
    }
}

#[derive(Debug, Clone, Default)]
pub struct ResolvedEvent {
    pub place: Option<EntityIx>,
    pub actors: Vec<EntityIx>,
    pub topics: Vec<EntityIx>,
}

/// Everything the render phase needs to know about how pages link.
#[derive(Debug, Clone)]
pub struct Graph {
    /// Profiles first (in model order), then stubs.
    pub entities: Vec<Entity>,
    /// Parallel to [`Model::briefs`].
    pub briefs: Vec<ResolvedBrief>,
    /// Topics only: the declared `related` topics, parallel to `entities`.
    pub declared_related: Vec<Vec<EntityIx>>,
    pub relations: Relations,
    /// The entities of each kind (by [`EntityKind::index`]), sorted by name
    /// (then id) for index pages.
    by_kind: [Vec<EntityIx>; 4],
}

impl Graph {
    /// Entities of one kind, sorted by name (then id) for index pages.
    pub fn entities_of(&self, kind: EntityKind) -> &[EntityIx] {
        &self.by_kind[kind.index()]
    }
}

/// Every entity sorted by folded name, then id (then index, so the order
/// is total): index pages list each kind in this order, and connection
/// lists break ties by it.
fn by_name(entities: &[Entity]) -> Vec<EntityIx> {
    let folded: Vec<String> = (entities.par_iter())
        .map(|e| crate::text::fold_name(&e.name))
        .collect();
    let mut order: Vec<EntityIx> = (0..entities.len()).collect();
    order.par_sort_unstable_by(|&a, &b| {
        (&folded[a], &entities[a].id, a).cmp(&(&folded[b], &entities[b].id, b))
    });
    order
}

/// The entities of each kind, in `name_order`.
fn split_by_kind(name_order: &[EntityIx], entities: &[Entity]) -> [Vec<EntityIx>; 4] {
    let mut by_kind: [Vec<EntityIx>; 4] = Default::default();
    for &e in name_order {
        by_kind[entities[e].kind.index()].push(e);
    }
    by_kind
}

/// Resolves every reference in the model and computes the relations.
pub fn resolve(model: &Model) -> (Graph, Vec<Diagnostic>) {
    resolve_with(model, &Suggestions::default())
}

/// [`resolve`], reusing the typo suggestions of an earlier resolve of the
/// same profiles (`serve`).
pub fn resolve_with(model: &Model, suggestions: &Suggestions) -> (Graph, Vec<Diagnostic>) {
    let mut entities: Vec<Entity> = model
        .profiles
        .iter()
        .enumerate()
        .map(|(i, p)| Entity {
            kind: p.kind,
            id: p.id.clone(),
            name: p.name.clone(),
            aliases: p.aliases.clone(),
            profile: Some(i),
        })
        .collect();
    let mut resolver = Resolver::new(&entities);

    // Pass 1: look every reference up, remembering misses as pending stubs.
    let mut pending_briefs = Vec::with_capacity(model.briefs.len());
    for brief in &model.briefs {
        let s = &brief.source;
        let mut one = |field, r, hint| resolver.resolve(field, r, hint, s, &entities, model);
        let actors: Vec<(Resolved, Option<String>)> = brief
            .actors
            .iter()
            .map(|a| (one(Field::Actor, &a.reference, a.kind), a.role.clone()))
            .collect();
        let topics: Vec<Resolved> = brief
            .topics
            .iter()
            .map(|r| one(Field::Topic, r, None))
            .collect();
        let places: Vec<Resolved> = brief
            .places
            .iter()
            .map(|r| one(Field::Place, r, None))
            .collect();
        let events: Vec<(Option<Resolved>, Vec<Resolved>, Vec<Resolved>)> = brief
            .events
            .iter()
            .map(|ev| {
                (
                    ev.place.as_ref().map(|r| one(Field::Place, r, None)),
                    ev.actors
                        .iter()
                        .map(|r| one(Field::Actor, r, None))
                        .collect(),
                    ev.topics
                        .iter()
                        .map(|r| one(Field::Topic, r, None))
                        .collect(),
                )
            })
            .collect();
        pending_briefs.push((actors, topics, places, events));
    }
    let pending_related: Vec<Vec<Resolved>> = model
        .profiles
        .iter()
        .map(|p| {
            p.related
                .iter()
                .map(|r| resolver.resolve(Field::Topic, r, None, &p.source, &entities, model))
                .collect()
        })
        .collect();

    // Pass 2: number the stubs and turn every result into an entity index.
    let numbered = resolver.create_stubs(&mut entities, &model.failed, suggestions);
    let to_ix = |r: &Resolved| Resolver::stub_entity(&numbered, *r);
    let briefs: Vec<ResolvedBrief> = pending_briefs
        .iter()
        .map(|(actors, topics, places, events)| {
            let mut out = ResolvedBrief::default();
            for (r, role) in actors {
                let Some(e) = to_ix(r) else { continue };
                match out.actors.iter_mut().find(|(x, _)| *x == e) {
                    Some((_, existing)) if existing.is_none() => *existing = role.clone(),
                    Some(_) => {}
                    None => out.actors.push((e, role.clone())),
                }
            }
            out.topics = unique(topics.iter().filter_map(to_ix));
            out.places = unique(places.iter().filter_map(to_ix));
            out.events = events
                .iter()
                .map(|(place, actors, topics)| ResolvedEvent {
                    place: place.as_ref().and_then(to_ix),
                    actors: unique(actors.iter().filter_map(to_ix)),
                    topics: unique(topics.iter().filter_map(to_ix)),
                })
                .collect();
            out
        })
        .collect();
    let mut declared_related = vec![Vec::new(); entities.len()];
    for (profile_ix, related) in pending_related.iter().enumerate() {
        // Profiles are the first entities, in the same order.
        declared_related[profile_ix] = unique(
            related
                .iter()
                .filter_map(to_ix)
                .filter(|&t| t != profile_ix),
        );
    }
    let name_order = by_name(&entities);
    let relations = relations::compute(model, &entities, &briefs, &name_order);
    let problems = std::mem::take(&mut resolver.problems);
    (
        Graph {
            by_kind: split_by_kind(&name_order, &entities),
            entities,
            briefs,
            declared_related,
            relations,
        },
        problems,
    )
}

/// The items in first-seen order, each once.
fn unique(items: impl Iterator<Item = EntityIx>) -> Vec<EntityIx> {
    let mut out: Vec<EntityIx> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}
