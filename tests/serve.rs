//! `dossier serve` as a writer uses it: the real binary on a free port
//! against a site in a temporary folder, driven over plain HTTP with
//! bounded waits. Edits show up, mistakes show in an overlay while the last
//! good build stays online, fixes clear it, and no request reaches outside
//! the site.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::server::{PATIENCE, Server, request};
use common::{Site, brief};

fn fixture() -> Site {
    let site = Site::new();
    site.file("site.yaml", "title: Live\n")
        .file(
            "content/people/kim-jong-un.md",
            "---\nname: Kim Jong Un\n---\nLeader.\n",
        )
        .file(
            "content/briefs/2023-09-12-kim.md",
            &brief(
                "title: Kim arrives\nactors: [Kim Jong Un]",
                "First version of the text.",
            ),
        )
        .file("static/notes.txt", "plain notes\n");
    site
}

#[test]
fn edits_appear_errors_overlay_the_last_good_build_and_fixes_clear_them() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let page = server.get("/briefs/kim/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("First version of the text."));
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.body
            .contains("<script src=\"/__dossier/reload.js\"></script>")
    );
    assert_eq!(
        server.get("/notes.txt").header("content-type").as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(
        server.get("/style.css").header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );

    // Edit: the new text is served.
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief(
            "title: Kim arrives\nactors: [Kim Jong Un]",
            "Second version of the text.",
        ),
    );
    server.wait_for("/briefs/kim/", "the edit", |r| {
        r.body.contains("Second version")
    });

    // Break it: the overlay names the file and line; the last good page
    // stays.
    site.file(
        "content/briefs/2023-09-12-kim.md",
        "---\ntitle: Kim arrives\nactor: [Kim Jong Un]\n---\nThird version.\n",
    );
    let broken = server.wait_for("/briefs/kim/", "the overlay", |r| {
        r.body.contains("dossier-overlay")
    });
    assert!(
        broken.body.contains("content/briefs/2023-09-12-kim.md:3:1"),
        "{}",
        broken.body
    );
    assert!(
        broken
            .body
            .contains("unknown key `actor` in the brief&#39;s front matter")
            || broken
                .body
                .contains("unknown key `actor` in the brief's front matter"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("Second version of the text."));
    assert!(!broken.body.contains("Third version"));
    // Every page shows it, and so does the terminal.
    assert!(server.get("/").body.contains("dossier-overlay"));
    server.wait_for_output("content/briefs/2023-09-12-kim.md:3:1: error: unknown key `actor`");

    // Fix it: the overlay goes, the fix is served.
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief(
            "title: Kim arrives\nactors: [Kim Jong Un]",
            "Fourth version.",
        ),
    );
    let fixed = server.wait_for("/briefs/kim/", "the fix", |r| {
        r.body.contains("Fourth version.")
    });
    assert!(!fixed.body.contains("dossier-overlay"));
}

#[test]
fn broken_templates_deleted_folders_and_empty_files_never_stop_the_server() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    // A broken template.
    site.file(
        "templates/brief.html",
        "{% extends \"base.html\" %}{% block content %}{{ oops( }}{% endblock content %}",
    );
    let r = server.wait_for("/briefs/kim/", "the template error", |r| {
        r.body.contains("dossier-overlay")
    });
    assert!(r.body.contains("templates/brief.html:1:"), "{}", r.body);
    site.remove("templates/brief.html");
    server.wait_for("/briefs/kim/", "recovery", |r| {
        !r.body.contains("dossier-overlay")
    });
    // A file that is empty for a moment, as some editors save.
    site.file("content/briefs/2023-09-12-kim.md", "");
    server.wait_for("/", "the empty-file error", |r| {
        r.body.contains("dossier-overlay")
    });
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Back again."),
    );
    server.wait_for("/briefs/kim/", "recovery", |r| {
        r.body.contains("Back again.") && !r.body.contains("dossier-overlay")
    });
    // The whole content folder deleted, then restored.
    std::fs::rename(
        site.path().join("content"),
        site.path().join("content-away"),
    )
    .unwrap();
    server.wait_for("/", "the missing-folder error", |r| {
        r.body.contains("no `content` folder")
    });
    assert!(server.get("/briefs/kim/").body.contains("Back again."));
    std::fs::rename(
        site.path().join("content-away"),
        site.path().join("content"),
    )
    .unwrap();
    server.wait_for("/", "recovery", |r| !r.body.contains("dossier-overlay"));
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief(
            "title: Kim arrives\nactors: [Kim Jong Un]",
            "Watched again.",
        ),
    );
    server.wait_for("/briefs/kim/", "the folder watched again", |r| {
        r.body.contains("Watched again.")
    });
}

