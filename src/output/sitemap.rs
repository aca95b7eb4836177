//! `sitemap.xml` and `robots.txt` (SPEC §4).
//!
//! The sitemap lists every HTML page once (not the 404 page) at its
//! absolute URL; a site of more than 50,000 pages gets a sitemap index
//! naming `sitemap-1.xml`, `sitemap-2.xml`, … as the protocol requires.
//! `lastmod` is the newest date the page shows: a brief's
//! `updated` or `date`; for an entity, the newest of its briefs, the briefs
//! that mention it and its events; for lists, the newest of what they list.
//! Pages that show no dates (free pages, search) have no `lastmod`. The
//! dates come from the content, never the clock, so output stays the same
//! from build to build.

use serde::Serialize;

use crate::content::date::Date;
use crate::content::model::Model;
use crate::graph::backlinks::Backlinks;
use crate::graph::{EntityIx, Graph};
use crate::output::feeds::last_changed;
use crate::render::links::Archive;
use crate::render::plan::{PageKind, Paging, PlannedPage, URLS_PER_SITEMAP};

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

/// True for the pages the sitemap lists: every HTML page but the 404 page.
pub fn lists(page: &PlannedPage) -> bool {
    page.is_html() && page.kind != PageKind::NotFound
}

/// The site path of part `n` (1-based) of a large site's sitemap.
pub fn part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// Every page of the sitemap, in the order of the plan.
pub fn urls(
    pages: &[PlannedPage],
    model: &Model,
    graph: &Graph,
    backlinks: &Backlinks,
    base_url: &str,
    paging: Paging,
) -> Vec<UrlView> {
    let dates = Newest {
        model,
        graph,
        backlinks,
        paging,
    };
    pages
        .iter()
        .filter(|p| lists(p))
        .map(|p| UrlView {
            loc: format!("{base_url}{}", p.site_path),
            lastmod: dates.of(p.kind).map(Date::w3c),
        })
        .collect()
}

/// The parts of a sitemap too large for one file, for the sitemap index:
/// each part's URL and the newest `lastmod` in it.
pub fn parts(urls: &[UrlView], base_url: &str) -> Vec<UrlView> {
    urls.chunks(URLS_PER_SITEMAP)
        .enumerate()
        .map(|(i, chunk)| UrlView {
            loc: format!("{base_url}{}", part(i + 1)),
            lastmod: chunk.iter().filter_map(|u| u.lastmod.clone()).max(),
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
    paging: Paging,
}

impl Newest<'_> {
    fn of(&self, kind: PageKind) -> Option<&Date> {
        let briefs = &self.model.briefs;
        let relations = &self.graph.relations;
        let per_page = self.paging.per_page;
        let page = |n: usize, size: usize| (n - 1) * size..n * size;
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
            PageKind::Index(kind, n) => {
                let of_kind = self.graph.entities_of(kind);
                let range = page(n, per_page);
                let on_page =
                    &of_kind[range.start.min(of_kind.len())..range.end.min(of_kind.len())];
                on_page.iter().filter_map(|&e| self.of_entity(e)).max()
            }
            PageKind::Entity(e) => self.of_entity(e),
            PageKind::Archive(e, archive, n) => {
                let rel = &relations.entities[e];
                match archive {
                    Archive::Briefs => slice(&rel.briefs, page(n, per_page))
                        .iter()
                        .map(|&b| last_changed(&briefs[b]))
                        .max(),
                    Archive::Events => slice(&rel.events, page(n, self.paging.events_per_page))
                        .iter()
                        .map(|r| &briefs[r.brief].events[r.event].date)
                        .max(),
                    Archive::Mentions => slice(self.backlinks.mentions_of(e), page(n, per_page))
                        .iter()
                        .map(|m| last_changed(&briefs[m.brief]))
                        .max(),
                }
            }
            PageKind::Timeline => self.all_events().max(),
            PageKind::TimelineYear { start, end, .. } => relations.timeline[start..end]
                .iter()
                .map(|r| &briefs[r.brief].events[r.event].date)
                .max(),
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
}

/// The part of `items` in `range`, cut to the items there are.
fn slice<T>(items: &[T], range: std::ops::Range<usize>) -> &[T] {
    &items[range.start.min(items.len())..range.end.min(items.len())]
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
