//! Every input the fuzzers found trouble with, kept in
//! `fuzz/regressions/<target>/`, run on stable through the same function as
//! its fuzz target (`fuzz/src/lib.rs`); and a sample of each target's seeds,
//! so that a target that no longer builds or runs is noticed here rather
//! than at the next fuzzing session. See docs/reliability.md.

#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::path::Path;

fn inputs(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_kept_input_runs_through_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut ran = 0;
    for folder in inputs(&root).into_iter().filter(|p| p.is_dir()) {
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        let Some((_, target)) = fuzz::TARGETS.iter().find(|(n, _)| *n == name) else {
            panic!("fuzz/regressions/{name} is not a fuzz target");
        };
        for input in inputs(&folder) {
            target(&std::fs::read(&input).unwrap());
            ran += 1;
        }
    }
    assert!(ran >= 2, "only {ran} kept inputs ran");
}

/// The example site's first brief and its parts, through every target.
#[test]
fn every_target_runs_on_the_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let brief =
        std::fs::read(root.join("content/briefs/2023-09-12-kim-arrives-in-russia.md")).unwrap();
    let site_yaml = std::fs::read(root.join("site.yaml")).unwrap();
    for (name, target) in fuzz::TARGETS {
        let input: &[u8] = match *name {
            "site_yaml" => &site_yaml,
            "dates" => b"2023-09-12T06:00:00+09:00",
            _ => &brief,
        };
        target(input);
    }
}
