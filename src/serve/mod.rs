//! `dossier serve`: build the site into memory, serve it on loopback, watch
//! the sources, rebuild on change and reload open pages.
//!
//! Three parts: the last good build and the problems of the last failed one
//! ([`Shared`]); the HTTP server ([`http`]), which only ever reads the build
//! from memory, so no request can reach a file outside the site; and the
//! watcher ([`watch`]), which turns bursts of file events into one rebuild
//! each. A failed rebuild keeps the last good build online and shows its
//! problems in the terminal and over every open page until a rebuild
//! succeeds. Nothing is written to disk, so stopping leaves nothing behind.

pub mod http;
pub mod session;
pub mod watch;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::diagnostics::{self, Diagnostic, count_summary, plural};
use crate::output::memory::MemorySite;
use crate::site::{self, Options};
use session::{Outcome, Session};

/// What open pages are told after a rebuild.
#[derive(Debug, Clone)]
pub enum Update {
    /// The build succeeded: reload.
    Reload,
    /// The build failed: show these problems (a JSON array).
    Problems(String),
}

/// The state the server and the watcher share.
pub struct Shared {
    root: PathBuf,
    site: RwLock<Arc<MemorySite>>,
    /// False until a build succeeds: until then every page shows the
    /// problems instead.
    built: AtomicBool,
    /// The errors of the last rebuild; empty when it succeeded.
    problems: RwLock<Vec<Diagnostic>>,
    /// The warnings of a failed rebuild too many to list in the overlay.
    hidden_warnings: std::sync::atomic::AtomicUsize,
    updates: broadcast::Sender<Update>,
}

impl Shared {
    fn new(root: PathBuf) -> Shared {
        Shared {
            root,
            site: RwLock::new(Arc::new(MemorySite::default())),
            built: AtomicBool::new(false),
            problems: RwLock::new(Vec::new()),
            hidden_warnings: std::sync::atomic::AtomicUsize::new(0),
            updates: broadcast::channel(16).0,
        }
    }

    /// The last good build.
    pub fn site(&self) -> Arc<MemorySite> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// True once a build has succeeded.
    pub fn has_built(&self) -> bool {
        self.built.load(Ordering::Relaxed)
    }

    fn problems(&self) -> Vec<Diagnostic> {
        self.problems
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The problems for the event stream: `{"title": …, "problems": [one
    /// JSON object per problem]}`, or `None` when there are none.
    pub fn problems_json(&self) -> Option<String> {
        let problems = self.problems();
        if problems.is_empty() {
            return None;
        }
        let lines: Vec<String> = problems.iter().map(|d| d.to_json(&self.root)).collect();
        let title = serde_json::to_string(&self.overlay_title(problems.len())).unwrap_or_default();
        Some(format!(
            "{{\"title\":{title},\"problems\":[{}]}}",
            lines.join(",")
        ))
    }

    /// The first line of the overlay.
    fn overlay_title(&self, count: usize) -> String {
        let mut problems = plural(count, "problem", "problems");
        let hidden = self.hidden_warnings.load(Ordering::Relaxed);
        if hidden > 0 {
            problems.push_str(&format!(
                " (and {}: run `dossier check` to list them)",
                plural(hidden, "more warning", "more warnings")
            ));
        }
        if self.has_built() {
            format!("The site has {problems}; showing the last good build.")
        } else {
            format!(
                "The site has {problems}, so there is nothing to show yet. Fix them and this page reloads by itself."
            )
        }
    }

    pub fn overlay_html(&self) -> String {
        let problems = self.problems();
        http::overlay_html(&self.overlay_title(problems.len()), &problems, &self.root)
    }

    /// Serves what a build or rebuild came to: a new site, or problems to
    /// show over the old one.
    pub fn take(&self, outcome: Outcome) {
        match outcome {
            Outcome::Built(built) => {
                *self.site.write().unwrap_or_else(|e| e.into_inner()) = built.site;
                self.built.store(true, Ordering::Relaxed);
                self.problems
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .clear();
                let _ = self.updates.send(Update::Reload);
            }
            Outcome::Failed(mut problems) => {
                // Errors always; warnings only as many as fit on a screen.
                let warnings = problems.iter().filter(|d| !d.is_error()).count();
                let hidden = if warnings > OVERLAY_WARNINGS {
                    warnings
                } else {
                    0
                };
                if hidden > 0 {
                    problems.retain(Diagnostic::is_error);
                }
                self.hidden_warnings.store(hidden, Ordering::Relaxed);
                *self.problems.write().unwrap_or_else(|e| e.into_inner()) = problems;
                if let Some(json) = self.problems_json() {
                    let _ = self.updates.send(Update::Problems(json));
                }
            }
        }
    }
}

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// How many warnings the overlay lists beside the errors; more are
/// counted instead.
const OVERLAY_WARNINGS: usize = 10;

/// How many ports after the asked one to try when it is taken.
const PORT_TRIES: u16 = 20;

/// Runs the server until Ctrl-C. Returns the exit code.
pub fn run(options: &ServeOptions) -> i32 {
    // Not a site at all: say so and stop, as `build` does.
    let probe = Options {
        root: options.root.clone(),
        ..Options::default()
    };
    if let Err(mut problems) = site::configure(&probe) {
        return diagnostics::report(&options.root, &mut problems);
    }
    let Some((listener, port)) = bind(options.bind, options.port) else {
        eprintln!(
            "error: cannot listen on {} ports {}–{}: all in use or not allowed\n  help: choose another port with --port",
            options.bind,
            options.port,
            options.port.saturating_add(PORT_TRIES - 1)
        );
        return 2;
    };
    if port != options.port {
        println!("Port {} is in use; using {port} instead.", options.port);
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine on port {port} can read the site",
            options.bind
        );
    }
    let host = if options.bind.is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        options.bind
    };
    let url = format!("http://{}/", SocketAddr::new(host, port));
    let build_options = Options {
        root: options.root.clone(),
        drafts: options.drafts,
        portable: false,
        // Feeds and the sitemap point at the local server while serving.
        base_url: Some(url.clone()),
    };
    let shared = Arc::new(Shared::new(options.root.clone()));
    let mut session = Session::new(build_options);
    let mut terminal = Terminal::new(&options.root);
    let started = Instant::now();
    let keeping = crate::alloc::keep_freed_memory_for_now();
    let outcome = session.start();
    drop(keeping);
    terminal.first_build(&outcome, started);
    shared.take(outcome);
    let watcher = match watch::start(&options.root, shared.clone(), session, terminal) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch `{}` for changes: {e}",
                options.root.display()
            );
            return 2;
        }
    };
    println!("Serving at {url} (Ctrl-C to stop)");
    if options.open && open::that(&url).is_err() {
        eprintln!("note: could not open a browser; open {url} yourself");
    }
    let code = serve(listener, shared);
    drop(watcher);
    code
}

