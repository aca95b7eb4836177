//! What a page tells sharing previews and search engines about itself: the
//! values of its Open Graph and Twitter card tags, and its schema.org
//! JSON-LD (SPEC issue 14, "shared and found").
//!
//! Each page template receives one [`Meta`] as `meta`; `base.html` prints
//! its tags in `<head>`. The JSON-LD is built here, from the page's own view
//! (a [`BriefView`], an [`EntityView`] …) and the model, so it costs one
//! small serialisation per page and reads nothing else:
//!
//! - the home page: a `WebSite`;
//! - a brief: a `NewsArticle`, `about` its actors, topics and places, and
//!   each of its events as an `Event`;
//! - a person, organisation, topic or place: a `Person`, `Organization`,
//!   `Thing` or `Place` (with `geo` when the profile gives `lat` and `lon`);
//! - an entity's archive pages and the lists: a `CollectionPage`;
//! - every other page: a `WebPage`.
//!
//! Every JSON-LD text is `{"@context": "https://schema.org", "@graph": [...]}`,
//! the page's own node first. Absolute URLs (`url`, `@id`, `image`) need a
//! `base_url` and are left out without one.
//!
//! Everything shown here must be in the page's fingerprint
//! ([`super::fingerprint`]): that is why a brief's places and event
//! locations carry no `geo` (a place's coordinates are not part of a
//! brief page's fingerprint).

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::content::date::Date;
use crate::content::model::EntityKind;
use crate::graph::{BriefIx, EntityIx};

use super::context::{ArchiveView, BriefView, Common, EntityLink, EntityView, FreePageView, Views};
use super::links;

/// The `meta` key of every page template.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// `og:type`: `article` for briefs, `profile` for a person's own page,
    /// `website` otherwise.
    pub og_type: &'static str,
    /// The page's summary, or else the site's description; `""` when
    /// neither has one.
    pub description: String,
    /// The absolute URL of the profile's image; null without one or
    /// without a `base_url`.
    pub image: Option<String>,
    /// Briefs only: the brief's `date`, ISO 8601.
    pub published: Option<String>,
    /// Briefs only: the brief's `updated`, ISO 8601; null without one.
    pub modified: Option<String>,
    /// The page's schema.org JSON-LD, safe to print inside
    /// `<script type="application/ld+json">` with `| safe`.
    pub json_ld: String,
}

/// The page's absolute URL, as `canonical`.
fn absolute(config: &Config, site_path: &str) -> Option<String> {
    (config.base_url.as_ref()).map(|base| format!("{base}{site_path}"))
}

/// A date as JSON-LD and Open Graph take it: as written (`2023-09-12`,
/// `2023-09`, `2023`, `2023-09-12T06:00:00+09:00`), with a `T` between a
/// day and its time.
fn iso(date: &Date) -> String {
    let text = date.iso();
    match text.as_bytes().get(10) {
        Some(b' ') => format!("{}T{}", &text[..10], &text[11..]),
        _ => text.to_string(),
    }
}

/// The page's summary, or the site's description.
fn description(config: &Config, summary: &str) -> String {
    if summary.trim().is_empty() {
        config.description.clone()
    } else {
        summary.to_string()
    }
}

fn schema_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Organization => "Organization",
        EntityKind::Topic => "Thing",
        EntityKind::Place => "Place",
    }
}

/// `key: value` in `node` when there is a value.
fn put(node: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(value) = value {
        node.insert(key.to_string(), value.into());
    }
}

/// A node of `type` named `name`, at `url` when there is one.
fn node(schema: &str, name: &str, url: Option<String>) -> Map<String, Value> {
    let mut node = Map::new();
    node.insert("@type".into(), schema.into());
    node.insert("name".into(), name.into());
    put(&mut node, "url", url);
    node
}

/// A reference to an entity: its type, name and page.
fn entity_ref(config: &Config, kind: EntityKind, id: &str, name: &str) -> Value {
    let url = absolute(config, &links::entity(kind, id));
    Value::Object(node(schema_type(kind), name, url))
}

fn link_ref(config: &Config, link: &EntityLink) -> Value {
    entity_ref(config, link.kind, &link.id, &link.name)
}

