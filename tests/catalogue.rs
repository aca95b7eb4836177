//! The catalogue of broken sites: every folder of `tests/fixtures/invalid/`
//! is a minimal site with one kind of mistake (its `README` says which), and
//! `expected.txt` beside it is exactly what `dossier check` prints for it,
//! its exit code first. The test copies each site to a temporary folder,
//! runs `check` there and compares; a difference fails with the case's
//! name and both texts. No case may panic or leave its run without a
//! located message.
//!
//! When a message is changed on purpose, rewrite the expected files with
//! `DOSSIER_BLESS=1 cargo test --test catalogue` and review the diff.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::run_in;

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid")
}

/// Copies the case's site (everything but its README and expected output)
/// into `to`.
fn copy_site(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(from).unwrap();
        if relative == Path::new("README") || relative == Path::new("expected.txt") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_symlink() {
            // Links are part of some cases: copied as links.
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What `dossier check` prints for the case, as `expected.txt` holds it;
/// and, when the check fails, that `dossier build` fails too and leaves
/// the previous output exactly as it was.
fn check_output(case: &Path) -> String {
    let site = tempfile::tempdir().unwrap();
    copy_site(case, site.path());
    let run = run_in(site.path(), &["check"]);
    if run.code != 0 {
        let output = site.path().join("previous");
        fs::create_dir_all(&output).unwrap();
        fs::write(output.join("index.html"), "the site as it was\n").unwrap();
        let before = common::snapshot(&output);
        let build = run_in(site.path(), &["build", "--output", "previous", "--force"]);
        let name = case.file_name().unwrap().to_string_lossy();
        assert_ne!(build.code, 0, "{name}: build succeeds where check fails");
        assert!(!build.stderr.contains("panicked"), "{name}: build panicked");
        assert!(
            common::snapshot(&output) == before,
            "{name}: the previous output changed"
        );
    }
    let shown = site.path().display().to_string();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        run.code,
        run.stdout.replace(&shown, "<site>"),
        run.stderr.replace(&shown, "<site>")
    )
}

#[test]
fn every_broken_site_gets_exactly_its_expected_report() {
    let bless = std::env::var_os("DOSSIER_BLESS").is_some();
    let mut cases: Vec<PathBuf> = fs::read_dir(catalogue())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 38, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            case.join("README").is_file(),
            "{name} has no README saying what it breaks"
        );
        let actual = check_output(case);
        assert!(!actual.contains("panicked"), "{name} panicked:\n{actual}");
        // Errors fail the check (1, or 2 for set-up problems); a case of
        // warnings only passes it, but must still be reported.
        assert!(
            ["exit: 0\n", "exit: 1\n", "exit: 2\n"]
                .iter()
                .any(|c| actual.starts_with(c)),
            "{name}: an unexpected exit code:\n{actual}"
        );
        assert!(
            actual.contains(": error: ") || actual.contains(": warning: "),
            "{name} reports nothing:\n{actual}"
        );
        let expected_file = case.join("expected.txt");
        if bless {
            fs::write(&expected_file, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_file).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ (DOSSIER_BLESS=1 rewrites them after a deliberate change):\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
