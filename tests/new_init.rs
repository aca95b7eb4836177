//! `dossier new` and `dossier init`: the files they write, that they never
//! overwrite, and that what they make builds.

mod common;

use std::fs;

use common::{Site, brief, run_in};

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let parent = tempfile::tempdir().unwrap();
    let run = run_in(parent.path(), &["init", "mysite"]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("Created a new site in mysite:\n"),
        "{}",
        run.stdout
    );
    let site = parent.path().join("mysite");
    for file in [
        "site.yaml",
        ".gitignore",
        "content/people/ada-example.md",
        "content/topics/getting-started.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let briefs: Vec<_> = fs::read_dir(site.join("content/briefs")).unwrap().collect();
    assert_eq!(briefs.len(), 1);
    assert_eq!(
        fs::read_to_string(site.join(".gitignore")).unwrap(),
        "/public/\n"
    );
    // Every site.yaml key is there, explained.
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    for key in [
        "title:",
        "# description:",
        "# base_url:",
        "# language:",
        "# output_dir:",
        "# autolink:",
        "# raw_html:",
        "# per_page:",
        "# feed_limit:",
        "# portable:",
        "# extra:",
        "# check_sources:",
    ] {
        assert!(yaml.contains(key), "{key} missing from\n{yaml}");
    }
    let check = run_in(&site, &["check", "--strict"]);
    check.expect_code(0);
    assert_eq!(check.stdout, "no problems (12 pages checked)\n");
    let build = run_in(&site, &["build"]);
    build.expect_code(0);
    // No warnings: only the note that a site without base_url has no feeds.
    assert_eq!(
        build.stderr,
        "note: feeds and sitemap skipped: they need absolute URLs and the site has no `base_url`\n  \
         help: set `base_url:` in site.yaml to the address the site will be published at, or pass --base-url URL\n"
    );
    let ada = common::Page::open(&site.join("public"), "people/ada-example/");
    assert_eq!(ada.texts(".brief-card-title"), ["Welcome to your briefing"]);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let parent = tempfile::tempdir().unwrap();
    fs::create_dir(parent.path().join("taken")).unwrap();
    fs::write(parent.path().join("taken/notes.txt"), "mine").unwrap();
    let run = run_in(parent.path(), &["init", "taken"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(
            "error: `taken` is not empty; dossier init only creates a site in a new or empty folder"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_dir(parent.path().join("taken")).unwrap().count(),
        1
    );
    // An empty folder is fine.
    fs::create_dir(parent.path().join("empty")).unwrap();
    run_in(parent.path(), &["init", "empty"]).expect_code(0);
}

#[test]
fn init_templates_copies_the_theme_and_still_builds() {
    let parent = tempfile::tempdir().unwrap();
    run_in(parent.path(), &["init", "themed", "--templates"]).expect_code(0);
    let site = parent.path().join("themed");
    for name in [
        "base.html",
        "brief.html",
        "components.html",
        "entity.html",
        "person.html",
        "404.html",
    ] {
        assert!(site.join("templates").join(name).is_file(), "{name}");
    }
    // A change to a copied template shows in the site.
    let base = site.join("templates/base.html");
    let text = fs::read_to_string(&base).unwrap();
    fs::write(
        &base,
        text.replace(r#"{{ t(key="built_with") }}"#, "Built with care."),
    )
    .unwrap();
    run_in(&site, &["build"]).expect_code(0);
    let home = fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("Built with care."));
}

#[test]
fn new_brief_is_dated_prefilled_and_builds() {
    let site = Site::new();
    let run = site.run(&[
        "new",
        "brief",
        "Kim: the \"arrival\"",
        "--date",
        "2023-09-12",
        "--actors",
        "Kim Jong Un, Vladimir Putin",
        "--topics",
        "Sanctions",
    ]);
    run.expect_code(0);
    assert_eq!(run.stdout, "content/briefs/2023-09-12-kim-the-arrival.md\n");
    let text = fs::read_to_string(
        site.path()
            .join("content/briefs/2023-09-12-kim-the-arrival.md"),
    )
    .unwrap();
    assert!(
        text.starts_with("---\ntitle: \"Kim: the \\\"arrival\\\"\"\ndate: 2023-09-12\n"),
        "{text}"
    );
    assert!(
        text.contains("actors:\n  - \"Kim Jong Un\"\n  - \"Vladimir Putin\"\n"),
        "{text}"
    );
    assert!(text.contains("topics:\n  - \"Sanctions\"\n"));
    assert!(text.contains("# events:"));
    assert!(text.contains("# sources:"));
    site.build(&[]);
    let page = site.page("briefs/kim-the-arrival/");
    assert_eq!(page.text("h1"), "Kim: the \u{201C}arrival\u{201D}");
    assert_eq!(page.texts(".actors a"), ["Kim Jong Un", "Vladimir Putin"]);
}

#[test]
fn new_brief_defaults_to_today() {
    let site = Site::new();
    let run = site.run(&["new", "brief", "Today"]);
    run.expect_code(0);
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(run.stdout, format!("content/briefs/{today}-today.md\n"));
    let text =
        fs::read_to_string(site.path().join(format!("content/briefs/{today}-today.md"))).unwrap();
    assert!(text.contains(&format!("date: {today}\n")));
}

#[test]
fn new_profiles_and_pages_go_to_their_folders() {
    let site = Site::new();
    for (kind, title, path, key) in [
        (
            "person",
            "Kim Jong Un",
            "content/people/kim-jong-un.md",
            "name: \"Kim Jong Un\"",
        ),
        (
            "organization",
            "KCNA",
            "content/organizations/kcna.md",
            "# type:",
        ),
        (
            "organisation",
            "UN Security Council",
            "content/organizations/un-security-council.md",
            "name:",
        ),
        (
            "topic",
            "Arms transfers",
            "content/topics/arms-transfers.md",
            "title: \"Arms transfers\"",
        ),
        (
            "place",
            "Vladivostok",
            "content/places/vladivostok.md",
            "# lat:",
        ),
        (
            "page",
            "About us",
            "content/pages/about-us.md",
            "title: \"About us\"",
        ),
    ] {
        let run = site.run(&["new", kind, title]);
        run.expect_code(0);
        assert_eq!(run.stdout, format!("{path}\n"));
        let text = fs::read_to_string(site.path().join(path)).unwrap();
        assert!(text.contains(key), "{kind}: {text}");
    }
    site.file("content/briefs/2023-09-12-a.md", &brief("title: A\nactors: [Kim Jong Un, KCNA, UN Security Council]\ntopics: [Arms transfers]\nplaces: [Vladivostok]", "Text."));
    site.build(&[]);
    assert_eq!(site.page("people/kim-jong-un/").text("h1"), "Kim Jong Un");
}

/// A new file with every commented hint in its front matter switched on.
fn with_hints_on(text: &str) -> String {
    let mut out = String::new();
    let mut fences = 0;
    for line in text.lines() {
        if line == "---" {
            fences += 1;
        }
        let indent = line.len() - line.trim_start().len();
        let hint = line.trim_start().strip_prefix("# ");
        match hint {
            Some(rest)
                if fences == 1
                    && !rest.starts_with("Already")
                    && !line.starts_with("#   content/") =>
            {
                out.push_str(&line[..indent]);
                out.push_str(rest);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn new_files_have_neutral_hints_that_are_valid_front_matter() {
    let site = Site::new();
    site.file("static/img/portrait.jpg", "x")
        .file("static/img/logo.png", "x")
        .file("static/img/topic.jpg", "x");
    let made = [
        ("brief", "A new brief"),
        ("person", "Jane Doe"),
        ("organization", "Example Ministry"),
        ("topic", "Other topic"),
        ("place", "Geneva"),
        ("page", "About us"),
    ];
    for (kind, title) in made {
        let run = site.run(&["new", kind, title, "--root", "."]);
        run.expect_code(0);
        let path = site.path().join(run.stdout.trim());
        let text = fs::read_to_string(&path).unwrap();
        for word in ["Korea", "Kim", "Putin", "김정은", "Vladivostok"] {
            assert!(!text.contains(word), "{kind} mentions {word}:\n{text}");
        }
        fs::write(&path, with_hints_on(&text)).unwrap();
    }
    // Every hint, switched on, is a key the format knows with a value it
    // accepts.
    let run = site.run(&["check"]);
    run.expect_code(0);
    let errors: Vec<&str> = (run.stdout.lines())
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors, Vec::<&str>::new(), "{}", run.stdout);
    let org = fs::read_to_string(
        site.path()
            .join("content/organizations/example-ministry.md"),
    )
    .unwrap();
    assert_eq!(
        org,
        "---\nname: \"Example Ministry\"\naliases: [Other spelling, Short name]   # also match these names\ntype: News agency\ncountry: Country name\nfounded: 1946\nimage: img/logo.png            # a file under static/\nlinks:\n  Website: https://example.org/\nsummary: \"One sentence. Without it, the first paragraph is the summary.\"\nautolink: false                # never link this name automatically\n---\n\n"
    );
}

#[test]
fn new_offers_both_spellings_of_organisation_and_refuses_reserved_pages() {
    let site = Site::new();
    let help = site.run(&["new", "--help"]);
    help.expect_code(0);
    assert!(help.stdout.contains("- organization"), "{}", help.stdout);
    assert!(help.stdout.contains("- organisation"), "{}", help.stdout);
    for title in ["Timeline", "search", "People"] {
        let run = site.run(&["new", "page", title]);
        run.expect_code(2);
        let slug = title.to_lowercase();
        assert_eq!(
            run.stderr,
            format!(
                "error: a page called `{title}` would be at `/{slug}/`, which the site uses itself [usage]\n  help: choose another title, e.g. `dossier new page \"About the timeline\"`\n"
            )
        );
        assert!(
            !site
                .path()
                .join(format!("content/pages/{slug}.md"))
                .exists()
        );
    }
}

#[test]
fn a_new_profile_for_a_stub_lists_the_briefs_that_name_it() {
    let site = Site::new();
    site.file("content/briefs/2023-09-12-a.md", &brief("title: A\nactors: [Sergei Shoigu]", "Text."))
        .file("content/briefs/2023-07-27-b.md", &brief("title: B\nactors: [X]\nevents:\n  - date: 2023-07\n    title: Visit\n    actors: [sergei shoigu]", "Text."))
        .file("content/briefs/2023-09-13-c.md", &brief("title: C\nactors: [Someone else]", "Text."));
    let run = site.run(&["new", "person", "Sergei Shoigu"]);
    run.expect_code(0);
    let text = fs::read_to_string(site.path().join("content/people/sergei-shoigu.md")).unwrap();
    assert!(
        text.starts_with("---\n# Already referenced by:\n#   content/briefs/2023-07-27-b.md\n#   content/briefs/2023-09-12-a.md\nname: \"Sergei Shoigu\"\n"),
        "{text}"
    );
}

#[test]
fn new_never_overwrites() {
    let site = Site::new();
    site.file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\n---\nMine.\n",
    );
    let run = site.run(&["new", "person", "Kim Jong Un"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "error: `content/people/kim-jong-un.md` already exists; dossier never overwrites a file [exists]\n  help: edit that file, or choose another title\n"
    );
    assert_eq!(
        fs::read_to_string(site.path().join("content/people/kim-jong-un.md")).unwrap(),
        "---\nname: Kim Jong Un\n---\nMine.\n"
    );
}

#[test]
fn new_reports_bad_input_with_exit_2() {
    let site = Site::new();
    let run = site.run(&["new", "brief", "Dated", "--date", "2023-09"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("error: --date needs a day, found `2023-09`"),
        "{}",
        run.stderr
    );
    let run = site.run(&["new", "brief", "!!!"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("has no letters or digits"),
        "{}",
        run.stderr
    );
    let run = site.run(&["new", "brief", "  "]);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("error: the title is empty [usage]\n"),
        "{}",
        run.stderr
    );
    let long = "The very long title of a brief that goes on and on about the summit ".repeat(5);
    let run = site.run(&["new", "person", &long]);
    run.expect_code(0);
    let written = run.stdout.trim();
    assert!(
        written.starts_with("content/people/the-very-long-title") && written.ends_with(".md"),
        "{written}"
    );
    let stem = std::path::Path::new(written)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(stem.len() <= 80 && !stem.ends_with('-'), "{stem}");
    assert!(site.path().join(written).is_file());
    let run = site.run(&["new", "person", "Kim", "--actors", "X"]);
    run.expect_code(2);
    let outside = tempfile::tempdir().unwrap();
    let run = run_in(outside.path(), &["new", "brief", "Nowhere"]);
    run.expect_code(2);
    assert!(run.stderr.contains("no `content` folder"), "{}", run.stderr);
}
