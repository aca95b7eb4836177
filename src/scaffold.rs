//! The text of new content files (`dossier new`) and new sites (`dossier
//! init`): front matter filled in from what the writer gave, with every
//! optional key as a commented hint. Creating files never overwrites one.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

use crate::content::model::EntityKind;

/// What `dossier new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Brief,
    Person,
    Organization,
    /// The British spelling, for the same kind.
    Organisation,
    Topic,
    Place,
    Page,
}

impl NewKind {
    /// The entity kind, for profiles.
    pub fn entity(self) -> Option<EntityKind> {
        match self {
            NewKind::Person => Some(EntityKind::Person),
            NewKind::Organization | NewKind::Organisation => Some(EntityKind::Organization),
            NewKind::Topic => Some(EntityKind::Topic),
            NewKind::Place => Some(EntityKind::Place),
            NewKind::Brief | NewKind::Page => None,
        }
    }

    /// The folder under `content/`.
    pub fn folder(self) -> &'static str {
        match self {
            NewKind::Brief => "briefs",
            NewKind::Page => "pages",
            other => other.entity().map_or("pages", EntityKind::folder),
        }
    }
}

/// A YAML string in double quotes, safe whatever it holds.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_list(key: &str, items: &[String]) -> String {
    let mut out = format!("{key}:\n");
    for item in items {
        out.push_str(&format!("  - {}\n", quote(item)));
    }
    out
}

/// A new brief dated `date` (`YYYY-MM-DD`).
pub fn brief(title: &str, date: &str, actors: &[String], topics: &[String]) -> String {
    let mut out = format!("---\ntitle: {}\ndate: {date}\n", quote(title));
    out.push_str(
        "# summary: \"One or two sentences. Without it, the first paragraph is the summary.\"\n",
    );
    if actors.is_empty() {
        out.push_str("actors:\n  # - Jane Doe\n  # - ref: Example Ministry\n  #   role: host\n");
    } else {
        out.push_str(&yaml_list("actors", actors));
    }
    if topics.is_empty() {
        out.push_str("# topics: [Trade, Elections]\n");
    } else {
        out.push_str(&yaml_list("topics", topics));
    }
    out.push_str(
        "# places: [Geneva]\n\
         # events:\n\
         #   - date: 2024-05-02          # or 2024-05, or 2024\n\
         #     title: What happened\n\
         #     actors: [Jane Doe]\n\
         #     place: Geneva\n\
         # sources:\n\
         #   - url: https://example.com/report\n\
         #     title: Title of the report\n\
         #     publisher: Example News\n\
         #     date: 2024-05-02\n\
         # updated: 2024-05-03\n\
         # draft: true                   # left out of the site unless --drafts\n\
         ---\n\n",
    );
    out
}

/// A new profile. `referenced_by` lists the briefs that already name the
/// entity (it is a stub until this file exists).
pub fn profile(kind: EntityKind, name: &str, referenced_by: &[String]) -> String {
    let mut out = String::from("---\n");
    if !referenced_by.is_empty() {
        out.push_str("# Already referenced by:\n");
        for path in referenced_by {
            out.push_str(&format!("#   {path}\n"));
        }
    }
    let key = if kind == EntityKind::Topic {
        "title"
    } else {
        "name"
    };
    out.push_str(&format!("{key}: {}\n", quote(name)));
    out.push_str("# aliases: [Other spelling, Short name]   # also match these names\n");
    out.push_str(match kind {
        EntityKind::Person => {
            "# role: Foreign minister\n\
             # country: Country name\n\
             # born: 1970                    # or 1970-01, or 1970-01-08\n\
             # died: 2020-12-17\n\
             # image: img/portrait.jpg        # a file under static/\n\
             # links:\n\
             #   Wikipedia: https://en.wikipedia.org/wiki/Example\n"
        }
        EntityKind::Organization => {
            "# type: News agency\n\
             # country: Country name\n\
             # founded: 1946\n\
             # image: img/logo.png            # a file under static/\n\
             # links:\n\
             #   Website: https://example.org/\n"
        }
        EntityKind::Topic => {
            "# related: [Other topic]          # other topics\n# image: img/topic.jpg\n"
        }
        EntityKind::Place => "# country: Country name\n# lat: 46.2044                    # decimal degrees\n# lon: 6.1432\n",
    });
    out.push_str(
        "# summary: \"One sentence. Without it, the first paragraph is the summary.\"\n\
         # autolink: false                # never link this name automatically\n\
         ---\n\n",
    );
    out
}

/// A new free page.
pub fn page(title: &str) -> String {
    format!(
        "---\ntitle: {}\n# summary: \"One sentence.\"\n# draft: true\n---\n\n",
        quote(title)
    )
}

/// Writes `text` to `path`, which must not exist yet, creating folders.
pub fn create_new(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())
}

/// `site.yaml` for `dossier init`, every key shown with its default.
pub fn site_yaml(title: &str) -> String {
    format!(
        "# The site's settings. Every key is optional; the commented ones show\n\
         # their defaults. See docs/format.md in the dossier repository.\n\
         title: {}\n\
         # description: \"What this briefing covers\"\n\
         # base_url: https://example.org/briefing/   # where the site is published; needed for feeds and the sitemap\n\
         # language: en\n\
         # output_dir: public\n\
         # autolink: first          # first | all | none: link names of people, organisations, topics and places\n\
         # raw_html: sanitize       # sanitize | allow | escape: HTML written in Markdown\n\
         # per_page: 50             # briefs per page of /briefs/\n\
         # feed_limit: 20           # entries per feed\n\
         # portable: false          # true: links end in index.html, so the site works opened from disk\n\
         # extra: {{}}                # free data for your templates\n\
         # check_sources:           # how `dossier check --sources` asks the web about sources and links\n\
         #   cache: 24h             # how long an answer is trusted; 0 keeps no cache\n\
         #   timeout: 10s           # per request\n\
         #   concurrency: 8         # requests at once, each to a different host\n\
         #   delay: 250ms           # pause between two requests to one host\n\
         #   skip: []               # addresses starting with one of these are not asked\n",
        quote(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_anything() {
        assert_eq!(
            quote("Kim: \"the\" visit\\"),
            "\"Kim: \\\"the\\\" visit\\\\\""
        );
    }
}