/// An absolute URL for a file under `static/`: characters a URL cannot
/// hold as they are are percent-encoded.
fn static_url(base: &str, path: &str) -> String {
    let mut url = String::with_capacity(base.len() + path.len());
    url.push_str(base);
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                url.push(byte as char)
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

/// The JSON-LD of a page: its nodes in a `@graph`, as text that cannot
/// end the `<script>` element holding it. `<`, `>` and `&` (and the line
/// and paragraph separators, which old JavaScript parsers reject) are
/// written as `\u` escapes. They can only occur inside JSON strings, where
/// an escape means the same character, so the text parses to the same
/// value; and without a `<`, no `</script>` or `<!--` can appear in it.
pub fn json_ld(nodes: Vec<Value>) -> String {
    let value = json!({ "@context": "https://schema.org", "@graph": nodes });
    script_safe(&value.to_string())
}

/// JSON text with `<`, `>`, `&`, U+2028 and U+2029 escaped (see [`json_ld`]).
pub fn script_safe(json: &str) -> String {
    // Copies runs of safe text whole; only the five characters are rewritten.
    let mut out = String::with_capacity(json.len() + 16);
    let mut from = 0;
    for (at, c) in json.char_indices() {
        let escaped = match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            _ => continue,
        };
        out.push_str(&json[from..at]);
        out.push_str(escaped);
        from = at + c.len_utf8();
    }
    out.push_str(&json[from..]);
    out
}

/// The meta of a page that is none of those below: a list, the timeline,
/// the search page, the 404 page. Their `og:description` is the site's.
pub fn page(config: &Config, common: &Common) -> Meta {
    let schema = match common.kind {
        "briefs" | "list" | "timeline" => "CollectionPage",
        _ => "WebPage",
    };
    let mut main = node(schema, &common.title, common.canonical.clone());
    put(&mut main, "@id", common.canonical.clone());
    plain(config, main, "")
}

/// A `website` with one node, described by `summary` (the page's own,
/// `""` for none).
fn plain(config: &Config, mut main: Map<String, Value>, summary: &str) -> Meta {
    if !summary.trim().is_empty() {
        main.insert("description".into(), summary.into());
    }
    Meta {
        og_type: "website",
        description: description(config, summary),
        image: None,
        published: None,
        modified: None,
        json_ld: json_ld(vec![Value::Object(main)]),
    }
}

/// The home page: the site, with its search.
pub fn home(config: &Config) -> Meta {
    let url = absolute(config, &links::home());
    let mut site = node("WebSite", &config.title, url.clone());
    put(&mut site, "@id", url.clone());
    site.insert("inLanguage".into(), config.language.clone().into());
    if let Some(base) = &config.base_url {
        let target = format!("{base}{}?q={{search_term_string}}", links::search());
        site.insert(
            "potentialAction".into(),
            json!({
                "@type": "SearchAction",
                "target": target,
                "query-input": "required name=search_term_string",
            }),
        );
    }
    plain(config, site, &config.description)
}

/// A free page.
pub fn free_page(config: &Config, common: &Common, view: &FreePageView) -> Meta {
    let mut main = node("WebPage", &view.title, common.canonical.clone());
    put(&mut main, "@id", common.canonical.clone());
    plain(config, main, &view.summary)
}

/// One of an entity's archive pages: a collection about the entity.
pub fn archive(config: &Config, common: &Common, view: &ArchiveView) -> Meta {
    let mut main = node("CollectionPage", &common.title, common.canonical.clone());
    put(&mut main, "@id", common.canonical.clone());
    main.insert("about".into(), link_ref(config, &view.entity));
    plain(config, main, "")
}

