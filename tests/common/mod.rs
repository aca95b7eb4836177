//! Helpers for the integration tests: fixture sites in temporary folders,
//! running the real `dossier` binary, parsing the HTML it writes, and a link
//! checker that follows every link and anchor in a built site.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

pub mod server;
pub mod tools;

/// A site in a temporary folder.
pub struct Site {
    dir: tempfile::TempDir,
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the whole output when the exit code is not `code`.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The lines of stderr that report an error at a place
    /// (`path:line:col: error: …`).
    pub fn error_lines(&self) -> Vec<&str> {
        (self.stderr.lines())
            .filter(|l| l.contains(": error: "))
            .collect()
    }

    /// The lines of stderr that report a warning at a place.
    pub fn warning_lines(&self) -> Vec<&str> {
        (self.stderr.lines())
            .filter(|l| l.contains(": warning: "))
            .collect()
    }
}

impl Site {
    /// An empty site: just a `content/` folder.
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        fs::create_dir_all(site.path().join("content")).unwrap();
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders), relative to the site root.
    pub fn file(&self, rel: &str, text: &str) -> &Site {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Site {
        fs::remove_file(self.path().join(rel)).unwrap();
        self
    }

    /// Runs `dossier ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// Runs `dossier build ARGS` and expects success.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        run.expect_code(0);
        run
    }

    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }

    /// The built page at a site path such as `people/kim-jong-un/`.
    pub fn page(&self, site_path: &str) -> Page {
        Page::open(&self.public(), site_path)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }
}

/// Runs the binary in `dir`, with no proxy of the environment in the way
/// of the test servers on 127.0.0.1 (`check --sources`).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("DOSSIER_TIMINGS");
    for proxy in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        command.env_remove(proxy);
    }
    let out = command.output().expect("the dossier binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The lines of `output` that report a problem at a place
/// (`path:line:col: error: …` or `… warning: …`), without their help lines.
pub fn problem_lines(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .collect()
}

/// A built HTML page.
pub struct Page {
    pub html: Html,
    pub source: String,
    pub site_path: String,
}

impl Page {
    pub fn open(public: &Path, site_path: &str) -> Page {
        let file = if site_path.is_empty() || site_path.ends_with('/') {
            public.join(site_path).join("index.html")
        } else {
            public.join(site_path)
        };
        let source =
            fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        Page {
            html: Html::parse_document(&source),
            source,
            site_path: site_path.to_string(),
        }
    }

    /// The text of every element matching `css`, white space folded.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.html
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        let all = self.texts(css);
        assert!(!all.is_empty(), "no `{css}` on {}", self.site_path);
        all[0].clone()
    }

    /// The value of attribute `name` on every element matching `css`.
    pub fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        (self.html.select(&sel))
            .filter_map(|e| e.value().attr(name).map(str::to_string))
            .collect()
    }

    /// `(text, href)` of every link inside elements matching `css`.
    pub fn links(&self, css: &str) -> Vec<(String, String)> {
        let sel = Selector::parse(css).unwrap();
        let a = Selector::parse("a[href]").unwrap();
        let mut out = Vec::new();
        for scope in self.html.select(&sel) {
            let anchors: Vec<_> = if scope.value().name() == "a" {
                vec![scope]
            } else {
                scope.select(&a).collect()
            };
            for link in anchors {
                let text = link
                    .text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                out.push((
                    text,
                    link.value().attr("href").unwrap_or_default().to_string(),
                ));
            }
        }
        out
    }

    /// The site path a relative link on this page leads to.
    pub fn resolve(&self, href: &str) -> String {
        resolve_relative(&self.site_path, href)
    }

    /// Follows the link with this exact text inside `css`.
    pub fn follow(&self, public: &Path, css: &str, text: &str) -> Page {
        let links = self.links(css);
        let (_, href) = links.iter().find(|(t, _)| t == text).unwrap_or_else(|| {
            panic!(
                "no link `{text}` in `{css}` on {}: {links:?}",
                self.site_path
            )
        });
        Page::open(public, &self.resolve(href))
    }
}

