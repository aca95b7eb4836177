//! `data/graph.graphml`: the entities and their ties as a GraphML graph,
//! for Gephi, yEd, Cytoscape, networkx and the like.
//!
//! Nodes are the entities (id = entity key), with their name as `label`
//! (the attribute Gephi and yEd show), kind, URL, number of briefs and of
//! events, and whether they are stubs. Edges are of three `type`s:
//! `co-occurrence` between two actors named together in briefs (undirected,
//! `weight` = the briefs they share: the same pairs as the JSON's
//! `connections`), `relation` (directed from the entity whose profile
//! declares it, `label` = its type) and `position` (directed from the
//! person to the organisation, `label` = the role). Every attribute is
//! declared by a `<key>` with `attr.name` and `attr.type`, as Gephi needs;
//! the graph is undirected by default and each directed edge says so.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::graph::EntityIx;

use super::{Chunks, Data};

/// The `<key>`s: id, what they are for, `attr.name`, `attr.type` and a
/// default. Ids are unique across nodes and edges, as GraphML asks.
const KEYS: [(&str, &str, &str, &str, Option<&str>); 11] = [
    ("label", "node", "label", "string", None),
    ("kind", "node", "kind", "string", None),
    ("url", "node", "url", "string", None),
    ("briefs", "node", "briefs", "int", None),
    ("events", "node", "events", "int", None),
    ("stub", "node", "stub", "boolean", None),
    ("type", "edge", "type", "string", None),
    ("edgelabel", "edge", "label", "string", None),
    ("weight", "edge", "weight", "double", Some("1")),
    ("from", "edge", "from", "string", None),
    ("until", "edge", "until", "string", None),
];

/// One edge, before it is written.
struct Edge<'a> {
    source: EntityIx,
    target: EntityIx,
    directed: bool,
    r#type: &'static str,
    label: Option<&'a str>,
    weight: Option<u32>,
    from: Option<&'a str>,
    until: Option<&'a str>,
}

/// The text of `data/graph.graphml`.
pub fn graph(data: &Data) -> io::Result<Chunks> {
    let mut w = Writer::new_with_indent(Chunks::default(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("graphml")
        .with_attributes([
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ])
        .write_inner_content(|w| {
            for (id, what, name, kind, default) in KEYS {
                let key = w.create_element("key").with_attributes([
                    ("id", id),
                    ("for", what),
                    ("attr.name", name),
                    ("attr.type", kind),
                ]);
                match default {
                    Some(value) => key.write_inner_content(|w| {
                        text_element(w, "default", value)?;
                        Ok(())
                    })?,
                    None => key.write_empty()?,
                };
            }
            w.create_element("graph")
                .with_attributes([("id", "dossier"), ("edgedefault", "undirected")])
                .write_inner_content(|w| {
                    for e in data.entities_in_order() {
                        node(w, data, e)?;
                    }
                    for (n, edge) in edges(data).enumerate() {
                        write_edge(w, data, n + 1, &edge)?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.write_all(b"\n")?;
    Ok(out)
}

/// Every edge: co-occurrences, then relations, then positions.
fn edges<'a>(data: &'a Data) -> impl Iterator<Item = Edge<'a>> + 'a {
    let ties = &data.graph.ties;
    let model = data.model;
    let shared = data.connections().into_iter().map(|(a, b, n)| Edge {
        source: a,
        target: b,
        directed: false,
        r#type: "co-occurrence",
        label: None,
        weight: Some(n),
        from: None,
        until: None,
    });
    let relations = ties.relations.iter().map(move |tie| {
        let relation = ties.relation(model, tie);
        Edge {
            source: tie.subject,
            target: tie.object,
            directed: true,
            r#type: "relation",
            label: Some(&relation.label),
            weight: None,
            from: relation.from.as_ref().map(|d| d.iso()),
            until: relation.until.as_ref().map(|d| d.iso()),
        }
    });
    let positions = ties.positions.iter().map(move |position| {
        let affiliation = ties.affiliation(model, position);
        Edge {
            source: position.person,
            target: position.org,
            directed: true,
            r#type: "position",
            label: affiliation.role.as_deref(),
            weight: None,
            from: affiliation.from.as_ref().map(|d| d.iso()),
            until: affiliation.until.as_ref().map(|d| d.iso()),
        }
    });
    shared.chain(relations).chain(positions)
}

fn node(w: &mut Writer<Chunks>, data: &Data, e: EntityIx) -> io::Result<()> {
    let entity = &data.graph.entities[e];
    let relations = &data.graph.relations.entities[e];
    w.create_element("node")
        .with_attribute(("id", data.key(e)))
        .write_inner_content(|w| {
            datum(w, "label", &entity.name)?;
            datum(w, "kind", entity.kind.name())?;
            datum(w, "url", &data.entity_url(e))?;
            datum(w, "briefs", &relations.briefs.len().to_string())?;
            datum(w, "events", &relations.events.len().to_string())?;
            datum(w, "stub", if entity.is_stub() { "true" } else { "false" })
        })?;
    Ok(())
}

fn write_edge(w: &mut Writer<Chunks>, data: &Data, n: usize, edge: &Edge) -> io::Result<()> {
    let id = format!("e{n}");
    let mut element = w.create_element("edge").with_attributes([
        ("id", id.as_str()),
        ("source", data.key(edge.source)),
        ("target", data.key(edge.target)),
    ]);
    if edge.directed {
        element = element.with_attribute(("directed", "true"));
    }
    element.write_inner_content(|w| {
        datum(w, "type", edge.r#type)?;
        if let Some(label) = edge.label {
            datum(w, "edgelabel", label)?;
        }
        if let Some(weight) = edge.weight {
            datum(w, "weight", &weight.to_string())?;
        }
        if let Some(from) = edge.from {
            datum(w, "from", from)?;
        }
        if let Some(until) = edge.until {
            datum(w, "until", until)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `<data key="key">value</data>`.
fn datum(w: &mut Writer<Chunks>, key: &str, value: &str) -> io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn text_element(w: &mut Writer<Chunks>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}
