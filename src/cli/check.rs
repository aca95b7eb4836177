//! `dossier check`: everything `build` does except writing, then every
//! problem found, errors and warnings, sorted by file and line. Of the
//! output folder, it checks what no `--force` allows (the site's own
//! folders); a foreign folder is `build`'s question, as `--force` is.

use std::io::Write;
use std::path::PathBuf;

use crate::diagnostics::{self, Diagnostic, count_summary, plural};
use crate::output::target;
use crate::progress::Progress;
use crate::site::{self, Options};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: error: message` and a `help:` line
    Text,
    /// One JSON object per line and problem
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site's folder (the one holding `content/`)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    pub strict: bool,
    /// How to print problems
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Check drafts as well
    #[arg(long)]
    pub drafts: bool,
}

pub fn execute(args: &Args) -> i32 {
    let options = Options {
        root: args.root.clone(),
        drafts: args.drafts,
        ..Options::default()
    };
    let (mut problems, pages) = match site::configure(&options) {
        Ok((config, mut problems)) => {
            // The output rules that no `--force` lifts; whether a folder
            // dossier did not make may be replaced is for `build` to ask.
            let output = args.root.join(&config.output_dir);
            let shown = output.display().to_string();
            let shown = shown.trim_start_matches("./");
            if let Err(refusal) = target::never_allowed(&args.root, &output, shown) {
                problems.push(refusal);
            }
            let progress = Progress::silent();
            let (mut site, mut found) = site::prepare(&options, config, &progress);
            problems.append(&mut found);
            problems.extend(site.render_all(None, &progress));
            progress.finish();
            (
                problems,
                Some(site.pages.iter().filter(|p| p.is_html()).count()),
            )
        }
        Err(problems) => (problems, None),
    };
    diagnostics::sort_and_dedup(&mut problems);
    print(args, &problems, pages);
    let code = diagnostics::exit_code(&problems);
    if code == 0 && args.strict && !problems.is_empty() {
        1
    } else {
        code
    }
}

/// Problems go to stdout: they are what `check` is asked for.
fn print(args: &Args, problems: &[Diagnostic], pages: Option<usize>) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            for d in problems {
                let _ = writeln!(out, "{}", d.to_json(&args.root));
            }
        }
        Format::Text => {
            for d in problems {
                let _ = writeln!(out, "{}", d.render(&args.root));
            }
            let checked = pages
                .map(|n| format!(" ({} checked)", plural(n, "page", "pages")))
                .unwrap_or_default();
            let strict =
                if args.strict && problems.iter().all(|d| !d.is_error()) && !problems.is_empty() {
                    "; --strict counts warnings as failures"
                } else {
                    ""
                };
            let _ = writeln!(out, "{}{checked}{strict}", count_summary(problems));
        }
    }
}
