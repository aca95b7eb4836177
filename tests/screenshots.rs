//! The pictures of the product in the README: the example site's home page,
//! a brief, a person and the timeline, on a desktop and a phone, taken in
//! headless Chromium and written to `docs/screenshots/` under fixed names
//! (`person-phone.png`). The same pages in the dark colour scheme go to
//! `target/screenshots/` (`person-phone-dark.png`), to look at without
//! weighing on the repository. Each is checked to be a PNG of the width it
//! was taken at, and the README must show the light ones.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use std::path::Path;

use chrome::{browser_in, start_driver};
use common::run_in;
use common::server::static_server;

/// Name, site path.
const PAGES: [(&str, &str); 4] = [
    ("home", ""),
    ("brief", "briefs/kim-arrives-in-russia/"),
    ("person", "people/kim-jong-un/"),
    ("timeline", "timeline/"),
];

/// Name, width, and the tallest part of the page shown.
const DEVICES: [(&str, u32, u32); 2] = [("desktop", 1280, 1500), ("phone", 390, 1800)];

/// The width and height a PNG file says it has.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let at = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (at(16), at(20))
}

#[test]
fn screenshots_of_the_example_are_written_for_the_readme() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let host = tempfile::tempdir().unwrap();
    let server = static_server(host.path());
    let base = format!("http://127.0.0.1:{}/", server.port);
    let public = host.path();
    let out = public.to_str().unwrap();
    run_in(
        repo,
        &["build", "--quiet", "--output", out, "--base-url", &base],
    )
    .expect_code(0);
    let folder = repo.join("docs/screenshots");
    let dark_folder = repo.join("target/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(&dark_folder).unwrap();
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        for dark in [false, true] {
            let client = browser_in(&driver, dark).await;
            for (device, width, tallest) in DEVICES {
                for (name, path) in PAGES {
                    client.set_window_size(width, 900).await.unwrap();
                    client.goto(&format!("{base}{path}")).await.unwrap();
                    let height = client
                        .execute("return document.documentElement.scrollHeight;", vec![])
                        .await
                        .unwrap()
                        .as_u64()
                        .unwrap() as u32;
                    client
                        .set_window_size(width, height.min(tallest))
                        .await
                        .unwrap();
                    let png = client.screenshot().await.unwrap();
                    assert_eq!(png_size(&png).0, width, "{name} on a {device}");
                    let file = match dark {
                        false => folder.join(format!("{name}-{device}.png")),
                        true => dark_folder.join(format!("{name}-{device}-dark.png")),
                    };
                    std::fs::write(&file, &png).unwrap();
                }
            }
            client.close().await.unwrap();
        }
    });
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    for (name, _) in PAGES {
        for (device, _, _) in DEVICES {
            let image = format!("docs/screenshots/{name}-{device}.png");
            assert!(readme.contains(&image), "README.md does not show {image}");
        }
    }
}
