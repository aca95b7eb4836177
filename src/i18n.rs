//! The site's language (`language:` in site.yaml): the theme's words and how
//! dates are written, from `templates/i18n/<code>.yaml` (the theme ships
//! English, French, German, Spanish, Russian and Korean; a site's own file
//! of the same name wins), with single strings overridden under `strings:`
//! in site.yaml. Every string missing from a translation falls back to
//! English, so a template never meets a missing word.
//!
//! Templates get the words with the `t` function: `{{ t(key="briefs") }}`,
//! `{{ t(key="n_briefs", n=3) }}` (the plural form of the language),
//! `{{ t(key="follow", name=entity.name) }}` (placeholders filled in).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::content::date::Date;
use crate::diagnostics::Diagnostic;
use crate::yaml::{self, Seg};

/// The translations the theme ships, by language code.
pub const THEME: &[(&str, &str)] = &[
    ("en", include_str!("../templates/i18n/en.yaml")),
    ("fr", include_str!("../templates/i18n/fr.yaml")),
    ("de", include_str!("../templates/i18n/de.yaml")),
    ("es", include_str!("../templates/i18n/es.yaml")),
    ("ru", include_str!("../templates/i18n/ru.yaml")),
    ("ko", include_str!("../templates/i18n/ko.yaml")),
];

/// A string of the theme: plain, or with a form per plural category.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Counted(HashMap<String, String>),
}

/// How a language chooses the plural form of a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Plural {
    /// 1 → `one`, else `other` (English, German, Spanish).
    OneOther,
    /// 0 and 1 → `one`, else `other`.
    French,
    /// Russian: `one` (1, 21, …), `few` (2–4, 22–24, …), `many`.
    Slavic,
    /// Always `other` (Korean, Chinese, Japanese).
    None,
}

impl Plural {
    fn category(self, n: i64) -> &'static str {
        let n = n.unsigned_abs();
        match self {
            Plural::OneOther if n == 1 => "one",
            Plural::French if n <= 1 => "one",
            Plural::Slavic if n % 10 == 1 && n % 100 != 11 => "one",
            Plural::Slavic if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => {
                "few"
            }
            Plural::Slavic => "many",
            _ => "other",
        }
    }
}

/// A translation file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    name: Option<String>,
    plural: Option<Plural>,
    months: Option<Vec<String>>,
    months_short: Option<Vec<String>>,
    months_of_day: Option<Vec<String>>,
    date_day: Option<String>,
    date_month: Option<String>,
    date_year: Option<String>,
    date_month_short: Option<String>,
    #[serde(default)]
    strings: HashMap<String, Text>,
}

/// The words and date formats of one language.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    plural: Plural,
    months: Vec<String>,
    months_short: Vec<String>,
    months_of_day: Vec<String>,
    date_day: String,
    date_month: String,
    date_year: String,
    date_month_short: String,
    strings: HashMap<String, Text>,
}

impl Language {
    /// English, the theme's own language and every other's fallback.
    pub fn english() -> Arc<Language> {
        static ENGLISH: OnceLock<Arc<Language>> = OnceLock::new();
        ENGLISH
            .get_or_init(|| {
                let file: File =
                    serde_yaml::from_str(THEME[0].1).expect("the theme's en.yaml parses");
                Arc::new(Language::from_file("en", file, None))
            })
            .clone()
    }

