//! The data behind the site: machine-readable files written beside the
//! pages, made from the model and the graph alone (read-only, like the
//! pages), so that what they say is what the pages show.
//!
//! - `data/dossier.json` ([`json`]): every brief, entity, event,
//!   affiliation, relation and connection, with their URLs; versioned,
//!   with its JSON Schema beside it (`data/dossier.schema.json`);
//! - `data/briefs.csv`, `data/events.csv` ([`tables`]): one row per brief
//!   or event, for spreadsheets;
//! - `data/graph.graphml` ([`graphml`]): entities and their ties, for Gephi
//!   and other network tools;
//! - `events.ics` and `<entity>/events.ics` ([`calendar`]): the events of
//!   the site and of each entity, to subscribe to in a calendar.
//!
//! `exports:` in site.yaml switches each off. Records refer to each other
//! by entity key (`person:kim-jong-un`), brief slug and event id
//! (`event-kim-arrives-1`, the anchor the pages use). URLs are absolute
//! with a `base_url`, else paths from the site's root (`people/kim/`).
//! Everything is in a fixed order and nothing depends on the clock, so the
//! same site gives the same bytes.
//!
//! The files list the whole site, like the search index: a build writes
//! them after the pages, when the pages' memory is free again, and `serve`
//! makes them again once saves pause (`Session::settle`).

pub mod calendar;
pub mod graphml;
pub mod json;
pub mod tables;

use std::io;
use std::sync::Mutex;

use crate::config::{Config, Exports};
use crate::content::model::{EntityKind, Model};
use crate::diagnostics::Diagnostic;
use crate::graph::{BriefIx, EntityIx, EventRef, Graph};
use crate::output::Sink;
use crate::render::bodies::Bodies;
use crate::render::context::event_id;
use crate::render::links;
use crate::render::markdown::{html_text, render_inline};

/// The JSON export.
pub const JSON: &str = "data/dossier.json";
/// The JSON Schema of [`JSON`], written beside it.
pub const SCHEMA: &str = "data/dossier.schema.json";
/// The spreadsheet of briefs.
pub const BRIEFS_CSV: &str = "data/briefs.csv";
/// The spreadsheet of events.
pub const EVENTS_CSV: &str = "data/events.csv";
/// The graph of entities and their ties.
pub const GRAPHML: &str = "data/graph.graphml";
/// The calendar of every event, at the site's root; each entity's is the
/// file of this name in its page's folder.
pub const CALENDAR: &str = "events.ics";

/// The site path of an entity's calendar: `people/kim-jong-un/events.ics`.
pub fn entity_calendar(kind: EntityKind, id: &str) -> String {
    format!("{}{CALENDAR}", links::entity(kind, id))
}

/// True if entity `e` has a calendar: calendars are on and it has events.
pub fn has_calendar(graph: &Graph, exports: Exports, e: EntityIx) -> bool {
    exports.ics && !graph.relations.entities[e].events.is_empty()
}

/// Every file the exports switched on write, by path under the output
/// folder (for the check that no static file replaces one).
pub fn files(graph: &Graph, exports: Exports) -> Vec<String> {
    let mut files = Vec::new();
    if exports.json {
        files.extend([JSON.to_string(), SCHEMA.to_string()]);
    }
    if exports.csv {
        files.extend([BRIEFS_CSV.to_string(), EVENTS_CSV.to_string()]);
    }
    if exports.graphml {
        files.push(GRAPHML.to_string());
    }
    if exports.ics {
        files.push(CALENDAR.to_string());
        for (e, entity) in graph.entities.iter().enumerate() {
            if has_calendar(graph, exports, e) {
                files.push(entity_calendar(entity.kind, &entity.id));
            }
        }
    }
    files
}

/// True for a path some export may write, whatever the settings and the
/// site: `serve` removes such a file from what it serves once a rebuild
/// no longer makes it (unless it is a static file).
pub fn is_export_file(name: &str) -> bool {
    if [JSON, SCHEMA, BRIEFS_CSV, EVENTS_CSV, GRAPHML, CALENDAR].contains(&name) {
        return true;
    }
    let Some(folder) = name.strip_suffix(CALENDAR) else {
        return false;
    };
    let mut parts = folder.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(kind), Some(id), Some(""), None)
            if !id.is_empty() && EntityKind::ALL.iter().any(|k| k.folder() == kind)
    )
}

/// Makes every export the settings ask for and hands each file to `sink`
/// as it is done, the formats in parallel. Returns the problems writing
/// them.
pub fn write(
    model: &Model,
    graph: &Graph,
    bodies: &Bodies,
    config: &Config,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let exports = config.exports;
    if exports == Exports::all(false) {
        return Vec::new();
    }
    let data = Data::new(model, graph, bodies, config);
    let problems = Mutex::new(Vec::new());
    let put = |name: &str, made: io::Result<Vec<u8>>| {
        if let Err(e) = made.and_then(|bytes| sink.write(name, &bytes)) {
            let problem =
                Diagnostic::error("io", format!("cannot write `{name}` to the output: {e}"));
            (problems.lock().unwrap_or_else(|e| e.into_inner())).push(problem);
        }
    };
    let data = &data;
    let put = &put;
    rayon::scope(|s| {
        if exports.json {
            s.spawn(move |_| put(SCHEMA, Ok(json::SCHEMA_TEXT.as_bytes().to_vec())));
            s.spawn(move |_| put(JSON, json::dossier(data)));
        }
        if exports.csv {
            s.spawn(move |_| put(BRIEFS_CSV, tables::briefs(data)));
            s.spawn(move |_| put(EVENTS_CSV, tables::events(data)));
        }
        if exports.graphml {
            s.spawn(move |_| put(GRAPHML, graphml::graph(data)));
        }
        if exports.ics {
            s.spawn(move |_| calendar::write(data, put));
        }
    });
    problems.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// What every export reads, with what they all need worked out once.
pub struct Data<'a> {
    pub model: &'a Model,
    pub graph: &'a Graph,
    pub bodies: &'a Bodies,
    pub config: &'a Config,
    /// Each entity's key (`person:kim-jong-un`), parallel to the entities.
    keys: Vec<String>,
    /// Where each brief's events start in `descriptions`.
    first_event: Vec<usize>,
    /// Each event's description as plain text, brief by brief.
    descriptions: Vec<Option<String>>,
}

