//! Shared and found: every page's Open Graph and Twitter card tags and its
//! schema.org JSON-LD, read back from the built HTML.

mod common;

use std::path::Path;

use common::{Page, Site, brief, run_in};
use scraper::Selector;
use serde_json::Value;

const BASE: &str = "https://example.org/watch/";

/// A site with a `base_url`: profiles of each kind (a person with an image,
/// a place with coordinates), a brief with roles, an update, events of
/// each precision and sources, and enough briefs featuring Kim for his
/// archive pages.
fn fixture(base_url: bool) -> Site {
    let site = Site::new();
    let base = if base_url {
        format!("base_url: {BASE}\n")
    } else {
        String::new()
    };
    site.file(
        "site.yaml",
        &format!("title: Test Watch\ndescription: Briefings on the test region.\nlanguage: en-GB\n{base}"),
    )
    .file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\naliases: [Kim Jong-un]\nrole: Supreme Leader\ncountry: North Korea\nborn: 1984\nimage: img/kim jong un.jpg\nsummary: Leader of North Korea.\n---\nBody.\n",
    )
    .file(
        "content/people/vladimir-putin.md",
        "---\nname: Vladimir Putin\nborn: 1952-10-07\n---\nPresident of Russia.\n",
    )
    .file(
        "content/organizations/kcna.md",
        "---\nname: Korean Central News Agency\naliases: [KCNA]\nfounded: 1946\n---\nState media.\n",
    )
    .file("content/topics/sanctions.md", "---\ntitle: Sanctions\n---\nMeasures against states.\n")
    .file(
        "content/places/vladivostok.md",
        "---\nname: Vladivostok\ncountry: Russia\nlat: 43.1155\nlon: 131.8855\n---\nPort city.\n",
    )
    .file("content/pages/about.md", "---\ntitle: About\n---\nHow this site is made.\n")
    .file(
        "content/briefs/2023-09-12-kim-arrives.md",
        &brief(
            "title: Kim arrives in Russia\nupdated: 2023-09-14T10:30:00+09:00\nsummary: Kim crossed the border by train.\nactors:\n  - ref: kim-jong-un\n    role: visiting leader\n  - vladimir-putin\n  - KCNA\ntopics: [Sanctions]\nplaces: [Vladivostok]\nevents:\n  - date: 2023-09-12\n    title: Kim crosses the border\n    place: Vladivostok\n  - date: 2023-07\n    title: Shoigu visits Pyongyang\n  - date: 2021\n    title: Food crisis reported\nsources:\n  - url: https://example.com/report\n    title: Kim in Russia\n    publisher: Example News",
            "Kim Jong Un crossed into Russia by train.\n",
        ),
    );
    for day in 1..=11 {
        site.file(
            &format!("content/briefs/2023-08-{day:02}-note-{day}.md"),
            &brief(
                &format!("title: Note {day}\nactors: [kim-jong-un]"),
                "A note.\n",
            ),
        );
    }
    site
}

/// The text of every JSON-LD script on the page, as the HTML parser reads it.
fn json_ld_texts(page: &Page) -> Vec<String> {
    let sel = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    page.html
        .select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect()
}

/// The page's one JSON-LD, parsed: `@context` checked, the `@graph` nodes
/// returned.
fn graph(page: &Page) -> Vec<Value> {
    let texts = json_ld_texts(page);
    assert_eq!(texts.len(), 1, "JSON-LD scripts on {}", page.site_path);
    let value: Value = serde_json::from_str(&texts[0])
        .unwrap_or_else(|e| panic!("{}: {e}\n{}", page.site_path, texts[0]));
    assert_eq!(
        value["@context"], "https://schema.org",
        "{}",
        page.site_path
    );
    let nodes = value["@graph"].as_array().expect("an @graph").clone();
    assert!(!nodes.is_empty(), "{}", page.site_path);
    for node in &nodes {
        assert!(node["@type"].is_string(), "{}: {node}", page.site_path);
    }
    nodes
}

