//! The render phase: the model and graph → the HTML of every page.
//!
//! [`render_bodies`] turns every Markdown body into HTML once, in parallel.
//! [`plan`] lists every page the site has, at its URL (SPEC §4), and checks
//! that no two claim the same one. A [`Renderer`] then turns one planned page
//! into HTML with its template; the write phase calls it for all pages in
//! parallel, so no page is kept in memory longer than it takes to write it.

pub mod bodies;
pub mod body_links;
pub mod context;
pub mod links;
pub mod markdown;
pub mod sanitize;
pub mod templates;
pub mod theme;

use std::collections::HashMap;

use serde::Serialize;

use crate::config::Config;
use crate::content::model::{EntityKind, Model};
use crate::diagnostics::Diagnostic;
use crate::graph::backlinks::Backlinks;
use crate::graph::{BriefIx, EntityIx, Graph};
use crate::output::{feeds, sitemap};
use crate::yaml::Seg;
use bodies::Bodies;
use context::{
    BriefCard, BriefView, Caches, Common, Counted, EntityView, EventView, FreePageView, ListEntry,
    Paginator, Shared, Views, YearGroup,
};
use links::Linker;

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    /// Page `n` (1-based) of the list of all briefs.
    Briefs(usize),
    Brief(BriefIx),
    Index(EntityKind),
    Entity(EntityIx),
    Timeline,
    Page(usize),
    NotFound,
    /// The offline search page.
    Search,
    /// An Atom feed: the site's, or one entity's.
    Feed(Option<EntityIx>),
    Sitemap,
    Robots,
}

/// A page to render, at its site path.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedPage {
    pub site_path: String,
    pub kind: PageKind,
}

impl PlannedPage {
    /// The file to write, relative to the output folder.
    pub fn output_file(&self) -> String {
        links::output_file(&self.site_path)
    }

    /// True for HTML pages; false for feeds, the sitemap and robots.txt.
    pub fn is_html(&self) -> bool {
        !matches!(
            self.kind,
            PageKind::Feed(_) | PageKind::Sitemap | PageKind::Robots
        )
    }
}

/// Top-level names the generated site uses; a free page may not take them.
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

/// Every page of the site, in a stable order, and problems with pages that
/// would share a URL.
pub fn plan(model: &Model, graph: &Graph, config: &Config) -> (Vec<PlannedPage>, Vec<Diagnostic>) {
    let mut pages = vec![PlannedPage {
        site_path: links::home(),
        kind: PageKind::Home,
    }];
    let list_pages = model.briefs.len().div_ceil(config.per_page).max(1);
    for n in 1..=list_pages {
        pages.push(PlannedPage {
            site_path: links::briefs_page(n),
            kind: PageKind::Briefs(n),
        });
    }
    for (b, brief) in model.briefs.iter().enumerate() {
        pages.push(PlannedPage {
            site_path: links::brief(&brief.slug),
            kind: PageKind::Brief(b),
        });
    }
    for kind in EntityKind::ALL {
        pages.push(PlannedPage {
            site_path: links::entity_index(kind),
            kind: PageKind::Index(kind),
        });
        for e in graph.entities_of(kind) {
            let id = &graph.entities[e].id;
            pages.push(PlannedPage {
                site_path: links::entity(kind, id),
                kind: PageKind::Entity(e),
            });
            if config.base_url.is_some() && feeds::has_feed(kind) {
                pages.push(PlannedPage {
                    site_path: feeds::entity_feed(kind, id),
                    kind: PageKind::Feed(Some(e)),
                });
            }
        }
    }
    pages.push(PlannedPage {
        site_path: links::timeline(),
        kind: PageKind::Timeline,
    });
    pages.push(PlannedPage {
        site_path: links::search(),
        kind: PageKind::Search,
    });
    let mut problems = Vec::new();
    for (i, page) in model.pages.iter().enumerate() {
        if RESERVED.contains(&page.slug.as_str()) {
            let d = page
                .source
                .yaml()
                .error_at(
                    "reserved-slug",
                    &[Seg::Key("slug")],
                    format!(
                        "the page's slug `{}` is already used by the site's own `/{}/`",
                        page.slug, page.slug
                    ),
                )
                .with_help("give the page another `slug:` in its front matter");
            problems.push(d);
            continue;
        }
        pages.push(PlannedPage {
            site_path: links::free_page(&page.slug),
            kind: PageKind::Page(i),
        });
    }
    pages.push(PlannedPage {
        site_path: links::NOT_FOUND.to_string(),
        kind: PageKind::NotFound,
    });
    if config.base_url.is_some() {
        pages.push(PlannedPage {
            site_path: feeds::SITE_FEED.to_string(),
            kind: PageKind::Feed(None),
        });
        pages.push(PlannedPage {
            site_path: sitemap::SITEMAP.to_string(),
            kind: PageKind::Sitemap,
        });
    }
    pages.push(PlannedPage {
        site_path: sitemap::ROBOTS.to_string(),
        kind: PageKind::Robots,
    });
    (pages, problems)
}

