//! What happens next, and how sure the writer is: events dated after their
//! brief show as expected, the home page and entity pages list what lies
//! ahead of the newest brief, briefs and events carry a confidence badge,
//! and events cite the brief's sources by number or URL.

mod common;

use common::{Site, brief};

fn fixture() -> Site {
    let site = Site::new();
    site.file("site.yaml", "title: Ahead\n")
        .file("content/people/kim-jong-un.md", "---\nname: Kim Jong Un\n---\n")
        .file(
            "content/briefs/2024-01-10-plans.md",
            &brief(
                "title: Plans\nconfidence: moderate\nactors: [Kim Jong Un]\nsources:\n  - https://example.org/first\n  - url: https://example.org/second\n    title: Second\nevents:\n  - date: 2024-01-09\n    title: Talks held\n    actors: [Kim Jong Un]\n    sources: [2, https://other.example.net/report]\n    confidence: high\n  - date: 2024-02\n    title: Visit planned\n    actors: [Kim Jong Un]",
                "Text.\n",
            ),
        )
        .file(
            "content/briefs/2024-03-01-later.md",
            &brief(
                "title: Later\nactors: [Kim Jong Un]\nevents:\n  - {date: 2024-03-01, title: Statement, actors: [Kim Jong Un]}\n  - {date: 2025-06, title: Summit scheduled, actors: [Kim Jong Un], confidence: low}\n  - {date: 2024-05-20, title: Launch window, actors: [Kim Jong Un]}",
                "Text.\n",
            ),
        );
    site
}

#[test]
fn scheduled_events_show_as_upcoming_without_a_warning() {
    let site = fixture();
    let run = site.run(&["check", "--strict"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout.lines().last(),
        Some("no problems (12 pages checked)"),
        "{}",
        run.stdout
    );
    site.build(&[]).expect_code(0);

    // Ahead of the newest brief (1 March 2024), soonest first; the rest
    // are recent, newest first.
    let home = site.page("");
    assert_eq!(home.text("h2#upcoming"), "Upcoming");
    assert_eq!(
        home.texts("ol.upcoming .event-title"),
        vec![
            "Launch window expected, as of 1 March 2024",
            "Summit scheduled expected, as of 1 March 2024 low confidence",
        ]
    );
    let recent: Vec<String> = home.texts("ol.events:not(.upcoming) .event-title");
    assert_eq!(
        recent,
        vec![
            "Statement",
            "Visit planned expected, as of 10 January 2024",
            "Talks held high confidence",
        ]
    );
    let kim = site.page("people/kim-jong-un/");
    assert_eq!(
        kim.texts("section.upcoming .event-title"),
        vec![
            "Launch window expected, as of 1 March 2024",
            "Summit scheduled expected, as of 1 March 2024 low confidence",
        ]
    );
    // Every timeline marks an expected event.
    let timeline = site.page("timeline/");
    let expected = timeline.texts("li.event.expected .event-title");
    assert_eq!(expected.len(), 3, "{expected:?}");
}

#[test]
fn confidence_and_event_sources_are_shown() {
    let site = fixture();
    site.build(&[]).expect_code(0);
    let plans = site.page("briefs/plans/");
    assert_eq!(
        plans.texts("header .badge-confidence"),
        vec!["moderate confidence"]
    );
    assert_eq!(
        plans.links(".event-sources a"),
        vec![
            ("[2]".to_string(), "https://example.org/second".to_string()),
            (
                "[other.example.net]".to_string(),
                "https://other.example.net/report".to_string()
            ),
        ]
    );
    let briefs = site.page("briefs/");
    assert_eq!(
        briefs.texts(".brief-card .badge-confidence"),
        vec!["moderate confidence"]
    );
}

#[test]
fn bad_confidence_and_unknown_sources_are_reported_at_their_line() {
    let site = fixture();
    site.file(
        "content/briefs/2024-04-01-bad.md",
        &brief(
            "title: Bad\nconfidence: certain\nactors: [Kim Jong Un]\nsources: [https://example.org/only]\nevents:\n  - date: 2024-04-01\n    title: Event\n    sources: [3, 0, not a url]",
            "Text.\n",
        ),
    );
    let run = site.run(&["check"]);
    run.expect_code(1);
    let lines: Vec<&str> = (run.stdout.lines())
        .filter(|l| l.starts_with("content/briefs/2024-04-01-bad.md"))
        .collect();
    assert_eq!(
        lines,
        vec![
            "content/briefs/2024-04-01-bad.md:3:13: error: `confidence` cannot be `certain` [invalid-value]",
            "content/briefs/2024-04-01-bad.md:9:15: error: the event cites source 3, but the brief lists 1 source [unknown-source]",
            "content/briefs/2024-04-01-bad.md:9:18: error: the event cites source 0, but the brief lists 1 source [unknown-source]",
            "content/briefs/2024-04-01-bad.md:9:21: error: `events[0].sources[2]` must be an http(s) URL, found `not a url` [invalid-url]",
        ],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("help: use `low`, `moderate` or `high`"),
        "{}",
        run.stdout
    );
}
