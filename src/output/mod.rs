//! The write phase: pages and assets → the output folder, all or nothing.
//!
//! A build writes into a temporary folder beside the output and swaps it in
//! only when every page rendered and every file was written, so a failed or
//! interrupted build leaves the previous site as it was (Zola writes in
//! place; we don't). The output folder carries a marker file, and [`target`]
//! decides which folders may be replaced, so a mistyped `--output ~` cannot
//! delete anyone's files. Every file name is checked to stay inside the
//! output folder, whatever a slug says.

pub mod assets;
pub mod feeds;
pub mod memory;
pub mod search;
pub mod sitemap;
pub mod target;

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};

use crate::diagnostics::Diagnostic;
use target::Target;

/// The file that marks a folder as dossier's own output.
pub const MARKER: &str = ".dossier-output";
const MARKER_TEXT: &str =
    "This folder is the output of `dossier build`; the next build replaces it whole.\n";

/// Temporary folders of builds in progress, removed if the user interrupts
/// the build (Ctrl-C), so an interrupted build leaves nothing behind.
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static CLEANUP_ON_INTERRUPT: Once = Once::new();

/// True once the user pressed Ctrl-C during a build: the build stops
/// writing, removes its temporary folder and exits with 130.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Where rendered pages and assets go: the [`Staging`] folder of a build,
/// or the memory of `serve` ([`memory::MemorySite`]).
pub trait Sink: Sync {
    /// Stores `bytes` as the file `rel` (a `/`-separated path).
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Stores a copy of the file at `from` as `rel`.
    fn copy(&self, from: &Path, rel: &str) -> io::Result<()>;
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        Staging::copy(self, from, rel)
    }
}

/// The first Ctrl-C asks the build to stop (writes fail from then on, and
/// the temporary folder is removed as the build unwinds); a second one
/// removes the temporary folders at once and exits. The lock is also held
/// while a build swaps its folder in, so an interruption never lands
/// between the two renames.
fn clean_up_on_interrupt() {
    CLEANUP_ON_INTERRUPT.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if !INTERRUPTED.swap(true, Ordering::Relaxed) {
                return;
            }
            let dirs = IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner());
            for dir in dirs.iter() {
                let _ = fs::remove_dir_all(dir);
            }
            std::process::exit(130);
        });
    });
}

fn track(temp: &Path) {
    clean_up_on_interrupt();
    IN_PROGRESS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(temp.to_path_buf());
}

fn untrack(temp: &Path) {
    IN_PROGRESS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|d| d != temp);
}

