//! The data behind the site: every build writes `data/dossier.json` (valid
//! against the schema written beside it), `data/briefs.csv` and
//! `data/events.csv`, `data/graph.graphml` and iCalendar files of the
//! events, for the site and for each entity. Each is parsed back with a
//! reader of its format, and what it says agrees with the pages: as many
//! briefs, entities, events and connections. `site.yaml` switches each off,
//! and two builds write the same bytes.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{Page, Site, brief, html_files, run_in};
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime, EventLike, EventStatus};
use serde_json::Value;

const BASE: &str = "https://example.org/watch/";

/// A title with a comma, a quote, a semicolon and a backslash, long enough
/// to be folded in a calendar.
const AWKWARD_TITLE: &str =
    "Summit, day one; costs \\ risks of a long, long arms-for-food arrangement, as reported";

fn fixture() -> Site {
    let site = Site::new();
    site.file("site.yaml", &format!("title: Data Watch\nbase_url: {BASE}\n"))
        .file(
            "content/people/kim-jong-un.md",
            "---\nname: Kim Jong Un\naliases: [Kim Jong-un]\nrole: Supreme Leader\nborn: 1984\naffiliations:\n  - {org: Government of North Korea, role: Supreme Leader, from: 2011-12}\nrelations:\n  - {with: Kim Jong Il, type: son of}\n---\nLeader of North Korea.\n",
        )
        .file(
            "content/organizations/government-of-north-korea.md",
            "---\nname: Government of North Korea\ncountry: North Korea\n---\n",
        )
        .file(
            "content/briefs/2024-01-10-talks.md",
            &brief(
                &format!(
                    "title: 'Talks, \"quoted\", and more'\nconfidence: moderate\nactors: [Kim Jong Un, Vladimir Putin]\ntopics: [Arms transfers, 'The \"arms for food\" deal, revisited']\nplaces: [Vladivostok]\nsources: [https://example.com/report]\nevents:\n  - {{date: 2023-07, title: Shoigu visits, actors: [Sergei Shoigu]}}\n  - date: 2024-01-09\n    title: '{}'\n    description: 'Talks [reported](https://example.com/x) by *state media*.'\n    actors: [Kim Jong Un, Vladimir Putin]\n    place: Vladivostok\n    sources: [1]\n    confidence: low\n  - {{date: '2024-01-09T06:00:00+09:00', title: Train arrives, actors: [Kim Jong Un]}}\n  - {{date: 2024-02, title: Return visit, actors: [Vladimir Putin], confidence: high}}",
                    AWKWARD_TITLE
                ),
                "Kim Jong Un met Vladimir Putin.\n",
            ),
        )
        .file(
            "content/briefs/2024-03-01-later.md",
            &brief(
                "title: Later\nactors: [Kim Jong Un, Sergei Shoigu, Government of North Korea]\ntopics: [Sanctions]\nevents:\n  - {date: 2021, title: Food crisis, actors: [Kim Jong Un]}",
                "Text.\n",
            ),
        );
    site
}

fn read(public: &Path, rel: &str) -> String {
    fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `data/dossier.json`, checked against the schema written beside it.
fn json(public: &Path) -> Value {
    let data: Value = serde_json::from_str(&read(public, "data/dossier.json")).unwrap();
    let schema: Value = serde_json::from_str(&read(public, "data/dossier.schema.json")).unwrap();
    let validator =
        jsonschema::draft202012::new(&schema).expect("the schema is a valid JSON Schema");
    let errors: Vec<String> = (validator.iter_errors(&data))
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    data
}

/// The example site of the repository, built into a temporary folder.
fn build_example() -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    run_in(repo, &["build", "--output", public.to_str().unwrap()]).expect_code(0);
    (out, public)
}

