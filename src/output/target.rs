//! Where a build may write: the output path resolved the way the operating
//! system will, and the rules for replacing what is there.
//!
//! A build replaces its output folder whole, so a wrong output path could
//! delete anyone's files. The path a user gives (`--output` or `output_dir`)
//! is first resolved to the folder that would really be replaced: made
//! absolute, with `..` applied after the symbolic links before it (as the
//! system does), through folders that do not exist yet (which the build would
//! create), and with the output itself followed if it is a link. Only then
//! do the rules apply, to that folder:
//!
//! - never the site folder, a folder holding it, or anything inside its
//!   `content/`, `templates/` or `static/` (not even with `--force`);
//! - never a file;
//! - an existing folder only if an earlier build made it (it holds the
//!   marker file) or it is empty, unless `--force` says otherwise.
//!
//! Folders are compared by identity (device and inode), not by name, so two
//! spellings of one folder on a case-insensitive file system are one folder.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

use super::MARKER;

/// How many symbolic links one path may pass through (the limit Linux sets).
const MOST_LINKS: usize = 40;

/// The site's folders that a build must never replace.
pub const SOURCE_FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// An output folder that a build may replace.
#[derive(Debug, Clone)]
pub struct Target {
    /// The folder, absolute, with no `..` and no symbolic link in it.
    pub path: PathBuf,
    /// How messages name it: as the user wrote it.
    pub shown: String,
}

/// Resolves `output` and checks that a build may replace it. `root` is the
/// site folder; `shown` is how messages name the output.
pub fn check(root: &Path, output: &Path, shown: &str, force: bool) -> Result<Target, Diagnostic> {
    let path = never_allowed(root, output, shown)?;
    match fs::metadata(&path) {
        Ok(_) if !force && !is_ours_or_empty(&path) => Err(Diagnostic::error(
            "output-not-ours",
            format!("the output folder `{shown}` already exists and was not made by dossier; refusing to replace it"),
        )
        .with_help(format!(
            "choose another folder with --output, delete `{shown}` yourself, or pass --force to replace it and everything in it"
        ))),
        _ => Ok(Target {
            path,
            shown: shown.to_string(),
        }),
    }
}

/// The rules no `--force` lifts, which `check` applies too: resolves
/// `output` and refuses the site's own folders, the root of the file system
/// and files. Returns the resolved path.
pub fn never_allowed(root: &Path, output: &Path, shown: &str) -> Result<PathBuf, Diagnostic> {
    let path = resolve(output).map_err(|e| {
        Diagnostic::error(
            "output-unusable",
            format!("cannot use `{shown}` as the output folder: {e}"),
        )
        .with_help("choose another folder with --output")
    })?;
    let root = resolve(root).unwrap_or_else(|_| root.to_path_buf());
    if let Some(what) = site_part(&root, &path) {
        return Err(Diagnostic::error(
            "output-inside-site",
            format!("the output folder `{shown}` is {what}; building there would destroy the site's own files"),
        )
        .with_help("choose a separate folder, e.g. `--output public`; --force does not change this"));
    }
    if path.parent().is_none() {
        return Err(Diagnostic::error(
            "output-inside-site",
            format!("the output folder `{shown}` is the root of the file system"),
        )
        .with_help("choose a separate folder, e.g. `--output public`"));
    }
    match fs::metadata(&path) {
        Ok(meta) if !meta.is_dir() => Err(Diagnostic::error(
            "output-not-folder",
            format!("the output `{shown}` exists and is not a folder"),
        )
        .with_help("choose another folder with --output")),
        _ => Ok(path),
    }
}

/// True if the folder holds the marker of an earlier build, or nothing.
fn is_ours_or_empty(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false)
}

/// What part of the site `output` is, if it is one a build must never
/// replace: the site folder, a folder holding it, or a source folder or
/// anything inside one. Both paths are resolved.
fn site_part(root: &Path, output: &Path) -> Option<String> {
    if same_folder(output, root) {
        return Some("the site's own folder".to_string());
    }
    if root
        .ancestors()
        .skip(1)
        .any(|holder| same_folder(output, holder))
    {
        return Some("a folder that holds the site".to_string());
    }
    for name in SOURCE_FOLDERS {
        let source = root.join(name);
        if same_folder(output, &source) {
            return Some(format!("the site's `{name}/` folder"));
        }
        if output.ancestors().any(|inner| same_folder(inner, &source)) {
            return Some(format!("inside the site's `{name}/` folder"));
        }
    }
    None
}

/// True if `a` and `b` name the same folder: the same file on disk when
/// both exist (whatever their spelling), else the same resolved path.
fn same_folder(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => same_file(&a, &b),
        _ => false,
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    // Paths were compared already; without inodes that is all we know.
    false
}

/// The absolute path `path` leads to, the way the system resolves it:
/// symbolic links followed wherever they are (the last part included),
/// `..` applied to the folder a link led to, and parts that do not exist
/// yet kept as written, since a build creates them.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let start = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir()?
    };
    let mut links = 0;
    resolve_from(start, path, &mut links)
}

fn resolve_from(mut resolved: PathBuf, path: &Path, links: &mut usize) -> io::Result<PathBuf> {
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                // `resolved` holds no link, so its parent is the real one.
                resolved.pop();
            }
            Component::Normal(name) => {
                let next = resolved.join(name);
                match fs::symlink_metadata(&next) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        *links += 1;
                        if *links > MOST_LINKS {
                            return Err(io::Error::other(
                                "too many levels of symbolic links (is there a loop?)",
                            ));
                        }
                        let target = fs::read_link(&next)?;
                        resolved = resolve_from(resolved, &target, links)?;
                    }
                    _ => resolved = next,
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_after_a_missing_folder_is_the_folder_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let base = resolve(dir.path()).unwrap();
        let got = resolve(&dir.path().join("nothere/../content")).unwrap();
        assert_eq!(got, base.join("content"));
        let got = resolve(&dir.path().join("a/b/../../c/./d/")).unwrap();
        assert_eq!(got, base.join("c/d"));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_before_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let base = resolve(dir.path()).unwrap();
        fs::create_dir_all(base.join("deep/inner")).unwrap();
        std::os::unix::fs::symlink(base.join("deep/inner"), base.join("link")).unwrap();
        // `link/..` is `deep`, not the folder holding `link`.
        assert_eq!(
            resolve(&base.join("link/../x")).unwrap(),
            base.join("deep/x")
        );
        // A relative link resolves from the folder it is in.
        std::os::unix::fs::symlink("deep", base.join("rel")).unwrap();
        assert_eq!(
            resolve(&base.join("rel/inner")).unwrap(),
            base.join("deep/inner")
        );
        // A link to nothing yet still says where the output would go.
        std::os::unix::fs::symlink(base.join("later"), base.join("dangling")).unwrap();
        assert_eq!(resolve(&base.join("dangling")).unwrap(), base.join("later"));
        // A loop is an error, not a hang.
        std::os::unix::fs::symlink(base.join("loop2"), base.join("loop1")).unwrap();
        std::os::unix::fs::symlink(base.join("loop1"), base.join("loop2")).unwrap();
        assert!(resolve(&base.join("loop1")).is_err());
    }
}
