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
pub mod data;
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

use rustc_hash::FxHashSet as HashSet;

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
    /// Stores the bytes of `parts`, one after the other, as the file `rel`:
    /// a large file made in pieces is written without joining them in
    /// memory first (the data files, [`data::Chunks`]).
    fn write_parts(&self, rel: &str, parts: &[Vec<u8>]) -> io::Result<()> {
        self.write(rel, &parts.concat())
    }
    /// Stores a copy of the file at `from` as `rel`.
    fn copy(&self, from: &Path, rel: &str) -> io::Result<()>;
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn write_parts(&self, rel: &str, parts: &[Vec<u8>]) -> io::Result<()> {
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        Staging::write_parts(self, rel, &parts)
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

/// A build in progress: a folder beside the output that becomes the output
/// on [`Staging::commit`].
///
/// That folder is the previous output, kept beside the output between
/// builds (`.NAME.dossier-previous`), when there is one: the build brings it
/// up to date, writing only the files whose bytes changed and removing the
/// ones the site no longer has, then exchanges it with the output. A rebuild
/// thus creates and deletes next to no files, which is what costs most on
/// real disks (allocating thousands of inodes just after deleting
/// thousands is slow on ext4), and unchanged pages keep their modification
/// time, which tools that upload by date appreciate. Otherwise it is a new
/// temporary folder (`.NAME.dossier-tmp-PID`), removed if dropped before the
/// commit.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    temp: PathBuf,
    /// Set when `temp` is the previous output being brought up to date.
    reused: Option<Reused>,
    committed: bool,
}

/// The previous output, claimed by this build.
#[derive(Debug)]
struct Reused {
    /// Every file and folder it held, `/`-separated, one per line (one
    /// string: at 100,000 briefs there are a third of a million).
    found: String,
    /// The files this build wrote: of the others, all but the folders
    /// holding these go.
    written: Mutex<HashSet<Box<str>>>,
    /// Held so that two builds at once never write into the same folder.
    _lock: fs::File,
}

impl Staging {
    /// Claims the previous output beside `target`, which [`target::check`]
    /// has found safe to replace, or creates a temporary folder there.
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
        let staging = match Reused::claim(&previous_output(output)) {
            Some((folder, reused)) => Staging {
                output: output.to_path_buf(),
                temp: folder,
                reused: Some(reused),
                committed: false,
            },
            None => Staging {
                output: output.to_path_buf(),
                temp: new_temporary_folder(parent, output)?,
                reused: None,
                committed: false,
            },
        };
        staging
            .write(MARKER, MARKER_TEXT.as_bytes())
            .map_err(|e| io_error("cannot write into the temporary folder", e))?;
        Ok(staging)
    }

    /// Writes `bytes` to `rel` (a `/`-separated path) inside the folder,
    /// creating folders as needed. Refuses any path that would leave the
    /// folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_parts(rel, &[bytes])
    }

    /// Writes the bytes of `parts`, one after the other, as [`Staging::write`]
    /// writes one slice.
    pub fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        match &self.reused {
            Some(reused) => {
                reused.note(rel);
                update_file(&self.temp, &path, parts)
            }
            None => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                write_file(&path, parts)
            }
        }
    }

    /// Copies a file from disk to `rel`.
    pub fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(reused) = &self.reused {
            reused.note(rel);
            if same_contents(from, &path)? {
                return Ok(());
            }
            clear_way_to(&self.temp, &path)?;
        } else if let Some(parent) = path.parent() {
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

    /// Makes the folder the output. The old output takes its place beside
    /// the new one as the previous output, for the next build to bring up
    /// to date; if that place is taken by something else, the old output is
    /// removed instead: with `in_background`, by a process of its own that
    /// outlives this one, so that the new site is in place without waiting
    /// for a large old one to be deleted.
    pub fn commit(mut self, in_background: bool) -> Result<(), Diagnostic> {
        if let Some(reused) = &self.reused {
            reused.remove_the_rest(&self.temp).map_err(|e| {
                io_error(
                    &format!("cannot remove old files from `{}`", self.temp.display()),
                    e,
                )
            })?;
        }
        // Hold the interrupt handler off until the folders are exchanged.
        let mut in_progress = IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner());
        let had_output = self.output.exists();
        let moved = if had_output {
            exchange(&self.temp, &self.output)
        } else {
            fs::rename(&self.temp, &self.output)
        };
        moved.map_err(|e| {
            io_error(
                &format!("cannot move the new site into `{}`", self.output.display()),
                e,
            )
        })?;
        self.committed = true;
        in_progress.retain(|d| d != &self.temp);
        drop(in_progress);
        if had_output {
            keep_as_previous(&self.temp, &self.output, in_background);
        }
        Ok(())
    }
}

