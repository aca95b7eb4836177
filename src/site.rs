//! The pipeline, in its fixed order: load → resolve → render → write.
//!
//! 1. **load** (`config`, `content`): `site.yaml` and every content file into
//!    a typed model;
//! 2. **resolve** (`graph`): references into entities (stubs included), and
//!    every relation the pages show;
//! 3. **render** (`render`): Markdown bodies with their links resolved
//!    (which gives the backlinks and the `check` warnings, `graph::backlinks`
//!    and `graph::lint`), then the page plan and the templates;
//! 4. **write** (`output`): pages and assets into a temporary folder that
//!    replaces the output folder only if everything succeeded.
//!
//! Each phase is a function of the previous phases' outputs. Problems are
//! collected across all phases; the site is written only when there are no
//! errors. `check` runs the same pipeline without the write.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::model::EntityKind;
use crate::content::{self, model::Model};
use crate::diagnostics::{Diagnostic, plural};
use crate::graph::backlinks::{self, Backlinks};
use crate::graph::targets::LinkTargets;
use crate::graph::{self, Graph};
use crate::output::assets::{self, AssetSource};
use crate::output::target::Target;
use crate::output::{Sink, Staging};
use crate::output::{data, feeds, search, sitemap};
use crate::progress::Progress;
use crate::render::bodies::{self, Bodies};
use crate::render::context::Caches;
use crate::render::templates::Templates;
use crate::render::{self, PageKind, PlannedPage, Renderer};

/// What the command line can change about a build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    pub drafts: bool,
    /// `--portable` (on top of `portable:` in site.yaml).
    pub portable: bool,
    /// `--base-url`, replacing `base_url` from site.yaml.
    pub base_url: Option<String>,
}

/// A site loaded, resolved and planned: everything but the rendered pages.
pub struct Site {
    pub config: Config,
    pub model: Model,
    pub graph: Graph,
    pub bodies: Bodies,
    pub backlinks: Backlinks,
    pub templates: Option<Templates>,
    pub pages: Vec<PlannedPage>,
    /// How the timeline is split by year, when it is too long for a page.
    pub timeline: Option<Vec<render::TimelineYear>>,
    pub assets: BTreeMap<String, AssetSource>,
    /// Each brief's Markdown, kept for `serve` (see [`prepare_phases`]);
    /// empty otherwise.
    pub markdown: Vec<String>,
}

/// The problems found by each phase, kept apart so that `serve` can replace
/// those of the phases it runs again after an edit.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    /// Walking and parsing the content files.
    pub load: Vec<Diagnostic>,
    /// References and stubs.
    pub resolve: Vec<Diagnostic>,
    pub templates: Vec<Diagnostic>,
    /// Links in bodies.
    pub links: Vec<Diagnostic>,
    /// `check`'s warnings about the graph.
    pub lint: Vec<Diagnostic>,
    /// Files under `static/` that cannot be read or served as named.
    pub assets: Vec<Diagnostic>,
    /// Pages that would share a URL or be replaced by a static file,
    /// pictures missing from `static/`.
    pub plan: Vec<Diagnostic>,
}