/// Counts of pages by kind, for the build summary.
pub fn count_by_kind(pages: &[PlannedPage], graph: &Graph) -> HashMap<&'static str, usize> {
    let mut counts = HashMap::new();
    for page in pages {
        let key = match page.kind {
            PageKind::Feed(_) => "feeds",
            PageKind::Sitemap | PageKind::Robots => continue,
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
    pub caches: &'a Caches,
    /// Every page of the site, for the sitemap.
    pub pages: &'a [PlannedPage],
}

#[derive(Serialize)]
struct PageContext<T: Serialize> {
    #[serde(flatten)]
    common: Common,
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
    /// The most recent events, newest first.
    events: Vec<Shared<EventView>>,
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
    list_title: &'static str,
    entities: Vec<ListEntry>,
}

#[derive(Serialize)]
struct EntityData {
    entity: EntityView,
}

#[derive(Serialize)]
struct TimelineData {
    years: Vec<YearGroup>,
    event_count: usize,
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
struct SitemapData {
    urls: Vec<sitemap::UrlView>,
}

impl Renderer<'_> {
    /// The HTML of one page, or the template problem that stopped it.
    pub fn render(&self, page: &PlannedPage) -> Result<String, Diagnostic> {
        let linker = if page.kind == PageKind::NotFound {
            Linker::absolute(self.config.base_path(), self.config.portable)
        } else {
            Linker::new(&page.site_path, self.config.portable)
        };
        let views = Views {
            model: self.model,
            graph: self.graph,
            config: self.config,
            bodies: self.bodies,
            backlinks: self.backlinks,
            linker,
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
                let events = relations
                    .timeline
                    .iter()
                    .rev()
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
                    counts: HomeCounts {
                        briefs: self.model.briefs.len(),
                        people: count(EntityKind::Person),
                        organizations: count(EntityKind::Organization),
                        topics: count(EntityKind::Topic),
                        places: count(EntityKind::Place),
                        events: relations.timeline.len(),
                    },
                };
                self.finish(
                    "index.html",
                    views.common(path, "home", self.config.title.clone()),
                    data,
                )
            }
            PageKind::Briefs(n) => {
                let per_page = self.config.per_page;
                let newest_first: Vec<BriefIx> = self
                    .graph
                    .relations
                    .chronological
                    .iter()
                    .rev()
                    .copied()
                    .collect();
                let total_pages = newest_first.len().div_ceil(per_page).max(1);
                let briefs = newest_first
                    .iter()
                    .skip((n - 1) * per_page)
                    .take(per_page)
                    .map(|&b| views.brief_card(b))
                    .collect();
                let title = if n == 1 {
                    "Briefs".to_string()
                } else {
                    format!("Briefs, page {n}")
                };
                let data = BriefsData {
                    briefs,
                    paginator: views.paginator(n, total_pages, newest_first.len()),
                };
                self.finish("briefs.html", views.common(path, "briefs", title), data)
            }
            PageKind::Brief(b) => {
                let data = BriefData {
                    brief: views.brief(b),
                };
                self.finish(
                    "brief.html",
                    views.common(path, "brief", data.brief.title.clone()),
                    data,
                )
            }
            PageKind::Index(kind) => {
                let data = ListData {
                    list_kind: kind,
                    list_title: kind.plural_title(),
                    entities: views.list_entries(kind),
                };
                self.finish(
                    "list.html",
                    views.common(path, "list", kind.plural_title().to_string()),
                    data,
                )
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
                self.finish(&template, common, data)
            }
            PageKind::Timeline => {
                let timeline = &self.graph.relations.timeline;
                let data = TimelineData {
                    years: views.timeline(timeline),
                    event_count: timeline.len(),
                };
                self.finish(
                    "timeline.html",
                    views.common(path, "timeline", "Timeline".to_string()),
                    data,
                )
            }
            PageKind::Page(i) => {
                let data = FreePageData {
                    page: views.free_page(i),
                };
                self.finish(
                    "page.html",
                    views.common(path, "page", data.page.title.clone()),
                    data,
                )
            }
            PageKind::NotFound => {
                let mut common = views.common(path, "404", "Page not found".to_string());
                // Served in place of other addresses, it is nobody's canonical page.
                common.canonical = None;
                self.finish("404.html", common, Nothing {})
            }
            PageKind::Search => self.finish(
                "search.html",
                views.common(path, "search", "Search".to_string()),
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
                );
                self.finish_xml("feed.xml", &views, FeedData { feed })
            }
            PageKind::Sitemap => {
                let base = self.config.base_url.as_deref().unwrap_or_default();
                let urls = sitemap::urls(
                    self.pages,
                    self.model,
                    self.graph,
                    self.backlinks,
                    base,
                    self.config.per_page,
                );
                self.finish_xml("sitemap.xml", &views, SitemapData { urls })
            }
            PageKind::Robots => Ok(sitemap::robots(self.config.base_url.as_deref())),
        }
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

    fn finish<T: Serialize>(
        &self,
        template: &str,
        common: Common,
        page: T,
    ) -> Result<String, Diagnostic> {
        self.render_context(template, &PageContext { common, page })
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
            .map_err(|e| self.templates.diagnose(&e))
    }
}
