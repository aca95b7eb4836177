//! `dossier check`: every problem of a site in one run, with its file, line
//! and column, as text or JSON lines; `--strict`; nothing written.

mod common;

use common::{Site, brief, problem_lines};

/// A site with one of every kind of problem `check` knows, each planted at
/// a known line and column.
fn broken_site() -> Site {
    let site = Site::new();
    site.file("site.yaml", "title: Broken\n")
        .file("content/people/vladimir-putin.md", "---\nname: Vladimir Putin\n---\nPresident.\n")
        .file("content/people/kim-jong-un.md", "---\nname: Kim Jong Un\n---\n## Early life\n\nText.\n")
        .file("content/people/nobody-cares.md", "---\nname: Nobody Cares\n---\nNever referenced.\n")
        .file("content/topics/food.md", "---\ntitle: Food\n---\nA topic.\n")
        .file(
            "content/briefs/2023-09-10-food.md",
            &brief("title: Food\nactors: [Kim Jong Un]\ntopics: [food]", "About food."),
        )
        .file(
            "content/briefs/2023-09-12-kim.md",
            &brief(
                "title: Kim\nactors:\n  - Kim Jong Un\n  - Vladimir Puttin\nevents:\n  - date: 2032-10-01\n    title: Later\nsources:\n  - https://example.com/a\n  - https://example.com/a/",
                "Line one mentions [[Nobody Known]].\n\
                 Then [[food]] twice-named, [gone](missing.md) and [bio](../people/kim-jong-un.md#early-lfe).\n\
                 Also [bad](javascript:alert(1)) and [[Vladimir Putn]].",
            ),
        )
        .file("content/briefs/2023-09-13-lonely.md", &brief("title: Lonely\ntopics: [food]", "No actors here."))
        .file("content/briefs/2023-09-14-bad-yaml.md", "---\ntitle: Bad\nactors: [Kim Jong Un\n---\nBody.\n");
    site
}

const EXPECTED: &[&str] = &[
    "content/briefs/2023-09-12-kim.md:5:5: warning: no profile for `Vladimir Puttin`; made a stub person page [likely-typo]",
    "content/briefs/2023-09-12-kim.md:7:11: warning: the event `Later` is dated 2032-10-01, more than 2 years after the brief itself (2023-09-12) [event-after-brief]",
    "content/briefs/2023-09-12-kim.md:11:5: warning: `https://example.com/a/` is listed twice in `sources` (first as `sources[0]`) [duplicate-source]",
    "content/briefs/2023-09-12-kim.md:13:19: error: `[[Nobody Known]]` links to nothing: no entity or brief is called `Nobody Known` [unresolved-link]",
    "content/briefs/2023-09-12-kim.md:14:6: error: `[[food]]` matches more than one page: the topic `Food` (content/topics/food.md) and the brief `Food` (content/briefs/2023-09-10-food.md) [ambiguous-link]",
    "content/briefs/2023-09-12-kim.md:14:28: error: `missing.md` links to `content/briefs/missing.md`, which is not a content file [missing-link-target]",
    "content/briefs/2023-09-12-kim.md:14:51: error: `../people/kim-jong-un.md#early-lfe` points at `#early-lfe`, but the person `Kim Jong Un` (content/people/kim-jong-un.md) has no heading with that id [missing-anchor]",
    "content/briefs/2023-09-12-kim.md:15:6: warning: removed the link to `javascript:alert(1)`: only web, mail and relative URLs are kept [unsafe-url]",
    "content/briefs/2023-09-12-kim.md:15:37: error: `[[Vladimir Putn]]` links to nothing: no entity or brief is called `Vladimir Putn` [unresolved-link]",
    "content/briefs/2023-09-13-lonely.md:2:8: warning: the brief `Lonely` has no actors [no-actors]",
    "content/briefs/2023-09-14-bad-yaml.md:4:1: error: invalid YAML in the brief's front matter: did not find expected ',' or ']', while parsing a flow sequence [invalid-yaml]",
    "content/people/nobody-cares.md:2:7: warning: no brief refers to person `Nobody Cares` [unreferenced-profile]",
    // Named only as `Vladimir Puttin` and `[[Vladimir Putn]]`.
    "content/people/vladimir-putin.md:2:7: warning: no brief refers to person `Vladimir Putin` [unreferenced-profile]",
];

#[test]
fn check_reports_every_planted_problem_in_one_run_with_lines_and_columns() {
    let site = broken_site();
    let run = site.run(&["check"]);
    run.expect_code(1);
    assert_eq!(problem_lines(&run.stdout), EXPECTED, "{}", run.stdout);
    assert!(
        run.stdout
            .ends_with("6 errors, 7 warnings (17 pages checked)\n"),
        "{}",
        run.stdout
    );
    // Helps that name the fix.
    for help in [
        "help: did you mean `Vladimir Putin`? Correct the reference, or create `content/people/vladimir-puttin.md` if `Vladimir Puttin` is someone else",
        "help: put the folder in front to choose one: `[[topics/food]]` or `[[briefs/food]]`",
        "help: did you mean `[[Vladimir Putin]]`?",
        "help: did you mean `#early-life`?",
    ] {
        assert!(run.stdout.contains(help), "{help}\n{}", run.stdout);
    }
    assert!(!site.path().join("public").exists(), "check wrote the site");
}

