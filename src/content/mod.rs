//! The load phase: `content/` → a typed [`Model`].
//!
//! Walks the six content folders, parses every file in parallel (front matter
//! into typed structs, values checked, default summaries taken from the
//! body), drops drafts unless asked for, and checks that slugs and ids are
//! unique. Every problem in every file is collected; none stops the others
//! from loading.

pub mod date;
pub mod frontmatter;
pub mod model;
pub mod walk;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::yaml;
use model::{Brief, Draft, Model, Page, Profile};
use walk::{ContentFile, Folder};

/// One parsed content file.
enum Item {
    Brief(Brief),
    Profile(Profile),
    Page(Page),
}

/// Loads every content file under `root`. `drafts` keeps draft briefs and
/// pages. Returns the model of everything that loaded, and every problem.
pub fn load(root: &Path, drafts: bool) -> (Model, Vec<Diagnostic>) {
    let (files, mut problems) = walk::content_files(root);
    let parsed: Vec<Result<Item, frontmatter::Rejected>> =
        files.par_iter().map(|f| load_file(root, f)).collect();
    let mut model = Model::default();
    // Room for every brief at once: growing a vector of 100,000 briefs by
    // doubling would copy them over and over.
    let briefs = parsed
        .iter()
        .filter(|r| matches!(r, Ok(Item::Brief(_))))
        .count();
    model.briefs.reserve_exact(briefs);
    for (result, file) in parsed.into_iter().zip(&files) {
        match result {
            Ok(Item::Brief(b)) if drafts || !b.draft => model.briefs.push(b),
            Ok(Item::Page(p)) if drafts || !p.draft => model.pages.push(p),
            Ok(Item::Profile(p)) => model.profiles.push(p),
            Ok(Item::Brief(b)) => model.drafts.push(Draft {
                path: b.source.path,
                title: b.title,
                slug: b.slug,
            }),
            Ok(Item::Page(p)) => model.drafts.push(Draft {
                path: p.source.path,
                title: p.title,
                slug: p.slug,
            }),
            Err(rejected) => {
                problems.extend(rejected.problems);
                let stem = file.path.file_stem().unwrap_or_default().to_string_lossy();
                let key = match file.folder {
                    Folder::Briefs => frontmatter::brief_default_slug(&stem, ""),
                    Folder::Entities(_) | Folder::Pages => crate::text::slugify(&stem),
                };
                let kind = match file.folder {
                    Folder::Entities(kind) => Some(kind),
                    Folder::Briefs | Folder::Pages => None,
                };
                model.failed.push(model::FailedFile {
                    path: file.path.clone(),
                    kind,
                    key,
                    names: rejected.salvage.names,
                    references: rejected.salvage.references,
                });
            }
        }
    }
    problems.extend(duplicates(
        model.briefs.iter().map(|b| (b.slug.as_str(), &b.source)),
        "brief",
        "slug",
    ));
    problems.extend(duplicates(
        model.pages.iter().map(|p| (p.slug.as_str(), &p.source)),
        "page",
        "slug",
    ));
    for kind in model::EntityKind::ALL {
        let of_kind = model.profiles.iter().filter(|p| p.kind == kind);
        problems.extend(duplicates(
            of_kind.map(|p| (p.id.as_str(), &p.source)),
            kind.name(),
            "id",
        ));
    }
    (model, problems)
}

/// Reads and parses one brief (`path` relative to `root`), as [`load`]
/// does: for `serve`, when a brief changes.
pub fn load_brief(root: &Path, path: &Path) -> Result<Brief, Vec<Diagnostic>> {
    let file = ContentFile {
        folder: Folder::Briefs,
        path: path.to_path_buf(),
    };
    match load_file(root, &file) {
        Ok(Item::Brief(brief)) => Ok(brief),
        Ok(Item::Profile(_) | Item::Page(_)) => Err(Vec::new()),
        Err(rejected) => Err(rejected.problems),
    }
}

/// Reads and parses one file.
fn load_file(root: &Path, file: &ContentFile) -> Result<Item, frontmatter::Rejected> {
    let bytes = std::fs::read(root.join(&file.path))
        .map_err(|e| vec![crate::files::unreadable(&file.path, &e, false)])?;
    let text = String::from_utf8(bytes).map_err(|e| vec![yaml::not_utf8(&file.path, &e)])?;
    let text = crate::text::without_placeholder(text);
    Ok(match file.folder {
        Folder::Briefs => Item::Brief(frontmatter::parse_brief(&file.path, &text)?),
        Folder::Entities(kind) => {
            Item::Profile(frontmatter::parse_profile(kind, &file.path, &text)?)
        }
        Folder::Pages => Item::Page(frontmatter::parse_page(&file.path, &text)?),
    })
}

/// Errors for every item whose key (slug or id) an earlier file already has.
fn duplicates<'a>(
    items: impl Iterator<Item = (&'a str, &'a model::SourceFile)>,
    what: &str,
    key: &str,
) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Path> = HashMap::new();
    let mut problems = Vec::new();
    for (value, source) in items {
        let path = source.path.as_path();
        if let Some(earlier) = first.get(value) {
            let help = if looks_the_same(path, earlier) {
                "the two file names look the same but write an accent differently (as one character, and as a letter and a combining accent, as macOS does): rename one of the files".to_string()
            } else if key == "slug" {
                "give one of them a different `slug:` in its front matter, or rename the file"
                    .to_string()
            } else {
                "rename one of the files: the file name is the id".to_string()
            };
            // A slug written in the front matter is the culprit; otherwise
            // the file name is, and the problem is at the top of the file.
            let position = if key == "slug" {
                source.yaml().locate(&[yaml::Seg::Key("slug")])
            } else {
                None
            };
            problems.push(
                Diagnostic::error(
                    "duplicate",
                    format!(
                        "this {what} has the same {key} `{value}` as {}",
                        earlier.display()
                    ),
                )
                .in_file(path)
                .at_location(position.or(Some((1, 1))))
                .with_help(help),
            );
        } else {
            first.insert(value, path);
        }
    }
    problems
}

/// Two different paths that read the same: equal once their Unicode is
/// normalised (`café` written with one character or with two).
fn looks_the_same(a: &Path, b: &Path) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let nfc = |p: &Path| p.to_string_lossy().nfc().collect::<String>();
    a != b && nfc(a) == nfc(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a build meets when a file the walk listed is deleted (or moved)
    /// before it is read: an error at the file, nothing else.
    #[test]
    fn a_file_removed_after_the_walk_is_reported_at_its_path() {
        let site = tempfile::tempdir().unwrap();
        let briefs = site.path().join("content/briefs");
        std::fs::create_dir_all(&briefs).unwrap();
        std::fs::write(briefs.join("2023-09-12-a.md"), "---\ntitle: A\n---\n").unwrap();
        let (files, problems) = walk::content_files(site.path());
        assert!(problems.is_empty(), "{problems:?}");
        std::fs::remove_file(briefs.join("2023-09-12-a.md")).unwrap();
        let Err(rejected) = load_file(site.path(), &files[0]) else {
            panic!("a removed file loaded");
        };
        let shown: Vec<String> = rejected
            .problems
            .iter()
            .map(|d| d.render(Path::new("")))
            .collect();
        assert_eq!(
            shown,
            [
                "content/briefs/2023-09-12-a.md: error: this file was removed while the site was being read [io]\n  help: run the command again once the files have stopped changing"
            ]
        );
    }
}
