//! `data/dossier.json`: the whole site as data, one record per line, in
//! the shape `dossier.schema.json` (beside this file, and written beside
//! the JSON) describes. docs/format.md ("The data files") documents each
//! field and what changes [`VERSION`].

use std::io::{self, Write};

use serde::Serialize;

use crate::content::model::{Confidence, SourceLink};
use crate::graph::EventRef;

use super::{Chunks, Data, SCHEMA};

/// The version of the JSON's shape. It goes up when a field is removed or
/// renamed or changes meaning or type; new fields and new values of
/// `kind` or `type` do not change it.
pub const VERSION: u32 = 1;

/// The JSON Schema (draft 2020-12) of the file.
pub const SCHEMA_TEXT: &str = include_str!("dossier.schema.json");

/// The text of `data/dossier.json`.
pub fn dossier(data: &Data) -> io::Result<Chunks> {
    let model = data.model;
    let graph = data.graph;
    let config = data.config;
    let timeline = &graph.relations.timeline;
    let mut out = Chunks::default();
    out.write_all(b"{\"schema\":")?;
    serde_json::to_writer(&mut out, &data.url(SCHEMA))?;
    write!(out, ",\"version\":{VERSION},\n\"site\":")?;
    let site = SiteRecord {
        title: &config.title,
        description: &config.description,
        base_url: config.base_url.as_deref(),
        language: &config.language,
    };
    serde_json::to_writer(&mut out, &site)?;
    let briefs = graph.relations.chronological.iter().map(|&b| {
        let brief = &model.briefs[b];
        let resolved = &graph.briefs[b];
        BriefRecord {
            slug: &brief.slug,
            title: &brief.title,
            date: brief.date.iso(),
            updated: brief.updated.as_ref().map(|d| d.iso()),
            summary: data.summary(b),
            confidence: brief.confidence,
            url: data.brief_url(b),
            actors: (resolved.actors.iter())
                .map(|(e, role)| ActorRecord {
                    entity: data.key(*e),
                    role: role.as_deref(),
                })
                .collect(),
            topics: data.keys(&resolved.topics),
            places: data.keys(&resolved.places),
            sources: brief.sources.iter().map(SourceRecord::of).collect(),
        }
    });
    list(&mut out, "briefs", briefs)?;
    let entities = data.entities_in_order().map(|e| {
        let entity = &graph.entities[e];
        let profile = entity.profile.map(|p| &model.profiles[p]);
        let facts = profile.map(|p| &p.facts);
        let relations = &graph.relations.entities[e];
        EntityRecord {
            key: data.key(e),
            id: &entity.id,
            kind: entity.kind.name(),
            name: &entity.name,
            aliases: &entity.aliases,
            stub: entity.is_stub(),
            url: data.entity_url(e),
            calendar: data.calendar_url(e),
            summary: (entity.profile)
                .map(|p| data.bodies.profile_summary(model, p))
                .filter(|s| !s.is_empty()),
            brief_count: relations.briefs.len(),
            event_count: relations.events.len(),
            facts: FactsRecord {
                role: facts.and_then(|f| f.role.as_deref()),
                r#type: facts.and_then(|f| f.org_type.as_deref()),
                country: facts.and_then(|f| f.country.as_deref()),
                born: facts.and_then(|f| f.born.as_ref()).map(|d| d.iso()),
                died: facts.and_then(|f| f.died.as_ref()).map(|d| d.iso()),
                founded: facts.and_then(|f| f.founded.as_ref()).map(|d| d.iso()),
                lat: facts.and_then(|f| f.lat),
                lon: facts.and_then(|f| f.lon),
                links: (facts.map(|f| f.links.as_slice()).unwrap_or_default().iter())
                    .map(|(label, url)| LinkRecord { label, url })
                    .collect(),
            },
        }
    });
    list(&mut out, "entities", entities)?;
    let events = timeline.iter().map(|&r| event_record(data, r));
    list(&mut out, "events", events)?;
    let ties = &graph.ties;
    let affiliations = ties.positions.iter().map(|position| {
        let affiliation = ties.affiliation(model, position);
        let died = model.profiles[position.profile].facts.died.as_ref();
        AffiliationRecord {
            person: data.key(position.person),
            org: data.key(position.org),
            role: affiliation.role.as_deref(),
            from: affiliation.from.as_ref().map(|d| d.iso()),
            until: affiliation.until.as_ref().map(|d| d.iso()),
            current: affiliation.until.is_none() && died.is_none(),
            source: affiliation.source.as_deref(),
        }
    });
    list(&mut out, "affiliations", affiliations)?;
    let relations = ties.relations.iter().map(|tie| {
        let relation = ties.relation(model, tie);
        RelationRecord {
            subject: data.key(tie.subject),
            object: data.key(tie.object),
            r#type: &relation.label,
            inverse: config.inverses.of(&relation.label),
            from: relation.from.as_ref().map(|d| d.iso()),
            until: relation.until.as_ref().map(|d| d.iso()),
            source: relation.source.as_deref(),
        }
    });
    list(&mut out, "relations", relations)?;
    let connections = data
        .connections()
        .into_iter()
        .map(|(a, b, n)| ConnectionRecord {
            a: data.key(a),
            b: data.key(b),
            shared_briefs: n,
        });
    list(&mut out, "connections", connections)?;
    out.write_all(b"}\n")?;
    Ok(out)
}