#[test]
fn atomic_saves_swap_files_and_bursts_each_lead_to_one_rebuild() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    // An editor's atomic save: write a temporary file, rename it over.
    let before = server.rebuilds();
    site.file(
        "content/briefs/.2023-09-12-kim.md.tmp-save",
        &brief(
            "title: Kim arrives\nactors: [Kim Jong Un]",
            "Saved atomically.",
        ),
    );
    std::fs::rename(
        site.path()
            .join("content/briefs/.2023-09-12-kim.md.tmp-save"),
        site.path().join("content/briefs/2023-09-12-kim.md"),
    )
    .unwrap();
    server.wait_for("/briefs/kim/", "the atomic save", |r| {
        r.body.contains("Saved atomically.")
    });
    assert_eq!(
        server.settled_rebuilds(&site),
        before + 1,
        "{}",
        server.output()
    );

    // Swap and backup files change nothing.
    let before = server.rebuilds();
    site.file("content/briefs/.2023-09-12-kim.md.swp", "swap");
    site.file("content/briefs/2023-09-12-kim.md~", "backup");
    site.file("content/briefs/.#2023-09-12-kim.md", "lock");
    assert_eq!(
        server.settled_rebuilds(&site),
        before,
        "{}",
        server.output()
    );

    // A burst of 300 new briefs, as a `git checkout` makes: one rebuild.
    let before = server.rebuilds();
    for i in 0..300 {
        site.file(
            &format!("content/briefs/burst/2023-01-01-b{i}.md"),
            &brief(&format!("title: Burst {i}\nactors: [Kim Jong Un]"), "Body."),
        );
    }
    server.wait_for("/briefs/b299/", "the burst", |r| r.status == 200);
    assert_eq!(
        server.settled_rebuilds(&site),
        before + 1,
        "{}",
        server.output()
    );
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = fixture();
    let secret_dir = tempfile::tempdir().unwrap();
    let secret = secret_dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-CONTENT").unwrap();
    std::fs::write(site.path().join("secret.txt"), "TOP-SECRET-CONTENT").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, site.path().join("static/leak.txt")).unwrap();
    let server = Server::start(&site, &[]);
    for path in [
        "/../secret.txt",
        "/briefs/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//secret.txt",
        "/secret.txt",
        "/leak.txt",
        "/content/briefs/2023-09-12-kim.md",
        "/site.yaml",
        &format!("/{}", secret.display()),
        &format!("{}", secret.display()),
        "/static/",
        "/briefs/%00",
    ] {
        let response = server.get(path);
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: {} {}",
            response.status,
            response.body
        );
        assert!(!response.body.contains("TOP-SECRET"), "{path} leaked");
        assert!(
            !response.body.contains("Kim arrives\nactors"),
            "{path} leaked a source"
        );
    }
    // The 404 page, and no directory listing.
    let missing = server.get("/nowhere/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    assert_eq!(server.get("/briefs").status, 301);
    assert_eq!(
        server.get("/briefs").header("location").as_deref(),
        Some("/briefs/")
    );
    // GET and HEAD only.
    assert_eq!(request(server.port, "POST", "/").status, 405);
    assert_eq!(request(server.port, "DELETE", "/briefs/kim/").status, 405);
    // HEAD gives GET's headers, its length included, and no body.
    for path in ["/briefs/kim/", "/style.css", "/nowhere/"] {
        let get = server.get(path);
        let head = request(server.port, "HEAD", path);
        assert_eq!(head.status, get.status, "{path}");
        assert!(head.body.is_empty(), "{path}");
        assert_eq!(
            head.header("content-length"),
            Some(get.body.len().to_string()),
            "{path}"
        );
        assert_eq!(head.header("content-type"), get.header("content-type"));
    }
}

