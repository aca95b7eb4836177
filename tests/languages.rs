//! The site's language: a site built in each language the theme ships has
//! no English word of the theme left on any page (text, labels, titles),
//! writes its dates the language's way, counts with the language's plural
//! forms, and can change any word in site.yaml or a translation of its own.
//! An unknown language falls back to English with a warning; a site's own
//! translation that lacks strings is reported at its file and line.

mod common;

use std::collections::BTreeSet;

use common::{Site, brief};
use scraper::{Html, Selector};

/// A site whose content has no English words (names, Latin and numbers
/// only), so that any English left on its pages comes from the theme.
fn latin_site(language: &str) -> Site {
    let site = Site::new();
    site.file(
        "site.yaml",
        &format!("title: Acta Diurna\nlanguage: {language}\nbase_url: https://example.org/\nper_page: 2\n"),
    )
    .file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\naliases: [김정은]\nrole: Dux\ncountry: Corea\nborn: 1984\n---\nLorem ipsum dolor.\n\n## Vita\n\nSit amet.\n\n## Opera\n\nConsectetur.\n\n## Alia\n\nAdipiscing.\n",
    )
    .file(
        "content/organizations/kcna.md",
        "---\nname: KCNA\ntype: Agentia\nfounded: 1946\n---\nNuntii.\n",
    )
    .file("content/places/vladivostok.md", "---\nname: Vladivostok\nlat: 43.1\nlon: 131.9\n---\nUrbs.\n")
    .file("content/topics/arma.md", "---\ntitle: Arma\n---\nArma virumque.\n")
    .file("content/pages/de-nobis.md", "---\ntitle: De nobis\n---\nQuis sumus [[Kim Jong Un]].\n")
    .file(
        "content/briefs/2023-09-12-adventus.md",
        &brief(
            "title: Adventus\nupdated: 2023-09-13\nactors:\n  - ref: Kim Jong Un\n    role: hospes\n  - KCNA\n  - Vladimir Putin\ntopics: [Arma]\nplaces: [Vladivostok]\nevents:\n  - date: 2023-09-12\n    title: Transitus\n    actors: [Kim Jong Un]\n    place: Vladivostok\n  - date: 2023-07\n    title: Legatio\n  - date: 2021\n    title: Fames\nsources:\n  - url: https://example.com/a\n    title: Fons",
            "Kim Jong Un et Vladimir Putin [^1].\n\n[^1]: Nota.\n",
        ),
    )
    .file(
        "content/briefs/2023-09-11-monitio.md",
        &brief("title: Monitio\nactors: [Kim Jong Un, Vladimir Putin]\ntopics: [Arma]", "Kim Jong Un.\n"),
    )
    .file(
        "content/briefs/2023-08-01-prius.md",
        &brief("title: Prius\nactors: [Kim Jong Un]", "Kim Jong Un.\n"),
    );
    site
}

/// Every page of the built site, by path.
fn pages(site: &Site) -> Vec<(String, Html)> {
    (common::html_files(&site.public()).into_iter())
        .map(|path| {
            let text = std::fs::read_to_string(site.public().join(&path)).unwrap();
            (path, Html::parse_document(&text))
        })
        .collect()
}

/// What a reader meets on a page: its text, and the words of labels,
/// placeholders, titles and alternative texts, and of the search page's
/// messages.
fn reader_words(page: &Html) -> String {
    let body = Selector::parse("body").unwrap();
    let mut words = String::new();
    for element in page.select(&body) {
        words.push_str(&element.text().collect::<Vec<_>>().join(" "));
    }
    let any = Selector::parse("*").unwrap();
    for element in page.select(&any) {
        for (name, value) in element.value().attrs() {
            if ["aria-label", "placeholder", "title", "alt"].contains(&name)
                || name.starts_with("data-")
            {
                words.push(' ');
                words.push_str(value);
            }
        }
    }
    let title = Selector::parse("title").unwrap();
    words.extend(page.select(&title).flat_map(|t| t.text()));
    words
}

