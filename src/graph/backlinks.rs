//! Backlinks: which pages link to which, read off the links every body
//! made as it rendered (wikilinks, links to source files, autolinks).
//!
//! Entity pages separate the briefs that *feature* an entity (front
//! matter, see [`super::relations`]) from those that only *mention* it in
//! their body; each mention keeps the sentence it occurs in. Every other
//! body link becomes a "linked from" entry on its target. Drafts are not
//! in the model, so their links never appear.

use std::collections::{BTreeMap, BTreeSet};

use super::targets::Target;
use super::{BriefIx, EntityIx, Graph};

/// How a body linked to a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Wikilink,
    /// A link to a source file: `[text](other.md)`.
    File,
    Autolink,
}

/// The sentence a mention occurs in, split around the words that link.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Context {
    pub before: String,
    pub text: String,
    pub after: String,
}

/// One link out of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct OutLink {
    pub target: Target,
    pub via: Via,
    /// For links from a brief to an entity it does not feature.
    pub context: Option<Context>,
}

/// How many sentences of one brief an entity page shows for its mentions.
pub const CONTEXTS_PER_BRIEF: usize = 3;

/// The mentions of one entity in one brief that does not feature it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub brief: BriefIx,
    pub contexts: Vec<Context>,
}

/// Who links to whom.
#[derive(Debug, Clone, Default)]
pub struct Backlinks {
    /// For each entity: the briefs that mention it without featuring it,
    /// newest first.
    pub mentions: BTreeMap<EntityIx, Vec<Mention>>,
    /// For each page: the other pages whose bodies link to it, each once,
    /// in [`Target`] order. Briefs that feature or mention an entity are
    /// not repeated here for that entity.
    pub linked_from: BTreeMap<Target, Vec<Target>>,
}

impl Backlinks {
    pub fn mentions_of(&self, entity: EntityIx) -> &[Mention] {
        self.mentions.get(&entity).map_or(&[], Vec::as_slice)
    }

    pub fn linked_from(&self, target: Target) -> &[Target] {
        self.linked_from.get(&target).map_or(&[], Vec::as_slice)
    }
}

/// Builds the backlinks from each page's outgoing links (`outgoing[i]` =
/// the page whose body it is, and its links in body order).
pub fn compute(graph: &Graph, outgoing: Vec<(Target, Vec<OutLink>)>) -> Backlinks {
    let mut mentions: BTreeMap<EntityIx, Vec<Mention>> = BTreeMap::new();
    let mut linked_from: BTreeMap<Target, BTreeSet<Target>> = BTreeMap::new();
    for (source, links) in outgoing {
        for link in links {
            if link.target == source {
                continue;
            }
            match (source, link.target) {
                (Target::Brief(b), Target::Entity(e)) => {
                    if features(graph, b, e) {
                        continue;
                    }
                    let list = mentions.entry(e).or_default();
                    if list.last().is_none_or(|m| m.brief != b) {
                        list.push(Mention {
                            brief: b,
                            contexts: Vec::new(),
                        });
                    }
                    let last = list.last_mut().expect("pushed above");
                    if let Some(context) = link.context
                        && last.contexts.len() < CONTEXTS_PER_BRIEF
                        && !last.contexts.contains(&context)
                    {
                        last.contexts.push(context);
                    }
                }
                (source, target) => {
                    linked_from.entry(target).or_default().insert(source);
                }
            }
        }
    }
    // Newest first, as entity pages and their archives show them.
    let position = &graph.relations.position;
    for list in mentions.values_mut() {
        list.sort_by_key(|m| std::cmp::Reverse(position[m.brief]));
    }
    Backlinks {
        mentions,
        linked_from: linked_from
            .into_iter()
            .map(|(t, from)| (t, from.into_iter().collect()))
            .collect(),
    }
}

/// Whether brief `b` names entity `e` in its front matter.
pub fn features(graph: &Graph, b: BriefIx, e: EntityIx) -> bool {
    graph.briefs[b].entities().any(|x| x == e)
}