#[test]
fn a_plain_build_has_no_reload_script() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    assert!(server.get("/").body.contains("/__dossier/reload.js"));
    drop(server);
    site.build(&[]);
    for (file, bytes) in common::snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__dossier"), "{file} has the reload script");
        assert!(!text.contains("dossier-overlay"), "{file} has the overlay");
    }
}

#[test]
fn a_taken_port_moves_to_the_next_and_ctrl_c_stops_cleanly() {
    let site = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Server::start(&site, &["--port", &port.to_string()]);
    let out = server.output();
    assert!(
        out.contains(&format!("Port {port} is in use; using ")),
        "{out}"
    );
    assert_ne!(server.port, port);
    assert_eq!(server.get("/").status, 200);
    let parent = site.path().parent().unwrap().to_path_buf();
    let before: Vec<_> = std::fs::read_dir(&parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(server.interrupt(), 0);
    let after: Vec<_> = std::fs::read_dir(&parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    // Other tests make temporary folders here too; ours would say dossier.
    let new: Vec<_> = after
        .iter()
        .filter(|n| !before.contains(n) && n.to_string_lossy().contains("dossier"))
        .collect();
    assert!(new.is_empty(), "left behind: {new:?}");
    let left: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut left = left;
    left.sort();
    assert_eq!(left, ["content", "site.yaml", "static"]);
}

#[test]
fn binding_beyond_loopback_warns() {
    let site = fixture();
    let server = Server::start(&site, &["--bind", "0.0.0.0"]);
    let out = server.output();
    assert!(
        out.contains("warning: serving on 0.0.0.0: anyone who can reach this machine"),
        "{out}"
    );
}

#[test]
fn serve_has_feeds_and_search_at_its_own_address() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let origin = format!("http://127.0.0.1:{}/", server.port);
    let feed = server.get("/people/kim-jong-un/feed.xml");
    assert_eq!(feed.status, 200);
    assert!(
        feed.body
            .contains(&format!("<id>{origin}people/kim-jong-un/feed.xml</id>")),
        "{}",
        feed.body
    );
    assert!(feed.body.contains(&format!("<id>{origin}briefs/kim/</id>")));
    assert_eq!(server.get("/search/").status, 200);
    // The index follows the pages, as soon as they are online.
    server.wait_for("/search/index.js", "the search index", |r| {
        r.status == 200 && r.body.starts_with("dossierSearch.index({")
    });
    // An edit reaches the search index too.
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Zanzibar."),
    );
    server.wait_for("/search/t0.js", "the new word", |r| {
        r.body.contains("\"zanzibar\"")
    });
}

#[test]
fn the_event_stream_tells_open_pages_to_reload_or_show_problems() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Edited."),
    );
    let (name, _) = events.next();
    assert_eq!(name, "reload");
    site.file(
        "content/briefs/2023-09-12-kim.md",
        "---\ntitle: Kim arrives\nactor: [Kim Jong Un]\n---\nBroken.\n",
    );
    let (name, data) = events.next();
    assert_eq!(name, "problems");
    let report: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(
        report["title"],
        "The site has 1 problem; showing the last good build."
    );
    let problem = &report["problems"][0];
    assert_eq!(problem["file"], "content/briefs/2023-09-12-kim.md");
    assert_eq!(problem["line"], 3);
    assert_eq!(problem["column"], 1);
    assert_eq!(problem["code"], "unknown-key");
    // A page opened now gets the problems at once.
    let mut late = server.events();
    assert_eq!(late.next().0, "problems");
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Fixed."),
    );
    assert_eq!(events.next().0, "reload");
    assert_eq!(late.next().0, "reload");
    // The script in every page listens for exactly these events.
    let script = server.get("/__dossier/reload.js").body;
    for name in ["reload", "problems"] {
        assert!(
            script.contains(&format!("addEventListener(\"{name}\"")),
            "reload.js does not listen for `{name}`"
        );
    }
}

