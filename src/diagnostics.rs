//! Problems found in a site, and how they are shown to the user.
//!
//! Every phase reports what is wrong with the site as [`Diagnostic`]s instead
//! of stopping at the first problem: the pipeline carries on as far as it
//! safely can, so one run shows the writer everything that needs fixing. A
//! diagnostic names the file (relative to the site root), the line and column
//! where known, says what was expected, and carries a `help:` line when a fix
//! is known. This module is the one place that turns them into text.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem, located as precisely as we know.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable name for the kind of problem (`unknown-key`, `stub`, …),
    /// for tools that filter or annotate.
    pub code: &'static str,
    /// The file, relative to the site root (`content/briefs/x.md`).
    pub file: Option<PathBuf>,
    /// 1-based line in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line.
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// Every code a problem can carry. docs/format.md explains each one
/// ("Every problem by its code"), and `tests/docs.rs` keeps the two lists
/// equal; a code missing here fails every debug build that reports it.
pub const CODES: &[&str] = &[
    "ambiguous-link",
    "ambiguous-reference",
    "broken-link",
    "contradicting-dates",
    "control-character",
    "dead-source",
    "deep-html",
    "duplicate",
    "duplicate-key",
    "duplicate-source",
    "empty-reference",
    "empty-value",
    "event-after-brief",
    "exists",
    "interrupted",
    "invalid-base-url",
    "invalid-date",
    "invalid-id",
    "invalid-image",
    "invalid-reference",
    "invalid-slug",
    "invalid-type",
    "invalid-url",
    "invalid-value",
    "invalid-yaml",
    "io",
    "likely-typo",
    "link-outside",
    "link-to-draft",
    "missing-anchor",
    "missing-date",
    "missing-key",
    "missing-link-target",
    "moved-source",
    "no-actors",
    "no-front-matter",
    "no-site",
    "not-a-file",
    "not-markdown",
    "not-utf8",
    "output-inside-site",
    "output-not-folder",
    "output-not-ours",
    "output-unusable",
    "partial-date",
    "reserved-slug",
    "static-collision",
    "stray-file",
    "stub",
    "template",
    "template-context",
    "template-missing",
    "template-reference",
    "template-render",
    "template-syntax",
    "self-relation",
    "unclosed-front-matter",
    "unknown-folder",
    "unknown-key",
    "unknown-language",
    "unknown-source",
    "unknown-string",
    "unreachable-source",
    "missing-string",
    "missing-image",
    "invalid-name",
    "wrong-kind",
    "unreferenced-profile",
    "unresolved-link",
    "unsafe-url",
    "unusable-cache",
    "unverified-source",
    "usage",
];

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        debug_assert!(
            CODES.contains(&code) || cfg!(test),
            "the problem code `{code}` is not in diagnostics::CODES"
        );
        Diagnostic {
            severity: Severity::Error,
            code,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Places the problem at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_location(self, location: Option<(usize, usize)>) -> Self {
        match location {
            Some((line, column)) => self.at(line, column),
            None => self,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The text shown to the user: `path:line:col: error: message [code]`,
    /// then an indented `help:` line. The code comes last, as compilers put
    /// their warning names, so a writer can look it up in the docs while
    /// editors still read the line as `file:line:col: severity: message`.
    /// `root` is the site folder as the user named it, so the path can be
    /// pasted back into a shell or an editor.
    pub fn render(&self, root: &Path) -> String {
        let mut out = self.headline(root);
        if let Some(help) = &self.help {
            for (i, line) in help.lines().enumerate() {
                let lead = if i == 0 { "help: " } else { "      " };
                out.push_str(&format!("\n  {lead}{line}"));
            }
        }
        out
    }

    /// The first line of [`Diagnostic::render`]: where, what, the code.
    pub fn headline(&self, root: &Path) -> String {
        let mut out = String::new();
        if let Some(file) = &self.file {
            out.push_str(&display_path(root, file));
            if let Some(line) = self.line {
                out.push_str(&format!(":{line}"));
                if let Some(column) = self.column {
                    out.push_str(&format!(":{column}"));
                }
            }
            out.push_str(": ");
        }
        out.push_str(&format!(
            "{}: {} [{}]",
            self.severity, self.message, self.code
        ));
        out
    }

    /// One line of JSON for editors and CI annotations (`check --format
    /// json`): file (as [`display_path`] shows it), line, column, severity,
    /// code, message, help; unknown values are null.
    pub fn to_json(&self, root: &Path) -> String {
        #[derive(serde::Serialize)]
        struct Line<'a> {
            file: Option<String>,
            line: Option<usize>,
            column: Option<usize>,
            severity: String,
            code: &'a str,
            message: &'a str,
            help: Option<&'a str>,
        }
        let line = Line {
            file: self.file.as_deref().map(|f| display_path(root, f)),
            line: self.line,
            column: self.column,
            severity: self.severity.to_string(),
            code: self.code,
            message: &self.message,
            help: self.help.as_deref(),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }

    /// Ordering for reports: by file, then position, errors before warnings.
    fn sort_key(&self) -> (Option<&Path>, usize, usize, Severity, &str) {
        (
            self.file.as_deref(),
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            &self.message,
        )
    }
}

/// Shows `file` (relative to the site root) the way the user would type it:
/// `content/x.md` when building in the site folder, `site/content/x.md` with
/// `--root site`.
pub fn display_path(root: &Path, file: &Path) -> String {
    let joined = if root == Path::new(".") || root.as_os_str().is_empty() || file.is_absolute() {
        file.to_path_buf()
    } else {
        root.join(file)
    };
    joined.display().to_string()
}

/// Prints problems to stderr, sorted and without repeats, then returns the
/// exit code they mean. Every command prints its problems here, and only
/// here.
pub fn report(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> i32 {
    report_some(root, diagnostics, usize::MAX)
}

/// How many warnings `build` and `serve` print in full; `check` prints all.
pub const WARNINGS_SHOWN: usize = 20;

/// Like [`report`], for `build` and `serve`: every error, but only the
/// first [`WARNINGS_SHOWN`] warnings in full, then how many more there are
/// of each kind, and that `dossier check` lists them all.
pub fn report_briefly(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> i32 {
    report_some(root, diagnostics, WARNINGS_SHOWN)
}

/// Reports a successful build's warnings as [`report_briefly`] does and
/// returns what its `Built …` line ends with: ` (2 warnings)`, or nothing.
pub fn report_warnings_of_build(root: &Path, warnings: &mut Vec<Diagnostic>) -> String {
    report_briefly(root, warnings);
    if warnings.is_empty() {
        String::new()
    } else {
        format!(" ({})", count_summary(warnings))
    }
}

fn report_some(root: &Path, diagnostics: &mut Vec<Diagnostic>, max_warnings: usize) -> i32 {
    use std::io::Write;
    sort_and_dedup(diagnostics);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut warnings = 0;
    let mut not_shown: Vec<&Diagnostic> = Vec::new();
    for d in diagnostics.iter() {
        if !d.is_error() {
            warnings += 1;
            if warnings > max_warnings {
                not_shown.push(d);
                continue;
            }
        }
        let _ = writeln!(err, "{}", d.render(root));
    }
    if !not_shown.is_empty() {
        let _ = writeln!(err, "{}", not_shown_summary(&not_shown));
    }
    exit_code(diagnostics)
}

/// `note: 312 more warnings not shown: 300 [stub], 12 [likely-typo]`, with
/// the kinds most frequent first.
fn not_shown_summary(not_shown: &[&Diagnostic]) -> String {
    let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
    for d in not_shown {
        *by_code.entry(d.code).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = by_code.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kinds: Vec<String> = counts
        .iter()
        .map(|(code, n)| format!("{n} [{code}]"))
        .collect();
    format!(
        "note: {} more {} not shown: {}\n  help: `dossier check` lists every problem",
        not_shown.len(),
        if not_shown.len() == 1 {
            "warning"
        } else {
            "warnings"
        },
        kinds.join(", ")
    )
}

/// Sorts problems for display and drops exact repeats (one broken template
/// used by a thousand pages is one problem, not a thousand).
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// The closing line of a report: `2 errors, 1 warning`.
pub fn count_summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error", "errors"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning", "warnings"));
    }
    if parts.is_empty() {
        "no problems".to_string()
    } else {
        parts.join(", ")
    }
}

/// The exit code for a run that found `diagnostics` (SPEC §7): 0 without
/// errors; 2 when any error is about usage, `site.yaml`, or reading and
/// writing files; 1 for problems in the site's content and templates; 130
/// when the user interrupted it (the shell's convention for Ctrl-C).
pub fn exit_code(diagnostics: &[Diagnostic]) -> i32 {
    if diagnostics.iter().any(|d| d.code == "interrupted") {
        return 130;
    }
    let errors = diagnostics.iter().filter(|d| d.is_error());
    let mut code = 0;
    for d in errors {
        let setup = SETUP_CODES.contains(&d.code)
            || d.code.starts_with("output-")
            || d.file.as_deref() == Some(Path::new(crate::config::CONFIG_FILE));
        code = code.max(if setup { 2 } else { 1 });
    }
    code
}

/// Codes of problems that are not in the site's content.
const SETUP_CODES: &[&str] = &[
    "io",
    "no-site",
    "invalid-base-url",
    "usage",
    "output-inside-site",
];

/// `1 brief`, `2 briefs`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Suggests the candidate closest to `wrong` if it is close enough to be a
/// plausible typo.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wrong_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Names to suggest when a reference looks like a typo, folded once so
/// that many lookups stay cheap.
pub struct Names<'a> {
    /// Sorted by length in characters, then folded name; parallel to
    /// `counts`.
    names: Vec<Name<'a>>,
    /// How often each character occurs in each name: kept apart, side by
    /// side, because every lookup scans these for all names of a near
    /// length (tens of thousands in a large site).
    counts: Vec<CharCounts>,
}