/// Listens on `port`, or the next free one.
fn bind(ip: IpAddr, port: u16) -> Option<(TcpListener, u16)> {
    (0..PORT_TRIES)
        .filter_map(|i| port.checked_add(i))
        .find_map(|p| {
            TcpListener::bind(SocketAddr::new(ip, p))
                .ok()
                .map(|l| (l, p))
        })
}

fn serve(listener: TcpListener, shared: Arc<Shared>) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return 2;
        }
    };
    runtime.block_on(async move {
        let listener = match listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener))
        {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot start the server: {e}");
                return 2;
            }
        };
        let app = http::router(shared);
        tokio::select! {
            result = axum::serve(listener, app) => match result {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("error: the server stopped: {e}");
                    2
                }
            },
            _ = tokio::signal::ctrl_c() => {
                println!("\nStopped.");
                0
            }
        }
    })
}

/// What `serve` says in the terminal: the first build as `build` says it;
/// then one line per rebuild, with only the problems that are new since the
/// build before, and those that were fixed.
pub struct Terminal {
    root: PathBuf,
    /// The problems of the last build.
    known: HashSet<Diagnostic>,
}

/// How many fixed problems a rebuild names; more are counted.
const FIXED_SHOWN: usize = 10;

impl Terminal {
    pub fn new(root: &std::path::Path) -> Terminal {
        Terminal {
            root: root.to_path_buf(),
            known: HashSet::new(),
        }
    }

    pub fn first_build(&mut self, outcome: &Outcome, started: Instant) {
        let root = &self.root;
        match outcome {
            Outcome::Built(built) => {
                let mut warnings = built.warnings.clone();
                let warned = diagnostics::report_warnings_of_build(root, &mut warnings);
                println!(
                    "Built {} in {:.2} s{warned}",
                    built.description,
                    started.elapsed().as_secs_f64()
                );
                self.known = warnings.into_iter().collect();
            }
            Outcome::Failed(problems) => {
                let mut problems = problems.clone();
                diagnostics::report_briefly(root, &mut problems);
                eprintln!(
                    "error: the site has {}; nothing to serve until they are fixed; open pages show them",
                    count_summary(&problems)
                );
                self.known = problems.into_iter().collect();
            }
        }
    }

    /// Reports a rebuild after `what` changed.
    pub fn rebuild(&mut self, what: &str, outcome: &Outcome, started: Instant, serving: bool) {
        let problems = match outcome {
            Outcome::Built(built) => &built.warnings,
            Outcome::Failed(problems) => problems,
        };
        let now: HashSet<Diagnostic> = problems.iter().cloned().collect();
        let mut new: Vec<Diagnostic> = problems
            .iter()
            .filter(|d| !self.known.contains(*d))
            .cloned()
            .collect();
        let mut fixed: Vec<Diagnostic> = self.known.difference(&now).cloned().collect();
        diagnostics::sort_and_dedup(&mut fixed);
        if !new.is_empty() {
            diagnostics::report_briefly(&self.root, &mut new);
        }
        for d in fixed.iter().take(FIXED_SHOWN) {
            println!("fixed: {}", d.headline(&self.root));
        }
        let mut counts = vec![];
        if !now.is_empty() {
            counts.push(count_summary(problems));
        }
        if !new.is_empty() || !fixed.is_empty() {
            counts.push(format!("{} new, {} fixed", new.len(), fixed.len()));
        }
        let counts = if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join("; "))
        };
        let took = format_duration(started.elapsed());
        match outcome {
            Outcome::Built(built) => {
                let how = if built.full { " everything" } else { "" };
                println!(
                    "Rebuilt{how} after {what} changed: {} in {took}{counts}",
                    plural(built.rendered, "page", "pages")
                );
            }
            Outcome::Failed(_) => {
                let serving = if serving {
                    "still serving the last good build"
                } else {
                    "nothing to serve until they are fixed; open pages show them"
                };
                eprintln!(
                    "error: the site has {} after {what} changed{}; {serving}",
                    count_summary(problems),
                    if new.is_empty() && fixed.is_empty() {
                        String::new()
                    } else {
                        format!(" ({} new, {} fixed)", new.len(), fixed.len())
                    }
                );
            }
        }
        self.known = now;
    }
}

/// `84 ms`, or `1.83 s` from a second on.
fn format_duration(d: std::time::Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}
