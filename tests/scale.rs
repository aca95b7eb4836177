//! Pages that stay small as the archive grows: a generated site of 2,000
//! briefs (`tests/fixtures/gen_corpus.py`, the benchmark's generator) is
//! built next to one of 500 from the same generator, with `per_page: 10` so
//! that every list is paged many times over. No page of the larger site may
//! be larger than the same kind of page of the smaller one by more than a
//! margin for longer names: whatever grows with the archive is paged. The
//! paged lists still reach everything (every brief of a hub actor, every
//! event of the timeline, every person, every mention), the link checker
//! passes, in portable mode too, and the search index holds every brief.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{Page, broken_links, run_in};

/// Every page of every corpus stays under this, whatever its kind.
const LIMIT: u64 = 64 * 1024;

/// A corpus of `briefs` briefs, each body also linking to `HUB` (so that its
/// "mentioned in" list is long), built into `public/`.
fn built_corpus(briefs: usize, extra_args: &[&str]) -> tempfile::TempDir {
    let dir = common::generated_site(&["--briefs", &briefs.to_string()]);
    let mut config = fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    config.push_str("per_page: 10\n");
    fs::write(dir.path().join("site.yaml"), config).unwrap();
    for entry in fs::read_dir(dir.path().join("content/briefs")).unwrap() {
        let path = entry.unwrap().path();
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str("\nBackground: [[Yang Xiaoming]].\n");
        fs::write(&path, text).unwrap();
    }
    let mut args = vec!["build", "--quiet"];
    args.extend_from_slice(extra_args);
    let run = run_in(dir.path(), &args);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    dir
}

/// The body text of every brief links to this person.
const HUB: &str = "people/yang-xiaoming/";

/// The kind of a page, from its path: slugs become `*` (and the four
/// entity folders `ENTITY`), so `people/kim/events/page/3/index.html` is
/// `ENTITY/*/events/page/*/index.html`.
fn kind_of(file: &str) -> String {
    const WORDS: &[&str] = &[
        "briefs",
        "timeline",
        "page",
        "events",
        "mentions",
        "search",
        "index.html",
    ];
    let mut parts: Vec<&str> = file
        .split('/')
        .map(|part| if WORDS.contains(&part) { part } else { "*" })
        .collect();
    if ["people", "organizations", "topics", "places"].contains(&file.split('/').next().unwrap()) {
        parts[0] = "ENTITY";
    }
    parts.join("/")
}

/// The largest HTML page of each kind: its size and its file.
fn largest_by_kind(public: &Path) -> BTreeMap<String, (u64, String)> {
    let mut largest: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let file = entry
            .path()
            .strip_prefix(public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let size = entry.metadata().unwrap().len();
        let slot = largest.entry(kind_of(&file)).or_default();
        if size > slot.0 {
            *slot = (size, file);
        }
    }
    largest
}

/// Follows `rel=next` from `first`, returning every page of the list.
fn all_pages(public: &Path, first: &str) -> Vec<Page> {
    let mut pages = vec![Page::open(public, first)];
    loop {
        let last = pages.last().unwrap();
        let next = last.links("a[rel=next]");
        let Some((_, href)) = next.first() else {
            return pages;
        };
        let target = last.resolve(href);
        assert!(
            pages.len() < 10_000,
            "the pages of {first} go round in circles"
        );
        pages.push(Page::open(public, &target));
    }
}

/// The number in a `…: 1926 in all, …` or `All 1926 briefs …` text.
fn first_number(text: &str) -> usize {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number in `{text}`"))
}

/// The site paths of the folders under `public/FOLDER/` that are pages of
/// their own (not `page/`).
fn pages_in(public: &Path, folder: &str) -> BTreeSet<String> {
    fs::read_dir(public.join(folder))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name != "page" && public.join(folder).join(name).join("index.html").is_file()
        })
        .map(|name| format!("{folder}/{name}/"))
        .collect()
}