impl Problems {
    /// Every problem, in the order the phases ran.
    pub fn all(&self) -> Vec<Diagnostic> {
        [
            &self.load,
            &self.resolve,
            &self.templates,
            &self.links,
            &self.lint,
            &self.assets,
            &self.plan,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }
}

/// Why a build did not produce a site: every problem found, warnings
/// included. [`crate::diagnostics::exit_code`] tells which exit code it means.
#[derive(Debug)]
pub struct Failure(pub Vec<Diagnostic>);

/// Reads the configuration with the command line's overrides applied, and
/// the problems in it (a setting with a problem keeps its default, so the
/// rest of the site can still be checked). Fails only when `options.root`
/// is not a site at all.
pub fn configure(options: &Options) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    if !options.root.join("content").is_dir() {
        let shown = options.root.display();
        return Err(vec![Diagnostic::error("no-site", format!("no `content` folder in `{shown}`, so it is not a dossier site"))
            .with_help("run dossier in a site's folder, pass --root with the site's folder, or create a new site with `dossier init DIR`")]);
    }
    let (mut config, mut problems) = config::load(&options.root);
    if let Some(url) = &options.base_url {
        match config::normalize_base_url(url) {
            Ok(url) => config.base_url = Some(url),
            Err(help) => problems.push(
                Diagnostic::error(
                    "invalid-base-url",
                    format!("--base-url must be an absolute http(s) URL, found `{url}`"),
                )
                .with_help(help),
            ),
        }
    }
    config.portable |= options.portable;
    let (words, language_problems) =
        crate::i18n::Language::load(&options.root, &config.language, &config.strings);
    config.words = words;
    problems.extend(
        language_problems
            .into_iter()
            .map(|d| at_language_line(&options.root, d)),
    );
    Ok((config, problems))
}

/// A problem with `language:` placed at its line in site.yaml.
fn at_language_line(root: &std::path::Path, d: Diagnostic) -> Diagnostic {
    if d.code != "unknown-language" {
        return d;
    }
    let text = std::fs::read_to_string(root.join(config::CONFIG_FILE)).unwrap_or_default();
    let source = crate::yaml::Source {
        file: std::path::Path::new(config::CONFIG_FILE),
        yaml: &text,
        first_line: 1,
        what: "site.yaml",
        positions: None,
    };
    let at = source.locate(&[crate::yaml::Seg::Key("language")]);
    d.at_location(at)
}

/// Runs load, resolve and the render plan. Returns the site (when the
/// templates compiled) and every problem found, warnings included.
pub fn prepare(options: &Options, config: Config, progress: &Progress) -> (Site, Vec<Diagnostic>) {
    let (site, problems, _) = prepare_phases(options, config, progress, false);
    (site, problems.all())
}

/// [`prepare`], with the problems by phase and where each reference led
/// (for `serve` to resolve again from). With `keep` (for `serve`), the
/// site keeps what an edit needs to render again: each brief's Markdown,
/// the bodies' HTML after their pages are rendered, and the links each
/// body makes.
pub fn prepare_phases(
    options: &Options,
    config: Config,
    progress: &Progress,
    keep: bool,
) -> (Site, Problems, graph::Lookups) {
    let root = &options.root;
    let mut problems = Problems::default();
    progress.start("load");
    let (mut model, load_problems) = content::load(root, options.drafts);
    problems.load = load_problems;
    progress.start("resolve");
    let (graph, resolve_problems, lookups) = graph::resolve_keeping(&model);
    problems.resolve = resolve_problems;
    progress.start("templates");
    let templates = match Templates::load(root, &config.words) {
        Ok(t) => Some(t),
        Err(p) => {
            problems.templates = p;
            None
        }
    };
    progress.start("markdown");
    let brief_markdown = model.take_brief_bodies();
    let markdown = if keep {
        brief_markdown.clone()
    } else {
        Vec::new()
    };
    let targets = LinkTargets::new(&model, &graph);
    let (mut bodies, link_problems) =
        bodies::render(&model, &graph, &config, &targets, brief_markdown);
    problems.links = link_problems;
    drop(targets);
    progress.start("backlinks");
    let outgoing = if keep {
        bodies.keep_html = true;
        bodies.outgoing()
    } else {
        bodies.take_outgoing()
    };
    let backlinks = backlinks::compute(&graph, outgoing);
    problems.lint = graph::lint::warnings(&model, &graph, &backlinks);
    progress.start("plan");
    let (assets, asset_problems) = assets::collect(root);
    let (pages, timeline, plan_problems) = plan_pages(&model, &graph, &backlinks, &config, &assets);
    problems.assets = asset_problems;
    problems.plan = plan_problems;
    (
        Site {
            config,
            model,
            graph,
            bodies,
            backlinks,
            templates,
            pages,
            timeline,
            assets,
            markdown,
        },
        problems,
        lookups,
    )
}

