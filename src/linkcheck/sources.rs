//! A site's addresses on the web, for `check --sources`: where the site
//! cites each one (every brief's `sources` and every profile's `links`,
//! with the file, line and column of the address), asking them through the
//! cache, and the problem each outcome makes at every place that cites the
//! address (an address cited three times is three problems, one at each).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::cache::{self, Cache};
use super::{Failure, Outcome, status_text};
use crate::config::{CheckSources, format_duration};
use crate::content::model::Model;
use crate::diagnostics::{Diagnostic, plural};
use crate::progress::Progress;
use crate::yaml::Seg;

/// One place where the site cites a web address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// As written (trimmed).
    pub url: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The line and column of the address in the file.
    pub at: Option<(usize, usize)>,
}

/// Every http(s) address the site cites, in the order of its files: each
/// brief's `sources` (the `url:` of a map, the entry itself when it is a
/// bare address) and the URLs its events cite of their own; each profile's
/// `source` of an affiliation or relation and its `links` (relative links
/// are the site's own and are not asked). Needs the files' front matter, so it runs
/// before the pages are rendered, which free it.
pub fn citations(model: &Model) -> Vec<Citation> {
    let mut cited = Vec::new();
    for brief in &model.briefs {
        let yaml = brief.source.yaml();
        for (i, source) in brief.sources.iter().enumerate() {
            let item = [Seg::Key("sources"), Seg::Index(i)];
            let url = [Seg::Key("sources"), Seg::Index(i), Seg::Key("url")];
            cited.push(Citation {
                url: source.url.clone(),
                file: brief.source.path.clone(),
                at: yaml.locate(&url).or_else(|| yaml.locate(&item)),
            });
        }
        // An event's own URLs; a number, or a URL the brief lists, is one
        // of the sources above.
        for (e, event) in brief.events.iter().enumerate() {
            for (n, source) in event.sources.iter().enumerate() {
                if source.number.is_some() {
                    continue;
                }
                let at = [
                    Seg::Key("events"),
                    Seg::Index(e),
                    Seg::Key("sources"),
                    Seg::Index(n),
                ];
                cited.push(Citation {
                    url: source.url.clone(),
                    file: brief.source.path.clone(),
                    at: yaml.locate(&at),
                });
            }
        }
    }
    for profile in &model.profiles {
        let yaml = profile.source.yaml();
        let affiliations = profile
            .affiliations
            .iter()
            .map(|a| ("affiliations", &a.source));
        let relations = profile.relations.iter().map(|r| ("relations", &r.source));
        let entries = (affiliations.enumerate()).chain(relations.enumerate());
        for (n, (list, source)) in entries {
            let Some(url) = source else { continue };
            let at = [Seg::Key(list), Seg::Index(n), Seg::Key("source")];
            cited.push(Citation {
                url: url.clone(),
                file: profile.source.path.clone(),
                at: yaml.locate(&at),
            });
        }
        for (label, url) in &profile.facts.links {
            if !is_web_address(url) {
                continue;
            }
            let at = [Seg::Key("links"), Seg::Label(label.clone())];
            cited.push(Citation {
                url: url.clone(),
                file: profile.source.path.clone(),
                at: yaml.locate(&at).or_else(|| yaml.locate(&at[..1])),
            });
        }
    }
    cited
}