/// The English words of the theme that a translation changes: the literal
/// parts of each English string (without placeholders) of two words or
/// more, or one capitalised word of four letters or more.
fn english_words(language: &str) -> BTreeSet<String> {
    let read = |code: &str| -> serde_yaml::Value {
        let path = format!("{}/templates/i18n/{code}.yaml", env!("CARGO_MANIFEST_DIR"));
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let (english, theirs) = (read("en"), read(language));
    let texts = |value: &serde_yaml::Value| -> Vec<String> {
        match value {
            serde_yaml::Value::String(s) => vec![s.clone()],
            serde_yaml::Value::Mapping(m) => m
                .values()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut words = BTreeSet::new();
    for (key, value) in english["strings"].as_mapping().unwrap() {
        let translated: Vec<String> = texts(&theirs["strings"][key.as_str().unwrap()]);
        for text in texts(value) {
            for part in text.split(['{', '}']).step_by(2) {
                let part = part.trim_matches(|c: char| !c.is_alphanumeric());
                let several = part.split_whitespace().count() >= 2;
                let capital = part.chars().next().is_some_and(char::is_uppercase)
                    && part.chars().count() >= 4;
                if (several || capital)
                    && !translated.iter().any(|t| t.contains(part))
                    && part != "dossier"
                {
                    words.insert(part.to_string());
                }
            }
        }
    }
    let their_months = theirs["months"].as_sequence().unwrap();
    for month in english["months"].as_sequence().unwrap() {
        if !their_months.contains(month) {
            words.insert(month.as_str().unwrap().to_string());
        }
    }
    words
}

#[test]
fn a_site_in_each_shipped_language_has_no_english_theme_word_left() {
    for language in ["fr", "de", "es", "ru", "ko"] {
        let site = latin_site(language);
        let run = site.build(&[]);
        assert!(
            !run.stderr.contains("unknown-language"),
            "{language}: {}",
            run.stderr
        );
        let english = english_words(language);
        assert!(english.len() > 60, "{language}: {english:?}");
        let pages = pages(&site);
        assert!(pages.len() > 15, "{language}: {} pages", pages.len());
        for (path, page) in &pages {
            let words = reader_words(page);
            for phrase in &english {
                assert!(
                    !words.contains(phrase.as_str()),
                    "{language}: `{phrase}` on {path}:\n{words}"
                );
            }
        }
    }
}

#[test]
fn dates_and_counts_follow_the_language() {
    let cases = [
        ("fr", "12 septembre 2023", "juillet 2023"),
        ("de", "12. September 2023", "Juli 2023"),
        ("es", "12 de septiembre de 2023", "julio de 2023"),
        ("ru", "12 сентября 2023 г.", "июль 2023 г."),
        ("ko", "2023년 9월 12일", "2023년 7월"),
    ];
    for (language, day, month) in cases {
        let site = latin_site(language);
        site.build(&[]);
        let brief = site.page("briefs/adventus/");
        assert_eq!(brief.attrs("html", "lang"), [language]);
        assert_eq!(brief.text(".meta time"), day, "{language}");
        let dates = brief.texts(".event-date");
        assert!(dates.contains(&day.to_string()), "{language}: {dates:?}");
        assert!(dates.contains(&month.to_string()), "{language}: {dates:?}");
        // The search index dates briefs the same way.
        let shards: String = walkdir::WalkDir::new(site.public().join("search"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        assert!(shards.contains(day), "{language}: the search index dates");
    }
    // Russian counts: 1 справка, 2–4 справки, 5 справок.
    let site = latin_site("ru");
    site.build(&[]);
    let people = site.page("people/");
    let counts = people.texts(".entity-list .meta");
    assert!(
        counts.iter().any(|c| c.starts_with("3 справки")),
        "{counts:?}"
    );
    assert!(
        counts.iter().any(|c| c.starts_with("2 справки")),
        "{counts:?}"
    );
    let kcna = site.page("organizations/kcna/");
    assert!(kcna.text(".brief-card").contains("12 сентября 2023 г."));
}

#[test]
fn a_site_changes_words_in_site_yaml_and_in_a_translation_of_its_own() {
    let site = latin_site("en");
    site.file(
        "site.yaml",
        "title: Acta\nlanguage: en\nstrings:\n  briefs: Dossiers\n  n_briefs: { one: \"{n} dossier\", other: \"{n} dossiers\" }\n  brifes: Typo\n",
    );
    let run = site.build(&[]);
    assert!(
        run.stderr
            .contains("site.yaml:6:3: warning: the theme has no string `brifes` [unknown-string]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: did you mean `briefs`?"),
        "{}",
        run.stderr
    );
    let home = site.page("");
    assert_eq!(home.texts(".site-nav a")[0], "Dossiers");
    assert!(
        home.text(".stats").starts_with("3 dossiers on "),
        "{}",
        home.text(".stats")
    );

    // A language the theme does not ship, from the site's own file.
    let site = latin_site("la");
    let run = site.build(&[]);
    assert!(
        run.stderr.contains("warning: the theme has no translation for `language: la`; its words are in English [unknown-language]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("copy its `templates/i18n/en.yaml` to `templates/i18n/la.yaml`")
    );
    site.file(
        "templates/i18n/la.yaml",
        "name: Latina\nplural: one-other\nmonths: [Ianuarius, Februarius, Martius, Aprilis, Maius, Iunius, Iulius, Augustus, September, October, November, December]\nmonths_short: [Ian, Feb, Mar, Apr, Mai, Iun, Iul, Aug, Sep, Oct, Nov, Dec]\ndate_day: \"{day} {month} {year}\"\ndate_month: \"{month} {year}\"\ndate_year: \"{year}\"\ndate_month_short: \"{month} {year}\"\nstrings:\n  briefs: Acta\n  people: Homines\n  unknown_one: Nihil\n",
    );
    site.build(&[]);
    // `check` lists every problem (a build shows the first twenty).
    let run = site.run(&["check"]);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert!(!out.contains("unknown-language"), "{out}");
    assert!(
        out.contains("templates/i18n/la.yaml:9:1: warning: the translation has no string `actors`; the English one is used [missing-string]"),
        "{out}"
    );
    assert!(
        out.contains("templates/i18n/la.yaml:12:3: warning: the theme has no string `unknown_one` [unknown-string]"),
        "{out}"
    );
    let home = site.page("");
    assert_eq!(home.texts(".site-nav a")[..2], ["Acta", "Homines"]);
    assert_eq!(
        site.page("briefs/adventus/").text(".meta time"),
        "12 September 2023"
    );
    assert_eq!(
        site.page("timeline/").texts(".event-date")[1],
        "Iulius 2023"
    );
}
