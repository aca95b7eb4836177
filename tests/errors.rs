//! Broken sites: every problem is reported with its file, line and column,
//! the exit code says what kind of problem it was, and the previous output is
//! left exactly as it was, with no temporary folder behind.

mod common;

use common::{Run, Site, brief, snapshot};

/// A site that builds, built once so there is an output to protect.
fn good_site() -> Site {
    let site = Site::new();
    site.file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\naliases: [Kim]\n---\nLeader.\n",
    )
    .file(
        "content/people/vladimir-putin.md",
        "---\nname: Vladimir Putin\n---\nPresident.\n",
    )
    .file(
        "content/briefs/2023-09-12-summit.md",
        &brief(
            "title: Summit\nactors: [Kim Jong Un, Vladimir Putin]",
            "Text.",
        ),
    );
    site.build(&[]);
    site
}

/// Breaks a good site with `files`, builds, and checks the exit code, that
/// the old output is untouched and that no temporary folder is left.
fn build_broken(files: &[(&str, &str)], code: i32) -> Run {
    let site = good_site();
    let before = snapshot(&site.public());
    for (path, text) in files {
        site.file(path, text);
    }
    let run = site.run(&["build"]);
    run.expect_code(code);
    assert!(
        before == snapshot(&site.public()),
        "the previous output changed\n{}",
        run.stderr
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dossier"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    assert!(
        run.stderr
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("error: build failed with "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`public` was left as it was")
            || run.stderr.contains("nothing was written"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{}",
        run.stderr
    );
    run
}

/// The first line of the report, which names the file and position.
/// The first error reported (warnings such as "no actors" may come first).
fn first_line(run: &Run) -> &str {
    run.stderr
        .lines()
        .find(|l| l.contains("error"))
        .unwrap_or_else(|| panic!("no error in\n{}", run.stderr))
}

#[test]
fn yaml_syntax_error() {
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-bad.md",
            "---\ntitle: Bad\nactors: [Kim\n---\nText.\n",
        )],
        1,
    );
    assert!(
        first_line(&run).starts_with(
            "content/briefs/2023-09-13-bad.md:4:1: error: invalid YAML in the brief's front matter:"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: check the indentation and quoting")
    );
}

#[test]
fn unknown_key_with_suggestion() {
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-bad.md",
            "---\ntitle: Bad\nactor: [Kim]\n---\nText.\n",
        )],
        1,
    );
    assert_eq!(
        run.stderr,
        "content/briefs/2023-09-13-bad.md:3:1: error: unknown key `actor` in the brief's front matter [unknown-key]\n  help: did you mean `actors`?\nerror: build failed with 1 error; `public` was left as it was\n"
    );
}

#[test]
fn impossible_date() {
    let run = build_broken(
        &[(
            "content/briefs/bad.md",
            "---\ntitle: Bad\ndate: 2023-02-30\n---\nText.\n",
        )],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/briefs/bad.md:3:7: error: invalid date in `date` [invalid-date]"
    );
    assert!(
        run.stderr.contains(
            "help: `2023-02-30` is not a day of the calendar; check the month and the day"
        )
    );
}

#[test]
fn missing_title() {
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-bad.md",
            "---\nactors: [Kim]\n---\nText.\n",
        )],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/briefs/2023-09-13-bad.md:2:1: error: missing required key `title` in the brief's front matter [missing-key]"
    );
}

#[test]
fn ambiguous_reference_lists_both() {
    let run = build_broken(
        &[
            (
                "content/people/kim-yo-jong.md",
                "---\nname: Kim Yo Jong\naliases: [Kim]\n---\nSister.\n",
            ),
            (
                "content/briefs/2023-09-13-bad.md",
                "---\ntitle: Bad\nactors:\n  - Kim\n---\nText.\n",
            ),
        ],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/briefs/2023-09-13-bad.md:4:5: error: `Kim` matches more than one entity: person `Kim Jong Un` (content/people/kim-jong-un.md) and person `Kim Yo Jong` (content/people/kim-yo-jong.md) [ambiguous-reference]"
    );
    assert!(
        run.stderr
            .contains("help: write the id of the one you mean: `kim-jong-un` or `kim-yo-jong`")
    );
}

#[test]
fn file_that_is_not_utf8() {
    let site = good_site();
    let before = snapshot(&site.public());
    site.bytes(
        "content/briefs/2023-09-13-bad.md",
        b"---\ntitle: Caf\xe9\n---\n",
    );
    let run = site.run(&["build"]);
    run.expect_code(1);
    assert_eq!(
        first_line(&run),
        "content/briefs/2023-09-13-bad.md:2:11: error: the file is not valid UTF-8 text [not-utf8]"
    );
    assert!(before == snapshot(&site.public()));
}

