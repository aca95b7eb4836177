//! What `serve` keeps between rebuilds, and the incremental rebuild.
//!
//! The first build runs the whole pipeline, keeps everything it computed
//! (model, graph, rendered bodies, page plan) and a fingerprint of every
//! page ([`fingerprint`]). After an edit of briefs, [`Session::apply`] does
//! only the work the edit can affect:
//!
//! 1. **load**: parses again only the briefs that changed;
//! 2. **resolve**: only the briefs whose front matter changed, and the
//!    relations of what they name ([`graph::update`]; a body edit cannot
//!    change a reference);
//! 3. **bodies**: renders again the changed briefs' bodies, and those the
//!    changed names reach (a title, a stub that came or went);
//! 4. **backlinks, lint, plan**: run again in full (they are cheap), unless
//!    only bodies changed and every link they make (and the sentence around
//!    it) is as it was;
//! 5. **pages**: computes every page's fingerprint and renders again only
//!    the pages whose fingerprint changed, then swaps them in at once.
//!
//! [`Session::settle`] then makes the search index, the sitemap and the
//! data files (`output::data`) again, after the changed pages are online,
//! since they list every page; the first build (and any full rebuild)
//! leaves them to it too, so that the pages are online sooner.
//!
//! Any other change (settings, templates, static files, profiles, free
//! pages, a brief added, deleted, moved or turned into a draft) rebuilds
//! everything. A brief that no longer parses leaves the kept state as it
//! was: its problems are shown, and it stays pending until it parses
//! again. A rebuild that finds errors keeps its state but not its pages:
//! the last good build stays online, and the page fingerprints kept are
//! still that build's, so the next rebuild renders whatever differs from
//! what is online.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aho_corasick::AhoCorasick;
use rayon::prelude::*;

use crate::content;
use crate::content::model::EntityKind;
use crate::content::walk::is_ignored_name;
use crate::diagnostics::Diagnostic;
use crate::graph::backlinks;
use crate::graph::targets::{Autolinker, LinkTargets, Target, without_folder};
use crate::graph::{self, Entity, EntityIx};
use crate::output::memory::MemorySite;
use crate::output::{Sink, data, search};
use crate::progress::Progress;
use crate::render::bodies;
use crate::render::fingerprint;
use crate::render::markdown::Html;
use crate::render::{PageKind, PlannedPage};
use crate::site::{self, Options, Problems, Site};
use crate::text::{fold_name, slugify};

/// What a build or rebuild came to.
pub enum Outcome {
    /// The site was built: these files are online.
    Built(Built),
    /// The site has errors (and maybe warnings); the last good build stays
    /// online.
    Failed(Vec<Diagnostic>),
}

pub struct Built {
    pub site: Arc<MemorySite>,
    /// Whether everything was built again.
    pub full: bool,
    /// How many pages were rendered.
    pub rendered: usize,
    /// What the site holds ([`Site::describe`]).
    pub description: String,
    pub warnings: Vec<Diagnostic>,
}

/// The state of `serve` between rebuilds.
pub struct Session {
    options: Options,
    /// The last good build, while an incremental rebuild can start from it.
    state: Option<State>,
    /// Sources changed since the last good build, relative to the root.
    pending: BTreeSet<PathBuf>,
    /// The output of the last good build, which may still be served: a
    /// full rebuild lends it its search index and sitemap until its own
    /// are made ([`Session::settle`]), so that they are never missing.
    served: Option<Arc<MemorySite>>,
}

struct State {
    site: Site,
    /// Where each reference led, to resolve an edited brief alone.
    lookups: graph::Lookups,
    /// The autolinker of the entities as they are (the slow part of
    /// making the link targets for the bodies). This, the brief sources
    /// and the fingerprints are made by [`State::complete`], after the
    /// first build is online.
    autolinker: Option<Arc<Autolinker>>,
    problems: Problems,
    /// For each brief, [`fingerprint::brief_source`].
    brief_sources: Vec<u64>,
    /// Each page's fingerprint, by site path.
    fingerprints: HashMap<String, u64>,
    /// Whether the search index and sitemap are behind the pages.
    unsettled: bool,
    output: Arc<MemorySite>,
}

impl Session {
    pub fn new(options: Options) -> Session {
        Session {
            options,
            state: None,
            pending: BTreeSet::new(),
            served: None,
        }
    }

    /// The first build: everything.
    pub fn start(&mut self) -> Outcome {
        self.build_everything()
    }

