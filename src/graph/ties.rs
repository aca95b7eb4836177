//! Declared ties between actors, as profiles write them: a person's
//! positions in organisations (`affiliations`) and typed relations between
//! people and organisations (`relations`: "son of", "supplies arms to").
//!
//! Unlike connections, which are counted from the briefs, ties are stated
//! once in a profile and shown on the pages of both ends. They are made
//! from what [`Lookups`] found for each profile's references, so `serve`
//! makes them again in one pass after an edit renumbers the stubs.

use crate::content::model::{Affiliation, Model, Relation};

use super::{EntityIx, Lookups};

/// A position: person `person` in organisation `org`, as entry `entry` of
/// the affiliations of profile `profile` says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub person: EntityIx,
    pub org: EntityIx,
    pub profile: usize,
    pub entry: usize,
}

/// A typed relation from `subject` (whose profile declares it, as entry
/// `entry` of its `relations`) to `object`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tie {
    pub subject: EntityIx,
    pub object: EntityIx,
    pub profile: usize,
    pub entry: usize,
}

/// Every position and relation of the site, and each entity's share.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ties {
    /// In model order (profile, then entry).
    pub positions: Vec<Position>,
    pub relations: Vec<Tie>,
    /// Parallel to the entities: a person's own positions, an
    /// organisation's members' (indices into `positions`).
    pub positions_of: Vec<Vec<usize>>,
    /// Parallel to the entities: the relations with the entity at either
    /// end (indices into `relations`).
    pub relations_of: Vec<Vec<usize>>,
    /// Relations left out because `with` names the declaring entity
    /// itself, as (profile, entry), for a warning.
    pub with_itself: Vec<(usize, usize)>,
}

impl Ties {
    /// The affiliation a position was made from.
    pub fn affiliation<'m>(&self, model: &'m Model, position: &Position) -> &'m Affiliation {
        &model.profiles[position.profile].affiliations[position.entry]
    }

    /// The relation a tie was made from.
    pub fn relation<'m>(&self, model: &'m Model, tie: &Tie) -> &'m Relation {
        &model.profiles[tie.profile].relations[tie.entry]
    }

    /// True if a tie names entity `e` (for "is it referenced anywhere").
    pub fn names(&self, e: EntityIx) -> bool {
        !self.positions_of[e].is_empty() || !self.relations_of[e].is_empty()
    }
}

/// The ties of every profile, from what `lookups` found for each reference
/// (profiles are the first entities, in model order). An entry whose other
/// end could not be resolved (an ambiguous name, reported already) is left
/// out; so is a relation of an entity with itself
/// (kept in [`Ties::with_itself`] for a warning).
pub fn compute(model: &Model, lookups: &Lookups, entities: usize) -> Ties {
    let mut ties = Ties {
        positions_of: vec![Vec::new(); entities],
        relations_of: vec![Vec::new(); entities],
        ..Ties::default()
    };
    for (p, profile) in model.profiles.iter().enumerate() {
        let looked = lookups.of_profile(p);
        let (orgs, others) = looked[profile.related.len()..].split_at(profile.affiliations.len());
        for (entry, &found) in orgs.iter().enumerate() {
            let Some(org) = lookups.entity(found) else {
                continue;
            };
            let n = ties.positions.len();
            ties.positions.push(Position {
                person: p,
                org,
                profile: p,
                entry,
            });
            ties.positions_of[p].push(n);
            if org != p {
                ties.positions_of[org].push(n);
            }
        }
        for (entry, &found) in others.iter().enumerate() {
            let Some(object) = lookups.entity(found) else {
                continue;
            };
            if object == p {
                ties.with_itself.push((p, entry));
                continue;
            }
            let n = ties.relations.len();
            ties.relations.push(Tie {
                subject: p,
                object,
                profile: p,
                entry,
            });
            ties.relations_of[p].push(n);
            ties.relations_of[object].push(n);
        }
    }
    ties
}
