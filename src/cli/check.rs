//! `dossier check`: everything `build` does except writing, then every
//! problem found, errors and warnings, sorted by file and line. Of the
//! output folder, it checks what no `--force` allows (the site's own
//! folders); a foreign folder is `build`'s question, as `--force` is. With
//! `--sources`, it then asks the web about every address the site cites
//! (`crate::linkcheck`); without it, it never touches the network.

use std::io::Write;
use std::path::PathBuf;

use crate::diagnostics::{self, Diagnostic, count_summary, plural};
use crate::linkcheck::sources;
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
    /// Also ask the web whether every brief's sources and every profile's
    /// links still answer (answers are cached in .dossier/ for `cache:`
    /// under `check_sources:` in site.yaml, 24h by default)
    #[arg(long)]
    pub sources: bool,
    /// With --sources: ask every address again instead of trusting the
    /// cached answers (the cache is then written afresh)
    #[arg(long, requires = "sources")]
    pub no_cache: bool,
}

/// What was checked, for the closing line.
#[derive(Default)]
struct Checked {
    pages: Option<usize>,
    /// Distinct web addresses, with `--sources`.
    addresses: Option<usize>,
}

pub fn execute(args: &Args) -> i32 {
    let options = Options {
        root: args.root.clone(),
        drafts: args.drafts,
        ..Options::default()
    };
    let (mut problems, checked) = match site::configure(&options) {
        Ok((config, problems)) => check_site(args, &options, config, problems),
        Err(problems) => (problems, Checked::default()),
    };
    diagnostics::sort_and_dedup(&mut problems);
    print(args, &problems, &checked);
    let code = diagnostics::exit_code(&problems);
    if code == 0 && args.strict && !problems.is_empty() {
        1
    } else {
        code
    }
}

/// Everything `build` does but writing, then, with `--sources`, the web:
/// `problems` (those of the settings) and every one found after them.
fn check_site(
    args: &Args,
    options: &Options,
    config: crate::config::Config,
    mut problems: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Checked) {
    // The output rules that no `--force` lifts; whether a folder
    // dossier did not make may be replaced is for `build` to ask.
    let output = args.root.join(&config.output_dir);
    let shown = output.display().to_string();
    let shown = shown.trim_start_matches("./");
    if let Err(refusal) = target::never_allowed(&args.root, &output, shown) {
        problems.push(refusal);
    }
    let progress = Progress::silent();
    let (mut site, mut found) = site::prepare(options, config, &progress);
    problems.append(&mut found);
    // Before rendering, which frees the front matter the places of the
    // addresses are found in.
    let cited = args.sources.then(|| sources::citations(&site.model));
    problems.extend(site.render_all(None, &progress));
    progress.finish();
    let mut checked = Checked {
        pages: Some(site.pages.iter().filter(|p| p.is_html()).count()),
        addresses: None,
    };
    if let Some(cited) = cited {
        let config = &site.config;
        let report = sources::check(
            &args.root,
            &config.output_dir,
            &config.check_sources,
            &cited,
            args.no_cache,
        );
        problems.extend(report.problems);
        checked.addresses = Some(report.addresses);
    }
    (problems, checked)
}

/// Problems go to stdout: they are what `check` is asked for.
fn print(args: &Args, problems: &[Diagnostic], checked: &Checked) {
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
            let checked = checked_note(checked);
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

/// ` (17 pages checked)`, ` (17 pages and 9 web addresses checked)`.
fn checked_note(checked: &Checked) -> String {
    let Some(pages) = checked.pages else {
        return String::new();
    };
    let pages = plural(pages, "page", "pages");
    match checked.addresses {
        Some(n) => format!(
            " ({pages} and {} checked)",
            plural(n, "web address", "web addresses")
        ),
        None => format!(" ({pages} checked)"),
    }
}