#[test]
fn a_site_that_never_built_shows_its_problems_instead_of_a_404() {
    let site = fixture();
    site.file(
        "content/briefs/2023-09-12-kim.md",
        "---\ntitle: Kim arrives\nactor: [Kim Jong Un]\n---\nBroken.\n",
    );
    let server = Server::start(&site, &[]);
    server.wait_for_output(
        "error: the site has 1 error, 1 warning; nothing to serve until they are fixed; open pages show them",
    );
    assert!(!server.output().contains("last good build"));
    for path in ["/", "/briefs/kim/"] {
        let page = server.get(path);
        assert_eq!(page.status, 503, "{path}");
        let html = scraper::Html::parse_document(&page.body);
        let overlay = scraper::Selector::parse("#dossier-overlay").unwrap();
        let text: String = html
            .select(&overlay)
            .next()
            .expect("the overlay")
            .text()
            .collect();
        assert!(
            text.starts_with("The site has 2 problems, so there is nothing to show yet. Fix them and this page reloads by itself."),
            "{text}"
        );
        // Warnings are listed too, as long as they fit on a screen.
        assert!(
            text.contains(
                "content/people/kim-jong-un.md:2:7 warning: no brief refers to person `Kim Jong Un`"
            ),
            "{text}"
        );
        assert!(
            text.contains("content/briefs/2023-09-12-kim.md:3:1"),
            "{text}"
        );
        assert!(page.body.contains("/__dossier/reload.js"));
    }
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Fixed."),
    );
    let page = server.wait_for("/briefs/kim/", "the fix", |r| r.status == 200);
    assert!(page.body.contains("Fixed."));
    assert!(!page.body.contains("dossier-overlay"));
}

#[test]
fn serve_says_what_it_built_in_the_words_of_build() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let out = server.wait_for_output("Built ");
    let served = out.lines().find(|l| l.starts_with("Built ")).unwrap();
    let built = site.build(&["--base-url", "http://127.0.0.1:1/"]).stdout;
    let what = |line: &str| line.split(" in ").next().unwrap().to_string();
    assert_eq!(what(served), what(built.trim()));
    assert!(
        what(served).starts_with("Built 11 pages (1 brief, 1 person"),
        "{served}"
    );
}

