//! `site.yaml`: the [`Config`] struct, its defaults, and its validation.
//!
//! Every key is optional. Unknown keys are errors with a suggestion, so a typo
//! such as `per_pgae:` cannot silently fall back to a default. Problems here
//! are configuration errors (exit code 2), reported with the line of the key.

use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::yaml;

/// Where `site.yaml` lives, relative to the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// How plain-text mentions of entities become links (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Autolink {
    First,
    All,
    None,
}

/// What happens to raw HTML inside Markdown (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    Sanitize,
    Allow,
    Escape,
}

/// `check_sources:`: how `dossier check --sources` asks the web about the
/// addresses the site cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSources {
    /// How long an answer is trusted (`cache:`); zero keeps no cache.
    pub cache: Duration,
    /// How long one request may take (`timeout:`).
    pub timeout: Duration,
    /// Requests at once, each to a different host (`concurrency:`).
    pub concurrency: usize,
    /// The pause between two requests to one host (`delay:`).
    pub delay: Duration,
    /// Addresses starting with one of these are not asked (`skip:`).
    pub skip: Vec<String>,
}

impl Default for CheckSources {
    fn default() -> Self {
        let asking = crate::linkcheck::Settings::default();
        CheckSources {
            cache: Duration::from_secs(24 * 60 * 60),
            timeout: asking.timeout,
            concurrency: asking.concurrency,
            delay: asking.delay,
            skip: Vec::new(),
        }
    }
}

impl CheckSources {
    /// The settings of the asking itself.
    pub fn asking(&self) -> crate::linkcheck::Settings {
        crate::linkcheck::Settings {
            concurrency: self.concurrency,
            timeout: self.timeout,
            delay: self.delay,
        }
    }
}

/// The site's settings after defaults are applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, always ending in `/`; `None` when the site has none.
    pub base_url: Option<String>,
    pub language: String,
    /// As written in `site.yaml`, relative to the site root.
    pub output_dir: PathBuf,
    pub autolink: Autolink,
    pub raw_html: RawHtml,
    pub per_page: usize,
    pub feed_limit: usize,
    pub portable: bool,
    pub extra: serde_yaml::Value,
    /// `inverse_relations:`: how a relation reads from its other end.
    pub inverses: Inverses,
    pub check_sources: CheckSources,
    /// `exports:`: which data files a build writes.
    pub exports: Exports,
    /// `strings:`: the theme's words this site changes, by key.
    pub strings: Vec<(String, crate::i18n::Text)>,
    /// The theme's words and date formats in `language`
    /// ([`crate::i18n::Language::load`] fills it in; English until then).
    pub words: std::sync::Arc<crate::i18n::Language>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Briefings".to_string(),
            description: String::new(),
            base_url: None,
            language: "en".to_string(),
            output_dir: PathBuf::from("public"),
            autolink: Autolink::First,
            raw_html: RawHtml::Sanitize,
            per_page: 50,
            feed_limit: 20,
            portable: false,
            extra: serde_yaml::Value::Mapping(Default::default()),
            inverses: Inverses::default(),
            check_sources: CheckSources::default(),
            exports: Exports::default(),
            strings: Vec::new(),
            words: crate::i18n::Language::english(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    output_dir: Option<String>,
    autolink: Option<Autolink>,
    raw_html: Option<RawHtml>,
    per_page: Option<usize>,
    feed_limit: Option<usize>,
    portable: Option<bool>,
    extra: Option<serde_yaml::Value>,
    inverse_relations: Option<IndexMap<String, String>>,
    strings: Option<IndexMap<String, crate::i18n::Text>>,
    check_sources: Option<RawCheckSources>,
    exports: Option<RawExports>,
}

/// `exports:`: the data files a build writes beside the pages
/// ([`crate::output::data`]); each is on unless switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exports {
    /// `data/dossier.json` and its schema.
    pub json: bool,
    /// `data/briefs.csv` and `data/events.csv`.
    pub csv: bool,
    /// `data/graph.graphml`.
    pub graphml: bool,
    /// `events.ics`, and one per entity with events.
    pub ics: bool,
}

impl Exports {
    /// Every export on, or every one off.
    pub fn all(on: bool) -> Exports {
        Exports {
            json: on,
            csv: on,
            graphml: on,
            ics: on,
        }
    }
}

impl Default for Exports {
    fn default() -> Self {
        Exports::all(true)
    }
}