/// Writes `,\n"name":[` and each item on a line of its own.
fn list<T: Serialize>(
    out: &mut Chunks,
    name: &str,
    items: impl Iterator<Item = T>,
) -> io::Result<()> {
    write!(out, ",\n\"{name}\":[")?;
    for (i, item) in items.enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &item)?;
    }
    out.write_all(b"\n]")?;
    Ok(())
}

fn event_record<'a>(data: &'a Data, r: EventRef) -> EventRecord<'a> {
    let brief = &data.model.briefs[r.brief];
    let event = &brief.events[r.event];
    let resolved = &data.graph.briefs[r.brief];
    EventRecord {
        id: data.event_id(r),
        date: event.date.iso(),
        title: &event.title,
        description: data.description(r),
        brief: &brief.slug,
        url: data.event_url(r),
        place: resolved.events[r.event].place.map(|p| data.key(p)),
        actors: data.keys(&resolved.events[r.event].actors),
        topics: data.keys(resolved.event_topics(r.event)),
        confidence: event.confidence,
        expected: brief.expected_as_of(r.event).map(|d| d.iso()),
        sources: (event.sources.iter())
            .map(|s| EventSourceRecord {
                url: &s.url,
                number: s.number,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct SiteRecord<'a> {
    title: &'a str,
    description: &'a str,
    base_url: Option<&'a str>,
    language: &'a str,
}

#[derive(Serialize)]
struct BriefRecord<'a> {
    slug: &'a str,
    title: &'a str,
    date: &'a str,
    updated: Option<&'a str>,
    summary: &'a str,
    confidence: Option<Confidence>,
    url: String,
    actors: Vec<ActorRecord<'a>>,
    topics: Vec<&'a str>,
    places: Vec<&'a str>,
    sources: Vec<SourceRecord<'a>>,
}

#[derive(Serialize)]
struct ActorRecord<'a> {
    entity: &'a str,
    role: Option<&'a str>,
}

#[derive(Serialize)]
struct SourceRecord<'a> {
    url: &'a str,
    title: Option<&'a str>,
    publisher: Option<&'a str>,
    date: Option<&'a str>,
}

impl SourceRecord<'_> {
    fn of(source: &SourceLink) -> SourceRecord<'_> {
        SourceRecord {
            url: &source.url,
            title: source.title.as_deref(),
            publisher: source.publisher.as_deref(),
            date: source.date.as_ref().map(|d| d.iso()),
        }
    }
}

#[derive(Serialize)]
struct EntityRecord<'a> {
    key: &'a str,
    id: &'a str,
    kind: &'static str,
    name: &'a str,
    aliases: &'a [String],
    stub: bool,
    url: String,
    calendar: Option<String>,
    summary: Option<&'a str>,
    brief_count: usize,
    event_count: usize,
    facts: FactsRecord<'a>,
}

#[derive(Serialize)]
struct FactsRecord<'a> {
    role: Option<&'a str>,
    r#type: Option<&'a str>,
    country: Option<&'a str>,
    born: Option<&'a str>,
    died: Option<&'a str>,
    founded: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    links: Vec<LinkRecord<'a>>,
}

#[derive(Serialize)]
struct LinkRecord<'a> {
    label: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct EventRecord<'a> {
    id: String,
    date: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    brief: &'a str,
    url: String,
    place: Option<&'a str>,
    actors: Vec<&'a str>,
    topics: Vec<&'a str>,
    confidence: Option<Confidence>,
    expected: Option<&'a str>,
    sources: Vec<EventSourceRecord<'a>>,
}

#[derive(Serialize)]
struct EventSourceRecord<'a> {
    url: &'a str,
    number: Option<usize>,
}

#[derive(Serialize)]
struct AffiliationRecord<'a> {
    person: &'a str,
    org: &'a str,
    role: Option<&'a str>,
    from: Option<&'a str>,
    until: Option<&'a str>,
    current: bool,
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct RelationRecord<'a> {
    subject: &'a str,
    object: &'a str,
    r#type: &'a str,
    inverse: Option<&'a str>,
    from: Option<&'a str>,
    until: Option<&'a str>,
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct ConnectionRecord<'a> {
    a: &'a str,
    b: &'a str,
    shared_briefs: u32,
}
