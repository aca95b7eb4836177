//! What a long build shows: its phases and a progress bar on a terminal
//! (and nothing more with `--quiet` or without a terminal), and only the
//! first twenty warnings in full, then a count by kind, while `check`
//! lists every one.
//!
//! The terminal is a pseudo-terminal made by `script` (util-linux), and
//! `DOSSIER_PROGRESS_AFTER_MS=0` makes a small site show what a build of
//! more than two seconds would.

mod common;

use std::process::Command;

use common::{Site, brief};

/// The phases a build goes through, in order, as its progress lists them.
const PHASES: &[&str] = &[
    "load",
    "resolve",
    "templates",
    "markdown",
    "backlinks",
    "plan",
    "search",
    "data",
    "pages",
    "assets",
    "swap",
];

/// All a build of [`small_site`] prints on stderr.
const NO_BASE_URL: &str = "note: feeds and sitemap skipped: they need absolute URLs and the site has no `base_url`\n  help: set `base_url:` in site.yaml to the address the site will be published at, or pass --base-url URL\n";

fn small_site() -> Site {
    let site = Site::new();
    site.file(
        "content/briefs/2023-09-12-visit.md",
        &brief(
            "title: Visit\ndate: 2023-09-12\nactors: [Kim Jong Un, Vladimir Putin]",
            "They met.",
        ),
    );
    site.file(
        "content/people/kim-jong-un.md",
        &brief("name: Kim Jong Un", ""),
    );
    site.file(
        "content/people/vladimir-putin.md",
        &brief("name: Vladimir Putin", ""),
    );
    site
}

/// Runs `dossier ARGS` in the site folder with stdin, stdout and stderr on a
/// pseudo-terminal; returns everything the terminal received.
fn on_a_terminal(site: &Site, args: &str) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_dossier"));
    let out = Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .current_dir(site.path())
        .env("DOSSIER_PROGRESS_AFTER_MS", "0")
        .env_remove("DOSSIER_TIMINGS")
        .output()
        .expect("`script` (util-linux) runs; scripts/test installs it");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).replace('\r', "")
}

/// The phases the terminal output reports done (`  load   0.01 s`), in
/// order, once the terminal's control sequences are taken out.
fn phase_lines(terminal: &str) -> Vec<&str> {
    let mut text = String::new();
    let mut chars = terminal.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // `ESC [ … letter`
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
            text.push(' ');
        } else {
            text.push(c);
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut done = Vec::new();
    for window in words.windows(3) {
        if let Some(phase) = PHASES.iter().find(|p| **p == window[0])
            && window[1].parse::<f64>().is_ok()
            && window[2] == "s"
        {
            done.push(*phase);
        }
    }
    done
}

#[test]
fn a_long_build_on_a_terminal_lists_its_phases_then_clears_its_bar() {
    let site = small_site();
    let terminal = on_a_terminal(&site, "build");
    assert_eq!(phase_lines(&terminal), PHASES, "{terminal}");
    // The bar is cleared before the result is printed.
    let last = terminal.trim_end().rsplit('\n').next().unwrap();
    assert!(last.starts_with("Built 12 pages"), "{terminal:?}");
    assert!(!last.contains('\u{1b}'), "{terminal:?}");
}

#[test]
fn quiet_or_without_a_terminal_a_build_prints_only_its_result() {
    let site = small_site();
    let terminal = on_a_terminal(&site, "build --quiet");
    assert_eq!(phase_lines(&terminal), Vec::<&str>::new(), "{terminal}");
    assert!(!terminal.contains('\u{1b}'), "{terminal:?}");
    assert!(terminal.starts_with(NO_BASE_URL), "{terminal}");
    assert!(
        terminal[NO_BASE_URL.len()..].starts_with("Built 12 pages"),
        "{terminal}"
    );
    assert_eq!(terminal.trim().lines().count(), 3, "{terminal}");

    let piped = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .current_dir(site.path())
        .env("DOSSIER_PROGRESS_AFTER_MS", "0")
        .env_remove("DOSSIER_TIMINGS")
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(
        String::from_utf8_lossy(&piped.stderr),
        "note: feeds and sitemap skipped: they need absolute URLs and the site has no `base_url`\n  help: set `base_url:` in site.yaml to the address the site will be published at, or pass --base-url URL\n"
    );
}

/// A brief naming 30 people without profiles, and two profiles no brief
/// names: 32 warnings.
fn site_with_32_warnings() -> Site {
    let site = Site::new();
    let names: Vec<String> = (1..=30).map(|n| format!("Nobody Number {n:02}")).collect();
    site.file(
        "content/briefs/2023-09-12-crowd.md",
        &brief(
            &format!(
                "title: Crowd\ndate: 2023-09-12\nactors: [{}]",
                names.join(", ")
            ),
            "A crowd.",
        ),
    );
    site.file("content/people/unknown-a.md", &brief("name: Unknown A", ""));
    site.file("content/people/unknown-b.md", &brief("name: Unknown B", ""));
    site
}

#[test]
fn build_shows_twenty_warnings_and_counts_the_rest_by_kind() {
    let site = site_with_32_warnings();
    let run = site.build(&[]);
    let shown = run.warning_lines();
    assert_eq!(shown.len(), 20, "{}", run.stderr);
    assert!(
        shown[0].starts_with(
            "content/briefs/2023-09-12-crowd.md:4:10: warning: no profile for `Nobody Number 01`"
        ),
        "{}",
        shown[0]
    );
    assert!(shown[19].contains("`Nobody Number 20`"), "{}", shown[19]);
    assert!(
        run.stderr.contains("note: 12 more warnings not shown: 10 [stub], 2 [unreferenced-profile]\n  help: `dossier check` lists every problem\n"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.ends_with("(32 warnings)\n"), "{}", run.stdout);

    // `check` prints its problems on stdout.
    let check = site.run(&["check"]);
    check.expect_code(0);
    let listed = check
        .stdout
        .lines()
        .filter(|l| l.contains(": warning: "))
        .count();
    assert_eq!(listed, 32, "{}", check.stdout);
    assert!(!check.stdout.contains("not shown"), "{}", check.stdout);
}
