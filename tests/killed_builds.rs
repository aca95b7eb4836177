//! A build killed outright (SIGKILL: no clean-up can run) at several points
//! of its work never leaves a half-written site: the output is the previous
//! one byte for byte (or, killed after the swap, the complete new one), and
//! the next build succeeds and removes what the killed one left behind.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{Site, brief, build_leftovers, snapshot};

/// A site big enough that each phase takes a moment.
fn site() -> Site {
    let site = Site::new();
    for i in 0..1200 {
        let front = format!(
            "title: Brief number {i}\ndate: 2023-01-{:02}\nactors: [Person {}, Person {}]\nevents:\n  - date: 2023-01-{:02}\n    title: Event {i}",
            1 + i % 28,
            i % 40,
            i % 7,
            1 + i % 28
        );
        site.file(
            &format!("content/briefs/b{i}.md"),
            &brief(&front, "Some text about the talks with Person 3."),
        );
    }
    site
}

/// Starts a build and kills it with SIGKILL as soon as it reports that
/// `phase` is over (`DOSSIER_TIMINGS` prints a line per phase).
fn kill_after(site: &Site, phase: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .current_dir(site.path())
        .env("DOSSIER_TIMINGS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let marker = format!("timing: {phase} ");
    let mut seen = false;
    for line in stderr.lines() {
        if line.unwrap().starts_with(&marker) {
            seen = true;
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(seen, "the build never reported `{phase}`");
}

#[test]
fn a_build_killed_at_any_point_leaves_the_old_or_the_whole_new_site() {
    let site = site();
    site.build(&[]);
    let old = snapshot(&site.public());
    // What the next build should write, made aside.
    site.file(
        "content/briefs/b0.md",
        &brief(
            "title: Changed\ndate: 2023-01-01\nactors: [Person 1]",
            "New text.",
        ),
    );
    let aside = tempfile::tempdir().unwrap();
    let out = aside.path().join("new");
    site.build(&["--output", out.to_str().unwrap()]);
    let new = snapshot(&out);
    assert_ne!(old, new);

    // After loading, during resolve and markdown; during the search index;
    // during the pages (rendered and written in parallel); at the swap.
    for phase in ["load", "markdown", "search", "pages", "assets"] {
        kill_after(&site, phase);
        let now = snapshot(&site.public());
        assert!(
            now == old || now == new,
            "killed after `{phase}`: the output is neither the old site nor the new one"
        );
        // The next build succeeds, removes the leftovers, and writes the new
        // site; then the old content comes back for the next round.
        site.build(&[]);
        assert_eq!(
            build_leftovers(&site),
            Vec::<String>::new(),
            "after `{phase}`"
        );
        assert!(
            snapshot(&site.public()) == new,
            "the build after the kill at `{phase}`"
        );
        site.file("content/briefs/b0.md", &brief(
            "title: Brief number 0\ndate: 2023-01-01\nactors: [Person 0, Person 0]\nevents:\n  - date: 2023-01-01\n    title: Event 0",
            "Some text about the talks with Person 3.",
        ));
        site.build(&[]);
        assert!(
            snapshot(&site.public()) == old,
            "rebuilding the old content after `{phase}`"
        );
        site.file(
            "content/briefs/b0.md",
            &brief(
                "title: Changed\ndate: 2023-01-01\nactors: [Person 1]",
                "New text.",
            ),
        );
    }
}
