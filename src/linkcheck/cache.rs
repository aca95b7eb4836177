//! What earlier runs of `check --sources` learnt, kept in the site folder
//! as `.dossier/sources.json`, so that the next run asks the web only about
//! addresses it has not asked lately: a second run is instant.
//!
//! The file maps each address to its [`Outcome`] and when it was asked
//! (seconds since 1970, UTC); answers older than the site's
//! `check_sources.cache` are asked again and dropped from the file. Only
//! answers that last are kept ([`Outcome::may_pass`]): a server error or a
//! timeout is asked again on the next run, as it may have passed. The file
//! is written whole into a temporary file and renamed into place, so a
//! check stopped halfway leaves the old cache; one that cannot be read (a
//! half-copied file, another tool's) is a warning, and the check starts
//! afresh. The folder holds a `.gitignore` of `*`, so version control does
//! not list it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Outcome;
use crate::diagnostics::Diagnostic;

/// The cache's folder, relative to the site root.
pub const FOLDER: &str = ".dossier";

/// The cache, relative to the site root.
pub const FILE: &str = ".dossier/sources.json";

/// The layout of the file; a file of another version is ignored.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    sources: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// When the address was asked, in seconds since 1970 (UTC).
    checked: u64,
    #[serde(flatten)]
    outcome: Outcome,
}

/// The answers kept for a site, and how long they are trusted.
pub struct Cache {
    /// `None` when the cache is off (`cache: 0`): nothing is read or
    /// written.
    path: Option<PathBuf>,
    max_age: Duration,
    /// True when the answers kept are not used (`--no-cache`), though new
    /// ones are still kept.
    refresh: bool,
    entries: BTreeMap<String, Entry>,
    now: u64,
}

impl Cache {
    /// Opens the cache of the site at `root`, trusting answers younger than
    /// `max_age` (zero turns the cache off); with `refresh`, it trusts none
    /// but still keeps this run's. A cache that cannot be read gives a
    /// warning and an empty cache.
    pub fn open(root: &Path, max_age: Duration, refresh: bool) -> (Cache, Option<Diagnostic>) {
        let mut cache = Cache {
            path: (!max_age.is_zero()).then(|| root.join(FILE)),
            max_age,
            refresh,
            entries: BTreeMap::new(),
            now: seconds_since_1970(SystemTime::now()),
        };
        let problem = match &cache.path {
            Some(path) if !refresh => match read(path) {
                Ok(entries) => {
                    cache.entries = entries;
                    None
                }
                Err(problem) => Some(problem),
            },
            _ => None,
        };
        (cache, problem)
    }

    /// A cache that keeps nothing.
    pub fn off() -> Cache {
        Cache {
            path: None,
            max_age: Duration::ZERO,
            refresh: false,
            entries: BTreeMap::new(),
            now: 0,
        }
    }

    /// The answer kept for `url`, if it is young enough to trust.
    pub fn get(&self, url: &str) -> Option<&Outcome> {
        if self.refresh || self.path.is_none() {
            return None;
        }
        (self.entries.get(url))
            .filter(|entry| self.is_fresh(entry))
            .map(|entry| &entry.outcome)
    }

    /// Keeps this run's answer for `url`, if it is one that lasts.
    pub fn put(&mut self, url: &str, outcome: &Outcome) {
        if self.path.is_none() || outcome.may_pass() {
            return;
        }
        let entry = Entry {
            checked: self.now,
            outcome: outcome.clone(),
        };
        self.entries.insert(url.to_string(), entry);
    }

    /// Writes the answers still worth trusting back to the file; a warning
    /// when that fails.
    pub fn save(mut self) -> Option<Diagnostic> {
        let path = self.path.take()?;
        let entries = std::mem::take(&mut self.entries);
        let stored = Stored {
            version: VERSION,
            sources: (entries.into_iter())
                .filter(|(_, entry)| self.is_fresh(entry))
                .collect(),
        };
        let mut json = serde_json::to_string_pretty(&stored).unwrap_or_default();
        json.push('\n');
        let folder = path.parent().unwrap_or(Path::new("."));
        let written = crate::files::write_atomically(&path, json.as_bytes()).and_then(|()| {
            let ignore = folder.join(".gitignore");
            if ignore.exists() {
                Ok(())
            } else {
                std::fs::write(ignore, "*\n")
            }
        });
        written.err().map(|e| {
            Diagnostic::warning(
                "unusable-cache",
                format!("cannot write the cache of source checks: {e}"),
            )
            .in_file(FILE)
            .with_help(format!(
                "the next check asks every address again; make sure dossier may write `{FOLDER}/` in the site's folder"
            ))
        })
    }

