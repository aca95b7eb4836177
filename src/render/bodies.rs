//! Every Markdown body rendered once, in parallel, with its links resolved
//! against the graph (see [`super::body_links`]); then the `#anchors` those
//! links point at are checked against the headings of their targets, which
//! are only known once every body is rendered.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::model::Model;
use crate::diagnostics::Diagnostic;
use crate::graph::backlinks::OutLink;
use crate::graph::targets::{LinkTargets, Target};
use crate::graph::{EntityIx, Graph};
use crate::render::body_links::{AnchorRef, Doc};
use crate::render::links::{self, Linker};
use crate::render::markdown::{self, Html, Style};

/// The rendered Markdown of every body, parallel to the model's lists.
#[derive(Debug, Default)]
pub struct Bodies {
    /// The briefs' bodies, but for their HTML, which is in `brief_html`.
    pub briefs: Vec<Html>,
    pub profiles: Vec<Html>,
    pub pages: Vec<Html>,
    /// Each brief's body as HTML, until its page takes it
    /// ([`Bodies::take_brief_html`]).
    brief_html: Vec<Mutex<String>>,
    /// Set by `serve`, which renders pages again after edits: pages copy
    /// the bodies instead of taking them.
    pub keep_html: bool,
}

impl Bodies {
    /// A copy of brief `b`'s body as HTML (for the site's feed).
    pub fn brief_html(&self, b: usize) -> String {
        lock(&self.brief_html[b]).clone()
    }

    /// The text of brief `b`'s body, for the search index
    /// ([`markdown::html_text`]).
    pub fn brief_text(&self, b: usize) -> String {
        markdown::html_text(&lock(&self.brief_html[b]))
    }

    /// Brief `b`'s body as HTML, leaving it empty: its page, the one page
    /// that shows it, takes it, so that the bodies (the largest part of a
    /// big site in memory) are freed while the other pages render. The site
    /// feed, which shows the newest bodies too, must be rendered first.
    pub fn take_brief_html(&self, b: usize) -> String {
        if self.keep_html {
            return self.brief_html(b);
        }
        std::mem::take(&mut *lock(&self.brief_html[b]))
    }

    /// Feeds brief `b`'s body as HTML to `hasher`.
    pub fn hash_brief_html(&self, b: usize, hasher: &mut impl std::hash::Hasher) {
        std::hash::Hash::hash(&*lock(&self.brief_html[b]), hasher);
    }

    /// Puts some bodies, rendered again, in place of the old.
    pub fn replace(&mut self, rendered: Vec<(Target, Html)>) {
        for (target, mut html) in rendered {
            match target {
                Target::Brief(b) => {
                    *lock(&self.brief_html[b]) = std::mem::take(&mut html.html);
                    self.briefs[b] = html;
                }
                // Profiles are the first entities, in the same order.
                Target::Entity(p) => self.profiles[p] = html,
                Target::Page(p) => self.pages[p] = html,
            }
        }
    }

    /// Every body with its target (profiles are the first entities).
    pub fn all(&self) -> impl Iterator<Item = (Target, &Html)> {
        let briefs = (self.briefs.iter().enumerate()).map(|(i, h)| (Target::Brief(i), h));
        let profiles = (self.profiles.iter().enumerate()).map(|(i, h)| (Target::Entity(i), h));
        let pages = (self.pages.iter().enumerate()).map(|(i, h)| (Target::Page(i), h));
        briefs.chain(profiles).chain(pages)
    }

    /// Points the links of every body at the entities' new places after
    /// the entity table was made again: `new_place[e]` for entity `e`
    /// (`None` for one that is gone, whose links are left as they are:
    /// bodies linking to it are rendered again).
    pub fn move_entity_links(&mut self, new_place: &[Option<EntityIx>]) {
        let moved = |t: &mut Target| {
            if let Target::Entity(e) = t
                && let Some(Some(now)) = new_place.get(*e)
            {
                *e = *now;
            }
        };
        for h in self
            .briefs
            .iter_mut()
            .chain(&mut self.profiles)
            .chain(&mut self.pages)
        {
            h.links.iter_mut().for_each(|l| moved(&mut l.target));
            h.anchors.iter_mut().for_each(|a| moved(&mut a.target));
        }
    }

    /// Each page with a body, and a copy of the links its body makes.
    pub fn outgoing(&self) -> Vec<(Target, Vec<OutLink>)> {
        self.all().map(|(t, h)| (t, h.links.clone())).collect()
    }

