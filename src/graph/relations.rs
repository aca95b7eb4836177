//! The relations every page shows, computed once per build from indexes.
//!
//! Nothing here loops over all briefs for each entity: one pass over the
//! briefs fills, for every entity, its briefs, its events and its
//! co-occurrence counts (how many briefs it shares with each other entity).
//! Connections, an actor's topics, a topic's key actors and related topics
//! are all read off those counts. Related briefs use each entity's brief list
//! with a dense counter per thread.

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
    /// For each brief, up to [`RELATED_BRIEFS`] briefs sharing the most actors
    /// and topics, newer first on ties.
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

/// For each brief, the briefs sharing the most actors and topics with it.
/// Counts shared entities through each entity's brief list, with a dense
/// counter reused across the briefs one thread handles.
fn related_briefs(
    briefs: &[ResolvedBrief],
    per_entity: &[EntityRelations],
    position: &[usize],
) -> Vec<Vec<BriefIx>> {
    let n = briefs.len();
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0u32; n], Vec::<BriefIx>::new()),
            |(counter, touched), b| {
                let shared = briefs[b]
                    .actors
                    .iter()
                    .map(|(e, _)| *e)
                    .chain(briefs[b].topics.iter().copied());
                for e in shared {
                    for &other in &per_entity[e].briefs {
                        if other != b {
                            if counter[other] == 0 {
                                touched.push(other);
                            }
                            counter[other] += 1;
                        }
                    }
                }
                // Most shared first, then newer: one integer per candidate,
                // as positions in time are unique.
                let key =
                    |o: &BriefIx| Reverse((u64::from(counter[*o]) << 32) | position[*o] as u64);
                let keep = touched.len().min(RELATED_BRIEFS);
                if touched.len() > keep {
                    touched.select_nth_unstable_by_key(keep - 1, key);
                }
                touched[..keep].sort_unstable_by_key(key);
                let top = touched[..keep].to_vec();
                for &o in touched.iter() {
                    counter[o] = 0;
                }
                touched.clear();
                top
            },
        )
        .collect()
}