#[test]
fn duplicate_slug() {
    let run = build_broken(
        &[(
            "content/briefs/2023-09-14-summit.md",
            &brief("title: Another summit", "Text."),
        )],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/briefs/2023-09-14-summit.md:1:1: error: this brief has the same slug `summit` as content/briefs/2023-09-12-summit.md [duplicate]"
    );
}

#[test]
fn duplicate_explicit_slug_points_at_the_slug() {
    let run = build_broken(
        &[(
            "content/briefs/other.md",
            &brief("title: Other\ndate: 2023-09-14\nslug: summit", "Text."),
        )],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/briefs/other.md:4:7: error: this brief has the same slug `summit` as content/briefs/2023-09-12-summit.md [duplicate]"
    );
}

#[test]
fn duplicate_profile_id() {
    let run = build_broken(
        &[(
            "content/people/old/kim-jong-un.md",
            "---\nname: Kim J. Un\n---\n",
        )],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/people/old/kim-jong-un.md:1:1: error: this person has the same id `kim-jong-un` as content/people/kim-jong-un.md [duplicate]"
    );
}

#[test]
fn unknown_content_folder() {
    let run = build_broken(
        &[("content/brief/2023-09-13-x.md", &brief("title: X", "Text."))],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/brief: error: unknown content folder `content/brief` [unknown-folder]"
    );
    assert!(run.stderr.contains("help: did you mean `content/briefs`?"));
    let run = build_broken(&[("content/person/x.md", "---\nname: X\n---\n")], 1);
    assert!(
        run.stderr.contains("help: did you mean `content/people`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_syntax_error() {
    let run = build_broken(
        &[(
            "templates/brief.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ brief.title </h1>\n{% endblock content %}\n",
        )],
        1,
    );
    assert!(
        first_line(&run).starts_with("templates/brief.html:3:"),
        "{}",
        run.stderr
    );
    assert!(
        first_line(&run).contains("error: in template `brief.html`"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_functions_filters_and_includes_in_templates_are_each_located() {
    let run = build_broken(
        &[
            (
                "templates/brief.html",
                "{% extends \"base.html\" %}\n{% block content %}\n<a href=\"{{ get_url(path='x') }}\">{{ brief.title | shout }}</a>\n{% endblock content %}\n",
            ),
            (
                "templates/person.html",
                "{% extends \"base.html\" %}\n{% block content %}\n{% include \"nope.html\" %}\n{% endblock content %}\n",
            ),
        ],
        1,
    );
    let errors = run.error_lines();
    assert_eq!(
        errors,
        [
            "templates/brief.html:3:13: error: in template `brief.html`: Unknown function `get_url` [template-reference]",
            "templates/brief.html:3:52: error: in template `brief.html`: Unknown filter `shout` [template-reference]",
            "templates/person.html:3:12: error: in template `person.html`: Unknown template `nope.html` [template-reference]",
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: see docs/templates.md for the templates, filters and functions"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_rendering_error() {
    let run = build_broken(
        &[(
            "templates/person.html",
            "{% extends \"base.html\" %}\n{% block content %}\n\n<h1>{{ entity.nmae }}</h1>\n{% endblock content %}\n",
        )],
        1,
    );
    assert!(
        first_line(&run).starts_with("templates/person.html:4:"),
        "{}",
        run.stderr
    );
    // Two people use the template; the problem is reported once.
    assert_eq!(
        run.stderr.matches("templates/person.html:4:").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn static_file_colliding_with_a_page() {
    let run = build_broken(&[("static/briefs/index.html", "<p>mine</p>")], 1);
    assert_eq!(
        first_line(&run),
        "static/briefs/index.html: error: `static/briefs/index.html` would replace the generated page `/briefs/index.html` [static-collision]"
    );
}

#[test]
fn page_slug_taken_by_the_site() {
    let run = build_broken(
        &[(
            "content/pages/list.md",
            "---\ntitle: List\nslug: briefs\n---\n",
        )],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/pages/list.md:3:7: error: the page's slug `briefs` is already used by the site's own `/briefs/` [reserved-slug]"
    );
}

#[test]
fn source_url_must_be_http() {
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-bad.md",
            "---\ntitle: Bad\nsources:\n  - url: javascript:alert(1)\n---\n",
        )],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/briefs/2023-09-13-bad.md:4:10: error: `sources[0].url` must be an http(s) URL, found `javascript:alert(1)` [invalid-url]"
    );
}

#[test]
fn missing_front_matter() {
    let run = build_broken(
        &[("content/briefs/2023-09-13-bad.md", "# Just a heading\n")],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/briefs/2023-09-13-bad.md:1:1: error: the file does not start with front matter [no-front-matter]"
    );
}

#[test]
fn unclosed_front_matter() {
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-bad.md",
            "---\ntitle: Bad\n\nText.\n",
        )],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/briefs/2023-09-13-bad.md:1:1: error: the front matter is not closed [unclosed-front-matter]"
    );
}

#[test]
fn partial_date_on_a_brief() {
    let run = build_broken(
        &[(
            "content/briefs/bad.md",
            "---\ntitle: Bad\ndate: 2023-09\n---\n",
        )],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/briefs/bad.md:3:7: error: `date` of a brief needs a day, found `2023-09` [partial-date]"
    );
}

#[test]
fn wrong_type() {
    let run = build_broken(
        &[("content/places/x.md", "---\nname: X\nlat: north\n---\n")],
        1,
    );
    assert_eq!(
        first_line(&run),
        "content/places/x.md:3:6: error: `lat` should be a number, found the text \"north\" [invalid-type]"
    );
}

#[test]
fn unknown_key_in_site_yaml_is_a_config_error() {
    let run = build_broken(&[("site.yaml", "title: X\nper_pgae: 10\n")], 2);
    assert_eq!(
        run.stderr,
        "site.yaml:2:1: error: unknown key `per_pgae` in site.yaml [unknown-key]\n  help: did you mean `per_page`?\nerror: build failed with 1 error; `public` was left as it was\n"
    );
}

#[test]
fn bad_value_in_site_yaml() {
    let run = build_broken(&[("site.yaml", "autolink: sometimes\n")], 2);
    assert_eq!(
        first_line(&run),
        "site.yaml:1:11: error: `autolink` cannot be `sometimes` [invalid-value]"
    );
    assert!(run.stderr.contains("help: use `first`, `all` or `none`"));
}

#[test]
fn every_problem_in_every_file_at_once() {
    let run = build_broken(
        &[
            (
                "content/briefs/2023-09-13-a.md",
                "---\ntitle: A\nactor: x\ntopic: y\n---\n",
            ),
            (
                "content/briefs/2023-09-14-b.md",
                "---\ntitle: B\nevents:\n  - date: someday\n    title: E\nsources: [ftp://x]\n---\n",
            ),
            (
                "content/people/c.md",
                "---\nname: C\nborn: yesterday\n---\n",
            ),
        ],
        1,
    );
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("  help:"))
        .collect();
    assert_eq!(
        lines,
        [
            "content/briefs/2023-09-13-a.md:3:1: error: unknown key `actor` in the brief's front matter [unknown-key]",
            "content/briefs/2023-09-13-a.md:4:1: error: unknown key `topic` in the brief's front matter [unknown-key]",
            "content/briefs/2023-09-14-b.md:4:11: error: invalid date in `events[0].date` [invalid-date]",
            "content/briefs/2023-09-14-b.md:6:11: error: `sources[0]` must be an http(s) URL, found `ftp://x` [invalid-url]",
            "content/people/c.md:3:7: error: invalid date in `born` [invalid-date]",
            "error: build failed with 5 errors; `public` was left as it was",
        ]
    );
}

/// The problem lines of a run, without help lines.
fn problem_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| !l.starts_with("  "))
        .collect()
}

