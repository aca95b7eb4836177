//! Page fingerprints: what each page shows, as one number, so that `serve`
//! renders again only the pages whose fingerprint changed after an edit.
//!
//! A fingerprint is a hash of the *digests* of the things a page shows, in
//! the order it shows them: the briefs in a list, an entity's newest events,
//! the counts on an index page. Digests are small and fixed per thing:
//!
//! - an **entity's name** ([`Digests::entity`]): kind, id, name, stub or
//!   not: what every link to it shows;
//! - an **entity's own page** ([`Digests::own`]): its name, aliases, profile
//!   (front matter and rendered body) and declared related topics; the
//!   page also hashes the names at the ends of its ties;
//! - a **brief's face** ([`Digests::face`]): what its card, its events and
//!   links to it show (title, slug, dates, summary, actors, topics, events);
//! - a **brief's page** ([`Digests::brief`]): its face, its front matter
//!   and rendered body (the caller's `brief_sources`), places and roles.
//!
//! Each function here follows the view it mirrors in [`super::context`] and
//! [`super`]'s `render_with`: it hashes the digest of every item the view
//! shows, chosen the same way. A page that shows something a fingerprint
//! leaves out would keep its old HTML after an edit; the incremental
//! rebuild test (`tests/incremental.rs`) compares every file with a full
//! build after each of a long series of edits to catch exactly that.
//!
//! Settings, templates, free pages and static files are not in any
//! fingerprint: `serve` rebuilds everything when one of them changes. The
//! sitemap and the search index are made again after every edit.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHasher;

use crate::config::Config;
use crate::content::model::{EntityKind, Model};
use crate::graph::backlinks::Backlinks;
use crate::graph::targets::Target;
use crate::graph::{EntityIx, EventRef, Graph};
use crate::output::feeds;

use super::bodies::Bodies;
use super::context::{self, ENTITY_LIST, HOME_LIST};
use super::links::Archive;
use super::plan::{self, NEWEST_ON_ENTITY_PAGE, PageKind, Paging, PlannedPage, TimelineYear};

/// What fingerprints are computed from.
pub struct Inputs<'a> {
    pub model: &'a Model,
    pub graph: &'a Graph,
    pub bodies: &'a Bodies,
    pub backlinks: &'a Backlinks,
    pub config: &'a Config,
    pub timeline: Option<&'a [TimelineYear]>,
    /// For each brief, [`brief_source`]: kept by the caller, so that only
    /// the briefs that changed are hashed again.
    pub brief_sources: &'a [u64],
}

/// A digest of a brief's front matter and rendered body.
pub fn brief_source(model: &Model, bodies: &Bodies, b: usize) -> u64 {
    let mut h = FxHasher::default();
    model.briefs[b].source.front_matter.hash(&mut h);
    bodies.hash_brief_html(b, &mut h);
    for heading in &bodies.briefs[b].toc {
        (heading.level, &heading.id, &heading.title).hash(&mut h);
    }
    h.finish()
}

/// The fingerprint of every page, parallel to `pages`.
pub fn all(inputs: &Inputs, pages: &[PlannedPage]) -> Vec<u64> {
    let digests = Digests::new(inputs);
    pages.par_iter().map(|p| digests.page(p.kind)).collect()
}

/// The digests of every entity and brief.
struct Digests<'a> {
    inputs: &'a Inputs<'a>,
    paging: Paging,
    entity: Vec<u64>,
    own: Vec<u64>,
    face: Vec<u64>,
    brief: Vec<u64>,
    /// When the site last changed: what a feed without entries says.
    newest_change: u64,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