/// `exports:` as written: `true`/`false` for all, or a mapping of each.
#[derive(Debug)]
enum RawExports {
    All(bool),
    Each(RawExportsEach),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExportsEach {
    json: Option<bool>,
    csv: Option<bool>,
    graphml: Option<bool>,
    ics: Option<bool>,
}

impl<'de> Deserialize<'de> for RawExports {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = RawExports;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`true`, `false` or a mapping of `json`, `csv`, `graphml` and `ics`")
            }

            fn visit_bool<E: serde::de::Error>(self, on: bool) -> Result<RawExports, E> {
                Ok(RawExports::All(on))
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                map: M,
            ) -> Result<RawExports, M::Error> {
                let each = serde::de::value::MapAccessDeserializer::new(map);
                RawExportsEach::deserialize(each).map(RawExports::Each)
            }
        }
        deserializer.deserialize_any(Either)
    }
}

impl RawExports {
    fn settings(self) -> Exports {
        match self {
            RawExports::All(on) => Exports::all(on),
            RawExports::Each(each) => Exports {
                json: each.json.unwrap_or(true),
                csv: each.csv.unwrap_or(true),
                graphml: each.graphml.unwrap_or(true),
                ics: each.ics.unwrap_or(true),
            },
        }
    }
}

/// `check_sources:` as written; durations are checked after parsing, so
/// that a bad one is reported in words of durations.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheckSources {
    cache: Option<serde_yaml::Value>,
    timeout: Option<serde_yaml::Value>,
    concurrency: Option<usize>,
    delay: Option<serde_yaml::Value>,
    skip: Option<Vec<String>>,
}

/// Reads `site.yaml` under `root`; a missing file means all defaults. With
/// the settings come every problem found: a setting with a problem keeps its
/// default, so the rest of the site can still be checked.
pub fn load(root: &Path) -> (Config, Vec<Diagnostic>) {
    match crate::files::read_text_if_present(root, Path::new(CONFIG_FILE)) {
        Ok(Some(text)) => read(&crate::text::without_placeholder(text)),
        Ok(None) => (Config::default(), Vec::new()),
        Err(problem) => (Config::default(), vec![problem]),
    }
}

/// Parses the text of `site.yaml`: the settings, or every problem in it.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    match read(text) {
        (config, problems) if problems.is_empty() => Ok(config),
        (_, problems) => Err(problems),
    }
}

/// Reads the text of `site.yaml` into settings and every problem found.
pub fn read(text: &str) -> (Config, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source = yaml::Source {
        file: Path::new(CONFIG_FILE),
        yaml: text,
        first_line: 1,
        what: "site.yaml",
        positions: None,
    };
    // Every problem at once: a key with a bad value is left out of the
    // parse and takes its default, so the checks below still run.
    let parsed = source.parse::<RawConfig>();
    let mut problems = parsed.problems;
    let raw = parsed.value.unwrap_or_default();
    let defaults = Config::default();
    let mut config = Config {
        title: raw.title.unwrap_or(defaults.title),
        description: raw.description.unwrap_or_default(),
        base_url: None,
        language: raw.language.unwrap_or(defaults.language),
        output_dir: raw
            .output_dir
            .map(PathBuf::from)
            .unwrap_or(defaults.output_dir),
        autolink: raw.autolink.unwrap_or(defaults.autolink),
        raw_html: raw.raw_html.unwrap_or(defaults.raw_html),
        per_page: raw.per_page.unwrap_or(defaults.per_page),
        feed_limit: raw.feed_limit.unwrap_or(defaults.feed_limit),
        portable: raw.portable.unwrap_or(false),
        extra: raw.extra.unwrap_or(defaults.extra),
        inverses: Inverses::new(raw.inverse_relations.unwrap_or_default()),
        check_sources: check_sources(&source, raw.check_sources, &mut problems),
        exports: raw
            .exports
            .map_or_else(Exports::default, RawExports::settings),
        strings: Vec::new(),
        words: defaults.words,
    };
    // Strings the theme has: a misspelt key would change nothing.
    let english = crate::i18n::Language::english();
    for (key, text) in raw.strings.unwrap_or_default() {
        if english.has(&key) {
            config.strings.push((key, text));
        } else {
            let at = source.locate_key(&[yaml::Seg::Key("strings")], &key, 0);
            let mut d =
                Diagnostic::warning("unknown-string", format!("the theme has no string `{key}`"))
                    .in_file(CONFIG_FILE)
                    .at_location(at);
            d = match crate::diagnostics::nearest(&key, english.keys()) {
                Some(near) => d.with_help(format!("did you mean `{near}`?")),
                None => d.with_help("the keys are those of the theme's templates/i18n/en.yaml"),
            };
            problems.push(d);
        }
    }
    if let Some(url) = raw.base_url {
        match normalize_base_url(&url) {
            Ok(url) => config.base_url = Some(url),
            Err(help) => problems.push(source.error_at_key(
                "invalid-base-url",
                "base_url",
                format!("`base_url` must be an absolute http(s) URL, found `{url}`"),
                help,
            )),
        }
    }
    if config.title.trim().is_empty() {
        config.title = Config::default().title;
        problems.push(source.error_at_key(
            "empty-value",
            "title",
            "`title` is empty",
            "write the site's name, e.g. `title: Korea–Russia Watch`, or remove the line to use the default `Briefings`",
        ));
    }
    if config.per_page == 0 {
        config.per_page = Config::default().per_page;
        problems.push(source.error_at_key(
            "invalid-value",
            "per_page",
            "`per_page` must be at least 1",
            "use the number of briefs to show on each list page, e.g. `per_page: 50`",
        ));
    }
    if config.output_dir.as_os_str().is_empty() {
        config.output_dir = Config::default().output_dir;
        problems.push(source.error_at_key(
            "invalid-value",
            "output_dir",
            "`output_dir` is empty",
            "name a folder, e.g. `output_dir: public`",
        ));
    }
    if !config.extra.is_mapping() && !config.extra.is_null() {
        config.extra = Config::default().extra;
        problems.push(source.error_at_key(
            "invalid-value",
            "extra",
            "`extra` must be a mapping of keys to values",
            "write `extra:` followed by indented `key: value` lines",
        ));
    }
    (config, problems)
}

