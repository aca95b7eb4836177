//! Problems of positions and relations: an affiliation whose `org` is a
//! person, a relation of an entity with itself, and dates that contradict
//! each other (an end before the start) or a life (a position taken after
//! the person died, ended before they were born or before the organisation
//! was founded).

use crate::content::date::Date;
use crate::content::model::{EntityKind, Model, Profile};
use crate::diagnostics::Diagnostic;
use crate::graph::Graph;
use crate::yaml::Seg;

/// Every problem of the ties declared by profiles, in model order.
pub fn problems(model: &Model, graph: &Graph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (p, profile) in model.profiles.iter().enumerate() {
        let positions = graph.ties.positions_of[p].iter();
        for position in positions.map(|&n| &graph.ties.positions[n]) {
            if position.person != p {
                continue;
            }
            let org = &graph.entities[position.org];
            let at = |key| entry_at("affiliations", position.entry, key);
            if org.kind != EntityKind::Organization {
                out.push(
                    (profile.source.yaml())
                        .error_at(
                            "wrong-kind",
                            &at("org"),
                            format!(
                                "`{}` is a {}, but an affiliation's `org` names an organisation",
                                org.name,
                                org.kind.name()
                            ),
                        )
                        .with_help("name the organisation the position is in; to say how two people are related, use `relations:`"),
                );
            }
            let affiliation = graph.ties.affiliation(model, position);
            let (from, until) = (affiliation.from.as_ref(), affiliation.until.as_ref());
            out.extend(period_problems(profile, from, until, &at));
            let founded = org
                .profile
                .and_then(|o| model.profiles[o].facts.founded.as_ref());
            if let (Some(until), Some(founded)) = (until, founded)
                && until.ends_before(founded)
            {
                out.push(contradiction(
                    profile,
                    &at("until"),
                    format!(
                        "the position ends ({}) before {} was founded ({})",
                        until.iso(),
                        org.name,
                        founded.iso()
                    ),
                ));
            }
        }
        for (entry, relation) in profile.relations.iter().enumerate() {
            let at = |key| entry_at("relations", entry, key);
            let (from, until) = (relation.from.as_ref(), relation.until.as_ref());
            out.extend(period_problems(profile, from, until, &at));
        }
    }
    for &(p, entry) in &graph.ties.with_itself {
        let profile = &model.profiles[p];
        out.push(
            (profile.source.yaml())
                .warning_at(
                    "self-relation",
                    &entry_at("relations", entry, "with"),
                    format!(
                        "{} is related to itself; the relation is left out",
                        profile.name
                    ),
                )
                .with_help("name the other person or organisation in `with:`"),
        );
    }
    out
}

/// The path of `key` in entry `entry` of the list `list`.
fn entry_at(list: &'static str, entry: usize, key: &'static str) -> Vec<Seg> {
    vec![Seg::Key(list), Seg::Index(entry), Seg::Key(key)]
}

/// The problems of one period: an end before its start, a start after the
/// person died, an end before they were born.
fn period_problems(
    profile: &Profile,
    from: Option<&Date>,
    until: Option<&Date>,
    at: &dyn Fn(&'static str) -> Vec<Seg>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let facts = &profile.facts;
    if let (Some(from), Some(until)) = (from, until)
        && until.ends_before(from)
    {
        out.push(contradiction(
            profile,
            &at("until"),
            format!(
                "it ends (`until: {}`) before it starts (`from: {}`)",
                until.iso(),
                from.iso()
            ),
        ));
    }
    if let (Some(from), Some(died)) = (from, &facts.died)
        && died.ends_before(from)
    {
        out.push(contradiction(
            profile,
            &at("from"),
            format!(
                "it starts ({}) after {} died ({})",
                from.iso(),
                profile.name,
                died.iso()
            ),
        ));
    }
    if let (Some(until), Some(born)) = (until, &facts.born)
        && until.ends_before(born)
    {
        out.push(contradiction(
            profile,
            &at("until"),
            format!(
                "it ends ({}) before {} was born ({})",
                until.iso(),
                profile.name,
                born.iso()
            ),
        ));
    }
    out
}

fn contradiction(profile: &Profile, at: &[Seg], message: String) -> Diagnostic {
    (profile.source.yaml())
        .warning_at("contradicting-dates", at, message)
        .with_help("correct the date: `from` is when it began, `until` when it ended; leave `until` out while it lasts")
}
