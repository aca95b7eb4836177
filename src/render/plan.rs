//! The page plan: every page the site has, at its URL (SPEC §4), and how
//! the lists that grow with the site are split into pages.
//!
//! No page grows without bound. What an archive can hold without limit is
//! split into numbered pages (`…/page/2/`): the list of all briefs, the
//! index of each kind of entity, each entity's briefs, events and mentions
//! (the entity page itself shows only the newest few, with a link to the
//! rest), and the timeline, which is split by year once it is longer than
//! one page. [`Paging`] says how many items a page holds; the plan only
//! counts, and the renderer takes the items of a page by their position.

use crate::config::Config;
use crate::content::model::{EntityKind, Model};
use crate::diagnostics::Diagnostic;
use crate::graph::backlinks::Backlinks;
use crate::graph::{BriefIx, EntityIx, Graph};
use crate::output::{feeds, sitemap};
use crate::yaml::Seg;

use super::links::{self, Archive};

/// How many of an entity's newest briefs, events and mentions its own page
/// shows; the rest are on its archive pages.
pub const NEWEST_ON_ENTITY_PAGE: usize = 10;

/// How many URLs one sitemap file may hold (the sitemap protocol's limit);
/// a larger site gets a sitemap index.
pub const URLS_PER_SITEMAP: usize = 50_000;

/// Top-level folders the site uses itself, which a free page may not take
/// as its slug (file names such as `feed.xml` cannot clash: a slug holds no
/// dot).
pub const RESERVED: &[&str] = &[
    "briefs",
    "people",
    "organizations",
    "topics",
    "places",
    "timeline",
    "search",
];

/// How many items each kind of list page holds.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// Briefs, mentions and index entries per page: `per_page`.
    pub per_page: usize,
    /// Events per page: four times `per_page`, as an event takes a line.
    pub events_per_page: usize,
}

impl Paging {
    pub fn of(config: &Config) -> Paging {
        Paging {
            per_page: config.per_page.max(1),
            events_per_page: config.per_page.max(1) * 4,
        }
    }

    /// How many pages `items` items fill (at least one).
    pub fn pages(items: usize, per_page: usize) -> usize {
        items.div_ceil(per_page).max(1)
    }
}

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    /// Page `n` (1-based) of the list of all briefs.
    Briefs(usize),
    Brief(BriefIx),
    /// Page `n` of the index of one kind of entity.
    Index(EntityKind, usize),
    Entity(EntityIx),
    /// Page `n` of one of an entity's archives.
    Archive(EntityIx, Archive, usize),
    /// The whole timeline, or, once it is longer than a page, the index of
    /// its years and months.
    Timeline,
    /// Page `page` of one year of a long timeline: the events `start..end`
    /// of the timeline.
    TimelineYear {
        year: i32,
        page: usize,
        start: usize,
        end: usize,
    },
    Page(usize),
    NotFound,
    /// The offline search page.
    Search,
    /// An Atom feed: the site's, or one entity's.
    Feed(Option<EntityIx>),
    /// `sitemap.xml`: every URL, or, for a large site, the index of the
    /// parts.
    Sitemap,
    /// Part `n` (1-based) of a large site's sitemap.
    SitemapPart(usize),
    Robots,
}

/// A page to render, at its site path.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedPage {
    pub site_path: String,
    pub kind: PageKind,
}

impl PlannedPage {
    fn new(site_path: String, kind: PageKind) -> PlannedPage {
        PlannedPage { site_path, kind }
    }

    /// The file to write, relative to the output folder.
    pub fn output_file(&self) -> String {
        links::output_file(&self.site_path)
    }

    /// True for HTML pages; false for feeds, the sitemap and robots.txt.
    pub fn is_html(&self) -> bool {
        !matches!(
            self.kind,
            PageKind::Feed(_) | PageKind::Sitemap | PageKind::SitemapPart(_) | PageKind::Robots
        )
    }
}

/// One year of a timeline long enough to be split, with where its pages
/// and months start in the timeline.
#[derive(Debug, Clone)]
pub struct TimelineYear {
    pub year: i32,
    /// The timeline positions `start..end` of each page of the year.
    pub pages: Vec<(usize, usize)>,
    /// Each month (`None` for events dated by year only), with its number
    /// of events and the timeline position of its first one.
    pub months: Vec<(Option<u32>, usize, usize)>,
}

impl TimelineYear {
    pub fn count(&self) -> usize {
        self.pages.last().map_or(0, |p| p.1) - self.pages.first().map_or(0, |p| p.0)
    }

    /// The page (1-based) that holds timeline position `at`.
    pub fn page_of(&self, at: usize) -> usize {
        self.pages
            .iter()
            .position(|p| at < p.1)
            .map_or(1, |i| i + 1)
    }
}

/// How the timeline is split: `None` when it fits on one page.
pub fn timeline_years(model: &Model, graph: &Graph, paging: Paging) -> Option<Vec<TimelineYear>> {
    let timeline = &graph.relations.timeline;
    if timeline.len() <= paging.events_per_page {
        return None;
    }
    let date_of = |i: usize| {
        let r = timeline[i];
        &model.briefs[r.brief].events[r.event].date
    };
    let mut years: Vec<TimelineYear> = Vec::new();
    let mut start = 0;
    while start < timeline.len() {
        let year = date_of(start).year;
        let end = start
            + (start..timeline.len())
                .take_while(|&i| date_of(i).year == year)
                .count();
        let pages = (start..end)
            .step_by(paging.events_per_page)
            .map(|s| (s, (s + paging.events_per_page).min(end)))
            .collect();
        let mut months: Vec<(Option<u32>, usize, usize)> = Vec::new();
        for i in start..end {
            let month = date_of(i).month;
            match months.last_mut() {
                Some(last) if last.0 == month => last.1 += 1,
                _ => months.push((month, 1, i)),
            }
        }
        years.push(TimelineYear {
            year,
            pages,
            months,
        });
        start = end;
    }
    Some(years)
}

