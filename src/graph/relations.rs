//! The relations every page shows, computed once per build from indexes.
//!
//! Nothing here loops over all briefs for each entity: one pass over the
//! briefs lists every entity's briefs, one over the timeline its events;
//! then each entity's co-occurrence counts (how many briefs it shares with
//! each other entity) are counted from its own briefs, entities in
//! parallel. Connections, an actor's topics, a topic's key actors and
//! related topics are all read off those counts. Related briefs weigh each
//! shared actor or topic by its rarity and look only at each entity's
//! briefs nearest in time, so they cost the same per brief however large
//! the site.

use std::cmp::Reverse;
use std::ops::AddAssign;

use rayon::prelude::*;

use crate::content::date::Date;
use crate::content::model::{EntityKind, Model};

use super::{BriefIx, Entity, EntityIx, ResolvedBrief};

/// How many related briefs a brief lists.
pub const RELATED_BRIEFS: usize = 5;

/// One event of one brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventRef {
    pub brief: BriefIx,
    pub event: usize,
}

/// What each entity relates to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityRelations {
    /// Briefs featuring the entity in their front matter, newest first.
    pub briefs: Vec<BriefIx>,
    /// Events naming the entity, in time order.
    pub events: Vec<EventRef>,
    /// Other entities sharing briefs with this one, with the number of shared
    /// briefs: most shared first, then by name.
    pub co_occurring: Vec<(EntityIx, u32)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Relations {
    /// Every brief, oldest first (ties by slug).
    pub chronological: Vec<BriefIx>,
    /// For each brief, its position in `chronological`.
    pub position: Vec<usize>,
    /// Parallel to the graph's entities.
    pub entities: Vec<EntityRelations>,
    /// For each brief, up to [`RELATED_BRIEFS`] briefs sharing the rarest
    /// actors and topics, newer first on ties (see `related_briefs`).
    pub related_briefs: Vec<Vec<BriefIx>>,
    /// Every event of every brief, in time order.
    pub timeline: Vec<EventRef>,
}

/// Briefs whose references changed (`serve`), and every entity they named
/// before or after.
pub struct BriefChanges<'a> {
    pub changed: &'a [BriefIx],
    /// Sorted, each once.
    pub touched: &'a [EntityIx],
}

impl Relations {
    /// The brief before `brief` in time, if any.
    pub fn previous(&self, brief: BriefIx) -> Option<BriefIx> {
        let p = self.position[brief];
        if p == 0 {
            None
        } else {
            Some(self.chronological[p - 1])
        }
    }

    /// The brief after `brief` in time, if any.
    pub fn next(&self, brief: BriefIx) -> Option<BriefIx> {
        self.chronological.get(self.position[brief] + 1).copied()
    }

    /// Where the events ahead of the site's newest brief begin in
    /// `events` (in time order): the events after it are upcoming. Dated
    /// by the newest brief, not the day of the build, so that a build is
    /// the same whenever it runs.
    pub fn upcoming_from(&self, model: &Model, events: &[EventRef]) -> usize {
        let Some(&newest) = self.chronological.last() else {
            return events.len();
        };
        let newest = &model.briefs[newest].date;
        events.partition_point(|r| !newest.ends_before(&model.briefs[r.brief].events[r.event].date))
    }

    /// The entities of the given kinds that share briefs with `entity`.
    pub fn co_occurring_of<'a>(
        &'a self,
        entity: EntityIx,
        entities: &'a [Entity],
        kinds: &'a [EntityKind],
    ) -> impl Iterator<Item = (EntityIx, u32)> + 'a {
        self.entities[entity]
            .co_occurring
            .iter()
            .copied()
            .filter(move |(e, _)| kinds.contains(&entities[*e].kind))
    }
}

