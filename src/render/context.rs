//! Page contexts: what each template receives, built from the model and the
//! graph for one page at a time.
//!
//! Every URL in a context is already relative to the page being rendered
//! (see [`Linker`]), so templates write `href="{{ person.url }}"` and the
//! links work under any URL prefix. Every field is documented, with an
//! example, in `docs/templates.md`; keep the two in step.

use std::marker::PhantomData;
use std::sync::{Mutex, OnceLock};

use serde::Serialize;

use crate::config::Config;
use crate::content::date::{Date, Precision};
use crate::content::model::{EntityKind, Model};
use crate::graph::backlinks::{Backlinks, Context};
use crate::graph::targets::Target;
use crate::graph::{BriefIx, EntityIx, EventRef, Graph};
use crate::output::{data, feeds};
use crate::render::bodies::Bodies;
use crate::render::links::{self, Archive, Linker};
use crate::render::markdown::{TocEntry, render_inline};
use crate::render::pictures::{
    self, GraphView, Sparkline, Strip, StripEvent, StripPeriod, connection_graph,
};
use crate::render::place_maps::MapView;
use crate::render::plan::{self, NEWEST_ON_ENTITY_PAGE, Paging, TimelineYear};
use crate::render::templates::Templates;
use crate::render::ties::TiesView;
use crate::text::fold_name;
use tera::value::Key;

/// How many entries the home page shows in each of its lists.
pub const HOME_LIST: usize = 10;
/// How many connections (and topics, places) an entity page lists.
pub const ENTITY_LIST: usize = 20;
/// How many connections the connection graph draws.
pub const GRAPH_NODES: usize = 8;

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// As written: `2023-09-12`, `2023-07`, `2021`, or a datetime.
    pub iso: String,
    /// For readers: `12 September 2023`, `July 2023`, `2021`.
    pub display: String,
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
    /// `year`, `month`, `day` or `time`.
    pub precision: Precision,
    /// `06:00` for datetimes.
    pub time: Option<String>,
}

impl DateView {
    /// `d` as templates show it, in the site's language.
    pub fn new(d: &Date, words: &crate::i18n::Language) -> Self {
        DateView {
            iso: d.iso().to_string(),
            display: words.date(d),
            year: d.year,
            month: d.month,
            day: d.day,
            precision: d.precision(),
            time: d.time_of_day(),
        }
    }
}

/// A link to a person, organisation, topic or place.
#[derive(Debug, Clone, Serialize)]
pub struct EntityLink {
    pub id: String,
    pub name: String,
    /// `person`, `organization`, `topic` or `place`.
    pub kind: EntityKind,
    pub url: String,
    /// True when no profile defines the entity.
    pub stub: bool,
}

/// An entity with a number: shared briefs, or briefs featuring it.
#[derive(Debug, Clone, Serialize)]
pub struct Counted {
    #[serde(flatten)]
    pub entity: EntityLink,
    pub count: u32,
    /// Briefs per month lately: on the home page's most active only.
    pub activity: Option<Sparkline>,
}

/// An actor of a brief, with the role given in that brief.
#[derive(Debug, Clone, Serialize)]
pub struct ActorView {
    #[serde(flatten)]
    pub entity: EntityLink,
    pub role: Option<String>,
}

/// A brief as shown in lists.
#[derive(Debug, Clone, Serialize)]
pub struct BriefCard {
    pub title: String,
    pub slug: String,
    pub url: String,
    pub date: Shared<DateView>,
    pub updated: Option<Shared<DateView>>,
    pub summary: String,
    pub actors: Vec<Shared<EntityLink>>,
    pub topics: Vec<Shared<EntityLink>>,
    /// On an entity's pages, the role the brief gives that entity
    /// (`actors: [{ref, role}]`); `null` elsewhere.
    pub role: Option<String>,
    /// `low`, `moderate` or `high`, or null.
    pub confidence: Option<&'static str>,
}

/// An event, with the brief it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// The `id` of its entry in a list (`event-kim-arrives-1`): the same on
    /// every page, and unique on each, as an event is listed once per page.
    pub id: String,
    pub date: Shared<DateView>,
    pub title: String,
    /// Rendered inline Markdown (HTML), or null.
    pub description: Option<String>,
    pub place: Option<Shared<EntityLink>>,
    pub actors: Vec<Shared<EntityLink>>,
    pub topics: Vec<Shared<EntityLink>>,
    pub brief: Shared<BriefRef>,
    /// For an event dated after its brief: the brief's date (or its
    /// `updated`), as of which the event was expected; null otherwise.
    pub expected: Option<Shared<DateView>>,
    /// `low`, `moderate` or `high`, or null.
    pub confidence: Option<&'static str>,
    /// The sources the event cites.
    pub sources: Vec<EventSourceView>,
    /// `kind:id` of each actor, and of each topic the event belongs to
    /// (its own, or else its brief's), for the timeline's filter.
    pub actor_keys: Vec<String>,
    pub topic_keys: Vec<String>,
}

