//! Finding the content files: the six known folders under `content/`, their
//! Markdown files in a stable order, and nothing that escapes the site.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::content::model::EntityKind;
use crate::diagnostics::Diagnostic;
use crate::files;

/// What a folder under `content/` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    Briefs,
    Entities(EntityKind),
    Pages,
}

impl Folder {
    const ALL: [(&'static str, Folder); 6] = [
        ("briefs", Folder::Briefs),
        ("people", Folder::Entities(EntityKind::Person)),
        ("organizations", Folder::Entities(EntityKind::Organization)),
        ("topics", Folder::Entities(EntityKind::Topic)),
        ("places", Folder::Entities(EntityKind::Place)),
        ("pages", Folder::Pages),
    ];

    fn from_name(name: &str) -> Option<Folder> {
        Folder::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}

/// A Markdown file to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFile {
    pub folder: Folder,
    /// Relative to the site root.
    pub path: PathBuf,
}

/// Lists every content file under `root/content`, sorted by path, with
/// problems for unknown folders, stray files and symbolic links that lead
/// out of the site.
pub fn content_files(root: &Path) -> (Vec<ContentFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let content = root.join("content");
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut entries: Vec<_> = match std::fs::read_dir(&content) {
        Ok(dir) => dir.filter_map(Result::ok).collect(),
        Err(e) => {
            problems.push(
                Diagnostic::error("io", format!("cannot read the folder `content`: {e}"))
                    .in_file("content"),
            );
            return (files, problems);
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = Path::new("content").join(&name);
        if is_ignored_name(&name) {
            continue;
        }
        let is_dir = entry.path().is_dir();
        if is_dir && !stays_inside(&entry.path(), &canonical_root, &rel, &mut problems) {
            continue;
        }
        match (is_dir, Folder::from_name(&name)) {
            (true, Some(folder)) => walk_folder(root, &canonical_root, &rel, folder, &mut files, &mut problems),
            (true, None) => problems.push(unknown_folder(&rel, &name)),
            (false, _) => problems.push(
                Diagnostic::warning("stray-file", "this file is not in a content folder and is ignored")
                    .in_file(rel)
                    .with_help("move it into one of content/briefs, people, organizations, topics, places or pages"),
            ),
        }
    }
    (files, problems)
}

/// Other names writers use for the content folders.
const FOLDER_SYNONYMS: &[(&str, &str)] = &[
    ("brief", "briefs"),
    ("person", "people"),
    ("persons", "people"),
    ("organization", "organizations"),
    ("organisation", "organizations"),
    ("organisations", "organizations"),
    ("orgs", "organizations"),
    ("topic", "topics"),
    ("place", "places"),
    ("page", "pages"),
];

/// The content folder an unknown folder name most likely meant: a known
/// synonym, else the most similar name.
fn nearest_folder(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    if let Some((_, folder)) = FOLDER_SYNONYMS.iter().find(|(s, _)| *s == lower) {
        return folder;
    }
    Folder::ALL
        .iter()
        .map(|(n, _)| (strsim::jaro_winkler(&lower, n), *n))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
        .unwrap_or("briefs")
}

fn unknown_folder(rel: &Path, name: &str) -> Diagnostic {
    let help = format!(
        "did you mean `content/{}`? The content folders are briefs, people, organizations, topics, places and pages",
        nearest_folder(name)
    );
    Diagnostic::error(
        "unknown-folder",
        format!("unknown content folder `{}`", rel.display()),
    )
    .in_file(rel)
    .with_help(help)
}

fn walk_folder(
    root: &Path,
    canonical_root: &Path,
    rel: &Path,
    folder: Folder,
    files: &mut Vec<ContentFile>,
    problems: &mut Vec<Diagnostic>,
) {
    // The filter below reports links that leave the site; it cannot borrow
    // `problems` while the loop also pushes to it.
    let link_problems = std::cell::RefCell::new(Vec::new());
    let first = files.len();
    // Sorted once at the end: walkdir's own sorting works the name of each
    // entry out of its path for every comparison, which in a folder of
    // 100,000 briefs took longer than the walk.
    let walker = WalkDir::new(root.join(rel))
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if is_ignored_name(&name) {
                return false;
            }
            let rel = relative(root, e.path());
            !e.path_is_symlink()
                || stays_inside(
                    e.path(),
                    canonical_root,
                    &rel,
                    &mut link_problems.borrow_mut(),
                )
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| rel.to_path_buf());
                problems.push(files::walk_error(root, &e, &path));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = relative(root, entry.path());
        if !entry.file_type().is_file() {
            problems.push(files::not_a_file_warning(&path));
            continue;
        }
        if path.extension().is_some_and(|e| e == "md") {
            files.push(ContentFile { folder, path });
        } else {
            problems.push(
                Diagnostic::warning(
                    "not-markdown",
                    "this file is not a Markdown (`.md`) file and is ignored",
                )
                .in_file(path)
                .with_help(
                    "content files end in `.md`; put pictures and other files under `static/`",
                ),
            );
        }
    }
    // Paths compare by component, so this is the order of a walk that
    // visits each folder's entries by name.
    files[first..].sort_unstable_by(|a, b| a.path.cmp(&b.path));
    problems.append(&mut link_problems.into_inner());
}

/// True when a symbolic link (or folder) resolves inside the site; warns and
/// returns false otherwise, so nothing outside the site is ever read.
fn stays_inside(
    path: &Path,
    canonical_root: &Path,
    rel: &Path,
    problems: &mut Vec<Diagnostic>,
) -> bool {
    match path.canonicalize() {
        Ok(target) if target.starts_with(canonical_root) => true,
        Ok(target) => {
            problems.push(
                Diagnostic::warning(
                    "link-outside",
                    format!(
                        "symbolic link to `{}`, outside the site, is not followed",
                        target.display()
                    ),
                )
                .in_file(rel),
            );
            false
        }
        Err(_) => {
            problems.push(files::broken_link_warning(rel));
            false
        }
    }
}

/// Hidden files, and the swap and backup files editors leave behind.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::{Folder, nearest_folder};

    #[test]
    fn every_unknown_folder_gets_a_suggestion() {
        assert_eq!(nearest_folder("person"), "people");
        assert_eq!(nearest_folder("Organisations"), "organizations");
        assert_eq!(nearest_folder("breifs"), "briefs");
        assert_eq!(nearest_folder("topcs"), "topics");
        // A name like none of them still gets one of the six, as the
        // format promises a suggestion for every unknown folder.
        for unrelated in ["xyz", "Ωμέγα", ""] {
            let suggested = nearest_folder(unrelated);
            assert!(
                Folder::ALL.iter().any(|(name, _)| *name == suggested),
                "{unrelated} → {suggested}"
            );
        }
    }
}
