//! Reading the site's own files: the error for a file or folder that
//! cannot be read (with what to do about it), shared by every phase that
//! reads one.

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
