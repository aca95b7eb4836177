//! The render phase: the model and graph → the HTML of every page.
//!
//! [`bodies`] turns every Markdown body into HTML once, in parallel.
//! [`plan`] lists every page the site has, at its URL (SPEC §4), with the
//! long lists split into pages. A [`Renderer`] then turns one planned page
//! into HTML with its template; the write phase calls it for all pages in
//! parallel, so no page is kept in memory longer than it takes to write it.

pub mod bodies;
pub mod body_links;
pub mod context;
pub mod fingerprint;
pub mod links;
pub mod maps;
pub mod markdown;
pub mod pictures;
pub mod place_maps;
pub mod plan;
pub mod sanitize;
pub mod structured;
pub mod templates;
pub mod theme;
pub mod ties;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::config::Config;
use crate::content::model::{EntityKind, Model};
use crate::diagnostics::Diagnostic;
use crate::graph::Graph;
use crate::graph::backlinks::Backlinks;
use crate::output::{feeds, sitemap};
use bodies::Bodies;
use context::{
    ArchiveView, BriefCard, BriefView, Caches, Common, Counted, EntityView, EventView,
    FreePageView, ListEntry, Paginator, Shared, Views, YearGroup, YearLink,
};
use links::Linker;
pub use plan::{PageKind, Paging, PlannedPage, RESERVED, TimelineYear, plan};
use structured::Meta;

/// Counts of pages by kind, for the build summary.
pub fn count_by_kind(pages: &[PlannedPage], graph: &Graph) -> HashMap<&'static str, usize> {
    let mut counts = HashMap::new();
    for page in pages {
        let key = match page.kind {
            PageKind::Feed(_) => "feeds",
            PageKind::Sitemap | PageKind::SitemapPart(_) | PageKind::Robots => continue,
            PageKind::Brief(_) => "briefs",
            PageKind::Entity(e) => graph.entities[e].kind.folder(),
            _ => "other",
        };
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

/// Everything needed to render any page.
pub struct Renderer<'a> {
    pub model: &'a Model,
    pub graph: &'a Graph,
    pub config: &'a Config,
    pub bodies: &'a Bodies,
    pub backlinks: &'a Backlinks,
    pub templates: &'a templates::Templates,
    pub caches: &'a Caches<'a>,
    /// Every page of the site, for the sitemap.
    pub pages: &'a [PlannedPage],
    /// How the timeline is split by year, when it is long.
    pub timeline: Option<&'a [TimelineYear]>,
    /// The sitemap's URLs, worked out once for the sitemap and its parts.
    pub sitemap: OnceLock<Vec<sitemap::UrlView>>,
    /// When the newest brief last changed ([`feeds::last_changed`]).
    pub newest_change: Option<&'a crate::content::date::Date>,
}

#[derive(Serialize)]
struct PageContext<T: Serialize> {
    #[serde(flatten)]
    common: Common,
    /// Open Graph values and JSON-LD ([`structured`]).
    meta: Meta,
    #[serde(flatten)]
    page: T,
}

#[derive(Serialize)]
struct HomeData {
    latest: Vec<Shared<BriefCard>>,
    people: Vec<Counted>,
    organizations: Vec<Counted>,
    topics: Vec<Counted>,
    places: Vec<Counted>,
    /// The most recent events up to the newest brief, newest first.
    events: Vec<Shared<EventView>>,
    /// The events dated after the newest brief, soonest first.
    upcoming: Vec<Shared<EventView>>,
    counts: HomeCounts,
}

#[derive(Serialize)]
struct HomeCounts {
    briefs: usize,
    people: usize,
    organizations: usize,
    topics: usize,
    places: usize,
    events: usize,
}

#[derive(Serialize)]
struct BriefsData {
    briefs: Vec<Shared<BriefCard>>,
    paginator: Paginator,
}

#[derive(Serialize)]
struct BriefData {
    brief: BriefView,
}

#[derive(Serialize)]
struct ListData {
    list_kind: EntityKind,
    list_title: String,
    entities: Vec<ListEntry>,
    paginator: Paginator,
    /// On the first page of `/places/`: every place with coordinates.
    map: Option<place_maps::MapView>,
}

#[derive(Serialize)]
struct EntityData {
    entity: EntityView,
}

#[derive(Serialize)]
struct ArchiveData {
    archive: ArchiveView,
}