impl Reused {
    /// Claims the previous output at `folder`: only a real folder with the
    /// marker, that no other build holds. Anything in it that is neither a
    /// file nor a folder (a symbolic link, put there by hand) is removed
    /// first, so that no write can follow it out.
    fn claim(folder: &Path) -> Option<(PathBuf, Reused)> {
        let meta = fs::symlink_metadata(folder).ok()?;
        if !meta.is_dir() || !folder.join(MARKER).is_file() {
            return None;
        }
        let lock = fs::File::open(folder).ok()?;
        lock.try_lock().ok()?;
        let mut found = String::new();
        for entry in walkdir::WalkDir::new(folder).min_depth(1) {
            let entry = entry.ok()?;
            let kind = entry.file_type();
            let name = relative_name(folder, entry.path());
            if (kind.is_file() || kind.is_dir()) && !name.contains('\n') {
                found.push_str(&name);
                found.push('\n');
            } else {
                fs::remove_file(entry.path()).ok()?;
            }
        }
        let reused = Reused {
            found,
            written: Mutex::new(HashSet::default()),
            _lock: lock,
        };
        Some((folder.to_path_buf(), reused))
    }

    fn note(&self, rel: &str) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.into());
    }

    /// Removes every file and folder under `folder` that this build did not
    /// write and that holds nothing it wrote.
    fn remove_the_rest(&self, folder: &Path) -> io::Result<()> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let mut kept_folders: HashSet<&str> = HashSet::default();
        for rel in written.iter() {
            let mut rest: &str = rel;
            while let Some((parent, _)) = rest.rsplit_once('/') {
                if !kept_folders.insert(parent) {
                    break;
                }
                rest = parent;
            }
        }
        // What was found at the start is all there can be to remove: the
        // folder is locked, and this build only wrote into it.
        for rel in self.found.split_terminator('\n') {
            if written.contains(rel) || kept_folders.contains(rel) {
                continue;
            }
            let path = folder.join(rel);
            let removed = match fs::symlink_metadata(&path) {
                Ok(meta) if meta.is_dir() => fs::remove_dir_all(&path),
                Ok(_) => fs::remove_file(&path),
                Err(e) => Err(e),
            };
            // Gone already, with a folder removed before it, or a file
            // written in place of that folder.
            match removed {
                Err(e)
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                    ) =>
                {
                    return Err(e);
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Where the previous output is kept: `.NAME.dossier-previous` beside it.
fn previous_output(output: &Path) -> PathBuf {
    output.with_file_name(beside(output, "previous"))
}

/// Where a build moves an old output it is going to delete:
/// `.NAME.dossier-old-PID` beside it.
fn old_output(output: &Path) -> PathBuf {
    output.with_file_name(beside(output, &format!("old-{}", std::process::id())))
}

/// The name of a folder dossier makes beside `output`: `.NAME.dossier-WHAT`.
fn beside(output: &Path, what: &str) -> String {
    format!(".{}.dossier-{what}", file_name(output))
}

fn new_temporary_folder(parent: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let temp = parent.join(beside(output, &format!("tmp-{}", std::process::id())));
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
    Ok(temp)
}

/// `folder`'s path to `path`, `/`-separated.
fn relative_name(folder: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(folder).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// Writes the bytes of `parts` to `path` inside the previous output
/// `folder`, unless the file already holds exactly these bytes; whatever stands in the way (a
/// folder where the file goes, a file where a folder goes) is removed.
fn update_file(folder: &Path, path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    if let Ok(meta) = fs::symlink_metadata(path)
        && meta.is_file()
    {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if meta.len() == len as u64 && holds(path, parts)? {
            return Ok(());
        }
        return write_file(path, parts);
    }
    clear_way_to(folder, path)?;
    write_file(path, parts)
}

/// Writes the bytes of `parts`, one after the other, as the file `path`.
fn write_file(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    use std::io::Write;
    match parts {
        [bytes] => fs::write(path, bytes),
        _ => {
            let mut file = fs::File::create(path)?;
            parts.iter().try_for_each(|part| file.write_all(part))
        }
    }
}

/// True when the file at `path` starts with the bytes of `parts` (the
/// caller has compared the lengths), read a piece at a time.
fn holds(path: &Path, parts: &[&[u8]]) -> io::Result<bool> {
    use std::io::Read;
    const PIECE: usize = 1 << 16;
    if let [bytes] = parts
        && bytes.len() <= PIECE
    {
        return Ok(fs::read(path)? == *bytes);
    }
    let mut file = fs::File::open(path)?;
    let mut buffer = vec![0; PIECE];
    for part in parts {
        for piece in part.chunks(PIECE) {
            let read = &mut buffer[..piece.len()];
            file.read_exact(read)?;
            if read != piece {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Makes room for a file at `path` inside `folder`: every folder on the way
/// exists, and nothing but a plain file is at `path` itself.
fn clear_way_to(folder: &Path, path: &Path) -> io::Result<()> {
    let mut at = folder.to_path_buf();
    let rel = path.strip_prefix(folder).unwrap_or(path);
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        at.push(part);
        let meta = fs::symlink_metadata(&at);
        if parts.peek().is_none() {
            if meta.is_ok_and(|m| m.is_dir()) {
                fs::remove_dir_all(&at)?;
            }
            return Ok(());
        }
        match meta {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                fs::remove_file(&at)?;
                fs::create_dir(&at)?;
            }
            Err(_) => fs::create_dir(&at)?,
        }
    }
    Ok(())
}

/// True when the file `a` and the plain file `b` hold the same bytes.
fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
    use std::io::Read;
    let (Ok(meta_b), meta_a) = (fs::symlink_metadata(b), fs::metadata(a)?) else {
        return Ok(false);
    };
    if !meta_b.is_file() || meta_a.len() != meta_b.len() {
        return Ok(false);
    }
    let (mut file_a, mut file_b) = (fs::File::open(a)?, fs::File::open(b)?);
    let (mut chunk_a, mut chunk_b) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = file_a.read(&mut chunk_a)?;
        if n == 0 {
            return Ok(true);
        }
        file_b.read_exact(&mut chunk_b[..n])?;
        if chunk_a[..n] != chunk_b[..n] {
            return Ok(false);
        }
    }
}

/// Exchanges the folders `new` and `output`, in one step where the system
/// can (Linux's `renameat2`), so that the output is never missing, not even
/// for an instant; elsewhere with three renames.
fn exchange(new: &Path, output: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
        let (from, to) = (c(new)?, c(output)?);
        // SAFETY: both are valid NUL-terminated paths that outlive the call.
        let done = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                from.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if done == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if !matches!(
            e.raw_os_error(),
            Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
        ) {
            return Err(e);
        }
    }
    let aside = old_output(output);
    fs::rename(output, &aside)?;
    if let Err(e) = fs::rename(new, output) {
        let _ = fs::rename(&aside, output);
        return Err(e);
    }
    // If this fails, the old output is a leftover the next build removes.
    let _ = fs::rename(&aside, new);
    Ok(())
}

/// Keeps the old output, now at `old`, as the previous output beside
/// `output`, with a `.gitignore` so that version control does not list it;
/// or removes it if that place is taken.
fn keep_as_previous(old: &Path, output: &Path, in_background: bool) {
    let previous = previous_output(output);
    let kept = old == previous
        || (fs::symlink_metadata(&previous).is_err() && fs::rename(old, &previous).is_ok());
    if kept {
        let _ = fs::write(previous.join(".gitignore"), "*\n");
        return;
    }
    let aside = old_output(output);
    if fs::rename(old, &aside).is_ok() && !(in_background && remove_in_background(&aside)) {
        let _ = fs::remove_dir_all(&aside);
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
        // The previous output stays what it is, a spare; only a temporary
        // folder goes.
        if !self.committed && self.reused.is_none() {
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
    let prefixes = [beside(output, "tmp-"), beside(output, "old-")];
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
    fn a_file_in_parts_is_compared_and_written_piece_by_piece() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.json");
        let long: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let parts: [&[u8]; 3] = [b"{", &long, b"}"];
        update_file(dir.path(), &path, &parts).unwrap();
        let whole = [&b"{"[..], &long, b"}"].concat();
        assert_eq!(fs::read(&path).unwrap(), whole);
        assert!(holds(&path, &parts).unwrap());
        assert!(holds(&path, &[&whole[..70_000], &whole[70_000..]]).unwrap());
        let mut other = whole.clone();
        other[150_000] ^= 1;
        assert!(!holds(&path, &[&other]).unwrap());
        update_file(dir.path(), &path, &[&other]).unwrap();
        assert_eq!(fs::read(&path).unwrap(), other);
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