/// Every page of the site ([`render::plan`]) with how the timeline is split
/// by year, less what a static file replaces; and the plan's problems: pages
/// that would share a URL, static files over generated pages, pictures
/// missing from `static/`.
pub fn plan_pages(
    model: &Model,
    graph: &Graph,
    backlinks: &Backlinks,
    config: &Config,
    assets: &BTreeMap<String, AssetSource>,
) -> (
    Vec<PlannedPage>,
    Option<Vec<render::TimelineYear>>,
    Vec<Diagnostic>,
) {
    let timeline = render::plan::timeline_years(model, graph, render::Paging::of(config));
    let (mut pages, mut problems) =
        render::plan(model, graph, backlinks, config, timeline.as_deref());
    // A site's own robots.txt replaces the generated one.
    pages.retain(|p| !(p.kind == PageKind::Robots && assets.contains_key(sitemap::ROBOTS)));
    problems.extend(collisions(
        &pages,
        &data::files(graph, config.exports),
        assets,
    ));
    problems.extend(missing_images(model, assets));
    (pages, timeline, problems)
}

/// A warning for each profile `image:` that no file under `static/`
/// provides: the page would show a broken picture.
fn missing_images(model: &Model, assets: &BTreeMap<String, AssetSource>) -> Vec<Diagnostic> {
    (model.profiles.iter())
        .filter_map(|p| {
            let image = p.facts.image.as_ref()?;
            if assets.contains_key(image) {
                return None;
            }
            Some(
                p.source
                    .yaml()
                    .warning_at(
                        "missing-image",
                        &[crate::yaml::Seg::Key("image")],
                        format!("`image: {image}` is not a file under `static/`"),
                    )
                    .with_help(format!(
                        "put the picture at `static/{image}`, or correct the path"
                    )),
            )
        })
        .collect()
}

/// Static files that would replace a generated page or data file.
fn collisions(
    pages: &[PlannedPage],
    data_files: &[String],
    assets: &BTreeMap<String, AssetSource>,
) -> Vec<Diagnostic> {
    let generated: HashSet<String> = pages.iter().map(PlannedPage::output_file).collect();
    let data_files: HashSet<String> = data_files.iter().cloned().collect();
    assets::collisions(assets, &generated, &data_files)
}

impl Site {
    /// Writes the search index and the data files, then renders every
    /// page, in parallel, handing each to `sink` (which writes it, or drops
    /// it for `check`).
    /// Frees the files' text in between ([`Model::release_text`]). Returns
    /// the problems of pages that could not be rendered or written.
    pub fn render_all(&mut self, sink: Option<&dyn Sink>, progress: &Progress) -> Vec<Diagnostic> {
        self.render_all_but(sink, progress, &|_| false, true)
    }

    /// [`Site::render_all`], but for the search index, the data files and
    /// the pages `later` picks: `serve` puts the site online sooner and
    /// makes those once it is.
    pub fn render_all_but_search(
        &mut self,
        sink: &dyn Sink,
        progress: &Progress,
        later: &(dyn Fn(&PlannedPage) -> bool + Sync),
    ) -> Vec<Diagnostic> {
        self.render_all_but(Some(sink), progress, later, false)
    }