/// Resolves `href` (relative) against the folder of `from` (a site path).
pub fn resolve_relative(from: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or("");
    let base_dir = match from.rfind('/') {
        Some(i) => &from[..=i],
        None => "",
    };
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = href.ends_with('/') || href.is_empty() || href.ends_with("/.") || href == ".";
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if trailing && !path.is_empty() {
        path.push('/');
    }
    path
}

/// Every broken link in a built site: links to files that do not exist, and
/// anchors (`#id`) that the target page does not have. External links
/// (`https:`, `mailto:` …) are not followed.
///
/// Links by absolute path (the 404 page's) are resolved under the path of
/// the site's address, taken from the home page's canonical link.
pub fn broken_links(public: &Path) -> Vec<String> {
    let base_path = base_path_of(public);
    let mut ids: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(public).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let source = fs::read_to_string(entry.path()).unwrap();
            let html = Html::parse_document(&source);
            let id_sel = Selector::parse("[id]").unwrap();
            let set = html
                .select(&id_sel)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect();
            ids.insert(entry.path().to_path_buf(), set);
            pages.push((entry.path().to_path_buf(), html));
        }
    }
    let mut broken = Vec::new();
    let sel = Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    for (file, html) in &pages {
        let rel = file
            .strip_prefix(public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for element in html.select(&sel) {
            let target = element
                .value()
                .attr("href")
                .or_else(|| element.value().attr("src"))
                .unwrap_or_default();
            if target.contains(':') || target.starts_with("//") {
                continue; // external
            }
            let (path_part, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target, None),
            };
            let dest = if path_part.is_empty() {
                file.clone()
            } else if let Some(absolute) = path_part.strip_prefix('/') {
                let Some(inside) = format!("/{absolute}")
                    .strip_prefix(&base_path)
                    .map(str::to_string)
                else {
                    broken.push(format!(
                        "{rel}: `{target}` is outside the site's path `{base_path}`"
                    ));
                    continue;
                };
                let mut dest = public.join(&inside);
                if inside.is_empty() || inside.ends_with('/') || dest.is_dir() {
                    dest = dest.join("index.html");
                }
                dest
            } else {
                let site_path = resolve_relative(&rel, path_part);
                let mut dest = public.join(&site_path);
                if path_part.ends_with('/') || dest.is_dir() {
                    dest = dest.join("index.html");
                }
                dest
            };
            if !dest.is_file() {
                broken.push(format!("{rel}: `{target}` leads to a missing file"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = ids.get(&dest).is_some_and(|set| set.contains(fragment));
                if !known {
                    broken.push(format!(
                        "{rel}: `{target}` names an anchor the page does not have"
                    ));
                }
            }
        }
    }
    broken
}

/// The path of the site's address (`/watch/`), from the home page's
/// canonical link; `/` when it has none.
pub fn base_path_of(public: &Path) -> String {
    let home = fs::read_to_string(public.join("index.html")).unwrap_or_default();
    let html = Html::parse_document(&home);
    let sel = Selector::parse("link[rel=canonical]").unwrap();
    html.select(&sel)
        .next()
        .and_then(|l| l.value().attr("href"))
        .and_then(|url| url.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| "/".to_string())
}

/// Every file under a folder with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.push((rel, fs::read(entry.path()).unwrap()));
        }
    }
    files
}

/// A brief file with the given front matter lines and body.
pub fn brief(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}\n")
}

/// A site written by the benchmark's corpus generator
/// (`tests/fixtures/gen_corpus.py`) into a temporary folder, with `args`
/// (`--briefs 500`, …).
pub fn generated_site(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gen_corpus.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs the corpus generator");
    assert!(status.success(), "gen_corpus.py {args:?} failed");
    dir
}

/// The folders a build works in beside the output (`.public.dossier-tmp-…`),
/// which a finished or interrupted build removes; the previous output it
/// keeps on purpose (`.public.dossier-previous`) is not one of them.
pub fn build_leftovers(site: &Site) -> Vec<String> {
    fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dossier-tmp") || n.contains("dossier-old"))
        .collect()
}

/// Every HTML file under `public`, by its path there
/// (`people/kim-jong-un/index.html`), sorted.
pub fn html_files(public: &Path) -> Vec<String> {
    walkdir::WalkDir::new(public)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(public)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}