/// The HTML files of one kind of page: `briefs/<slug>/index.html`,
/// `people/<id>/index.html`, …
fn pages_in(public: &Path, folder: &str) -> BTreeSet<String> {
    (html_files(public).into_iter())
        .filter_map(|f| {
            let rest = f.strip_prefix(&format!("{folder}/"))?;
            let id = rest.strip_suffix("/index.html")?;
            (!id.contains('/') && id != "page").then(|| id.to_string())
        })
        .collect()
}

/// The `id`s of the events on the timeline, all its pages.
fn timeline_events(public: &Path) -> Vec<String> {
    (html_files(public).into_iter())
        .filter(|f| f.starts_with("timeline/"))
        .flat_map(|f| Page::open(public, f.trim_end_matches("index.html")).attrs("li.event", "id"))
        .collect()
}

/// The records of one list of the JSON.
fn records<'a>(data: &'a Value, list: &str) -> &'a Vec<Value> {
    data[list]
        .as_array()
        .unwrap_or_else(|| panic!("no `{list}`"))
}

#[test]
fn the_json_is_valid_against_its_schema_and_counts_what_the_pages_show() {
    let (_dir, public) = build_example();
    let data = json(&public);
    assert_eq!(data["version"], 1);
    assert_eq!(
        data["schema"],
        "https://example.org/korea-russia-watch/data/dossier.schema.json"
    );

    // As many briefs as brief pages, the same slugs.
    let slugs: BTreeSet<String> = (records(&data, "briefs").iter())
        .map(|b| b["slug"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(slugs.len(), records(&data, "briefs").len());
    assert_eq!(slugs, pages_in(&public, "briefs"));
    // The draft brief is not there.
    assert!(!read(&public, "data/dossier.json").contains("how Washington could respond"));

    // As many entities of each kind as pages of that kind.
    for (kind, folder) in [
        ("person", "people"),
        ("organization", "organizations"),
        ("topic", "topics"),
        ("place", "places"),
    ] {
        let ids: BTreeSet<String> = (records(&data, "entities").iter())
            .filter(|e| e["kind"] == kind)
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        assert!(!ids.is_empty(), "{kind}");
        assert_eq!(ids, pages_in(&public, folder), "{kind}");
    }
    let stub = (records(&data, "entities").iter())
        .find(|e| e["key"] == "organization:eastern-economic-forum")
        .unwrap();
    assert_eq!(stub["stub"], true);

    // The events of the timeline, in its order.
    let events: Vec<&str> = (records(&data, "events").iter())
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(events, timeline_events(&public));

    // Kim Jong Un's connections are those his page lists, with the same counts.
    let kim = "person:kim-jong-un";
    let names: BTreeMap<&str, &str> = (records(&data, "entities").iter())
        .map(|e| (e["key"].as_str().unwrap(), e["name"].as_str().unwrap()))
        .collect();
    let mut in_json: Vec<(String, String)> = (records(&data, "connections").iter())
        .filter_map(|c| {
            let (a, b) = (c["a"].as_str().unwrap(), c["b"].as_str().unwrap());
            let other = if a == kim {
                b
            } else if b == kim {
                a
            } else {
                return None;
            };
            let n = c["shared_briefs"].as_u64().unwrap();
            let unit = if n == 1 {
                "shared brief"
            } else {
                "shared briefs"
            };
            Some((names[other].to_string(), format!("{n} {unit}")))
        })
        .collect();
    in_json.sort();
    let page = Page::open(&public, "people/kim-jong-un/");
    let mut on_page: Vec<(String, String)> = (page
        .texts("#entity-connections ~ ul.counted li")
        .into_iter())
    .zip(page.texts("#entity-connections ~ ul.counted li .count"))
    .map(|(item, count)| (item.trim_end_matches(&count).trim().to_string(), count))
    .collect();
    on_page.sort();
    assert!(on_page.len() >= 5, "{on_page:?}");
    assert_eq!(in_json, on_page);
    // A pair is listed once.
    let pairs: BTreeSet<(&str, &str)> = (records(&data, "connections").iter())
        .map(|c| {
            let (a, b) = (c["a"].as_str().unwrap(), c["b"].as_str().unwrap());
            (a.min(b), a.max(b))
        })
        .collect();
    assert_eq!(pairs.len(), records(&data, "connections").len());

    // Affiliations and relations are the profiles' (Peskov at the Kremlin,
    // KCNA run by the Government, read from the other end as site.yaml says).
    assert!(
        records(&data, "affiliations")
            .iter()
            .any(|a| a["person"] == "person:dmitry-peskov"
                && a["org"] == "organization:kremlin"
                && a["current"] == true)
    );
    let runs = (records(&data, "relations").iter())
        .find(|r| r["type"] == "state media of")
        .expect("a relation `state media of`");
    assert_eq!(runs["inverse"], "runs");
}

#[test]
fn every_url_in_the_json_leads_to_a_file_of_the_site() {
    let (_dir, public) = build_example();
    let text = read(&public, "data/dossier.json");
    let base = "https://example.org/korea-russia-watch/";
    let mut urls = Vec::new();
    fn collect<'a>(value: &'a Value, key: &str, urls: &mut Vec<(String, &'a str)>) {
        match value {
            Value::Object(map) => map.iter().for_each(|(k, v)| collect(v, k, urls)),
            Value::Array(items) => items.iter().for_each(|v| collect(v, key, urls)),
            Value::String(s) if ["url", "calendar", "schema"].contains(&key) => {
                urls.push((key.to_string(), s))
            }
            _ => {}
        }
    }
    let data: Value = serde_json::from_str(&text).unwrap();
    collect(&data, "", &mut urls);
    let ours: Vec<&str> = urls
        .iter()
        .map(|(_, u)| *u)
        .filter(|u| u.starts_with(base))
        .collect();
    assert!(ours.len() > 50, "{}", ours.len());
    for url in ours {
        let path = &url[base.len()..];
        let (file, anchor) = match path.split_once('#') {
            Some((f, a)) => (f, Some(a)),
            None => (path, None),
        };
        let on_disk = if file.is_empty() || file.ends_with('/') {
            public.join(file).join("index.html")
        } else {
            public.join(file)
        };
        assert!(on_disk.is_file(), "{url} → {}", on_disk.display());
        if let Some(anchor) = anchor {
            let page = Page::open(&public, file);
            assert_eq!(
                page.attrs(&format!("[id='{anchor}']"), "id").len(),
                1,
                "{url}"
            );
        }
    }
}

/// The header and the rows of a CSV file, read with the csv crate.
fn table(public: &Path, rel: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(public.join(rel)).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader.records().map(Result::unwrap).collect();
    (header, rows)
}

#[test]
fn spreadsheets_have_a_row_per_brief_and_event_and_keep_awkward_titles() {
    let site = fixture();
    site.build(&[]);
    let public = site.public();
    let data = json(&public);

    let (header, rows) = table(&public, "data/briefs.csv");
    assert_eq!(
        header[..7],
        [
            "slug",
            "title",
            "date",
            "updated",
            "confidence",
            "summary",
            "url"
        ]
    );
    assert_eq!(rows.len(), records(&data, "briefs").len());
    assert_eq!(rows.len(), 2);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let talks = &rows[0];
    // As the brief's page shows it (quotes curled).
    assert_eq!(
        &talks[column("title")],
        site.page("briefs/talks/").text("h1")
    );
    assert_eq!(
        &talks[column("title")],
        "Talks, \u{201C}quoted\u{201D}, and more"
    );
    assert_eq!(
        &talks[column("topics")],
        "Arms transfers; The \"arms for food\" deal, revisited"
    );
    assert_eq!(
        &talks[column("topic_keys")],
        "topic:arms-transfers; topic:the-arms-for-food-deal-revisited"
    );
    assert_eq!(&talks[column("confidence")], "moderate");
    assert_eq!(&talks[column("url")], format!("{BASE}briefs/talks/"));
    assert_eq!(&talks[column("actors")], "Kim Jong Un; Vladimir Putin");
    assert_eq!(
        &talks[column("actor_keys")],
        "person:kim-jong-un; person:vladimir-putin"
    );
    assert_eq!(&talks[column("events")], "4");
    // The raw text quotes fields as RFC 4180 says.
    assert!(
        read(&public, "data/briefs.csv").contains(",\"Talks, \u{201C}quoted\u{201D}, and more\",")
    );
    assert!(
        read(&public, "data/briefs.csv")
            .contains(",\"Arms transfers; The \"\"arms for food\"\" deal, revisited\",")
    );
    assert!(read(&public, "data/briefs.csv").contains("\r\n"));

    let (header, rows) = table(&public, "data/events.csv");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), records(&data, "events").len());
    assert_eq!(rows.len(), timeline_events(&public).len());
    assert_eq!(rows.len(), 5);
    let awkward = rows
        .iter()
        .find(|r| &r[column("title")] == AWKWARD_TITLE)
        .expect("the awkward title");
    assert_eq!(
        &awkward[column("description")],
        "Talks reported by state media."
    );
    assert_eq!(&awkward[column("confidence")], "low");
    assert_eq!(&awkward[column("place_key")], "place:vladivostok");
    assert_eq!(
        &awkward[column("topic_keys")],
        "topic:arms-transfers; topic:the-arms-for-food-deal-revisited"
    );
    let expected = rows
        .iter()
        .find(|r| &r[column("title")] == "Return visit")
        .unwrap();
    assert_eq!(&expected[column("expected")], "2024-01-10");
    assert_eq!(&expected[column("confidence")], "high");
}