/// A build in progress: a temporary folder that becomes the output folder on
/// [`Staging::commit`], or disappears if dropped before that.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates the temporary folder beside `target`, which [`target::check`]
    /// has found safe to replace.
    pub fn begin(target: &Target) -> Result<Staging, Diagnostic> {
        let output = target.path.as_path();
        let parent = output.parent().unwrap_or(Path::new("/"));
        fs::create_dir_all(parent).map_err(|e| {
            io_error(
                &format!("cannot create the folder `{}`", parent.display()),
                e,
            )
        })?;
        remove_leftovers(parent, output);
        let temp = parent.join(format!(
            ".{}.dossier-tmp-{}",
            file_name(output),
            std::process::id()
        ));
        if temp.exists() {
            let _ = fs::remove_dir_all(&temp);
        }
        track(&temp);
        fs::create_dir(&temp).map_err(|e| {
            io_error(
                &format!("cannot create the temporary folder `{}`", temp.display()),
                e,
            )
        })?;
        let staging = Staging {
            output: output.to_path_buf(),
            temp,
            committed: false,
        };
        staging
            .write(MARKER, MARKER_TEXT.as_bytes())
            .map_err(|e| io_error("cannot write into the temporary folder", e))?;
        Ok(staging)
    }

    /// Writes `bytes` to `rel` (a `/`-separated path) inside the temporary
    /// folder, creating folders as needed. Refuses any path that would leave
    /// the folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    }

    /// Copies a file from disk to `rel`.
    pub fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from, path).map(|_| ())
    }

    fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
        if interrupted() {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        if !is_contained(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write `{rel}` outside the output folder"),
            ));
        }
        Ok(self.temp.join(rel))
    }

    /// Swaps the temporary folder in as the output folder. The old output,
    /// moved aside, is removed; with `in_background`, by a process of its
    /// own that outlives this one, so that the new site is in place without
    /// waiting for a large old one to be deleted.
    pub fn commit(mut self, in_background: bool) -> Result<(), Diagnostic> {
        let old = self.output.with_file_name(format!(
            ".{}.dossier-old-{}",
            file_name(&self.output),
            std::process::id()
        ));
        // Hold the interrupt handler off until both renames are done.
        let mut in_progress = IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner());
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old).map_err(|e| {
                io_error(
                    &format!(
                        "cannot move the old output `{}` aside",
                        self.output.display()
                    ),
                    e,
                )
            })?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.output) {
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(io_error(
                &format!("cannot move the new site into `{}`", self.output.display()),
                e,
            ));
        }
        self.committed = true;
        in_progress.retain(|d| d != &self.temp);
        drop(in_progress);
        if had_output && !(in_background && remove_in_background(&old)) {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// The hidden command line that removes an old output folder
/// (`dossier __remove-old-output DIR`): see [`remove_old_output`].
pub const REMOVE_OLD_OUTPUT: &str = "__remove-old-output";

/// Starts a process that removes `old`; false if it could not be started.
fn remove_in_background(old: &Path) -> bool {
    let Ok(exe) = std::env::current_exe() else {
        return false;
    };
    std::process::Command::new(exe)
        .arg(REMOVE_OLD_OUTPUT)
        .arg(old)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// Removes an old output folder moved aside by a build: only a folder named
/// as a build names them (`.NAME.dossier-old-PID`) and holding the marker,
/// so that nothing else can ever be deleted this way.
pub fn remove_old_output(old: &Path) -> bool {
    let named = old
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .is_some_and(|n| n.starts_with('.') && n.contains(".dossier-old-"));
    if !named || !old.join(MARKER).is_file() {
        return false;
    }
    fs::remove_dir_all(old).is_ok()
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
            untrack(&self.temp);
        }
    }
}

/// True for a relative `/`-separated path with only normal segments.
pub fn is_contained(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && rel
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Removes temporary and old folders that an interrupted build left beside
/// the output. Only names of our own making are touched.
fn remove_leftovers(parent: &Path, output: &Path) {
    let prefixes = [
        format!(".{}.dossier-tmp-", file_name(output)),
        format!(".{}.dossier-old-", file_name(output)),
    ];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| name.starts_with(p.as_str()))
            && entry.path().join(MARKER).is_file()
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string())
}

fn io_error(what: &str, e: io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment() {
        assert!(is_contained("briefs/kim/index.html"));
        assert!(is_contained("404.html"));
        assert!(!is_contained("../x"));
        assert!(!is_contained("/etc/passwd"));
        assert!(!is_contained("a//b"));
        assert!(!is_contained("a/./b"));
        assert!(!is_contained("a\\..\\b"));
        assert!(!is_contained(""));
    }

    #[test]
    fn failed_build_leaves_nothing_and_keeps_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let begin = || Staging::begin(&target::check(dir.path(), &out, "public", false).unwrap());
        let s = begin().unwrap();
        s.write("index.html", b"one").unwrap();
        s.commit(false).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");

        let s = begin().unwrap();
        s.write("index.html", b"two").unwrap();
        assert!(s.write("../escape.html", b"x").is_err());
        drop(s);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn refuses_foreign_folder_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("thesis.txt"), b"precious").unwrap();
        let site = dir.path().join("site");
        let e = target::check(&site, &out, "docs", false).unwrap_err();
        assert_eq!(e.code, "output-not-ours");
        assert!(target::check(&site, &out, "docs", true).is_ok());
    }
}