    /// Rebuilds after `changed` sources changed (paths relative to the root,
    /// or absolute under it): incrementally when it can, else in full.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Outcome {
        let root = self.options.root.clone();
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
        for path in changed {
            let relative = (path.strip_prefix(&canonical_root))
                .or_else(|_| path.strip_prefix(&root))
                .unwrap_or(path);
            self.pending.insert(relative.to_path_buf());
        }
        match self.incremental() {
            Some(outcome) => outcome,
            None => self.build_everything(),
        }
    }

    /// Brings the search index, the sitemap and the data files up to date
    /// after a build or rebuild (they list every page, so they follow the pages, once
    /// saves pause), then makes what incremental rebuilds need if the
    /// first build has not yet. Returns how many of their files changed.
    pub fn settle(&mut self) -> usize {
        let Some(state) = self.state.as_mut() else {
            return 0;
        };
        if !state.unsettled {
            state.complete();
            return 0;
        }
        state.unsettled = false;
        let collected = Collect::default();
        let problems = state.site.render_selected(&is_settled_later, &collected);
        let site = &state.site;
        let _ = search::write(
            &site.model,
            &site.graph,
            &site.bodies,
            &site.config.words,
            &mut |name, text| collected.write(&name, text.as_bytes()),
        );
        let problems = [problems, site.write_data(&collected)].concat();
        if problems.iter().any(Diagnostic::is_error) {
            // Cannot happen with templates that rendered every other page;
            // rebuild in full next time rather than serve a stale index.
            self.state = None;
            return 0;
        }
        let files = collected.take();
        let written: HashSet<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
        let stale: Vec<String> = (state.output.paths().into_iter())
            .filter(|p| is_settled_later_file(p) && !site.assets.contains_key(p))
            .filter(|p| !written.contains(p.as_str()))
            .collect();
        let changed = state.output.update(files, &stale);
        // After the first build, what incremental rebuilds need.
        state.complete();
        changed
    }

    /// The incremental rebuild, or `None` when only a full one will do.
    fn incremental(&mut self) -> Option<Outcome> {
        let state = self.state.as_mut()?;
        state.complete();
        let root = &self.options.root;
        let mut changed: Vec<(usize, content::model::Brief)> = Vec::new();
        let mut problems = Vec::new();
        for path in &self.pending {
            let b = brief_at(&state.site, root, path)?;
            match content::load_brief(root, path) {
                Ok(brief) => {
                    let old = &state.site.model.briefs[b];
                    if brief.slug != old.slug || (brief.draft && !self.options.drafts) {
                        return None;
                    }
                    changed.push((b, brief));
                }
                Err(mut p) if !p.is_empty() => problems.append(&mut p),
                Err(_) => return None,
            }
        }
        if !problems.is_empty() {
            // Reported at once, with the kept build's other problems (those
            // of the files that no longer parse are stale); the site is
            // resolved again once they parse.
            let elsewhere = (state.problems.all().into_iter())
                .filter(|d| !d.file.as_ref().is_some_and(|f| self.pending.contains(f)));
            problems.extend(elsewhere);
            return Some(Outcome::Failed(problems));
        }
        self.pending.clear();
        Some(rebuild_briefs(state, changed))
    }

    fn build_everything(&mut self) -> Outcome {
        self.state = None;
        self.pending.clear();
        let (config, settings_problems) = match site::configure(&self.options) {
            Ok(c) => c,
            Err(problems) => return Outcome::Failed(problems),
        };
        let progress = Progress::silent();
        let (mut site, mut problems, lookups) =
            site::prepare_phases(&self.options, config, &progress, true);
        problems.load.splice(0..0, settings_problems);
        let mut all = problems.all();
        let output = MemorySite::default();
        if all.iter().any(Diagnostic::is_error) {
            all.extend(site.render_all(None, &progress));
            return Outcome::Failed(all);
        }
        let render_problems = site.render_all_but_search(&output, &progress, &is_settled_later);
        if render_problems.iter().any(Diagnostic::is_error) {
            all.extend(render_problems);
            return Outcome::Failed(all);
        }
        problems.plan.extend(render_problems);
        if let Some(served) = &self.served {
            let lent = settled_later_files(served);
            let lent = (lent.into_iter())
                .filter(|(p, _)| !site.assets.contains_key(p))
                .collect();
            output.update(lent, &[]);
        }
        let output = Arc::new(output);
        self.served = Some(output.clone());
        let built = Built {
            site: output.clone(),
            full: true,
            rendered: site.pages.len(),
            description: site.describe(),
            warnings: problems.all(),
        };
        self.state = Some(State {
            site,
            lookups,
            autolinker: None,
            problems,
            brief_sources: Vec::new(),
            fingerprints: HashMap::new(),
            unsettled: true,
            output,
        });
        Outcome::Built(built)
    }
}