    fn from_file(code: &str, file: File, fallback: Option<&Language>) -> Language {
        let twelve = |list: Option<Vec<String>>, fallback: Option<&Vec<String>>| -> Vec<String> {
            match (list, fallback) {
                (Some(l), _) if l.len() == 12 => l,
                (_, Some(f)) => f.clone(),
                (l, None) => l.unwrap_or_default(),
            }
        };
        let text = |value: Option<String>, fallback: Option<&String>| {
            value.or_else(|| fallback.cloned()).unwrap_or_default()
        };
        let months = twelve(file.months, fallback.map(|f| &f.months));
        let mut strings = fallback.map(|f| f.strings.clone()).unwrap_or_default();
        strings.extend(file.strings);
        Language {
            code: code.to_string(),
            plural: file
                .plural
                .or(fallback.map(|f| f.plural))
                .unwrap_or(Plural::OneOther),
            months_short: twelve(file.months_short, fallback.map(|f| &f.months_short)),
            months_of_day: twelve(file.months_of_day, Some(&months)),
            months,
            date_day: text(file.date_day, fallback.map(|f| &f.date_day)),
            date_month: text(file.date_month, fallback.map(|f| &f.date_month)),
            date_year: text(file.date_year, fallback.map(|f| &f.date_year)),
            date_month_short: text(file.date_month_short, fallback.map(|f| &f.date_month_short)),
            strings,
        }
    }

    /// The language `code` for the site at `root`, with `overrides` (the
    /// `strings:` of site.yaml) applied, and the problems found: an unknown
    /// code (English is used, with a warning), a site translation that
    /// does not parse or lacks strings (each reported at the file; English
    /// fills in).
    pub fn load(
        root: &Path,
        code: &str,
        overrides: &[(String, Text)],
    ) -> (Arc<Language>, Vec<Diagnostic>) {
        let english = Language::english();
        let mut problems = Vec::new();
        let relative = format!("templates/i18n/{code}.yaml");
        let own = crate::files::read_text_if_present(root, Path::new(&relative)).unwrap_or_else(
            |problem| {
                problems.push(problem);
                None
            },
        );
        // `fr-CA` uses French when there is no `fr-CA` of its own.
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or(code)
            .to_ascii_lowercase();
        let theme = (THEME.iter())
            .find(|(c, _)| *c == code)
            .or_else(|| THEME.iter().find(|(c, _)| *c == primary))
            .map(|(_, text)| *text);
        let mut language = match (own, theme) {
            (Some(text), _) => match read_site_file(Path::new(&relative), &text, &english) {
                Ok((file, missing)) => {
                    problems.extend(missing);
                    Language::from_file(code, file, Some(&english))
                }
                Err(p) => {
                    problems.extend(p);
                    Language::clone(&english)
                }
            },
            (None, Some(text)) => {
                let file: File =
                    serde_yaml::from_str(text).expect("the theme's translations parse");
                Language::from_file(code, file, Some(&english))
            }
            (None, None) => {
                if primary != "en" {
                    let known: Vec<&str> = THEME.iter().map(|(c, _)| *c).collect();
                    problems.push(
                        Diagnostic::warning(
                            "unknown-language",
                            format!("the theme has no translation for `language: {code}`; its words are in English"),
                        )
                        .in_file(crate::config::CONFIG_FILE)
                        .with_help(format!(
                            "use one of {}, or translate the theme: copy its `templates/i18n/en.yaml` to `{relative}` and translate every value",
                            known.join(", ")
                        )),
                    );
                }
                Language::clone(&english)
            }
        };
        language.code = code.to_string();
        for (key, text) in overrides {
            language.strings.insert(key.clone(), text.clone());
        }
        (Arc::new(language), problems)
    }