fn is_web_address(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// What asking the web found.
pub struct Report {
    /// A problem at every place that cites an address that did not answer
    /// well, and the cache's warnings.
    pub problems: Vec<Diagnostic>,
    /// The distinct addresses checked, from the cache or the web.
    pub addresses: usize,
}

/// Asks about every address `cited` (each once, or not at all when the
/// cache of the site at `root` knows it, or `settings.skip` says so) and
/// returns the problems. With `refresh` (`--no-cache`), the cache is not
/// trusted but is written afresh. `output_dir` is the site's output folder:
/// if it is the cache's folder, no cache is kept.
pub fn check(
    root: &Path,
    output_dir: &Path,
    settings: &CheckSources,
    cited: &[Citation],
    refresh: bool,
) -> Report {
    let (mut cache, problem) = if is_cache_folder(root, output_dir) {
        (Cache::off(), Some(output_is_cache_folder(output_dir)))
    } else {
        Cache::open(root, settings.cache, refresh)
    };
    let mut problems: Vec<Diagnostic> = problem.into_iter().collect();
    let addresses = distinct_addresses(cited, &settings.skip);
    let skipped = skipped(cited, &settings.skip);
    let outcomes = outcomes(&mut cache, &addresses, skipped, settings);
    problems.extend(cache.save());
    problems.extend(cited.iter().filter_map(|citation| {
        let outcome = outcomes.get(without_fragment(&citation.url))?;
        problem_at(citation, outcome)
    }));
    Report {
        problems,
        addresses: addresses.len(),
    }
}

/// The outcome of every address: from the cache when it knows it, else
/// from the web (with a progress bar), kept in the cache.
fn outcomes(
    cache: &mut Cache,
    addresses: &[String],
    skipped: usize,
    settings: &CheckSources,
) -> HashMap<String, Outcome> {
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    let mut to_ask: Vec<String> = Vec::new();
    for url in addresses {
        match cache.get(url) {
            Some(known) => {
                outcomes.insert(url.clone(), known.clone());
            }
            None => to_ask.push(url.clone()),
        }
    }
    announce(addresses.len(), to_ask.len(), skipped);
    let progress = Progress::for_requests(to_ask.len());
    let asked = super::check(&to_ask, &settings.asking(), &|| progress.answered());
    progress.finish();
    for (url, outcome) in to_ask.into_iter().zip(asked) {
        cache.put(&url, &outcome);
        outcomes.insert(url, outcome);
    }
    outcomes
}

/// The addresses to check, each once, without `#fragment` (never sent),
/// in the order first cited; the skipped ones left out.
fn distinct_addresses(cited: &[Citation], skip: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    (cited.iter())
        .filter(|c| !is_skipped(&c.url, skip))
        .map(|c| without_fragment(&c.url))
        .filter(|url| seen.insert(*url))
        .map(str::to_string)
        .collect()
}

fn skipped(cited: &[Citation], skip: &[String]) -> usize {
    let mut seen = std::collections::HashSet::new();
    (cited.iter())
        .filter(|c| is_skipped(&c.url, skip))
        .filter(|c| seen.insert(without_fragment(&c.url)))
        .count()
}

fn is_skipped(url: &str, skip: &[String]) -> bool {
    skip.iter().any(|prefix| url.starts_with(prefix.as_str()))
}

fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// The line on stderr that says what the check is about to do, as it may
/// take a while: `Checking 9 web addresses (6 answered from the cache)`.
fn announce(addresses: usize, to_ask: usize, skipped: usize) {
    let mut notes = Vec::new();
    if to_ask < addresses {
        notes.push(format!("{} answered from the cache", addresses - to_ask));
    }
    if skipped > 0 {
        notes.push(format!("{skipped} skipped"));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    };
    eprintln!(
        "Checking {}{notes}",
        plural(addresses, "web address", "web addresses")
    );
}

/// True if `output_dir` (relative to `root`, or absolute) is the cache's
/// folder, which a build would replace.
fn is_cache_folder(root: &Path, output_dir: &Path) -> bool {
    let cache = root.join(cache::FOLDER);
    let output = root.join(output_dir);
    match (cache.canonicalize(), output.canonicalize()) {
        (Ok(cache), Ok(output)) => cache == output,
        _ => {
            let lexical = |p: &Path| -> PathBuf {
                p.components()
                    .filter(|c| *c != std::path::Component::CurDir)
                    .collect()
            };
            lexical(&cache) == lexical(&output)
        }
    }
}

fn output_is_cache_folder(output_dir: &Path) -> Diagnostic {
    Diagnostic::warning(
        "unusable-cache",
        format!(
            "the output folder `{}` is where dossier keeps the cache of source checks, so none is kept",
            output_dir.display()
        ),
    )
    .with_help(format!(
        "choose another `output_dir` in site.yaml: a build replaces its output folder, `{}` included",
        cache::FOLDER
    ))
}

/// The problem `outcome` makes at `citation`, if any.
pub fn problem_at(citation: &Citation, outcome: &Outcome) -> Option<Diagnostic> {
    let url = &citation.url;
    let problem = match outcome {
        Outcome::Alive => return None,
        Outcome::Moved { status, to } => {
            let to = with_fragment_of(to, url);
            Diagnostic::warning(
                "moved-source",
                format!(
                    "`{url}` has moved: it answers {} and leads to `{to}`",
                    status_text(*status)
                ),
            )
            .with_help(format!("cite `{to}` instead"))
        }
        Outcome::Dead { status, at } => Diagnostic::error("dead-source", answered(url, *status, at))
            .with_help("the page is gone: cite where it is now, or an archived copy (web.archive.org may have one), or remove it"),
        Outcome::Unverified { status, at } => {
            Diagnostic::warning("unverified-source", answered(url, *status, at))
                .with_help(unverified_help(*status))
        }
        Outcome::Unreachable { failure } => {
            let (message, help) = unreachable(url, failure);
            Diagnostic::error("unreachable-source", message).with_help(help)
        }
    };
    Some(problem.in_file(&citation.file).at_location(citation.at))
}

/// `` `url` answered 404 Not Found ``, or, through redirects, `` `url`
/// leads to `at`, which answered 404 Not Found ``.
fn answered(url: &str, status: u16, at: &Option<String>) -> String {
    match at {
        Some(at) => format!(
            "`{url}` leads to `{at}`, which answered {}",
            status_text(status)
        ),
        None => format!("`{url}` answered {}", status_text(status)),
    }
}

fn unverified_help(status: u16) -> &'static str {
    match status {
        401 | 403 => {
            "the server refuses programs such as this check, or wants a login: open the address in a browser, and if the page is there, list the address under `skip:` in `check_sources:` of site.yaml"
        }
        408 | 429 => {
            "the server asks for fewer requests: check again later, or raise `delay:` under `check_sources:` in site.yaml"
        }
        _ => "the server failed, which often passes: check again later (this answer is not cached)",
    }
}