    /// The problems of the links in every body, those of `#anchors`
    /// included (checked against the headings of their targets).
    pub fn problems(&self, model: &Model, graph: &Graph) -> Vec<Diagnostic> {
        let all = || self.all().map(|(_, h)| h);
        let mut problems: Vec<Diagnostic> =
            all().flat_map(|h| h.problems.iter().cloned()).collect();
        for a in all().flat_map(|h| &h.anchors) {
            if let Some(problem) = check_anchor(model, graph, self, a) {
                problems.push(problem);
            }
        }
        problems
    }

    /// The body of a page, if it has one (stubs have none).
    pub fn of(&self, graph: &Graph, target: Target) -> Option<&Html> {
        match target {
            Target::Brief(b) => self.briefs.get(b),
            Target::Entity(e) => graph.entities[e].profile.map(|p| &self.profiles[p]),
            Target::Page(p) => self.pages.get(p),
        }
    }

    /// The summary of a brief: its front matter's, else its body's first
    /// paragraph.
    pub fn brief_summary<'a>(&'a self, model: &'a Model, b: usize) -> &'a str {
        model.briefs[b]
            .summary
            .as_deref()
            .unwrap_or(&self.briefs[b].lead)
    }

    /// The summary of a profile, as [`Bodies::brief_summary`].
    pub fn profile_summary<'a>(&'a self, model: &'a Model, p: usize) -> &'a str {
        model.profiles[p]
            .summary
            .as_deref()
            .unwrap_or(&self.profiles[p].lead)
    }

    /// The summary of a free page, as [`Bodies::brief_summary`].
    pub fn page_summary<'a>(&'a self, model: &'a Model, p: usize) -> &'a str {
        model.pages[p]
            .summary
            .as_deref()
            .unwrap_or(&self.pages[p].lead)
    }

    /// Each page with a body, and the links its body makes, taken out of
    /// the bodies: they are read once, to work out the backlinks, and the
    /// sentences they carry are moved there rather than copied.
    pub fn take_outgoing(&mut self) -> Vec<(Target, Vec<OutLink>)> {
        let take = |h: &mut Html| std::mem::take(&mut h.links);
        let briefs = (self.briefs.iter_mut().enumerate()).map(|(i, h)| (Target::Brief(i), take(h)));
        // Profiles are the first entities, in the same order.
        let profiles =
            (self.profiles.iter_mut().enumerate()).map(|(i, h)| (Target::Entity(i), take(h)));
        let pages = (self.pages.iter_mut().enumerate()).map(|(i, h)| (Target::Page(i), take(h)));
        briefs.chain(profiles).chain(pages).collect()
    }
}

/// The site path of a page a body links to.
pub fn target_path(model: &Model, graph: &Graph, target: Target) -> String {
    match target {
        Target::Brief(b) => links::brief(&model.briefs[b].slug),
        Target::Entity(e) => {
            let entity = &graph.entities[e];
            links::entity(entity.kind, &entity.id)
        }
        Target::Page(p) => links::free_page(&model.pages[p].slug),
    }
}

/// The names of a page as a reader knows it: name or title, then aliases.
fn target_names(model: &Model, graph: &Graph, target: Target) -> Vec<String> {
    match target {
        Target::Brief(b) => vec![model.briefs[b].title.clone()],
        Target::Entity(e) => {
            let entity = &graph.entities[e];
            std::iter::once(&entity.name)
                .chain(&entity.aliases)
                .cloned()
                .collect()
        }
        Target::Page(p) => vec![model.pages[p].title.clone()],
    }
}

/// How messages name a page: "the person `Kim Jong Un` (content/people/kim-jong-un.md)".
fn describe(model: &Model, graph: &Graph, target: Target) -> String {
    match target {
        Target::Brief(b) => {
            let brief = &model.briefs[b];
            format!(
                "the brief `{}` ({})",
                brief.title,
                brief.source.path.display()
            )
        }
        Target::Entity(e) => {
            let entity = &graph.entities[e];
            match entity.profile {
                Some(p) => format!(
                    "the {} `{}` ({})",
                    entity.kind.name(),
                    entity.name,
                    model.profiles[p].source.path.display()
                ),
                None => format!("the {} `{}` (a stub)", entity.kind.name(), entity.name),
            }
        }
        Target::Page(p) => {
            let page = &model.pages[p];
            format!("the page `{}` ({})", page.title, page.source.path.display())
        }
    }
}