    fn render_all_but(
        &mut self,
        sink: Option<&dyn Sink>,
        progress: &Progress,
        later: &(dyn Fn(&PlannedPage) -> bool + Sync),
        search: bool,
    ) -> Vec<Diagnostic> {
        if self.templates.is_none() {
            return Vec::new();
        }
        let mut problems = Vec::new();
        if let Some(staging) = sink.filter(|_| search) {
            progress.start("search");
            // The data files are made beside the search index, on the
            // cores its merging leaves idle; the `data` phase is what is
            // left of them once the index is written. Their memory comes
            // and goes before the pages, whose peak is the build's.
            let mut data_problems = Vec::new();
            rayon::scope(|s| {
                s.spawn(|_| data_problems = self.write_data(staging));
                problems.extend(self.write_search_index(staging));
                progress.start("data");
            });
            problems.extend(data_problems);
        }
        if !self.bodies.keep_html {
            self.model.release_text();
        }
        progress.start_pages("pages", self.pages.len());
        if let Some(templates) = &self.templates {
            problems.extend(self.render_pages(templates, sink, progress, &|p| !later(p)));
        }
        if let Some(staging) = sink {
            progress.start("assets");
            problems.extend(
                self.assets
                    .par_iter()
                    .filter_map(|(name, source)| {
                        let result = match source {
                            AssetSource::File(path) => staging.copy(path, name),
                            AssetSource::Builtin(bytes) => staging.write(name, bytes),
                        };
                        result.err().map(|e| write_error(name, e))
                    })
                    .collect::<Vec<_>>(),
            );
        }
        problems
    }

    /// Renders the planned pages `selected` picks, in parallel, handing
    /// each to `sink` (for `serve`, after an edit).
    pub fn render_selected(
        &self,
        selected: &(dyn Fn(&PlannedPage) -> bool + Sync),
        sink: &dyn Sink,
    ) -> Vec<Diagnostic> {
        let Some(templates) = &self.templates else {
            return Vec::new();
        };
        self.render_pages(templates, Some(sink), &Progress::silent(), selected)
    }

    /// Renders the planned pages `selected` picks, in parallel, handing
    /// each to `sink`. The views shared between pages live only as long as
    /// this takes.
    fn render_pages(
        &self,
        templates: &Templates,
        sink: Option<&dyn Sink>,
        progress: &Progress,
        selected: &(dyn Fn(&PlannedPage) -> bool + Sync),
    ) -> Vec<Diagnostic> {
        let fragments = Some(templates).filter(|t| t.has_fragments());
        let caches = Caches::new(&self.model, &self.graph, fragments);
        let renderer = Renderer {
            model: &self.model,
            graph: &self.graph,
            config: &self.config,
            bodies: &self.bodies,
            backlinks: &self.backlinks,
            templates,
            caches: &caches,
            pages: &self.pages,
            timeline: self.timeline.as_deref(),
            sitemap: std::sync::OnceLock::new(),
            newest_change: self.model.briefs.iter().map(feeds::last_changed).max(),
        };
        // Brief pages take their body's HTML as they render, so they come
        // first (after the site feed, which shows bodies too): the other
        // pages then render with that memory free.
        let stage = |page: &PlannedPage| match page.kind {
            PageKind::Feed(None) => 0,
            PageKind::Brief(_) => 1,
            _ => 2,
        };
        let mut problems: Vec<Diagnostic> = Vec::new();
        for this_stage in 0..3 {
            problems.par_extend(
                (self.pages.par_iter())
                    .filter(|page| stage(page) == this_stage && selected(page))
                    .filter_map(|page| {
                        if sink.is_some() && crate::output::interrupted() {
                            return None;
                        }
                        let problem = render_page(&renderer, page, sink);
                        progress.page_done();
                        problem
                    }),
            );
        }
        drop(renderer);
        problems.extend((caches.problems.into_inner()).unwrap_or_else(|e| e.into_inner()));
        problems
    }