/// What the timeline's filter offers: the actors and topics of the events
/// on the page, by name, and the page's first and last day.
#[derive(Debug, Clone, Serialize)]
pub struct FilterChoices {
    /// Each with `key` (`person:kim-jong-un`), the value events carry.
    pub actors: Vec<FilterChoice>,
    pub topics: Vec<FilterChoice>,
    /// `2023-07-26`: bounds for the date fields.
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterChoice {
    pub key: String,
    pub name: String,
}

/// A source an event cites.
#[derive(Debug, Clone, Serialize)]
pub struct EventSourceView {
    pub url: String,
    /// Its number in the brief's `sources`, from 1; null for a URL the
    /// brief does not list.
    pub number: Option<usize>,
    /// What the link shows: the number, or the URL's host.
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BriefRef {
    pub title: String,
    pub url: String,
    pub date: Shared<DateView>,
}

/// A page that links to the current one ("linked from").
#[derive(Debug, Clone, Serialize)]
pub struct PageRef {
    /// `brief`, `person`, `organization`, `topic`, `place` or `page`.
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    /// Briefs only.
    pub date: Option<Shared<DateView>>,
}

/// A brief that mentions an entity in its body without featuring it, with
/// the sentences the mentions sit in.
#[derive(Debug, Clone, Serialize)]
pub struct MentionView {
    pub brief: BriefRef,
    pub contexts: Vec<Context>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub url: String,
    /// The title, or the URL when none is given.
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<DateView>,
}

/// The full brief on its own page.
#[derive(Debug, Clone, Serialize)]
pub struct BriefView {
    pub title: String,
    pub slug: String,
    pub url: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub summary: String,
    /// The front matter's `summary:`, shown above the body; empty without
    /// one, because the summary is then the body's own first paragraph.
    pub lede: String,
    /// The body as HTML.
    pub content: String,
    /// Headings of levels 1–3 in order, for a table of contents.
    pub toc: Vec<TocEntry>,
    /// With the role each actor plays in this brief.
    pub actors: Vec<ActorView>,
    pub topics: Vec<EntityLink>,
    pub places: Vec<EntityLink>,
    pub events: Vec<Shared<EventView>>,
    pub sources: Vec<SourceView>,
    pub related: Vec<Shared<BriefCard>>,
    pub previous: Option<Shared<BriefCard>>,
    pub next: Option<Shared<BriefCard>>,
    /// Pages whose bodies link to this brief.
    pub linked_from: Vec<PageRef>,
    /// `low`, `moderate` or `high`, or null.
    pub confidence: Option<&'static str>,
    /// Its places and its events' on a small map; null when none has
    /// coordinates.
    pub map: Option<MapView>,
    pub extra: serde_yaml::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub label: String,
    pub url: String,
}

/// The facts of an infobox; fields that do not apply to a kind are null.
#[derive(Debug, Clone, Serialize)]
pub struct FactsView {
    pub role: Option<String>,
    #[serde(rename = "type")]
    pub org_type: Option<String>,
    pub country: Option<String>,
    pub born: Option<DateView>,
    pub died: Option<DateView>,
    pub founded: Option<DateView>,
    /// Relative URL of the image.
    pub image: Option<String>,
    pub links: Vec<LinkView>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A person, organisation, topic or place on its own page.
#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    #[serde(flatten)]
    pub link: EntityLink,
    /// `Person`, `Organisation`, `Topic`, `Place`.
    pub kind_title: String,
    /// The index page of this kind (`people/`), relative.
    pub index_url: String,
    pub aliases: Vec<String>,
    pub summary: String,
    /// The profile's `summary:`, shown above the body; empty without one,
    /// as [`BriefView::lede`].
    pub lede: String,
    /// The profile's body as HTML; empty for stubs.
    pub content: String,
    /// Headings of levels 1–3 in order, for a table of contents.
    pub toc: Vec<TocEntry>,
    pub facts: FactsView,
    /// The newest briefs featuring the entity, newest first (at most
    /// [`NEWEST_ON_ENTITY_PAGE`]).
    pub briefs: Vec<Shared<BriefCard>>,
    /// How many briefs feature the entity.
    pub brief_count: usize,
    /// The archive of all of them, relative; null when `briefs` holds all.
    pub all_briefs: Option<String>,
    /// The newest briefs that mention the entity in their body without
    /// featuring it, newest first (at most [`NEWEST_ON_ENTITY_PAGE`]).
    pub mentions: Vec<MentionView>,
    pub mention_count: usize,
    /// The archive of all of them; null when `mentions` holds all.
    pub all_mentions: Option<String>,
    /// Profiles and free pages whose bodies link to this entity (briefs
    /// that link to it are in `briefs` or `mentions`).
    pub linked_from: Vec<PageRef>,
    /// The latest events naming the entity, in time order (at most
    /// [`NEWEST_ON_ENTITY_PAGE`]).
    pub events: Vec<Shared<EventView>>,
    /// Its events dated after the site's newest brief, soonest first (at
    /// most [`NEWEST_ON_ENTITY_PAGE`]).
    pub upcoming: Vec<Shared<EventView>>,
    pub event_count: usize,
    /// The archive of all of them; null when `events` holds all.
    pub all_events: Option<String>,
    /// Actors sharing the most briefs with this entity.
    pub connections: Vec<Counted>,
    /// Topics of the briefs featuring this entity.
    pub topics: Vec<Counted>,
    /// Places of the briefs featuring this entity.
    pub places: Vec<Counted>,
    /// Topics only: declared `related` topics first, then those sharing the
    /// most briefs.
    pub related_topics: Vec<Counted>,
    pub graph: Option<GraphView>,
    /// The events listed on the page, on a time axis, with the entity's
    /// positions (or its people's) below it.
    pub strip: Option<Strip>,
    /// Positions, people and typed relations declared by profiles.
    pub ties: TiesView,
    /// A place's locator map; the places of the entity's briefs on a small
    /// map for other kinds; null when no place has coordinates.
    pub map: Option<MapView>,
    /// The entity's Atom feed, relative; only people, organisations and
    /// topics have one, and only when the site has a `base_url`.
    pub feed: Option<String>,
    /// The entity's iCalendar file of its events (`events.ics`), relative;
    /// null when it has no events or `exports: {ics: false}`.
    pub calendar: Option<String>,
    pub extra: serde_yaml::Value,
}

/// An entry on an index page (people, organisations, topics, places).
#[derive(Debug, Clone, Serialize)]
pub struct ListEntry {
    #[serde(flatten)]
    pub link: EntityLink,
    pub summary: String,
    /// Briefs featuring the entity.
    pub count: usize,
    pub role: Option<String>,
    /// Briefs per month lately.
    pub activity: Option<Sparkline>,
    /// The date of its newest brief, if any.
    pub latest: Option<DateView>,
}

/// One of an entity's archive pages: all its briefs, events or mentions,
/// a page at a time.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveView {
    /// The entity, with its URL.
    pub entity: EntityLink,
    /// `Person`, `Organisation`, `Topic`, `Place`.
    pub kind_title: String,
    /// `briefs`, `events` or `mentions`: which list this is.
    pub archive: Archive,
    /// The briefs featuring the entity on this page (`briefs` archives).
    pub briefs: Vec<Shared<BriefCard>>,
    /// The events on this page, in time order (`events` archives).
    pub events: Vec<Shared<EventView>>,
    /// The mentions on this page, newest first (`mentions` archives).
    pub mentions: Vec<MentionView>,
    pub paginator: Paginator,
}

/// A link in a paginator: a page number, or a gap (`…`) in the numbers.
#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// True for the gap between numbers far apart; `number` and `url` are
    /// then empty.
    pub gap: bool,
}

/// The pages of a list split into pages.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// 1-based.
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The first and last pages, and the two on each side of the current
    /// one, with gaps between: never more than nine entries, however many
    /// pages there are.
    pub pages: Vec<PageNumber>,
}