/// Computes every relation from the resolved briefs. `name_order` is every
/// entity sorted by name, the tie-break of connection lists.
pub fn compute(
    model: &Model,
    entities: &[Entity],
    briefs: &[ResolvedBrief],
    name_order: &[EntityIx],
) -> Relations {
    let chronological = chronological_order(model);
    let mut position = vec![0; briefs.len()];
    for (p, &b) in chronological.iter().enumerate() {
        position[b] = p;
    }
    let mut per_entity = vec![EntityRelations::default(); entities.len()];
    // Newest first, so each entity's brief list comes out in that order.
    for &b in chronological.iter().rev() {
        for x in briefs[b].entities() {
            per_entity[x].briefs.push(b);
        }
    }
    let timeline = timeline(model, briefs);
    for &r in &timeline {
        for e in named_by_event(&briefs[r.brief], r.event) {
            per_entity[e].events.push(r);
        }
    }
    let name_rank = name_ranks(name_order);
    per_entity.par_iter_mut().enumerate().for_each_init(
        || Tally::new(entities.len()),
        |shared, (x, rel)| {
            rel.co_occurring = co_occurring(x, &rel.briefs, briefs, &name_rank, shared)
        },
    );

    let related_briefs = related_briefs(briefs, &per_entity, &position);
    Relations {
        chronological,
        position,
        entities: per_entity,
        related_briefs,
        timeline,
    }
}

/// Brings `rel` up to date after the references of some briefs changed:
/// gives what [`compute`] would, doing only what those briefs reach. The
/// entity table may have gained or lost stubs (`rel.entities` already
/// has their slots), but every other entity keeps its name and kind.
///
/// The changed briefs move in time order and on the timeline; the touched
/// entities get their lists of briefs, events and co-occurring entities
/// again; and a brief's related briefs are computed again only where they
/// can change ([`ListChange::may_change_related`]).
pub fn update(
    rel: &mut Relations,
    model: &Model,
    entities: &[Entity],
    briefs: &[ResolvedBrief],
    name_order: &[EntityIx],
    changes: &BriefChanges,
) {
    let mut is_changed = vec![false; briefs.len()];
    for &b in changes.changed {
        is_changed[b] = true;
    }
    rel.chronological.retain(|&b| !is_changed[b]);
    for &b in changes.changed {
        let at =
            (rel.chronological).partition_point(|&o| brief_order(model, o) < brief_order(model, b));
        rel.chronological.insert(at, b);
    }
    for (p, &b) in rel.chronological.iter().enumerate() {
        rel.position[b] = p;
    }
    let added: Vec<EventRef> = (changes.changed.iter())
        .flat_map(|&b| (0..briefs[b].events.len()).map(move |event| EventRef { brief: b, event }))
        .collect();
    let insert_event = |list: &mut Vec<EventRef>, r: EventRef| {
        let at = list.partition_point(|o| event_order(model, o) < event_order(model, &r));
        list.insert(at, r);
    };
    rel.timeline.retain(|r| !is_changed[r.brief]);
    for &r in &added {
        insert_event(&mut rel.timeline, r);
    }

    let position = &rel.position;
    let changed_at = |list: &[BriefIx]| -> Vec<usize> {
        (list.iter().enumerate())
            .filter(|&(_, &b)| is_changed[b])
            .map(|(i, _)| i)
            .collect()
    };
    let mut moves = Vec::new();
    for &e in changes.touched {
        let of_e = &mut rel.entities[e];
        let (len_before, at_before) = (of_e.briefs.len(), changed_at(&of_e.briefs));
        of_e.briefs.retain(|&b| !is_changed[b]);
        for &b in changes.changed {
            if briefs[b].entities().any(|x| x == e) {
                let at = of_e.briefs.partition_point(|&o| position[o] > position[b]);
                of_e.briefs.insert(at, b);
            }
        }
        let at_now = changed_at(&of_e.briefs);
        moves.push(ListChange {
            entity: e,
            len_before,
            at: at_before.into_iter().chain(at_now).collect(),
        });
        of_e.events.retain(|r| !is_changed[r.brief]);
        for &r in &added {
            if named_by_event(&briefs[r.brief], r.event).contains(&e) {
                insert_event(&mut of_e.events, r);
            }
        }
    }
    let name_rank = name_ranks(name_order);
    let connections: Vec<Vec<(EntityIx, u32)>> = (changes.touched.par_iter())
        .map_init(
            || Tally::new(entities.len()),
            |shared, &e| co_occurring(e, &rel.entities[e].briefs, briefs, &name_rank, shared),
        )
        .collect();
    for (&e, list) in changes.touched.iter().zip(connections) {
        rel.entities[e].co_occurring = list;
    }

    let mut again = is_changed;
    for change in &moves {
        if entities[change.entity].kind != EntityKind::Place {
            let list = &rel.entities[change.entity].briefs;
            let near = change.may_change_related(list.len(), briefs.len(), changes.changed.len());
            for &b in near.map_or(list.as_slice(), |range| &list[range]) {
                again[b] = true;
            }
        }
    }
    let again: Vec<BriefIx> = (0..briefs.len()).filter(|&b| again[b]).collect();
    let weight = weights(&rel.entities, briefs.len());
    let related: Vec<Vec<BriefIx>> = (again.par_iter())
        .map_init(
            || Tally::new(briefs.len()),
            |score, &b| related_of(b, briefs, &rel.entities, &rel.position, &weight, score),
        )
        .collect();
    for (&b, list) in again.iter().zip(related) {
        rel.related_briefs[b] = list;
    }
}