    /// True if and only if `entry` was asked less than `max_age` ago (and
    /// not in the future, which only a wrong clock or a hand edit gives).
    fn is_fresh(&self, entry: &Entry) -> bool {
        entry.checked <= self.now && self.now - entry.checked < self.max_age.as_secs()
    }
}

/// The entries of the cache file; none when there is no file yet or it is
/// of another version.
fn read(path: &Path) -> Result<BTreeMap<String, Entry>, Diagnostic> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(unreadable(e.to_string(), None)),
    };
    match serde_json::from_str::<Stored>(&text) {
        Ok(stored) if stored.version == VERSION => Ok(stored.sources),
        Ok(_) => Ok(BTreeMap::new()),
        Err(e) => {
            let at = (e.line() > 0).then(|| (e.line(), e.column()));
            Err(unreadable(without_position(&e), at))
        }
    }
}

/// The warning for a cache that cannot be read.
fn unreadable(reason: String, at: Option<(usize, usize)>) -> Diagnostic {
    Diagnostic::warning(
        "unusable-cache",
        format!(
            "the cache of source checks cannot be read ({reason}); every address is asked again"
        ),
    )
    .in_file(FILE)
    .at_location(at)
    .with_help(
        "nothing to do: this check writes it afresh (delete the file if this warning comes back)",
    )
}

/// serde_json's message without its ` at line 1 column 2`, which the
/// problem shows as its position.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

fn seconds_since_1970(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linkcheck::Failure;

    const DAY: Duration = Duration::from_secs(86_400);

    #[test]
    fn keeps_lasting_answers_and_trusts_them_until_they_age() {
        let dir = tempfile::tempdir().unwrap();
        let (mut cache, problem) = Cache::open(dir.path(), DAY, false);
        assert!(problem.is_none());
        cache.put("https://a.example/", &Outcome::Alive);
        let timed_out = Outcome::Unreachable {
            failure: Failure::TimedOut { after_ms: 10 },
        };
        cache.put("https://b.example/", &timed_out);
        assert!(cache.save().is_none());
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".dossier/.gitignore")).unwrap(),
            "*\n"
        );

        let (cache, _) = Cache::open(dir.path(), DAY, false);
        assert_eq!(cache.get("https://a.example/"), Some(&Outcome::Alive));
        assert_eq!(cache.get("https://b.example/"), None);
        let (refreshing, _) = Cache::open(dir.path(), DAY, true);
        assert_eq!(refreshing.get("https://a.example/"), None);

        let (mut aged, _) = Cache::open(dir.path(), DAY, false);
        aged.now += DAY.as_secs();
        assert_eq!(aged.get("https://a.example/"), None);
    }

    #[test]
    fn a_broken_file_is_a_warning_at_its_position_and_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(FOLDER)).unwrap();
        std::fs::write(dir.path().join(FILE), "{\n  \"version\": 1,\n  oops").unwrap();
        let (cache, problem) = Cache::open(dir.path(), DAY, false);
        assert!(cache.entries.is_empty());
        let problem = problem.expect("a warning");
        assert_eq!(
            problem.render(Path::new(".")),
            ".dossier/sources.json:3:3: warning: the cache of source checks cannot be read (key must be a string); every address is asked again [unusable-cache]\n  help: nothing to do: this check writes it afresh (delete the file if this warning comes back)"
        );
    }

    #[test]
    fn a_zero_age_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut cache, _) = Cache::open(dir.path(), Duration::ZERO, false);
        cache.put("https://a.example/", &Outcome::Alive);
        assert!(cache.save().is_none());
        assert!(!dir.path().join(FOLDER).exists());
    }
}