#[test]
fn serve_outside_a_site_stops_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--root", &dir.path().display().to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("serve kept running outside a site");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(2));
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!(
            "error: no `content` folder in `{}`, so it is not a dossier site",
            dir.path().display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_rebuild_says_one_line_and_only_the_problems_that_are_new_or_fixed() {
    let site = fixture();
    // Two stubs from the start: their warnings are printed by the first build.
    site.file(
        "content/briefs/2023-09-13-putin.md",
        &brief(
            "title: Putin waits\nactors: [Kim Jong Un, Vladimir Putin, Sergei Shoigu]",
            "Waiting.",
        ),
    );
    let server = Server::start(&site, &[]);
    let first = server.wait_for_output("Built ");
    assert_eq!(
        first.matches("no profile for `Vladimir Putin`").count(),
        1,
        "{first}"
    );

    // A body edit: one line, no warning printed again.
    let before = server.output().len();
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Second text."),
    );
    let out = server.wait_for_output("after content/briefs/2023-09-12-kim.md changed");
    let rebuild = &out[before..];
    let lines: Vec<&str> = rebuild.lines().collect();
    assert_eq!(lines.len(), 1, "{rebuild}");
    assert!(
        lines[0].starts_with("Rebuilt after content/briefs/2023-09-12-kim.md changed: "),
        "{rebuild}"
    );
    assert!(
        lines[0].contains(" pages in ") || lines[0].contains(" page in "),
        "{rebuild}"
    );
    assert!(lines[0].ends_with("(2 warnings)"), "{rebuild}");

    // A new stub: its warning alone is printed, and the count says so.
    let before = server.output().len();
    site.file(
        "content/briefs/2023-09-12-kim.md",
        &brief(
            "title: Kim arrives\nactors: [Kim Jong Un, Choe Son Hui]",
            "Second text.",
        ),
    );
    let out = server.wait_for_output("(3 warnings; 1 new, 0 fixed)");
    let rebuild = &out[before..];
    assert!(
        rebuild.contains("no profile for `Choe Son Hui`"),
        "{rebuild}"
    );
    assert!(!rebuild.contains("Vladimir Putin"), "{rebuild}");

    // A profile for Putin: that warning is fixed, and said to be.
    let before = server.output().len();
    site.file(
        "content/people/vladimir-putin.md",
        "---\nname: Vladimir Putin\n---\nPresident.\n",
    );
    let out = server.wait_for_output("(2 warnings; 0 new, 1 fixed)");
    let rebuild = &out[before..];
    assert!(
        rebuild.contains("fixed: content/briefs/2023-09-13-putin.md:3:"),
        "{rebuild}"
    );
    assert!(
        rebuild.contains("no profile for `Vladimir Putin`"),
        "{rebuild}"
    );
    assert!(
        rebuild.contains("Rebuilt everything after content/people/vladimir-putin.md changed: "),
        "{rebuild}"
    );
}

#[test]
fn the_overlay_counts_warnings_that_would_not_fit_on_a_screen() {
    let site = fixture();
    let names: Vec<String> = (0..12).map(|i| format!("Stranger Number{i}")).collect();
    site.file(
        "content/briefs/2023-09-13-many.md",
        &brief(
            &format!("title: Many\nactors: [{}]", names.join(", ")),
            "Many strangers.",
        ),
    );
    site.file(
        "content/briefs/2023-09-14-broken.md",
        "---\ntitle: Broken\nactor: [Kim Jong Un]\n---\nBroken.\n",
    );
    let server = Server::start(&site, &[]);
    server.wait_for_output("error: the site has 1 error, 12 warnings");
    let page = server.get("/");
    let html = scraper::Html::parse_document(&page.body);
    let overlay = scraper::Selector::parse("#dossier-overlay").unwrap();
    let text: String = html
        .select(&overlay)
        .next()
        .expect("the overlay")
        .text()
        .collect();
    assert!(
        text.starts_with(
            "The site has 1 problem (and 12 more warnings: run `dossier check` to list them), so there is nothing to show yet."
        ),
        "{text}"
    );
    assert!(text.contains("unknown key `actor`"), "{text}");
    assert!(!text.contains("Stranger Number"), "{text}");
}

/// A full rebuild (here after a template changes) puts the new pages online
/// before their search index and sitemap are made: meanwhile the previous
/// ones are served, never a 404 (found by scripts/load-serve).
#[test]
fn the_search_index_is_never_missing_during_a_full_rebuild() {
    let site = fixture();
    for i in 0..300 {
        site.file(
            &format!("content/briefs/2023-08-{:02}-filler-{i}.md", 1 + i % 28),
            &brief(
                &format!("title: Filler {i}\nactors: [Kim Jong Un]"),
                "Words to index.",
            ),
        );
    }
    let server = Server::start(&site, &[]);
    server.wait_for("/search/index.js", "the search index", |r| r.status == 200);
    let before = server.rebuilds();
    site.file("templates/page.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{% endblock content %}\n");
    let started = std::time::Instant::now();
    let mut asked = 0;
    while server.rebuilds() == before || asked < 50 {
        for path in ["/search/index.js", "/sitemap.xml"] {
            let response = server.get(path);
            assert_eq!(
                response.status, 200,
                "{path} during the rebuild, after {asked} requests"
            );
        }
        asked += 1;
        assert!(started.elapsed() < common::server::PATIENCE, "no rebuild");
    }
}