    /// Builds the search index and writes its files as they are made.
    fn write_search_index(&self, staging: &dyn Sink) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let _ = search::write(
            &self.model,
            &self.graph,
            &self.bodies,
            &self.config.words,
            &mut |name, text| {
                if let Err(e) = staging.write(&name, text.as_bytes()) {
                    problems.push(write_error(&name, e));
                }
                Ok(())
            },
        );
        problems
    }

    /// Writes the data files (`exports:` in site.yaml) as they are made.
    pub fn write_data(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        data::write(&self.model, &self.graph, &self.bodies, &self.config, sink)
    }

    /// Pages written, by kind: `briefs`, `people`, …, `other`.
    pub fn page_counts(&self) -> HashMap<&'static str, usize> {
        render::count_by_kind(&self.pages, &self.graph)
    }

    /// What a build makes, as `build` and `serve` say it: `36 pages (6
    /// briefs, 6 people, …, 9 other) and 19 feeds`.
    pub fn describe(&self) -> String {
        let counts = self.page_counts();
        let count = |key: &str| counts.get(key).copied().unwrap_or(0);
        let feeds = count("feeds");
        let total: usize = counts.values().sum::<usize>() - feeds;
        let mut parts = vec![plural(count("briefs"), "brief", "briefs")];
        for kind in EntityKind::ALL {
            let (one, many) = kind.count_words();
            parts.push(plural(count(kind.folder()), one, many));
        }
        parts.push(format!("{} other", count("other")));
        let feeds = match feeds {
            0 => String::new(),
            n => format!(" and {}", plural(n, "feed", "feeds")),
        };
        format!(
            "{} ({}){feeds}",
            plural(total, "page", "pages"),
            parts.join(", ")
        )
    }
}

/// Renders one page and hands it to `sink`; returns its problem, if any.
fn render_page(
    renderer: &Renderer,
    page: &PlannedPage,
    sink: Option<&dyn Sink>,
) -> Option<Diagnostic> {
    let html = match renderer.render(page) {
        Ok(html) => html,
        Err(d) => return Some(d),
    };
    let file = page.output_file();
    sink?
        .write(&file, html.as_bytes())
        .err()
        .map(|e| write_error(&file, e))
}

fn write_error(file: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("cannot write `{file}` to the output: {e}"))
}

/// From how many pages on the old output is removed in the background.
const REMOVE_IN_BACKGROUND_FROM: usize = 500;

/// Builds the site at `options.root` into `target`. `problems` are those
/// found before the build (in the settings, or with the output folder, in
/// which case there is no `target`): the whole site is still checked, so one
/// run reports everything, but nothing is written. Returns the site and its
/// warnings on success.
pub fn build(
    options: &Options,
    config: Config,
    mut problems: Vec<Diagnostic>,
    target: Option<&Target>,
    progress: &Progress,
) -> Result<(Site, Vec<Diagnostic>), Failure> {
    // The output folder is made ready (the previous output looked through)
    // while the site loads: that is file-system work, the loading is not.
    let target = target.filter(|_| !problems.iter().any(Diagnostic::is_error));
    let ((mut site, mut found), staging) = std::thread::scope(|scope| {
        let staging = target.map(|target| scope.spawn(|| Staging::begin(target)));
        let prepared = prepare(options, config, progress);
        let staging = staging.map(|handle| {
            handle.join().unwrap_or_else(|_| {
                Err(Diagnostic::error(
                    "io",
                    "cannot make the output folder ready",
                ))
            })
        });
        (prepared, staging)
    });
    problems.append(&mut found);
    let has_errors = problems.iter().any(Diagnostic::is_error);
    let staging = match staging {
        Some(Ok(staging)) if !has_errors => staging,
        Some(Err(d)) if !has_errors => {
            problems.push(d);
            return Err(Failure(problems));
        }
        _ => {
            // Still render, without writing, to report template problems too.
            problems.extend(site.render_all(None, progress));
            return Err(Failure(problems));
        }
    };
    problems.extend(site.render_all(Some(&staging as &dyn Sink), progress));
    if crate::output::interrupted() {
        // Dropping the staging folder removes it; the old output stays.
        drop(staging);
        return Err(Failure(vec![Diagnostic::error(
            "interrupted",
            "interrupted by the user",
        )]));
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(Failure(problems));
    }
    // A large old output is deleted after this process ends, not before.
    let in_background = site.pages.len() >= REMOVE_IN_BACKGROUND_FROM;
    progress.start("swap");
    if let Err(d) = staging.commit(in_background) {
        problems.push(d);
        return Err(Failure(problems));
    }
    Ok((site, problems))
}
