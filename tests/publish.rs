//! What publishing needs, checked as a reader's tools see it: every Atom
//! feed parsed by a real feed parser (feed-rs), the sitemap parsed as XML,
//! robots.txt, the 404 page from deep missing addresses, `--base-url`, the
//! note without one, portable links, and the whole site served under a
//! sub-path by a plain static server and crawled link by link.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::server::{LINKS, crawl, request, resolve_url, static_server};
use common::{Page, Site, brief, broken_links};
use scraper::{Html, Selector};

const BASE: &str = "https://example.org/watch/";

/// Three briefs (one revised later, one with markup in its title and a
/// script in its body), two people, an organisation, a topic and a place.
fn fixture() -> Site {
    let site = Site::new();
    site.file(
        "site.yaml",
        &format!("title: Test Watch\nbase_url: {BASE}\nfeed_limit: 2\n"),
    )
    .file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\naliases: [김정은]\n---\nLeader.\n",
    )
    .file(
        "content/people/vladimir-putin.md",
        "---\nname: Vladimir Putin\n---\nPresident.\n",
    )
    .file(
        "content/organizations/kcna.md",
        "---\nname: KCNA\n---\nState media.\n",
    )
    .file("content/topics/sanctions.md", "---\ntitle: Sanctions\n---\nMeasures.\n")
    .file("content/places/vladivostok.md", "---\nname: Vladivostok\n---\nPort.\n")
    .file(
        "content/briefs/2023-09-10-oldest.md",
        &brief(
            "title: Oldest brief\nactors: [Kim Jong Un]\ntopics: [Sanctions]",
            "Old news.\n",
        ),
    )
    .file(
        "content/briefs/2023-09-11-middle.md",
        &brief(
            "title: Talks <b>&</b> \"tea\"\nupdated: 2023-09-20T08:30:00+09:00\nsummary: Cheese & <wine>\nactors: [Kim Jong Un, Vladimir Putin, KCNA]\nplaces: [Vladivostok]",
            "Kim met [[Vladimir Putin]] in [the port](2023-09-10-oldest.md) & talked.<script>alert(1)</script>\n\nSee the [note](#notes).\n\n## Notes\n\nNone.\n",
        ),
    )
    .file(
        "content/briefs/2023-09-12-newest.md",
        &brief(
            "title: Newest brief\nactors: [Vladimir Putin]",
            "New news.\n",
        ),
    )
    .file("content/pages/about.md", "---\ntitle: About\n---\nAbout us.\n");
    site
}

fn parse_feed(public: &Path, rel: &str) -> feed_rs::model::Feed {
    let bytes = fs::read(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{rel} is not a valid feed: {e}"))
}

fn entry_urls(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.links[0].href.clone())
        .collect()
}

