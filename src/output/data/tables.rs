//! `data/briefs.csv` and `data/events.csv`: one row per brief or event,
//! for spreadsheets (RFC 4180: a header row, fields quoted where needed,
//! lines ending in CRLF, UTF-8).
//!
//! A list (actors, topics, places, sources) is one field with its items
//! joined by `; `: names for people to read, and beside them the same
//! entities' keys (`person:kim-jong-un`), in the same order, for programs
//! to join on (a key never holds `;`).

use std::io;

use crate::graph::EntityIx;

use super::{Chunks, Data};

/// How the items of a list are joined in one field.
pub const LIST_SEPARATOR: &str = "; ";

/// The columns of `briefs.csv`.
pub const BRIEF_COLUMNS: [&str; 15] = [
    "slug",
    "title",
    "date",
    "updated",
    "confidence",
    "summary",
    "url",
    "actors",
    "actor_keys",
    "topics",
    "topic_keys",
    "places",
    "place_keys",
    "sources",
    "events",
];

/// The columns of `events.csv`.
pub const EVENT_COLUMNS: [&str; 16] = [
    "id",
    "date",
    "title",
    "description",
    "confidence",
    "expected",
    "brief",
    "brief_title",
    "url",
    "place",
    "place_key",
    "actors",
    "actor_keys",
    "topics",
    "topic_keys",
    "sources",
];

fn writer() -> csv::Writer<Chunks> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Chunks::default())
}

fn finish(writer: csv::Writer<Chunks>) -> io::Result<Chunks> {
    writer.into_inner().map_err(|e| e.into_error())
}

/// The names and the keys of a list of entities, each list in one field.
fn names_and_keys(data: &Data, list: &[EntityIx]) -> [String; 2] {
    [
        data.names(list).join(LIST_SEPARATOR),
        data.keys(list).join(LIST_SEPARATOR),
    ]
}

/// The text of `data/briefs.csv`: every brief, oldest first.
pub fn briefs(data: &Data) -> io::Result<Chunks> {
    let mut out = writer();
    out.write_record(BRIEF_COLUMNS)?;
    for &b in &data.graph.relations.chronological {
        let brief = &data.model.briefs[b];
        let resolved = &data.graph.briefs[b];
        let actors: Vec<EntityIx> = resolved.actors.iter().map(|(e, _)| *e).collect();
        let [actor_names, actor_keys] = names_and_keys(data, &actors);
        let [topic_names, topic_keys] = names_and_keys(data, &resolved.topics);
        let [place_names, place_keys] = names_and_keys(data, &resolved.places);
        let sources: Vec<&str> = brief.sources.iter().map(|s| s.url.as_str()).collect();
        out.write_record([
            brief.slug.as_str(),
            &brief.title,
            brief.date.iso(),
            brief.updated.as_ref().map_or("", |d| d.iso()),
            brief.confidence.map_or("", |c| c.name()),
            data.summary(b),
            &data.brief_url(b),
            &actor_names,
            &actor_keys,
            &topic_names,
            &topic_keys,
            &place_names,
            &place_keys,
            &sources.join(LIST_SEPARATOR),
            &brief.events.len().to_string(),
        ])?;
    }
    finish(out)
}

/// The text of `data/events.csv`: every event, in time order.
pub fn events(data: &Data) -> io::Result<Chunks> {
    let mut out = writer();
    out.write_record(EVENT_COLUMNS)?;
    for &r in &data.graph.relations.timeline {
        let brief = &data.model.briefs[r.brief];
        let event = &brief.events[r.event];
        let resolved = &data.graph.briefs[r.brief];
        let place = resolved.events[r.event].place;
        let [actor_names, actor_keys] = names_and_keys(data, &resolved.events[r.event].actors);
        let [topic_names, topic_keys] = names_and_keys(data, resolved.event_topics(r.event));
        let sources: Vec<&str> = event.sources.iter().map(|s| s.url.as_str()).collect();
        out.write_record([
            data.event_id(r).as_str(),
            event.date.iso(),
            &event.title,
            data.description(r).unwrap_or_default(),
            event.confidence.map_or("", |c| c.name()),
            brief.expected_as_of(r.event).map_or("", |d| d.iso()),
            &brief.slug,
            &brief.title,
            &data.event_url(r),
            place.map_or("", |p| data.graph.entities[p].name.as_str()),
            place.map_or("", |p| data.key(p)),
            &actor_names,
            &actor_keys,
            &topic_names,
            &topic_keys,
            &sources.join(LIST_SEPARATOR),
        ])?;
    }
    finish(out)
}
