//! The views of ties on entity pages: a person's positions, an
//! organisation's people, and the typed relations of both, each read from
//! the page's own side ("parent of" on the parent's page when `site.yaml`
//! gives the inverse of "son of").

use serde::Serialize;

use crate::content::date::Date;
use crate::graph::EntityIx;
use crate::graph::ties::{Position, Tie};
use crate::render::context::{DateView, EntityLink, Views};
use crate::render::pictures::{GraphTie, StripPeriod};
use crate::text::fold_name;

/// The most positions (or people, or relations) one list of an entity
/// page shows: a page must not grow without bound.
pub const TIES_ON_PAGE: usize = 100;

/// A position: a person in an organisation, with a role and a period.
#[derive(Debug, Clone, Serialize)]
pub struct PositionView {
    pub person: EntityLink,
    pub org: EntityLink,
    pub role: Option<String>,
    pub from: Option<DateView>,
    /// For a former position: when it ended, or the person's death when
    /// no end is written.
    pub until: Option<DateView>,
    /// No end written and the person alive.
    pub current: bool,
    /// A URL backing the entry.
    pub source: Option<String>,
}

/// A typed relation, as read on one of its two pages.
#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    /// The other end (the page's own entity is the other one).
    pub other: EntityLink,
    /// The relation's wording from this page's side when
    /// `this_is_subject` ("son of"), else as written by the other end.
    pub label: String,
    /// True when the sentence reads "this page's entity — label — other";
    /// false when it reads "other — label — this page's entity" (the
    /// other end declared it and `site.yaml` gives no inverse).
    pub this_is_subject: bool,
    pub from: Option<DateView>,
    pub until: Option<DateView>,
    pub source: Option<String>,
}

/// The lists an entity page shows; empty for kinds they do not apply to.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TiesView {
    /// A person's current positions, latest taken first.
    pub positions: Vec<PositionView>,
    /// A person's former positions, latest ended first.
    pub former_positions: Vec<PositionView>,
    /// An organisation's current people, by role, then name.
    pub people: Vec<PositionView>,
    /// An organisation's former people, latest ended first.
    pub former_people: Vec<PositionView>,
    pub relations: Vec<RelationView>,
    /// How many there are in all, when a list is cut at
    /// [`TIES_ON_PAGE`].
    pub position_count: usize,
    pub people_count: usize,
    pub relation_count: usize,
}

