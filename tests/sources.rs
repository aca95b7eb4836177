//! `dossier check --sources`: every web address a site cites (briefs'
//! `sources`, profiles' `links`) asked once, politely, against servers on
//! 127.0.0.1 that answer 200, 301, 302, 308, 404, 500, 405 to `HEAD`,
//! loop, answer too late, never answer, or do not listen; each dead one
//! reported at its file, line and column; the cache that spares the next
//! run; and `check` without `--sources` leaving the network alone. Nothing
//! here reaches beyond this machine.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Site, brief, problem_lines};

/// The longest a test server waits on one connection, so that no thread
/// outlives a failed test by much.
const PATIENCE: Duration = Duration::from_secs(20);

/// How long a test server takes over an answer: long enough that a
/// client sending two requests at once would be seen to.
const WORK: Duration = Duration::from_millis(20);

/// One request a test server saw: from when it had read the request to
/// when it answered (taken before the answer is written, so the client
/// cannot have sent another request before it), or, when it never
/// answered in time, to when the client gave up and closed.
#[derive(Debug, Clone)]
struct Hit {
    method: String,
    path: String,
    user_agent: String,
    start: Instant,
    end: Instant,
}

/// How a test server treats a path.
enum Reply {
    /// A status, with a `Location` for redirects.
    Now(u16, Option<&'static str>),
    /// 200, but only once the client has given up.
    Late,
    /// Nothing until the client gives up.
    Never,
}

/// The paths every test server knows.
fn reply(method: &str, path: &str) -> Reply {
    match path {
        "/ok" | "/new-home" | "/elsewhere" | "/gone-too-far" => Reply::Now(200, None),
        "/moved" => Reply::Now(301, Some("/new-home")),
        "/temporary" => Reply::Now(302, Some("/elsewhere")),
        "/moved-gone" => Reply::Now(308, Some("/gone-too")),
        "/loop" => Reply::Now(301, Some("/loop-back")),
        "/loop-back" => Reply::Now(302, Some("/loop")),
        "/broken" => Reply::Now(500, None),
        "/head-refused" if method == "HEAD" => Reply::Now(405, None),
        "/head-refused" => Reply::Now(200, None),
        "/slow" => Reply::Late,
        "/never" => Reply::Never,
        _ => Reply::Now(404, None),
    }
}

/// A small HTTP server on an ephemeral port of 127.0.0.1, one thread per
/// connection, recording every request; stopped when dropped.
struct Web {
    port: u16,
    hits: Arc<Mutex<Vec<Hit>>>,
    stop: Arc<AtomicBool>,
}

impl Web {
    fn start() -> Web {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (hits.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let seen = seen.clone();
                        std::thread::spawn(move || answer(stream, &seen));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Web { port, hits, stop }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    /// `HEAD /ok`, … for every request so far, sorted.
    fn requests(&self) -> Vec<String> {
        let mut requests: Vec<String> = (self.hits().iter())
            .map(|h| format!("{} {}", h.method, h.path))
            .collect();
        requests.sort();
        requests
    }

    fn forget(&self) {
        self.hits.lock().unwrap().clear();
    }
}

impl Drop for Web {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn answer(mut stream: TcpStream, hits: &Mutex<Vec<Hit>>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(head) = read_head(&mut stream) else {
        return;
    };
    let start = Instant::now();
    let mut words = head.lines().next().unwrap_or_default().split(' ');
    let method = words.next().unwrap_or_default().to_string();
    let path = words.next().unwrap_or_default().to_string();
    let user_agent = (head.lines())
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("user-agent")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default();
    let record = |end| {
        hits.lock().unwrap().push(Hit {
            method: method.clone(),
            path: path.clone(),
            user_agent: user_agent.clone(),
            start,
            end,
        })
    };
    match reply(&method, &path) {
        Reply::Now(status, location) => {
            // A moment of work, so that two requests at once would overlap.
            std::thread::sleep(WORK);
            record(Instant::now());
            respond(&mut stream, &method, status, location);
        }
        Reply::Late => {
            wait_for_close(&mut stream);
            record(Instant::now());
            respond(&mut stream, &method, 200, None);
        }
        Reply::Never => {
            wait_for_close(&mut stream);
            record(Instant::now());
        }
    }
}

fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16_384 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    String::from_utf8(head).ok()
}

/// Waits until the client closes the connection (or [`PATIENCE`] ends).
fn wait_for_close(stream: &mut TcpStream) {
    let until = Instant::now() + PATIENCE;
    let mut buffer = [0u8; 256];
    while Instant::now() < until {
        let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
        match stream.read(&mut buffer) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return,
        }
    }
}

fn respond(stream: &mut TcpStream, method: &str, status: u16, location: Option<&str>) {
    let body = if status == 200 { "hello\n" } else { "" };
    let mut text = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reason(status),
        body.len()
    );
    if let Some(location) = location {
        text.push_str(&format!("Location: {location}\r\n"));
    }
    text.push_str("\r\n");
    if method != "HEAD" {
        text.push_str(body);
    }
    let _ = stream.write_all(text.as_bytes());
    let _ = stream.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        308 => "Permanent Redirect",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

/// A port nothing listens on: one the system just gave and took back.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The settings of every test site: a short timeout, a short pause.
const SETTINGS: &str = "title: Sources\ncheck_sources:\n  timeout: 2s\n  delay: 100ms\n";

const GONE_HELP: &str = "  help: the page is gone: cite where it is now, or an archived copy (web.archive.org may have one), or remove it";

/// A site whose briefs and profile cite every kind of address of `web`,
/// and the slow, silent and closed ones, on hosts of their own.
fn site_citing_everything(web: &Web, slow: &Web, silent: &Web, closed: u16) -> Site {
    let site = Site::new();
    site.file("site.yaml", SETTINGS)
        .file(
            "content/briefs/2023-09-12-kim.md",
            &format!(
                "---\ntitle: Kim\nactors: [Kim Jong Un]\nsources:\n  - url: {}\n    publisher: Example News\n  - {}\n  - url: {}\n    title: A page that is gone\n  - {}\n  - {}\n  - {}\n  - {}\n  - {}\n---\nBody.\n",
                web.url("/ok"),
                web.url("/moved"),
                web.url("/gone"),
                web.url("/temporary"),
                web.url("/broken"),
                web.url("/head-refused"),
                web.url("/moved-gone"),
                web.url("/loop"),
            ),
        )
        .file(
            "content/briefs/2023-09-13-later.md",
            &format!(
                "---\ntitle: Later\nactors: [Kim Jong Un]\nsources:\n  - {}\n  - {}\n  - {}\n  - http://127.0.0.1:{closed}/anything\n---\nBody.\n",
                web.url("/gone#part"),
                slow.url("/slow"),
                silent.url("/never"),
            ),
        )
        .file(
            "content/people/kim-jong-un.md",
            &format!(
                "---\nname: Kim Jong Un\nlinks:\n  Profile: {}\n  Official: {}\n  About: /about/\n---\nLeader.\n",
                web.url("/gone"),
                web.url("/ok"),
            ),
        );
    site
}

#[test]
fn check_sources_reports_every_dead_address_at_each_place_that_cites_it() {
    let (web, slow, silent) = (Web::start(), Web::start(), Web::start());
    let closed = closed_port();
    let site = site_citing_everything(&web, &slow, &silent, closed);
    let run = site.run(&["check", "--sources"]);
    run.expect_code(1);

    let at = |path: &str| web.url(path);
    let expected = [
        format!(
            "content/briefs/2023-09-12-kim.md:7:5: warning: `{}` has moved: it answers 301 Moved Permanently and leads to `{}` [moved-source]",
            at("/moved"),
            at("/new-home")
        ),
        format!(
            "content/briefs/2023-09-12-kim.md:8:10: error: `{}` answered 404 Not Found [dead-source]",
            at("/gone")
        ),
        format!(
            "content/briefs/2023-09-12-kim.md:11:5: warning: `{}` answered 500 Internal Server Error [unverified-source]",
            at("/broken")
        ),
        format!(
            "content/briefs/2023-09-12-kim.md:13:5: error: `{}` leads to `{}`, which answered 404 Not Found [dead-source]",
            at("/moved-gone"),
            at("/gone-too")
        ),
        format!(
            "content/briefs/2023-09-12-kim.md:14:5: error: `{}` redirects in a loop: `{}` → `{}` → `{}` [unreachable-source]",
            at("/loop"),
            at("/loop"),
            at("/loop-back"),
            at("/loop")
        ),
        format!(
            "content/briefs/2023-09-13-later.md:5:5: error: `{}` answered 404 Not Found [dead-source]",
            at("/gone#part")
        ),
        format!(
            "content/briefs/2023-09-13-later.md:6:5: error: `{}` did not answer within 2 seconds [unreachable-source]",
            slow.url("/slow")
        ),
        format!(
            "content/briefs/2023-09-13-later.md:7:5: error: `{}` did not answer within 2 seconds [unreachable-source]",
            silent.url("/never")
        ),
        format!(
            "content/briefs/2023-09-13-later.md:8:5: error: `http://127.0.0.1:{closed}/anything` could not be reached: the connection was refused [unreachable-source]"
        ),
        format!(
            "content/people/kim-jong-un.md:4:12: error: `{}` answered 404 Not Found [dead-source]",
            at("/gone")
        ),
    ];
    assert_eq!(problem_lines(&run.stdout), expected, "{}", run.stdout);
    assert!(
        run.stdout
            .ends_with("8 errors, 2 warnings (12 pages and 11 web addresses checked)\n"),
        "{}",
        run.stdout
    );
    for help in [
        format!("  help: cite `{}` instead", at("/new-home")),
        GONE_HELP.to_string(),
        "  help: the server failed, which often passes: check again later (this answer is not cached)".to_string(),
        "  help: the server may be down or slow: check again later, or give it longer with `timeout:` under `check_sources:` in site.yaml".to_string(),
        "  help: check the address for a typo; if it is right, the site is down or gone: check again later, cite an archived copy (web.archive.org may have one), or remove it".to_string(),
        "  help: open the address in a browser, and cite the page it should lead to".to_string(),
    ] {
        assert!(run.stdout.contains(&help), "{help}\n{}", run.stdout);
    }
    assert_eq!(run.stderr, "Checking 11 web addresses\n");

    // One HEAD per address (`/gone` is cited three times), a GET where
    // HEAD is refused, and each hop of a redirect.
    assert_eq!(
        web.requests(),
        [
            "GET /head-refused",
            "HEAD /broken",
            "HEAD /elsewhere",
            "HEAD /gone",
            "HEAD /gone-too",
            "HEAD /head-refused",
            "HEAD /loop",
            "HEAD /loop-back",
            "HEAD /moved",
            "HEAD /moved-gone",
            "HEAD /new-home",
            "HEAD /ok",
            "HEAD /temporary",
        ]
    );
    assert_eq!(slow.requests(), ["HEAD /slow"]);
    assert_eq!(silent.requests(), ["HEAD /never"]);

    // One request at a time to a host: each starts after the one before
    // it ended.
    let mut hits = web.hits();
    hits.sort_by_key(|h| h.start);
    for pair in hits.windows(2) {
        assert!(
            pair[1].start >= pair[0].end,
            "{} {} began before {} {} was answered",
            pair[1].method,
            pair[1].path,
            pair[0].method,
            pair[0].path
        );
    }
    let agent = format!("dossier/{} (source check)", env!("CARGO_PKG_VERSION"));
    assert!(hits.iter().all(|h| h.user_agent == agent), "{hits:?}");
}

/// A site citing addresses that answer at once, one of which (`/broken`)
/// may pass.
fn quick_site(web: &Web, settings: &str) -> Site {
    let site = Site::new();
    site.file("site.yaml", settings).file(
        "content/briefs/2023-09-12-kim.md",
        &format!(
            "---\ntitle: Kim\nsources:\n  - {}\n  - {}\n  - {}\n  - {}\n  - {}\n---\nBody.\n",
            web.url("/ok"),
            web.url("/moved"),
            web.url("/gone"),
            web.url("/head-refused"),
            web.url("/broken"),
        ),
    );
    site
}

const ALL_QUICK_REQUESTS: [&str; 7] = [
    "GET /head-refused",
    "HEAD /broken",
    "HEAD /gone",
    "HEAD /head-refused",
    "HEAD /moved",
    "HEAD /new-home",
    "HEAD /ok",
];

#[test]
fn a_second_run_answers_from_the_cache_and_asks_only_what_may_have_passed() {
    let web = Web::start();
    let site = quick_site(&web, SETTINGS);
    let first = site.run(&["check", "--sources"]);
    first.expect_code(1);
    assert_eq!(web.requests(), ALL_QUICK_REQUESTS);
    assert_eq!(
        problem_lines(&first.stdout),
        [
            "content/briefs/2023-09-12-kim.md:2:8: warning: the brief `Kim` has no actors [no-actors]".to_string(),
            format!("content/briefs/2023-09-12-kim.md:5:5: warning: `{}` has moved: it answers 301 Moved Permanently and leads to `{}` [moved-source]", web.url("/moved"), web.url("/new-home")),
            format!("content/briefs/2023-09-12-kim.md:6:5: error: `{}` answered 404 Not Found [dead-source]", web.url("/gone")),
            format!("content/briefs/2023-09-12-kim.md:8:5: warning: `{}` answered 500 Internal Server Error [unverified-source]", web.url("/broken")),
        ],
        "{}",
        first.stdout
    );
    let cache = site.path().join(".dossier/sources.json");
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    let kept: Vec<&String> = stored["sources"].as_object().unwrap().keys().collect();
    let mut expected_kept = [
        web.url("/gone"),
        web.url("/head-refused"),
        web.url("/moved"),
        web.url("/ok"),
    ];
    expected_kept.sort();
    assert_eq!(
        kept,
        expected_kept.iter().collect::<Vec<_>>(),
        "a 500 is not kept"
    );
    assert_eq!(
        stored["sources"][web.url("/moved")]["outcome"],
        serde_json::json!("moved")
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join(".dossier/.gitignore")).unwrap(),
        "*\n"
    );

