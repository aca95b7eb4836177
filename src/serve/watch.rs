//! Watching a site for changes: `content/`, `templates/`, `static/` (each
//! recursively) and `site.yaml`. A rebuild starts once the file system has
//! been quiet for 30 ms (300 ms once more than 8 files changed), so an
//! editor's write-and-rename, or a `git checkout` touching 500 files,
//! arrives as one batch; batches that come in while a rebuild runs are merged into the next
//! one. Changes to hidden, swap and backup files (`.x.swp`, `x~`, `.#x`) are
//! ignored. A watched folder that is deleted and created again is watched
//! again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::event::ModifyKind;
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::session::Session;
use super::{Shared, Terminal};
use crate::config::CONFIG_FILE;
use crate::content::walk::is_ignored_name;

/// The folders whose changes rebuild the site.
const WATCHED_FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// How long the file system must be quiet before a rebuild starts: long
/// enough for an editor's write-and-rename, short enough not to be felt.
const QUIET: Duration = Duration::from_millis(30);

/// Once a batch holds more changes than an editor's save makes, it is a
/// burst (a `git checkout`, a script writing files), which a busy machine
/// may pause in: wait longer for its end, so that it is one rebuild.
const BURST: usize = 8;
const BURST_QUIET: Duration = Duration::from_millis(300);

/// How long the file system must be quiet after a rebuild before the
/// search index and the sitemap are brought up to date.
const SETTLE_AFTER: Duration = Duration::from_millis(300);

/// Keeps the watch alive; dropping it stops watching.
pub struct Watch {
    _watcher: Arc<Mutex<RecommendedWatcher>>,
}

/// Starts watching `root` and rebuilding `session` into `shared` on every
/// change, reporting each rebuild on `terminal`.
pub fn start(
    root: &Path,
    shared: Arc<Shared>,
    session: Session,
    terminal: Terminal,
) -> notify::Result<Watch> {
    let root = root.canonicalize()?;
    let (sender, receiver) = mpsc::channel();
    let watcher = Arc::new(Mutex::new(notify::recommended_watcher(sender)?));
    {
        let mut w = watcher.lock().unwrap_or_else(|e| e.into_inner());
        w.watch(&root, RecursiveMode::NonRecursive)?;
        for folder in WATCHED_FOLDERS {
            let path = root.join(folder);
            if path.is_dir() {
                w.watch(&path, RecursiveMode::Recursive)?;
            }
        }
    }
    let watching = watcher.clone();
    std::thread::spawn(move || {
        rebuild_on_changes(&root, &receiver, &watching, &shared, session, terminal);
    });
    Ok(Watch { _watcher: watcher })
}

fn rebuild_on_changes(
    root: &Path,
    receiver: &Receiver<notify::Result<Event>>,
    watcher: &Mutex<RecommendedWatcher>,
    shared: &Shared,
    mut session: Session,
    mut terminal: Terminal,
) {
    // The search index and sitemap, then what incremental rebuilds need,
    // made while the first build's pages are already online.
    session.settle();
    let mut next = None;
    loop {
        let first = match next.take() {
            Some(event) => event,
            None => match receiver.recv() {
                Ok(event) => event,
                Err(_) => return,
            },
        };
        // Everything that arrives until the file system is quiet goes into
        // the same rebuild, as does everything that came in meanwhile.
        let mut relevant: BTreeSet<PathBuf> = BTreeSet::new();
        let mut take = |event| {
            let paths = paths_of(root, event).into_iter();
            relevant.extend(paths.filter(|p| is_relevant(root, p)));
            if relevant.len() > BURST {
                BURST_QUIET
            } else {
                QUIET
            }
        };
        let mut quiet = take(first);
        while let Ok(more) = receiver.recv_timeout(quiet) {
            quiet = take(more);
        }
        let relevant: Vec<PathBuf> = relevant.into_iter().collect();
        if !relevant.is_empty() {
            let started = Instant::now();
            rewatch_folders(root, &relevant, watcher);
            let what = match relevant.as_slice() {
                [one] => one.strip_prefix(root).unwrap_or(one).display().to_string(),
                many => format!("{} files", many.len()),
            };
            let outcome = session.apply(&relevant);
            let serving = shared.has_built();
            terminal.rebuild(&what, &outcome, started, serving);
            shared.take(outcome);
        }
        // The search index and sitemap (a few hundred milliseconds on a
        // large site) wait for a pause, so that a writer saving again
        // right away does not wait for them.
        match receiver.recv_timeout(SETTLE_AFTER) {
            Ok(event) => next = Some(event),
            Err(RecvTimeoutError::Timeout) => {
                session.settle();
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn paths_of(root: &Path, result: notify::Result<Event>) -> Vec<PathBuf> {
    match result {
        Ok(event) if changes_content(&event.kind) => event.paths,
        Ok(_) => Vec::new(),
        // The watcher lost track (too many events): rebuild everything, as
        // a change of the settings does.
        Err(_) => vec![root.join(CONFIG_FILE)],
    }
}

/// Whether an event can change a file's content or presence: reading a file
/// (which every build does) or touching its metadata does not.
fn changes_content(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
    )
}

/// Whether a change at `path` can change the site.
fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        // A path we did not ask for (see `paths_of`): rebuild.
        return path == Path::new(CONFIG_FILE);
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    let in_site = first == CONFIG_FILE || WATCHED_FOLDERS.contains(&first.as_ref());
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    in_site && !is_ignored_name(&name) && !name.ends_with(".kate-swp") && name != "4913"
}

/// Watches a content folder again when it was (re)created.
fn rewatch_folders(root: &Path, changed: &[PathBuf], watcher: &Mutex<RecommendedWatcher>) {
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        if changed.contains(&path) && path.is_dir() {
            let mut w = watcher.lock().unwrap_or_else(|e| e.into_inner());
            let _ = w.unwatch(&path);
            let _ = w.watch(&path, RecursiveMode::Recursive);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_count() {
        let root = Path::new("/site");
        let yes = [
            "/site/site.yaml",
            "/site/content/briefs/a.md",
            "/site/templates/base.html",
            "/site/static/x.css",
            "/site/content",
        ];
        let no = [
            "/site/public/index.html",
            "/site/content/briefs/.a.md.swp",
            "/site/content/briefs/a.md~",
            "/site/content/briefs/.#a.md",
            "/site/content/briefs/4913",
            "/site/README.md",
            "/elsewhere/content/a.md",
        ];
        for path in yes {
            assert!(is_relevant(root, Path::new(path)), "{path}");
        }
        for path in no {
            assert!(!is_relevant(root, Path::new(path)), "{path}");
        }
    }
}
