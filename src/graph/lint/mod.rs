//! Warnings about a site that builds but is probably not what its writer
//! meant (SPEC §7, `check`): profiles no brief refers to, briefs without
//! actors, events dated implausibly long after the brief that reports them,
//! the same source listed twice, and positions and relations whose dates
//! contradict each other or a life (see [`ties`]). Stubs and likely typos are reported where
//! references are resolved ([`super::references`]).

use std::collections::{HashMap, HashSet};

use crate::content::model::{Brief, EntityKind, Model};
use crate::diagnostics::Diagnostic;
use crate::text::{fold_name, slugify};
use crate::yaml::Seg;

mod ties;

use super::backlinks::Backlinks;
use super::targets::Target;
use super::{Entity, Graph};

/// Every warning of this kind about the site, in model order.
pub fn warnings(model: &Model, graph: &Graph, backlinks: &Backlinks) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for brief in &model.briefs {
        out.extend(no_actors(brief));
        out.extend(events_after_brief(brief));
        out.extend(duplicate_sources(brief));
    }
    out.extend(ties::problems(model, graph));
    let named_by_failed = NamedByFailed::new(model);
    for (e, entity) in graph.entities.iter().enumerate() {
        let Some(p) = entity.profile else { continue };
        if named_by_failed.names(entity) {
            // Only a file with errors of its own refers to it: those errors
            // are the news, not this.
            continue;
        }
        let relations = &graph.relations.entities[e];
        let linked_by_brief = backlinks
            .linked_from(Target::Entity(e))
            .iter()
            .any(|t| matches!(t, Target::Brief(_)));
        let referenced = !relations.briefs.is_empty()
            || graph.ties.names(e)
            || !relations.events.is_empty()
            || !backlinks.mentions_of(e).is_empty()
            || linked_by_brief;
        if !referenced {
            let profile = &model.profiles[p];
            let key = if entity.kind == EntityKind::Topic {
                "title"
            } else {
                "name"
            };
            out.push(
                profile
                    .source
                    .yaml()
                    .warning_at(
                        "unreferenced-profile",
                        &[Seg::Key(key)],
                        format!("no brief refers to {} `{}`", entity.kind.name(), entity.name),
                    )
                    .with_help("name it in a brief's front matter or body, or delete the profile if it is no longer needed"),
            );
        }
    }
    out
}

/// The references made by files that failed to load, in every form a
/// reference can match an entity by (SPEC §3).
struct NamedByFailed {
    ids: HashSet<String>,
    names: HashSet<String>,
}

impl NamedByFailed {
    fn new(model: &Model) -> NamedByFailed {
        let references = model.failed.iter().flat_map(|f| &f.references);
        let mut named = NamedByFailed {
            ids: HashSet::new(),
            names: HashSet::new(),
        };
        for text in references {
            // A wikilink may start with a folder: `[[people/kim-jong-un]]`.
            let text = super::targets::without_folder(text);
            named.ids.insert(text.trim().to_string());
            named.ids.insert(slugify(text));
            named.names.insert(fold_name(text));
        }
        named
    }

    fn names(&self, entity: &Entity) -> bool {
        self.ids.contains(&entity.id)
            || std::iter::once(&entity.name)
                .chain(&entity.aliases)
                .any(|n| self.names.contains(&fold_name(n)))
    }
}

fn no_actors(brief: &Brief) -> Option<Diagnostic> {
    brief.actors.is_empty().then(|| {
        brief
            .source
            .yaml()
            .warning_at("no-actors", &[Seg::Key("title")], format!("the brief `{}` has no actors", brief.title))
            .with_help("add `actors:` with the people and organisations it is about, so their pages list it")
    })
}

/// How far after its brief an event may be dated before it looks like a
/// slip of the year. Events after their brief are normal (a deadline, a
/// planned visit), and a brief's date stands for its whole day.
const PLAUSIBLY_AHEAD_YEARS: i32 = 2;

fn events_after_brief(brief: &Brief) -> Vec<Diagnostic> {
    let last = brief.updated.as_ref().unwrap_or(&brief.date);
    let (year, month, day) = last.first_day();
    let limit = (year + PLAUSIBLY_AHEAD_YEARS, month, day);
    (brief.events.iter().enumerate())
        .filter(|(_, event)| event.date.first_day() > limit)
        .map(|(i, event)| {
            brief
                .source
                .yaml()
                .warning_at(
                    "event-after-brief",
                    &[Seg::Key("events"), Seg::Index(i), Seg::Key("date")],
                    format!(
                        "the event `{}` is dated {}, more than {PLAUSIBLY_AHEAD_YEARS} years after the brief itself ({})",
                        event.title,
                        event.date.iso(),
                        last.iso()
                    ),
                )
                .with_help("check the year, which is easily mistyped; an event planned that far ahead is fine, and this warning can then be ignored")
        })
        .collect()
}

fn duplicate_sources(brief: &Brief) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, source) in brief.sources.iter().enumerate() {
        let key = source.url.trim().trim_end_matches('/').to_ascii_lowercase();
        match seen.get(&key) {
            Some(first) => out.push(
                brief
                    .source
                    .yaml()
                    .warning_at(
                        "duplicate-source",
                        &[Seg::Key("sources"), Seg::Index(i)],
                        format!(
                            "`{}` is listed twice in `sources` (first as `sources[{first}]`)",
                            source.url
                        ),
                    )
                    .with_help("remove one of them"),
            ),
            None => {
                seen.insert(key, i);
            }
        }
    }
    out
}