    // The same report, with only the server error asked again.
    web.forget();
    let second = site.run(&["check", "--sources"]);
    second.expect_code(1);
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(
        second.stderr,
        "Checking 5 web addresses (4 answered from the cache)\n"
    );
    assert_eq!(web.requests(), ["HEAD /broken"]);

    // --no-cache asks everything again.
    web.forget();
    let fresh = site.run(&["check", "--sources", "--no-cache"]);
    assert_eq!(fresh.stdout, first.stdout);
    assert_eq!(fresh.stderr, "Checking 5 web addresses\n");
    assert_eq!(web.requests(), ALL_QUICK_REQUESTS);

    // An answer older than `cache:` is asked again.
    let mut stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    stored["sources"][web.url("/ok")]["checked"] = serde_json::json!(1_000_000);
    std::fs::write(&cache, stored.to_string()).unwrap();
    web.forget();
    let aged = site.run(&["check", "--sources"]);
    assert_eq!(aged.stdout, first.stdout);
    assert_eq!(web.requests(), ["HEAD /broken", "HEAD /ok"]);

    // JSON lines from the cache, at the same places.
    web.forget();
    let json = site.run(&["check", "--sources", "--format", "json"]);
    json.expect_code(1);
    let dead = format!(
        "{{\"file\":\"content/briefs/2023-09-12-kim.md\",\"line\":6,\"column\":5,\"severity\":\"error\",\"code\":\"dead-source\",\"message\":\"`{}` answered 404 Not Found\",\"help\":\"{}\"}}",
        web.url("/gone"),
        GONE_HELP.trim_start().trim_start_matches("help: ")
    );
    assert!(json.stdout.lines().any(|l| l == dead), "{}", json.stdout);
    assert_eq!(web.requests(), ["HEAD /broken"]);
}

#[test]
fn a_cache_time_of_zero_keeps_nothing() {
    let web = Web::start();
    let site = quick_site(&web, &format!("{SETTINGS}  cache: 0\n"));
    site.run(&["check", "--sources"]).expect_code(1);
    assert!(!site.path().join(".dossier").exists());
    web.forget();
    site.run(&["check", "--sources"]).expect_code(1);
    assert_eq!(web.requests(), ALL_QUICK_REQUESTS);
}

#[test]
fn a_corrupt_cache_is_a_warning_and_every_address_is_asked_again() {
    let web = Web::start();
    let site = quick_site(&web, SETTINGS);
    site.file(".dossier/sources.json", "not what dossier wrote");
    let first = site.run(&["check", "--sources"]);
    first.expect_code(1);
    assert_eq!(
        problem_lines(&first.stdout)[0],
        ".dossier/sources.json:1:2: warning: the cache of source checks cannot be read (expected ident); every address is asked again [unusable-cache]",
        "{}",
        first.stdout
    );
    assert!(first.stdout.contains(
        "  help: nothing to do: this check writes it afresh (delete the file if this warning comes back)"
    ));
    assert_eq!(web.requests(), ALL_QUICK_REQUESTS);

    // Written afresh: the next run trusts it, without the warning.
    web.forget();
    let second = site.run(&["check", "--sources"]);
    assert!(
        !second.stdout.contains("[unusable-cache]"),
        "{}",
        second.stdout
    );
    assert_eq!(web.requests(), ["HEAD /broken"]);
}

#[test]
fn check_without_sources_never_touches_the_network() {
    let web = Web::start();
    let site = quick_site(&web, SETTINGS);
    let plain = site.run(&["check"]);
    plain.expect_code(0);
    assert_eq!(plain.stderr, "");
    assert!(!plain.stdout.contains("web address"), "{}", plain.stdout);
    let built = site.run(&["build"]);
    built.expect_code(0);
    assert!(web.requests().is_empty(), "{:?}", web.requests());
    assert!(!site.path().join(".dossier").exists());

    // --no-cache means nothing without --sources.
    let misuse = site.run(&["check", "--no-cache"]);
    misuse.expect_code(2);
    assert!(misuse.stderr.contains("--sources"), "{}", misuse.stderr);
}

#[test]
fn skipped_addresses_are_not_asked() {
    let web = Web::start();
    let settings = format!("{SETTINGS}  skip: [\"{}\"]\n", web.url("/gone"));
    let site = quick_site(&web, &settings);
    let skipping = site.run(&["check", "--sources"]);
    skipping.expect_code(0);
    assert_eq!(skipping.stderr, "Checking 4 web addresses (1 skipped)\n");
    assert!(!web.requests().iter().any(|r| r.ends_with("/gone")));
    assert!(Path::new(&site.path().join(".dossier/sources.json")).exists());
}

#[test]
fn addresses_cited_by_events_and_ties_are_asked_at_their_places() {
    let web = Web::start();
    let site = Site::new();
    site.file("site.yaml", SETTINGS)
        .file(
            "content/people/kim-jong-un.md",
            &format!(
                "---\nname: Kim Jong Un\naffiliations:\n  - org: Workers' Party\n    source: {}\n---\n",
                web.url("/gone")
            ),
        )
        .file(
            "content/briefs/2023-09-12-kim.md",
            &brief(
                &format!(
                    "title: Kim\nactors: [Kim Jong Un]\nsources: [{}]\nevents:\n  - date: 2023-09-12\n    title: Arrival\n    sources: [1, {}]",
                    web.url("/ok"),
                    web.url("/gone")
                ),
                "Text.\n",
            ),
        );
    let run = site.run(&["check", "--sources"]);
    run.expect_code(1);
    let dead: Vec<&str> = (run.stdout.lines())
        .filter(|l| l.contains("[dead-source]"))
        .collect();
    let gone = web.url("/gone");
    assert_eq!(
        dead,
        vec![
            format!(
                "content/briefs/2023-09-12-kim.md:8:18: error: `{gone}` answered 404 Not Found [dead-source]"
            ),
            format!(
                "content/people/kim-jong-un.md:5:13: error: `{gone}` answered 404 Not Found [dead-source]"
            ),
        ],
        "{}",
        run.stdout
    );
    // The brief's source 1 is asked once, as the brief's own.
    let asked: Vec<String> = web.requests();
    assert_eq!(
        asked.iter().filter(|r| r.ends_with("/ok")).count(),
        1,
        "{asked:?}"
    );
}