/// Renders every body, and returns the problems its links have. The
/// briefs' Markdown comes apart from the model ([`Model::take_brief_bodies`])
/// and each is freed once rendered: at 100,000 briefs that is a fifth of a
/// gigabyte less at the busiest moment of the build.
pub fn render(
    model: &Model,
    graph: &Graph,
    config: &Config,
    targets: &LinkTargets,
    brief_markdown: Vec<String>,
) -> (Bodies, Vec<Diagnostic>) {
    let one = |this, body: &str| render_one(model, graph, config, targets, this, body);
    let mut bodies = Bodies {
        briefs: (brief_markdown.into_par_iter().enumerate())
            .map(|(i, markdown)| one(Target::Brief(i), &markdown))
            .collect(),
        profiles: (model.profiles.par_iter().enumerate())
            .map(|(i, p)| one(Target::Entity(i), &p.body))
            .collect(),
        pages: (model.pages.par_iter().enumerate())
            .map(|(i, p)| one(Target::Page(i), &p.body))
            .collect(),
        brief_html: Vec::new(),
        keep_html: false,
    };
    let problems = bodies.problems(model, graph);
    bodies.brief_html = (bodies.briefs.iter_mut())
        .map(|h| Mutex::new(std::mem::take(&mut h.html)))
        .collect();
    (bodies, problems)
}

/// Renders some bodies again, from their Markdown, for [`Bodies::replace`].
pub fn render_some(
    model: &Model,
    graph: &Graph,
    config: &Config,
    targets: &LinkTargets,
    bodies: &[(Target, &str)],
) -> Vec<(Target, Html)> {
    (bodies.par_iter())
        .map(|&(this, markdown)| {
            let html = render_one(model, graph, config, targets, this, markdown);
            (this, html)
        })
        .collect()
}

/// Renders the body of one brief, profile or free page.
fn render_one(
    model: &Model,
    graph: &Graph,
    config: &Config,
    targets: &LinkTargets,
    this: Target,
    body: &str,
) -> Html {
    let style = Style {
        autolink: config.autolink,
        raw_html: config.raw_html,
        back_to_text: config.words.text("back_to_text"),
    };
    let featured: Vec<EntityIx> = match this {
        Target::Brief(b) => graph.briefs[b].entities().collect(),
        Target::Entity(_) | Target::Page(_) => Vec::new(),
    };
    let source = match this {
        Target::Brief(b) => &model.briefs[b].source,
        Target::Entity(e) => &model.profiles[e].source,
        Target::Page(p) => &model.pages[p].source,
    };
    let linker = Linker::new(&target_path(model, graph, this), config.portable);
    let href = |t: Target| linker.href(&target_path(model, graph, t));
    let name = |t: Target| describe(model, graph, t);
    let path = |t: Target| target_path(model, graph, t);
    let names = |t: Target| target_names(model, graph, t);
    let doc = Doc {
        targets,
        this,
        source,
        featured: &featured,
        href: &href,
        describe: &name,
        site_path: &path,
        names: &names,
    };
    markdown::render(body, Some(&doc), style)
}

fn lock(text: &Mutex<String>) -> std::sync::MutexGuard<'_, String> {
    text.lock().unwrap_or_else(|e| e.into_inner())
}

/// An error when the page `a` links to has no heading with its id.
fn check_anchor(
    model: &Model,
    graph: &Graph,
    bodies: &Bodies,
    a: &AnchorRef,
) -> Option<Diagnostic> {
    let headings = bodies.of(graph, a.target).map_or(&[][..], |h| &h.toc[..]);
    if headings.iter().any(|h| h.id == a.id) {
        return None;
    }
    let ids: Vec<String> = headings
        .iter()
        .take(8)
        .map(|h| format!("`{}`", h.id))
        .collect();
    let help = match crate::diagnostics::nearest(&a.id, headings.iter().map(|h| h.id.as_str())) {
        Some(near) => format!("did you mean `#{near}`?"),
        None if ids.is_empty() => {
            "that page has no headings to link to; remove the `#…` part".to_string()
        }
        None => format!("its heading ids are {}", ids.join(", ")),
    };
    let message = if a.written.starts_with('#') {
        format!("`{}` points at no heading of this page", a.written)
    } else {
        format!(
            "`{}` points at `#{}`, but {} has no heading with that id",
            a.written,
            a.id,
            describe(model, graph, a.target)
        )
    };
    Some(
        Diagnostic::error("missing-anchor", message)
            .with_help(help)
            .in_file(&a.file)
            .at(a.line, a.column),
    )
}