/// A year of a timeline split into pages, for the year navigation.
#[derive(Debug, Clone, Serialize)]
pub struct YearLink {
    pub year: i32,
    pub count: usize,
    /// The first page of the year.
    pub url: String,
    /// True on the pages of this year.
    pub current: bool,
    pub months: Vec<MonthLink>,
}

/// A month of a year of the timeline, linking to where it starts.
#[derive(Debug, Clone, Serialize)]
pub struct MonthLink {
    /// `July`, or null for events dated by year only.
    pub name: Option<String>,
    pub number: Option<u32>,
    pub count: usize,
    /// The page and heading where the month starts.
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthGroup {
    /// `July`, or null for events dated by year only.
    pub name: Option<String>,
    /// `July 2023`, in the site's language; null as `name`.
    pub title: Option<String>,
    pub number: Option<u32>,
    /// True when the month began on the previous page.
    pub continued: bool,
    pub events: Vec<Shared<EventView>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearGroup {
    pub year: i32,
    pub months: Vec<MonthGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FreePageView {
    pub title: String,
    pub slug: String,
    pub url: String,
    pub summary: String,
    pub content: String,
    /// Headings of levels 1–3 in order, for a table of contents.
    pub toc: Vec<TocEntry>,
    /// Pages whose bodies link to this page.
    pub linked_from: Vec<PageRef>,
    pub extra: serde_yaml::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: Option<String>,
    pub extra: serde_yaml::Value,
}

/// Links to the site's main sections, relative to the current page.
#[derive(Debug, Clone, Serialize)]
pub struct NavView {
    pub home: String,
    pub briefs: String,
    pub people: String,
    pub organizations: String,
    pub topics: String,
    pub places: String,
    pub timeline: String,
    /// The search page.
    pub search: String,
    /// The free pages, by title.
    pub pages: Vec<LinkView>,
}

/// An Atom feed a page offers, for `<link rel="alternate">`.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    /// Relative to the page.
    pub url: String,
}

/// What every template receives.
#[derive(Debug, Clone, Serialize)]
pub struct Common {
    pub site: SiteView,
    pub nav: NavView,
    /// Relative path to the site root, ending in `/`: `../../`, or `./`.
    pub root: String,
    /// The `<title>` of the page.
    pub title: String,
    /// Which page this is: `home`, `briefs`, `brief`, `list`, `person`,
    /// `organization`, `topic`, `place`, `timeline`, `page` or `404`.
    pub kind: &'static str,
    /// The top-level folder the page lives in (`briefs`, `people`,
    /// `organizations`, `topics`, `places`, `timeline`, a free page's slug),
    /// empty for the home and 404 pages: which navigation entry is current.
    pub section: String,
    /// This page's folder relative to the site root (`people/kim-jong-un/`).
    pub current_path: String,
    /// The absolute URL of the page when `base_url` is set.
    pub canonical: Option<String>,
    /// The feeds this page offers: an entity's own first, then the site's.
    /// Empty without a `base_url`.
    pub feeds: Vec<FeedLink>,
    /// True when links name `index.html` (`portable: true`).
    pub portable: bool,
}

/// A view serialised for templates once and shared by every page: its links
/// start from [`links::ROOT`], which each page's HTML turns into its own
/// path to the root. Cloning one is cheap: Tera values share their
/// contents, and pass through page contexts without being copied.
#[derive(Clone)]
pub struct Shared<T> {
    value: tera::Value,
    view: PhantomData<fn() -> T>,
}

impl<T: Serialize> Shared<T> {
    fn new(view: &T) -> Shared<T> {
        Shared {
            value: tera::Value::from_serializable(view),
            view: PhantomData,
        }
    }
}

impl<T> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Shared({})", self.value)
    }
}

/// Brief cards and events, each built the first time a page needs it and
/// then shared by every page that shows it (a popular person's brief card
/// appears on many): their links start from [`links::ROOT`], so they are
/// the same at any depth. Each also carries its HTML, rendered once with
/// the site's `brief_card` and `event_item` components, so that pages copy
/// it instead of rendering it again.
pub struct Caches<'t> {
    cards: Vec<OnceLock<Shared<BriefCard>>>,
    /// Events of all briefs, brief after brief (see `event_offsets`).
    events: Vec<OnceLock<Shared<EventView>>>,
    /// Where each brief's events start in `events`.
    event_offsets: Vec<usize>,
    /// Each entity's link, which cards and events share instead of each
    /// holding a copy.
    entity_links: Vec<OnceLock<Shared<EntityLink>>>,
    /// Each brief's reference, shared by its events.
    brief_refs: Vec<OnceLock<Shared<BriefRef>>>,
    /// Each date as templates show it: briefs and events share days.
    dates: Mutex<std::collections::HashMap<Date, Shared<DateView>>>,
    /// For each brief, the entities its body mentions without featuring
    /// them: "mentioned in" turned around, made on first use.
    brief_mentions: OnceLock<Vec<Vec<EntityIx>>>,
    /// The templates that render the HTML of cards and events.
    fragments: Option<&'t Templates>,
    /// Problems rendering that HTML, reported with the pages' problems.
    pub problems: Mutex<Vec<crate::diagnostics::Diagnostic>>,
}

impl<'t> Caches<'t> {
    pub fn new(model: &Model, graph: &Graph, fragments: Option<&'t Templates>) -> Caches<'t> {
        let mut event_offsets = Vec::with_capacity(model.briefs.len());
        let mut total = 0;
        for brief in &model.briefs {
            event_offsets.push(total);
            total += brief.events.len();
        }
        fn locks<T>(n: usize) -> Vec<OnceLock<T>> {
            (0..n).map(|_| OnceLock::new()).collect()
        }
        Caches {
            cards: locks(model.briefs.len()),
            events: locks(total),
            event_offsets,
            entity_links: locks(graph.entities.len()),
            brief_refs: locks(model.briefs.len()),
            dates: Mutex::new(std::collections::HashMap::new()),
            brief_mentions: OnceLock::new(),
            fragments,
            problems: Mutex::new(Vec::new()),
        }
    }

    /// The view as a template value, with its `html` added: the `item`
    /// rendered by the fragments template (see [`Templates::render_fragment`]).
    fn with_html<T: Serialize>(&self, view: &T, item: &'static str) -> tera::Value {
        let value = tera::Value::from_serializable(view);
        let Some(templates) = self.fragments else {
            return value;
        };
        let mut context = tera::Context::new();
        context.insert_value(item, value.clone());
        let html = match templates.render_fragment(&context) {
            Ok(text) => tera::Value::safe_string(&text),
            Err(problem) => {
                let mut problems = self.problems.lock().unwrap_or_else(|e| e.into_inner());
                if problems.len() < 10 {
                    problems.push(problem);
                }
                return value;
            }
        };
        let Some(mut map) = value.into_map() else {
            return tera::Value::none();
        };
        map.insert(Key::Str("html"), html);
        tera::Value::from(map)
    }
}

/// The host of an http(s) URL (`example.org`), for a link's label.
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.rsplit_once('@').map_or(host, |(_, h)| h)
}