/// `check_sources:` with its defaults, and a problem at each bad value
/// (which keeps its default).
fn check_sources(
    source: &yaml::Source,
    raw: Option<RawCheckSources>,
    problems: &mut Vec<Diagnostic>,
) -> CheckSources {
    let raw = raw.unwrap_or_default();
    let defaults = CheckSources::default();
    let mut duration =
        |key: &'static str, value: Option<serde_yaml::Value>, default, may_be_zero| {
            let Some(value) = value else { return default };
            match setting_duration(key, &value, may_be_zero) {
                Ok(duration) => duration,
                Err((message, help)) => {
                    let at = [yaml::Seg::Key("check_sources"), yaml::Seg::Key(key)];
                    problems.push(
                        source
                            .error_at("invalid-value", &at, message)
                            .with_help(help),
                    );
                    default
                }
            }
        };
    let cache = duration("cache", raw.cache, defaults.cache, true);
    let timeout = duration("timeout", raw.timeout, defaults.timeout, false);
    let delay = duration("delay", raw.delay, defaults.delay, true);
    let concurrency = match raw.concurrency {
        Some(0) => {
            let at = [
                yaml::Seg::Key("check_sources"),
                yaml::Seg::Key("concurrency"),
            ];
            problems.push(
                source
                    .error_at(
                        "invalid-value",
                        &at,
                        "`check_sources.concurrency` must be at least 1",
                    )
                    .with_help(
                        "write how many addresses may be asked at once, e.g. `concurrency: 8`",
                    ),
            );
            defaults.concurrency
        }
        given => given.unwrap_or(defaults.concurrency),
    };
    let mut skip = Vec::new();
    for (i, prefix) in raw.skip.unwrap_or_default().into_iter().enumerate() {
        let prefix = prefix.trim();
        if prefix.is_empty() {
            let at = [
                yaml::Seg::Key("check_sources"),
                yaml::Seg::Key("skip"),
                yaml::Seg::Index(i),
            ];
            problems.push(
                source
                    .error_at("empty-value", &at, format!("`check_sources.skip[{i}]` is empty"))
                    .with_help("write the start of the addresses not to ask, e.g. `https://www.example.com/`, or remove the entry"),
            );
        } else {
            skip.push(prefix.to_string());
        }
    }
    CheckSources {
        cache,
        timeout,
        concurrency,
        delay,
        skip,
    }
}

/// A duration under `check_sources:`, or the message and help for a bad
/// one.
fn setting_duration(
    key: &str,
    value: &serde_yaml::Value,
    may_be_zero: bool,
) -> Result<Duration, (String, String)> {
    let text = match value {
        serde_yaml::Value::String(text) => text.clone(),
        serde_yaml::Value::Number(number) => number.to_string(),
        _ => String::new(),
    };
    let example = match key {
        "cache" => "24h",
        "timeout" => "10s",
        _ => "250ms",
    };
    match parse_duration(&text) {
        Some(duration) if duration.is_zero() && !may_be_zero => Err((
            format!("`check_sources.{key}` must be longer than 0"),
            format!("write e.g. `{key}: {example}`"),
        )),
        Some(duration) => Ok(duration),
        None => {
            let found = if text.is_empty() {
                "something else".to_string()
            } else {
                format!("`{text}`")
            };
            let zero = if key == "cache" {
                "; `cache: 0` keeps no cache"
            } else {
                ""
            };
            Err((
                format!(
                    "`check_sources.{key}` must be a duration such as `{example}`, found {found}"
                ),
                format!(
                    "write a whole number and a unit: `ms`, `s`, `m`, `h`, `d` or `w` (e.g. `{key}: {example}`){zero}"
                ),
            ))
        }
    }
}