impl<'a> Data<'a> {
    pub fn new(
        model: &'a Model,
        graph: &'a Graph,
        bodies: &'a Bodies,
        config: &'a Config,
    ) -> Data<'a> {
        use rayon::prelude::*;
        let keys = (graph.entities.iter())
            .map(|e| format!("{}:{}", e.kind.name(), e.id))
            .collect();
        let mut first_event = Vec::with_capacity(model.briefs.len());
        let mut count = 0;
        for brief in &model.briefs {
            first_event.push(count);
            count += brief.events.len();
        }
        let descriptions = (model.briefs.par_iter())
            .flat_map_iter(|brief| brief.events.iter())
            .map(|event| {
                let markdown = event.description.as_deref()?;
                let text = html_text(&render_inline(markdown, config.raw_html));
                Some(text.trim().to_string()).filter(|t| !t.is_empty())
            })
            .collect();
        Data {
            model,
            graph,
            bodies,
            config,
            keys,
            first_event,
            descriptions,
        }
    }

    /// `person:kim-jong-un`: unique among all entities.
    pub fn key(&self, e: EntityIx) -> &str {
        &self.keys[e]
    }

    /// The keys of a list of entities.
    pub fn keys(&self, list: &[EntityIx]) -> Vec<&str> {
        list.iter().map(|&e| self.key(e)).collect()
    }

    /// The names of a list of entities.
    pub fn names(&self, list: &[EntityIx]) -> Vec<&str> {
        (list.iter())
            .map(|&e| self.graph.entities[e].name.as_str())
            .collect()
    }

    /// The URL of a site path: absolute with a `base_url`, else the path
    /// from the site's root.
    pub fn url(&self, site_path: &str) -> String {
        match &self.config.base_url {
            Some(base) => format!("{base}{site_path}"),
            None => site_path.to_string(),
        }
    }

    pub fn brief_url(&self, b: BriefIx) -> String {
        self.url(&links::brief(&self.model.briefs[b].slug))
    }

    pub fn entity_url(&self, e: EntityIx) -> String {
        let entity = &self.graph.entities[e];
        self.url(&links::entity(entity.kind, &entity.id))
    }

    /// The URL of an entity's calendar, if it has one.
    pub fn calendar_url(&self, e: EntityIx) -> Option<String> {
        let entity = &self.graph.entities[e];
        has_calendar(self.graph, self.config.exports, e)
            .then(|| self.url(&entity_calendar(entity.kind, &entity.id)))
    }

    /// `event-kim-arrives-1`: the anchor of the event on every page.
    pub fn event_id(&self, r: EventRef) -> String {
        event_id(&self.model.briefs[r.brief].slug, r.event)
    }

    /// The event's anchor on its brief's page.
    pub fn event_url(&self, r: EventRef) -> String {
        format!("{}#{}", self.brief_url(r.brief), self.event_id(r))
    }

    /// The event's description as plain text.
    pub fn description(&self, r: EventRef) -> Option<&str> {
        self.descriptions[self.first_event[r.brief] + r.event].as_deref()
    }

    /// The brief's summary as plain text: its front matter's, else its
    /// body's first paragraph.
    pub fn summary(&self, b: BriefIx) -> &str {
        self.bodies.brief_summary(self.model, b)
    }

    /// Every entity, by kind (people, organisations, topics, places) and
    /// by name within a kind, as the index pages list them.
    pub fn entities_in_order(&self) -> impl Iterator<Item = EntityIx> + '_ {
        EntityKind::ALL
            .into_iter()
            .flat_map(|kind| self.graph.entities_of(kind).iter().copied())
    }

    /// Each pair of actors (people and organisations) that share briefs,
    /// once, with how many they share: the first of each pair is the one
    /// listed first by [`Data::entities_in_order`], and each one's pairs come
    /// most shared first, as its connections do on its page.
    pub fn connections(&self) -> Vec<(EntityIx, EntityIx, u32)> {
        let mut rank = vec![usize::MAX; self.graph.entities.len()];
        for (n, e) in self.entities_in_order().enumerate() {
            rank[e] = n;
        }
        let actors = [EntityKind::Person, EntityKind::Organization];
        let relations = &self.graph.relations;
        let mut pairs = Vec::new();
        for kind in actors {
            for &a in self.graph.entities_of(kind) {
                let shared = relations.co_occurring_of(a, &self.graph.entities, &actors);
                pairs.extend(
                    shared
                        .filter(|&(b, _)| rank[b] > rank[a])
                        .map(|(b, n)| (a, b, n)),
                );
            }
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_files_are_known_by_their_paths() {
        for name in [
            "data/dossier.json",
            "events.ics",
            "people/kim-jong-un/events.ics",
            "places/vladivostok/events.ics",
        ] {
            assert!(is_export_file(name), "{name}");
        }
        for name in [
            "data/other.json",
            "people/events.ics",
            "people/kim/events/events.ics",
            "briefs/kim/events.ics",
            "people//events.ics",
        ] {
            assert!(!is_export_file(name), "{name}");
        }
    }
}
