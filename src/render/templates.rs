//! Tera: the site's templates over the built-in theme, compiled once per
//! build, and template errors turned into diagnostics that name the
//! template file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::content::walk::is_ignored_name;
use crate::diagnostics::Diagnostic;
use crate::render::theme;

/// The internal template that renders the HTML of one brief card or event
/// with the site's components (see `render::context::Caches`).
const FRAGMENTS: &str = "__dossier_fragments.html";
const FRAGMENTS_SOURCE: &str = "{%- if event -%}{{ <event_item event={event} /> }}{%- else -%}{{ <brief_card brief={brief} actors={false} /> }}{%- endif -%}";

/// The compiled templates and which of them came from the site.
pub struct Templates {
    pub tera: Tera,
    /// Names of templates read from the site's `templates/` folder.
    site: BTreeSet<String>,
    /// Whether the fragments template compiled (the theme has the
    /// components it calls).
    fragments: bool,
}

impl Templates {
    /// Compiles the site's templates (from `root/templates`, if any) over the
    /// built-in ones. Reports every syntax error in every file.
    pub fn load(
        root: &Path,
        words: &std::sync::Arc<crate::i18n::Language>,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let (site_sources, mut problems) = read_site_templates(&root.join("templates"));
        let site: BTreeSet<String> = site_sources.keys().cloned().collect();
        let mut sources: BTreeMap<String, String> = theme::TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        sources.extend(site_sources);

        let mut templates = Templates {
            tera: new_tera(),
            site,
            fragments: false,
        };
        words.register(&mut templates.tera);
        // Parse each site template alone first, so every file's syntax
        // errors are reported, not only the first file's.
        for name in &templates.site {
            let mut alone = new_tera();
            if let Err(e) = alone.add_raw_template(name, &sources[name])
                && matches!(e.kind(), ErrorKind::SyntaxError(_))
            {
                problems.push(templates.diagnose(&e));
            }
        }
        if problems.is_empty() {
            // With the fragments template, which renders the site's own
            // `brief_card` and `event_item` once per brief and event; a
            // theme without those components does without it.
            let mut with_fragments = sources.clone();
            with_fragments.insert(FRAGMENTS.to_string(), FRAGMENTS_SOURCE.to_string());
            if templates
                .tera
                .add_raw_templates(with_fragments.iter())
                .is_ok()
            {
                templates.fragments = true;
            } else {
                templates.tera = new_tera();
                words.register(&mut templates.tera);
                if let Err(e) = templates.tera.add_raw_templates(sources.iter()) {
                    problems.extend(templates.diagnose_all(&e));
                }
            }
        }
        if problems.is_empty() {
            Ok(templates)
        } else {
            Err(problems)
        }
    }

    /// Whether [`Templates::render_fragment`] can be used.
    pub fn has_fragments(&self) -> bool {
        self.fragments
    }

    /// Renders one brief card (`brief` in `context`, as
    /// `<brief_card brief={brief} actors={false} />`) or event (`event`, as
    /// `<event_item event={event} />`) with the site's components.
    pub fn render_fragment(&self, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(FRAGMENTS, context)
            .map_err(|e| self.diagnose(&e))
    }

    /// The file a template name stands for, as shown in messages.
    fn file_of(&self, name: &str) -> PathBuf {
        if self.site.contains(name) {
            Path::new("templates").join(name)
        } else {
            PathBuf::from(format!("(built-in theme) templates/{name}"))
        }
    }

    /// Every problem in a Tera error. Checks made once all templates are
    /// loaded (unknown functions, filters, components, includes, blocks) come
    /// as one message of several text reports; each becomes a diagnostic.
    fn diagnose_all(&self, error: &tera::Error) -> Vec<Diagnostic> {
        let ErrorKind::Msg(text) = error.kind() else {
            return vec![self.diagnose(error)];
        };
        let located: Vec<Diagnostic> = text
            .split("\n\n")
            .filter_map(parse_report)
            .map(|(name, line, column, message)| {
                Diagnostic::error("template-reference", format!("in template `{name}`: {message}"))
                    .in_file(self.file_of(name))
                    .at(line, column)
                    .with_help("see docs/templates.md for the templates, filters and functions a theme can use")
            })
            .collect();
        if located.is_empty() {
            vec![self.diagnose(error)]
        } else {
            located
        }
    }

