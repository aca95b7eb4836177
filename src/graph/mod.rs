//! The resolve phase: the typed [`Model`] → a [`Graph`] of entities and the
//! links between them.
//!
//! First every reference is resolved to an entity (creating stubs for names
//! no profile defines, see [`references`]); then the relations every page
//! shows are computed once, from indexes (see [`relations`]): the briefs and
//! events of each entity, its connections, the related briefs of each brief,
//! and the timeline; and the ties profiles declare (see [`ties`]): positions
//! and typed relations. Later phases only read the graph.

pub mod backlinks;
pub mod lint;
pub mod references;
pub mod relations;
pub mod targets;
pub mod ties;
mod update;

use rayon::prelude::*;

use crate::content::model::{EntityKind, Model};
use crate::diagnostics::Diagnostic;
pub use references::Lookups;
pub use relations::{EventRef, Relations};
pub use update::update;

/// Index of an entity in [`Graph::entities`].
pub type EntityIx = usize;
/// Index of a brief in [`Model::briefs`] (and [`Graph::briefs`]).
pub type BriefIx = usize;

/// A person, organisation, topic or place: from a profile, or a stub.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedBrief {
    /// With the role given in this brief.
    pub actors: Vec<(EntityIx, Option<String>)>,
    pub topics: Vec<EntityIx>,
    pub places: Vec<EntityIx>,
    /// Parallel to the brief's `events`.
    pub events: Vec<ResolvedEvent>,
}

impl ResolvedBrief {
    /// The role the brief gives actor `e`, if it names one.
    pub fn role_of(&self, e: EntityIx) -> Option<&str> {
        let (_, role) = self.actors.iter().find(|(actor, _)| *actor == e)?;
        role.as_deref()
    }

    /// Actors, topics and places, each once.
    pub fn entities(&self) -> impl Iterator<Item = EntityIx> + '_ {
        self.actors
            .iter()
            .map(|(e, _)| *e)
            .chain(self.topics.iter().copied())
            .chain(self.places.iter().copied())
    }

    /// The topics event `event` belongs to: its own, or else the brief's
    /// (as the timeline, the entity pages and the exports count them).
    pub fn event_topics(&self, event: usize) -> &[EntityIx] {
        let own = &self.events[event].topics;
        if own.is_empty() { &self.topics } else { own }
    }

    /// Every entity the brief names, its events' included (maybe twice).
    pub fn everything_named(&self) -> impl Iterator<Item = EntityIx> + '_ {
        let events = self
            .events
            .iter()
            .flat_map(|ev| (ev.place.iter().chain(&ev.actors).chain(&ev.topics)).copied());
        self.entities().chain(events)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
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
    /// Positions and typed relations declared by profiles.
    pub ties: ties::Ties,
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
    let (graph, problems, _) = resolve_keeping(model);
    (graph, problems)
}

/// [`resolve`], also returning where each reference led, from which
/// [`update`] resolves again after an edit of briefs (`serve`).
pub fn resolve_keeping(model: &Model) -> (Graph, Vec<Diagnostic>, Lookups) {
    let profiles = profile_entities(model);
    let lookups = Lookups::new(model, &profiles);
    let mut entities = profiles;
    entities.extend(lookups.stubs().cloned());
    let briefs: Vec<ResolvedBrief> = (0..model.briefs.len())
        .into_par_iter()
        .map(|b| resolve_brief(model, &lookups, b))
        .collect();
    let declared_related = declared_related(model, &lookups, entities.len());
    let name_order = by_name(&entities);
    let relations = relations::compute(model, &entities, &briefs, &name_order);
    let graph = Graph {
        by_kind: split_by_kind(&name_order, &entities),
        ties: ties::compute(model, &lookups, entities.len()),
        entities,
        briefs,
        declared_related,
        relations,
    };
    (graph, lookups.problems(), lookups)
}

/// The profiles' entities: the first entities, in model order.
fn profile_entities(model: &Model) -> Vec<Entity> {
    (model.profiles.iter().enumerate())
        .map(|(i, p)| Entity {
            kind: p.kind,
            id: p.id.clone(),
            name: p.name.clone(),
            aliases: p.aliases.clone(),
            profile: Some(i),
        })
        .collect()
}

/// Brief `b`'s references as entities, from what [`Lookups`] found for
/// each (in its order: actors, topics, places, then each event's place,
/// actors and topics). An actor named twice keeps the first role given.
fn resolve_brief(model: &Model, lookups: &Lookups, b: BriefIx) -> ResolvedBrief {
    let brief = &model.briefs[b];
    let mut found = lookups.of_brief(b).iter().map(|&l| lookups.entity(l));
    let mut next = || found.next().flatten();
    let mut out = ResolvedBrief::default();
    for actor in &brief.actors {
        let Some(e) = next() else { continue };
        match out.actors.iter_mut().find(|(x, _)| *x == e) {
            Some((_, existing)) if existing.is_none() => *existing = actor.role.clone(),
            Some(_) => {}
            None => out.actors.push((e, actor.role.clone())),
        }
    }
    out.topics = unique(brief.topics.iter().filter_map(|_| next()));
    out.places = unique(brief.places.iter().filter_map(|_| next()));
    out.events = (brief.events.iter())
        .map(|ev| ResolvedEvent {
            place: ev.place.as_ref().and_then(|_| next()),
            actors: unique(ev.actors.iter().filter_map(|_| next())),
            topics: unique(ev.topics.iter().filter_map(|_| next())),
        })
        .collect();
    out
}

/// Each topic profile's declared `related` topics (itself left out),
/// parallel to the entities.
fn declared_related(model: &Model, lookups: &Lookups, entities: usize) -> Vec<Vec<EntityIx>> {
    let mut declared = vec![Vec::new(); entities];
    // Profiles are the first entities, in the same order.
    for (p, topics) in declared.iter_mut().enumerate().take(model.profiles.len()) {
        let written = model.profiles[p].related.len();
        let related = (lookups.of_profile(p)[..written].iter()).map(|&l| lookups.entity(l));
        *topics = unique(related.flatten().filter(|&t| t != p));
    }
    declared
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