#[test]
fn a_2000_brief_site_is_paged_into_small_linked_pages() {
    let small = built_corpus(500, &[]);
    let large = built_corpus(2000, &[]);
    let public = large.path().join("public");

    // No kind of page grows with the archive.
    let before = largest_by_kind(&small.path().join("public"));
    let after = largest_by_kind(&public);
    assert!(
        after.contains_key("ENTITY/*/mentions/page/*/index.html"),
        "{after:?}"
    );
    assert!(
        after.contains_key("timeline/*/page/*/index.html"),
        "{after:?}"
    );
    for (kind, (size, file)) in &after {
        assert!(*size <= LIMIT, "{file} is {size} bytes, over {LIMIT}");
        if let Some((small_size, small_file)) = before.get(kind) {
            let allowed = small_size + small_size / 4 + 2048;
            assert!(
                *size <= allowed,
                "{file} is {size} bytes with 2,000 briefs, {small_file} {small_size} with 500: pages of this kind grow with the archive"
            );
        }
    }

    // Every brief of the busiest actor is reachable: ten on the page, the
    // rest through the archive.
    let hub = Page::open(&public, HUB);
    assert_eq!(hub.texts("#entity-briefs ~ ul .brief-card").len(), 10);
    let (all_text, all_href) = hub
        .links("p.more a")
        .into_iter()
        .find(|(text, _)| text.starts_with("All ") && text.contains(" briefs "))
        .expect("the hub's page links to all its briefs");
    let archive = all_pages(&public, &hub.resolve(&all_href));
    let listed: BTreeSet<String> = archive
        .iter()
        .flat_map(|page| {
            page.links(".brief-card-title a")
                .into_iter()
                .map(|(_, href)| page.resolve(&href))
        })
        .collect();
    assert_eq!(listed.len(), first_number(&all_text));
    assert!(archive.len() > 5, "{} pages", archive.len());

    // Every brief links to the hub in its text: those that do not feature
    // it are in its "mentioned in" pages.
    let mentions = hub
        .links("p.more a")
        .into_iter()
        .find(|(text, _)| text.contains("mention"))
        .expect("the hub's page links to all its mentions");
    let mentioned: BTreeSet<String> = all_pages(&public, &hub.resolve(&mentions.1))
        .iter()
        .flat_map(|page| {
            page.links("ul.mention-list > li > a")
                .into_iter()
                .map(|(_, href)| page.resolve(&href))
        })
        .collect();
    assert_eq!(mentioned.len(), first_number(&mentions.0));
    let briefs = pages_in(&public, "briefs");
    assert_eq!(briefs.len(), 2000);
    assert_eq!(
        mentioned.union(&listed).cloned().collect::<BTreeSet<_>>(),
        briefs
    );
    assert!(mentioned.is_disjoint(&listed));

    // The timeline's year pages hold every event once.
    let timeline = Page::open(&public, "timeline/");
    let years: Vec<String> = timeline
        .links("nav.year-index a")
        .into_iter()
        .map(|(_, href)| timeline.resolve(&href))
        .collect();
    assert!(years.len() >= 10, "{years:?}");
    let events: usize = years
        .iter()
        .flat_map(|year| all_pages(&public, year))
        .map(|page| page.texts("li.event").len())
        .sum();
    let generated: usize = fs::read_dir(large.path().join("content/briefs"))
        .unwrap()
        .map(|e| {
            fs::read_to_string(e.unwrap().path())
                .unwrap()
                .matches("\n  - date:")
                .count()
        })
        .sum();
    assert_eq!(events, generated);

    // Every person is on one of the index pages.
    let people: BTreeSet<String> = all_pages(&public, "people/")
        .iter()
        .flat_map(|page| {
            page.links(".entity-list-name a")
                .into_iter()
                .map(|(_, href)| page.resolve(&href))
        })
        .collect();
    assert_eq!(people, pages_in(&public, "people"));

    // The search index finds every brief.
    let mut in_search = BTreeSet::new();
    for entry in fs::read_dir(public.join("search")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with('d') && name.ends_with(".js")) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let json = &text[text.find('[').unwrap()..text.rfind(']').unwrap() + 1];
        let docs: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
        in_search.extend(
            docs.iter()
                .filter_map(|d| d[2].as_str())
                .filter(|url| url.starts_with("briefs/"))
                .map(str::to_string),
        );
    }
    assert_eq!(in_search, briefs);

    assert_eq!(broken_links(&public), Vec::<String>::new());
}

#[test]
fn the_paged_2000_brief_site_links_in_portable_mode_too() {
    let large = built_corpus(2000, &["--portable"]);
    let public: PathBuf = large.path().join("public");
    assert!(public.join("timeline/2020/page/2/index.html").is_file());
    let hub = fs::read_to_string(public.join(HUB).join("index.html")).unwrap();
    assert!(
        hub.contains("briefs/index.html\""),
        "portable links name index.html"
    );
    assert_eq!(broken_links(&public), Vec::<String>::new());
}