    /// A Tera error met while rendering `template`: as [`Templates::diagnose`],
    /// at the template's file when Tera gives no place (a component that
    /// calls itself forever, a failed function).
    pub fn diagnose_rendering(&self, template: &str, error: &tera::Error) -> Diagnostic {
        let d = self.diagnose(error);
        if d.file.is_some() {
            return d;
        }
        let message = chain(error);
        let help = if message.contains("recursion depth") {
            "a component that uses itself needs a condition that stops it (`{% if … %}`)"
        } else {
            "see docs/templates.md for the templates, filters and functions a theme can use"
        };
        Diagnostic::error(
            "template-render",
            format!("in template `{template}`: {message}"),
        )
        .in_file(self.file_of(template))
        .with_help(help)
    }

    /// A Tera error as a diagnostic at the template's file, line and column.
    pub fn diagnose(&self, error: &tera::Error) -> Diagnostic {
        match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let code = if matches!(error.kind(), ErrorKind::SyntaxError(_)) {
                    "template-syntax"
                } else {
                    "template-render"
                };
                let span = report.span();
                let d = Diagnostic::error(
                    code,
                    format!("in template `{}`: {}", report.filename(), report.message()),
                )
                .in_file(self.file_of(report.filename()))
                .at(span.start_line.max(1), span.start_col + 1);
                let help = if code == "template-syntax" {
                    "check the `{% … %}` and `{{ … }}` tags near this point; see docs/templates.md"
                } else {
                    "see docs/templates.md for the fields each template receives; optional fields are present but empty, so guard them with `{% if x %}`"
                };
                d.with_help(help)
            }
            ErrorKind::MissingParent { current, parent } => Diagnostic::error(
                "template-missing",
                format!("template `{current}` extends `{parent}`, which does not exist"),
            )
            .in_file(self.file_of(current))
            .with_help(format!("create `templates/{parent}` or extend `base.html`")),
            ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
                "template",
                format!(
                    "template `{tpl}` includes itself: {}",
                    include_chain.join(" → ")
                ),
            )
            .in_file(self.file_of(tpl))
            .with_help("remove one of the `{% include %}` tags in that chain"),
            ErrorKind::TemplateNotFound(name) => Diagnostic::error(
                "template-missing",
                format!("template `{name}` does not exist"),
            )
            .with_help(format!("create `templates/{name}`")),
            _ => Diagnostic::error("template", format!("template error: {}", chain(error))),
        }
    }
}

fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera
}

/// Every template file under `dir`, by name (`partials/card.html`).
fn read_site_templates(dir: &Path) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let mut sources = BTreeMap::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return (sources, problems);
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        // `i18n/` holds the site's translations of the theme's words.
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(is_ignored_name(&name) || (e.depth() == 1 && name == "i18n"))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().and_then(|p| p.strip_prefix(dir).ok());
                let rel = Path::new("templates").join(path.unwrap_or(Path::new("")));
                let site = dir.parent().unwrap_or(dir);
                problems.push(crate::files::walk_error(site, &e, &rel));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let file = Path::new("templates").join(rel);
        if !entry.file_type().is_file() {
            problems.push(crate::files::not_a_file_warning(&file));
            continue;
        }
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match std::fs::read(entry.path()).map(String::from_utf8) {
            Ok(Ok(text)) => {
                sources.insert(name, text);
            }
            Ok(Err(e)) => problems.push(crate::yaml::not_utf8(&file, &e)),
            Err(e) => problems.push(crate::files::unreadable(&file, &e, false)),
        }
    }
    (sources, problems)
}

/// Reads one of Tera's text reports, `error: MESSAGE` then
/// `--> NAME:LINE:COL`, as (name, line, column, message).
fn parse_report(report: &str) -> Option<(&str, usize, usize, &str)> {
    let mut lines = report.lines();
    let message = lines.next()?.strip_prefix("error: ")?;
    let locus = lines.next()?.trim_start().strip_prefix("--> ")?;
    let (rest, column) = locus.rsplit_once(':')?;
    let (name, line) = rest.rsplit_once(':')?;
    Some((name, line.parse().ok()?, column.parse().ok()?, message))
}

/// An error and its causes on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