impl State {
    /// Makes what only an incremental rebuild needs, once: each brief's
    /// source digest, each page's fingerprint and the autolinker. Left out
    /// of the first build, so that the site is online sooner.
    fn complete(&mut self) {
        if self.autolinker.is_some() {
            return;
        }
        let site = &self.site;
        self.brief_sources = (0..site.model.briefs.len())
            .into_par_iter()
            .map(|b| fingerprint::brief_source(&site.model, &site.bodies, b))
            .collect();
        self.fingerprints = fingerprints_of(site, &self.brief_sources);
        self.autolinker = Some(Arc::new(Autolinker::new(&site.model, &site.graph)));
    }
}

/// The index of the brief whose file is `path`, if `path` is a brief of
/// the site that is still a plain file.
fn brief_at(site: &Site, root: &Path, path: &Path) -> Option<usize> {
    let is_brief_file = path.starts_with("content/briefs")
        && path.extension().is_some_and(|e| e == "md")
        && (path.file_name()).is_some_and(|n| !is_ignored_name(&n.to_string_lossy()));
    let is_plain_file = std::fs::symlink_metadata(root.join(path)).is_ok_and(|m| m.is_file());
    if !is_brief_file || !is_plain_file {
        return None;
    }
    site.model.briefs.iter().position(|b| b.source.path == path)
}

/// Every page's fingerprint, by site path.
fn fingerprints_of(site: &Site, brief_sources: &[u64]) -> HashMap<String, u64> {
    let inputs = fingerprint::Inputs {
        model: &site.model,
        graph: &site.graph,
        bodies: &site.bodies,
        backlinks: &site.backlinks,
        config: &site.config,
        timeline: site.timeline.as_deref(),
        brief_sources,
    };
    let prints = fingerprint::all(&inputs, &site.pages);
    (site.pages.iter().zip(prints))
        .map(|(p, f)| (p.site_path.clone(), f))
        .collect()
}

/// Whether two entity tables name the same entities in the same order,
/// by the same names: then bodies that did not change link the same way.
fn same_entities(a: &[Entity], b: &[Entity]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            (x.kind, &x.id, &x.name, &x.aliases, x.profile)
                == (y.kind, &y.id, &y.name, &y.aliases, y.profile)
        })
}