impl<'a> Digests<'a> {
    fn new(inputs: &'a Inputs<'a>) -> Digests<'a> {
        let (model, graph, bodies) = (inputs.model, inputs.graph, inputs.bodies);
        let entity: Vec<u64> = (graph.entities.par_iter())
            .map(|e| hash_of((e.kind, &e.id, &e.name, e.is_stub())))
            .collect();
        let own: Vec<u64> = (0..graph.entities.len())
            .into_par_iter()
            .map(|e| {
                let mut h = FxHasher::default();
                entity[e].hash(&mut h);
                graph.entities[e].aliases.hash(&mut h);
                if let Some(p) = graph.entities[e].profile {
                    model.profiles[p].source.front_matter.hash(&mut h);
                    bodies.profiles[p].html.hash(&mut h);
                    bodies.profile_summary(model, p).hash(&mut h);
                }
                for &t in &graph.declared_related[e] {
                    entity[t].hash(&mut h);
                }
                h.finish()
            })
            .collect();
        let face: Vec<u64> = (0..model.briefs.len())
            .into_par_iter()
            .map(|b| {
                let brief = &model.briefs[b];
                let resolved = &graph.briefs[b];
                let mut h = FxHasher::default();
                (&brief.title, &brief.slug, &brief.date, &brief.updated).hash(&mut h);
                brief.confidence.hash(&mut h);
                bodies.brief_summary(model, b).hash(&mut h);
                for (e, _) in &resolved.actors {
                    entity[*e].hash(&mut h);
                }
                for &e in &resolved.topics {
                    entity[e].hash(&mut h);
                }
                for (event, r) in brief.events.iter().zip(&resolved.events) {
                    (&event.date, &event.title, &event.description).hash(&mut h);
                    (&event.sources, event.confidence).hash(&mut h);
                    r.place.map(|p| entity[p]).hash(&mut h);
                    for &e in r.actors.iter().chain(&r.topics) {
                        entity[e].hash(&mut h);
                    }
                }
                h.finish()
            })
            .collect();
        let brief: Vec<u64> = (0..model.briefs.len())
            .into_par_iter()
            .map(|b| {
                let resolved = &graph.briefs[b];
                let mut h = FxHasher::default();
                (face[b], inputs.brief_sources[b]).hash(&mut h);
                for (e, role) in &resolved.actors {
                    (entity[*e], role).hash(&mut h);
                }
                for &e in &resolved.places {
                    entity[e].hash(&mut h);
                }
                h.finish()
            })
            .collect();
        Digests {
            inputs,
            paging: Paging::of(inputs.config),
            entity,
            own,
            face,
            brief,
            newest_change: hash_of(model.briefs.iter().map(feeds::last_changed).max()),
        }
    }

    /// The fingerprint of one page.
    fn page(&self, kind: PageKind) -> u64 {
        let (model, graph) = (self.inputs.model, self.inputs.graph);
        let relations = &graph.relations;
        let per_page = self.paging.per_page;
        let mut h = FxHasher::default();
        std::mem::discriminant(&kind).hash(&mut h);
        match kind {
            PageKind::Home => {
                for &b in relations.chronological.iter().rev().take(HOME_LIST) {
                    self.face[b].hash(&mut h);
                }
                let timeline = &relations.timeline;
                let ahead = relations.upcoming_from(model, timeline);
                ahead.hash(&mut h);
                for &r in timeline[..ahead].iter().rev().take(HOME_LIST) {
                    self.event(r, &mut h);
                }
                for &r in timeline[ahead..].iter().take(HOME_LIST) {
                    self.event(r, &mut h);
                }
                for kind in EntityKind::ALL {
                    for (e, count) in context::most_active(graph, kind) {
                        (self.entity[e], count).hash(&mut h);
                        context::activity_counts(model, graph, e).hash(&mut h);
                    }
                    graph.entities_of(kind).len().hash(&mut h);
                }
                (model.briefs.len(), relations.timeline.len()).hash(&mut h);
            }
            PageKind::Briefs(n) => {
                n.hash(&mut h);
                let list = &relations.chronological;
                list.len().hash(&mut h);
                for &b in list.iter().rev().skip((n - 1) * per_page).take(per_page) {
                    self.face[b].hash(&mut h);
                }
            }
            PageKind::Brief(b) => {
                self.brief[b].hash(&mut h);
                for &r in &relations.related_briefs[b] {
                    self.face[r].hash(&mut h);
                }
                relations.previous(b).map(|p| self.face[p]).hash(&mut h);
                relations.next(b).map(|p| self.face[p]).hash(&mut h);
                self.linked_from(Target::Brief(b), &mut h);
            }
            PageKind::Index(kind, n) => {
                (kind, n).hash(&mut h);
                let of_kind = graph.entities_of(kind);
                of_kind.len().hash(&mut h);
                if kind == EntityKind::Place && n == 1 {
                    // The map of every place, weighed by its briefs.
                    for &e in of_kind {
                        (self.own[e], relations.entities[e].briefs.len()).hash(&mut h);
                    }
                }
                for &e in of_kind.iter().skip((n - 1) * per_page).take(per_page) {
                    let briefs = &relations.entities[e].briefs;
                    (self.own[e], briefs.len()).hash(&mut h);
                    briefs.first().map(|&b| &model.briefs[b].date).hash(&mut h);
                    context::activity_counts(model, graph, e).hash(&mut h);
                }
            }
            PageKind::Entity(e) => self.entity_page(e, &mut h),
            PageKind::Archive(e, archive, n) => {
                (self.entity[e], archive, n).hash(&mut h);
                let (total, size) =
                    plan::archive_size(graph, self.inputs.backlinks, self.paging, e, archive);
                total.hash(&mut h);
                let range = context::page_range(n, size, total);
                let rel = &relations.entities[e];
                match archive {
                    Archive::Briefs => {
                        for &b in &rel.briefs[range] {
                            self.card_of(e, b, &mut h);
                        }
                    }
                    Archive::Events => {
                        for &r in &rel.events[range] {
                            self.event(r, &mut h);
                        }
                    }
                    Archive::Mentions => self.mentions(e, range, &mut h),
                }
            }
            PageKind::Timeline => {
                let timeline = &relations.timeline;
                timeline.len().hash(&mut h);
                match self.inputs.timeline {
                    None => {
                        for &r in timeline {
                            self.event(r, &mut h);
                        }
                    }
                    Some(years) => hash_years(years, &mut h),
                }
            }
            PageKind::TimelineYear {
                year,
                page,
                start,
                end,
            } => {
                let timeline = &relations.timeline;
                (year, page, start, end, timeline.len()).hash(&mut h);
                hash_years(self.inputs.timeline.unwrap_or_default(), &mut h);
                if start > 0 {
                    // Whether the page begins in the middle of a month.
                    let month = |r: EventRef| {
                        let date = &model.briefs[r.brief].events[r.event].date;
                        (date.year, date.month)
                    };
                    (month(timeline[start - 1]) == month(timeline[start])).hash(&mut h);
                }
                for &r in &timeline[start..end] {
                    self.event(r, &mut h);
                }
            }
            PageKind::Page(i) => {
                let page = &model.pages[i];
                (&page.title, &page.slug, &page.source.front_matter).hash(&mut h);
                self.inputs.bodies.pages[i].html.hash(&mut h);
                self.linked_from(Target::Page(i), &mut h);
            }
            PageKind::Feed(owner) => {
                if let Some(e) = owner {
                    self.entity[e].hash(&mut h);
                }
                let briefs = feeds::entries_of(graph, owner, self.inputs.config.feed_limit);
                for &b in &briefs {
                    self.brief[b].hash(&mut h);
                }
                if briefs.is_empty() {
                    self.newest_change.hash(&mut h);
                }
            }
            // Made again after every change (see `serve::session`).
            PageKind::Sitemap | PageKind::SitemapPart(_) => {}
            PageKind::NotFound | PageKind::Search | PageKind::Robots => {}
        }
        h.finish()
    }

    /// A brief's card on the pages of entity `e`: its face and the role it
    /// gives `e` (`Views::brief_card_of`).
    fn card_of(&self, e: EntityIx, b: usize, h: &mut FxHasher) {
        self.face[b].hash(h);
        self.inputs.graph.briefs[b].role_of(e).hash(h);
    }

    /// What an entity's own page shows (`Views::entity`).
    fn entity_page(&self, e: EntityIx, h: &mut FxHasher) {
        let graph = self.inputs.graph;
        let backlinks = self.inputs.backlinks;
        let rel = &graph.relations.entities[e];
        self.own[e].hash(h);
        rel.briefs.len().hash(h);
        for &b in rel.briefs.iter().take(NEWEST_ON_ENTITY_PAGE) {
            self.card_of(e, b, h);
        }
        rel.events.len().hash(h);
        for &r in &rel.events[rel.events.len().saturating_sub(NEWEST_ON_ENTITY_PAGE)..] {
            self.event(r, h);
        }
        let ahead = graph
            .relations
            .upcoming_from(self.inputs.model, &rel.events);
        ahead.hash(h);
        for &r in rel.events[ahead..].iter().take(NEWEST_ON_ENTITY_PAGE) {
            self.event(r, h);
        }
        backlinks.mentions_of(e).len().hash(h);
        self.mentions(e, 0..NEWEST_ON_ENTITY_PAGE, h);
        self.linked_from(Target::Entity(e), h);
        // Ties: what they say is in profiles (an edit of one rebuilds all);
        // the names at their ends may change with a brief (a stub's).
        let ties = &graph.ties;
        for &n in &ties.positions_of[e] {
            let p = &ties.positions[n];
            (n, self.entity[p.person], self.entity[p.org]).hash(h);
        }
        for &n in &ties.relations_of[e] {
            let t = &ties.relations[n];
            (n, self.entity[t.subject], self.entity[t.object]).hash(h);
        }
        // Connections, topics and places are the first ENTITY_LIST of each
        // kind in the shared-brief counts; related topics put the declared
        // ones first, with their counts, then the others in that order. So
        // the first ENTITY_LIST of each group, past the declared ones, and
        // the declared ones' counts cover all of it.
        let declared = &graph.declared_related[e];
        let entities = &graph.entities;
        let groups: [&[EntityKind]; 3] = [
            &[EntityKind::Person, EntityKind::Organization],
            &[EntityKind::Topic],
            &[EntityKind::Place],
        ];
        for kinds in groups {
            let shown = graph.relations.co_occurring_of(e, entities, kinds);
            for (x, count) in shown.take(ENTITY_LIST + declared.len()) {
                (self.entity[x], count).hash(h);
            }
        }
        for &t in declared {
            let topics = graph
                .relations
                .co_occurring_of(e, entities, &[EntityKind::Topic]);
            let count = topics.filter(|(x, _)| *x == t).map(|(_, n)| n).next();
            (self.entity[t], count).hash(h);
        }
    }

    /// An event as lists show it: its brief's face covers its events.
    fn event(&self, r: EventRef, h: &mut FxHasher) {
        (self.face[r.brief], r.event).hash(h);
    }

    /// The mentions of `e` at positions `range`.
    fn mentions(&self, e: EntityIx, range: std::ops::Range<usize>, h: &mut FxHasher) {
        let all = self.inputs.backlinks.mentions_of(e);
        for m in &all[range.start.min(all.len())..range.end.min(all.len())] {
            self.face[m.brief].hash(h);
            m.contexts.hash(h);
        }
    }

    /// The pages that link to `target` (`Views::linked_from`).
    fn linked_from(&self, target: Target, h: &mut FxHasher) {
        for &from in self.inputs.backlinks.linked_from(target) {
            match from {
                Target::Brief(b) => self.face[b].hash(h),
                Target::Entity(e) => self.entity[e].hash(h),
                Target::Page(p) => {
                    let page = &self.inputs.model.pages[p];
                    (&page.title, &page.slug).hash(h);
                }
            }
        }
    }
}

/// How a long timeline is split, as its year navigation shows it.
fn hash_years(years: &[TimelineYear], h: &mut FxHasher) {
    for y in years {
        (y.year, &y.pages, &y.months).hash(h);
    }
}