/// Reads a duration as site.yaml writes them: a whole number and a unit
/// (`250ms`, `10s`, `30m`, `24h`, `7d`, `2w`; a space between them is
/// allowed), or `0`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text == "0" {
        return Some(Duration::ZERO);
    }
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    let number: u64 = text[..digits].parse().ok()?;
    let unit_ms: u64 = match text[digits..].trim_start() {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 604_800_000,
        _ => return None,
    };
    number.checked_mul(unit_ms).map(Duration::from_millis)
}

/// Writes a duration the way site.yaml takes it: `250ms`, `10s`, `30m`,
/// `24h`, `7d`.
pub fn format_duration(duration: Duration) -> String {
    let ms = duration.as_millis();
    for (unit, size) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
    ] {
        if ms >= size && ms.is_multiple_of(size) {
            return format!("{}{unit}", ms / size);
        }
    }
    if ms == 0 {
        "0".to_string()
    } else {
        format!("{ms}ms")
    }
}

/// Checks that a base URL is absolute http(s) and gives it a trailing `/`, so
/// `base_url + "people/kim/"` is always right. Returns a help text otherwise.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !rest.contains(|c: char| c.is_whitespace() || c == '?' || c == '#') => {
            let mut url = url.to_string();
            if !url.ends_with('/') {
                url.push('/');
            }
            Ok(url)
        }
        _ => Err("write the full address the site will be published at, e.g. `https://example.org/briefing/`".to_string()),
    }
}

/// The wording of each relation type read from its other end: `son of: parent
/// of` makes "A son of B" read "B parent of A" on B's page, and the other
/// way round. Types are compared as names are (case and spaces folded).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inverses {
    by_type: std::collections::HashMap<String, String>,
}

impl Inverses {
    /// From `site.yaml`'s pairs. Each pair works both ways; where two
    /// pairs give a type different inverses, the first written wins.
    pub fn new(pairs: IndexMap<String, String>) -> Inverses {
        let mut by_type = std::collections::HashMap::new();
        for (one, other) in pairs {
            let (one, other) = (one.trim().to_string(), other.trim().to_string());
            if one.is_empty() || other.is_empty() {
                continue;
            }
            by_type
                .entry(crate::text::fold_name(&one))
                .or_insert_with(|| other.clone());
            by_type.entry(crate::text::fold_name(&other)).or_insert(one);
        }
        Inverses { by_type }
    }

    /// How a relation of type `label` reads from its other end, if the
    /// site says.
    pub fn of(&self, label: &str) -> Option<&str> {
        self.by_type
            .get(&crate::text::fold_name(label))
            .map(String::as_str)
    }
}