/// A name as written, folded, and its length in characters.
struct Name<'a> {
    folded: String,
    len: usize,
    written: &'a str,
}

/// How often the characters of a name occur, in 32 buckets. An insertion
/// or deletion changes one count by one, a substitution two, a
/// transposition none; so names whose counts differ by more than
/// `2 × edits` in all cannot be that close: a cheap test that spares most
/// distance computations, even among many similar names.
#[derive(Clone, Copy)]
struct CharCounts([u8; 32]);

impl CharCounts {
    fn of(name: &str) -> CharCounts {
        let mut counts = [0u8; 32];
        for c in name.chars() {
            let bucket = &mut counts[c as usize % 32];
            *bucket = bucket.saturating_add(1);
        }
        CharCounts(counts)
    }

    /// The number of insertions and deletions that would make the counts
    /// equal.
    fn difference(&self, other: &CharCounts) -> u32 {
        // Summed in u16 lanes, which the compiler turns into a few vector
        // instructions: 32 counts of at most 255 cannot overflow them.
        (self.0.iter().zip(&other.0))
            .map(|(a, b)| u16::from(a.abs_diff(*b)))
            .sum::<u16>()
            .into()
    }
}

impl<'a> Names<'a> {
    pub fn new(names: impl IntoIterator<Item = &'a str>) -> Names<'a> {
        let mut names: Vec<Name<'a>> = names
            .into_iter()
            .map(|written| {
                let folded = crate::text::fold_name(written);
                let len = folded.chars().count();
                Name {
                    folded,
                    len,
                    written,
                }
            })
            .collect();
        names.sort_by(|a, b| (a.len, &a.folded).cmp(&(b.len, &b.folded)));
        names.dedup_by(|a, b| a.folded == b.folded);
        let counts = names.iter().map(|n| CharCounts::of(&n.folded)).collect();
        Names { names, counts }
    }

    /// The name closest to `wrong` when it is only a slip of the keyboard
    /// away (at most two edits, and few for its length), compared after
    /// folding case and spaces. Stricter than [`nearest`]: names that differ
    /// by a letter or two, such as `Kim Jong Il` and `Kim Jong Un`, are often
    /// different people, so short names only match with one edit, and very
    /// short ones not at all.
    pub fn nearest(&self, wrong: &str) -> Option<&'a str> {
        let wrong = crate::text::fold_name(wrong);
        let wrong_len = wrong.chars().count();
        if wrong_len < 4 {
            return None;
        }
        let allowed = if wrong_len >= 12 { 2 } else { 1 };
        let counts = CharCounts::of(&wrong);
        // Sorted by length: only look at names of a near length.
        let from = self.names.partition_point(|n| n.len + allowed < wrong_len);
        let to = self.names.partition_point(|n| n.len <= wrong_len + allowed);
        (from..to)
            .filter(|&i| self.counts[i].difference(&counts) <= 2 * allowed as u32)
            .map(|i| &self.names[i])
            .filter(|n| n.folded != wrong)
            .filter_map(|n| {
                let distance = strsim::damerau_levenshtein(&wrong, &n.folded);
                (distance <= allowed).then_some((distance, n.written))
            })
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
            .map(|(_, name)| name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_name_catches_typos_not_relatives() {
        let names = Names::new(["Vladimir Putin", "Kim Jong Un", "Sergei Shoigu", "K"]);
        assert_eq!(names.nearest("Vladimir Puttin"), Some("Vladimir Putin"));
        assert_eq!(names.nearest("kim jong  un"), None);
        assert_eq!(names.nearest("Kim Jong Il"), None);
        assert_eq!(names.nearest("Sergei Shoygu"), Some("Sergei Shoigu"));
        assert_eq!(names.nearest("X"), None);
    }

    #[test]
    fn renders_location_and_help() {
        let d = Diagnostic::error("unknown-key", "unknown key `actor`")
            .in_file("content/briefs/a.md")
            .at(3, 1)
            .with_help("did you mean `actors`?");
        assert_eq!(
            d.render(Path::new(".")),
            "content/briefs/a.md:3:1: error: unknown key `actor` [unknown-key]\n  help: did you mean `actors`?"
        );
        assert_eq!(
            d.render(Path::new("site")),
            "site/content/briefs/a.md:3:1: error: unknown key `actor` [unknown-key]\n  help: did you mean `actors`?"
        );
    }

    #[test]
    fn suggests_only_close_names() {
        let keys = ["title", "actors", "topics"];
        assert_eq!(nearest("actor", keys), Some("actors"));
        assert_eq!(nearest("zzzz", keys), None);
    }

    #[test]
    fn counts() {
        let ds = vec![
            Diagnostic::error("x", "a"),
            Diagnostic::warning("y", "b"),
            Diagnostic::warning("y", "c"),
        ];
        assert_eq!(count_summary(&ds), "1 error, 2 warnings");
    }
}