#[derive(Serialize)]
struct TimelineData {
    /// The events on this page, by year and month.
    years: Vec<YearGroup>,
    /// Every event of the site.
    event_count: usize,
    /// When the timeline is split by year: every year, with its months.
    year_index: Vec<YearLink>,
    /// The year of this page, on a year's page.
    year: Option<i32>,
    /// The pages of this year, on a year's page.
    paginator: Option<Paginator>,
    /// The events on this page on a time axis.
    strip: Option<pictures::Strip>,
    /// What the optional filter script offers; null on the index of years.
    filter: Option<context::FilterChoices>,
}

#[derive(Serialize)]
struct FreePageData {
    page: FreePageView,
}

#[derive(Serialize)]
struct Nothing {}

/// What `feed.xml` and `sitemap.xml` receive: the site and their data.
#[derive(Serialize)]
struct XmlContext<'a, T: Serialize> {
    site: &'a context::SiteView,
    #[serde(flatten)]
    data: T,
}

#[derive(Serialize)]
struct FeedData {
    feed: feeds::FeedView,
}

#[derive(Serialize)]
struct SitemapData<'a> {
    urls: &'a [sitemap::UrlView],
}

#[derive(Serialize)]
struct SitemapIndexData {
    sitemaps: Vec<sitemap::UrlView>,
}