/// A brief: the article, and its events.
pub fn brief(views: &Views, b: BriefIx, view: &BriefView) -> Meta {
    let config = views.config;
    let brief = &views.model.briefs[b];
    let resolved = &views.graph.briefs[b];
    let url = absolute(config, &links::brief(&brief.slug));
    let published = iso(&brief.date);
    let modified = brief.updated.as_ref().map(iso);
    let description = description(config, &view.summary);

    let mut article = Map::new();
    article.insert("@type".into(), "NewsArticle".into());
    put(&mut article, "@id", url.clone());
    put(&mut article, "url", url.clone());
    put(&mut article, "mainEntityOfPage", url.clone());
    article.insert("headline".into(), view.title.clone().into());
    article.insert("name".into(), view.title.clone().into());
    if !description.is_empty() {
        article.insert("description".into(), description.clone().into());
    }
    article.insert("datePublished".into(), published.clone().into());
    article.insert(
        "dateModified".into(),
        modified.clone().unwrap_or_else(|| published.clone()).into(),
    );
    article.insert("inLanguage".into(), config.language.clone().into());
    let about: Vec<Value> = (view.actors.iter().map(|a| &a.entity))
        .chain(&view.topics)
        .chain(&view.places)
        .map(|e| link_ref(config, e))
        .collect();
    if !about.is_empty() {
        article.insert("about".into(), about.into());
    }
    // Entities the body names without the brief featuring them.
    let mentions: Vec<Value> = (views.mentioned_by(b).iter())
        .map(|&e| {
            let entity = &views.graph.entities[e];
            entity_ref(config, entity.kind, &entity.id, &entity.name)
        })
        .collect();
    if !mentions.is_empty() {
        article.insert("mentions".into(), mentions.into());
    }
    let citations: Vec<Value> = (brief.sources.iter())
        .map(|s| {
            let mut work = node(
                "CreativeWork",
                s.title.as_deref().unwrap_or(&s.url),
                Some(s.url.clone()),
            );
            put(&mut work, "datePublished", s.date.as_ref().map(iso));
            if let Some(publisher) = &s.publisher {
                work.insert(
                    "publisher".into(),
                    node("Organization", publisher, None).into(),
                );
            }
            Value::Object(work)
        })
        .collect();
    if !citations.is_empty() {
        article.insert("citation".into(), citations.into());
    }
    let home = absolute(config, &links::home());
    article.insert(
        "publisher".into(),
        node("Organization", &config.title, home).into(),
    );

    // The events in the order the page shows them: oldest first.
    let mut order: Vec<usize> = (0..brief.events.len()).collect();
    order.sort_by(|&x, &y| brief.events[x].date.cmp(&brief.events[y].date));
    let mut nodes = Vec::with_capacity(1 + order.len());
    nodes.push(Value::Object(article));
    for i in order {
        let event = &brief.events[i];
        let mut node = node("Event", &event.title, None);
        node.insert("startDate".into(), iso(&event.date).into());
        if let Some(place) = resolved.events[i].place {
            let place = &views.graph.entities[place];
            let location = entity_ref(config, place.kind, &place.id, &place.name);
            node.insert("location".into(), location);
        }
        put(
            &mut node,
            "subjectOf",
            url.clone().map(|u| json!({ "@id": u })),
        );
        nodes.push(Value::Object(node));
    }

    Meta {
        og_type: "article",
        description,
        image: None,
        published: Some(published),
        modified,
        json_ld: json_ld(nodes),
    }
}

/// A person's, organisation's, topic's or place's own page.
pub fn entity(views: &Views, e: EntityIx, view: &EntityView) -> Meta {
    let config = views.config;
    let link = &view.link;
    let url = absolute(config, &links::entity(link.kind, &link.id));
    let profile = (views.graph.entities[e].profile).map(|p| &views.model.profiles[p]);
    let facts = profile.map(|p| &p.facts);
    let image = (config.base_url.as_deref())
        .zip(facts.and_then(|f| f.image.as_deref()))
        .map(|(base, path)| static_url(base, path));
    let description = description(config, &view.summary);

    let mut main = node(schema_type(link.kind), &link.name, url.clone());
    put(&mut main, "@id", url);
    if !view.aliases.is_empty() {
        main.insert("alternateName".into(), view.aliases.clone().into());
    }
    if !view.summary.trim().is_empty() {
        main.insert("description".into(), view.summary.clone().into());
    }
    put(&mut main, "image", image.clone());
    if let Some(facts) = facts {
        let country = facts
            .country
            .as_deref()
            .map(|c| Value::Object(node("Country", c, None)));
        match link.kind {
            EntityKind::Person => {
                put(&mut main, "jobTitle", facts.role.clone());
                put(&mut main, "nationality", country);
                put(&mut main, "birthDate", facts.born.as_ref().map(iso));
                put(&mut main, "deathDate", facts.died.as_ref().map(iso));
            }
            EntityKind::Organization => {
                put(&mut main, "foundingDate", facts.founded.as_ref().map(iso));
            }
            EntityKind::Place => {
                put(&mut main, "containedInPlace", country);
                if let (Some(lat), Some(lon)) = (facts.lat, facts.lon) {
                    main.insert(
                        "geo".into(),
                        json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon }),
                    );
                }
            }
            EntityKind::Topic => {}
        }
        let same_as: Vec<Value> = (facts.links.iter())
            .map(|(_, url)| url)
            .filter(|url| {
                let lower = url.to_ascii_lowercase();
                lower.starts_with("http://") || lower.starts_with("https://")
            })
            .map(|url| Value::from(url.clone()))
            .collect();
        if !same_as.is_empty() {
            main.insert("sameAs".into(), same_as.into());
        }
    }

    Meta {
        og_type: if link.kind == EntityKind::Person {
            "profile"
        } else {
            "website"
        },
        description,
        image,
        published: None,
        modified: None,
        json_ld: json_ld(vec![Value::Object(main)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_parses_to_the_same_value() {
        let value = json!({ "t": "</script><script>alert(1)</script> <!-- & \u{2028}\u{2029}" });
        let text = script_safe(&value.to_string());
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!text.contains(bad), "{text}");
        }
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }

    #[test]
    fn static_urls_are_encoded() {
        assert_eq!(
            static_url("https://example.org/", "img/a b#1.jpg"),
            "https://example.org/img/a%20b%231.jpg"
        );
    }
}
