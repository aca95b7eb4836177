//! `dossier build`: build the site into the output folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::{self, Diagnostic, count_summary};
use crate::output::target;
use crate::progress::Progress;
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
    /// Show no progress, even on a long build in a terminal
    #[arg(long, short)]
    pub quiet: bool,
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
    let (config, mut problems) = match site::configure(&options) {
        Ok(configured) => configured,
        Err(mut problems) => return fail(root, &mut problems, None),
    };
    let output_dir = match &args.output {
        Some(dir) => dir.clone(),
        None => root.join(&config.output_dir),
    };
    let shown = output_dir.display().to_string();
    let shown = match shown.trim_start_matches("./") {
        "" => ".".to_string(),
        rest => rest.to_string(),
    };
    // A refused output folder is reported with every other problem.
    let target = match target::check(root, &output_dir, &shown, args.force) {
        Ok(target) => Some(target),
        Err(refusal) => {
            problems.push(refusal);
            None
        }
    };
    let progress = Progress::for_build(args.quiet);
    let built = site::build(&options, config, problems, target.as_ref(), &progress);
    // The bar goes before anything else is printed.
    progress.finish();
    match built {
        Ok((site, mut warnings)) => {
            let warned = diagnostics::report_warnings_of_build(root, &mut warnings);
            if site.config.base_url.is_none() {
                eprintln!("{NO_BASE_URL}");
            }
            println!(
                "Built {} in {:.2} s → {}/{}",
                site.describe(),
                started.elapsed().as_secs_f64(),
                shown.trim_end_matches('/'),
                warned
            );
            // The process ends here: freeing the site's millions of small
            // allocations one by one would only add to the wait (a third of
            // a second at 100,000 briefs), so the system takes them back.
            std::mem::forget(site);
            0
        }
        Err(Failure(mut problems)) => fail(root, &mut problems, Some((&output_dir, &shown))),
    }
}

/// Reports the problems and a closing line; returns the exit code.
/// `output` is the output folder and how messages name it.
fn fail(root: &Path, problems: &mut Vec<Diagnostic>, output: Option<(&Path, &str)>) -> i32 {
    let kept = match output {
        Some((path, shown)) if path.exists() => format!("; `{shown}` was left as it was"),
        _ => "; nothing was written".to_string(),
    };
    if problems.iter().any(|d| d.code == "interrupted") {
        eprintln!("interrupted{kept}");
        return diagnostics::exit_code(problems);
    }
    let code = diagnostics::report_briefly(root, problems);
    eprintln!("error: build failed with {}{kept}", count_summary(problems));
    code
}