impl Renderer<'_> {
    /// The theme's words in the site's language.
    fn words(&self) -> &crate::i18n::Language {
        &self.config.words
    }

    /// A page's title, with its number after the first page.
    fn paged(&self, title: &str, n: usize) -> String {
        if n == 1 {
            return title.to_string();
        }
        self.words()
            .fill("page_n", &[("title", title), ("n", &n.to_string())])
    }

    /// The HTML of one page, or the template problem that stopped it.
    pub fn render(&self, page: &PlannedPage) -> Result<String, Diagnostic> {
        let linker = if page.kind == PageKind::NotFound {
            Linker::absolute(self.config.base_path(), self.config.portable)
        } else {
            Linker::new(&page.site_path, self.config.portable)
        };
        let html = self.render_with(page, linker.clone())?;
        Ok(linker.finish(html))
    }

    /// The page with the links of shared views still from
    /// [`links::ROOT`].
    fn render_with(&self, page: &PlannedPage, linker: Linker) -> Result<String, Diagnostic> {
        let paging = Paging::of(self.config);
        let views = Views {
            model: self.model,
            graph: self.graph,
            config: self.config,
            paging,
            bodies: self.bodies,
            backlinks: self.backlinks,
            linker,
            shared: Linker::shared(self.config.portable),
            caches: self.caches,
        };
        let path = page.site_path.as_str();
        match page.kind {
            PageKind::Home => {
                let relations = &self.graph.relations;
                let latest = relations
                    .chronological
                    .iter()
                    .rev()
                    .take(context::HOME_LIST)
                    .map(|&b| views.brief_card(b))
                    .collect();
                let timeline = &relations.timeline;
                let ahead = relations.upcoming_from(self.model, timeline);
                let events = (timeline[..ahead].iter().rev())
                    .take(context::HOME_LIST)
                    .map(|&r| views.event(r))
                    .collect();
                let upcoming = (timeline[ahead..].iter())
                    .take(context::HOME_LIST)
                    .map(|&r| views.event(r))
                    .collect();
                let count = |kind| {
                    self.graph
                        .entities
                        .iter()
                        .filter(|e| e.kind == kind)
                        .count()
                };
                let data = HomeData {
                    latest,
                    people: views.most_active(EntityKind::Person),
                    organizations: views.most_active(EntityKind::Organization),
                    topics: views.most_active(EntityKind::Topic),
                    places: views.most_active(EntityKind::Place),
                    events,
                    upcoming,
                    counts: HomeCounts {
                        briefs: self.model.briefs.len(),
                        people: count(EntityKind::Person),
                        organizations: count(EntityKind::Organization),
                        topics: count(EntityKind::Topic),
                        places: count(EntityKind::Place),
                        events: relations.timeline.len(),
                    },
                };
                self.finish_with(
                    "index.html",
                    views.common(path, "home", self.config.title.clone()),
                    structured::home(self.config),
                    data,
                )
            }
            PageKind::Briefs(n) => {
                let per_page = paging.per_page;
                let chronological = &self.graph.relations.chronological;
                let total_pages = Paging::pages(chronological.len(), per_page);
                let briefs = (chronological.iter().rev())
                    .skip((n - 1) * per_page)
                    .take(per_page)
                    .map(|&b| views.brief_card(b))
                    .collect();
                let title = self.paged(self.words().text("briefs"), n);
                let data = BriefsData {
                    briefs,
                    paginator: views.paginator(
                        n,
                        total_pages,
                        chronological.len(),
                        links::briefs_page,
                    ),
                };
                self.finish("briefs.html", views.common(path, "briefs", title), data)
            }
            PageKind::Brief(b) => {
                let data = BriefData {
                    brief: views.brief(b),
                };
                self.finish_with(
                    "brief.html",
                    views.common(path, "brief", data.brief.title.clone()),
                    structured::brief(&views, b, &data.brief),
                    data,
                )
            }
            PageKind::Index(kind, n) => {
                let total = self.graph.entities_of(kind).len();
                let data = ListData {
                    list_kind: kind,
                    list_title: self.words().text(kind.plural_key()).to_string(),
                    entities: views.list_entries(kind, n, paging.per_page),
                    paginator: views.paginator(
                        n,
                        Paging::pages(total, paging.per_page),
                        total,
                        |page| links::entity_index_page(kind, page),
                    ),
                    map: (kind == EntityKind::Place && n == 1)
                        .then(|| views.world_map())
                        .flatten(),
                };
                let title = self.paged(self.words().text(kind.plural_key()), n);
                self.finish("list.html", views.common(path, "list", title), data)
            }
            PageKind::Entity(e) => {
                let kind = self.graph.entities[e].kind;
                let data = EntityData {
                    entity: views.entity(e),
                };
                let template = format!("{}.html", kind.name());
                let mut common = views.common(path, kind.name(), data.entity.link.name.clone());
                if let Some(url) = &data.entity.feed {
                    let title = data.entity.link.name.clone();
                    common.feeds.insert(
                        0,
                        context::FeedLink {
                            title,
                            url: url.clone(),
                        },
                    );
                }
                let meta = structured::entity(&views, e, &data.entity);
                self.finish_with(&template, common, meta, data)
            }
            PageKind::Archive(e, archive, n) => {
                let data = ArchiveData {
                    archive: views.archive(e, archive, n),
                };
                let name = data.archive.entity.name.as_str();
                let key = match archive {
                    links::Archive::Briefs => "briefs_featuring",
                    links::Archive::Events => "events_of",
                    links::Archive::Mentions => "briefs_mentioning",
                };
                let title = self.paged(&self.words().fill(key, &[("name", name)]), n);
                let kind = self.graph.entities[e].kind.name();
                let common = views.common(path, kind, title);
                let meta = structured::archive(self.config, &common, &data.archive);
                self.finish_with("archive.html", common, meta, data)
            }
            PageKind::Timeline => {
                let timeline = &self.graph.relations.timeline;
                let data = match self.timeline {
                    // Short: every event on this page.
                    None => TimelineData {
                        years: views.timeline(timeline, false),
                        event_count: timeline.len(),
                        year_index: Vec::new(),
                        year: None,
                        paginator: None,
                        strip: views.strip(timeline, &[]),
                        filter: Some(views.filter_choices(timeline)),
                    },
                    // Long: the index of its years.
                    Some(years) => TimelineData {
                        years: Vec::new(),
                        event_count: timeline.len(),
                        year_index: views.year_links(years, None),
                        year: None,
                        paginator: None,
                        strip: None,
                        filter: None,
                    },
                };
                self.finish(
                    "timeline.html",
                    views.common(path, "timeline", self.words().text("timeline").to_string()),
                    data,
                )
            }
            PageKind::TimelineYear {
                year,
                page: n,
                start,
                end,
            } => {
                let timeline = &self.graph.relations.timeline;
                let years = self.timeline.unwrap_or_default();
                let pages = (years.iter().find(|y| y.year == year)).map_or(1, |y| y.pages.len());
                let in_year = years
                    .iter()
                    .find(|y| y.year == year)
                    .map_or(0, TimelineYear::count);
                let continues =
                    n > 1 && self.month_of(timeline[start - 1]) == self.month_of(timeline[start]);
                let data = TimelineData {
                    years: views.timeline(&timeline[start..end], continues),
                    event_count: timeline.len(),
                    year_index: views.year_links(years, Some(year)),
                    year: Some(year),
                    paginator: Some(
                        views.paginator(n, pages, in_year, |page| links::timeline_year(year, page)),
                    ),
                    strip: views.strip(&timeline[start..end], &[]),
                    filter: Some(views.filter_choices(&timeline[start..end])),
                };
                let of_year = self
                    .words()
                    .fill("timeline_of", &[("year", &year.to_string())]);
                let title = self.paged(&of_year, n);
                self.finish("timeline.html", views.common(path, "timeline", title), data)
            }
            PageKind::Page(i) => {
                let data = FreePageData {
                    page: views.free_page(i),
                };
                let common = views.common(path, "page", data.page.title.clone());
                let meta = structured::free_page(self.config, &common, &data.page);
                self.finish_with("page.html", common, meta, data)
            }
            PageKind::NotFound => {
                let mut common =
                    views.common(path, "404", self.words().text("not_found").to_string());
                // Served in place of other addresses, it is nobody's canonical page.
                common.canonical = None;
                self.finish("404.html", common, Nothing {})
            }
            PageKind::Search => self.finish(
                "search.html",
                views.common(path, "search", self.words().text("search").to_string()),
                Nothing {},
            ),
            PageKind::Feed(owner) => {
                let base = self.config.base_url.as_deref().unwrap_or_default();
                let feed = feeds::view(
                    self.model,
                    self.graph,
                    self.bodies,
                    self.config,
                    base,
                    owner,
                    self.newest_change,
                );
                self.finish_xml("feed.xml", &views, FeedData { feed })
            }
            PageKind::Sitemap => {
                let urls = self.sitemap_urls(paging);
                if urls.len() > plan::URLS_PER_SITEMAP {
                    let base = self.config.base_url.as_deref().unwrap_or_default();
                    let sitemaps = sitemap::parts(urls, base);
                    self.finish_xml("sitemap_index.xml", &views, SitemapIndexData { sitemaps })
                } else {
                    self.finish_xml("sitemap.xml", &views, SitemapData { urls })
                }
            }
            PageKind::SitemapPart(n) => {
                let urls = self.sitemap_urls(paging);
                let size = plan::URLS_PER_SITEMAP;
                let part = &urls[((n - 1) * size).min(urls.len())..(n * size).min(urls.len())];
                self.finish_xml("sitemap.xml", &views, SitemapData { urls: part })
            }
            PageKind::Robots => Ok(sitemap::robots(self.config.base_url.as_deref())),
        }
    }

    /// Every URL of the sitemap, worked out the first time it is needed.
    fn sitemap_urls(&self, paging: Paging) -> &[sitemap::UrlView] {
        self.sitemap.get_or_init(|| {
            let base = self.config.base_url.as_deref().unwrap_or_default();
            sitemap::urls(
                self.pages,
                self.model,
                self.graph,
                self.backlinks,
                base,
                paging,
            )
        })
    }

    /// The year and month of an event, to tell whether a page of the
    /// timeline begins in the middle of a month.
    fn month_of(&self, r: crate::graph::EventRef) -> (i32, Option<u32>) {
        let date = &self.model.briefs[r.brief].events[r.event].date;
        (date.year, date.month)
    }

    fn finish_xml<T: Serialize>(
        &self,
        template: &str,
        views: &Views,
        data: T,
    ) -> Result<String, Diagnostic> {
        let site = views.site();
        self.render_context(template, &XmlContext { site: &site, data })
    }

    /// A page with the [`structured::page`] meta of a plain page.
    fn finish<T: Serialize>(
        &self,
        template: &str,
        common: Common,
        page: T,
    ) -> Result<String, Diagnostic> {
        let meta = structured::page(self.config, &common);
        self.finish_with(template, common, meta, page)
    }

    fn finish_with<T: Serialize>(
        &self,
        template: &str,
        common: Common,
        meta: Meta,
        page: T,
    ) -> Result<String, Diagnostic> {
        let context = PageContext { common, meta, page };
        self.render_context(template, &context)
    }

    fn render_context(
        &self,
        template: &str,
        context: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        let context = tera::Context::from_serialize(context).map_err(|e| {
            Diagnostic::error(
                "template-context",
                format!("cannot build the context for `{template}`: {e}"),
            )
        })?;
        self.templates
            .tera
            .render(template, &context)
            .map_err(|e| self.templates.diagnose_rendering(template, &e))
    }
}