/// Puts the changed briefs in place and renders again what they affect.
fn rebuild_briefs(state: &mut State, changed: Vec<(usize, content::model::Brief)>) -> Outcome {
    let site = &mut state.site;
    let mut front_changed = Vec::new();
    let mut retitled = Vec::new();
    let mut which = Vec::with_capacity(changed.len());
    for (b, mut brief) in changed {
        let old = &site.model.briefs[b];
        if old.source.front_matter != brief.source.front_matter
            || old.source.front_line != brief.source.front_line
            || old.source.body_line != brief.source.body_line
        {
            front_changed.push(b);
        }
        if old.title != brief.title {
            retitled.push((b, old.title.clone()));
        }
        site.markdown[b] = std::mem::take(&mut brief.body);
        site.model.briefs[b] = brief;
        which.push(b);
    }

    // With DOSSIER_TIMINGS set, a line per step, as `build` prints.
    let progress = Progress::silent();
    progress.start("resolve");
    let mut old_entities = None;
    if !front_changed.is_empty() {
        let old = site.graph.entities.clone();
        state.problems.resolve = graph::update(
            &mut site.graph,
            &mut state.lookups,
            &site.model,
            &front_changed,
        );
        if !same_entities(&old, &site.graph.entities) {
            old_entities = Some(old);
        }
    }

    // Bodies: the changed ones, and those the changed names reach.
    progress.start("bodies");
    let mut again: Vec<Target> = which.iter().map(|&b| Target::Brief(b)).collect();
    if old_entities.is_some() || !retitled.is_empty() {
        let old_entities = old_entities.as_deref().unwrap_or(&site.graph.entities);
        let names = NameChanges::new(site, old_entities, &retitled);
        site.bodies.move_entity_links(&names.new_place);
        again = names.bodies_to_render(site, &which);
    }
    let autolinker = match &state.autolinker {
        Some(kept) if old_entities.is_none() => Arc::clone(kept),
        _ => Arc::new(Autolinker::new(&site.model, &site.graph)),
    };
    state.autolinker = Some(Arc::clone(&autolinker));
    let targets = LinkTargets::with_autolinker(&site.model, &site.graph, autolinker);
    let sources: Vec<(Target, &str)> = again.iter().map(|&t| (t, markdown_of(site, t))).collect();
    let rendered = bodies::render_some(&site.model, &site.graph, &site.config, &targets, &sources);
    // Backlinks, lint and the page plan read the front matter and the links
    // bodies make (not their text): the common edit, a sentence typed in a
    // body, changes neither.
    let same_links = front_changed.is_empty()
        && (rendered.iter()).all(|(t, html)| {
            (site.bodies.of(&site.graph, *t)).is_some_and(|old| old.links == html.links)
        });
    site.bodies.replace(rendered);
    drop(targets);
    state.problems.links = site.bodies.problems(&site.model, &site.graph);
    for t in &again {
        if let Target::Brief(b) = *t {
            state.brief_sources[b] = fingerprint::brief_source(&site.model, &site.bodies, b);
        }
    }

    if !same_links {
        plan_again(site, &mut state.problems, &progress);
    }

    // Pages whose fingerprint changed.
    progress.start("fingerprints");
    let fingerprints = fingerprints_of(site, &state.brief_sources);
    let dirty = |page: &PlannedPage| {
        fingerprints.get(&page.site_path) != state.fingerprints.get(&page.site_path)
    };
    let collected = Collect::default();
    progress.start("pages");
    let render_problems = site.render_selected(&|p| dirty(p) && !is_settled_later(p), &collected);
    progress.finish();
    let mut warnings = state.problems.all();
    if warnings
        .iter()
        .chain(&render_problems)
        .any(Diagnostic::is_error)
    {
        // The last good build stays online, and `state.fingerprints` still
        // describe it: the next rebuild renders what differs from it.
        warnings.extend(render_problems);
        return Outcome::Failed(warnings);
    }
    let removed: Vec<String> = (state.fingerprints.keys())
        .filter(|path| !fingerprints.contains_key(*path))
        .map(|path| crate::render::links::output_file(path))
        .collect();
    let files = collected.take();
    let rendered = files.len();
    state.output.update(files, &removed);
    state.fingerprints = fingerprints;
    state.unsettled = true;
    Outcome::Built(Built {
        site: state.output.clone(),
        full: false,
        rendered,
        description: site.describe(),
        warnings,
    })
}

/// Runs backlinks, lint and the page plan again (cheap, and what they
/// read changes in ways hard to follow: any link, any reference).
fn plan_again(site: &mut Site, problems: &mut Problems, progress: &Progress) {
    progress.start("backlinks");
    site.backlinks = backlinks::compute(&site.graph, site.bodies.outgoing());
    progress.start("lint");
    problems.lint = graph::lint::warnings(&site.model, &site.graph, &site.backlinks);
    progress.start("plan");
    let (pages, timeline, plan_problems) = site::plan_pages(
        &site.model,
        &site.graph,
        &site.backlinks,
        &site.config,
        &site.assets,
    );
    site.pages = pages;
    site.timeline = timeline;
    problems.plan = plan_problems;
}

/// The Markdown of a body.
fn markdown_of(site: &Site, target: Target) -> &str {
    match target {
        Target::Brief(b) => &site.markdown[b],
        Target::Entity(p) => &site.model.profiles[p].body,
        Target::Page(p) => &site.model.pages[p].body,
    }
}

/// What changed in the names bodies link by, after an edit of briefs:
/// entities that came, went or were renamed, and briefs retitled.
struct NameChanges {
    /// For each entity of the old table, where it is in the new one.
    new_place: Vec<Option<EntityIx>>,
    /// Entities (of the new table) whose links may read differently.
    entities: HashSet<EntityIx>,
    /// Briefs retitled.
    briefs: HashSet<usize>,
    /// Every spelling autolinking may have found differently.
    spellings: Vec<String>,
    /// Every key a wikilink may have been looked up by differently
    /// (as [`graph::targets::LinkTargets::wikilink`] makes them).
    keys: HashSet<String>,
}

