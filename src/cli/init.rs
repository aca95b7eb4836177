//! `dossier init DIR`: a new site that builds at once: `site.yaml` with
//! every key explained, one brief, person and topic that link to each other,
//! and a `.gitignore` for the output. `--templates` also copies the built-in
//! templates, to customise them (like `mdbook init --theme`).

use std::path::{Path, PathBuf};

use crate::content::model::EntityKind;
use crate::diagnostics::Diagnostic;
use crate::render::theme;
use crate::scaffold;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create the site in (new, or empty)
    pub dir: PathBuf,
    /// Also copy the built-in templates into `templates/` to customise them
    #[arg(long)]
    pub templates: bool,
}

pub fn execute(args: &Args) -> i32 {
    match init(args) {
        Ok(files) => {
            println!("Created a new site in {}:", args.dir.display());
            for file in files {
                println!("  {file}");
            }
            println!(
                "Next: cd {} && dossier serve   (or `dossier build` to write public/)",
                args.dir.display()
            );
            0
        }
        Err(d) => crate::diagnostics::report(Path::new("."), &mut vec![d]).max(2),
    }
}

fn init(args: &Args) -> Result<Vec<String>, Diagnostic> {
    let dir = &args.dir;
    let shown = dir.display();
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::error("io", format!("cannot read `{shown}`: {e}")))?
            .next()
            .is_none();
        if !empty {
            return Err(Diagnostic::error("usage", format!("`{shown}` is not empty; dossier init only creates a site in a new or empty folder"))
                .with_help("choose a new folder name, e.g. `dossier init my-briefing`"));
        }
    }
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let mut files: Vec<(String, String)> = vec![
        ("site.yaml".into(), scaffold::site_yaml("My briefing")),
        (".gitignore".into(), "/public/\n".into()),
        (
            format!("content/briefs/{today}-welcome.md"),
            welcome_brief(&today),
        ),
        ("content/people/ada-example.md".into(), example_person()),
        ("content/topics/getting-started.md".into(), example_topic()),
    ];
    if args.templates {
        for (name, source) in theme::TEMPLATES {
            files.push((format!("templates/{name}"), source.to_string()));
        }
    }
    for (rel, text) in &files {
        scaffold::create_new(&dir.join(rel), text).map_err(|e| {
            Diagnostic::error(
                "io",
                format!("cannot write `{}`: {e}", dir.join(rel).display()),
            )
        })?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

fn welcome_brief(today: &str) -> String {
    let mut text = scaffold::brief(
        "Welcome to your briefing",
        today,
        &["Ada Example".to_string()],
        &["Getting started".to_string()],
    );
    text.push_str(
        "This is a brief: a Markdown file in `content/briefs/` whose front matter names the \
         people, organisations, topics and places it is about. Ada Example has a profile in \
         `content/people/`, so her name links to her page, and her page lists this brief.\n\n\
         Write a new brief with `dossier new brief \"Title\"`, and a profile with \
         `dossier new person \"Name\"`.\n",
    );
    text
}

fn example_person() -> String {
    let mut text = scaffold::profile(EntityKind::Person, "Ada Example", &[]);
    text = text.replacen("# role: Foreign minister\n", "role: Example analyst\n", 1);
    text.push_str("Ada Example is a made-up person who shows what a profile looks like. Replace her with the people your briefs are about.\n");
    text
}

fn example_topic() -> String {
    let mut text = scaffold::profile(EntityKind::Topic, "Getting started", &[]);
    text.push_str(
        "Topics gather the briefs about one subject. This one gathers the welcome brief.\n",
    );
    text
}