/// The `id` of an event's entry in lists: its brief's slug and its place
/// among the brief's events, from 1.
pub fn event_id(brief_slug: &str, event: usize) -> String {
    format!("event-{brief_slug}-{}", event + 1)
}

/// Builds the views for one page.
pub struct Views<'a> {
    pub model: &'a Model,
    pub graph: &'a Graph,
    pub config: &'a Config,
    pub paging: Paging,
    pub bodies: &'a Bodies,
    pub backlinks: &'a Backlinks,
    /// Links from the page being rendered.
    pub linker: Linker,
    /// Links in shared views (see [`Caches`]).
    pub shared: Linker,
    pub caches: &'a Caches<'a>,
}

/// The headings worth a table of contents: levels 1 to 3.
fn contents(headings: &[TocEntry]) -> Vec<TocEntry> {
    headings.iter().filter(|h| h.level <= 3).cloned().collect()
}

/// The first folder of a site path: `people` for `people/kim-jong-un/`.
fn section_of(site_path: &str) -> &str {
    site_path.split_once('/').map_or("", |(first, _)| first)
}

impl Views<'_> {
    pub fn common(&self, site_path: &str, kind: &'static str, title: String) -> Common {
        let l = &self.linker;
        let mut pages: Vec<LinkView> = self
            .model
            .pages
            .iter()
            .map(|p| LinkView {
                label: p.title.clone(),
                url: l.href(&links::free_page(&p.slug)),
            })
            .collect();
        pages.sort_by(|a, b| a.label.cmp(&b.label));
        let mut feeds = Vec::new();
        if self.config.base_url.is_some() {
            feeds.push(FeedLink {
                title: self.config.title.clone(),
                url: l.href(feeds::SITE_FEED),
            });
        }
        Common {
            site: self.site(),
            nav: NavView {
                home: l.href(&links::home()),
                briefs: l.href(&links::briefs_page(1)),
                people: l.href(&links::entity_index(EntityKind::Person)),
                organizations: l.href(&links::entity_index(EntityKind::Organization)),
                topics: l.href(&links::entity_index(EntityKind::Topic)),
                places: l.href(&links::entity_index(EntityKind::Place)),
                timeline: l.href(&links::timeline()),
                search: l.href(&links::search()),
                pages,
            },
            root: l.root(),
            title,
            kind,
            section: section_of(site_path).to_string(),
            current_path: site_path.to_string(),
            canonical: self
                .config
                .base_url
                .as_ref()
                .map(|base| format!("{base}{site_path}")),
            feeds,
            portable: self.config.portable,
        }
    }

    /// The site's settings, as every template sees them.
    pub fn site(&self) -> SiteView {
        SiteView {
            title: self.config.title.clone(),
            description: self.config.description.clone(),
            language: self.config.language.clone(),
            base_url: self.config.base_url.clone(),
            extra: self.config.extra.clone(),
        }
    }

    /// The relative link to an entity's feed, if it has one.
    pub fn entity_feed(&self, e: EntityIx) -> Option<String> {
        let entity = &self.graph.entities[e];
        (self.config.base_url.is_some() && feeds::has_feed(entity.kind)).then(|| {
            self.linker
                .href(&feeds::entity_feed(entity.kind, &entity.id))
        })
    }

    /// The relative link to an entity's calendar, if it has one.
    pub fn entity_calendar(&self, e: EntityIx) -> Option<String> {
        let entity = &self.graph.entities[e];
        data::has_calendar(self.graph, self.config.exports, e).then(|| {
            self.linker
                .href(&data::entity_calendar(entity.kind, &entity.id))
        })
    }

    /// A link written in front matter: web addresses as they are; anything
    /// else is a path from the site's root (`/about/` or `about/`), made
    /// relative to this page.
    fn site_link(&self, url: &str) -> String {
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            url.to_string()
        } else {
            self.linker.href(url.trim_start_matches('/'))
        }
    }

    pub fn entity_link(&self, e: EntityIx) -> EntityLink {
        self.entity_link_from(&self.linker, e)
    }

    fn entity_link_from(&self, linker: &Linker, e: EntityIx) -> EntityLink {
        let entity = &self.graph.entities[e];
        EntityLink {
            id: entity.id.clone(),
            name: entity.name.clone(),
            kind: entity.kind,
            url: linker.href(&links::entity(entity.kind, &entity.id)),
            stub: entity.is_stub(),
        }
    }

    fn entity_links(&self, list: &[EntityIx]) -> Vec<EntityLink> {
        list.iter().map(|&e| self.entity_link(e)).collect()
    }

    /// A date as templates show it: one value per date of the site.
    /// A date for this page alone, in the site's language.
    fn day(&self, date: &Date) -> DateView {
        DateView::new(date, &self.config.words)
    }

    fn date_view(&self, date: &Date) -> Shared<DateView> {
        let mut dates = self.caches.dates.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(view) = dates.get(date) {
            return view.clone();
        }
        let view = Shared::new(&DateView::new(date, &self.config.words));
        dates.insert(date.clone(), view.clone());
        view
    }

    /// An entity's link as shared views hold it: one value per entity.
    fn shared_entity_link(&self, e: EntityIx) -> Shared<EntityLink> {
        (self.caches.entity_links[e])
            .get_or_init(|| Shared::new(&self.entity_link_from(&self.shared, e)))
            .clone()
    }

    fn shared_entity_links(&self, list: &[EntityIx]) -> Vec<Shared<EntityLink>> {
        list.iter().map(|&e| self.shared_entity_link(e)).collect()
    }

    fn counted(&self, list: impl Iterator<Item = (EntityIx, u32)>) -> Vec<Counted> {
        list.take(ENTITY_LIST)
            .map(|(e, count)| Counted {
                entity: self.entity_link(e),
                count,
                activity: None,
            })
            .collect()
    }

    /// The card of a brief, as lists show it, shared by every page.
    pub fn brief_card(&self, b: BriefIx) -> Shared<BriefCard> {
        let build = || Shared {
            value: (self.caches).with_html(&self.build_brief_card(b), "brief"),
            view: PhantomData,
        };
        self.caches.cards[b].get_or_init(build).clone()
    }

    /// An event, with the brief it comes from, shared by every page.
    pub fn event(&self, r: EventRef) -> Shared<EventView> {
        let build = || Shared {
            value: (self.caches).with_html(&self.build_event(r), "event"),
            view: PhantomData,
        };
        self.caches.events[self.caches.event_offsets[r.brief] + r.event]
            .get_or_init(build)
            .clone()
    }

    fn build_brief_card(&self, b: BriefIx) -> BriefCard {
        let brief = &self.model.briefs[b];
        let resolved = &self.graph.briefs[b];
        let actors: Vec<EntityIx> = resolved.actors.iter().map(|(e, _)| *e).collect();
        BriefCard {
            title: brief.title.clone(),
            slug: brief.slug.clone(),
            url: self.shared.href(&links::brief(&brief.slug)),
            date: self.date_view(&brief.date),
            updated: brief.updated.as_ref().map(|d| self.date_view(d)),
            summary: self.bodies.brief_summary(self.model, b).to_string(),
            actors: self.shared_entity_links(&actors),
            topics: self.shared_entity_links(&resolved.topics),
            role: None,
            confidence: brief.confidence.map(|c| c.name()),
        }
    }

    /// The card of a brief on the pages of entity `e`: with the role the
    /// brief gives `e`, if any. Cards with a role are made for this page
    /// alone; the others are the shared ones.
    fn brief_card_of(&self, e: EntityIx, b: BriefIx) -> Shared<BriefCard> {
        match self.graph.briefs[b].role_of(e) {
            None => self.brief_card(b),
            Some(role) => {
                let card = BriefCard {
                    role: Some(role.to_string()),
                    ..self.build_brief_card(b)
                };
                Shared {
                    value: self.caches.with_html(&card, "brief"),
                    view: PhantomData,
                }
            }
        }
    }

    fn brief_ref(&self, b: BriefIx) -> BriefRef {
        self.brief_ref_from(&self.linker, b)
    }

    fn brief_ref_from(&self, linker: &Linker, b: BriefIx) -> BriefRef {
        let brief = &self.model.briefs[b];
        BriefRef {
            title: brief.title.clone(),
            url: linker.href(&links::brief(&brief.slug)),
            date: self.date_view(&brief.date),
        }
    }

    fn build_event(&self, r: EventRef) -> EventView {
        let event = &self.model.briefs[r.brief].events[r.event];
        let resolved = &self.graph.briefs[r.brief].events[r.event];
        EventView {
            id: event_id(&self.model.briefs[r.brief].slug, r.event),
            date: self.date_view(&event.date),
            title: event.title.clone(),
            description: (event.description.as_deref())
                .map(|d| render_inline(d, self.config.raw_html)),
            place: resolved.place.map(|p| self.shared_entity_link(p)),
            actors: self.shared_entity_links(&resolved.actors),
            topics: self.shared_entity_links(&resolved.topics),
            brief: (self.caches.brief_refs[r.brief])
                .get_or_init(|| Shared::new(&self.brief_ref_from(&self.shared, r.brief)))
                .clone(),
            expected: self.expected(r),
            actor_keys: resolved
                .actors
                .iter()
                .map(|&e| self.entity_key(e))
                .collect(),
            topic_keys: self
                .event_topics(r)
                .iter()
                .map(|&e| self.entity_key(e))
                .collect(),
            confidence: event.confidence.map(|c| c.name()),
            sources: (event.sources.iter())
                .map(|s| EventSourceView {
                    url: s.url.clone(),
                    number: s.number,
                    label: match s.number {
                        Some(n) => n.to_string(),
                        None => url_host(&s.url).to_string(),
                    },
                })
                .collect(),
        }
    }

    /// `person:kim-jong-un`: unique among all entities.
    fn entity_key(&self, e: EntityIx) -> String {
        let entity = &self.graph.entities[e];
        format!("{}:{}", entity.kind.name(), entity.id)
    }

    /// The topics event `r` belongs to: its own, or else its brief's.
    fn event_topics(&self, r: EventRef) -> &[EntityIx] {
        self.graph.briefs[r.brief].event_topics(r.event)
    }

    /// The choices of the timeline filter for a page listing `events`.
    pub fn filter_choices(&self, events: &[EventRef]) -> FilterChoices {
        let mut actors: Vec<EntityIx> = Vec::new();
        let mut topics: Vec<EntityIx> = Vec::new();
        for &r in events {
            actors.extend(&self.graph.briefs[r.brief].events[r.event].actors);
            topics.extend(self.event_topics(r));
        }
        let choices = |mut list: Vec<EntityIx>| -> Vec<FilterChoice> {
            list.sort_unstable();
            list.dedup();
            let mut out: Vec<FilterChoice> = (list.into_iter())
                .map(|e| FilterChoice {
                    key: self.entity_key(e),
                    name: self.graph.entities[e].name.clone(),
                })
                .collect();
            out.sort_by_cached_key(|c| (fold_name(&c.name), c.key.clone()));
            out
        };
        let day = |r: &EventRef| {
            let (y, m, d) = self.model.briefs[r.brief].events[r.event].date.first_day();
            format!("{y:04}-{m:02}-{d:02}")
        };
        FilterChoices {
            actors: choices(actors),
            topics: choices(topics),
            first: events.first().map(day),
            last: events.last().map(day),
        }
    }

    /// The date as of which event `r` was expected, when it is dated
    /// after its brief (after its `updated`, if the brief has one).
    fn expected(&self, r: EventRef) -> Option<Shared<DateView>> {
        let brief = &self.model.briefs[r.brief];
        brief
            .expected_as_of(r.event)
            .map(|as_of| self.date_view(as_of))
    }

    pub fn brief(&self, b: BriefIx) -> BriefView {
        let brief = &self.model.briefs[b];
        let resolved = &self.graph.briefs[b];
        let relations = &self.graph.relations;
        let body = &self.bodies.briefs[b];
        BriefView {
            title: brief.title.clone(),
            slug: brief.slug.clone(),
            url: self.linker.href(&links::brief(&brief.slug)),
            date: self.day(&brief.date),
            updated: brief.updated.as_ref().map(|d| self.day(d)),
            summary: self.bodies.brief_summary(self.model, b).to_string(),
            lede: brief.summary.clone().unwrap_or_default(),
            content: self.bodies.take_brief_html(b),
            toc: contents(&body.toc),
            topics: self.entity_links(&resolved.topics),
            actors: resolved
                .actors
                .iter()
                .map(|(e, role)| ActorView {
                    entity: self.entity_link(*e),
                    role: role.clone(),
                })
                .collect(),
            places: self.entity_links(&resolved.places),
            events: self.brief_events_in_time_order(b),
            sources: brief
                .sources
                .iter()
                .map(|s| SourceView {
                    url: s.url.clone(),
                    title: s.title.clone().unwrap_or_else(|| s.url.clone()),
                    publisher: s.publisher.clone(),
                    date: s.date.as_ref().map(|d| self.day(d)),
                })
                .collect(),
            related: relations.related_briefs[b]
                .iter()
                .map(|&r| self.brief_card(r))
                .collect(),
            previous: relations.previous(b).map(|p| self.brief_card(p)),
            next: relations.next(b).map(|n| self.brief_card(n)),
            linked_from: self.linked_from(Target::Brief(b)),
            confidence: brief.confidence.map(|c| c.name()),
            map: self.brief_map(b),
            extra: brief.extra.clone(),
        }
    }

    /// A brief's events, oldest first (partial dates first in their period).
    fn brief_events_in_time_order(&self, b: BriefIx) -> Vec<Shared<EventView>> {
        let events = &self.model.briefs[b].events;
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by(|&x, &y| events[x].date.cmp(&events[y].date));
        order
            .into_iter()
            .map(|i| self.event(EventRef { brief: b, event: i }))
            .collect()
    }

    pub fn entity(&self, e: EntityIx) -> EntityView {
        let entity = &self.graph.entities[e];
        let relations = &self.graph.relations;
        let rel = &relations.entities[e];
        let entities = &self.graph.entities;
        let of = |kinds: &'static [EntityKind]| relations.co_occurring_of(e, entities, kinds);
        let actors: &[EntityKind] = &[EntityKind::Person, EntityKind::Organization];
        let profile = entity.profile.map(|p| &self.model.profiles[p]);
        let body = entity.profile.map(|p| &self.bodies.profiles[p]);
        let facts = profile.map(|p| &p.facts);
        let related_topics = if entity.kind == EntityKind::Topic {
            let declared = &self.graph.declared_related[e];
            let shared = |t: EntityIx| {
                of(&[EntityKind::Topic])
                    .find(|(x, _)| *x == t)
                    .map(|(_, n)| n)
                    .unwrap_or(0)
            };
            let first = declared.iter().map(|&t| (t, shared(t)));
            let rest = of(&[EntityKind::Topic]).filter(|(t, _)| !declared.contains(t));
            self.counted(first.chain(rest))
        } else {
            Vec::new()
        };
        let connections = self.counted(of(actors));
        let ties = self.ties(e);
        let newest_events = &rel.events[rel.events.len().saturating_sub(NEWEST_ON_ENTITY_PAGE)..];
        EntityView {
            link: self.entity_link(e),
            kind_title: self.config.words.text(kind_key(entity.kind)).to_string(),
            index_url: self.linker.href(&links::entity_index(entity.kind)),
            aliases: entity.aliases.clone(),
            summary: (self.graph.entities[e].profile)
                .map(|p| self.bodies.profile_summary(self.model, p).to_string())
                .unwrap_or_default(),
            lede: (self.graph.entities[e].profile)
                .and_then(|p| self.model.profiles[p].summary.clone())
                .unwrap_or_default(),
            content: body.map(|b| b.html.clone()).unwrap_or_default(),
            toc: body.map(|b| contents(&b.toc)).unwrap_or_default(),
            facts: FactsView {
                role: facts.and_then(|f| f.role.clone()),
                org_type: facts.and_then(|f| f.org_type.clone()),
                country: facts.and_then(|f| f.country.clone()),
                born: facts.and_then(|f| f.born.as_ref()).map(|d| self.day(d)),
                died: facts.and_then(|f| f.died.as_ref()).map(|d| self.day(d)),
                founded: facts.and_then(|f| f.founded.as_ref()).map(|d| self.day(d)),
                image: facts
                    .and_then(|f| f.image.as_ref())
                    .map(|i| format!("{}{}", self.linker.root(), i)),
                links: facts
                    .map(|f| {
                        f.links
                            .iter()
                            .map(|(label, url)| LinkView {
                                label: label.clone(),
                                url: self.site_link(url),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                lat: facts.and_then(|f| f.lat),
                lon: facts.and_then(|f| f.lon),
            },
            briefs: (rel.briefs.iter().take(NEWEST_ON_ENTITY_PAGE))
                .map(|&b| self.brief_card_of(e, b))
                .collect(),
            brief_count: rel.briefs.len(),
            all_briefs: self.archive_url(e, Archive::Briefs),
            mentions: self.mentions(e, 0..NEWEST_ON_ENTITY_PAGE),
            mention_count: self.backlinks.mentions_of(e).len(),
            all_mentions: self.archive_url(e, Archive::Mentions),
            linked_from: self.linked_from(Target::Entity(e)),
            events: (newest_events.iter()).map(|&r| self.event(r)).collect(),
            upcoming: (rel.events[relations.upcoming_from(self.model, &rel.events)..].iter())
                .take(NEWEST_ON_ENTITY_PAGE)
                .map(|&r| self.event(r))
                .collect(),
            event_count: rel.events.len(),
            all_events: self.archive_url(e, Archive::Events),
            graph: connection_graph(&self.entity_link(e), &connections, &self.graph_ties(&ties)),
            strip: self.strip(newest_events, &self.strip_periods(&ties)),
            ties,
            connections,
            topics: self.counted(of(&[EntityKind::Topic])),
            map: self.entity_map(
                e,
                &of(&[EntityKind::Place])
                    .take(ENTITY_LIST)
                    .collect::<Vec<_>>(),
            ),
            places: self.counted(of(&[EntityKind::Place])),
            related_topics,
            feed: self.entity_feed(e),
            calendar: self.entity_calendar(e),
            extra: profile
                .map(|p| p.extra.clone())
                .unwrap_or(serde_yaml::Value::Mapping(Default::default())),
        }
    }

    /// The entities the body of brief `b` mentions without featuring them,
    /// by name.
    pub fn mentioned_by(&self, b: BriefIx) -> &[EntityIx] {
        let all = self.caches.brief_mentions.get_or_init(|| {
            let mut by_brief = vec![Vec::new(); self.model.briefs.len()];
            for (&e, mentions) in &self.backlinks.mentions {
                for m in mentions {
                    by_brief[m.brief].push(e);
                }
            }
            for entities in &mut by_brief {
                entities.sort_by(|&x, &y| {
                    self.graph.entities[x]
                        .name
                        .cmp(&self.graph.entities[y].name)
                });
            }
            by_brief
        });
        &all[b]
    }

    /// The timeline strip of `events` (in time order), with `periods`.
    pub fn strip(&self, events: &[EventRef], periods: &[StripPeriod]) -> Option<Strip> {
        let displays: Vec<(String, &crate::content::model::Event, &str)> = events
            .iter()
            .map(|r| {
                let brief = &self.model.briefs[r.brief];
                let event = &brief.events[r.event];
                (
                    self.config.words.date(&event.date),
                    event,
                    brief.slug.as_str(),
                )
            })
            .collect();
        let strip_events: Vec<StripEvent> = events
            .iter()
            .zip(&displays)
            .map(|(r, (display, event, slug))| StripEvent {
                date: &event.date,
                display,
                title: &event.title,
                url: format!("#{}", event_id(slug, r.event)),
            })
            .collect();
        let words = &self.config.words;
        pictures::timeline_strip(&strip_events, periods, &|year, month| {
            words.month_year_short(year, month)
        })
    }

    /// The entries of page `n` of the index of one kind.
    pub fn list_entries(&self, kind: EntityKind, n: usize, per_page: usize) -> Vec<ListEntry> {
        let of_kind = self.graph.entities_of(kind);
        let range = page_range(n, per_page, of_kind.len());
        of_kind[range]
            .iter()
            .map(|&e| {
                let profile_ix = self.graph.entities[e].profile;
                let profile = profile_ix.map(|p| &self.model.profiles[p]);
                ListEntry {
                    link: self.entity_link(e),
                    summary: profile_ix
                        .map(|p| self.bodies.profile_summary(self.model, p).to_string())
                        .unwrap_or_default(),
                    count: self.graph.relations.entities[e].briefs.len(),
                    role: profile
                        .and_then(|p| p.facts.role.clone().or_else(|| p.facts.org_type.clone())),
                    activity: self.activity(e),
                    latest: (self.graph.relations.entities[e].briefs.first())
                        .map(|&b| self.day(&self.model.briefs[b].date)),
                }
            })
            .collect()
    }

    /// The most featured entities of a kind, for the home page.
    pub fn most_active(&self, kind: EntityKind) -> Vec<Counted> {
        most_active(self.graph, kind)
            .into_iter()
            .map(|(e, count)| Counted {
                entity: self.entity_link(e),
                count,
                activity: self.activity(e),
            })
            .collect()
    }

    /// The sparkline of the briefs featuring `e` per month, over the months
    /// up to the newest brief of the site (not the day of the build, so
    /// that a build is the same whenever it runs).
    pub fn activity(&self, e: EntityIx) -> Option<Sparkline> {
        let (counts, last) = activity_counts(self.model, self.graph, e)?;
        let words = &self.config.words;
        Some(pictures::sparkline(&counts, last, &|year, month| {
            words.month_year(year, month)
        }))
    }

    pub fn free_page(&self, i: usize) -> FreePageView {
        let page = &self.model.pages[i];
        let body = &self.bodies.pages[i];
        FreePageView {
            title: page.title.clone(),
            slug: page.slug.clone(),
            url: self.linker.href(&links::free_page(&page.slug)),
            summary: self.bodies.page_summary(self.model, i).to_string(),
            content: body.html.clone(),
            toc: contents(&body.toc),
            linked_from: self.linked_from(Target::Page(i)),
            extra: page.extra.clone(),
        }
    }

    /// The pages whose bodies link to `target`: briefs newest first, then
    /// entities by kind and name, then free pages by title.
    fn linked_from(&self, target: Target) -> Vec<PageRef> {
        let mut from: Vec<Target> = self.backlinks.linked_from(target).to_vec();
        from.sort_by_cached_key(|&t| self.page_order(t));
        from.into_iter().map(|t| self.page_ref(t)).collect()
    }

    /// Sorts "linked from" lists: briefs newest first (a reversed date),
    /// then entities by kind and name, then free pages by title.
    fn page_order(&self, target: Target) -> (u8, Option<std::cmp::Reverse<Date>>, String) {
        match target {
            Target::Brief(b) => {
                let brief = &self.model.briefs[b];
                (
                    0,
                    Some(std::cmp::Reverse(brief.date.clone())),
                    brief.slug.clone(),
                )
            }
            Target::Entity(e) => {
                let entity = &self.graph.entities[e];
                (1 + entity.kind.index() as u8, None, fold_name(&entity.name))
            }
            Target::Page(p) => (9, None, fold_name(&self.model.pages[p].title)),
        }
    }

    fn page_ref(&self, target: Target) -> PageRef {
        match target {
            Target::Brief(b) => {
                let brief = self.brief_ref(b);
                PageRef {
                    kind: "brief",
                    title: brief.title,
                    url: brief.url,
                    date: Some(brief.date),
                }
            }
            Target::Entity(e) => {
                let entity = &self.graph.entities[e];
                PageRef {
                    kind: entity.kind.name(),
                    title: entity.name.clone(),
                    url: self.linker.href(&links::entity(entity.kind, &entity.id)),
                    date: None,
                }
            }
            Target::Page(p) => {
                let page = &self.model.pages[p];
                PageRef {
                    kind: "page",
                    title: page.title.clone(),
                    url: self.linker.href(&links::free_page(&page.slug)),
                    date: None,
                }
            }
        }
    }

    /// The briefs that mention entity `e` without featuring it, newest
    /// first: those at positions `range` of that list.
    fn mentions(&self, e: EntityIx, range: std::ops::Range<usize>) -> Vec<MentionView> {
        let all = self.backlinks.mentions_of(e);
        all[range.start.min(all.len())..range.end.min(all.len())]
            .iter()
            .map(|m| MentionView {
                brief: self.brief_ref(m.brief),
                contexts: m.contexts.clone(),
            })
            .collect()
    }

    /// The first page of an entity's archive, relative; `None` when the
    /// entity's own page shows the whole list.
    fn archive_url(&self, e: EntityIx, archive: Archive) -> Option<String> {
        let entity = &self.graph.entities[e];
        let pages = plan::archive_pages(self.graph, self.backlinks, self.paging, e, archive);
        (pages > 0).then(|| {
            self.linker
                .href(&links::entity_archive(entity.kind, &entity.id, archive, 1))
        })
    }

    /// Page `n` of an entity's archive.
    pub fn archive(&self, e: EntityIx, archive: Archive, n: usize) -> ArchiveView {
        let entity = &self.graph.entities[e];
        let rel = &self.graph.relations.entities[e];
        let (total, per_page) =
            plan::archive_size(self.graph, self.backlinks, self.paging, e, archive);
        let range = page_range(n, per_page, total);
        let mut view = ArchiveView {
            entity: self.entity_link(e),
            kind_title: self.config.words.text(kind_key(entity.kind)).to_string(),
            archive,
            briefs: Vec::new(),
            events: Vec::new(),
            mentions: Vec::new(),
            paginator: self.paginator(n, Paging::pages(total, per_page), total, |page| {
                links::entity_archive(entity.kind, &entity.id, archive, page)
            }),
        };
        match archive {
            Archive::Briefs => {
                view.briefs = rel.briefs[range]
                    .iter()
                    .map(|&b| self.brief_card_of(e, b))
                    .collect();
            }
            Archive::Events => {
                view.events = rel.events[range].iter().map(|&r| self.event(r)).collect();
            }
            Archive::Mentions => view.mentions = self.mentions(e, range),
        }
        view
    }

    /// Events grouped by year, then month; events dated by year only come
    /// first in their year, as a group without a month name. `continues`
    /// marks the first month as begun on an earlier page.
    pub fn timeline(&self, events: &[EventRef], continues: bool) -> Vec<YearGroup> {
        let mut years: Vec<YearGroup> = Vec::new();
        for &r in events {
            let date = &self.model.briefs[r.brief].events[r.event].date;
            if years.last().is_none_or(|y| y.year != date.year) {
                years.push(YearGroup {
                    year: date.year,
                    months: Vec::new(),
                });
            }
            let first_year = years.len() == 1;
            let year = years.last_mut().expect("a year group was just pushed");
            if year.months.last().is_none_or(|m| m.number != date.month) {
                let continued = continues && first_year && year.months.is_empty();
                year.months.push(MonthGroup {
                    name: date.month.map(|m| self.config.words.month(m).to_string()),
                    title: (date.month).map(|m| self.config.words.month_year(date.year, m)),
                    number: date.month,
                    continued,
                    events: Vec::new(),
                });
            }
            let month = year
                .months
                .last_mut()
                .expect("a month group was just pushed");
            month.events.push(self.event(r));
        }
        years
    }

    /// The year navigation of a timeline split by year; `current` is the
    /// year of the page, if any.
    pub fn year_links(&self, years: &[TimelineYear], current: Option<i32>) -> Vec<YearLink> {
        years
            .iter()
            .map(|y| YearLink {
                year: y.year,
                count: y.count(),
                url: self.linker.href(&links::timeline_year(y.year, 1)),
                current: current == Some(y.year),
                months: (y.months.iter())
                    .map(|&(month, count, first)| {
                        let page = links::timeline_year(y.year, y.page_of(first));
                        MonthLink {
                            name: month.map(|m| self.config.words.month(m).to_string()),
                            number: month,
                            count,
                            url: self
                                .linker
                                .href(&format!("{page}#{}", month_anchor(y.year, month))),
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    /// The paginator of page `current` of `total_pages`; `page_path` gives
    /// the site path of a page by its number.
    pub fn paginator(
        &self,
        current: usize,
        total_pages: usize,
        total_items: usize,
        page_path: impl Fn(usize) -> String,
    ) -> Paginator {
        let url = |n: usize| self.linker.href(&page_path(n));
        // The first and last pages, and two on each side of the current.
        let mut shown: Vec<usize> = vec![1, total_pages];
        shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total_pages));
        shown.sort_unstable();
        shown.dedup();
        let mut pages = Vec::new();
        for (i, &n) in shown.iter().enumerate() {
            if i > 0 && n > shown[i - 1] + 1 {
                pages.push(PageNumber {
                    number: 0,
                    url: String::new(),
                    current: false,
                    gap: true,
                });
            }
            pages.push(PageNumber {
                number: n,
                url: url(n),
                current: n == current,
                gap: false,
            });
        }
        Paginator {
            current,
            total_pages,
            total_items,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total_pages).then(|| url(current + 1)),
            pages,
        }
    }
}

/// The [`HOME_LIST`] entities of a kind featured in most briefs, with
/// their number of briefs (ties by id).
/// The briefs featuring `e` in each of the [`pictures::SPARK_MONTHS`] months
/// up to the newest brief of the site, and that month's index; `None` for a
/// site without briefs.
pub fn activity_counts(
    model: &Model,
    graph: &Graph,
    e: EntityIx,
) -> Option<([usize; pictures::SPARK_MONTHS as usize], i32)> {
    let newest = graph.relations.chronological.last()?;
    let last = pictures::month_index(&model.briefs[*newest].date);
    let briefs = &graph.relations.entities[e].briefs;
    let months = briefs
        .iter()
        .map(|&b| pictures::month_index(&model.briefs[b].date));
    Some((pictures::monthly_counts(months, last), last))
}

pub fn most_active(graph: &Graph, kind: EntityKind) -> Vec<(EntityIx, u32)> {
    let mut list: Vec<(EntityIx, u32)> = (graph.entities_of(kind).iter())
        .map(|&e| (e, graph.relations.entities[e].briefs.len() as u32))
        .filter(|(_, n)| *n > 0)
        .collect();
    list.sort_by(|a, b| {
        (b.1.cmp(&a.1)).then_with(|| graph.entities[a.0].id.cmp(&graph.entities[b.0].id))
    });
    list.truncate(HOME_LIST);
    list
}

/// The positions of the items of page `n` (1-based) of a list of `total`,
/// `per_page` to a page.
pub fn page_range(n: usize, per_page: usize, total: usize) -> std::ops::Range<usize> {
    let start = ((n.max(1) - 1) * per_page).min(total);
    start..(start + per_page).min(total)
}

/// The id of the heading of a month of the timeline (`year-2023-9`), or of
/// the events of a year dated by year only (`year-2023`).
pub fn month_anchor(year: i32, month: Option<u32>) -> String {
    match month {
        Some(m) => format!("year-{year}-{m}"),
        None => format!("year-{year}"),
    }
}

/// The key of the theme's word for a kind (`kind_person`).
pub fn kind_key(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "kind_person",
        EntityKind::Organization => "kind_organization",
        EntityKind::Topic => "kind_topic",
        EntityKind::Place => "kind_place",
    }
}