impl Config {
    /// The path part of `base_url` (`/briefing/` for
    /// `https://example.org/briefing/`), or `/` without one.
    pub fn base_path(&self) -> &str {
        self.base_url
            .as_deref()
            .and_then(|url| url.split_once("://"))
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_the_path_of_base_url() {
        let mut c = Config::default();
        assert_eq!(c.base_path(), "/");
        c.base_url = Some("https://user.github.io/briefing/".into());
        assert_eq!(c.base_path(), "/briefing/");
        c.base_url = Some("http://127.0.0.1:8000/".into());
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn defaults_when_empty() {
        let c = parse("").unwrap();
        assert_eq!(c.per_page, 50);
        assert_eq!(c.autolink, Autolink::First);
        assert_eq!(c.output_dir, PathBuf::from("public"));
    }

    #[test]
    fn base_url_gets_a_slash() {
        let c = parse("base_url: https://example.org/watch").unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://example.org/watch/"));
    }

    #[test]
    fn unknown_key_suggests() {
        let errs = parse("title: x\nper_pgae: 3\n").unwrap_err();
        let text = errs[0].render(Path::new("."));
        assert_eq!(
            text,
            "site.yaml:2:1: error: unknown key `per_pgae` in site.yaml [unknown-key]\n  help: did you mean `per_page`?"
        );
    }

    #[test]
    fn bad_values_are_all_reported() {
        let errs = parse("base_url: example.org\nper_page: 0\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].line, Some(1));
        assert_eq!(errs[1].line, Some(2));
    }

    #[test]
    fn inverse_relations_work_both_ways() {
        let c =
            parse("inverse_relations:\n  son of: parent of\n  Deputy to: superior of\n").unwrap();
        assert_eq!(c.inverses.of("son of"), Some("parent of"));
        assert_eq!(c.inverses.of("Parent  Of"), Some("son of"));
        assert_eq!(c.inverses.of("deputy to"), Some("superior of"));
        assert_eq!(c.inverses.of("superior of"), Some("Deputy to"));
        assert_eq!(c.inverses.of("supplies arms to"), None);
    }

    #[test]
    fn check_sources_takes_durations_and_reports_bad_ones_at_their_line() {
        let c = parse("check_sources:\n  cache: 7d\n  timeout: 2s\n  delay: 0\n  concurrency: 2\n  skip: [https://x.example/]\n").unwrap();
        assert_eq!(
            c.check_sources,
            CheckSources {
                cache: Duration::from_secs(7 * 86_400),
                timeout: Duration::from_secs(2),
                concurrency: 2,
                delay: Duration::ZERO,
                skip: vec!["https://x.example/".to_string()],
            }
        );
        let errs =
            parse("check_sources:\n  cache: soon\n  timeout: 0\n  delay: 5\n  concurrency: 0\n")
                .unwrap_err();
        let texts: Vec<String> = errs.iter().map(|e| e.render(Path::new("."))).collect();
        assert_eq!(
            texts,
            [
                "site.yaml:2:10: error: `check_sources.cache` must be a duration such as `24h`, found `soon` [invalid-value]\n  help: write a whole number and a unit: `ms`, `s`, `m`, `h`, `d` or `w` (e.g. `cache: 24h`); `cache: 0` keeps no cache",
                "site.yaml:3:12: error: `check_sources.timeout` must be longer than 0 [invalid-value]\n  help: write e.g. `timeout: 10s`",
                "site.yaml:4:10: error: `check_sources.delay` must be a duration such as `250ms`, found `5` [invalid-value]\n  help: write a whole number and a unit: `ms`, `s`, `m`, `h`, `d` or `w` (e.g. `delay: 250ms`)",
                "site.yaml:5:16: error: `check_sources.concurrency` must be at least 1 [invalid-value]\n  help: write how many addresses may be asked at once, e.g. `concurrency: 8`",
            ]
        );
    }

    #[test]
    fn durations_read_and_write_alike() {
        for text in ["250ms", "10s", "30m", "12h", "7d", "0"] {
            assert_eq!(format_duration(parse_duration(text).unwrap()), text);
        }
        for (text, shown) in [("2w", "14d"), ("24h", "1d"), ("90s", "90s")] {
            assert_eq!(
                parse_duration(text).map(format_duration).as_deref(),
                Some(shown)
            );
        }
        assert_eq!(parse_duration("10 s"), Some(Duration::from_secs(10)));
        for bad in [
            "",
            "10",
            "s",
            "1.5h",
            "-1s",
            "10 sec",
            "99999999999999999999w",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn exports_switch_off_one_by_one_or_all_at_once() {
        assert_eq!(parse("").unwrap().exports, Exports::all(true));
        let c = parse("exports:\n  csv: false\n  ics: false\n").unwrap();
        assert_eq!(
            c.exports,
            Exports {
                json: true,
                csv: false,
                graphml: true,
                ics: false
            }
        );
        assert_eq!(
            parse("exports: false\n").unwrap().exports,
            Exports::all(false)
        );
        let errs = parse("title: x\nexports:\n  jsn: false\n").unwrap_err();
        assert_eq!(
            errs[0].render(Path::new(".")),
            "site.yaml:3:3: error: unknown key `jsn` in `exports` [unknown-key]\n  help: did you mean `json`?"
        );
        let errs = parse("exports: some\n").unwrap_err();
        assert_eq!(
            errs[0].render(Path::new(".")),
            "site.yaml:1:10: error: `exports` should be `true`, `false` or a mapping of `json`, `csv`, `graphml` and `ics`, found the text \"some\" [invalid-type]\n  help: write `true`, `false` or a mapping of `json`, `csv`, `graphml` and `ics` here"
        );
    }

    #[test]
    fn bad_enum_value() {
        let errs = parse("autolink: sometimes\n").unwrap_err();
        let text = errs[0].render(Path::new("."));
        assert_eq!(
            text,
            "site.yaml:1:11: error: `autolink` cannot be `sometimes` [invalid-value]\n  help: use `first`, `all` or `none`"
        );
    }
}
