//! Resolving again after an edit of briefs (`serve`): the graph a full
//! [`resolve`](super::resolve) of the new model would give, doing only the
//! work the edited briefs reach.
//!
//! [`Lookups`] looks up the edited briefs' references again and numbers
//! the stubs as a full resolve does (by first reference), so a stub that
//! came or went shifts the entity indices of the stubs after it: then the
//! graph is renumbered, a pass over indices. The relations are brought up
//! to date for the entities the briefs named before or after the edit
//! ([`relations::update`]); when a surviving stub changed its name or kind
//! (its first spelling or `kind:` is in an edited brief), the order of
//! names changed and they are computed again in full.

use rayon::prelude::*;

use super::relations;
use super::{
    BriefIx, Entity, EntityIx, Graph, Lookups, ResolvedBrief, by_name, resolve_brief, split_by_kind,
};
use crate::content::model::Model;
use crate::diagnostics::Diagnostic;

/// Updates `graph` and `lookups` (from [`super::resolve_keeping`] or an
/// earlier update) after the briefs `changed` changed in `model`; the
/// profiles, pages and the set of briefs are as before. Returns the
/// problems of resolving, as [`super::resolve`] does.
pub fn update(
    graph: &mut Graph,
    lookups: &mut Lookups,
    model: &Model,
    changed: &[BriefIx],
) -> Vec<Diagnostic> {
    let profiles = model.profiles.len();
    let old_order = lookups.stub_order().to_vec();
    let before: Vec<ResolvedBrief> = (changed.iter())
        .map(|&b| std::mem::take(&mut graph.briefs[b]))
        .collect();
    lookups.update(model, changed);

    // Where each entity of the old table is in the new one.
    let new_place: Vec<Option<EntityIx>> = (0..profiles)
        .map(Some)
        .chain(old_order.iter().map(|&id| lookups.stub_entity(id)))
        .collect();
    let mut entities: Vec<Entity> = graph.entities[..profiles].to_vec();
    entities.extend(lookups.stubs().cloned());
    let renamed = (graph.entities.iter().zip(&new_place)).any(|(old, now)| {
        now.is_some_and(|n| (old.kind, &old.name) != (entities[n].kind, &entities[n].name))
    });
    let moved = new_place.iter().enumerate().any(|(i, n)| *n != Some(i));
    if moved || entities.len() != graph.entities.len() {
        renumber(graph, &new_place, entities.len());
    }
    for &b in changed {
        graph.briefs[b] = resolve_brief(model, lookups, b);
    }
    graph.entities = entities;
    // Profiles' ties may name stubs, which may have moved: made again, in
    // one pass over the profiles.
    graph.ties = super::ties::compute(model, lookups, graph.entities.len());
    let name_order = by_name(&graph.entities);
    graph.by_kind = split_by_kind(&name_order, &graph.entities);

    if renamed {
        graph.relations = relations::compute(model, &graph.entities, &graph.briefs, &name_order);
    } else {
        let mut touched: Vec<EntityIx> = (before.iter())
            .flat_map(ResolvedBrief::everything_named)
            .filter_map(|e| new_place[e])
            .chain(
                changed
                    .iter()
                    .flat_map(|&b| graph.briefs[b].everything_named()),
            )
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let brief_changes = relations::BriefChanges {
            changed,
            touched: &touched,
        };
        relations::update(
            &mut graph.relations,
            model,
            &graph.entities,
            &graph.briefs,
            &name_order,
            &brief_changes,
        );
    }
    lookups.problems()
}

/// Moves every entity index of `graph` to its `new_place` (entities gone
/// can only have been named by the briefs being resolved again, whose
/// references were taken out), in a table of `len` entities.
fn renumber(graph: &mut Graph, new_place: &[Option<EntityIx>], len: usize) {
    let move_all = |list: &mut Vec<EntityIx>| {
        list.retain_mut(|e| new_place[*e].map(|n| *e = n).is_some());
    };
    graph.briefs.par_iter_mut().for_each(|brief| {
        (brief.actors).retain_mut(|(e, _)| new_place[*e].map(|n| *e = n).is_some());
        move_all(&mut brief.topics);
        move_all(&mut brief.places);
        for event in &mut brief.events {
            event.place = event.place.and_then(|e| new_place[e]);
            move_all(&mut event.actors);
            move_all(&mut event.topics);
        }
    });
    let mut declared = vec![Vec::new(); len];
    let mut related = vec![Default::default(); len];
    let old_related = std::mem::take(&mut graph.relations.entities);
    let old_declared = std::mem::take(&mut graph.declared_related);
    for ((e, mut rel), mut topics) in old_related.into_iter().enumerate().zip(old_declared) {
        let Some(n) = new_place[e] else { continue };
        move_all(&mut topics);
        declared[n] = topics;
        (rel.co_occurring).retain_mut(|(y, _)| new_place[*y].map(|n| *y = n).is_some());
        related[n] = rel;
    }
    graph.declared_related = declared;
    graph.relations.entities = related;
}