/// Every file under `public` with this name.
fn files_named(public: &Path, name: &str) -> Vec<String> {
    walkdir::WalkDir::new(public)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_name() == name)
        .map(|e| {
            let rel = e.path().strip_prefix(public).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

#[test]
fn the_site_feed_lists_the_newest_briefs_with_everything_a_reader_needs() {
    let site = fixture();
    site.build(&[]);
    let feed = parse_feed(&site.public(), "feed.xml");
    assert_eq!(feed.id, format!("{BASE}feed.xml"));
    assert_eq!(feed.title.as_ref().unwrap().content, "Test Watch");
    let self_link = feed.links.iter().find(|l| l.rel.as_deref() == Some("self"));
    assert_eq!(self_link.unwrap().href, format!("{BASE}feed.xml"));
    // feed_limit: 2, newest first.
    assert_eq!(
        entry_urls(&feed),
        [
            format!("{BASE}briefs/newest/"),
            format!("{BASE}briefs/middle/")
        ]
    );
    // The feed changed when its newest entry did: the revised brief.
    assert_eq!(
        feed.updated.unwrap().to_rfc3339(),
        "2023-09-19T23:30:00+00:00"
    );

    let middle = &feed.entries[1];
    assert_eq!(middle.id, format!("{BASE}briefs/middle/"));
    assert_eq!(
        middle.title.as_ref().unwrap().content,
        "Talks <b>&</b> \u{201C}tea\u{201D}"
    );
    assert_eq!(
        middle.updated.unwrap().to_rfc3339(),
        "2023-09-19T23:30:00+00:00"
    );
    assert_eq!(
        middle.published.unwrap().to_rfc3339(),
        "2023-09-11T00:00:00+00:00"
    );
    assert_eq!(middle.summary.as_ref().unwrap().content, "Cheese & <wine>");
    let terms: Vec<(&str, Option<&str>)> = middle
        .categories
        .iter()
        .map(|c| (c.term.as_str(), c.label.as_deref()))
        .collect();
    assert_eq!(
        terms,
        [
            ("kim-jong-un", Some("Kim Jong Un")),
            ("vladimir-putin", Some("Vladimir Putin")),
            ("kcna", Some("KCNA"))
        ]
    );
    // The full body, as HTML: links absolute, the script gone, text escaped
    // once (the parser unescapes the XML).
    let content = middle.content.as_ref().unwrap().body.as_deref().unwrap();
    let html = Html::parse_fragment(content);
    let hrefs: Vec<&str> = html
        .select(&Selector::parse("a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            format!("{BASE}people/vladimir-putin/").as_str(),
            format!("{BASE}briefs/oldest/").as_str(),
            format!("{BASE}briefs/middle/#notes").as_str(),
        ]
    );
    assert!(content.contains("&amp; talked."), "{content}");
    assert!(!content.contains("<script"), "{content}");
    // And escaped in the XML, not as raw markup.
    let xml = fs::read_to_string(site.public().join("feed.xml")).unwrap();
    assert!(xml.contains("&lt;p&gt;Kim met"), "{xml}");
    assert!(
        xml.contains("<title>Talks &lt;b&gt;&amp;&lt;&#x2F;b&gt;")
            || xml.contains("<title>Talks &lt;b&gt;&amp;&lt;/b&gt;"),
        "{xml}"
    );
}

#[test]
fn people_organisations_and_topics_have_feeds_that_pages_link_to() {
    let site = fixture();
    site.build(&[]);
    let public = site.public();
    let feeds = files_named(&public, "feed.xml");
    assert_eq!(
        feeds,
        [
            "feed.xml",
            "organizations/kcna/feed.xml",
            "people/kim-jong-un/feed.xml",
            "people/vladimir-putin/feed.xml",
            "topics/sanctions/feed.xml",
        ],
        "places have no feed"
    );
    for rel in &feeds {
        let feed = parse_feed(&public, rel);
        assert_eq!(feed.id, format!("{BASE}{rel}"));
        assert!(feed.entries.len() <= 2, "{rel} ignores feed_limit");
        for entry in &feed.entries {
            assert!(entry.id.starts_with(BASE), "{rel}: {}", entry.id);
            assert!(entry.updated.is_some() && entry.published.is_some());
        }
    }
    let kim = parse_feed(&public, "people/kim-jong-un/feed.xml");
    assert_eq!(
        entry_urls(&kim),
        [
            format!("{BASE}briefs/middle/"),
            format!("{BASE}briefs/oldest/")
        ]
    );
    assert_eq!(kim.title.unwrap().content, "Kim Jong Un · Test Watch");
    let alternate = kim
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("alternate"));
    assert_eq!(
        alternate.unwrap().href,
        format!("{BASE}people/kim-jong-un/")
    );

    // The person page offers its own feed first, then the site's, in <head>
    // and as a visible link.
    let page = site.page("people/kim-jong-un/");
    let sel = Selector::parse("link[rel=alternate][type='application/atom+xml']").unwrap();
    let alternates: Vec<String> = page
        .html
        .select(&sel)
        .map(|l| page.resolve(l.value().attr("href").unwrap()))
        .collect();
    assert_eq!(alternates, ["people/kim-jong-un/feed.xml", "feed.xml"]);
    let visible = page.links(".follow");
    assert_eq!(visible[0].0, "Follow Kim Jong Un (Atom feed)");
    assert_eq!(page.resolve(&visible[0].1), "people/kim-jong-un/feed.xml");
    // Every other page offers the site's feed.
    for path in [
        "",
        "briefs/middle/",
        "places/vladivostok/",
        "about/",
        "search/",
    ] {
        let page = site.page(path);
        let hrefs: Vec<String> = page
            .html
            .select(&sel)
            .map(|l| page.resolve(l.value().attr("href").unwrap()))
            .collect();
        assert_eq!(hrefs, ["feed.xml"], "on `{path}`");
    }
}

#[test]
fn the_sitemap_lists_every_page_once_with_the_newest_date_it_shows() {
    let site = fixture();
    site.build(&[]);
    let public = site.public();
    let xml = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let mut listed: BTreeMap<String, Option<String>> = BTreeMap::new();
    for url in root.children().filter(|n| n.is_element()) {
        let text = |name: &str| {
            url.children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .map(str::to_string)
        };
        let loc = text("loc").expect("every <url> has a <loc>");
        assert!(loc.starts_with(BASE), "{loc} is not under base_url");
        let previous = listed.insert(loc.clone(), text("lastmod"));
        assert!(previous.is_none(), "{loc} is listed twice");
    }
    // Exactly the HTML pages written, except the 404 page.
    let pages: BTreeSet<String> = files_named(&public, "index.html")
        .into_iter()
        .map(|rel| format!("{BASE}{}", rel.trim_end_matches("index.html")))
        .collect();
    assert_eq!(listed.keys().cloned().collect::<BTreeSet<_>>(), pages);
    let lastmod = |path: &str| listed[&format!("{BASE}{path}")].clone();
    assert_eq!(lastmod("briefs/middle/").as_deref(), Some("2023-09-20"));
    assert_eq!(lastmod("briefs/oldest/").as_deref(), Some("2023-09-10"));
    assert_eq!(
        lastmod("people/kim-jong-un/").as_deref(),
        Some("2023-09-20")
    );
    assert_eq!(lastmod("topics/sanctions/").as_deref(), Some("2023-09-10"));
    assert_eq!(lastmod("").as_deref(), Some("2023-09-20"));
    assert_eq!(lastmod("about/"), None);

    let robots = fs::read_to_string(public.join("robots.txt")).unwrap();
    assert_eq!(
        robots,
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );
}

#[test]
fn base_url_from_the_command_line_wins() {
    let site = fixture();
    site.build(&["--base-url", "https://mirror.example.net/b"]);
    let feed = parse_feed(&site.public(), "feed.xml");
    assert_eq!(feed.id, "https://mirror.example.net/b/feed.xml");
    let canonical = site.page("people/kim-jong-un/");
    let sel = Selector::parse("link[rel=canonical]").unwrap();
    assert_eq!(
        canonical
            .html
            .select(&sel)
            .next()
            .unwrap()
            .value()
            .attr("href"),
        Some("https://mirror.example.net/b/people/kim-jong-un/")
    );
    let robots = fs::read_to_string(site.public().join("robots.txt")).unwrap();
    assert!(robots.ends_with("Sitemap: https://mirror.example.net/b/sitemap.xml\n"));

    let bad = site.run(&["build", "--base-url", "example.org"]);
    bad.expect_code(2);
    assert!(
        bad.stderr
            .contains("error: --base-url must be an absolute http(s) URL, found `example.org`"),
        "{}",
        bad.stderr
    );
}

#[test]
fn without_base_url_feeds_and_sitemap_are_skipped_with_one_note() {
    let site = fixture();
    site.file("site.yaml", "title: Test Watch\n");
    let run = site.build(&[]);
    assert_eq!(
        run.stderr,
        "note: feeds and sitemap skipped: they need absolute URLs and the site has no `base_url`\n  \
         help: set `base_url:` in site.yaml to the address the site will be published at, or pass --base-url URL\n"
    );
    assert!(files_named(&site.public(), "feed.xml").is_empty());
    assert!(!site.exists("sitemap.xml"));
    assert_eq!(
        fs::read_to_string(site.public().join("robots.txt")).unwrap(),
        "User-agent: *\nAllow: /\n"
    );
    let page = site.page("people/kim-jong-un/");
    assert!(page.links(".follow .feed-link").is_empty());
    assert!(!page.source.contains("application/atom+xml"));
    assert!(!page.source.contains("rel=\"canonical\""));
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn a_sites_own_robots_txt_wins_and_its_own_feed_template_is_used() {
    let site = fixture();
    site.file("static/robots.txt", "User-agent: *\nDisallow: /drafts/\n")
        .file(
            "templates/feed.xml",
            "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Custom {{ feed.title }}</title><id>{{ feed.id }}</id><updated>{{ feed.updated }}</updated></feed>",
        );
    site.build(&[]);
    assert_eq!(
        fs::read_to_string(site.public().join("robots.txt")).unwrap(),
        "User-agent: *\nDisallow: /drafts/\n"
    );
    let feed = parse_feed(&site.public(), "people/kim-jong-un/feed.xml");
    assert_eq!(
        feed.title.unwrap().content,
        "Custom Kim Jong Un · Test Watch"
    );
}

#[test]
fn a_broken_feed_template_is_reported_at_its_line() {
    let site = fixture();
    site.file(
        "templates/feed.xml",
        "<feed>\n{{ feed.nothing.here }}\n</feed>",
    );
    let run = site.run(&["build"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("templates/feed.xml:2:"),
        "{}",
        run.stderr
    );
}

#[test]
fn portable_links_all_name_a_file() {
    let site = fixture();
    site.build(&["--portable"]);
    let public = site.public();
    let sel = Selector::parse("a[href]").unwrap();
    let mut checked = 0;
    for rel in files_named(&public, "index.html") {
        let page = Page::open(&public, rel.trim_end_matches("index.html"));
        for a in page.html.select(&sel) {
            let href = a.value().attr("href").unwrap();
            if href.contains("://") || href.starts_with('#') {
                continue;
            }
            let path = href.split('#').next().unwrap();
            let last = path.rsplit('/').next().unwrap();
            assert!(
                last.ends_with(".html") || last.ends_with(".xml"),
                "{rel}: `{href}` does not name a file"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    // The search box goes to the search page's file too.
    let form = Selector::parse("form.site-search").unwrap();
    let home = site.page("");
    let action = home
        .html
        .select(&form)
        .next()
        .unwrap()
        .value()
        .attr("action");
    assert_eq!(action, Some("search/index.html"));
    assert_eq!(broken_links(&public), Vec::<String>::new());
}

#[test]
fn the_404_page_links_by_absolute_path_so_it_works_at_any_depth() {
    let site = fixture();
    site.build(&[]);
    let page = site.page("404.html");
    let sel = Selector::parse("a[href], link[href]").unwrap();
    let hrefs: Vec<&str> = page
        .html
        .select(&sel)
        .filter_map(|e| e.value().attr("href"))
        .filter(|h| !h.contains("://") && !h.starts_with('#'))
        .collect();
    assert!(hrefs.contains(&"/watch/style.css"), "{hrefs:?}");
    assert!(hrefs.contains(&"/watch/people/"), "{hrefs:?}");
    for href in hrefs {
        assert!(href.starts_with("/watch/"), "`{href}` would break at depth");
    }
    assert!(!page.source.contains("rel=\"canonical\""));
}

#[test]
fn the_site_works_under_a_sub_path_on_a_plain_static_server() {
    let site = fixture();
    let host = tempfile::tempdir().unwrap();
    let server = static_server(host.path());
    let base = format!("http://127.0.0.1:{}/briefing/", server.port);
    let output: PathBuf = host.path().join("briefing");
    site.build(&["--base-url", &base, "--output", output.to_str().unwrap()]);

    let (seen, broken) = crawl(server.port, "/briefing/");
    assert_eq!(broken, Vec::<String>::new());
    for must in [
        "/briefing/people/kim-jong-un/",
        "/briefing/briefs/middle/",
        "/briefing/search/",
        "/briefing/search.js",
        "/briefing/style.css",
        "/briefing/feed.xml",
        "/briefing/people/kim-jong-un/feed.xml",
        "/briefing/about/",
    ] {
        assert!(seen.contains(must), "the crawl never reached {must}");
    }
    // The search page's scripts (loaded by search.js, not linked) are there.
    for script in [
        "/briefing/search/index.js",
        "/briefing/search/t0.js",
        "/briefing/search/d0.js",
    ] {
        assert_eq!(request(server.port, "GET", script).status, 200, "{script}");
    }
    // Feeds and the sitemap point into the sub-path, and what they point at exists.
    let feed = feed_rs::parser::parse(
        request(server.port, "GET", "/briefing/feed.xml")
            .body
            .as_bytes(),
    )
    .unwrap();
    for entry in &feed.entries {
        let path = entry.links[0]
            .href
            .strip_prefix(&format!("http://127.0.0.1:{}", server.port))
            .unwrap()
            .to_string();
        assert_eq!(request(server.port, "GET", &path).status, 200, "{path}");
    }
    let sitemap = request(server.port, "GET", "/briefing/sitemap.xml").body;
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    for loc in doc.descendants().filter(|n| n.has_tag_name("loc")) {
        let url = loc.text().unwrap();
        assert!(url.starts_with(&base), "{url}");
        let path = &url[base.len() - "/briefing/".len()..];
        assert_eq!(request(server.port, "GET", path).status, 200, "{path}");
    }
    // The 404 page, as a host serves it for a deep missing address: every
    // link on it still leads somewhere.
    let not_found = request(server.port, "GET", "/briefing/404.html").body;
    let html = Html::parse_document(&not_found);
    let sel = Selector::parse(LINKS).unwrap();
    let missing = "/briefing/people/nobody/at/all/";
    let mut links = 0;
    for element in html.select(&sel) {
        let v = element.value();
        let href = (v.attr("href").or_else(|| v.attr("src")))
            .or_else(|| v.attr("action"))
            .unwrap();
        if href.starts_with('#') {
            continue; // the skip link, to the page itself
        }
        if let Some(url) = resolve_url(missing, href) {
            assert_eq!(
                request(server.port, "GET", &url).status,
                200,
                "404 page: {href} from {missing}"
            );
            links += 1;
        }
    }
    assert!(links >= 9, "the 404 page has only {links} links");
}

#[test]
fn entity_feeds_keep_only_the_newest_feed_limit_briefs() {
    let site = fixture();
    site.file(
        "content/briefs/2023-09-13-latest.md",
        &brief("title: Latest\nactors: [Kim Jong Un]", "Newer news.\n"),
    );
    site.build(&[]);
    // Kim is in three briefs; feed_limit is 2.
    let kim = parse_feed(&site.public(), "people/kim-jong-un/feed.xml");
    assert_eq!(
        entry_urls(&kim),
        [
            format!("{BASE}briefs/latest/"),
            format!("{BASE}briefs/middle/")
        ]
    );
    // Each entry is the brief's summary and link; the site's feed has the
    // briefs whole.
    assert!(
        kim.entries
            .iter()
            .all(|e| e.content.is_none() && e.summary.is_some())
    );
    let site_feed = parse_feed(&site.public(), "feed.xml");
    assert!(site_feed.entries.iter().all(|e| e.content.is_some()));
    // And without a limit's pressure, all of them.
    site.file(
        "site.yaml",
        &format!("title: Test Watch\nbase_url: {BASE}\nfeed_limit: 5\n"),
    );
    site.build(&[]);
    let kim = parse_feed(&site.public(), "people/kim-jong-un/feed.xml");
    assert_eq!(kim.entries.len(), 3);
}