/// The `content` of `<meta property="…">` (Open Graph) or `<meta
/// name="…">` (Twitter, description), each found on the page.
fn meta(page: &Page, key: &str) -> Vec<String> {
    let mut found = page.attrs(&format!(r#"meta[property="{key}"]"#), "content");
    found.extend(page.attrs(&format!(r#"meta[name="{key}"]"#), "content"));
    found
}

fn one_meta(page: &Page, key: &str) -> String {
    let found = meta(page, key);
    assert_eq!(found.len(), 1, "`{key}` on {}: {found:?}", page.site_path);
    found[0].clone()
}

fn names(list: &Value) -> Vec<(String, String, String)> {
    (list.as_array().expect("a list").iter())
        .map(|n| {
            let s = |k: &str| n[k].as_str().unwrap_or_default().to_string();
            (s("@type"), s("name"), s("url"))
        })
        .collect()
}

#[test]
fn a_brief_is_a_news_article_about_its_entities_with_its_events() {
    let site = fixture(true);
    site.file(
        "content/briefs/2023-09-15-aside.md",
        "---\ntitle: An aside\nactors: [Kim Jong Un]\n---\nVladimir Putin was not there.\n",
    );
    site.build(&[]);
    // What the body names without the brief featuring it: `mentions`.
    let aside = &graph(&site.page("briefs/aside/"))[0];
    assert_eq!(
        names(&aside["mentions"]),
        [(
            "Person".to_string(),
            "Vladimir Putin".to_string(),
            format!("{BASE}people/vladimir-putin/")
        )]
    );
    let page = site.page("briefs/kim-arrives/");
    let nodes = graph(&page);
    let article = &nodes[0];
    let url = format!("{BASE}briefs/kim-arrives/");
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "Kim arrives in Russia");
    assert_eq!(article["description"], "Kim crossed the border by train.");
    assert_eq!(article["url"], url.as_str());
    assert_eq!(article["@id"], url.as_str());
    assert_eq!(article["datePublished"], "2023-09-12");
    assert_eq!(article["dateModified"], "2023-09-14T10:30:00+09:00");
    assert_eq!(article["inLanguage"], "en-GB");
    assert_eq!(article["publisher"]["name"], "Test Watch");
    let people = |id: &str| format!("{BASE}people/{id}/");
    assert_eq!(
        names(&article["about"]),
        [
            ("Person", "Kim Jong Un", people("kim-jong-un")),
            ("Person", "Vladimir Putin", people("vladimir-putin")),
            (
                "Organization",
                "Korean Central News Agency",
                format!("{BASE}organizations/kcna/")
            ),
            ("Thing", "Sanctions", format!("{BASE}topics/sanctions/")),
            ("Place", "Vladivostok", format!("{BASE}places/vladivostok/")),
        ]
        .map(|(t, n, u)| (t.to_string(), n.to_string(), u))
    );
    assert!(article.get("mentions").is_none());
    assert_eq!(article["citation"][0]["url"], "https://example.com/report");
    assert_eq!(article["citation"][0]["publisher"]["name"], "Example News");

    // Every event, oldest first, with partial dates as written.
    let events: Vec<(&str, &str)> = nodes[1..]
        .iter()
        .map(|e| {
            assert_eq!(e["@type"], "Event");
            assert_eq!(e["subjectOf"]["@id"], url.as_str());
            (
                e["name"].as_str().unwrap(),
                e["startDate"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("Food crisis reported", "2021"),
            ("Shoigu visits Pyongyang", "2023-07"),
            ("Kim crosses the border", "2023-09-12"),
        ]
    );
    assert!(nodes[1].get("location").is_none());
    assert_eq!(nodes[3]["location"]["@type"], "Place");
    assert_eq!(nodes[3]["location"]["name"], "Vladivostok");
    assert_eq!(
        nodes[3]["location"]["url"],
        format!("{BASE}places/vladivostok/")
    );

    // Open Graph and Twitter.
    assert_eq!(one_meta(&page, "og:type"), "article");
    assert_eq!(one_meta(&page, "og:title"), "Kim arrives in Russia");
    assert_eq!(one_meta(&page, "og:site_name"), "Test Watch");
    assert_eq!(one_meta(&page, "og:url"), url);
    assert_eq!(page.attrs("link[rel=canonical]", "href"), [url]);
    assert_eq!(
        one_meta(&page, "og:description"),
        "Kim crossed the border by train."
    );
    assert_eq!(one_meta(&page, "article:published_time"), "2023-09-12");
    assert_eq!(
        one_meta(&page, "article:modified_time"),
        "2023-09-14T10:30:00+09:00"
    );
    assert_eq!(one_meta(&page, "twitter:card"), "summary");
    assert_eq!(one_meta(&page, "twitter:title"), "Kim arrives in Russia");
    assert_eq!(
        one_meta(&page, "twitter:description"),
        "Kim crossed the border by train."
    );
    assert!(meta(&page, "og:image").is_empty());
    // The brief's own summary, not the site's description, and only once.
    assert_eq!(
        one_meta(&page, "description"),
        "Kim crossed the border by train."
    );

    // A brief without `updated` has no modified time in Open Graph.
    let note = site.page("briefs/note-3/");
    assert_eq!(one_meta(&note, "article:published_time"), "2023-08-03");
    assert!(meta(&note, "article:modified_time").is_empty());
    assert_eq!(graph(&note)[0]["dateModified"], "2023-08-03");
    assert_eq!(graph(&note).len(), 1);
}

#[test]
fn entity_pages_describe_the_entity() {
    let site = fixture(true);
    site.build(&[]);

    let kim = site.page("people/kim-jong-un/");
    let person = &graph(&kim)[0];
    let image = format!("{BASE}img/kim%20jong%20un.jpg");
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["name"], "Kim Jong Un");
    assert_eq!(person["url"], format!("{BASE}people/kim-jong-un/"));
    assert_eq!(person["alternateName"], serde_json::json!(["Kim Jong-un"]));
    assert_eq!(person["jobTitle"], "Supreme Leader");
    assert_eq!(person["birthDate"], "1984");
    assert_eq!(person["nationality"]["name"], "North Korea");
    assert_eq!(person["description"], "Leader of North Korea.");
    assert_eq!(person["image"], image.as_str());
    assert_eq!(one_meta(&kim, "og:type"), "profile");
    assert_eq!(one_meta(&kim, "og:image"), image);
    assert_eq!(one_meta(&kim, "twitter:card"), "summary_large_image");
    assert_eq!(one_meta(&kim, "description"), "Leader of North Korea.");
    assert!(meta(&kim, "article:published_time").is_empty());

    let putin = site.page("people/vladimir-putin/");
    assert_eq!(graph(&putin)[0]["birthDate"], "1952-10-07");
    assert_eq!(one_meta(&putin, "twitter:card"), "summary");
    assert!(meta(&putin, "og:image").is_empty());

    let kcna = site.page("organizations/kcna/");
    let org = &graph(&kcna)[0];
    assert_eq!(org["@type"], "Organization");
    assert_eq!(org["foundingDate"], "1946");
    assert_eq!(org["url"], format!("{BASE}organizations/kcna/"));
    assert_eq!(one_meta(&kcna, "og:type"), "website");

    let sanctions = site.page("topics/sanctions/");
    assert_eq!(graph(&sanctions)[0]["@type"], "Thing");
    assert_eq!(graph(&sanctions)[0]["name"], "Sanctions");

    let vladivostok = site.page("places/vladivostok/");
    let place = &graph(&vladivostok)[0];
    assert_eq!(place["@type"], "Place");
    assert_eq!(place["geo"]["@type"], "GeoCoordinates");
    assert_eq!(place["geo"]["latitude"], 43.1155);
    assert_eq!(place["geo"]["longitude"], 131.8855);
    assert_eq!(place["containedInPlace"]["name"], "Russia");

    // An archive page is a collection about the entity.
    let archive = site.page("people/kim-jong-un/briefs/");
    let collection = &graph(&archive)[0];
    assert_eq!(collection["@type"], "CollectionPage");
    assert_eq!(collection["name"], "Briefs featuring Kim Jong Un");
    assert_eq!(collection["about"]["@type"], "Person");
    assert_eq!(
        collection["about"]["url"],
        format!("{BASE}people/kim-jong-un/")
    );
    assert_eq!(one_meta(&archive, "og:type"), "website");
}

#[test]
fn the_home_page_is_the_website_and_other_pages_are_web_pages() {
    let site = fixture(true);
    site.build(&[]);
    let home = site.page("");
    let website = &graph(&home)[0];
    assert_eq!(website["@type"], "WebSite");
    assert_eq!(website["name"], "Test Watch");
    assert_eq!(website["url"], BASE);
    assert_eq!(website["description"], "Briefings on the test region.");
    assert_eq!(
        website["potentialAction"]["target"],
        format!("{BASE}search/?q={{search_term_string}}")
    );
    assert_eq!(one_meta(&home, "og:type"), "website");
    assert_eq!(one_meta(&home, "og:title"), "Test Watch");
    assert_eq!(one_meta(&home, "og:url"), BASE);
    assert_eq!(
        one_meta(&home, "description"),
        "Briefings on the test region."
    );

    // Pages without a summary of their own have the site's description.
    let people = site.page("people/");
    let list = &graph(&people)[0];
    assert_eq!(list["@type"], "CollectionPage");
    assert_eq!(list["name"], "People");
    assert_eq!(list["url"], format!("{BASE}people/"));
    assert_eq!(
        one_meta(&people, "description"),
        "Briefings on the test region."
    );
    assert_eq!(one_meta(&people, "og:title"), "People");

    let about = site.page("about/");
    assert_eq!(graph(&about)[0]["@type"], "WebPage");
    assert_eq!(graph(&about)[0]["description"], "How this site is made.");
    assert_eq!(one_meta(&about, "description"), "How this site is made.");

    // The 404 page is nobody's canonical address.
    let missing = site.page("404.html");
    assert_eq!(graph(&missing)[0]["@type"], "WebPage");
    assert!(graph(&missing)[0].get("url").is_none());
    assert!(meta(&missing, "og:url").is_empty());
}

/// Every string in a JSON value, with the key it is under.
fn strings<'v>(value: &'v Value, key: &str, out: &mut Vec<(String, &'v str)>) {
    match value {
        Value::String(s) => out.push((key.to_string(), s)),
        Value::Array(list) => list.iter().for_each(|v| strings(v, key, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| strings(v, k, out)),
        _ => {}
    }
}

#[test]
fn without_a_base_url_nothing_is_absolute() {
    let site = fixture(false);
    site.build(&[]);
    for path in [
        "",
        "briefs/kim-arrives/",
        "people/kim-jong-un/",
        "places/vladivostok/",
        "people/",
        "people/kim-jong-un/briefs/",
        "about/",
        "404.html",
    ] {
        let page = site.page(path);
        for key in ["og:url", "og:image"] {
            assert!(meta(&page, key).is_empty(), "{key} on {path}");
        }
        assert!(page.attrs("link[rel=canonical]", "href").is_empty());
        let nodes = Value::Array(graph(&page));
        let mut found = Vec::new();
        strings(&nodes, "", &mut found);
        for (key, text) in found {
            // The only absolute URL is the source's own address.
            if text == "https://example.com/report" {
                continue;
            }
            assert!(
                !["url", "@id", "image", "mainEntityOfPage", "target"].contains(&key.as_str()),
                "`{key}: {text}` on {path}"
            );
            assert!(!text.contains("://"), "`{key}: {text}` on {path}");
        }
        for content in page.attrs("meta[content]", "content") {
            assert!(!content.contains("://"), "{content} on {path}");
        }
    }
    // Names and dates are still there.
    let page = site.page("briefs/kim-arrives/");
    let nodes = graph(&page);
    assert_eq!(nodes[0]["headline"], "Kim arrives in Russia");
    assert_eq!(nodes[0]["about"][0]["name"], "Kim Jong Un");
    assert_eq!(nodes[3]["startDate"], "2023-09-12");
    assert_eq!(nodes[3]["location"]["name"], "Vladivostok");
    let kim = site.page("people/kim-jong-un/");
    assert_eq!(one_meta(&kim, "twitter:card"), "summary");
    assert_eq!(graph(&kim)[0]["name"], "Kim Jong Un");
}

#[test]
fn content_cannot_close_the_script() {
    let attack = "</script><script>alert(1)</script>";
    let site = Site::new();
    site.file(
        "site.yaml",
        &format!("title: \"Watch {attack} <!-- &amp;\"\nbase_url: {BASE}\n"),
    )
    .file(
        "content/organizations/agent.md",
        &format!("---\nname: \"Agent <!-- {attack} & Co\"\n---\nA body.\n"),
    )
    .file(
        "content/briefs/2023-09-12-plot.md",
        &brief(
            &format!(
                "title: \"Plot {attack} <!-- x\"\nsummary: \"Summary </SCRIPT ><script>alert(2)</script> <!-- \\u2028 & more\"\nactors: [agent]\nevents:\n  - date: 2023-09\n    title: \"Event {attack} <!--\"\nsources:\n  - url: https://example.com/a?b=1&c=2\n    publisher: \"Pub <!-- {attack}\""
            ),
            "Body.\n",
        ),
    );
    site.build(&[]);
    let page = site.page("briefs/plot/");

    // The HTML parser finds one JSON-LD script and no script the content made.
    let scripts = Selector::parse("script").unwrap();
    let all: Vec<String> = (page.html.select(&scripts))
        .map(|s| s.text().collect())
        .collect();
    assert!(all.iter().all(|s| !s.starts_with("alert")), "{all:?}");
    let texts = json_ld_texts(&page);
    assert_eq!(texts.len(), 1);
    let raw = texts[0].to_lowercase();
    assert!(!raw.contains("</script"), "{raw}");
    assert!(!raw.contains("<!--"), "{raw}");
    assert!(!raw.contains('\u{2028}'), "{raw}");
    // The script element in the source ends where the JSON does.
    let start = page
        .source
        .find(r#"<script type="application/ld+json">"#)
        .unwrap();
    let body = &page.source[start + r#"<script type="application/ld+json">"#.len()..];
    let end = body.to_lowercase().find("</script").unwrap();
    assert_eq!(&body[..end], texts[0]);

    // And it parses back to the very strings the page shows. Front-matter
    // prose has typographic dashes (`--` → `–`); names are as written.
    let nodes = graph(&page);
    let title = format!("Plot {attack} <!\u{2013} x");
    assert_eq!(page.text("h1"), title);
    assert_eq!(nodes[0]["headline"], title.as_str());
    assert_eq!(
        nodes[0]["description"],
        "Summary </SCRIPT ><script>alert(2)</script> <!\u{2013} \u{2028} & more"
    );
    assert_eq!(
        nodes[0]["about"][0]["name"],
        format!("Agent <!-- {attack} & Co")
    );
    assert_eq!(
        nodes[0]["publisher"]["name"],
        format!("Watch {attack} <!-- &amp;")
    );
    assert_eq!(
        nodes[0]["citation"][0]["publisher"]["name"],
        format!("Pub <!-- {attack}")
    );
    assert_eq!(
        nodes[0]["citation"][0]["url"],
        "https://example.com/a?b=1&c=2"
    );
    assert_eq!(nodes[1]["name"], format!("Event {attack} <!\u{2013}"));
    assert_eq!(nodes[1]["startDate"], "2023-09");
    // The tags hold the same text, escaped as attributes.
    assert_eq!(one_meta(&page, "og:title"), title);
    assert_eq!(
        one_meta(&page, "og:site_name"),
        format!("Watch {attack} <!-- &amp;")
    );

    let agent = site.page("organizations/agent/");
    let texts = json_ld_texts(&agent);
    assert!(!texts[0].to_lowercase().contains("</script"));
    assert_eq!(
        graph(&agent)[0]["name"],
        format!("Agent <!-- {attack} & Co")
    );
}

/// Every HTML file under `public`, as a site path.
fn html_pages(public: &Path) -> Vec<String> {
    (common::html_files(public).into_iter())
        .map(|rel| match rel.strip_suffix("index.html") {
            Some(folder) => folder.to_string(),
            None => rel,
        })
        .collect()
}

#[test]
fn every_page_has_one_json_ld_and_its_tags() {
    let fixture = fixture(true);
    fixture.build(&[]);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let example = out.path().join("public");
    run_in(
        repo,
        &["build", "--quiet", "--output", example.to_str().unwrap()],
    )
    .expect_code(0);
    for public in [fixture.public(), example] {
        let pages = html_pages(&public);
        assert!(pages.len() > 25, "{pages:?}");
        for path in pages {
            let page = Page::open(&public, &path);
            graph(&page);
            for key in [
                "og:title",
                "og:type",
                "og:site_name",
                "twitter:card",
                "twitter:title",
            ] {
                one_meta(&page, key);
            }
            assert!(meta(&page, "description").len() <= 1, "{path}");
            let canonical = page.attrs("link[rel=canonical]", "href");
            assert_eq!(meta(&page, "og:url"), canonical, "{path}");
        }
    }
}