#[test]
fn the_graph_holds_every_entity_and_tie() {
    let site = fixture();
    site.build(&[]);
    let public = site.public();
    let data = json(&public);
    let text = read(&public, "data/graph.graphml");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let ns = "http://graphml.graphdrawing.org/xmlns";
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    assert_eq!(root.tag_name().namespace(), Some(ns));
    let keys: BTreeMap<&str, (&str, &str, &str)> = (root.children())
        .filter(|n| n.has_tag_name((ns, "key")))
        .map(|k| {
            let attr = |name| k.attribute(name).unwrap();
            (
                attr("id"),
                (attr("for"), attr("attr.name"), attr("attr.type")),
            )
        })
        .collect();
    assert_eq!(keys["label"], ("node", "label", "string"));
    assert_eq!(keys["briefs"], ("node", "briefs", "int"));
    assert_eq!(keys["weight"], ("edge", "weight", "double"));
    let graph = root
        .children()
        .find(|n| n.has_tag_name((ns, "graph")))
        .unwrap();
    assert_eq!(graph.attribute("edgedefault"), Some("undirected"));
    let nodes: Vec<_> = graph
        .children()
        .filter(|n| n.has_tag_name((ns, "node")))
        .collect();
    let edges: Vec<_> = graph
        .children()
        .filter(|n| n.has_tag_name((ns, "edge")))
        .collect();
    let node_ids: BTreeSet<&str> = nodes.iter().map(|n| n.attribute("id").unwrap()).collect();
    assert_eq!(nodes.len(), records(&data, "entities").len());
    assert_eq!(node_ids.len(), nodes.len());
    // Every <data> names a declared key, and every edge two nodes.
    for data_element in graph.descendants().filter(|n| n.has_tag_name((ns, "data"))) {
        assert!(keys.contains_key(data_element.attribute("key").unwrap()));
    }
    let datum = |node: &roxmltree::Node, key: &str| {
        (node.children())
            .find(|d| d.has_tag_name((ns, "data")) && d.attribute("key") == Some(key))
            .and_then(|d| d.text())
            .map(str::to_string)
    };
    for edge in &edges {
        assert!(node_ids.contains(edge.attribute("source").unwrap()));
        assert!(node_ids.contains(edge.attribute("target").unwrap()));
    }
    let of_type = |t: &str| {
        edges
            .iter()
            .filter(|e| datum(e, "type").as_deref() == Some(t))
            .collect::<Vec<_>>()
    };
    let shared = of_type("co-occurrence");
    assert_eq!(shared.len(), records(&data, "connections").len());
    assert!(shared.iter().all(|e| e.attribute("directed").is_none()));
    let kim_putin = shared
        .iter()
        .find(|e| {
            e.attribute("source") == Some("person:kim-jong-un")
                && e.attribute("target") == Some("person:vladimir-putin")
        })
        .expect("Kim and Putin share a brief");
    assert_eq!(datum(kim_putin, "weight").as_deref(), Some("1"));
    let relations = of_type("relation");
    assert_eq!(relations.len(), records(&data, "relations").len());
    assert_eq!(relations.len(), 1);
    assert_eq!(relations[0].attribute("directed"), Some("true"));
    assert_eq!(relations[0].attribute("source"), Some("person:kim-jong-un"));
    assert_eq!(relations[0].attribute("target"), Some("person:kim-jong-il"));
    assert_eq!(datum(relations[0], "edgelabel").as_deref(), Some("son of"));
    let positions = of_type("position");
    assert_eq!(positions.len(), records(&data, "affiliations").len());
    assert_eq!(positions[0].attribute("directed"), Some("true"));
    assert_eq!(
        positions[0].attribute("target"),
        Some("organization:government-of-north-korea")
    );
    assert_eq!(
        datum(positions[0], "edgelabel").as_deref(),
        Some("Supreme Leader")
    );
    assert_eq!(
        edges.len(),
        shared.len() + relations.len() + positions.len()
    );
    let kim = nodes
        .iter()
        .find(|n| n.attribute("id") == Some("person:kim-jong-un"))
        .unwrap();
    assert_eq!(datum(kim, "label").as_deref(), Some("Kim Jong Un"));
    assert_eq!(datum(kim, "briefs").as_deref(), Some("2"));
}