impl NameChanges {
    fn new(site: &Site, old: &[Entity], retitled: &[(usize, String)]) -> NameChanges {
        let new = &site.graph.entities;
        let place: HashMap<(EntityKind, &str), EntityIx> = (new.iter().enumerate())
            .map(|(ix, e)| ((e.kind, e.id.as_str()), ix))
            .collect();
        fn looks(e: &Entity) -> (&String, &Vec<String>, Option<usize>) {
            (&e.name, &e.aliases, e.profile)
        }
        let new_place: Vec<Option<EntityIx>> = (old.iter())
            .map(|e| place.get(&(e.kind, e.id.as_str())).copied())
            .collect();
        let mut changes = NameChanges {
            new_place,
            entities: HashSet::new(),
            briefs: retitled.iter().map(|(b, _)| *b).collect(),
            spellings: Vec::new(),
            keys: HashSet::new(),
        };
        let mut kept = vec![false; new.len()];
        for (e, now) in old.iter().zip(changes.new_place.clone()) {
            match now {
                Some(n) if looks(e) == looks(&new[n]) => kept[n] = true,
                Some(n) => {
                    changes.add_entity(e);
                    changes.add_entity(&new[n]);
                    changes.entities.insert(n);
                    kept[n] = true;
                }
                None => changes.add_entity(e),
            }
        }
        for (n, e) in new.iter().enumerate().filter(|(n, _)| !kept[*n]) {
            changes.add_entity(e);
            changes.entities.insert(n);
        }
        for (b, old_title) in retitled {
            changes.keys.insert(fold_name(old_title));
            changes.keys.insert(fold_name(&site.model.briefs[*b].title));
        }
        changes
    }

    fn add_entity(&mut self, e: &Entity) {
        self.keys.insert(e.id.clone());
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            self.keys.insert(fold_name(name));
            self.spellings.push(name.trim().to_string());
            if name.contains('\'') {
                self.spellings.push(name.trim().replace('\'', "\u{2019}"));
            }
        }
    }

    /// Whether a wikilink written as `written` may find another page now.
    fn reaches(&self, written: &str) -> bool {
        let name = without_folder(written).trim();
        [name.to_string(), fold_name(name), slugify(name)]
            .iter()
            .any(|k| self.keys.contains(k))
    }

    /// The bodies to render again: the changed briefs', and every body
    /// that links to a changed name, has a wikilink that may find another
    /// page now, holds a changed name autolinking may find, or has a
    /// problem (whose message may name the changed names).
    fn bodies_to_render(&self, site: &Site, changed: &[usize]) -> Vec<Target> {
        let spellings = AhoCorasick::new(&self.spellings).ok();
        let mentions = |text: &str| spellings.as_ref().is_some_and(|a| a.is_match(text));
        let touches = |t: Target| match t {
            Target::Entity(e) => self.entities.contains(&e),
            Target::Brief(b) => self.briefs.contains(&b),
            Target::Page(_) => false,
        };
        let all: Vec<(Target, &Html)> = site.bodies.all().collect();
        all.into_par_iter()
            .filter(|&(t, h)| {
                matches!(t, Target::Brief(b) if changed.contains(&b))
                    || !h.problems.is_empty()
                    || h.links.iter().any(|l| touches(l.target))
                    || h.anchors.iter().any(|a| touches(a.target))
                    || h.wikilinks.iter().any(|w| self.reaches(w))
                    || mentions(markdown_of(site, t))
            })
            .map(|(t, _)| t)
            .collect()
    }
}

/// The search index, sitemap and data files of a served build, which
/// `settle` makes again after a full rebuild.
fn settled_later_files(site: &MemorySite) -> Vec<(String, Vec<u8>)> {
    (site.paths().into_iter())
        .filter(|p| is_settled_later_file(p) || (p.starts_with("sitemap") && p.ends_with(".xml")))
        .filter_map(|p| site.get(&p).map(|bytes| (p, bytes)))
        .collect()
}

/// True for a file of the search index or a data file, which
/// [`Session::settle`] makes (the sitemap is a planned page).
fn is_settled_later_file(path: &str) -> bool {
    search::is_index_file(path) || data::is_export_file(path)
}

/// Pages made by [`Session::settle`], after the others are online.
fn is_settled_later(page: &PlannedPage) -> bool {
    matches!(page.kind, PageKind::Sitemap | PageKind::SitemapPart(_))
}

/// A sink that keeps the files, to swap them in at once.
#[derive(Default)]
struct Collect {
    files: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Collect {
    fn take(self) -> Vec<(String, Vec<u8>)> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collect {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        (self.files.lock().unwrap_or_else(|e| e.into_inner()))
            .push((rel.to_string(), bytes.to_vec()));
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &str) -> std::io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(rel, &bytes)
    }
}
