//! `dossier build` as a user sees it: the pages at their URLs, what each page
//! shows, the links between them, and the output folder's guarantees.

mod common;

use common::{Site, brief, broken_links, resolve_relative, snapshot};

/// A small briefing: profiles with aliases (one Korean, one Cyrillic), briefs
/// that reference them by id, name, alias and by names no profile has.
fn fixture() -> Site {
    let site = Site::new();
    site.file("site.yaml", "title: Test Watch\nper_page: 2\nbase_url: https://example.org/watch/\n")
        .file(
            "content/people/kim-jong-un.md",
            "---\nname: Kim Jong Un\naliases: [Kim Jong-un, 김정은]\nrole: Supreme Leader\ncountry: North Korea\nborn: 1984\n---\nLeader of North Korea.\n\n## Early life\n\nLittle is known.\n",
        )
        .file(
            "content/people/vladimir-putin.md",
            "---\nname: Vladimir Putin\naliases: [Владимир Путин, Putin]\nrole: President of Russia\nborn: 1952-10-07\nlinks:\n  Wikipedia: https://en.wikipedia.org/wiki/Vladimir_Putin\n  Our methods: /about/\n---\nPresident of Russia.\n",
        )
        .file("content/organizations/kcna.md", "---\nname: Korean Central News Agency\naliases: [KCNA]\ntype: State news agency\n---\nState media.\n")
        .file("content/topics/sanctions.md", "---\ntitle: Sanctions\nrelated: [arms-transfers]\n---\nMeasures against states.\n")
        .file("content/topics/arms-transfers.md", "---\ntitle: Arms transfers\n---\nWeapons changing hands.\n")
        .file("content/places/vladivostok.md", "---\nname: Vladivostok\naliases: [Владивосток]\ncountry: Russia\nlat: 43.1155\nlon: 131.8855\n---\nPort city.\n")
        .file("content/pages/about.md", "---\ntitle: About & methods\n---\nHow this site is made.\n")
        .file(
            "content/briefs/2023-09-12-kim-arrives.md",
            &brief(
                "title: Kim arrives in <Russia> & meets Putin\nactors:\n  - ref: 김정은\n    role: visiting leader\n  - vladimir-putin\n  - Sergei Shoigu\ntopics: [Sanctions]\nplaces: [Владивосток]\nevents:\n  - date: 2023-09-12\n    title: Kim crosses the border\n    actors: [Kim Jong-un]\n    place: Vladivostok\n  - date: 2023-07\n    title: Shoigu visits Pyongyang\n    actors: [Sergei Shoigu]\n  - date: 2021\n    title: Food crisis reported\n    description: KCTV speaks of a *crisis*\nsources:\n  - url: https://example.com/report\n    title: Kim in Russia\n    publisher: Example News\n  - https://example.com/other",
                "Kim Jong Un crossed into Russia by train.\n\n## Background\n\nText.\n",
            ),
        )
        .file(
            "content/briefs/2023-09-11-us-warning.md",
            &brief(
                "title: US warns on arms\nactors: [Kim Jong-un, Putin, KCNA]\ntopics: [sanctions, arms-transfers]",
                "The US warned both countries.\n",
            ),
        )
        .file(
            "content/briefs/sub/2023-07-27-shoigu.md",
            &brief("title: Shoigu in Pyongyang\ndate: 2023-07-27\nactors: [Sergei Shoigu, kim jong un]\ntopics: [Arms transfers]", "Shoigu visited.\n"),
        )
        .file(
            "content/briefs/2023-09-13-draft.md",
            &brief("title: Unfinished draft\ndraft: true\nactors: [Secret Person]", "Not ready.\n"),
        );
    site
}

