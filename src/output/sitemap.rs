//! `sitemap.xml` and `robots.txt` (SPEC §4).
//!
//! The sitemap lists every HTML page once (not the 404 page) at its
//! absolute URL, with `lastmod` the newest date the page shows: a brief's
//! `updated` or `date`; for an entity, the newest of its briefs, the briefs
//! that mention it and its events; for lists, the newest of what they list.
//! Pages that show no dates (free pages, search) have no `lastmod`. The
//! dates come from the content, never the clock, so output stays the same
//! from build to build.

use serde::Serialize;

use crate::content::date::Date;
use crate::content::model::{EntityKind, Model};
use crate::graph::backlinks::Backlinks;
use crate::graph::{EntityIx, Graph};
use crate::output::feeds::last_changed;
use crate::render::{PageKind, PlannedPage};

/// The site path of the sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// The site path of robots.txt.
pub const ROBOTS: &str = "robots.txt";

/// One `<url>` of the sitemap.
#[derive(Debug, Serialize)]
pub struct UrlView {
    /// The page's absolute URL.
    pub loc: String,
    /// `2023-09-12` (or `2023-07`, `2021`), when the page shows a date.
    pub lastmod: Option<String>,
}

/// Every page of the sitemap, in the order of the plan.
pub fn urls(
    pages: &[PlannedPage],
    model: &Model,
    graph: &Graph,
    backlinks: &Backlinks,
    base_url: &str,
    per_page: usize,
) -> Vec<UrlView> {
    let dates = Newest {
        model,
        graph,
        backlinks,
    };
    pages
        .iter()
        .filter(|p| p.is_html() && p.kind != PageKind::NotFound)
        .map(|p| UrlView {
            loc: format!("{base_url}{}", p.site_path),
            lastmod: dates.of(p.kind, per_page).map(Date::w3c),
        })
        .collect()
}

/// The text of robots.txt: everything may be crawled; the sitemap is named
/// when there is one.
pub fn robots(base_url: Option<&str>) -> String {
    let mut text = "User-agent: *\nAllow: /\n".to_string();
    if let Some(base) = base_url {
        text.push_str(&format!("\nSitemap: {base}{SITEMAP}\n"));
    }
    text
}

struct Newest<'a> {
    model: &'a Model,
    graph: &'a Graph,
    backlinks: &'a Backlinks,
}

impl Newest<'_> {
    fn of(&self, kind: PageKind, per_page: usize) -> Option<&Date> {
        let briefs = &self.model.briefs;
        let relations = &self.graph.relations;
        match kind {
            PageKind::Home => briefs
                .iter()
                .map(last_changed)
                .chain(self.all_events())
                .max(),
            PageKind::Briefs(n) => (relations.chronological.iter().rev())
                .skip((n - 1) * per_page)
                .take(per_page)
                .map(|&b| last_changed(&briefs[b]))
                .max(),
            PageKind::Brief(b) => Some(last_changed(&briefs[b])),
            PageKind::Index(kind) => self.of_entities(kind),
            PageKind::Entity(e) => self.of_entity(e),
            PageKind::Timeline => self.all_events().max(),
            _ => None,
        }
    }

    fn all_events(&self) -> impl Iterator<Item = &Date> {
        (self.model.briefs.iter()).flat_map(|b| b.events.iter().map(|e| &e.date))
    }

    fn of_entity(&self, e: EntityIx) -> Option<&Date> {
        let briefs = &self.model.briefs;
        let relations = &self.graph.relations.entities[e];
        let featured = relations.briefs.iter().map(|&b| last_changed(&briefs[b]));
        let mentioned =
            (self.backlinks.mentions_of(e).iter()).map(|m| last_changed(&briefs[m.brief]));
        let events = (relations.events.iter()).map(|r| &briefs[r.brief].events[r.event].date);
        featured.chain(mentioned).chain(events).max()
    }

    fn of_entities(&self, kind: EntityKind) -> Option<&Date> {
        (0..self.graph.entities.len())
            .filter(|&e| self.graph.entities[e].kind == kind)
            .filter_map(|e| self.of_entity(e))
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_names_the_sitemap_when_there_is_one() {
        assert_eq!(
            robots(Some("https://example.org/watch/")),
            "User-agent: *\nAllow: /\n\nSitemap: https://example.org/watch/sitemap.xml\n"
        );
        assert_eq!(robots(None), "User-agent: *\nAllow: /\n");
    }
}
