//! Watching a site for changes: `content/`, `templates/`, `static/` (each
//! recursively) and `site.yaml`. File events are debounced, so an editor's
//! write-and-rename, or a `git checkout` touching 500 files, arrives as one
//! batch; batches that come in while a rebuild runs are merged into the next
//! one. Changes to hidden, swap and backup files (`.x.swp`, `x~`, `.#x`) are
//! ignored. A watched folder that is deleted and created again is watched
//! again.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::{Shared, rebuild};
use crate::config::CONFIG_FILE;
use crate::content::walk::is_ignored_name;
use crate::site::Options;

/// The folders whose changes rebuild the site.
const WATCHED_FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// How long the file system must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(150);

type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Keeps the watch alive; dropping it stops watching.
pub struct Watch {
    _debouncer: Arc<Mutex<Watcher>>,
}

/// Starts watching `root` and rebuilding into `shared` on every change.
pub fn start(root: &Path, shared: Arc<Shared>, options: Options) -> notify::Result<Watch> {
    let root = root.canonicalize()?;
    let (sender, receiver) = mpsc::channel();
    let debouncer = Arc::new(Mutex::new(new_debouncer(QUIET, None, sender)?));
    {
        let mut d = debouncer.lock().unwrap_or_else(|e| e.into_inner());
        d.watch(&root, RecursiveMode::NonRecursive)?;
        for folder in WATCHED_FOLDERS {
            let path = root.join(folder);
            if path.is_dir() {
                d.watch(&path, RecursiveMode::Recursive)?;
            }
        }
    }
    let watching = debouncer.clone();
    std::thread::spawn(move || rebuild_on_changes(&root, receiver, &watching, &shared, &options));
    Ok(Watch {
        _debouncer: debouncer,
    })
}

fn rebuild_on_changes(
    root: &Path,
    receiver: Receiver<DebounceEventResult>,
    debouncer: &Mutex<Watcher>,
    shared: &Shared,
    options: &Options,
) {
    while let Ok(first) = receiver.recv() {
        // Everything that arrived meanwhile goes into the same rebuild.
        let mut changed: Vec<PathBuf> = paths_of(first);
        while let Ok(more) = receiver.recv_timeout(QUIET / 3) {
            changed.extend(paths_of(more));
        }
        let relevant: Vec<&PathBuf> = changed.iter().filter(|p| is_relevant(root, p)).collect();
        if relevant.is_empty() {
            continue;
        }
        rewatch_folders(root, &relevant, debouncer);
        let what = match relevant.as_slice() {
            [one] => one.strip_prefix(root).unwrap_or(one).display().to_string(),
            many => format!("{} files", many.len()),
        };
        println!("Changed: {what}");
        rebuild(shared, options, "Rebuilt");
    }
}

fn paths_of(result: DebounceEventResult) -> Vec<PathBuf> {
    match result {
        Ok(events) => events
            .into_iter()
            .filter(|e| changes_content(&e.event.kind))
            .flat_map(|e| e.event.paths)
            .collect(),
        // The watcher lost track (too many events): rebuild to be safe.
        Err(_) => vec![PathBuf::from(CONFIG_FILE)],
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
fn rewatch_folders(root: &Path, changed: &[&PathBuf], debouncer: &Mutex<Watcher>) {
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        if changed.iter().any(|c| **c == path) && path.is_dir() {
            let mut d = debouncer.lock().unwrap_or_else(|e| e.into_inner());
            let _ = d.unwatch(&path);
            let _ = d.watch(&path, RecursiveMode::Recursive);
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
