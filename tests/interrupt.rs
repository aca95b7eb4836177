//! An interrupted build (Ctrl-C) leaves the previous output as it was and no
//! temporary folder behind.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, brief, build_leftovers, snapshot};

#[test]
fn ctrl_c_during_a_build_keeps_the_old_output() {
    let site = Site::new();
    for i in 0..1500 {
        let front = format!(
            "title: Brief number {i}\ndate: 2023-01-01\nactors: [Person {}, Person {}]",
            i % 40,
            i % 7
        );
        site.file(
            &format!("content/briefs/b{i}.md"),
            &brief(&front, "Some text about the talks."),
        );
    }
    site.build(&[]);
    let before = snapshot(&site.public());

    // Change the content so a new build would produce different pages.
    site.file(
        "content/briefs/b0.md",
        &brief("title: Changed\ndate: 2023-01-01", "New text."),
    );
    let mut interrupted = false;
    for _attempt in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("build")
            .current_dir(site.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        // Wait until the build is writing into its temporary folder.
        while build_leftovers(&site).is_empty() && started.elapsed() < Duration::from_secs(20) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if child.try_wait().unwrap().is_none() {
            Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
            let status = child.wait().unwrap();
            if status.code() == Some(130) {
                interrupted = true;
                break;
            }
        } else {
            child.wait().unwrap();
        }
        // The build finished before it could be interrupted: restore and retry.
        site.build(&[]);
    }
    assert!(interrupted, "no build could be interrupted");
    assert_eq!(build_leftovers(&site), Vec::<String>::new());
    assert!(
        before == snapshot(&site.public()),
        "the previous output changed"
    );
}
