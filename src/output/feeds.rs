//! Atom feeds (SPEC §4): the site's `feed.xml` and one per person,
//! organisation and topic, so a reader can follow an actor.
//!
//! This module builds the data a feed shows ([`FeedView`]); the `feed.xml`
//! template turns it into XML, so a site can change its feeds like any page.
//! Feeds need absolute URLs, so they exist only when `base_url` is set.
//! The brief bodies are the ones rendered for the brief pages, whose links
//! are relative to the brief; here those links are made absolute, and each
//! entry's content also carries `xml:base`, for readers that resolve it.

use serde::Serialize;

use crate::config::Config;
use crate::content::date::Date;
use crate::content::model::{Brief, EntityKind, Model};
use crate::graph::{BriefIx, EntityIx, Graph};
use crate::render::bodies::Bodies;
use crate::render::links;

/// The kinds of entity that have a feed of their own.
pub fn has_feed(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Person | EntityKind::Organization | EntityKind::Topic
    )
}

/// The site path of the site's feed.
pub const SITE_FEED: &str = "feed.xml";

/// The site path of an entity's feed: `people/kim-jong-un/feed.xml`.
pub fn entity_feed(kind: EntityKind, id: &str) -> String {
    format!("{}{SITE_FEED}", links::entity(kind, id))
}

/// What the `feed.xml` template receives besides `site`.
#[derive(Debug, Serialize)]
pub struct FeedView {
    pub title: String,
    pub subtitle: String,
    /// The feed's own absolute URL, also its Atom id.
    pub id: String,
    /// The HTML page the feed follows (home page, or the entity's page).
    pub page_url: String,
    /// RFC 3339: the newest `updated` of the entries.
    pub updated: String,
    /// The name to give as the feed's author: the site's title.
    pub author: String,
    pub entries: Vec<EntryView>,
}

/// One brief in a feed.
#[derive(Debug, Serialize)]
pub struct EntryView {
    pub title: String,
    /// Absolute URL of the brief's page, also the entry's Atom id.
    pub url: String,
    pub id: String,
    /// RFC 3339, from the brief's `updated`, else its `date`.
    pub updated: String,
    /// RFC 3339, from the brief's `date`.
    pub published: String,
    pub summary: String,
    /// The brief's body as HTML, with absolute links; the template escapes
    /// it. In the site's feed only: an entity's feed gives the summary and
    /// the link, as a brief is in the feeds of each of its actors and
    /// topics.
    pub content: Option<String>,
    pub categories: Vec<CategoryView>,
}

/// An actor of a brief, as an Atom category.
#[derive(Debug, Serialize)]
pub struct CategoryView {
    /// The actor's id.
    pub term: String,
    /// The actor's name.
    pub label: String,
    /// The absolute URL of the actor's page.
    pub scheme: String,
}

/// The briefs the feed of the site (`owner` = `None`) or of one entity
/// shows: its newest, at most `limit`.
pub fn entries_of(graph: &Graph, owner: Option<EntityIx>, limit: usize) -> Vec<BriefIx> {
    match owner {
        None => (graph.relations.chronological.iter().rev().take(limit))
            .copied()
            .collect(),
        // An entity's briefs are listed newest first.
        Some(e) => graph.relations.entities[e]
            .briefs
            .iter()
            .take(limit)
            .copied()
            .collect(),
    }
}

/// The feed of the whole site (`owner` = `None`) or of one entity.
/// `newest_change` is the newest [`last_changed`] of all briefs, the
/// `updated` of a feed without entries (worked out once for all feeds).
pub fn view(
    model: &Model,
    graph: &Graph,
    bodies: &Bodies,
    config: &Config,
    base_url: &str,
    owner: Option<EntityIx>,
    newest_change: Option<&Date>,
) -> FeedView {
    let briefs = entries_of(graph, owner, config.feed_limit);
    let (title, subtitle, feed_path, page_path) = match owner {
        None => (
            config.title.clone(),
            config.description.clone(),
            SITE_FEED.to_string(),
            links::home(),
        ),
        Some(e) => {
            let entity = &graph.entities[e];
            (
                format!("{} · {}", entity.name, config.title),
                format!("Briefs about {} on {}", entity.name, config.title),
                entity_feed(entity.kind, &entity.id),
                links::entity(entity.kind, &entity.id),
            )
        }
    };
    let entries: Vec<EntryView> = briefs
        .iter()
        .map(|&b| entry(model, graph, bodies, base_url, b, owner.is_none()))
        .collect();
    let updated = briefs
        .iter()
        .map(|&b| last_changed(&model.briefs[b]))
        .max()
        .or(newest_change)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), Date::rfc3339);
    FeedView {
        title,
        subtitle,
        id: format!("{base_url}{feed_path}"),
        page_url: format!("{base_url}{page_path}"),
        updated,
        author: config.title.clone(),
        entries,
    }
}