/// The events of a calendar file, parsed.
fn calendar(public: &Path, rel: &str) -> (String, Vec<icalendar::Event>) {
    let text = read(public, rel);
    let parsed: Calendar = text.parse().unwrap_or_else(|e| panic!("{rel}: {e}"));
    let events = (parsed.components.iter())
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    (text, events)
}

#[test]
fn calendars_hold_the_events_of_the_site_and_of_each_entity() {
    let site = fixture();
    site.build(&[]);
    let public = site.public();
    let (text, events) = calendar(&public, "events.ics");
    assert_eq!(events.len(), timeline_events(&public).len());
    assert_eq!(events.len(), 5);
    // Lines end in CRLF and none is longer than 75 bytes (RFC 5545, 3.1).
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
        assert!(!line.contains('\n'), "{line:?}");
    }
    let uids: BTreeSet<&str> = events.iter().map(|e| e.get_uid().unwrap()).collect();
    assert_eq!(uids.len(), events.len());
    let by_title = |title: &str| {
        events
            .iter()
            .find(|e| e.get_summary() == Some(title))
            .unwrap_or_else(|| panic!("{title}"))
    };

    // The title with `,;\` is escaped, folded, and reads back whole.
    let awkward = by_title(AWKWARD_TITLE);
    assert!(text.contains("SUMMARY:Summit\\, day one\\; costs \\\\ risks"));
    assert_eq!(awkward.get_uid(), Some("event-talks-2@example.org"));
    assert_eq!(
        awkward.get_url(),
        Some(format!("{BASE}briefs/talks/#event-talks-2").as_str())
    );
    assert_eq!(awkward.get_location(), Some("Vladivostok"));
    assert_eq!(
        awkward.get_categories(),
        Some(vec![
            "Arms transfers".to_string(),
            "The \"arms for food\" deal, revisited".to_string()
        ])
    );
    assert_eq!(
        awkward.get_description(),
        Some(
            "Talks reported by state media.\n\nFrom: Talks, \u{201C}quoted\u{201D}, and more\nConfidence: low"
        )
    );
    assert_eq!(awkward.get_status(), Some(EventStatus::Confirmed));
    let day = |y, m, d| DatePerhapsTime::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
    assert_eq!(awkward.get_start(), Some(day(2024, 1, 9)));
    assert_eq!(awkward.get_end(), Some(day(2024, 1, 10)));
    // A partial date spans its month or its year.
    let month = by_title("Shoigu visits");
    assert_eq!(month.get_start(), Some(day(2023, 7, 1)));
    assert_eq!(month.get_end(), Some(day(2023, 8, 1)));
    assert!(text.contains("DTSTART;VALUE=DATE:20230701\r\n"));
    let year = by_title("Food crisis");
    assert_eq!(year.get_start(), Some(day(2021, 1, 1)));
    assert_eq!(year.get_end(), Some(day(2022, 1, 1)));
    // A datetime keeps its time, in UTC.
    assert!(text.contains("DTSTART:20240108T210000Z\r\n"));
    // Dated after its brief: tentative. DTSTAMP is the brief's date.
    let ahead = by_title("Return visit");
    assert_eq!(ahead.get_status(), Some(EventStatus::Tentative));
    assert_eq!(
        ahead.get_timestamp().map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-01-10T00:00:00+00:00")
    );

    // Kim's calendar holds the events his page counts, and his page links it.
    let kim = site.page("people/kim-jong-un/");
    let link = kim.links(".follow .calendar-link");
    assert_eq!(link.len(), 1, "{link:?}");
    assert_eq!(link[0].0, "Subscribe to events (iCalendar)");
    assert_eq!(kim.resolve(&link[0].1), "people/kim-jong-un/events.ics");
    let (_, his) = calendar(&public, "people/kim-jong-un/events.ics");
    assert_eq!(
        his.len(),
        kim.attrs("#entity-timeline ~ ol.events li.event", "id")
            .len()
    );
    assert_eq!(his.len(), 3);
    let data = json(&public);
    let entry = records(&data, "entities")
        .iter()
        .find(|e| e["key"] == "person:kim-jong-un")
        .unwrap();
    assert_eq!(entry["event_count"], 3);
    assert_eq!(
        entry["calendar"],
        format!("{BASE}people/kim-jong-un/events.ics")
    );
    // Without events, no calendar and no link.
    assert!(!site.exists("organizations/government-of-north-korea/events.ics"));
    assert!(
        site.page("organizations/government-of-north-korea/")
            .links(".calendar-link")
            .is_empty()
    );
    assert_eq!(common::broken_links(&public), Vec::<String>::new());
}

