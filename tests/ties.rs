//! Affiliations and typed relations as a reader and a writer meet them: a
//! person's "Positions", an organisation's "People" (current by role, then
//! former with their dates), relations on both pages with the inverse
//! wording of `site.yaml`, labelled arrows in the connection graph, bars on
//! the timeline strip, and `check`'s words about ties that contradict
//! their dates.

mod common;

use common::{Site, brief, broken_links};

fn fixture() -> Site {
    let site = Site::new();
    site.file(
        "site.yaml",
        "title: Ties\ninverse_relations:\n  son of: parent of\n",
    )
    .file(
        "content/people/sergei-shoigu.md",
        "---\nname: Sergei Shoigu\nborn: 1955-05-21\naffiliations:\n  - org: Ministry of Defence\n    role: Minister of Defence\n    from: 2012-11-06\n    until: 2024-05-12\n  - org: Security Council of Russia\n    role: Secretary\n    from: 2024-05-12\n    source: https://example.org/appointed\n---\nMinister.\n",
    )
    .file(
        "content/people/ivan-deputy.md",
        "---\nname: Ivan Deputy\naffiliations:\n  - {org: Ministry of Defence, role: Deputy Minister, from: 2020}\n  - {org: Ministry of Defence, role: Adviser, from: 2010, until: 2015-03}\n---\n",
    )
    .file(
        "content/people/anna-analyst.md",
        "---\nname: Anna Analyst\naffiliations:\n  - org: Ministry of Defence\n    role: Analyst\n    from: 2019\nrelations:\n  - with: Ivan Deputy\n    type: son of\n  - with: Sergei Shoigu\n    type: deputy to\n    from: 2021\n---\n",
    )
    .file(
        "content/organizations/ministry-of-defence.md",
        "---\nname: Ministry of Defence\nfounded: 1992\nrelations:\n  - with: Army\n    kind: organization\n    type: commands\n---\nThe ministry.\n",
    )
    .file("content/organizations/army.md", "---\nname: Army\n---\n")
    .file(
        "content/briefs/2023-09-12-visit.md",
        &brief(
            "title: Visit\nactors: [Sergei Shoigu, Ivan Deputy]\nevents:\n  - {date: 2023-07-26, title: Shoigu lands, actors: [Sergei Shoigu]}\n  - {date: 2023-09-12, title: Talks, actors: [Sergei Shoigu, Ministry of Defence]}",
            "Text.\n",
        ),
    );
    site
}

#[test]
fn positions_people_and_relations_show_on_both_pages() {
    let site = fixture();
    let run = site.build(&[]);
    run.expect_code(0);
    // The unknown organisation of an affiliation is an organisation stub,
    // with the usual warning at the `org` line.
    assert_eq!(
        run.warning_lines(),
        vec![
            "content/people/sergei-shoigu.md:9:10: warning: no profile for `Security Council of Russia`; made a stub organization page [stub]"
        ]
    );
    assert!(site.exists("organizations/security-council-of-russia/index.html"));

    let shoigu = site.page("people/sergei-shoigu/");
    assert_eq!(
        shoigu.texts("section.positions > ul.ties:first-of-type > li"),
        vec!["Secretary, Security Council of Russia (since 12 May 2024) [source]"]
    );
    assert_eq!(shoigu.text("section.positions h3"), "Former positions");
    assert_eq!(
        shoigu.texts("section.positions h3 + ul.ties > li"),
        vec!["Minister of Defence, Ministry of Defence (6 November 2012–12 May 2024)"]
    );
    let ministry = shoigu.follow(&site.public(), "section.positions a", "Ministry of Defence");
    // Current people by role, then former ones, latest ended first.
    assert_eq!(
        ministry.texts("section.people > ul.ties:first-of-type > li"),
        vec![
            "Anna Analyst, Analyst (since 2019)",
            "Ivan Deputy, Deputy Minister (since 2020)",
        ]
    );
    assert_eq!(
        ministry.texts("section.people h3 + ul.ties > li"),
        vec![
            "Sergei Shoigu, Minister of Defence (6 November 2012–12 May 2024)",
            "Ivan Deputy, Adviser (2010–March 2015)",
        ]
    );
    // A relation reads from each page's side: with the inverse wording
    // `site.yaml` gives, or as written by the other end.
    let anna = site.page("people/anna-analyst/");
    assert_eq!(
        anna.texts("section.relations li"),
        vec![
            "Anna Analyst son of Ivan Deputy",
            "Anna Analyst deputy to Sergei Shoigu (since 2021)",
        ]
    );
    let ivan = anna.follow(&site.public(), "section.relations a", "Ivan Deputy");
    assert_eq!(
        ivan.texts("section.relations li"),
        vec!["Ivan Deputy parent of Anna Analyst"]
    );
    assert_eq!(
        shoigu.texts("section.relations li"),
        vec!["Anna Analyst deputy to Sergei Shoigu (since 2021)"]
    );
    assert_eq!(
        ministry.texts("section.relations li"),
        vec!["Ministry of Defence commands Army"]
    );
    assert!(broken_links(&site.public()).is_empty());
}

