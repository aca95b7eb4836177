//! The maps pages show, as views: which places each map draws and how
//! heavily, handed to [`super::maps`] to draw, with the same places as a
//! text list for readers who cannot see the drawing. A place is drawn only
//! when its profile gives both `lat` and `lon`.

use serde::Serialize;

use crate::content::model::EntityKind;
use crate::graph::{BriefIx, EntityIx};
use crate::render::context::{EntityLink, Views};
use crate::render::maps::{self, MapKind, Marker};

/// A map and the list of what it shows.
#[derive(Debug, Clone, Serialize)]
pub struct MapView {
    /// The drawing: one inline `<svg>`, already escaped (print it with
    /// `| safe`).
    pub svg: String,
    /// What the map shows, in words (its SVG title and the caption).
    pub title: String,
    /// The places drawn, as a text list, in the order of the map's markers.
    pub places: Vec<MapPlace>,
}

/// A place on a map, for the text list.
#[derive(Debug, Clone, Serialize)]
pub struct MapPlace {
    #[serde(flatten)]
    pub link: EntityLink,
    pub lat: f64,
    pub lon: f64,
    /// Briefs featuring it (on the map of all places; 0 elsewhere).
    pub count: u32,
}

impl Views<'_> {
    /// The coordinates of place `e`, when its profile gives both.
    fn coordinates(&self, e: EntityIx) -> Option<(f64, f64)> {
        let entity = &self.graph.entities[e];
        if entity.kind != EntityKind::Place {
            return None;
        }
        let facts = &self.model.profiles[entity.profile?].facts;
        Some((facts.lat?, facts.lon?))
    }

    /// A map of `kind` drawing `places` (each with its weight), or `None`
    /// when none of them has coordinates.
    fn map_of(&self, kind: MapKind, places: &[(EntityIx, u32)], title: String) -> Option<MapView> {
        let places: Vec<MapPlace> = (places.iter())
            .filter_map(|&(e, count)| {
                let (lat, lon) = self.coordinates(e)?;
                Some(MapPlace {
                    link: self.entity_link(e),
                    lat,
                    lon,
                    count,
                })
            })
            .collect();
        if places.is_empty() {
            return None;
        }
        let markers: Vec<Marker> = (places.iter().enumerate())
            .map(|(i, p)| Marker {
                lat: p.lat,
                lon: p.lon,
                label: &p.link.name,
                // A locator's own place is not a link to the page it is on.
                href: (kind != MapKind::Locator || i > 0).then_some(p.link.url.as_str()),
                weight: p.count,
            })
            .collect();
        Some(MapView {
            svg: maps::render(kind, &markers, &title),
            title,
            places,
        })
    }

    /// The map of an entity page: a place's locator map, with the places
    /// sharing its briefs around it; the places of a person's,
    /// organisation's or topic's briefs on an inset.
    pub fn entity_map(&self, e: EntityIx, places: &[(EntityIx, u32)]) -> Option<MapView> {
        let entity = &self.graph.entities[e];
        let words = &self.config.words;
        if entity.kind == EntityKind::Place {
            // A place without coordinates has no locator map, whatever
            // its neighbours have.
            self.coordinates(e)?;
            let around = std::iter::once((e, 0)).chain(places.iter().map(|&(p, _)| (p, 0)));
            let title = words.fill("map_locator", &[("name", &entity.name)]);
            self.map_of(MapKind::Locator, &around.collect::<Vec<_>>(), title)
        } else {
            let title = words.fill("map_places_of", &[("name", &entity.name)]);
            self.map_of(MapKind::Inset, places, title)
        }
    }

    /// The places of brief `b` and of its events, on an inset.
    pub fn brief_map(&self, b: BriefIx) -> Option<MapView> {
        let resolved = &self.graph.briefs[b];
        let mut places: Vec<(EntityIx, u32)> = Vec::new();
        let events = resolved.events.iter().filter_map(|ev| ev.place);
        for p in resolved.places.iter().copied().chain(events) {
            if !places.iter().any(|&(x, _)| x == p) {
                places.push((p, 0));
            }
        }
        let title = self.config.words.text("map_brief").to_string();
        self.map_of(MapKind::Inset, &places, title)
    }

    /// Every place with coordinates on the world, marked by the number of
    /// briefs featuring it: the map of `/places/`.
    pub fn world_map(&self) -> Option<MapView> {
        let places: Vec<(EntityIx, u32)> = (self.graph.entities_of(EntityKind::Place).iter())
            .map(|&e| (e, self.graph.relations.entities[e].briefs.len() as u32))
            .collect();
        let title = self.config.words.text("map_world").to_string();
        self.map_of(MapKind::World, &places, title)
    }
}
