//! iCalendar files (RFC 5545) of the events: `events.ics` at the site's
//! root with every event, and `events.ics` in the folder of each person,
//! organisation, topic and place with events, so a reader can subscribe
//! to an actor's dated events.
//!
//! Events are all-day: a day, or the whole month or year a partial date
//! names (`DTEND` is the day after, as RFC 5545 counts); a datetime keeps
//! its time, in UTC. Nothing comes from the clock: `DTSTAMP` is the
//! brief's `updated` (or `date`), the `UID` the event's id at the site's
//! host. An event dated after its brief is `TENTATIVE`, any other
//! `CONFIRMED`.
//!
//! The icalendar crate writes each event once (escaping and folding its
//! lines); an entity's calendar is the calendar's head and tail around the
//! texts of its events, so an event named by five entities is not built
//! six times.

use std::io::{self, Write};

use chrono::{NaiveDate, NaiveDateTime};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use crate::graph::EventRef;
use crate::output::feeds::last_changed;

use super::{CALENDAR, Chunks, Data, entity_calendar};

/// `PRODID`: what made the calendar.
const PRODID: &str = "-//dossier//dossier//EN";

/// Writes the site's calendar and every entity's that has events, handing
/// each to `put` as it is made (entities in parallel).
pub fn write(data: &Data, put: &(dyn Fn(&str, io::Result<Chunks>) + Sync)) {
    use rayon::prelude::*;
    let host = host(data.config.base_url.as_deref());
    let briefs = &data.model.briefs;
    // Each event's VEVENT, brief by brief, as `Data::description` keeps them.
    let texts: Vec<Vec<String>> = (0..briefs.len())
        .into_par_iter()
        .map(|b| {
            (0..briefs[b].events.len())
                .map(|event| vevent(data, EventRef { brief: b, event }, host))
                .collect()
        })
        .collect();
    let text = |r: &EventRef| texts[r.brief][r.event].as_str();
    let site = &data.config.title;
    let timeline = &data.graph.relations.timeline;
    put(CALENDAR, Ok(calendar(site, timeline.iter().map(text))));
    let entities = &data.graph.entities;
    (0..entities.len()).into_par_iter().for_each(|e| {
        let events = &data.graph.relations.entities[e].events;
        if super::has_calendar(data.graph, data.config.exports, e) {
            let entity = &entities[e];
            let name = format!("{} · {site}", entity.name);
            let file = entity_calendar(entity.kind, &entity.id);
            put(&file, Ok(calendar(&name, events.iter().map(text))));
        }
    });
}

/// The host of the site's `base_url`, for the events' `UID`s; `dossier`
/// without one.
fn host(base_url: Option<&str>) -> &str {
    base_url
        .and_then(|url| url.split_once("://"))
        .map(|(_, rest)| rest.split(['/', ':']).next().unwrap_or(rest))
        .filter(|host| !host.is_empty())
        .unwrap_or("dossier")
}

/// A calendar named `name` holding the events whose texts are given.
fn calendar<'a>(name: &str, events: impl Iterator<Item = &'a str>) -> Chunks {
    let mut head = Calendar::empty();
    head.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODID))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name(&one_line(name));
    let head = head.to_string();
    let end = head.rfind("END:VCALENDAR").unwrap_or(head.len());
    let mut out = Chunks::from(&head[..end]);
    for event in events {
        out.write_all(event.as_bytes()).unwrap_or(());
    }
    out.write_all(&head.as_bytes()[end..]).unwrap_or(());
    out
}

/// The `VEVENT` of one event.
fn vevent(data: &Data, r: EventRef, host: &str) -> String {
    let brief = &data.model.briefs[r.brief];
    let event = &brief.events[r.event];
    let resolved = &data.graph.briefs[r.brief];
    let expected = brief.expected_as_of(r.event);
    let mut vevent = Event::new();
    vevent
        .uid(&format!("{}@{host}", data.event_id(r)))
        .timestamp(instant(last_changed(brief)).and_utc())
        .summary(&one_line(&event.title))
        .status(if expected.is_some() {
            EventStatus::Tentative
        } else {
            EventStatus::Confirmed
        });
    match (event.date.utc(), event.date.days()) {
        (Some(at), _) => {
            vevent.starts(at.and_utc());
        }
        (None, Some((first, after))) => {
            vevent.starts(first).ends(after);
        }
        // A year the calendar cannot hold: the event has no time.
        (None, None) => {}
    }
    let mut description = String::new();
    if let Some(text) = data.description(r) {
        description.push_str(text);
        description.push_str("\n\n");
    }
    description.push_str(&format!("From: {}", brief.title));
    if let Some(confidence) = event.confidence {
        description.push_str(&format!("\nConfidence: {}", confidence.name()));
    }
    if let Some(as_of) = expected {
        description.push_str(&format!("\nExpected as of {}", as_of.iso()));
    }
    vevent.description(&lines(&description));
    if data.config.base_url.is_some() {
        vevent.url(&data.event_url(r));
    }
    if let Some(place) = resolved.events[r.event].place {
        vevent.location(&one_line(&data.graph.entities[place].name));
    }
    let topics = data.names(resolved.event_topics(r.event));
    if !topics.is_empty() {
        vevent.categories(topics.iter().map(|t| one_line(t)));
    }
    Component::try_into_string(&vevent).unwrap_or_default()
}

/// When a brief changed, as an instant: a datetime's, else midnight UTC
/// of the first day the date names.
fn instant(date: &crate::content::date::Date) -> NaiveDateTime {
    date.utc().unwrap_or_else(|| {
        let (first, _) = date.days().unwrap_or((NaiveDate::MIN, NaiveDate::MIN));
        first.and_time(chrono::NaiveTime::MIN)
    })
}

/// Text for a property that holds one line: line breaks become spaces.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n']).collect::<Vec<_>>().join(" ")
}

/// Text for a property that may hold lines: every line break a `\n`
/// (which the crate escapes), none a bare carriage return.
fn lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_names_the_events() {
        assert_eq!(host(Some("https://example.org/watch/")), "example.org");
        assert_eq!(host(Some("http://127.0.0.1:8000/")), "127.0.0.1");
        assert_eq!(host(None), "dossier");
    }
}
