//! The pictures the build draws as inline SVG, as a reader meets them: the
//! timeline strip (each event a link to its entry, partial dates as spans),
//! the activity sparklines of index pages and the home page, and the
//! connection graph exposed as a labelled group with a caption, its text
//! list beside it. Every drawing parses as XML.

mod common;

use common::{Site, brief};

fn site() -> Site {
    let site = Site::new();
    site.file("site.yaml", "title: Pictures\n")
        .file(
            "content/people/kim-jong-un.md",
            "---\nname: Kim Jong Un\n---\nLeader.\n",
        )
        .file(
            "content/briefs/2023-09-12-kim-arrives.md",
            &brief(
                "title: Kim arrives\nactors: [Kim Jong Un, Vladimir Putin]\nevents:\n  - date: 2023-09-12\n    title: Kim crosses the border\n    actors: [Kim Jong Un]\n  - date: 2021\n    title: Food crisis reported\n    actors: [Kim Jong Un]\n  - date: 2023-07\n    title: Shoigu visits Pyongyang\n    actors: [Kim Jong Un]",
                "Text.\n",
            ),
        )
        .file(
            "content/briefs/2023-08-01-earlier.md",
            &brief("title: Earlier\nactors: [Kim Jong Un]", "Text.\n"),
        )
        .file(
            "content/briefs/2021-01-05-long-ago.md",
            &brief("title: Long ago\nactors: [Vladimir Putin]", "Text.\n"),
        );
    site
}

/// Every `<svg>` element of a page, as its source text.
fn svgs(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("a closed svg") + start + 6;
        found.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    found
}

#[test]
fn every_drawing_parses_as_xml() {
    let site = site();
    site.build(&[]);
    let mut drawings = 0;
    for path in [
        "",
        "people/",
        "people/kim-jong-un/",
        "people/vladimir-putin/",
        "timeline/",
    ] {
        for svg in svgs(&site.page(path).source) {
            // As a standalone document, the SVG namespace is declared.
            let xml = svg.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1);
            roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("/{path}: {e}\n{svg}"));
            drawings += 1;
        }
    }
    assert!(drawings >= 8, "{drawings} drawings");
}

#[test]
fn the_timeline_strip_links_each_event_to_its_entry() {
    let site = site();
    site.build(&[]);
    for path in ["people/kim-jong-un/", "timeline/"] {
        let page = site.page(path);
        let targets = page.attrs(".strip a", "href");
        let entries = page.attrs("li.event", "id");
        assert_eq!(targets.len(), 3, "on {path}");
        let linked: Vec<String> = targets
            .iter()
            .map(|t| t.trim_start_matches('#').to_string())
            .collect();
        let mut sorted_entries = entries.clone();
        sorted_entries.sort();
        let mut sorted_links = linked.clone();
        sorted_links.sort();
        assert_eq!(sorted_links, sorted_entries, "on {path}");
        // Each mark says what and when; the year and the month are spans,
        // the day a dot.
        assert_eq!(
            page.texts(".strip a title"),
            [
                "2021: Food crisis reported",
                "July 2023: Shoigu visits Pyongyang",
                "12 September 2023: Kim crosses the border"
            ],
            "on {path}"
        );
        let widths = page.attrs(".strip a rect", "width");
        assert_eq!(widths.len(), 2, "on {path}");
        let year: i32 = widths[0].parse().unwrap();
        let month: i32 = widths[1].parse().unwrap();
        assert!(
            year > 10 * month,
            "a year ({year}) is drawn longer than a month ({month})"
        );
        assert_eq!(page.attrs(".strip a circle", "r").len(), 1);
        assert_eq!(page.attrs(".strip", "role"), ["group"]);
        assert_eq!(page.texts(".strip-figure figcaption").len(), 1);
    }
    // An entity without events has no strip.
    assert!(
        site.page("people/vladimir-putin/")
            .attrs(".strip", "role")
            .is_empty()
    );
}

