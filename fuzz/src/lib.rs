//! What each fuzz target checks, as plain functions of the input: the
//! targets in `fuzz_targets/` hand libFuzzer's input to them, and
//! `tests/fuzz_regressions.rs` (stable, part of `cargo test`) runs every
//! input kept in `fuzz/regressions/<target>/` through the same function.
//! Each returns normally or panics; none may panic.

use std::path::Path;
use std::sync::OnceLock;

use dossier::config::{Autolink, Config, RawHtml};
use dossier::content::date::Date;
use dossier::content::frontmatter::{parse_brief, parse_page, parse_profile};
use dossier::content::model::{EntityKind, Model};
use dossier::content::{self};
use dossier::graph::targets::{LinkTargets, Target};
use dossier::graph::{self, Graph, backlinks};
use dossier::output::search::{fold, words};
use dossier::progress::Progress;
use dossier::render::bodies;
use dossier::render::markdown::{Style, html_text, render, render_inline};
use dossier::site::{self, Options};

/// What a fuzz target runs on each input.
pub type FuzzTarget = fn(&[u8]);

/// Every target by name, for the regression test.
pub const TARGETS: &[(&str, FuzzTarget)] = &[
    ("dates", dates),
    ("front_matter", front_matter),
    ("markdown", markdown),
    ("references", references),
    ("search_words", search_words),
    ("site_yaml", site_yaml),
    ("whole_check", whole_check),
];

/// Front matter and bodies of every kind of content file: parsing never
/// panics, whatever the text.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_brief(Path::new("content/briefs/2023-09-12-fuzz.md"), text);
    let _ = parse_page(Path::new("content/pages/fuzz.md"), text);
    for kind in EntityKind::ALL {
        let _ = parse_profile(kind, Path::new("content/people/fuzz.md"), text);
    }
}

/// `site.yaml`: reading settings never panics.
pub fn site_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = dossier::config::read(text);
}

/// Dates: parsing never panics, and a date that parses shows, and parses
/// again from its own form to an equal date.
pub fn dates(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(date) = Date::parse(text) {
        let _ = date.display();
        let _ = date.rfc3339();
        let _ = date.w3c();
        let again = Date::parse(date.iso()).expect("a date's own form parses");
        assert_eq!(again.cmp(&date), std::cmp::Ordering::Equal);
    }
    let _ = Date::from_file_name(text);
}

/// The search tokenizer: folding and splitting never panic, and folding is
/// stable (folding a folded word changes nothing).
pub fn search_words(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for word in words(text) {
        assert_eq!(fold(&word), word, "a word from `words` is folded");
    }
    let folded = fold(text);
    assert_eq!(fold(&folded), folded);
}

/// The Markdown body pipeline: any text as a body in each `raw_html` mode
/// and as an event's inline description; and as the body of a brief, a
/// person and a free page of the example site, with wikilinks, links to
/// files and autolinking against its real names.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for raw_html in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
        let style = Style {
            autolink: Autolink::All,
            raw_html,
            back_to_text: "Back",
        };
        let html = render(text, None, style);
        let _ = html_text(&html.html);
        let _ = render_inline(text, raw_html);
    }
    let example = example();
    let mut config = example.config.clone();
    // The first byte picks the autolinking, so both kinds are explored.
    config.autolink = if data.first().is_some_and(|b| b & 1 == 1) {
        Autolink::All
    } else {
        Autolink::First
    };
    let targets = LinkTargets::new(&example.model, &example.graph);
    let _ = bodies::render_some(
        &example.model,
        &example.graph,
        &config,
        &targets,
        &[
            (Target::Brief(0), text),
            (Target::Entity(0), text),
            (Target::Page(0), text),
        ],
    );
}

/// Reference resolution: the input is a brief added to the example site
/// (its actors, topics, places, events and aliases against the site's
/// people, organisations, topics and places); resolving it, the graph's
/// relations and `check`'s warnings never panic.
pub fn references(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(brief) = parse_brief(Path::new("content/briefs/2023-09-12-fuzz.md"), text) else {
        return;
    };
    let mut model = example().model.clone();
    model.briefs.push(brief);
    model
        .briefs
        .sort_by(|a, b| a.source.path.cmp(&b.source.path));
    let (graph, _) = graph::resolve(&model);
    let backlinks = backlinks::compute(&graph, Vec::new());
    let _ = graph::lint::warnings(&model, &graph, &backlinks);
}

/// The files a whole site is assembled from, in the order of the input's
/// NUL-separated parts.
const SITE_FILES: [&str; 6] = [
    "site.yaml",
    "content/briefs/2023-09-12-a.md",
    "content/briefs/2023-09-13-b.md",
    "content/people/kim-jong-un.md",
    "content/topics/sanctions.md",
    "content/pages/about.md",
];

/// A whole `check` of a small site assembled from the input: split at NUL
/// bytes into site.yaml, two briefs, a person, a topic and a free page
/// (references, wikilinks, autolinking, backlinks, the graph, the plan,
/// every page rendered).
pub fn whole_check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    for (part, file) in text.split('\0').zip(SITE_FILES) {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, part).unwrap();
    }
    let options = Options {
        root: dir.path().to_path_buf(),
        drafts: false,
        portable: false,
        base_url: Some("https://example.org/".to_string()),
    };
    let Ok((config, _)) = site::configure(&options) else {
        return;
    };
    let progress = Progress::silent();
    let (mut site, problems) = site::prepare(&options, config, &progress);
    if !problems.iter().any(|d| d.is_error()) {
        let _ = site.render_all(None, &progress);
    }
}

/// The example site, loaded and resolved once per process.
struct Example {
    config: Config,
    model: Model,
    graph: Graph,
}

fn example() -> &'static Example {
    static EXAMPLE: OnceLock<Example> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        // The fuzz crate's folder, or the repository's when the main
        // crate's tests include this file.
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = if manifest.ends_with("fuzz") {
            manifest.parent().unwrap_or(manifest).to_path_buf()
        } else {
            manifest.to_path_buf()
        };
        let options = Options {
            root: root.clone(),
            drafts: false,
            portable: false,
            base_url: None,
        };
        let (config, _) = site::configure(&options).expect("the example site configures");
        let (model, _) = content::load(&root, false);
        let (graph, _) = graph::resolve(&model);
        Example {
            config,
            model,
            graph,
        }
    })
}
