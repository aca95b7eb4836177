//! The example site that ships in this repository builds cleanly, has no
//! broken link, and lets a reader click from a brief to Kim Jong Un, on to
//! Vladimir Putin through "connections", to the timeline and back. Published
//! under a sub-path, every link, feed and sitemap entry works there, and its
//! feeds are valid Atom.

mod common;

use std::path::{Path, PathBuf};

use common::server::{crawl, request, static_server};
use common::{Page, broken_links, run_in};

fn build_example() -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = run_in(repo, &["build", "--output", public.to_str().unwrap()]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("Built "), "{}", run.stdout);
    // The only warning is the deliberate stub.
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0]
            .contains("no profile for `Eastern Economic Forum`; made a stub organization page")
    );
    (out, public)
}

#[test]
fn example_site_has_no_broken_links() {
    let (_dir, public) = build_example();
    assert_eq!(broken_links(&public), Vec::<String>::new());
}

#[test]
fn a_reader_can_click_through_the_example() {
    let (_dir, public) = build_example();
    let home = Page::open(&public, "");
    assert_eq!(home.text("h1"), "Korea–Russia Watch");
    let brief = home.follow(
        &public,
        ".brief-list",
        "Kim Jong Un arrives in Russia by train for talks with Putin",
    );
    assert_eq!(brief.site_path, "briefs/kim-arrives-in-russia/");
    // Referenced as `Kim Jong-un` in the front matter.
    let kim = brief.follow(&public, ".actors", "Kim Jong Un");
    assert_eq!(kim.site_path, "people/kim-jong-un/");
    let putin = kim.follow(
        &public,
        "#entity-connections ~ ul.counted",
        "Vladimir Putin",
    );
    assert_eq!(putin.text("h1"), "Vladimir Putin");
    let timeline = putin.follow(&public, ".site-nav", "Timeline");
    assert!(timeline.texts(".event-title").len() >= 8);
    let back_home = timeline.follow(&public, ".site-header", "Korea–Russia Watch");
    assert_eq!(back_home.site_path, "");
}

#[test]
fn kim_page_gathers_briefs_named_by_every_alias() {
    let (_dir, public) = build_example();
    let kim = Page::open(&public, "people/kim-jong-un/");
    let briefs = kim.texts("#entity-briefs ~ ul .brief-card-title");
    // Newest first; by `김정은` (the food brief), by `Kim Jong-un` (the
    // arrival) and by name elsewhere.
    assert_eq!(
        briefs,
        [
            "Ammunition for food: what Russia and North Korea want from the summit",
            "Kim Jong Un arrives in Russia by train for talks with Putin",
            "US warns North Korea and Russia against arms transfers",
            "North Korea\u{2019}s food shortage, and why it matters for the Russia summit",
            "Shoigu becomes first Russian defence minister in North Korea since 1991",
        ]
    );
    // The draft brief never shows.
    let everything = common::snapshot(&public);
    assert!(everything.iter().all(|(_, bytes)| {
        !String::from_utf8_lossy(bytes).contains("how Washington could respond")
    }));
    let putin = Page::open(&public, "people/vladimir-putin/");
    // Referenced as `Владимир Путин` by the Zhang Guoqing brief.
    assert!(
        putin
            .texts("#entity-briefs ~ ul .brief-card-title")
            .iter()
            .any(|t| t.contains("Zhang"))
    );
}

#[test]
fn the_navigation_marks_the_section_a_page_belongs_to() {
    let (_dir, public) = build_example();
    let current =
        |site_path: &str| Page::open(&public, site_path).texts(".site-nav [aria-current=page]");
    assert_eq!(current(""), Vec::<String>::new());
    assert_eq!(current("briefs/"), ["Briefs"]);
    assert_eq!(current("briefs/kim-arrives-in-russia/"), ["Briefs"]);
    assert_eq!(current("people/"), ["People"]);
    assert_eq!(current("people/kim-jong-un/"), ["People"]);
    assert_eq!(current("organizations/kcna/"), ["Organisations"]);
    assert_eq!(current("topics/"), ["Topics"]);
    assert_eq!(current("places/vladivostok/"), ["Places"]);
    assert_eq!(current("timeline/"), ["Timeline"]);
}