/// When a brief last changed: its `updated`, else its `date`.
pub fn last_changed(brief: &Brief) -> &Date {
    brief
        .updated
        .as_ref()
        .unwrap_or(&brief.date)
        .max(&brief.date)
}

fn entry(
    model: &Model,
    graph: &Graph,
    bodies: &Bodies,
    base_url: &str,
    b: BriefIx,
    with_content: bool,
) -> EntryView {
    let brief = &model.briefs[b];
    let url = format!("{base_url}{}", links::brief(&brief.slug));
    let categories = graph.briefs[b]
        .actors
        .iter()
        .map(|&(e, _)| {
            let actor = &graph.entities[e];
            CategoryView {
                term: actor.id.clone(),
                label: actor.name.clone(),
                scheme: format!("{base_url}{}", links::entity_index(actor.kind)),
            }
        })
        .collect();
    EntryView {
        title: brief.title.clone(),
        id: url.clone(),
        content: with_content.then(|| absolute_links(&bodies.brief_html(b), &url)),
        url,
        updated: last_changed(brief).rfc3339(),
        published: brief.date.rfc3339(),
        summary: bodies.brief_summary(model, b).to_string(),
        categories,
    }
}

/// Rewrites the relative `href` and `src` attributes of `html` against
/// `page_url`, the absolute URL of the page it was rendered for. One pass:
/// each kind of attribute is searched for again only once passed.
fn absolute_links(html: &str, page_url: &str) -> String {
    const HREF: &str = " href=\"";
    const SRC: &str = " src=\"";
    let find =
        |pattern: &str, from: usize| html[from..].find(pattern).map(|i| from + i + pattern.len());
    let mut out = String::with_capacity(html.len() + 256);
    let mut done = 0;
    let mut next_href = find(HREF, 0);
    let mut next_src = find(SRC, 0);
    loop {
        let start = match (next_href, next_src) {
            (Some(h), Some(s)) => h.min(s),
            (Some(h), None) => h,
            (None, Some(s)) => s,
            (None, None) => break,
        };
        let end = html[start..].find('"').map_or(html.len(), |i| start + i);
        out.push_str(&html[done..start]);
        out.push_str(&resolve(page_url, &html[start..end]));
        done = end;
        if next_href.is_some_and(|h| h < end) {
            next_href = find(HREF, end);
        }
        if next_src.is_some_and(|s| s < end) {
            next_src = find(SRC, end);
        }
    }
    out.push_str(&html[done..]);
    out
}

/// `href` resolved against the absolute URL `base` (which ends in `/`).
fn resolve(base: &str, href: &str) -> String {
    let has_scheme = href
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '?', '#']));
    if has_scheme || href.starts_with("//") {
        return href.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else {
        return href.to_string();
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    if href.starts_with('/') {
        return format!("{scheme}://{host}{href}");
    }
    if href.starts_with('#') || href.starts_with('?') || href.is_empty() {
        return format!("{base}{href}");
    }
    let mut parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let folder_base = path.ends_with('/');
    if !folder_base {
        parts.pop();
    }
    let (href_path, suffix) = match href.find(['#', '?']) {
        Some(i) => href.split_at(i),
        None => (href, ""),
    };
    let segments: Vec<&str> = href_path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." | "" if i + 1 < segments.len() => {}
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let trailing = href_path.ends_with('/') || matches!(segments.last(), Some(&"..") | Some(&"."));
    let mut url = format!("{scheme}://{host}/{}", parts.join("/"));
    if trailing && !parts.is_empty() {
        url.push('/');
    }
    url.push_str(suffix);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://example.org/watch/briefs/kim/";

    #[test]
    fn relative_links_become_absolute() {
        assert_eq!(
            resolve(PAGE, "../../people/putin/"),
            "https://example.org/watch/people/putin/"
        );
        assert_eq!(
            resolve(PAGE, "../../people/putin/index.html#early"),
            "https://example.org/watch/people/putin/index.html#early"
        );
        assert_eq!(resolve(PAGE, "#fn-1"), format!("{PAGE}#fn-1"));
        assert_eq!(
            resolve(PAGE, "/watch/style.css"),
            "https://example.org/watch/style.css"
        );
        assert_eq!(resolve(PAGE, "../../"), "https://example.org/watch/");
        assert_eq!(resolve(PAGE, "https://a.org/x"), "https://a.org/x");
        assert_eq!(resolve(PAGE, "mailto:a@b.org"), "mailto:a@b.org");
        assert_eq!(resolve(PAGE, "img.png"), format!("{PAGE}img.png"));
    }

    #[test]
    fn only_url_attributes_change() {
        let html = r#"<p>See <a href="../../people/putin/">href="x"</a> <img src="../../map.png" alt="a"></p>"#;
        assert_eq!(
            absolute_links(html, PAGE),
            r#"<p>See <a href="https://example.org/watch/people/putin/">href="x"</a> <img src="https://example.org/watch/map.png" alt="a"></p>"#
        );
    }
}