    /// The string `key`; the key itself if no language has it.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.strings.get(key) {
            Some(Text::Plain(s)) => s,
            Some(Text::Counted(forms)) => forms.get("other").map_or(key, String::as_str),
            None => key,
        }
    }

    /// Whether `key` is a string of the theme.
    pub fn has(&self, key: &str) -> bool {
        self.strings.contains_key(key)
    }

    /// The form of `key` for the count `n`, with `{n}` filled in.
    pub fn count(&self, key: &str, n: i64) -> String {
        self.form(key, self.plural.category(n))
            .replace("{n}", &n.to_string())
    }

    /// The plural form `category` (`one`, `few`, `many`, `other`) of `key`
    /// as written, `other` when the language has no such form.
    pub fn form<'a>(&'a self, key: &'a str, category: &str) -> &'a str {
        match self.strings.get(key) {
            Some(Text::Counted(forms)) => forms
                .get(category)
                .or_else(|| forms.get("other"))
                .map_or(key, String::as_str),
            Some(Text::Plain(s)) => s,
            None => key,
        }
    }

    /// `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values)
    }

    /// A date as readers see it: `12 September 2023`, `September 2023`,
    /// `2023`, in the language's words and order.
    pub fn date(&self, date: &Date) -> String {
        match (date.month, date.day) {
            (None, _) => fill(&self.date_year, &[("year", &date.year.to_string())]),
            (Some(m), None) => self.month_year(date.year, m),
            (Some(m), Some(d)) => fill(
                &self.date_day,
                &[
                    ("day", &d.to_string()),
                    ("month", self.month_of_day(m)),
                    ("month_number", &m.to_string()),
                    ("year", &date.year.to_string()),
                ],
            ),
        }
    }

    /// A month of a year: `September 2023`.
    pub fn month_year(&self, year: i32, month: u32) -> String {
        fill(
            &self.date_month,
            &[
                ("month", self.month(month)),
                ("month_number", &month.to_string()),
                ("year", &year.to_string()),
            ],
        )
    }

    /// A month of a year in short, for axes: `Sep 2023`.
    pub fn month_year_short(&self, year: i32, month: u32) -> String {
        let index = (month.clamp(1, 12) - 1) as usize;
        fill(
            &self.date_month_short,
            &[
                ("month", &self.months_short[index]),
                ("month_number", &month.to_string()),
                ("year", &year.to_string()),
            ],
        )
    }

    /// The name of a month (1–12).
    pub fn month(&self, month: u32) -> &str {
        &self.months[(month.clamp(1, 12) - 1) as usize]
    }

    fn month_of_day(&self, month: u32) -> &str {
        &self.months_of_day[(month.clamp(1, 12) - 1) as usize]
    }

    /// Every string key, for checking a site's translation.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }

    /// The Tera function `t`.
    pub fn register(self: &Arc<Self>, tera: &mut tera::Tera) {
        let words = self.clone();
        tera.register_function("t", move |kwargs: tera::Kwargs, _: &tera::State| {
            let key: &str = kwargs.must_get("key")?;
            if !words.has(key) {
                return Err(tera::Error::message(format!(
                    "the theme has no string `{key}` (see templates/i18n/en.yaml for the keys)"
                )));
            }
            // `form="few"`: that plural form as written, `{n}` and all, for
            // a script that counts by itself (the search page).
            if let Some(form) = kwargs.get::<&str>("form")? {
                return Ok(words.form(key, form).to_string());
            }
            let text = match kwargs.get::<i64>("n")? {
                Some(n) => words.count(key, n),
                None => words.text(key).to_string(),
            };
            if !text.contains('{') {
                return Ok(text);
            }
            let values: Vec<(String, String)> = (kwargs.iter())
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .filter(|(name, _)| name != "key" && name != "n")
                .collect();
            let values: Vec<(&str, &str)> = (values.iter())
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            Ok(fill(&text, &values))
        });
    }
}

