//! `dossier build`: build the site into the output folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::content::model::EntityKind;
use crate::diagnostics::{self, Diagnostic, count_summary, plural};
use crate::site::{self, Failure, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site's folder (the one holding `content/`)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Where to write the site (default: `output_dir` from site.yaml, else public/ in the site's folder)
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The address the site will be published at; overrides `base_url` in site.yaml
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include briefs and pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Make every link end in index.html, so the site works opened from disk
    #[arg(long)]
    pub portable: bool,
    /// Replace the output folder even if dossier did not create it
    #[arg(long)]
    pub force: bool,
}

/// Said once by a build without `base_url`.
pub const NO_BASE_URL: &str = "note: feeds and sitemap skipped: they need absolute URLs and the site has no `base_url`\n  help: set `base_url:` in site.yaml to the address the site will be published at, or pass --base-url URL";

pub fn execute(args: &Args) -> i32 {
    let started = Instant::now();
    let options = Options {
        root: args.root.clone(),
        drafts: args.drafts,
        portable: args.portable,
        base_url: args.base_url.clone(),
    };
    let root = &args.root;
    let output_dir = match &args.output {
        Some(dir) => dir.clone(),
        None => match site::configure(&options) {
            Ok(config) => root.join(&config.output_dir),
            Err(mut problems) => return fail(root, &mut problems, None),
        },
    };
    let shown = output_dir.display().to_string();
    let shown = shown.strip_prefix("./").unwrap_or(&shown).to_string();
    if let Err(d) = check_output_is_safe(root, &output_dir, &shown) {
        return fail(root, &mut vec![d], None);
    }
    match site::build(&options, &output_dir, &shown, args.force) {
        Ok((site, mut warnings)) => {
            diagnostics::sort_and_dedup(&mut warnings);
            super::report(root, &mut warnings);
            if site.config.base_url.is_none() {
                eprintln!("{NO_BASE_URL}");
            }
            let counts = site.page_counts();
            let feeds = counts.get("feeds").copied().unwrap_or(0);
            let total: usize = counts.values().sum::<usize>() - feeds;
            let mut parts = vec![plural(
                counts.get("briefs").copied().unwrap_or(0),
                "brief",
                "briefs",
            )];
            for kind in EntityKind::ALL {
                let (one, many) = kind.count_words();
                parts.push(plural(
                    counts.get(kind.folder()).copied().unwrap_or(0),
                    one,
                    many,
                ));
            }
            parts.push(format!(
                "{} other",
                counts.get("other").copied().unwrap_or(0)
            ));
            let warned = if warnings.is_empty() {
                String::new()
            } else {
                format!(" ({})", count_summary(&warnings))
            };
            let feeds = match feeds {
                0 => String::new(),
                n => format!(" and {}", plural(n, "feed", "feeds")),
            };
            println!(
                "Built {} ({}){feeds} in {:.2} s → {}/{}",
                plural(total, "page", "pages"),
                parts.join(", "),
                started.elapsed().as_secs_f64(),
                shown.trim_end_matches('/'),
                warned
            );
            0
        }
        Err(Failure(mut problems)) => fail(root, &mut problems, Some(&shown)),
    }
}

/// Reports the problems and a closing line; returns the exit code.
fn fail(root: &Path, problems: &mut Vec<Diagnostic>, output: Option<&str>) -> i32 {
    if problems.iter().any(|d| d.code == "interrupted") {
        let kept = output
            .map(|o| format!("; `{o}` was left as it was"))
            .unwrap_or_default();
        eprintln!("interrupted{kept}");
        return diagnostics::exit_code(problems);
    }
    let code = super::report(root, problems);
    let kept = match output {
        Some(out) if Path::new(out).exists() => format!("; `{out}` was left as it was"),
        _ => "; nothing was written".to_string(),
    };
    eprintln!("error: build failed with {}{kept}", count_summary(problems));
    code
}

/// Refuses an output folder that is the site itself, holds it, or lies inside
/// one of the site's source folders: replacing it would destroy the sources.
fn check_output_is_safe(root: &Path, output: &Path, shown: &str) -> Result<(), Diagnostic> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let output = absolute(output);
    let sources = ["content", "templates", "static"].map(|d| root.join(d));
    let danger = root.starts_with(&output) || sources.iter().any(|s| output.starts_with(s));
    if danger {
        return Err(Diagnostic::error(
            "output-inside-site",
            format!("the output folder `{shown}` is or contains the site's own files; building there would destroy them"),
        )
        .with_help("choose a separate folder, e.g. `--output public`"));
    }
    Ok(())
}

/// The absolute form of a path that may not exist yet, with `.` and `..`
/// resolved through the nearest existing ancestor.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let base = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = base.as_path();
    let mut rest = Vec::new();
    while let Some(parent) = existing.parent() {
        if let Some(name) = existing.file_name() {
            rest.push(name.to_os_string());
        }
        existing = parent;
        if let Ok(p) = existing.canonicalize() {
            let mut out = p;
            for name in rest.iter().rev() {
                out.push(name);
            }
            return out;
        }
    }
    base
}