#[test]
fn build_reports_the_same_problems_the_same_way() {
    let site = broken_site();
    let run = site.run(&["build"]);
    run.expect_code(1);
    assert_eq!(problem_lines(&run.stderr), EXPECTED, "{}", run.stderr);
    assert!(!site.path().join("public").exists());
}

#[test]
fn json_lines_carry_the_same_problems() {
    let site = broken_site();
    let run = site.run(&["check", "--format", "json"]);
    run.expect_code(1);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), EXPECTED.len());
    let rebuilt: Vec<String> = lines
        .iter()
        .map(|v| {
            format!(
                "{}:{}:{}: {}: {} [{}]",
                v["file"].as_str().unwrap(),
                v["line"],
                v["column"],
                v["severity"].as_str().unwrap(),
                v["message"].as_str().unwrap(),
                v["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(rebuilt, EXPECTED);
    assert_eq!(lines[0]["code"], "likely-typo");
    assert_eq!(lines[3]["code"], "unresolved-link");
    assert!(lines[3]["help"].is_string());
    // Keys in the documented order.
    let first = run.stdout.lines().next().unwrap();
    let positions: Vec<usize> = [
        "file", "line", "column", "severity", "code", "message", "help",
    ]
    .iter()
    .map(|k| first.find(&format!("\"{k}\":")).unwrap())
    .collect();
    assert!(positions.is_sorted(), "{first}");
}

#[test]
fn strict_fails_on_warnings() {
    let site = Site::new();
    site.file(
        "content/briefs/2023-09-12-a.md",
        &brief("title: A\nactors: [Someone New]", "Body."),
    );
    let run = site.run(&["check"]);
    run.expect_code(0);
    assert_eq!(problem_lines(&run.stdout).len(), 1);
    assert!(
        run.stdout.ends_with("1 warning (11 pages checked)\n"),
        "{}",
        run.stdout
    );
    let strict = site.run(&["check", "--strict"]);
    strict.expect_code(1);
    assert!(
        strict
            .stdout
            .ends_with("1 warning (11 pages checked); --strict counts warnings as failures\n"),
        "{}",
        strict.stdout
    );
}

#[test]
fn a_clean_site_checks_clean() {
    let site = Site::new();
    site.file("content/people/a.md", "---\nname: Ann Example\n---\nBio.\n")
        .file(
            "content/briefs/2023-09-12-a.md",
            &brief("title: A\nactors: [Ann Example]", "Ann Example spoke."),
        );
    let run = site.run(&["check", "--strict"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "no problems (11 pages checked)\n");
    let json = site.run(&["check", "--format", "json"]);
    json.expect_code(0);
    assert_eq!(json.stdout, "");
}

#[test]
fn events_scheduled_after_their_brief_are_not_warned_about() {
    let site = Site::new();
    site.file("content/people/a.md", "---\nname: Ann Example\n---\nBio.\n")
        .file(
            "content/briefs/2023-09-09-a.md",
            &brief(
                "title: A\nactors: [Ann Example]\nevents:\n  - date: 2023-09-09T10:30:00+05:30\n    title: Same day, later hour\n  - date: 2023-09-16\n    title: Ultimatum expires\n  - date: 2025-09\n    title: Treaty review\n  - date: 2025-09-09\n    title: Two years on",
                "Ann Example spoke.",
            ),
        );
    let run = site.run(&["check", "--strict"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "no problems (11 pages checked)\n");
    // One day more than two years: a likely slip of the year.
    site.file(
        "content/briefs/2023-09-09-a.md",
        &brief(
            "title: A\nactors: [Ann Example]\nevents:\n  - date: 2025-09-10\n    title: Too far",
            "Ann Example spoke.",
        ),
    );
    let run = site.run(&["check", "--strict"]);
    run.expect_code(1);
    assert!(
        run.stdout.starts_with("content/briefs/2023-09-09-a.md:5:11: warning: the event `Too far` is dated 2025-09-10, more than 2 years after the brief itself (2023-09-09)"),
        "{}",
        run.stdout
    );
}

#[test]
fn config_errors_exit_2() {
    let site = Site::new();
    site.file("site.yaml", "autolink: sometimes\n");
    let run = site.run(&["check"]);
    run.expect_code(2);
    assert!(
        run.stdout.contains("site.yaml:1:11: error:"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_refuses_an_output_folder_inside_the_site_as_build_does() {
    let site = Site::new();
    site.file("site.yaml", "output_dir: content/out\n")
        .file("content/people/a.md", "---\nname: Ann Example\n---\nBio.\n")
        .file(
            "content/briefs/2023-09-12-a.md",
            &brief("title: A\nactors: [Ann Example]", "Ann Example spoke."),
        );
    let run = site.run(&["check"]);
    run.expect_code(2);
    assert!(
        run.stdout.starts_with("error: the output folder `content/out` is inside the site's `content/` folder; building there would destroy the site's own files [output-inside-site]"),
        "{}",
        run.stdout
    );
    // A folder dossier did not make is `build`'s question: `--force` may
    // be meant for it.
    site.file("site.yaml", "output_dir: elsewhere\n")
        .file("elsewhere/notes.txt", "mine");
    let run = site.run(&["check"]);
    run.expect_code(0);
    let run = site.run(&["build"]);
    run.expect_code(2);
}
