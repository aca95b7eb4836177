//! Path safety on the build side: file names, slugs, ids, link targets,
//! `image:` paths and `static/` names that try to leave the output (`..`,
//! absolute and Windows paths, encoded dots, NUL, Unicode look-alikes)
//! never make dossier write outside it. Those it can make safe build, at a
//! safe URL; the others are errors at their line, and nothing is written.
//! (`serve` refusing such requests: tests/serve.rs.)

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Site, brief};

/// Every file under `dir`, outside `except`.
fn files_outside(dir: &Path, except: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.path().starts_with(except))
        .map(|e| e.path().display().to_string())
        .collect()
}

/// File names and link targets that look like escapes but are only names:
/// they build, and every page lands inside the output.
#[test]
fn names_that_look_like_escapes_build_inside_the_output() {
    let site = Site::new();
    let names = [
        "..%2f..%2fevil",
        "%2e%2e",
        "..\\..\\evil",
        "\u{2025}evil",
        "\u{FF0E}\u{FF0E}\u{FF0F}evil",
        "C:\\Windows\\evil",
        "evil..",
    ];
    for (i, name) in names.iter().enumerate() {
        site.file(
            &format!("content/briefs/2023-09-{:02}-{name}{i}.md", i + 1),
            &brief(
                &format!("title: Brief {i}\nactors: [Kim Jong Un]"),
                "Links: [up](../../../../tmp/evil), [abs](/etc/passwd), [win](C:\\evil), [enc](%2e%2e/%2e%2e/evil).\n",
            ),
        );
        if !name.contains(['\\', ':']) {
            site.file(
                &format!("static/{name}.txt"),
                "a static file with an odd name\n",
            );
        }
    }
    site.file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\n---\nLeader.\n",
    );
    let host = tempfile::tempdir().unwrap();
    let out = host.path().join("out");
    let before_site = files_outside(site.path(), &site.path().join("public"));
    let run = site.build(&["--output", out.to_str().unwrap()]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // Nothing outside the output, in the host folder or the site.
    assert_eq!(files_outside(host.path(), &out), BTreeSet::new());
    assert_eq!(
        files_outside(site.path(), &site.path().join("public")),
        before_site
    );
    // Every brief has a page, at a safe URL.
    let pages: Vec<String> = walkdir::WalkDir::new(out.join("briefs"))
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir() && e.file_name() != "page")
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages.len(), names.len(), "{pages:?}");
    for page in &pages {
        assert!(
            page.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{page}"
        );
    }
}

/// Slugs, `image:` paths and references that would lead out are errors at
/// their line, and a failed build writes nothing at all.
#[test]
fn escaping_slugs_and_images_are_errors_and_nothing_is_written() {
    let site = Site::new();
    let slugs = ["../../evil", "/etc/evil", "a/../../b", "..", "C:\\evil"];
    for (i, slug) in slugs.iter().enumerate() {
        site.file(
            &format!("content/briefs/2023-09-{:02}-b{i}.md", i + 1),
            &brief(
                &format!(
                    "title: B{i}\nslug: {}",
                    serde_json::to_string(slug).unwrap()
                ),
                "Text.\n",
            ),
        );
    }
    for (i, image) in [
        "../../etc/passwd",
        "/etc/passwd",
        "img/../../../x.jpg",
        "C:\\x.jpg",
        "https://evil.example/x.jpg",
    ]
    .iter()
    .enumerate()
    {
        site.file(
            &format!("content/people/p{i}.md"),
            &format!(
                "---\nname: Person {i}\nimage: {}\n---\n",
                serde_json::to_string(image).unwrap()
            ),
        );
    }
    let host = tempfile::tempdir().unwrap();
    let out = host.path().join("out");
    let run = site.run(&["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!out.exists(), "a failed build wrote its output");
    assert_eq!(files_outside(host.path(), &out), BTreeSet::new());
    let slug_errors = run.stderr.matches("[invalid-slug]").count();
    let image_errors = run.stderr.matches("[invalid-image]").count();
    assert_eq!(slug_errors, slugs.len(), "{}", run.stderr);
    // `/etc/passwd` is read as `static/etc/passwd`: inside the site, and
    // missing (a warning); the others are refused.
    assert_eq!(image_errors, 4, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("p1.md:3:8: warning: `image: etc/passwd` is not a file under `static/`"),
        "{}",
        run.stderr
    );
    // Each at its line: the `slug:` and `image:` lines are the third.
    let located = |l: &&str| l.contains("[invalid-slug]") || l.contains("[invalid-image]");
    for line in run.stderr.lines().filter(located) {
        assert!(line.contains(".md:3:"), "{line}");
    }
    // A NUL in a slug is dropped as any other character a URL cannot hold.
    let site = Site::new();
    site.file(
        "content/briefs/2023-09-12-a.md",
        &brief("title: A\nslug: \"evil\\u0000name\"", "Text.\n"),
    );
    let run = site.build(&[]);
    assert!(
        site.exists("briefs/evilname/index.html") || site.exists("briefs/evil-name/index.html"),
        "{}",
        run.stderr
    );
}

/// A static file whose name a host cannot serve (`\\`, `:`) is an error at
/// its path, and nothing is written.
#[test]
fn a_static_name_with_a_backslash_is_an_error() {
    let site = Site::new();
    site.file(
        "content/briefs/2023-09-12-a.md",
        &brief("title: A", "Text.\n"),
    );
    site.file("static/a\\..\\evil.txt", "x\n");
    site.file("static/C:evil.txt", "x\n");
    let host = tempfile::tempdir().unwrap();
    let out = host.path().join("out");
    let run = site.run(&["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "static/a\\..\\evil.txt: error: `static/a\\..\\evil.txt` has `\\` or `:` in its name"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("static/C:evil.txt: error:"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
    assert_eq!(files_outside(host.path(), &out), BTreeSet::new());
}