/// The message and help for an address that gave no answer.
fn unreachable(url: &str, failure: &Failure) -> (String, &'static str) {
    const GONE: &str = "check the address for a typo; if it is right, the site is down or gone: check again later, cite an archived copy (web.archive.org may have one), or remove it";
    const REDIRECTS: &str = "open the address in a browser, and cite the page it should lead to";
    match failure {
        Failure::TimedOut { after_ms } => (
            format!(
                "`{url}` did not answer within {}",
                in_words(std::time::Duration::from_millis(*after_ms))
            ),
            "the server may be down or slow: check again later, or give it longer with `timeout:` under `check_sources:` in site.yaml",
        ),
        Failure::Refused => (
            format!("`{url}` could not be reached: the connection was refused"),
            GONE,
        ),
        Failure::HostNotFound { host } => (
            format!("`{url}` could not be reached: there is no host `{host}`"),
            GONE,
        ),
        Failure::Tls { reason } => (
            format!("`{url}` could not be reached securely: {reason}"),
            "the site's certificate or encryption is broken: check the address (`https://` or `http://`), or check again later",
        ),
        Failure::RedirectLoop { chain } => (
            format!(
                "`{url}` redirects in a loop: {}",
                chain
                    .iter()
                    .map(|u| format!("`{u}`"))
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
            REDIRECTS,
        ),
        Failure::TooManyRedirects => (
            format!(
                "`{url}` redirects more than {} times",
                super::MOST_REDIRECTS
            ),
            REDIRECTS,
        ),
        Failure::BadRedirect { location } if location.is_empty() => {
            (format!("`{url}` redirects without saying where"), REDIRECTS)
        }
        Failure::BadRedirect { location } => (
            format!("`{url}` redirects to `{location}`, which is not a web address"),
            REDIRECTS,
        ),
        Failure::InvalidUrl { reason } => (
            format!("`{url}` cannot be asked: {reason}"),
            "correct the address",
        ),
        Failure::Other { reason } => (format!("`{url}` could not be reached: {reason}"), GONE),
    }
}

/// `10 seconds`, `1 second`, `500ms`.
fn in_words(duration: std::time::Duration) -> String {
    let ms = duration.as_millis();
    if ms.is_multiple_of(1000) {
        let seconds = usize::try_from(ms / 1000).unwrap_or(usize::MAX);
        plural(seconds, "second", "seconds")
    } else {
        format_duration(duration)
    }
}

/// `to` with the `#fragment` the address was cited with, unless the
/// redirect named one of its own.
fn with_fragment_of(to: &str, cited: &str) -> String {
    match cited.split_once('#') {
        Some((_, fragment)) if !to.contains('#') => format!("{to}#{fragment}"),
        _ => to.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_place(url: &str) -> Citation {
        Citation {
            url: url.to_string(),
            file: PathBuf::from("content/briefs/a.md"),
            at: Some((7, 10)),
        }
    }

    #[test]
    fn each_outcome_reads_as_a_problem_at_its_place() {
        let moved = Outcome::Moved {
            status: 301,
            to: "https://new.example/a".into(),
        };
        let shown = |c: &Citation, o: &Outcome| problem_at(c, o).map(|d| d.render(Path::new(".")));
        assert_eq!(
            shown(&at_place("https://x.example/a"), &Outcome::Alive),
            None
        );
        assert_eq!(
            shown(&at_place("https://x.example/a#part"), &moved).unwrap(),
            "content/briefs/a.md:7:10: warning: `https://x.example/a#part` has moved: it answers 301 Moved Permanently and leads to `https://new.example/a#part` [moved-source]\n  help: cite `https://new.example/a#part` instead"
        );
        let dead = Outcome::Dead {
            status: 404,
            at: Some("https://x.example/b".into()),
        };
        assert_eq!(
            problem_at(&at_place("https://x.example/a"), &dead)
                .unwrap()
                .message,
            "`https://x.example/a` leads to `https://x.example/b`, which answered 404 Not Found"
        );
        let slow = Outcome::Unreachable {
            failure: Failure::TimedOut { after_ms: 1500 },
        };
        assert_eq!(
            problem_at(&at_place("https://x.example/a"), &slow)
                .unwrap()
                .message,
            "`https://x.example/a` did not answer within 1500ms"
        );
    }

    #[test]
    fn addresses_are_asked_once_without_fragments_and_skips() {
        let cited = [
            at_place("https://x.example/a#one"),
            at_place("https://x.example/a"),
            at_place("https://skip.example/b"),
            at_place("https://x.example/c"),
        ];
        let skip = vec!["https://skip.example/".to_string()];
        assert_eq!(
            distinct_addresses(&cited, &skip),
            ["https://x.example/a", "https://x.example/c"]
        );
        assert_eq!(skipped(&cited, &skip), 1);
    }
}