impl Views<'_> {
    /// The positions, people and relations of entity `e`.
    pub fn ties(&self, e: EntityIx) -> TiesView {
        let ties = &self.graph.ties;
        let all: Vec<&Position> = (ties.positions_of[e].iter())
            .map(|&n| &ties.positions[n])
            .collect();
        let (own, members): (Vec<&Position>, Vec<&Position>) =
            all.into_iter().partition(|p| p.person == e);
        let (positions, former_positions) = self.split_current(&own, false);
        let (people, former_people) = self.split_current(&members, true);
        let relations: Vec<RelationView> = (ties.relations_of[e].iter())
            .take(TIES_ON_PAGE)
            .map(|&n| self.relation_view(e, &ties.relations[n]))
            .collect();
        TiesView {
            position_count: own.len(),
            people_count: members.len(),
            relation_count: ties.relations_of[e].len(),
            positions,
            former_positions,
            people,
            former_people,
            relations,
        }
    }

    /// Current and former positions, each sorted, at most
    /// [`TIES_ON_PAGE`] in all. Current people are sorted by role, current
    /// positions by start; former ones by end, latest first.
    fn split_current(
        &self,
        positions: &[&Position],
        by_role: bool,
    ) -> (Vec<PositionView>, Vec<PositionView>) {
        let mut current: Vec<(&Position, Option<&Date>)> = Vec::new();
        let mut former: Vec<(&Position, Option<&Date>)> = Vec::new();
        for &position in positions {
            match self.ended(position) {
                None => current.push((position, None)),
                Some(end) => former.push((position, end)),
            }
        }
        let name = |p: &Position| fold_name(&self.graph.entities[p.person].name);
        if by_role {
            current.sort_by_cached_key(|(p, _)| {
                let role = self.graph.ties.affiliation(self.model, p).role.as_deref();
                (role.is_none(), role.map(fold_name), name(p))
            });
        } else {
            current.sort_by(|(a, _), (b, _)| {
                let start = |p: &Position| self.graph.ties.affiliation(self.model, p).from.clone();
                start(b).cmp(&start(a))
            });
        }
        former.sort_by(|(_, a), (_, b)| b.cmp(a));
        let view = |(p, end): (&Position, Option<&Date>)| self.position_view(p, end);
        let current: Vec<PositionView> = current.into_iter().take(TIES_ON_PAGE).map(view).collect();
        let room = TIES_ON_PAGE - current.len();
        let former = former.into_iter().take(room).map(view).collect();
        (current, former)
    }

    /// `None` for a position held still; else when it ended (the written
    /// end, or the person's death), if known.
    fn ended<'m>(&self, position: &'m Position) -> Option<Option<&'m Date>>
    where
        Self: 'm,
    {
        let affiliation = self.graph.ties.affiliation(self.model, position);
        let died = (self.model.profiles[position.profile].facts.died).as_ref();
        match (&affiliation.until, died) {
            (Some(until), _) => Some(Some(until)),
            (None, Some(died)) => Some(Some(died)),
            (None, None) => None,
        }
    }

    fn position_view(&self, position: &Position, end: Option<&Date>) -> PositionView {
        let affiliation = self.graph.ties.affiliation(self.model, position);
        PositionView {
            person: self.entity_link(position.person),
            org: self.entity_link(position.org),
            role: affiliation.role.clone(),
            from: affiliation
                .from
                .as_ref()
                .map(|d| DateView::new(d, &self.config.words)),
            until: end.map(|d| DateView::new(d, &self.config.words)),
            current: self.ended(position).is_none(),
            source: affiliation.source.clone(),
        }
    }

    fn relation_view(&self, e: EntityIx, tie: &Tie) -> RelationView {
        let relation = self.graph.ties.relation(self.model, tie);
        let inverse = self.config.inverses.of(&relation.label);
        let (other, label, this_is_subject) = if tie.subject == e {
            (tie.object, relation.label.clone(), true)
        } else if let Some(inverse) = inverse {
            (tie.subject, inverse.to_string(), true)
        } else {
            (tie.subject, relation.label.clone(), false)
        };
        let words = &self.config.words;
        RelationView {
            other: self.entity_link(other),
            label,
            this_is_subject,
            from: relation.from.as_ref().map(|d| DateView::new(d, words)),
            until: relation.until.as_ref().map(|d| DateView::new(d, words)),
            source: relation.source.clone(),
        }
    }

    /// The ties drawn in an entity's connection graph: its relations, then
    /// its positions (or people), current first, each to the entity at the
    /// other end; a tie with the same other end and label once.
    pub fn graph_ties(&self, view: &TiesView) -> Vec<GraphTie> {
        let relations = view.relations.iter().map(|r| GraphTie {
            other: r.other.clone(),
            label: r.label.clone(),
            outward: r.this_is_subject,
        });
        let role = |p: &PositionView| p.role.clone().unwrap_or_else(|| self.member_word());
        let positions = (view.positions.iter().chain(&view.former_positions)).map(|p| GraphTie {
            other: p.org.clone(),
            label: role(p),
            outward: true,
        });
        let people = (view.people.iter().chain(&view.former_people)).map(|p| GraphTie {
            other: p.person.clone(),
            label: role(p),
            outward: false,
        });
        let mut ties: Vec<GraphTie> = Vec::new();
        for tie in relations.chain(positions).chain(people) {
            let drawn = (ties.iter()).any(|t| t.other.url == tie.other.url && t.label == tie.label);
            if !drawn {
                ties.push(tie);
            }
        }
        ties
    }

    fn member_word(&self) -> String {
        self.config.words.text("member").to_string()
    }

    /// The periods of the positions in `view`, for the timeline strip.
    pub fn strip_periods<'v>(&self, view: &'v TiesView) -> Vec<StripPeriod<'v>> {
        let positions = view.positions.iter().chain(&view.former_positions);
        let people = view.people.iter().chain(&view.former_people);
        let words = &self.config.words;
        let period = |p: &'v PositionView, name: &'v str, url: &'static str| {
            let label = p.role.as_deref().unwrap_or(name);
            let dates = words.fill(
                "period",
                &[
                    ("from", p.from.as_ref().map_or("", |d| d.display.as_str())),
                    ("until", p.until.as_ref().map_or("", |d| d.display.as_str())),
                ],
            );
            StripPeriod {
                from: p.from.as_ref(),
                until: p.until.as_ref(),
                label,
                title: format!("{label}, {name}: {dates}"),
                url,
            }
        };
        (positions.map(|p| period(p, &p.org.name, "#entity-positions")))
            .chain(people.map(|p| period(p, &p.person.name, "#entity-people")))
            .collect()
    }
}