/// How one entity's list of briefs changed: where in it the changed briefs
/// were, and are (indices before and after, together).
struct ListChange {
    entity: EntityIx,
    len_before: usize,
    at: Vec<usize>,
}

impl ListChange {
    /// The part of the entity's list (`len` briefs now, `total` in the
    /// site, `changed` of them changed) whose related briefs may change
    /// through this entity; `None` for all of it. A brief's candidates
    /// through an entity are a window of [`CANDIDATES_PER_ENTITY`] around
    /// it in the entity's list, so while the entity's rarity stays the
    /// same, only briefs whose window held or holds a changed brief can see
    /// a different score: those at most a window (and the changed briefs'
    /// own shifts) away from where the changed briefs were or are.
    fn may_change_related(
        &self,
        len: usize,
        total: usize,
        changed: usize,
    ) -> Option<std::ops::Range<usize>> {
        if self.at.is_empty() {
            return Some(0..0);
        }
        let same_rarity = rarity(self.len_before, total) == rarity(len, total);
        let reach = CANDIDATES_PER_ENTITY + changed + 1;
        if !same_rarity || self.len_before.min(len) <= reach {
            return None;
        }
        let first = self.at.iter().min()?.saturating_sub(reach);
        let last = (self.at.iter().max()? + reach + 1).min(len);
        Some(first..last)
    }
}

/// Every event of every brief, in time order (see [`event_order`]).
fn timeline(model: &Model, briefs: &[ResolvedBrief]) -> Vec<EventRef> {
    let mut timeline: Vec<EventRef> = (briefs.iter().enumerate())
        .flat_map(|(b, resolved)| {
            (0..resolved.events.len()).map(move |i| EventRef { brief: b, event: i })
        })
        .collect();
    timeline.par_sort_unstable_by(|a, b| event_order(model, a).cmp(&event_order(model, b)));
    timeline
}

/// Where an event goes in time: by its date, its brief's date and slug,
/// then its place in the brief (events of one day in the order the brief
/// tells them, not by title).
fn event_order<'m>(model: &'m Model, r: &EventRef) -> (&'m Date, &'m Date, &'m str, usize) {
    let brief = &model.briefs[r.brief];
    (
        &brief.events[r.event].date,
        &brief.date,
        &brief.slug,
        r.event,
    )
}

