//! The relations every page shows, computed once per build from indexes.
//!
//! Nothing here loops over all briefs for each entity: one pass over the
//! briefs fills, for every entity, its briefs, its events and its
//! co-occurrence counts (how many briefs it shares with each other entity).
//! Connections, an actor's topics, a topic's key actors and related topics
//! are all read off those counts. Related briefs weigh each shared actor or
//! topic by its rarity and look only at each entity's briefs nearest in
//! time, so they cost the same per brief however large the site.

use std::cmp::Reverse;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::content::model::{EntityKind, Model};
use crate::text::fold_name;

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
#[derive(Debug, Clone, Default)]
pub struct EntityRelations {
    /// Briefs featuring the entity in their front matter, newest first.
    pub briefs: Vec<BriefIx>,
    /// Events naming the entity, in time order.
    pub events: Vec<EventRef>,
    /// Other entities sharing briefs with this one, with the number of shared
    /// briefs: most shared first, then by name.
    pub co_occurring: Vec<(EntityIx, u32)>,
}

#[derive(Debug, Clone, Default)]
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

/// Computes every relation from the resolved briefs.
pub fn compute(model: &Model, entities: &[Entity], briefs: &[ResolvedBrief]) -> Relations {
    let chronological = chronological_order(model);
    let mut position = vec![0; briefs.len()];
    for (p, &b) in chronological.iter().enumerate() {
        position[b] = p;
    }
    let mut per_entity = vec![EntityRelations::default(); entities.len()];
    let mut counts: Vec<HashMap<EntityIx, u32>> = vec![HashMap::new(); entities.len()];

    // Newest first, so each entity's brief list comes out in that order.
    for &b in chronological.iter().rev() {
        let featured: Vec<EntityIx> = briefs[b].entities().collect();
        for (i, &x) in featured.iter().enumerate() {
            if featured[..i].contains(&x) {
                continue;
            }
            per_entity[x].briefs.push(b);
            for &y in &featured {
                if y != x {
                    *counts[x].entry(y).or_insert(0) += 1;
                }
            }
        }
    }

    let mut timeline = Vec::new();
    for (b, resolved) in briefs.iter().enumerate() {
        for (i, event) in resolved.events.iter().enumerate() {
            let r = EventRef { brief: b, event: i };
            timeline.push(r);
            // An event without topics of its own belongs to its brief's topics.
            let topics = if event.topics.is_empty() {
                &resolved.topics
            } else {
                &event.topics
            };
            let mut named: Vec<EntityIx> = event
                .actors
                .iter()
                .chain(topics)
                .chain(&event.place)
                .copied()
                .collect();
            named.sort_unstable();
            named.dedup();
            for e in named {
                per_entity[e].events.push(r);
            }
        }
    }
    let event_order = |r: &EventRef| {
        let brief = &model.briefs[r.brief];
        let event = &brief.events[r.event];
        (
            event.date.clone(),
            event.title.clone(),
            brief.date.clone(),
            brief.slug.clone(),
        )
    };
    timeline.sort_by_cached_key(event_order);

    let sort_names: Vec<(String, &str)> = entities
        .iter()
        .map(|e| (fold_name(&e.name), e.id.as_str()))
        .collect();
    per_entity
        .par_iter_mut()
        .zip(counts)
        .for_each(|(rel, counts)| {
            let mut co: Vec<(EntityIx, u32)> = counts.into_iter().collect();
            co.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| sort_names[a.0].cmp(&sort_names[b.0]))
            });
            rel.co_occurring = co;
            rel.events.sort_by_cached_key(event_order);
        });

    let related_briefs = related_briefs(briefs, &per_entity, &position);
    Relations {
        chronological,
        position,
        entities: per_entity,
        related_briefs,
        timeline,
    }
}

fn chronological_order(model: &Model) -> Vec<BriefIx> {
    let mut order: Vec<BriefIx> = (0..model.briefs.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&model.briefs[a], &model.briefs[b]);
        a.date.cmp(&b.date).then_with(|| a.slug.cmp(&b.slug))
    });
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

/// For each brief, the briefs most related to it: those sharing the rarest
/// actors and topics (the sum of each shared entity's [`rarity`]), newer
/// first on ties. Candidates are, for each of its actors and topics, the
/// [`CANDIDATES_PER_ENTITY`] briefs of that entity nearest in time.
fn related_briefs(
    briefs: &[ResolvedBrief],
    per_entity: &[EntityRelations],
    position: &[usize],
) -> Vec<Vec<BriefIx>> {
    let n = briefs.len();
    let weight: Vec<u64> = per_entity
        .iter()
        .map(|rel| rarity(rel.briefs.len(), n))
        .collect();
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0u64; n], Vec::<BriefIx>::new()),
            |(score, touched), b| {
                let mut shared: Vec<EntityIx> = briefs[b]
                    .actors
                    .iter()
                    .map(|(e, _)| *e)
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
                            if score[other] == 0 {
                                touched.push(other);
                            }
                            score[other] += weight[e];
                        }
                    }
                }
                // Highest score first, then newer: positions in time are
                // unique, so the key is too.
                let key = |o: &BriefIx| Reverse((score[*o], position[*o]));
                let keep = touched.len().min(RELATED_BRIEFS);
                if touched.len() > keep {
                    touched.select_nth_unstable_by_key(keep - 1, key);
                }
                touched[..keep].sort_unstable_by_key(key);
                let top = touched[..keep].to_vec();
                for &o in touched.iter() {
                    score[o] = 0;
                }
                touched.clear();
                top
            },
        )
        .collect()
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
