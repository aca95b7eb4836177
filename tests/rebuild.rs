//! Rebuilding into an existing output: a build brings the previous output
//! (kept beside the output as `.public.dossier-previous`) up to date instead
//! of writing every file anew. Whatever the two sites were, the result must
//! be exactly what a build into an empty folder gives.

mod common;

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use common::{Site, brief, snapshot};

/// Every entry under `dir` (folders too, so an empty folder left behind
/// shows), with the bytes of the files.
fn tree(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect()
}

/// The site as a build into a new folder makes it.
fn fresh_build(site: &Site) -> Vec<(String, Option<Vec<u8>>)> {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("fresh");
    site.build(&["--output", dest.to_str().unwrap()]);
    tree(&dest)
}

fn previous(site: &Site) -> std::path::PathBuf {
    site.path().join(".public.dossier-previous")
}

/// Writes one of three versions of a site: briefs come and go, a static
/// file becomes a folder and back, a person gains and loses a page.
fn version(site: &Site, n: usize) {
    let _ = fs::remove_dir_all(site.path().join("content"));
    let _ = fs::remove_dir_all(site.path().join("static"));
    let briefs: &[(&str, &str)] = match n {
        0 => &[("talks", "Kim Jong Un"), ("visit", "Vladimir Putin")],
        1 => &[("talks", "Sergei Shoigu"), ("launch", "Kim Jong Un")],
        _ => &[("launch", "Vladimir Putin")],
    };
    for (i, (slug, actor)) in briefs.iter().enumerate() {
        site.file(
            &format!("content/briefs/{slug}.md"),
            &brief(
                &format!("title: The {slug}\ndate: 2023-09-1{i}\nactors: [{actor}]"),
                &format!("Version {n} of the {slug}."),
            ),
        );
    }
    if n == 1 {
        site.file("static/files/report/part.txt", "a folder now");
        site.file(
            "content/people/sergei-shoigu.md",
            &brief("name: Sergei Shoigu", "Defence minister."),
        );
    } else {
        site.file("static/files/report", "a file");
    }
}

#[test]
fn a_rebuild_gives_exactly_what_a_build_into_a_new_folder_gives() {
    let site = Site::new();
    for (step, n) in [0, 1, 2, 0, 1, 1, 2, 0].into_iter().enumerate() {
        version(&site, n);
        site.build(&[]);
        assert_eq!(
            tree(&site.public()),
            fresh_build(&site),
            "step {step}: the rebuilt output differs from a new build of version {n}"
        );
        if step > 0 {
            assert!(
                previous(&site).join(".dossier-output").is_file(),
                "step {step}: the previous output is kept"
            );
        }
    }
    // Version control is told to leave the previous output alone, and the
    // published output has no such file.
    assert_eq!(
        fs::read_to_string(previous(&site).join(".gitignore")).unwrap(),
        "*\n"
    );
    assert!(!site.exists(".gitignore"));
}

#[test]
fn an_unchanged_page_is_not_written_again() {
    let site = Site::new();
    version(&site, 0);
    site.build(&[]);
    let modified = |rel: &str| -> SystemTime {
        fs::metadata(site.public().join(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    let putin = modified("people/vladimir-putin/index.html");
    let brief_page = modified("briefs/talks/index.html");
    std::thread::sleep(std::time::Duration::from_millis(20));
    // The second build writes a new folder; the third brings the first
    // output up to date, where only the changed brief is written.
    site.build(&[]);
    site.file(
        "content/briefs/talks.md",
        &brief(
            "title: The talks\ndate: 2023-09-10\nactors: [Kim Jong Un]",
            "A new sentence.",
        ),
    );
    site.build(&[]);
    assert_eq!(
        modified("people/vladimir-putin/index.html"),
        putin,
        "a page the edit does not touch was written again"
    );
    assert_ne!(modified("briefs/talks/index.html"), brief_page);
    assert!(
        site.page("briefs/talks/")
            .text("main")
            .contains("A new sentence.")
    );
}

#[cfg(unix)]
#[test]
fn a_link_put_into_the_previous_output_is_never_followed() {
    let site = Site::new();
    version(&site, 0);
    site.build(&[]);
    site.build(&[]);
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("index.html"), "precious").unwrap();
    let briefs = previous(&site).join("briefs/talks");
    fs::remove_dir_all(&briefs).unwrap();
    std::os::unix::fs::symlink(outside.path(), &briefs).unwrap();
    site.build(&[]);
    assert_eq!(
        fs::read_to_string(outside.path().join("index.html")).unwrap(),
        "precious"
    );
    assert_eq!(tree(&site.public()), fresh_build(&site));
    assert_eq!(snapshot(outside.path()).len(), 1);
}