/// Where a brief goes in time: by date, then slug.
fn brief_order(model: &Model, b: BriefIx) -> (&Date, &str) {
    let brief = &model.briefs[b];
    (&brief.date, &brief.slug)
}

/// The entities one event names, each once: its actors, its topics (or,
/// without topics of its own, its brief's), and its place.
fn named_by_event(brief: &ResolvedBrief, event: usize) -> Vec<EntityIx> {
    let topics = brief.event_topics(event);
    let event = &brief.events[event];
    let mut named: Vec<EntityIx> = (event.actors.iter().chain(topics).chain(&event.place))
        .copied()
        .collect();
    named.sort_unstable();
    named.dedup();
    named
}

/// Sums per index, in one slot per index rather than a hash map, for
/// loops that add to a few of many (entities, briefs) at a time; the slots
/// touched are remembered, so that reading them out costs only as much as
/// the additions did.
struct Tally<T> {
    sums: Vec<T>,
    touched: Vec<usize>,
}

impl<T: Copy + Default + PartialEq + AddAssign> Tally<T> {
    fn new(len: usize) -> Tally<T> {
        Tally {
            sums: vec![T::default(); len],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, ix: usize, amount: T) {
        if self.sums[ix] == T::default() {
            self.touched.push(ix);
        }
        self.sums[ix] += amount;
    }

    /// Every index added to, in the order first added, with its sum; the
    /// tally is empty afterwards.
    fn take(&mut self) -> Vec<(usize, T)> {
        let sums = &mut self.sums;
        (self.touched.drain(..))
            .map(|ix| (ix, std::mem::take(&mut sums[ix])))
            .collect()
    }
}

/// Each entity's place in `name_order`.
fn name_ranks(name_order: &[EntityIx]) -> Vec<u32> {
    let mut name_rank = vec![0u32; name_order.len()];
    for (rank, &e) in name_order.iter().enumerate() {
        name_rank[e] = rank as u32;
    }
    name_rank
}

/// The other entities in the briefs of `x`, each with the number of those
/// briefs it is in: most first, then by name.
fn co_occurring(
    x: EntityIx,
    briefs_of_x: &[BriefIx],
    briefs: &[ResolvedBrief],
    name_rank: &[u32],
    shared: &mut Tally<u32>,
) -> Vec<(EntityIx, u32)> {
    for &b in briefs_of_x {
        for y in briefs[b].entities().filter(|&y| y != x) {
            shared.add(y, 1);
        }
    }
    let mut counts = shared.take();
    counts.sort_unstable_by_key(|&(y, n)| (Reverse(n), name_rank[y]));
    counts
}

fn chronological_order(model: &Model) -> Vec<BriefIx> {
    let mut order: Vec<BriefIx> = (0..model.briefs.len()).collect();
    order.sort_by(|&a, &b| brief_order(model, a).cmp(&brief_order(model, b)));
    order
}

/// How many of an entity's briefs, nearest in time, are candidates for the
/// related briefs of each of its briefs. Bounds the work per brief, so the
/// whole computation is linear in the number of briefs however popular an
/// actor is.
const CANDIDATES_PER_ENTITY: usize = 64;

/// The weight of an entity shared by two briefs: the rarer it is, the more
/// it says (inverse document frequency, `ln(N / briefs of the entity)`), in
/// thousandths so that sums are exact and ties deterministic. An entity in
/// every brief weighs nothing.
fn rarity(briefs_of_entity: usize, total: usize) -> u64 {
    if briefs_of_entity == 0 {
        return 0;
    }
    let idf = (total as f64 / briefs_of_entity as f64).ln();
    (idf * 1000.0).round().max(0.0) as u64
}

/// For each brief, the briefs most related to it (see [`related_of`]).
fn related_briefs(
    briefs: &[ResolvedBrief],
    per_entity: &[EntityRelations],
    position: &[usize],
) -> Vec<Vec<BriefIx>> {
    let weight = weights(per_entity, briefs.len());
    (0..briefs.len())
        .into_par_iter()
        .map_init(
            || Tally::new(briefs.len()),
            |score, b| related_of(b, briefs, per_entity, position, &weight, score),
        )
        .collect()
}

/// Each entity's [`rarity`].
fn weights(per_entity: &[EntityRelations], briefs: usize) -> Vec<u64> {
    (per_entity.iter())
        .map(|rel| rarity(rel.briefs.len(), briefs))
        .collect()
}

/// The briefs most related to brief `b`: those sharing the rarest actors
/// and topics (the sum of each shared entity's [`rarity`]), newer first on
/// ties. Candidates are, for each of its actors and topics, the
/// [`CANDIDATES_PER_ENTITY`] briefs of that entity nearest in time.
fn related_of(
    b: BriefIx,
    briefs: &[ResolvedBrief],
    per_entity: &[EntityRelations],
    position: &[usize],
    weight: &[u64],
    score: &mut Tally<u64>,
) -> Vec<BriefIx> {
    let mut shared: Vec<EntityIx> = (briefs[b].actors.iter().map(|(e, _)| *e))
        .chain(briefs[b].topics.iter().copied())
        .collect();
    shared.sort_unstable();
    shared.dedup();
    for e in shared {
        if weight[e] == 0 {
            continue;
        }
        for &other in nearest_in_time(&per_entity[e].briefs, position, position[b]) {
            if other != b {
                score.add(other, weight[e]);
            }
        }
    }
    // Highest score first, then newer: positions in time are unique, so
    // the key is too.
    let mut scored = score.take();
    let key = |&(o, s): &(BriefIx, u64)| Reverse((s, position[o]));
    let keep = scored.len().min(RELATED_BRIEFS);
    if scored.len() > keep {
        scored.select_nth_unstable_by_key(keep - 1, key);
    }
    scored[..keep].sort_unstable_by_key(key);
    scored[..keep].iter().map(|&(o, _)| o).collect()
}

/// The briefs of one entity (newest first) nearest in time to the position
/// `at`: up to [`CANDIDATES_PER_ENTITY`], half newer and half older where
/// there are enough.
fn nearest_in_time<'a>(
    briefs_newest_first: &'a [BriefIx],
    position: &[usize],
    at: usize,
) -> &'a [BriefIx] {
    let len = briefs_newest_first.len();
    if len <= CANDIDATES_PER_ENTITY {
        return briefs_newest_first;
    }
    // The first brief not newer than `at`.
    let split = briefs_newest_first.partition_point(|&o| position[o] > at);
    let half = CANDIDATES_PER_ENTITY / 2;
    let start = split.saturating_sub(half).min(len - CANDIDATES_PER_ENTITY);
    &briefs_newest_first[start..start + CANDIDATES_PER_ENTITY]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rarer_entities_weigh_more_and_a_ubiquitous_one_nothing() {
        assert_eq!(rarity(100, 100), 0);
        assert!(rarity(1, 100) > rarity(10, 100));
        assert_eq!(rarity(10, 100), 2303);
    }

    #[test]
    fn candidates_are_the_nearest_in_time() {
        // 200 briefs at positions 0..200, newest first.
        let position: Vec<usize> = (0..200).collect();
        let newest_first: Vec<BriefIx> = (0..200).rev().collect();
        let near = nearest_in_time(&newest_first, &position, 100);
        assert_eq!(near.len(), CANDIDATES_PER_ENTITY);
        assert_eq!(near.first(), Some(&132));
        assert_eq!(near.last(), Some(&69));
        // At the edges, the window slides inwards.
        assert_eq!(
            nearest_in_time(&newest_first, &position, 0).last(),
            Some(&0)
        );
        assert_eq!(
            nearest_in_time(&newest_first, &position, 199).first(),
            Some(&199)
        );
    }
}