#[test]
fn every_bad_value_in_site_yaml_is_reported_at_once() {
    let run = build_broken(&[("site.yaml", "per_page: 0\nraw_html: nah\n")], 2);
    assert_eq!(
        problem_lines(&run),
        [
            "site.yaml:1:11: error: `per_page` must be at least 1 [invalid-value]",
            "site.yaml:2:11: error: `raw_html` cannot be `nah` [invalid-value]",
            "error: build failed with 2 errors; `public` was left as it was",
        ]
    );
    // Four bad values and an unknown key: none hides another.
    let run = build_broken(
        &[(
            "site.yaml",
            "autolink: sometimes\nportable: sure\nfeed_limit: -3\ntitel: Watch\nbase_url: example.org\ntitle: ''\n",
        )],
        2,
    );
    assert_eq!(
        problem_lines(&run),
        [
            "site.yaml:1:11: error: `autolink` cannot be `sometimes` [invalid-value]",
            "site.yaml:2:11: error: `portable` should be `true` or `false`, found the text \"sure\" [invalid-type]",
            "site.yaml:3:13: error: `feed_limit` should be a whole number, found the number `-3` [invalid-type]",
            "site.yaml:4:1: error: unknown key `titel` in site.yaml [unknown-key]",
            "site.yaml:5:11: error: `base_url` must be an absolute http(s) URL, found `example.org` [invalid-base-url]",
            "site.yaml:6:8: error: `title` is empty [empty-value]",
            "error: build failed with 6 errors; `public` was left as it was",
        ]
    );
}