#[test]
fn ties_are_drawn_in_the_graph_and_on_the_strip() {
    let site = fixture();
    site.build(&[]).expect_code(0);
    let shoigu = site.page("people/sergei-shoigu/");
    // Labelled arrows beside the co-occurrence lines: the relation declared
    // by Anna (towards Shoigu) and both positions (away from him).
    assert_eq!(
        shoigu.texts("svg.connection-graph text.tie-label"),
        vec!["deputy to", "Secretary", "Minister of Defence"]
    );
    assert_eq!(shoigu.attrs("svg.connection-graph path.tie", "d").len(), 3);
    // Nodes added for ties name them in their tooltip.
    let titles = shoigu.texts("svg.connection-graph a title");
    assert!(
        titles.contains(&"Anna Analyst: deputy to".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Ivan Deputy: 1 shared brief".to_string()),
        "{titles:?}"
    );
    // The strip covers July to September 2023: the position held then is
    // drawn, open at both ends; the later one is not.
    assert_eq!(
        shoigu.texts("svg.strip text.strip-period-label"),
        vec!["Minister of Defence"]
    );
    assert_eq!(
        shoigu.texts("svg.strip a title"),
        vec![
            "26 July 2023: Shoigu lands",
            "12 September 2023: Talks",
            "Minister of Defence, Ministry of Defence: 6 November 2012–12 May 2024"
        ]
    );
    assert_eq!(
        shoigu.text(".strip-figure figcaption"),
        "The events listed below on a time axis, with the positions held below it"
    );
    // Without ties, the graph has no arrows and the strip no bars.
    let army = site.page("organizations/army/");
    assert!(army.texts("svg.strip text.strip-period-label").is_empty());
}

#[test]
fn check_reports_ties_that_contradict_their_dates() {
    let site = fixture();
    site.file(
        "content/people/old-general.md",
        "---\nname: Old General\nborn: 1950\ndied: 2010-06\naffiliations:\n  - org: Ministry of Defence\n    role: Minister\n    from: 2015\n  - org: Ministry of Defence\n    role: Cadet\n    from: 1940\n    until: 1949\n  - org: Ministry of Defence\n    role: Adviser\n    from: 2008\n    until: 2006\n  - org: Sergei Shoigu\n    role: Aide\nrelations:\n  - with: Old General\n    type: rival of\n  - with: Anna Analyst\n    type: mentor of\n    from: 2009-05\n    until: 2009\n---\n",
    );
    let run = site.run(&["check"]);
    run.expect_code(1);
    let file = "content/people/old-general.md";
    let ours: Vec<&str> = (run.stdout.lines())
        .filter(|l| l.starts_with(file))
        .collect();
    assert_eq!(
        ours,
        vec![
            format!(
                "{file}:8:11: warning: it starts (2015) after Old General died (2010-06) [contradicting-dates]"
            ),
            format!(
                "{file}:12:12: warning: it ends (1949) before Old General was born (1950) [contradicting-dates]"
            ),
            format!(
                "{file}:12:12: warning: the position ends (1949) before Ministry of Defence was founded (1992) [contradicting-dates]"
            ),
            format!(
                "{file}:16:12: warning: it ends (`until: 2006`) before it starts (`from: 2008`) [contradicting-dates]"
            ),
            format!(
                "{file}:17:10: error: `Sergei Shoigu` is a person, but an affiliation's `org` names an organisation [wrong-kind]"
            ),
            format!(
                "{file}:20:11: warning: Old General is related to itself; the relation is left out [self-relation]"
            ),
        ]
    );
    assert!(run.stdout.contains("help: correct the date: `from` is when it began, `until` when it ended; leave `until` out while it lasts"));
    // `2009-05` to `2009` does not contradict: May is within the year.
    assert!(!run.stdout.contains(":25:"), "{}", run.stdout);
}

#[test]
fn a_dead_persons_open_position_is_former_and_ends_with_the_death() {
    let site = fixture();
    site.file(
        "content/people/late-minister.md",
        "---\nname: Late Minister\ndied: 2001-03-04\naffiliations:\n  - {org: Ministry of Defence, role: Minister, from: 1995}\n---\n",
    );
    site.build(&[]).expect_code(0);
    let ministry = site.page("organizations/ministry-of-defence/");
    let former = ministry.texts("section.people h3 + ul.ties > li");
    assert!(
        former.contains(&"Late Minister, Minister (1995–4 March 2001)".to_string()),
        "{former:?}"
    );
}
