//! `dossier new KIND "Title"`: write a new brief, profile or page with its
//! front matter filled in, and print its path. Never overwrites a file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::content::date::Date;
use crate::content::{self, model::EntityKind};
use crate::diagnostics::Diagnostic;
use crate::graph;
use crate::scaffold::{self, NewKind};
use crate::text::{fold_name, slugify};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to create
    #[arg(value_enum)]
    pub kind: NewKind,
    /// Its title or name
    pub title: String,
    /// The site's folder (the one holding `content/`)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// A brief's date, YYYY-MM-DD (default: today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// A brief's actors, separated by commas: "Kim Jong Un, Vladimir Putin"
    #[arg(long, value_name = "NAMES")]
    pub actors: Option<String>,
    /// A brief's topics, separated by commas
    #[arg(long, value_name = "NAMES")]
    pub topics: Option<String>,
}

pub fn execute(args: &Args) -> i32 {
    match create(args) {
        Ok(path) => {
            println!("{}", path.display());
            0
        }
        Err(d) => crate::diagnostics::report(&args.root, &mut vec![d]).max(2),
    }
}

fn usage(message: String, help: &str) -> Diagnostic {
    Diagnostic::error("usage", message).with_help(help)
}

/// Writes the file; returns its path as the user would type it.
fn create(args: &Args) -> Result<PathBuf, Diagnostic> {
    let root = &args.root;
    if !root.join("content").is_dir() {
        return Err(Diagnostic::error(
            "no-site",
            format!(
                "no `content` folder in `{}`, so it is not a dossier site",
                root.display()
            ),
        )
        .with_help(
            "run it in a site's folder, pass --root, or create a site with `dossier init DIR`",
        ));
    }
    let title = args.title.trim();
    if title.is_empty() {
        return Err(usage(
            "the title is empty".to_string(),
            "give the title in quotes: `dossier new brief \"Kim arrives in Russia\"`",
        ));
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(usage(
            format!("`{title}` has no letters or digits to make a file name from"),
            "give a title with letters or digits",
        ));
    }
    let file_slug = shorten_slug(&slug, MAX_FILE_SLUG);
    if args.kind != NewKind::Brief
        && (args.date.is_some() || args.actors.is_some() || args.topics.is_some())
    {
        return Err(usage(
            "--date, --actors and --topics are for briefs".to_string(),
            "drop them, or create a brief: `dossier new brief \"Title\"`",
        ));
    }
    let folder = Path::new("content").join(args.kind.folder());
    let (rel, text) = match args.kind {
        NewKind::Brief => {
            let date = brief_date(args.date.as_deref())?;
            let rel = folder.join(format!("{date}-{file_slug}.md"));
            let text = scaffold::brief(
                title,
                &date,
                &split_list(&args.actors),
                &split_list(&args.topics),
            );
            (rel, text)
        }
        NewKind::Page if crate::render::RESERVED.contains(&file_slug) => {
            return Err(usage(
                format!(
                    "a page called `{title}` would be at `/{file_slug}/`, which the site uses itself"
                ),
                "choose another title, e.g. `dossier new page \"About the timeline\"`",
            ));
        }
        NewKind::Page => (
            folder.join(format!("{file_slug}.md")),
            scaffold::page(title),
        ),
        kind => {
            let entity = kind.entity().expect("a profile kind");
            let referenced_by = briefs_naming_stub(root, entity, title, &slug);
            (
                folder.join(format!("{file_slug}.md")),
                scaffold::profile(entity, title, &referenced_by),
            )
        }
    };
    let shown = if root == Path::new(".") {
        rel.clone()
    } else {
        root.join(&rel)
    };
    match scaffold::create_new(&root.join(&rel), &text) {
        Ok(()) => Ok(shown),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Diagnostic::error(
            "exists",
            format!(
                "`{}` already exists; dossier never overwrites a file",
                shown.display()
            ),
        )
        .with_help("edit that file, or choose another title")),
        Err(e) => Err(Diagnostic::error(
            "io",
            format!("cannot write `{}`: {e}", shown.display()),
        )),
    }
}

/// The longest slug `new` puts in a file name: long titles are common in
/// briefs, and file systems refuse names over 255 bytes.
const MAX_FILE_SLUG: usize = 80;

/// `slug` cut at the last whole word that fits in `max` bytes.
fn shorten_slug(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let mut end = max;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    if slug.as_bytes()[end] == b'-' {
        return &slug[..end];
    }
    match slug[..end].rfind('-') {
        Some(cut) if cut > 0 => &slug[..cut],
        _ => &slug[..end],
    }
}

/// `--date` checked, or today.
fn brief_date(given: Option<&str>) -> Result<String, Diagnostic> {
    let Some(text) = given else {
        return Ok(chrono::Local::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string());
    };
    match Date::parse(text) {
        Ok(date) if date.is_full() => Ok(date.iso_day()),
        Ok(_) => Err(usage(
            format!("--date needs a day, found `{text}`"),
            "write it as YYYY-MM-DD, e.g. --date 2023-09-12",
        )),
        Err(why) => Err(usage(
            format!("--date `{text}` is not a date: {why}"),
            "write it as YYYY-MM-DD, e.g. --date 2023-09-12",
        )),
    }
}

/// `"A, B"` → `["A", "B"]`.
fn split_list(list: &Option<String>) -> Vec<String> {
    list.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The briefs that name a stub this new profile will define, so the new
/// file can say where it is already used. Problems in the site do not
/// matter here: whatever loads is searched.
fn briefs_naming_stub(root: &Path, kind: EntityKind, name: &str, slug: &str) -> Vec<String> {
    let (model, _) = content::load(root, true);
    let (graph, _) = graph::resolve(&model);
    let folded = fold_name(name);
    let Some(stub) = graph.entities.iter().position(|e| {
        e.is_stub() && e.kind == kind && (e.id == slug || fold_name(&e.name) == folded)
    }) else {
        return Vec::new();
    };
    let relations = &graph.relations.entities[stub];
    let briefs: BTreeSet<usize> = relations
        .briefs
        .iter()
        .copied()
        .chain(relations.events.iter().map(|r| r.brief))
        .collect();
    briefs
        .into_iter()
        .map(|b| model.briefs[b].source.path.display().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::shorten_slug;

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        assert_eq!(shorten_slug("kim-arrives", 80), "kim-arrives");
        assert_eq!(shorten_slug("kim-arrives-in-russia", 14), "kim-arrives-in");
        assert_eq!(shorten_slug("kim-arrives-in-russia", 13), "kim-arrives");
        assert_eq!(shorten_slug("kim-arrives-in-russia", 11), "kim-arrives");
        assert_eq!(shorten_slug("abcdefghij", 4), "abcd");
        assert_eq!(shorten_slug("ab-cdé-fg", 6), "ab");
    }
}