#[test]
fn problems_in_site_yaml_and_in_content_are_reported_together() {
    let run = build_broken(
        &[
            ("site.yaml", "per_page: 0\n"),
            (
                "content/briefs/2023-09-13-new.md",
                &brief(
                    "title: New\nactors: [Kim Jong Un]\nupdated: 2023-02-30",
                    "Text.",
                ),
            ),
        ],
        2,
    );
    assert_eq!(
        problem_lines(&run),
        [
            "content/briefs/2023-09-13-new.md:4:10: error: invalid date in `updated` [invalid-date]",
            "site.yaml:1:11: error: `per_page` must be at least 1 [invalid-value]",
            "error: build failed with 2 errors; `public` was left as it was",
        ]
    );
}

#[test]
fn every_bad_value_in_a_brief_is_reported_at_once() {
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-new.md",
            &brief(
                "title: New\nactors: [Kim Jong Un]\ndraft: yes\nupdated: 2023-13-01\nslug: a/b",
                "Text.",
            ),
        )],
        1,
    );
    assert_eq!(
        problem_lines(&run),
        [
            "content/briefs/2023-09-13-new.md:4:8: error: `draft` should be `true` or `false`, found the text \"yes\" [invalid-type]",
            "content/briefs/2023-09-13-new.md:5:10: error: invalid date in `updated` [invalid-date]",
            "content/briefs/2023-09-13-new.md:6:7: error: `slug` must be a single URL segment of letters, digits and `-`, found `a/b` [invalid-slug]",
            "error: build failed with 3 errors; `public` was left as it was",
        ]
    );
    // A wrong type in one event does not hide the next event's problem,
    // and a misspelt required key is one problem, not also a missing one.
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-new.md",
            &brief(
                "titel: New\nactors: [Kim Jong Un]\nevents:\n  - date: [2023]\n    title: A\n  - date: 2023-13\n    title: B\n  - date: 2023\n    titel: C",
                "Text.",
            ),
        )],
        1,
    );
    assert_eq!(
        problem_lines(&run),
        [
            "content/briefs/2023-09-13-new.md:2:1: error: unknown key `titel` in the brief's front matter [unknown-key]",
            "content/briefs/2023-09-13-new.md:5:11: error: `events[0].date` should be a string, found a list [invalid-type]",
            "content/briefs/2023-09-13-new.md:7:11: error: invalid date in `events[1].date` [invalid-date]",
            "content/briefs/2023-09-13-new.md:10:5: error: unknown key `titel` in `events[2]` [unknown-key]",
            "error: build failed with 4 errors; `public` was left as it was",
        ]
    );
}

#[test]
fn a_refused_output_and_a_content_error_are_reported_together() {
    let site = good_site();
    site.file("precious/thesis.txt", "years of work");
    site.file(
        "content/briefs/2023-09-13-new.md",
        &brief(
            "title: New\nactors: [Kim Jong Un]\nupdated: 2023-02-30",
            "Text.",
        ),
    );
    let run = site.run(&["build", "--output", "precious"]);
    run.expect_code(2);
    assert_eq!(
        problem_lines(&run),
        [
            "error: the output folder `precious` already exists and was not made by dossier; refusing to replace it [output-not-ours]",
            "content/briefs/2023-09-13-new.md:4:10: error: invalid date in `updated` [invalid-date]",
            "error: build failed with 2 errors; `precious` was left as it was",
        ]
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("precious/thesis.txt")).unwrap(),
        "years of work"
    );
}

