//! Static assets: the site's `static/` folder over the theme's built-in
//! assets, each copied to the same path in the output. A file that would
//! replace a generated page is an error.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::content::walk;
use crate::diagnostics::Diagnostic;
use crate::files;
use crate::output::search;
use crate::render::theme;

/// Where an asset's bytes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum AssetSource {
    /// A file of the site, by path on disk.
    File(PathBuf),
    /// A built-in theme file.
    Builtin(&'static [u8]),
}

/// Every asset by output path (`/`-separated), site files over built-ins.
pub fn collect(root: &Path) -> (BTreeMap<String, AssetSource>, Vec<Diagnostic>) {
    let mut assets: BTreeMap<String, AssetSource> = theme::STATIC
        .iter()
        .map(|(name, bytes)| (name.to_string(), AssetSource::Builtin(bytes)))
        .collect();
    let mut problems = Vec::new();
    let dir = root.join("static");
    if !dir.is_dir() {
        return (assets, problems);
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let walker = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let hidden_folder = e.depth() > 0
                && e.file_type().is_dir()
                && name.starts_with('.')
                && name != ".well-known";
            // Symbolic links that lead out of the site are not followed.
            let escapes = e.path_is_symlink()
                && !e
                    .path()
                    .canonicalize()
                    .is_ok_and(|t| t.starts_with(&canonical_root));
            !hidden_folder && !escapes
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .map_or(Path::new("static"), |p| p.strip_prefix(root).unwrap_or(p));
                problems.push(files::walk_error(root, &e, rel));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        if !entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            problems.push(files::not_a_file_warning(rel));
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if walk::is_ignored_name(&entry.file_name().to_string_lossy()) && !is_wanted_dotfile(&name)
        {
            continue;
        }
        // A `\` or `:` in a name would be a folder or a drive elsewhere:
        // no host serves it as written, and the writer refuses it.
        if name.contains(['\\', ':']) {
            problems.push(
                Diagnostic::error(
                    "invalid-name",
                    format!(
                        "`static/{name}` has `\\` or `:` in its name, which a web host cannot serve"
                    ),
                )
                .in_file(Path::new("static").join(rel))
                .with_help("rename the file with letters, digits, `-`, `_` and `.` only"),
            );
            continue;
        }
        assets.insert(name, AssetSource::File(entry.path().to_path_buf()));
    }
    (assets, problems)
}

/// Dot-files that hosts read (`.nojekyll`, `.well-known/…`, `_headers` has no
/// dot) are copied; editor leftovers are not.
fn is_wanted_dotfile(name: &str) -> bool {
    name == ".nojekyll" || name.starts_with(".well-known/") || name == ".htaccess"
}

/// Errors for assets that would overwrite a generated file: a page, a
/// data file, or a file of the search index.
pub fn collisions(
    assets: &BTreeMap<String, AssetSource>,
    generated: &HashSet<String>,
    data_files: &HashSet<String>,
) -> Vec<Diagnostic> {
    assets
        .iter()
        .filter(|(name, _)| {
            generated.contains(name.as_str())
                || data_files.contains(name.as_str())
                || search::is_index_file(name)
        })
        .map(|(name, source)| {
            let what = if search::is_index_file(name) {
                "file of the search index"
            } else if data_files.contains(name.as_str()) {
                "data file"
            } else {
                "page"
            };
            let help = if what == "data file" {
                "rename or move the file under `static/`, or switch that export off under `exports:` in site.yaml"
            } else {
                "rename or move the file under `static/`, or change the slug of the page that uses this URL"
            };
            let d = Diagnostic::error("static-collision", format!("`static/{name}` would replace the generated {what} `/{name}`"))
                .with_help(help);
            match source {
                AssetSource::File(_) => d.in_file(Path::new("static").join(name)),
                AssetSource::Builtin(_) => d,
            }
        })
        .collect()
}
