//! Reading the site's own files: the problems for a file or folder that
//! cannot be read, a link that leads nowhere or back into itself, and a
//! pipe or device where a file belongs, with what to do about each; shared
//! by every phase that walks or reads the site (content, templates,
//! static files, settings); and writing a file of the site's own (the
//! cache of `check --sources`) so that no reader sees half of it.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::yaml;

/// The error for a file or folder that could not be read, with what to do
/// about the usual causes.
pub fn unreadable(rel: &Path, error: &std::io::Error, folder: bool) -> Diagnostic {
    let what = if folder { "folder" } else { "file" };
    let (message, help) = match error.kind() {
        std::io::ErrorKind::NotFound => (
            format!("this {what} was removed while the site was being read"),
            "run the command again once the files have stopped changing".to_string(),
        ),
        std::io::ErrorKind::PermissionDenied => (
            format!("cannot read this {what}: permission denied"),
            format!(
                "make it readable (`chmod {} {}`), or move it out of the site",
                if folder { "a+rx" } else { "a+r" },
                rel.display()
            ),
        ),
        _ => (
            format!("cannot read this {what}: {error}"),
            format!("check that the {what} can be opened, or move it out of the site"),
        ),
    };
    Diagnostic::error("io", message)
        .in_file(rel)
        .with_help(help)
}

/// The text of `rel` under `root`; `None` when there is no such file; an
/// error at the file when it cannot be read or is not UTF-8.
pub fn read_text_if_present(root: &Path, rel: &Path) -> Result<Option<String>, Diagnostic> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| yaml::not_utf8(rel, &e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(unreadable(rel, &e, false)),
    }
}

/// The problem for an entry a walk could not read (`rel` is where it is,
/// relative to `root`): a broken link, a link loop, a folder or file that
/// cannot be opened.
pub fn walk_error(root: &Path, error: &walkdir::Error, rel: &Path) -> Diagnostic {
    if let Some(path) = error.path().filter(|p| is_broken_link(p)) {
        return broken_link_warning(path.strip_prefix(root).unwrap_or(path));
    }
    if let Some(ancestor) = error.loop_ancestor() {
        return Diagnostic::error(
            "io",
            format!(
                "this symbolic link leads back to `{}`, a folder that holds it, and is not followed",
                ancestor.strip_prefix(root).unwrap_or(ancestor).display()
            ),
        )
        .in_file(rel)
        .with_help("remove the link, or point it at a folder that does not contain it");
    }
    let folder = error.path().is_some_and(Path::is_dir);
    match error.io_error() {
        Some(io) => unreadable(rel, io, folder),
        None => Diagnostic::error("io", format!("cannot read this folder or file: {error}"))
            .in_file(rel),
    }
}

/// The warning for a named pipe, socket or device among the content:
/// reading one could wait forever, so it is skipped.
pub fn not_a_file_warning(rel: &Path) -> Diagnostic {
    Diagnostic::warning(
        "not-a-file",
        "this is not a regular file (a named pipe, socket or device) and is ignored",
    )
    .in_file(rel)
    .with_help("remove it from `content/`: only files and folders belong there")
}

/// True for a symbolic link that leads nowhere.
pub fn is_broken_link(path: &Path) -> bool {
    path.symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
        && path.metadata().is_err()
}

/// The warning for a symbolic link that leads nowhere: it is skipped, as
/// an editor's or a sync tool's leftover usually is.
pub fn broken_link_warning(rel: &Path) -> Diagnostic {
    Diagnostic::warning("broken-link", "broken symbolic link is ignored")
        .in_file(rel)
        .with_help("delete the link, or point it at a file that exists")
}

/// Writes `bytes` to `path` so that a reader finds the old file or the new
/// one, never half of either (a check interrupted mid-write, two checks at
/// once): into a temporary file beside it, flushed to disk, then renamed
/// over it. Creates the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed
}