#[test]
fn problems_inside_a_single_event_map_are_located_exactly() {
    // `events:` may hold one mapping instead of a list of them.
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-new.md",
            "---\ntitle: New\nactors: [Kim Jong Un]\nevents:\n  title: Talks\n  place: Vostochny\n  date: 2023-13\n---\nText.\n",
        )],
        1,
    );
    assert_eq!(
        problem_lines(&run),
        [
            "content/briefs/2023-09-13-new.md:7:9: error: invalid date in `events[0].date` [invalid-date]",
            "error: build failed with 1 error; `public` was left as it was",
        ]
    );
    let site = good_site();
    site.file(
        "content/briefs/2023-09-13-new.md",
        "---\ntitle: New\nactors: [Kim Jong Un]\nevents:\n  title: Talks\n  date: 2023-09\n  place: Vostochny\n  actors: Bob Jones\n  topics: trade\n---\nText.\n",
    );
    let run = site.build(&[]);
    assert_eq!(
        run.warning_lines(),
        [
            "content/briefs/2023-09-13-new.md:7:10: warning: no profile for `Vostochny`; made a stub place page [stub]",
            "content/briefs/2023-09-13-new.md:8:11: warning: no profile for `Bob Jones`; made a stub person page [stub]",
            "content/briefs/2023-09-13-new.md:9:11: warning: no profile for `Trade`; made a stub topic page [stub]",
        ]
    );
}

#[test]
fn a_brief_that_fails_to_load_is_one_problem() {
    let site = good_site();
    site.file(
        "content/people/sergei-shoigu.md",
        "---\nname: Sergei Shoigu\n---\nMinister.\n",
    )
    .file(
        "content/people/pavel-fradkov.md",
        "---\nname: Pavel Fradkov\n---\nEditor.\n",
    )
    .file(
        "content/briefs/2023-07-27-shoigu.md",
        &brief(
            "title: Shoigu visits Pyongyang\ndate: 2023-07-32\nactors: [Sergei Shoigu]",
            "Shown around by [[Pavel Fradkov]].",
        ),
    )
    .file(
        "content/briefs/2023-09-13-later.md",
        &brief(
            "title: Later\nactors: [Kim Jong Un]",
            "As in [[Shoigu visits Pyongyang]] and [[shoigu visits pyongyang|July]].",
        ),
    );
    let run = site.run(&["build"]);
    run.expect_code(1);
    assert_eq!(
        problem_lines(&run),
        [
            "content/briefs/2023-07-27-shoigu.md:3:7: error: invalid date in `date` [invalid-date]",
            "error: build failed with 1 error; `public` was left as it was",
        ]
    );
}

