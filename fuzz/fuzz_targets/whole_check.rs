//! A whole `check` of a small site assembled from the input: the input is
//! split at NUL bytes into site.yaml, two briefs, a person, a topic and a
//! free page (references, wikilinks, autolinking, backlinks, the graph,
//! the plan, every page rendered). Never panics.
#![no_main]
use dossier::progress::Progress;
use dossier::site::{self, Options};
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 6] = [
    "site.yaml",
    "content/briefs/2023-09-12-a.md",
    "content/briefs/2023-09-13-b.md",
    "content/people/kim-jong-un.md",
    "content/topics/sanctions.md",
    "content/pages/about.md",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    for (part, file) in text.split('\0').zip(FILES) {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, part).unwrap();
    }
    let options = Options {
        root: dir.path().to_path_buf(),
        drafts: false,
        portable: false,
        base_url: Some("https://example.org/".to_string()),
    };
    let Ok((config, _)) = site::configure(&options) else {
        return;
    };
    let progress = Progress::silent();
    let (mut site, problems) = site::prepare(&options, config, &progress);
    if !problems.iter().any(|d| d.is_error()) {
        let _ = site.render_all(None, &progress);
    }
});