#[test]
fn every_page_is_at_its_url() {
    let site = fixture();
    let run = site.build(&[]);
    for path in [
        "index.html",
        "briefs/index.html",
        "briefs/page/2/index.html",
        "briefs/kim-arrives/index.html",
        "briefs/us-warning/index.html",
        "briefs/shoigu/index.html",
        "people/index.html",
        // Three people, two to a page (per_page: 2).
        "people/page/2/index.html",
        "people/kim-jong-un/index.html",
        "people/vladimir-putin/index.html",
        "people/sergei-shoigu/index.html",
        "organizations/index.html",
        "organizations/kcna/index.html",
        "topics/index.html",
        "topics/sanctions/index.html",
        "topics/arms-transfers/index.html",
        "places/index.html",
        "places/vladivostok/index.html",
        "timeline/index.html",
        "about/index.html",
        "404.html",
        "style.css",
    ] {
        assert!(site.exists(path), "missing {path}");
    }
    assert_eq!(
        run.stdout.split(" in ").next().unwrap(),
        "Built 22 pages (3 briefs, 3 people, 1 organisation, 2 topics, 1 place, 12 other) and 7 feeds"
    );
    assert!(
        run.stdout.trim_end().ends_with("→ public/ (1 warning)"),
        "{}",
        run.stdout
    );
}