#[test]
fn no_content_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = common::run_in(dir.path(), &["build"]);
    run.expect_code(2);
    assert!(
        run.stderr.starts_with(
            "error: no `content` folder in `.`, so it is not a dossier site [no-site]\n  help: "
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let site = good_site();
    site.file("precious/thesis.txt", "years of work");
    let run = site.run(&["build", "--output", "precious"]);
    run.expect_code(2);
    assert!(run.stderr.starts_with("error: the output folder `precious` already exists and was not made by dossier; refusing to replace it [output-not-ours]\n"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(site.path().join("precious/thesis.txt")).unwrap(),
        "years of work"
    );
    // --force replaces it.
    site.run(&["build", "--output", "precious", "--force"])
        .expect_code(0);
    assert!(!site.path().join("precious/thesis.txt").exists());
    assert!(site.path().join("precious/index.html").exists());
}

#[test]
fn refuses_to_build_over_the_site_itself() {
    let site = good_site();
    for output in [".", "content", "content/briefs", "static/x", ".."] {
        let run = site.run(&["build", "--output", output, "--force"]);
        run.expect_code(2);
        assert!(
            run.stderr
                .contains("building there would destroy the site's own files"),
            "{output}: {}",
            run.stderr
        );
    }
    assert!(
        site.path()
            .join("content/briefs/2023-09-12-summit.md")
            .is_file()
    );
}

#[test]
fn bad_base_url_flag() {
    let site = good_site();
    let run = site.run(&["build", "--base-url", "example.org"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("error: --base-url must be an absolute http(s) URL, found `example.org`"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = good_site();
    site.run(&["build", "--frobnicate"]).expect_code(2);
}

#[test]
fn warnings_do_not_fail_the_build() {
    let site = good_site();
    site.file(
        "content/briefs/2023-09-13-new.md",
        &brief("title: New\nactors: [Nobody Known]", "Text."),
    );
    let run = site.build(&[]);
    assert!(
        run.stderr.starts_with(
            "content/briefs/2023-09-13-new.md:3:10: warning: no profile for `Nobody Known`"
        ),
        "{}",
        run.stderr
    );
    assert!(site.exists("people/nobody-known/index.html"));
}

#[test]
fn a_broken_profile_is_one_error_not_also_a_missing_profile() {
    let run = build_broken(
        &[
            (
                "content/people/sergei-shoigu.md",
                "---\nname: Sergei Shoigu\nrole: \"Defence minister\n---\nBio.\n",
            ),
            (
                "content/briefs/2023-07-27-shoigu.md",
                &brief("title: Shoigu visits\nactors: [Sergei Shoigu]", "Text."),
            ),
        ],
        1,
    );
    let problems: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .filter(|l| l.contains("shoigu"))
        .collect();
    assert_eq!(problems.len(), 1, "{}", run.stderr);
    assert!(
        problems[0].starts_with("content/people/sergei-shoigu.md:"),
        "{}",
        run.stderr
    );
}

#[test]
fn links_to_a_broken_file_are_not_reported_again() {
    let run = build_broken(
        &[
            (
                "content/briefs/2023-09-10-food.md",
                "---\ntitle: Food shortages\nsummary: \"unclosed\n---\nText.\n",
            ),
            (
                "content/briefs/2023-09-13-later.md",
                &brief(
                    "title: Later",
                    "See [the food brief](2023-09-10-food.md), [[briefs/food]] and [[Food]].",
                ),
            ),
        ],
        1,
    );
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("content/briefs/2023-09-10-food.md:4:1: error: invalid YAML"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("build failed with 1 error"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_key_given_twice_is_shown_at_its_second_line() {
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-bad.md",
            "---\ntitle: Bad\ndate: 2023-09-13\ntitle: Worse\n---\nText.\n",
        )],
        1,
    );
    assert_eq!(
        run.stderr,
        "content/briefs/2023-09-13-bad.md:4:1: error: `title` is given twice in the brief's front matter [duplicate-key]\n  help: keep one of the two `title:` lines (the other is on line 2)\nerror: build failed with 1 error; `public` was left as it was\n"
    );
}

#[test]
fn invisible_control_characters_are_shown_where_they_are() {
    let run = build_broken(
        &[(
            "content/briefs/2023-09-13-bad.md",
            "---\ntitle: Copied\u{0008} from a PDF\n---\nText.\n",
        )],
        1,
    );
    assert_eq!(
        run.stderr,
        "content/briefs/2023-09-13-bad.md:2:14: error: invisible control character U+0008 in the brief's front matter [control-character]\n  help: delete it: YAML does not allow control characters (they often come with text copied from a PDF or a word processor)\nerror: build failed with 1 error; `public` was left as it was\n"
    );
}

#[cfg(unix)]
#[test]
fn broken_and_escaping_symbolic_links_are_skipped_with_a_warning() {
    let site = good_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\nname: Secret\n---\nHidden.\n",
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    let link = |target: &std::path::Path, at: &str| {
        std::os::unix::fs::symlink(target, site.path().join(at)).unwrap();
    };
    link(
        std::path::Path::new("../../nothere.md"),
        "content/people/gone.md",
    );
    link(
        &outside.path().join("secret.md"),
        "content/people/secret.md",
    );
    link(std::path::Path::new("nothere.css"), "static/gone.css");
    let run = site.build(&[]);
    assert_eq!(
        run.warning_lines(),
        [
            "content/people/gone.md: warning: broken symbolic link is ignored [broken-link]"
                .to_string(),
            format!(
                "content/people/secret.md: warning: symbolic link to `{}`, outside the site, is not followed [link-outside]",
                outside
                    .path()
                    .join("secret.md")
                    .canonicalize()
                    .unwrap()
                    .display()
            ),
            "static/gone.css: warning: broken symbolic link is ignored [broken-link]".to_string(),
        ]
    );
    assert!(!site.exists("people/secret/index.html"));
    assert!(!site.exists("gone.css"));
}

#[test]
fn a_static_file_may_not_replace_the_search_index() {
    for name in ["search/index.js", "search/t0.js", "search/d0.js"] {
        let run = build_broken(&[(&format!("static/{name}"), "x")], 1);
        assert_eq!(
            problem_lines(&run)[0],
            format!(
                "static/{name}: error: `static/{name}` would replace the generated file of the search index `/{name}` [static-collision]"
            )
        );
    }
    // Other files in that folder are the site's own business.
    let site = good_site();
    site.file("static/search/help.txt", "How to search.");
    site.build(&[]);
    assert!(site.exists("search/help.txt"));
}