/// `template` with each `{name}` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A site's own translation file: its content and a warning for each
/// string it lacks (English is used for those) and each key no theme has.
fn read_site_file(
    path: &Path,
    text: &str,
    english: &Language,
) -> Result<(File, Vec<Diagnostic>), Vec<Diagnostic>> {
    let source = yaml::Source {
        file: path,
        yaml: text,
        first_line: 1,
        what: "the translation",
        positions: None,
    };
    let file: File = source.parse().ok()?;
    let mut problems = Vec::new();
    let mut missing: Vec<&str> = english
        .keys()
        .filter(|k| !file.strings.contains_key(*k))
        .collect();
    missing.sort_unstable();
    for key in missing {
        problems.push(
            Diagnostic::warning(
                "missing-string",
                format!("the translation has no string `{key}`; the English one is used"),
            )
            .in_file(path)
            .at_location(source.locate_key(&[], "strings", 0).or(Some((1, 1))))
            .with_help(format!(
                "add `{key}:` under `strings:`, translated from the theme's templates/i18n/en.yaml"
            )),
        );
    }
    let mut unknown: Vec<String> = (file.strings.keys())
        .filter(|k| !english.has(k))
        .cloned()
        .collect();
    unknown.sort_unstable();
    for key in &unknown {
        problems.push(
            Diagnostic::warning("unknown-string", format!("the theme has no string `{key}`"))
                .in_file(path)
                .at_location(source.locate_key(&[Seg::Key("strings")], key, 0))
                .with_help("remove it, or correct its name: the keys are those of the theme's templates/i18n/en.yaml"),
        );
    }
    Ok((file, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_translation_has_every_string_and_placeholder() {
        let english = Language::english();
        for (code, text) in THEME {
            let file: File =
                serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{code}.yaml: {e}"));
            assert_eq!(
                file.months.as_ref().map(Vec::len),
                Some(12),
                "{code}: months"
            );
            assert_eq!(
                file.months_short.as_ref().map(Vec::len),
                Some(12),
                "{code}: months_short"
            );
            for key in english.keys() {
                let theirs = file
                    .strings
                    .get(key)
                    .unwrap_or_else(|| panic!("{code}.yaml has no `{key}`"));
                let placeholders = |t: &Text| -> Vec<String> {
                    let s = match t {
                        Text::Plain(s) => s.clone(),
                        Text::Counted(f) => f.get("other").cloned().unwrap_or_default(),
                    };
                    let mut found: Vec<String> = s
                        .split('{')
                        .skip(1)
                        .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string()))
                        .collect();
                    found.sort();
                    found.dedup();
                    found
                };
                let ours = &english.strings[key];
                assert_eq!(
                    placeholders(theirs),
                    placeholders(ours),
                    "{code}.yaml, `{key}`"
                );
                if let Text::Counted(forms) = theirs {
                    assert!(
                        forms.contains_key("other"),
                        "{code}.yaml, `{key}` has no `other`"
                    );
                }
            }
        }
    }

    #[test]
    fn plural_forms_and_dates() {
        let (ru, _) = Language::load(Path::new("/nonexistent"), "ru", &[]);
        let forms: Vec<String> = [1, 2, 5, 11, 21, 22, 25]
            .iter()
            .map(|&n| ru.count("n_briefs", n))
            .collect();
        assert_eq!(
            forms[0].split(' ').nth(1),
            forms[4].split(' ').nth(1),
            "1 and 21 agree"
        );
        assert_eq!(
            forms[1].split(' ').nth(1),
            forms[5].split(' ').nth(1),
            "2 and 22 agree"
        );
        assert_eq!(
            forms[2].split(' ').nth(1),
            forms[3].split(' ').nth(1),
            "5 and 11 agree"
        );
        assert_ne!(forms[0], forms[1].replace('2', "1"));
        let day = Date::parse("2023-09-12").unwrap();
        assert_eq!(Language::english().date(&day), "12 September 2023");
        assert_eq!(ru.date(&day), "12 сентября 2023 г.");
        let (ko, _) = Language::load(Path::new("/nonexistent"), "ko", &[]);
        assert_eq!(ko.date(&day), "2023년 9월 12일");
        assert_eq!(ko.date(&Date::parse("2023-09").unwrap()), "2023년 9월");
        let (fr, _) = Language::load(Path::new("/nonexistent"), "fr", &[]);
        assert_eq!(fr.date(&day), "12 septembre 2023");
        assert_eq!(
            fr.count("n_briefs", 0),
            fr.count("n_briefs", 1).replace('1', "0")
        );
        let (xx, problems) = Language::load(Path::new("/nonexistent"), "xx", &[]);
        assert_eq!(xx.date(&day), "12 September 2023");
        assert_eq!(problems.len(), 1);
    }
}