#[test]
fn site_yaml_switches_exports_off() {
    let site = fixture();
    site.file("site.yaml", "title: Data Watch\nexports:\n  csv: false\n");
    site.build(&[]);
    assert!(!site.exists("data/briefs.csv"));
    assert!(!site.exists("data/events.csv"));
    for on in [
        "data/dossier.json",
        "data/dossier.schema.json",
        "data/graph.graphml",
        "events.ics",
        "people/kim-jong-un/events.ics",
    ] {
        assert!(site.exists(on), "{on}");
    }
    // Without a base_url, URLs are paths from the site's root, and the
    // calendars' events have no URL.
    let data = json(&site.public());
    assert_eq!(data["schema"], "data/dossier.schema.json");
    assert_eq!(records(&data, "briefs")[0]["url"], "briefs/talks/");
    assert!(!read(&site.public(), "events.ics").contains("\r\nURL:"));
    assert!(read(&site.public(), "events.ics").contains("UID:event-talks-1@dossier\r\n"));

    site.file("site.yaml", "title: Data Watch\nexports: false\n");
    site.build(&[]);
    assert!(!site.exists("data"));
    assert!(!site.exists("events.ics"));
    assert!(!site.exists("people/kim-jong-un/events.ics"));
    assert!(
        site.page("people/kim-jong-un/")
            .links(".calendar-link")
            .is_empty()
    );

    site.file("site.yaml", "title: Data Watch\nexports:\n  jsn: false\n");
    let run = site.run(&["build"]);
    run.expect_code(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let at =
        (lines.iter().position(|l| l.starts_with("site.yaml:"))).expect("an error in site.yaml");
    assert_eq!(
        lines[at..at + 2],
        [
            "site.yaml:3:3: error: unknown key `jsn` in `exports` [unknown-key]",
            "  help: did you mean `json`?"
        ]
    );
}

#[test]
fn a_static_file_may_not_replace_a_data_file() {
    let site = fixture();
    site.file("static/data/dossier.json", "{}");
    let run = site.run(&["build"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("static/data/dossier.json: error: `static/data/dossier.json` would replace the generated data file `/data/dossier.json` [static-collision]"),
        "{}",
        run.stderr
    );
    site.file("site.yaml", "title: Data Watch\nexports: {json: false}\n");
    site.build(&[]);
    assert_eq!(read(&site.public(), "data/dossier.json"), "{}");
}

#[test]
fn two_builds_write_the_same_data() {
    let site = fixture();
    let data_files = |public: &Path| -> Vec<(String, Vec<u8>)> {
        (common::snapshot(public).into_iter())
            .filter(|(name, _)| name.starts_with("data/") || name.ends_with("events.ics"))
            .collect()
    };
    site.build(&[]);
    let first = data_files(&site.public());
    assert_eq!(
        first.len(),
        5 + 1 + 7,
        "{:?}",
        first.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let out = tempfile::tempdir().unwrap();
    let other = out.path().join("public");
    site.build(&["--output", other.to_str().unwrap()]);
    assert!(
        first == data_files(&other),
        "the data files differ between two builds"
    );
}

#[test]
fn serve_makes_the_data_again_after_an_edit() {
    let site = fixture();
    let server = common::server::Server::start(&site, &[]);
    let calendar = server.wait_for(
        "/people/sergei-shoigu/events.ics",
        "Shoigu's calendar",
        |r| r.status == 200 && r.body.contains("SUMMARY:Shoigu visits"),
    );
    assert_eq!(
        calendar.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    // An edit moves an event from Shoigu to Kim: Kim's calendar, the site's
    // and the JSON gain it, and Shoigu's, left without events, is gone.
    site.file(
        "content/briefs/2024-03-01-later.md",
        &brief(
            "title: Later\nactors: [Kim Jong Un, Sergei Shoigu, Government of North Korea]\ntopics: [Sanctions]\nevents:\n  - {date: 2021, title: Food crisis, actors: [Kim Jong Un]}\n  - {date: 2024-02-29, title: Zanzibar talks, actors: [Kim Jong Un]}",
            "Text.\n",
        ),
    );
    site.file(
        "content/briefs/2024-01-10-talks.md",
        &fs::read_to_string(site.path().join("content/briefs/2024-01-10-talks.md"))
            .unwrap()
            .replace(
                "{date: 2023-07, title: Shoigu visits, actors: [Sergei Shoigu]}",
                "{date: 2023-07, title: Shoigu visits}",
            ),
    );
    server.wait_for("/people/kim-jong-un/events.ics", "the new event", |r| {
        r.body.contains("SUMMARY:Zanzibar talks")
    });
    server.wait_for("/events.ics", "the new event", |r| {
        r.body.contains("SUMMARY:Zanzibar talks")
    });
    server.wait_for("/data/dossier.json", "the new event", |r| {
        r.body.contains("\"Zanzibar talks\"")
    });
    server.wait_for("/people/sergei-shoigu/events.ics", "no calendar", |r| {
        r.status == 404
    });
    assert!(
        server
            .get("/people/sergei-shoigu/")
            .body
            .contains("Sergei Shoigu")
    );
    assert!(
        !server
            .get("/people/sergei-shoigu/")
            .body
            .contains("calendar-link")
    );
}
