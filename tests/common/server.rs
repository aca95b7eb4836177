//! A running `dossier serve` for the tests that drive it: the real binary
//! on a free port, its output collected, plain HTTP requests with bounded
//! waits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use std::collections::BTreeSet;
use std::path::Path;

use scraper::{Html, Selector};

use super::Site;

/// How long to wait for the server to react to a change.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A running `dossier serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    output: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(site: &Site, extra: &[&str]) -> Server {
        let port = free_port();
        let port_text = port.to_string();
        let mut args = vec!["serve"];
        if !extra.contains(&"--port") {
            args.extend(["--port", &port_text]);
        }
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(&args)
            .current_dir(site.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dossier serve starts");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut out = output.lock().unwrap();
                    out.push_str(&line);
                    out.push('\n');
                }
            });
        }
        let mut server = Server {
            child,
            port,
            output,
        };
        let serving = server.wait_for_output("Serving at http://127.0.0.1:");
        let actual: u16 = serving
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .expect("a port in the Serving line");
        server.port = actual;
        server
    }

    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits until the output holds `text`; returns the output.
    pub fn wait_for_output(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let out = self.output();
            if out.contains(text) {
                return out;
            }
            assert!(started.elapsed() < PATIENCE, "no `{text}` in:\n{out}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path)
    }

    /// Fetches `path` until `done` is true of the response.
    pub fn wait_for(&self, path: &str, what: &str, done: impl Fn(&Response) -> bool) -> Response {
        let started = Instant::now();
        loop {
            let response = self.get(path);
            if done(&response) {
                return response;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{path} never showed {what}; last response:\n{}\n--- server output\n{}",
                response.body,
                self.output()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Rebuilds finished so far: each ends with one line, `Rebuilt …` or
    /// `error: the site has …`.
    pub fn rebuilds(&self) -> usize {
        let out = self.output();
        out.lines()
            .filter(|l| l.starts_with("Rebuilt ") || l.starts_with("error: the site has "))
            .count()
    }

    /// Rebuilds so far, counted once every change made before this call has
    /// surely been handled: touches `site.yaml` and waits for the rebuild of
    /// that one change alone. The watcher handles changes in order, so any
    /// rebuild still due comes before it, and a stray change arriving with
    /// it would show in its line (`after 2 files changed`).
    pub fn settled_rebuilds(&self, site: &Site) -> usize {
        let rebuilt = |out: &str| -> Vec<String> {
            out.lines()
                .filter(|l| l.starts_with("Rebuilt") || l.starts_with("error: the site has "))
                .map(str::to_string)
                .collect()
        };
        let before = rebuilt(&self.output()).len();
        let path = site.path().join("site.yaml");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, text).unwrap();
        let started = Instant::now();
        loop {
            let out = self.output();
            let seen = rebuilt(&out);
            if let Some(last) = seen.last().filter(|_| seen.len() > before)
                && last.contains(" after site.yaml changed")
            {
                return seen.len() - 1;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "site.yaml never rebuilt alone (a change arriving late comes with it):\n{out}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Opens the live-reload event stream, as an open page does.
    pub fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("the server accepts");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET /__dossier/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = Events {
            reader: BufReader::new(stream),
        };
        let status = events.line();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        events
    }

    /// Stops the server as a user does, with Ctrl-C; returns the exit code.
    pub fn interrupt(mut self) -> i32 {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(started.elapsed() < PATIENCE, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The server-sent events of `/__dossier/events`, read as they come.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn line(&mut self) -> String {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => panic!("the event stream closed"),
            Ok(_) => line.trim_end_matches(['\r', '\n']).to_string(),
            Err(e) => panic!("no event within {PATIENCE:?}: {e}"),
        }
    }

    /// The next event: its name and its data.
    pub fn next(&mut self) -> (String, String) {
        let mut name = None;
        let mut data = String::new();
        loop {
            let line = self.line();
            if let Some(n) = line.strip_prefix("event:") {
                name = Some(n.trim().to_string());
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push_str(d.trim_start());
            } else if line.is_empty()
                && let Some(name) = name.take()
            {
                return (name, std::mem::take(&mut data));
            }
            // Anything else: headers, chunk sizes, keep-alive comments.
        }
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// A raw HTTP/1.1 request, so paths reach the server exactly as written
/// (clients would tidy `..` away).
pub fn request(port: u16, method: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// `python3 -m http.server` serving `dir`, stopped when dropped.
pub struct StaticServer {
    child: Child,
    pub port: u16,
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn static_server(dir: &Path) -> StaticServer {
    let port = free_port();
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 is installed");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < PATIENCE, "http.server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    StaticServer { child, port }
}

/// Resolves `href` found on the page at URL path `from` (`/briefing/x/`).
pub fn resolve_url(from: &str, href: &str) -> Option<String> {
    let href = href.split('#').next().unwrap();
    if href.contains("://") || href.starts_with("mailto:") {
        return None;
    }
    if href.is_empty() {
        return Some(from.to_string());
    }
    let joined = if href.starts_with('/') {
        href.to_string()
    } else {
        let folder = &from[..=from.rfind('/').unwrap()];
        format!("{folder}{href}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/').skip(1) {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Everything a page can lead to: links, stylesheets and feeds, scripts,
/// images and forms (the search box).
pub const LINKS: &str = "a[href], link[href], script[src], img[src], form[action]";

/// Crawls a site on a static server from `start` (`/briefing/`), following
/// every [`LINKS`] of every HTML page; returns every URL path reached and
/// those that did not answer 200. Panics if a link leads out of `start`.
pub fn crawl(port: u16, start: &str) -> (BTreeSet<String>, Vec<String>) {
    let sel = Selector::parse(LINKS).unwrap();
    let mut seen = BTreeSet::new();
    let mut queue = vec![start.to_string()];
    let mut broken = Vec::new();
    while let Some(url) = queue.pop() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let response = request(port, "GET", &url);
        if response.status != 200 {
            broken.push(format!("{url}: {}", response.status));
            continue;
        }
        if !(url.ends_with('/') || url.ends_with(".html")) {
            continue;
        }
        let html = Html::parse_document(&response.body);
        for element in html.select(&sel) {
            let v = element.value();
            let href = (v.attr("href").or_else(|| v.attr("src")))
                .or_else(|| v.attr("action"))
                .unwrap();
            if let Some(next) = resolve_url(&url, href) {
                assert!(
                    next.starts_with(start),
                    "{url} leads out of {start}: {href}"
                );
                queue.push(next);
            }
        }
    }
    (seen, broken)
}

/// A site built into a folder that a plain static server serves under
/// `/site/`, with that address as its base URL. The server stops before
/// the folder is removed.
pub struct ServedBuild {
    pub server: StaticServer,
    /// `http://127.0.0.1:PORT/site/`.
    pub base: String,
    /// Where the site was built.
    pub public: std::path::PathBuf,
    pub host: tempfile::TempDir,
}

/// Builds the site at `root` (`dossier build --quiet`) and serves it.
pub fn serve_build(root: &Path) -> ServedBuild {
    let host = tempfile::tempdir().unwrap();
    let public = host.path().join("site");
    let server = static_server(host.path());
    let base = format!("http://127.0.0.1:{}/site/", server.port);
    let output = public.to_str().unwrap();
    let args = ["build", "--quiet", "--output", output, "--base-url", &base];
    super::run_in(root, &args).expect_code(0);
    ServedBuild {
        server,
        base,
        public,
        host,
    }
}
