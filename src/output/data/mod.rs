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
//! The files list the whole site, like the search index: a build makes
//! them beside it, before the pages, and `serve` makes them again once
//! saves pause (`Session::settle`).

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
/// as it is done. Returns the problems writing them.
///
/// One format at a time, so that memory holds one file's pieces (the JSON,
/// the largest, is about 2 KB per brief); the calendars, most of the work
/// (a file per entity with events), are made in parallel.
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
    let put = |name: &str, made: io::Result<Chunks>| {
        if let Err(e) = made.and_then(|file| sink.write_parts(name, &file.into_parts())) {
            let problem =
                Diagnostic::error("io", format!("cannot write `{name}` to the output: {e}"));
            (problems.lock().unwrap_or_else(|e| e.into_inner())).push(problem);
        }
    };
    let (data, put) = (&data, &put);
    if exports.json {
        put(SCHEMA, Ok(Chunks::from(json::SCHEMA_TEXT)));
        put(JSON, json::dossier(data));
    }
    if exports.csv {
        put(BRIEFS_CSV, tables::briefs(data));
        put(EVENTS_CSV, tables::events(data));
    }
    if exports.graphml {
        put(GRAPHML, graphml::graph(data));
    }
    if exports.ics {
        calendar::write(data, put);
    }
    problems.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// A file made in pieces of at most [`Chunks::PIECE`] bytes rather than in
/// one buffer, and written as it is ([`Sink::write_parts`]). No allocation
/// grows with the site: the memory the pages freed serves the data files
/// too, where one buffer of tens of megabytes would be fresh memory from
/// the system (and a second one while it grows).
#[derive(Debug, Default)]
pub struct Chunks {
    full: Vec<Vec<u8>>,
    current: Vec<u8>,
}

impl Chunks {
    pub const PIECE: usize = 64 * 1024;

    /// The pieces, in order.
    pub fn into_parts(mut self) -> Vec<Vec<u8>> {
        if !self.current.is_empty() {
            self.full.push(self.current);
        }
        self.full
    }
}

impl From<&str> for Chunks {
    fn from(text: &str) -> Chunks {
        let mut chunks = Chunks::default();
        io::Write::write_all(&mut chunks, text.as_bytes()).unwrap_or(());
        chunks
    }
}

impl io::Write for Chunks {
    fn write(&mut self, mut buf: &[u8]) -> io::Result<usize> {
        let written = buf.len();
        while !buf.is_empty() {
            if self.current.len() == Self::PIECE {
                self.full.push(std::mem::take(&mut self.current));
            }
            if self.current.capacity() == 0 {
                self.current.reserve_exact(Self::PIECE);
            }
            let room = Self::PIECE - self.current.len();
            let (now, rest) = buf.split_at(room.min(buf.len()));
            self.current.extend_from_slice(now);
            buf = rest;
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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
    fn chunks_hold_what_was_written_in_pieces() {
        use std::io::Write;
        let mut chunks = Chunks::default();
        let long = vec![7u8; Chunks::PIECE + 10];
        chunks.write_all(b"abc").unwrap();
        chunks.write_all(&long).unwrap();
        chunks.write_all(b"xyz").unwrap();
        let parts = chunks.into_parts();
        assert_eq!(
            parts.iter().map(Vec::len).collect::<Vec<_>>(),
            [Chunks::PIECE, 16]
        );
        assert_eq!(parts.concat(), [&b"abc"[..], &long, b"xyz"].concat());
        assert!(Chunks::default().into_parts().is_empty());
    }

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