#[test]
fn sparklines_show_briefs_per_month_up_to_the_newest_brief() {
    let site = site();
    site.build(&[]);
    let people = site.page("people/");
    // Up to September 2023, the newest brief's month, not the build's day.
    assert_eq!(
        people.texts(".entity-list .sparkline title"),
        [
            "2 briefs from October 2021 to September 2023",
            "1 brief from October 2021 to September 2023"
        ]
    );
    // Kim: August and September 2023, the last two months, at full height;
    // no bar for the months without a brief.
    let bars = people.attrs(
        ".entity-list li:first-child .sparkline path:not(.sparkline-base)",
        "d",
    );
    assert_eq!(bars, ["M66 0h2v16h-2zM69 0h2v16h-2z"]);
    // Putin's brief of January 2021 is outside the two years drawn.
    let home = site.page("");
    assert_eq!(
        home.texts(".counted .sparkline title"),
        [
            "2 briefs from October 2021 to September 2023",
            "1 brief from October 2021 to September 2023"
        ]
    );
}

#[test]
fn index_pages_carry_what_the_sort_script_sorts_by() {
    let site = site();
    site.build(&[]);
    let people = site.page("people/");
    // By name without the script.
    assert_eq!(
        people.texts(".entity-list-name a"),
        ["Kim Jong Un", "Vladimir Putin"]
    );
    assert_eq!(people.attrs(".entity-list li", "data-count"), ["2", "2"]);
    assert_eq!(
        people.attrs(".entity-list li", "data-latest"),
        ["2023-09-12", "2023-09-12"]
    );
    assert_eq!(people.attrs(".sort", "hidden"), [""]);
    assert_eq!(
        people.texts(".sort button"),
        ["Name", "Briefs", "Latest brief"]
    );
    assert!(site.exists("sort.js"));
}

#[test]
fn the_connection_graph_is_a_captioned_group_of_links_with_a_list_beside_it() {
    let site = site();
    site.file(
        "content/organizations/long.md",
        "---\nname: Ministry of Foreign Affairs of the Democratic People's Republic of Korea\n---\nA long name.\n",
    )
    .file(
        "content/briefs/2023-09-13-long.md",
        &brief("title: Long name\nactors: [Kim Jong Un, long]", "Text.\n"),
    );
    site.build(&[]);
    let kim = site.page("people/kim-jong-un/");
    assert_eq!(kim.attrs(".connection-graph", "role"), ["group"]);
    assert_eq!(
        kim.attrs(".connection-graph", "aria-labelledby"),
        ["connection-caption"]
    );
    assert_eq!(
        kim.text("#connection-caption"),
        "Kim Jong Un and the actors sharing most briefs with them"
    );
    let linked: Vec<String> = kim.attrs(".connection-graph a", "href");
    assert_eq!(linked.len(), 3, "{linked:?}");
    let listed = kim.attrs(".connections .counted a", "href");
    assert_eq!(
        linked[1..],
        listed[..],
        "the drawing and the list name the same"
    );
    // The long name is drawn whole, over lines, never cut.
    let lines = kim.texts(".connection-graph a[href$='long/'] tspan");
    assert_eq!(
        lines.join(" "),
        "Ministry of Foreign Affairs of the Democratic People's Republic of Korea"
    );
    assert!(lines.len() > 1);
    // The drawing is widened to hold every label.
    let view_box = kim.attrs(".connection-graph", "viewBox").remove(0);
    let numbers: Vec<i32> = view_box.split(' ').map(|n| n.parse().unwrap()).collect();
    let right = numbers[0] + numbers[2];
    let anchored: Vec<(String, String)> = kim
        .attrs(".connection-graph text", "x")
        .into_iter()
        .zip(kim.attrs(".connection-graph text", "text-anchor"))
        .collect();
    for (x, anchor) in anchored {
        let x: i32 = x.parse().unwrap();
        if anchor == "start" {
            assert!(
                x + 100 < right,
                "a label starting at {x} in a drawing ending at {right}"
            );
        }
    }
}