#[test]
fn no_link_or_anchor_is_broken() {
    let site = fixture();
    site.build(&[]);
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn person_page_lists_briefs_that_name_them_by_any_alias() {
    let site = fixture();
    site.build(&[]);
    let kim = site.page("people/kim-jong-un/");
    assert_eq!(kim.text("h1"), "Kim Jong Un");
    // Referenced by the Korean alias, by a hyphenated alias, and by the name in lower case.
    let briefs = kim.texts("#entity-briefs ~ ul .brief-card-title");
    assert_eq!(
        briefs,
        [
            "Kim arrives in <Russia> & meets Putin",
            "US warns on arms",
            "Shoigu in Pyongyang"
        ]
    );
    assert!(kim.text(".aliases").contains("김정은"));
    assert!(kim.text(".infobox").contains("Supreme Leader"));
    assert!(kim.text(".infobox").contains("1984"));
    // The table of contents and the heading ids of the biography.
    assert!(kim.source.contains("<h2 id=\"early-life\">Early life</h2>"));

    let putin = site.page("people/vladimir-putin/");
    let briefs = putin.texts("#entity-briefs ~ ul .brief-card-title");
    assert_eq!(
        briefs,
        ["Kim arrives in <Russia> & meets Putin", "US warns on arms"]
    );
    // Web addresses stay as they are; paths from the site root become relative.
    assert_eq!(
        putin.links(".infobox .links"),
        [
            (
                "Wikipedia".to_string(),
                "https://en.wikipedia.org/wiki/Vladimir_Putin".to_string()
            ),
            ("Our methods".to_string(), "../../about/".to_string())
        ]
    );
}

#[test]
fn unmatched_references_become_stub_pages_with_a_warning() {
    let site = fixture();
    let run = site.build(&[]);
    let shoigu = site.page("people/sergei-shoigu/");
    assert_eq!(shoigu.text("h1"), "Sergei Shoigu");
    assert!(shoigu.text(".notice").contains("no profile"));
    assert_eq!(
        shoigu.texts("#entity-briefs ~ ul .brief-card-title"),
        [
            "Kim arrives in <Russia> & meets Putin",
            "Shoigu in Pyongyang"
        ]
    );
    assert_eq!(
        run.stderr,
        "content/briefs/2023-09-12-kim-arrives.md:7:5: warning: no profile for `Sergei Shoigu`; made a stub person page (referenced 3 times) [stub]\n  help: create `content/people/sergei-shoigu.md` with `name: Sergei Shoigu` to describe it, or correct the reference if it should match an existing profile\n"
    );
    // Stubs are listed on the index and linked from briefs.
    let people = site.page("people/");
    assert!(
        people
            .texts(".entity-list-name")
            .iter()
            .any(|t| t == "Sergei Shoigu")
    );
}

#[test]
fn connections_count_shared_briefs() {
    let site = fixture();
    site.build(&[]);
    let kim = site.page("people/kim-jong-un/");
    let connections = kim.texts("#entity-connections ~ ul.counted li");
    assert_eq!(
        connections,
        [
            "Sergei Shoigu 2 shared briefs",
            "Vladimir Putin 2 shared briefs",
            "Korean Central News Agency 1 shared brief"
        ]
    );
    // Follow a connection from Kim to Putin, and on to the timeline.
    let putin = kim.follow(
        &site.public(),
        "#entity-connections ~ ul.counted",
        "Vladimir Putin",
    );
    assert_eq!(putin.text("h1"), "Vladimir Putin");
    let timeline = putin.follow(&site.public(), ".site-nav", "Timeline");
    assert_eq!(timeline.text("h1"), "Timeline");
    // Key actors of a topic are ranked by briefs.
    let sanctions = site.page("topics/sanctions/");
    assert_eq!(sanctions.text("#entity-connections"), "Key actors");
    let related = sanctions.texts("#entity-related-topics ~ ul li");
    assert_eq!(related, ["Arms transfers 1 shared brief"]);
}

#[test]
fn partial_dates_sort_first_and_show_as_written() {
    let site = fixture();
    site.build(&[]);
    let timeline = site.page("timeline/");
    assert_eq!(timeline.texts(".timeline-year h2"), ["2021", "2023"]);
    assert_eq!(
        timeline.texts(".timeline-year h3"),
        ["During 2021", "July 2023", "September 2023"]
    );
    assert_eq!(
        timeline.texts(".event-date"),
        ["2021", "July 2023", "12 September 2023"]
    );
    assert_eq!(
        timeline.texts(".event-title"),
        [
            "Food crisis reported",
            "Shoigu visits Pyongyang",
            "Kim crosses the border"
        ]
    );
    // The description is inline Markdown.
    assert!(timeline.source.contains("KCTV speaks of a <em>crisis</em>"));
}

/// An entity's events come from every brief naming it (an event without
/// topics of its own belongs to its brief's topics), oldest first.
#[test]
fn entity_pages_list_their_events_in_time_order() {
    let site = fixture();
    site.file(
        "content/briefs/2023-09-14-talks.md",
        &brief(
            "title: Talks continue\ntopics: [Sanctions]\nevents:\n  - date: 2023-09-13\n    title: Talks at the cosmodrome\n  - date: 2022-05\n    title: Earlier sanctions vote",
            "Text.",
        ),
    );
    site.build(&[]);
    assert_eq!(
        site.page("topics/sanctions/")
            .texts("ol.events .event-title"),
        [
            "Food crisis reported",
            "Earlier sanctions vote",
            "Shoigu visits Pyongyang",
            "Kim crosses the border",
            "Talks at the cosmodrome"
        ]
    );
}

/// Events of one day keep the order the brief tells them in, on the
/// timeline, on entity pages and on the brief's page: sorted by title,
/// "Army announces" would come before the seizure it announces.
#[test]
fn events_of_one_day_keep_the_order_of_their_brief() {
    let site = fixture();
    site.file(
        "content/briefs/2023-07-27-coup.md",
        &brief(
            "title: Coup\nactors: [Kim Jong Un]\nevents:\n  - date: 2023-07-26\n    title: Soldiers seize the palace\n    actors: [Kim Jong Un]\n  - date: 2023-07-26\n    title: Army announces the takeover\n    actors: [Kim Jong Un]",
            "Text.",
        ),
    );
    site.build(&[]);
    let in_order = ["Soldiers seize the palace", "Army announces the takeover"];
    for page in ["timeline/", "people/kim-jong-un/", "briefs/coup/"] {
        let titles: Vec<String> = (site.page(page).texts(".event-title").into_iter())
            .filter(|t| in_order.contains(&t.as_str()))
            .collect();
        assert_eq!(titles, in_order, "on {page}");
    }
}

#[test]
fn drafts_only_with_the_flag() {
    let site = fixture();
    site.build(&[]);
    assert!(!site.exists("briefs/draft/index.html"));
    assert!(!site.exists("people/secret-person/index.html"));
    let all = snapshot(&site.public());
    assert!(
        all.iter()
            .all(|(_, bytes)| !String::from_utf8_lossy(bytes).contains("Unfinished draft"))
    );
    site.build(&["--drafts"]);
    assert!(site.exists("briefs/draft/index.html"));
    assert!(site.exists("people/secret-person/index.html"));
}

#[test]
fn front_matter_is_escaped() {
    let site = fixture();
    site.build(&[]);
    let page = site.page("briefs/kim-arrives/");
    assert!(
        page.source
            .contains("<h1>Kim arrives in &lt;Russia&gt; &amp; meets Putin</h1>")
    );
    assert_eq!(page.text("h1"), "Kim arrives in <Russia> & meets Putin");
    let about = site.page("about/");
    assert!(about.source.contains("About &amp; methods"));
}

#[test]
fn brief_page_shows_everything_about_the_brief() {
    let site = fixture();
    site.build(&[]);
    let page = site.page("briefs/kim-arrives/");
    assert_eq!(page.text(".meta time"), "12 September 2023");
    assert_eq!(
        page.texts(".actors li"),
        [
            "Kim Jong Un visiting leader",
            "Vladimir Putin",
            "Sergei Shoigu"
        ]
    );
    assert_eq!(
        page.texts(".sources li"),
        ["Kim in Russia, Example News", "https://example.com/other"]
    );
    assert_eq!(
        page.texts(".brief-events .event-date"),
        ["2021", "July 2023", "12 September 2023"]
    );
    assert_eq!(
        page.texts(".related .brief-card-title"),
        ["US warns on arms", "Shoigu in Pyongyang"]
    );
    // Previous and next in time.
    assert_eq!(
        page.links(".prev-next"),
        [(
            "← Earlier US warns on arms".to_string(),
            "../../briefs/us-warning/".to_string()
        )]
    );
    // Links are relative, so the site works under any prefix.
    assert_eq!(page.links(".site-nav")[0].1, "../../briefs/");
    assert!(
        page.source
            .contains("<link rel=\"stylesheet\" href=\"../../style.css\">")
    );
    assert!(page.source.contains(
        "<link rel=\"canonical\" href=\"https://example.org/watch/briefs/kim-arrives/\">"
    ));
}

#[test]
fn brief_list_is_paginated_newest_first() {
    let site = fixture();
    site.build(&[]);
    let first = site.page("briefs/");
    assert_eq!(
        first.texts(".brief-card-title"),
        ["Kim arrives in <Russia> & meets Putin", "US warns on arms"]
    );
    let second = first.follow(&site.public(), ".pagination", "Older →");
    assert_eq!(second.site_path, "briefs/page/2/");
    assert_eq!(second.texts(".brief-card-title"), ["Shoigu in Pyongyang"]);
}

#[test]
fn two_builds_are_byte_identical() {
    let site = fixture();
    site.build(&[]);
    let first = snapshot(&site.public());
    site.build(&[]);
    assert!(
        first == snapshot(&site.public()),
        "the second build differs"
    );
    // And a copy of the site elsewhere builds to the same bytes.
    let other = fixture();
    other.build(&[]);
    assert!(
        first == snapshot(&other.public()),
        "a second copy of the site builds differently"
    );
}

#[test]
fn portable_links_name_index_html() {
    let site = fixture();
    site.build(&["--portable"]);
    let page = site.page("briefs/kim-arrives/");
    assert_eq!(page.links(".site-nav")[0].1, "../../briefs/index.html");
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn site_templates_override_the_builtin_ones() {
    let site = fixture();
    site.file(
        "templates/person.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ entity.name }} ({{ entity.briefs | length }})</p>{% endblock content %}",
    );
    site.build(&[]);
    assert_eq!(
        site.page("people/kim-jong-un/").text(".custom"),
        "Kim Jong Un (3)"
    );
    // Other templates are still the built-in ones.
    assert!(
        site.page("topics/sanctions/")
            .source
            .contains("class=\"entity-page")
    );
}

/// Browsers ask every site for a favicon: the theme ships one, linked from
/// every page (also from a page in a sub-folder), and a site's own wins.
/// The search page's form submits to the search page itself (an empty
/// `action` is invalid HTML).
#[test]
fn the_theme_ships_a_favicon_and_forms_name_their_action() {
    let site = fixture();
    site.build(&[]);
    let icon = std::fs::read(site.public().join("favicon.ico")).unwrap();
    assert_eq!(icon[..4], [0, 0, 1, 0], "an ICO file");
    assert_eq!(&icon[22..30], b"\x89PNG\r\n\x1a\n", "holding a PNG");
    for page in ["", "people/kim-jong-un/", "search/"] {
        let hrefs = site.page(page).attrs("link[rel=icon]", "href");
        assert_eq!(hrefs.len(), 1, "on {page}");
        assert_eq!(
            resolve_relative(page, &hrefs[0]),
            "favicon.ico",
            "on {page}"
        );
    }
    let actions = site.page("search/").attrs("form", "action");
    assert!(!actions.is_empty());
    for action in actions {
        assert!(!action.is_empty(), "an empty action is invalid HTML");
        assert_eq!(resolve_relative("search/", &action), "search/");
    }
    site.file("static/favicon.ico", "our own icon");
    site.build(&[]);
    let own = std::fs::read_to_string(site.public().join("favicon.ico")).unwrap();
    assert_eq!(own, "our own icon");
}

#[test]
fn static_files_are_copied_and_override_theme_assets() {
    let site = fixture();
    site.file("static/img/kim.jpg", "JPEG")
        .file("static/style.css", "body{}")
        .file("static/.nojekyll", "");
    site.file("static/.git/config", "secret");
    site.build(&[]);
    assert_eq!(
        std::fs::read_to_string(site.public().join("img/kim.jpg")).unwrap(),
        "JPEG"
    );
    assert_eq!(
        std::fs::read_to_string(site.public().join("style.css")).unwrap(),
        "body{}"
    );
    assert!(site.exists(".nojekyll"));
    assert!(!site.exists(".git/config"));
}

#[test]
fn a_site_without_templates_or_config_builds() {
    let site = Site::new();
    site.file(
        "content/briefs/2024-01-01-one.md",
        &brief("title: One", "Body."),
    );
    let run = site.build(&[]);
    assert!(
        run.stdout.starts_with("Built 10 pages (1 brief, 0 people"),
        "{}",
        run.stdout
    );
    assert_eq!(site.page("").text("h1"), "Briefings");
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn summary_defaults_to_first_paragraph() {
    let site = fixture();
    site.build(&[]);
    let list = site.page("briefs/");
    assert_eq!(
        list.texts(".brief-card-summary")[0],
        "Kim Jong Un crossed into Russia by train."
    );
}

/// U+FDD0 stands for "the path to the site root" inside dossier while
/// pages render; written in a file, it is a replacement character, never a
/// path.
#[test]
fn the_internal_placeholder_character_in_content_is_not_a_path() {
    let site = Site::new();
    site.file(
        "content/briefs/2023-09-12-odd.md",
        &brief(
            "title: \"Odd \u{FDD0} title\"\ndate: 2023-09-12\nactors: [Kim Jong Un]",
            "A body with \u{FDD0} in it.",
        ),
    );
    site.build(&[]);
    let page = site.page("briefs/odd/");
    assert_eq!(page.text("h1"), "Odd \u{FFFD} title");
    assert!(
        page.text(".prose").contains("with \u{FFFD} in it"),
        "{}",
        page.source
    );
    assert!(!page.source.contains('\u{FDD0}'));
}

#[test]
fn root_and_output_flags() {
    let site = fixture();
    let parent = site.path().parent().unwrap().to_path_buf();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("site-out");
    let run = common::run_in(
        &parent,
        &[
            "build",
            "--root",
            site.path().to_str().unwrap(),
            "--output",
            out_dir.to_str().unwrap(),
        ],
    );
    run.expect_code(0);
    assert!(out_dir.join("people/kim-jong-un/index.html").is_file());
    assert!(out_dir.join(".dossier-output").is_file());
}

/// Related briefs weigh each shared actor or topic by its rarity: a brief
/// sharing two rare names beats one sharing a common name, and an actor in
/// every brief says nothing at all.
#[test]
fn related_briefs_share_the_rarest_names_and_a_hub_changes_nothing() {
    let related_of_a = |with_hub: bool| -> Vec<String> {
        let site = Site::new();
        let hub = if with_hub { "Hub, " } else { "" };
        let briefs = [
            ("2023-01-10-a", "A", "Common, Rare One, Rare Two", "[Theme]"),
            ("2023-01-01-b", "B", "Rare One", "[]"),
            ("2023-01-02-c", "C", "Rare Two", "[]"),
            ("2023-01-03-d", "D", "Common", "[Theme]"),
            ("2023-01-04-e", "E", "Common", "[]"),
            ("2023-01-05-f", "F", "Other", "[Theme]"),
            ("2023-01-06-g", "G", "Common", "[]"),
            ("2023-01-07-h", "H", "Loner", "[]"),
        ];
        for (file, title, actors, topics) in briefs {
            site.file(
                &format!("content/briefs/{file}.md"),
                &brief(
                    &format!("title: {title}\nactors: [{hub}{actors}]\ntopics: {topics}"),
                    "Text.",
                ),
            );
        }
        site.build(&[]);
        site.page("briefs/a/").texts(".related .brief-card-title")
    };
    // Weights, with 8 briefs: Rare One and Rare Two ln(8/2), the topic
    // ln(8/3), Common ln(8/4), Hub ln(8/8) = 0. D shares Common and the
    // topic (the most), C and B a rare name each (C is newer), F the topic,
    // G and E Common (G is newer); H shares nothing but Hub.
    let expected = ["D", "C", "B", "F", "G"];
    assert_eq!(related_of_a(false), expected);
    assert_eq!(related_of_a(true), expected);
}

/// Without `summary:`, the body's first paragraph is the summary in lists
/// but shows once on the page; with one, it leads the page.
#[test]
fn the_first_paragraph_is_shown_once_without_a_summary() {
    let site = fixture();
    site.file(
        "content/briefs/2023-09-14-with-lead.md",
        &brief(
            "title: With a lead\nsummary: Written apart.\nactors: [Kim Jong Un]",
            "First paragraph.\n",
        ),
    );
    site.build(&[]);
    let page = site.page("briefs/kim-arrives/");
    assert_eq!(page.texts(".lede"), Vec::<String>::new());
    let prose = page.texts(".prose p");
    assert_eq!(prose[0], "Kim Jong Un crossed into Russia by train.");
    let kim = site.page("people/kim-jong-un/");
    assert_eq!(kim.texts(".lede"), Vec::<String>::new());
    assert_eq!(kim.texts(".prose p")[0], "Leader of North Korea.");
    // Lists still show the first paragraph as the summary.
    let people = site.page("people/");
    assert!(
        people.text("main").contains("Leader of North Korea."),
        "{}",
        people.text("main")
    );
    let lead = site.page("briefs/with-lead/");
    assert_eq!(lead.texts(".lede"), ["Written apart."]);
    assert_eq!(lead.texts(".prose p"), ["First paragraph."]);
}

/// Front-matter prose gets the body's typographic punctuation; links
/// written with straight quotes still find it.
#[test]
fn front_matter_prose_has_typographic_punctuation() {
    let site = fixture();
    site.file(
        "content/briefs/2023-09-14-last-trip.md",
        &brief(
            "title: Kim's \"last\" trip -- to Russia...\nsummary: It's 'over'.\nactors:\n  - ref: Kim Jong Un\n    role: Kim's host\nevents:\n  - date: 2023-09-14\n    title: Kim's train leaves\nsources:\n  - url: https://example.com/a\n    title: \"Kim's trip\"",
            "Body.\n",
        ),
    )
    .file(
        "content/pages/notes.md",
        "---\ntitle: Notes\n---\nSee [[Kim's \"last\" trip -- to Russia...]].\n",
    );
    let run = site.build(&[]);
    let title = "Kim\u{2019}s \u{201C}last\u{201D} trip \u{2013} to Russia\u{2026}";
    let page = site.page("briefs/last-trip/");
    assert_eq!(page.text("h1"), title);
    assert!(
        page.text("title").starts_with(title),
        "{}",
        page.text("title")
    );
    assert_eq!(page.texts(".lede"), ["It\u{2019}s \u{2018}over\u{2019}."]);
    assert_eq!(page.texts(".event-title"), ["Kim\u{2019}s train leaves"]);
    assert_eq!(page.texts(".sources a"), ["Kim\u{2019}s trip"]);
    assert_eq!(page.texts(".actors .role"), ["Kim\u{2019}s host"]);
    let notes = site.page("notes/");
    assert_eq!(
        notes.links(".prose a"),
        [(title.to_string(), "../briefs/last-trip/".to_string())]
    );
    assert!(!run.stderr.contains("last"), "{}", run.stderr);
}

/// An entity's list of briefs says what part it played in each, where the
/// brief gives it a role, and what each brief is about.
#[test]
fn entity_brief_lists_show_the_role_and_the_summary() {
    let site = fixture();
    // Newer briefs, so that the one with a role is only in the archive.
    for day in 1..=10 {
        site.file(
            &format!("content/briefs/2023-10-{day:02}-later-{day}.md"),
            &brief("title: Later\nactors: [Kim Jong Un]", "Later.\n"),
        );
    }
    site.build(&[]);
    let card = (1..)
        .map(|n| match n {
            1 => "people/kim-jong-un/briefs/".to_string(),
            n => format!("people/kim-jong-un/briefs/page/{n}/"),
        })
        .take_while(|path| site.exists(&format!("{path}index.html")))
        .flat_map(|path| site.page(&path).texts(".brief-card"))
        .find(|c| c.contains("Kim arrives"))
        .expect("the brief is in the archive");
    assert!(card.contains("· visiting leader"), "{card}");
    assert!(
        card.contains("Kim Jong Un crossed into Russia by train."),
        "{card}"
    );
    // On the entity's own page, before the newer ones push it out.
    let site = fixture();
    site.build(&[]);
    let page = site.page("people/kim-jong-un/");
    let card = (page.texts(".brief-card").into_iter())
        .find(|c| c.contains("Kim arrives"))
        .unwrap_or_else(|| panic!("{}", page.text("main")));
    assert!(card.contains("· visiting leader"), "{card}");
    assert!(
        card.contains("Kim Jong Un crossed into Russia by train."),
        "{card}"
    );
    let putin = site.page("people/vladimir-putin/");
    assert_eq!(putin.texts(".brief-card .role"), Vec::<String>::new());
    assert_eq!(
        site.page("briefs/").texts(".brief-card .role"),
        Vec::<String>::new()
    );
}

/// The theme stays light: its style sheet and scripts together (the search
/// index aside) weigh under 40 KB as a reader downloads them.
#[test]
fn the_themes_css_and_javascript_stay_under_40_kb() {
    let site = fixture();
    site.build(&[]);
    let mut total = 0;
    for entry in std::fs::read_dir(site.public()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "css" || x == "js") {
            total += std::fs::metadata(&path).unwrap().len();
        }
    }
    assert!(
        total > 20_000,
        "{total} bytes: the theme's files were not all found"
    );
    assert!(
        total < 40 * 1024,
        "the theme's CSS and JavaScript weigh {total} bytes"
    );
}