#[test]
fn check_finds_no_errors_in_the_example() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = run_in(repo, &["check"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout.lines().last(),
        Some("1 warning (39 pages checked)"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_first_mention_of_every_actor_in_a_brief_is_a_link() {
    let (_dir, public) = build_example();
    let briefs = Page::open(&public, "briefs/");
    for (title, href) in briefs.links(".brief-card-title") {
        let brief = Page::open(&public, &briefs.resolve(&href));
        let body = brief.text(".prose");
        let linked: Vec<String> = brief
            .links(".prose")
            .into_iter()
            .map(|(_, h)| brief.resolve(&h))
            .collect();
        for (name, actor_href) in brief.links(".actors") {
            if body.contains(&name) {
                let actor = brief.resolve(&actor_href);
                assert!(
                    linked.contains(&actor),
                    "{title}: `{name}` is not linked in the body"
                );
            }
        }
    }
}

#[test]
fn entity_pages_show_the_briefs_that_mention_them_in_context() {
    let (_dir, public) = build_example();
    let kim = Page::open(&public, "people/kim-jong-un/");
    let mentioned: Vec<String> = kim
        .links(".mention-list > li > a")
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(
        mentioned,
        ["Putin meets Chinese Vice Premier Zhang Guoqing at the Eastern Economic Forum"]
    );
    let context = kim.text(".mention-context");
    assert!(context.contains("Kim Jong Un"), "{context}");
    assert_eq!(kim.text(".mention-context mark"), "Kim Jong Un");
    // The wikilink and file link in "what each side wants" show up as
    // backlinks on the briefs they point at; the draft's link does not.
    let warning = Page::open(&public, "briefs/us-warns-on-arms-transfers/");
    assert_eq!(
        warning.texts(".linked-from a"),
        ["Ammunition for food: what Russia and North Korea want from the summit"]
    );
    let about = Page::open(&public, "briefs/kim-arrives-in-russia/");
    assert_eq!(about.texts(".linked-from a"), ["About this briefing"]);
}

/// Copies the example site into a temporary folder.
fn example_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo).unwrap();
        let to = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

/// Replaces `from` (which must be there) with `to` in a file of the copy.
fn plant(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn check_reports_every_problem_planted_in_a_copy_of_the_example() {
    let copy = example_copy();
    let dir = copy.path();
    let kim = "content/briefs/2023-09-12-kim-arrives-in-russia.md";
    // Line 38 starts the body: a misspelt wikilink, a link to a missing
    // heading, and an unsafe link.
    plant(
        dir,
        kim,
        "Kim Jong Un has travelled to Russia by train",
        "[[Kim Jong Um]] has travelled to [Russia](../people/vladimir-putin.md#russia) by [train](javascript:void(0))",
    );
    // A typo in a reference.
    plant(
        dir,
        "content/briefs/2023-09-12-putin-meets-zhang-guoqing.md",
        "ref: Владимир Путин",
        "ref: Vladimir Puttin",
    );
    // Bad YAML in the draft: drafts are checked too.
    plant(
        dir,
        "content/briefs/2023-09-14-sanctions-outlook.md",
        "draft: true",
        "draft: true: yes",
    );
    let run = run_in(dir, &["check"]);
    run.expect_code(1);
    let problems: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .collect();
    assert_eq!(
        problems,
        [
            "content/briefs/2023-09-12-kim-arrives-in-russia.md:43:1: error: `[[Kim Jong Um]]` links to nothing: no entity or brief is called `Kim Jong Um` [unresolved-link]",
            "content/briefs/2023-09-12-kim-arrives-in-russia.md:43:34: error: `../people/vladimir-putin.md#russia` points at `#russia`, but the person `Vladimir Putin` (content/people/vladimir-putin.md) has no heading with that id [missing-anchor]",
            "content/briefs/2023-09-12-kim-arrives-in-russia.md:43:82: warning: removed the link to `javascript:void(0)`: only web, mail and relative URLs are kept [unsafe-url]",
            "content/briefs/2023-09-12-putin-meets-zhang-guoqing.md:5:10: warning: no profile for `Vladimir Puttin`; made a stub person page [likely-typo]",
            "content/briefs/2023-09-12-putin-meets-zhang-guoqing.md:9:10: warning: no profile for `Eastern Economic Forum`; made a stub organization page [stub]",
            "content/briefs/2023-09-14-sanctions-outlook.md:4:12: error: invalid YAML in the brief's front matter: mapping values are not allowed in this context [invalid-yaml]",
        ],
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("help: did you mean `[[Kim Jong Un]]`?"));
    assert!(run.stdout.contains("help: did you mean `Vladimir Putin`?"));
}

#[test]
fn the_example_works_under_a_sub_path_and_its_feeds_are_valid_atom() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let host = tempfile::tempdir().unwrap();
    let server = static_server(host.path());
    let origin = format!("http://127.0.0.1:{}", server.port);
    let base = format!("{origin}/briefing/");
    let output = host.path().join("briefing");
    let run = run_in(
        repo,
        &[
            "build",
            "--base-url",
            &base,
            "--output",
            output.to_str().unwrap(),
        ],
    );
    run.expect_code(0);
    assert!(run.stdout.contains(" and 22 feeds in "), "{}", run.stdout);

    let (seen, broken) = crawl(server.port, "/briefing/");
    assert_eq!(broken, Vec::<String>::new());
    assert!(seen.len() > 50, "only {} addresses reached", seen.len());

    // Every feed the pages offer is valid Atom: the parser accepts it, and
    // the elements Atom requires are there, with absolute URLs that answer.
    let feeds: Vec<&String> = seen.iter().filter(|u| u.ends_with("feed.xml")).collect();
    assert_eq!(feeds.len(), 22, "{feeds:?}");
    for url in feeds {
        let xml = request(server.port, "GET", url).body;
        let feed = feed_rs::parser::parse(xml.as_bytes())
            .unwrap_or_else(|e| panic!("{url} is not a valid feed: {e}"));
        assert_eq!(feed.id, format!("{origin}{url}"));
        assert!(feed.title.is_some() && feed.updated.is_some(), "{url}");
        assert!(!feed.authors.is_empty(), "{url} has no author");
        assert!(!feed.entries.is_empty(), "{url} has no entries");
        for entry in &feed.entries {
            assert!(entry.title.is_some() && entry.updated.is_some(), "{url}");
            assert!(entry.summary.is_some(), "{url}");
            // The site's feed carries each brief whole; an entity's feed
            // its summary and link.
            assert_eq!(
                entry.content.is_some(),
                url == "/briefing/feed.xml",
                "{url}"
            );
            let link = entry.links[0].href.strip_prefix(&origin).unwrap();
            assert_eq!(entry.id, entry.links[0].href);
            assert_eq!(
                request(server.port, "GET", link).status,
                200,
                "{url}: {link}"
            );
        }
        let doc = roxmltree::Document::parse(&xml).unwrap();
        assert_eq!(
            doc.root_element().tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
    }
    let sitemap = request(server.port, "GET", "/briefing/sitemap.xml").body;
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(locs.len(), 38, "every page but the 404 page");
    for loc in locs {
        let path = loc.strip_prefix(&origin).unwrap();
        assert!(
            seen.contains(path),
            "{path} is in the sitemap but no page links to it"
        );
    }
    let robots = request(server.port, "GET", "/briefing/robots.txt").body;
    assert!(robots.ends_with(&format!("Sitemap: {base}sitemap.xml\n")));
}