/// Every page of the site, in a stable order, and problems with pages that
/// would share a URL. `timeline` is how the timeline is split
/// ([`timeline_years`]).
pub fn plan(
    model: &Model,
    graph: &Graph,
    backlinks: &Backlinks,
    config: &Config,
    timeline: Option<&[TimelineYear]>,
) -> (Vec<PlannedPage>, Vec<Diagnostic>) {
    let paging = Paging::of(config);
    let mut pages = vec![PlannedPage::new(links::home(), PageKind::Home)];
    for n in 1..=Paging::pages(model.briefs.len(), paging.per_page) {
        pages.push(PlannedPage::new(links::briefs_page(n), PageKind::Briefs(n)));
    }
    for (b, brief) in model.briefs.iter().enumerate() {
        pages.push(PlannedPage::new(
            links::brief(&brief.slug),
            PageKind::Brief(b),
        ));
    }
    for kind in EntityKind::ALL {
        let of_kind = graph.entities_of(kind);
        for n in 1..=Paging::pages(of_kind.len(), paging.per_page) {
            pages.push(PlannedPage::new(
                links::entity_index_page(kind, n),
                PageKind::Index(kind, n),
            ));
        }
        for &e in of_kind {
            let id = &graph.entities[e].id;
            pages.push(PlannedPage::new(
                links::entity(kind, id),
                PageKind::Entity(e),
            ));
            for archive in Archive::ALL {
                for n in 1..=archive_pages(graph, backlinks, paging, e, archive) {
                    pages.push(PlannedPage::new(
                        links::entity_archive(kind, id, archive, n),
                        PageKind::Archive(e, archive, n),
                    ));
                }
            }
            if config.base_url.is_some() && feeds::has_feed(kind) {
                pages.push(PlannedPage::new(
                    feeds::entity_feed(kind, id),
                    PageKind::Feed(Some(e)),
                ));
            }
        }
    }
    pages.push(PlannedPage::new(links::timeline(), PageKind::Timeline));
    for year in timeline.unwrap_or_default() {
        for (n, &(start, end)) in year.pages.iter().enumerate() {
            pages.push(PlannedPage::new(
                links::timeline_year(year.year, n + 1),
                PageKind::TimelineYear {
                    year: year.year,
                    page: n + 1,
                    start,
                    end,
                },
            ));
        }
    }
    pages.push(PlannedPage::new(links::search(), PageKind::Search));
    let mut problems = Vec::new();
    for (i, page) in model.pages.iter().enumerate() {
        if RESERVED.contains(&page.slug.as_str()) {
            problems.push(reserved_slug(page));
            continue;
        }
        pages.push(PlannedPage::new(
            links::free_page(&page.slug),
            PageKind::Page(i),
        ));
    }
    pages.push(PlannedPage::new(
        links::NOT_FOUND.to_string(),
        PageKind::NotFound,
    ));
    if config.base_url.is_some() {
        pages.push(PlannedPage::new(
            feeds::SITE_FEED.to_string(),
            PageKind::Feed(None),
        ));
        let urls = pages.iter().filter(|p| sitemap::lists(p)).count();
        pages.push(PlannedPage::new(
            sitemap::SITEMAP.to_string(),
            PageKind::Sitemap,
        ));
        if urls > URLS_PER_SITEMAP {
            for n in 1..=urls.div_ceil(URLS_PER_SITEMAP) {
                pages.push(PlannedPage::new(sitemap::part(n), PageKind::SitemapPart(n)));
            }
        }
    }
    pages.push(PlannedPage::new(
        sitemap::ROBOTS.to_string(),
        PageKind::Robots,
    ));
    (pages, problems)
}

/// How many pages an entity's archive has: none when its own page shows
/// the whole list.
pub fn archive_pages(
    graph: &Graph,
    backlinks: &Backlinks,
    paging: Paging,
    e: EntityIx,
    archive: Archive,
) -> usize {
    let (items, per_page) = archive_size(graph, backlinks, paging, e, archive);
    if items <= NEWEST_ON_ENTITY_PAGE {
        0
    } else {
        Paging::pages(items, per_page)
    }
}

/// How many items an entity's archive lists, and how many fit on a page.
pub fn archive_size(
    graph: &Graph,
    backlinks: &Backlinks,
    paging: Paging,
    e: EntityIx,
    archive: Archive,
) -> (usize, usize) {
    let relations = &graph.relations.entities[e];
    match archive {
        Archive::Briefs => (relations.briefs.len(), paging.per_page),
        Archive::Events => (relations.events.len(), paging.events_per_page),
        Archive::Mentions => (backlinks.mentions_of(e).len(), paging.per_page),
    }
}

fn reserved_slug(page: &crate::content::model::Page) -> Diagnostic {
    page.source
        .yaml()
        .error_at(
            "reserved-slug",
            &[Seg::Key("slug")],
            format!(
                "the page's slug `{}` is already used by the site's own `/{}/`",
                page.slug, page.slug
            ),
        )
        .with_help("give the page another `slug:` in its front matter")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_counts() {
        assert_eq!(Paging::pages(0, 50), 1);
        assert_eq!(Paging::pages(50, 50), 1);
        assert_eq!(Paging::pages(51, 50), 2);
    }
}
