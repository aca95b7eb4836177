//! Markdown → HTML with pulldown-cmark, plus what the parser does not do:
//! the links of [`super::body_links`], stable unique heading ids, a table of
//! contents, footnotes collected at the end of the text with links back to
//! where they are cited, and sanitised raw HTML.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::config::{Autolink, RawHtml};
use crate::diagnostics::Diagnostic;
use crate::graph::backlinks::OutLink;
use crate::render::body_links::{AnchorRef, Doc, merge_text, weave};
use crate::render::sanitize;
use crate::text::anchor;

/// One heading, for a table of contents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u8,
    pub id: String,
    /// The heading as plain text.
    pub title: String,
}

/// A rendered Markdown body.
#[derive(Debug, Default)]
pub struct Html {
    pub html: String,
    /// Every heading, in order.
    pub toc: Vec<TocEntry>,
    /// The links the body makes to other pages, in order.
    pub links: Vec<OutLink>,
    /// `#anchors` of links to other pages, to check once all bodies are
    /// rendered.
    pub anchors: Vec<AnchorRef>,
    /// Unresolved links, unsafe URLs.
    pub problems: Vec<Diagnostic>,
    /// The first paragraph as plain text, as a reader sees it (wikilinks by
    /// the names they show): the summary when the front matter gives none.
    pub lead: String,
    /// What each wikilink names, as written: `serve` renders a body again
    /// when a name it looks up changes.
    pub wikilinks: Vec<String>,
}

/// The Markdown extensions dossier enables everywhere, so every body reads
/// the same way.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// How bodies render on this site.
#[derive(Debug, Clone, Copy)]
pub struct Style<'a> {
    pub autolink: Autolink,
    pub raw_html: RawHtml,
    /// The label of a footnote's link back to the text, in the site's
    /// language.
    pub back_to_text: &'a str,
}

/// The text a reader sees in a body rendered by [`render`], for the search
/// index: the words without the markup, each block ending in a space, runs
/// of white space as one space, the five entities HTML escaping writes (and
/// numeric ones) decoded. Footnote numbers and back-links, scripts and
/// styles are not text. Read from the HTML rather than the Markdown so that
/// the Markdown can be freed as soon as it is rendered.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_text(&mut text, &rest[..open]);
        rest = &rest[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(close) = rest.find('>') else {
            return finish_text(text);
        };
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let (closing, name) = match tag.strip_prefix('/') {
            Some(name) => (true, name.trim()),
            None => (false, &tag[..name_end]),
        };
        let name = name.to_ascii_lowercase();
        let skipped = !closing
            && (name == "script"
                || name == "style"
                || tag.contains("class=\"footnote-reference\"")
                || tag.contains("class=\"footnote-backref\""));
        if skipped && !tag.ends_with('/') {
            let end = format!("</{name}>");
            rest = rest.find(&end).map_or("", |at| &rest[at + end.len()..]);
        } else if BLOCKS.contains(&name.as_str()) {
            separate(&mut text);
        }
    }
    push_text(&mut text, rest);
    finish_text(text)
}

/// Elements that end a run of text: the text on either side are separate
/// words.
const BLOCKS: &[&str] = &[
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "td",
    "th",
    "tr",
    "pre",
    "blockquote",
    "div",
    "section",
    "dt",
    "dd",
    "table",
    "img",
];

fn separate(text: &mut String) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
}

/// Appends text from between tags, decoding entities and folding white
/// space.
fn push_text(text: &mut String, mut raw: &str) {
    while !raw.is_empty() {
        let plain_end = (raw.bytes())
            .position(|b| b == b'&' || b.is_ascii_whitespace())
            .unwrap_or(raw.len());
        text.push_str(&raw[..plain_end]);
        raw = &raw[plain_end..];
        if raw.is_empty() {
            break;
        }
        if raw.as_bytes()[0] != b'&' {
            separate(text);
            raw = raw.trim_start_matches(|c: char| c.is_ascii_whitespace());
            continue;
        }
        match decode_entity(raw) {
            Some((' ', len)) => {
                separate(text);
                raw = &raw[len..];
            }
            Some((c, len)) => {
                text.push(c);
                raw = &raw[len..];
            }
            None => {
                text.push('&');
                raw = &raw[1..];
            }
        }
    }
}

/// The character an entity at the start of `raw` (`&amp;`, `&#39;`)
/// stands for, and the entity's length; a no-break space is a space.
fn decode_entity(raw: &str) -> Option<(char, usize)> {
    let end = (raw.bytes().take(11)).position(|b| b == b';')?;
    let entity = &raw[1..end];
    let c = match entity {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = entity.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

fn finish_text(mut text: String) -> String {
    text.truncate(text.trim_end().len());
    text
}

/// Renders a body. `doc` says which page it belongs to, for its links;
/// without one, wikilinks and source-file links stay as written and
/// nothing is autolinked. Heading ids come from `{#id}` when given,
/// otherwise from the heading's text; repeats get `-1`, `-2`… in order of
/// appearance, so ids only change when the headings do.
pub fn render(body: &str, doc: Option<&Doc>, style: Style<'_>) -> Html {
    let events: Vec<(Event, Range<usize>)> =
        merge_text(Parser::new_ext(body, markdown_options()).into_offset_iter()).collect();
    let (mut events, woven) = weave(events, body, doc, style.autolink, style.raw_html);
    let toc = assign_heading_ids(&mut events);
    let events = move_footnotes_to_end(events, style.back_to_text);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    if woven.raw_html && style.raw_html == RawHtml::Sanitize {
        if sanitize::nests_too_deeply(&html) {
            return shown_as_text(body, doc, style);
        }
        html = sanitize::clean(&html);
    }
    Html {
        html,
        toc,
        links: woven.links,
        anchors: woven.anchors,
        problems: woven.problems,
        lead: woven.lead.unwrap_or_default(),
        wikilinks: woven.wikilinks,
    }
}

/// A body whose HTML nests deeper than a browser builds (the sanitizer's
/// parser takes time in proportion to the depth for every tag), rendered
/// with its raw HTML as text, and a warning.
fn shown_as_text(body: &str, doc: Option<&Doc>, style: Style<'_>) -> Html {
    let escape = Style {
        raw_html: RawHtml::Escape,
        ..style
    };
    let mut html = render(body, doc, escape);
    if let Some(doc) = doc {
        html.problems.push(
            Diagnostic::warning(
                "deep-html",
                format!(
                    "the HTML in this body nests more than {} elements deep, more than browsers show; its raw HTML is shown as text",
                    sanitize::MOST_LEVELS
                ),
            )
            .in_file(&doc.source.path)
            .at(doc.source.body_line, 1)
            .with_help("close the tags you open (`<div>` … `</div>`), or write the nesting in Markdown"),
        );
    }
    html
}

/// Renders a line of inline Markdown (an event's description) without the
/// surrounding paragraph.
pub fn render_inline(text: &str, raw_html: RawHtml) -> String {
    let style = Style {
        autolink: Autolink::None,
        raw_html,
        back_to_text: "",
    };
    let html = render(text, None, style).html;
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

fn assign_heading_ids(events: &mut [Event]) -> Vec<TocEntry> {
    let mut toc = Vec::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else {
            i += 1;
            continue;
        };
        let level = *level as u8;
        let given = id.as_ref().map(|id| id.to_string());
        let mut title = String::new();
        let mut j = i + 1;
        while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
            if let Event::Text(t) | Event::Code(t) = &events[j] {
                title.push_str(t);
            }
            j += 1;
        }
        let base = given.unwrap_or_else(|| anchor(&title));
        let unique = unique_id(&base, &mut used);
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(unique.clone()));
        }
        toc.push(TocEntry {
            level,
            id: unique,
            title: title.split_whitespace().collect::<Vec<_>>().join(" "),
        });
        i = j;
    }
    toc
}

fn unique_id(base: &str, used: &mut HashMap<String, usize>) -> String {
    let mut candidate = base.to_string();
    while let Some(n) = used.get_mut(&candidate) {
        *n += 1;
        let next = format!("{base}-{n}");
        if !used.contains_key(&next) {
            candidate = next;
            break;
        }
        candidate = next;
    }
    used.insert(candidate.clone(), 0);
    candidate
}

/// Numbers footnotes in order of first citation and moves their text to a
/// list at the end, each with a link back to its first citation.
fn move_footnotes_to_end<'a>(events: Vec<Event<'a>>, back_to_text: &str) -> Vec<Event<'a>> {
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut cited: HashMap<String, usize> = HashMap::new();
    let mut definitions: Vec<(String, Vec<Event>)> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    let mut current: Option<(String, Vec<Event>)> = None;
    let number_of = |name: &str, numbers: &mut HashMap<String, usize>| {
        let next = numbers.len() + 1;
        *numbers.entry(name.to_string()).or_insert(next)
    };
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                number_of(&name, &mut numbers);
                current = Some((name.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(def) = current.take() {
                    definitions.push(def);
                }
            }
            Event::FootnoteReference(name) => {
                let n = number_of(&name, &mut numbers);
                let times = cited.entry(name.to_string()).or_insert(0);
                *times += 1;
                let id = footnote_id(&name);
                let ref_id = if *times == 1 {
                    format!("fnref-{id}")
                } else {
                    format!("fnref-{id}-{times}")
                };
                let html = format!(
                    "<sup class=\"footnote-reference\" id=\"{ref_id}\"><a href=\"#fn-{id}\">{n}</a></sup>"
                );
                push_to(&mut current, &mut out, Event::InlineHtml(html.into()));
            }
            other => push_to(&mut current, &mut out, other),
        }
    }
    if definitions.is_empty() {
        return out;
    }
    definitions.sort_by_key(|(name, _)| numbers.get(name).copied().unwrap_or(usize::MAX));
    out.push(Event::Html("<div class=\"footnotes\">\n<ol>\n".into()));
    for (name, body) in definitions {
        let id = footnote_id(&name);
        out.push(Event::Html(format!("<li id=\"fn-{id}\">\n").into()));
        out.extend(body);
        if cited.contains_key(&name) {
            let label = crate::text::escape_html(back_to_text);
            out.push(Event::Html(format!("<a href=\"#fnref-{id}\" class=\"footnote-backref\" aria-label=\"{label}\">↩</a>\n").into()));
        }
        out.push(Event::Html("</li>\n".into()));
    }
    out.push(Event::Html("</ol>\n</div>\n".into()));
    out
}

fn push_to<'a>(
    current: &mut Option<(String, Vec<Event<'a>>)>,
    out: &mut Vec<Event<'a>>,
    event: Event<'a>,
) {
    match current {
        Some((_, body)) => body.push(event),
        None => out.push(event),
    }
}

fn footnote_id(name: &str) -> String {
    anchor(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_of_a_body_keeps_words_not_markup() {
        let html = plain(
            "# Talks\n\n**Kim** met [Putin](x) at `Vostochny` &amp; <br>\nBuhl.[^1]\n\n- one\n- two\n\n[^1]: A note.",
        )
        .html;
        assert_eq!(
            html_text(&html),
            "Talks Kim met Putin at Vostochny & Buhl. one two A note."
        );
        assert_eq!(
            html_text(
                "<p>a&lt;b &#x41;&#66; &bogus; 5 &amp;&nbsp;6</p><script>x()</script><!-- c -->d"
            ),
            "a<b AB &bogus; 5 & 6 d"
        );
    }

    fn plain(body: &str) -> Html {
        let style = Style {
            autolink: Autolink::First,
            raw_html: RawHtml::Sanitize,
            back_to_text: "Back to the text",
        };
        render(body, None, style)
    }

    #[test]
    fn the_lead_is_the_first_paragraph_as_plain_text() {
        let body = "## Heading\n\n> quoted\n\n- item\n\nKim *arrived* in `Vladivostok`\nby [train](https://x.example).\n\nMore.";
        assert_eq!(plain(body).lead, "Kim arrived in Vladivostok by train.");
        assert_eq!(plain("It's \"tense\".").lead, "It’s “tense”.");
        assert_eq!(
            plain("Kim <script>alert(1)</script>arrived <b>today</b>.").lead,
            "Kim arrived today."
        );
        assert_eq!(plain("## Only a heading\n").lead, "");
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let out =
            plain("# Overview\n\n## Overview\n\n## Early life {#early}\n\n## `Code` *here*\n");
        assert!(
            out.html.contains("<h1 id=\"overview\">Overview</h1>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<h2 id=\"overview-1\">Overview</h2>"));
        assert!(out.html.contains("<h2 id=\"early\">Early life</h2>"));
        let ids: Vec<&str> = out.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["overview", "overview-1", "early", "code-here"]);
        assert_eq!(out.toc[3].title, "Code here");
    }

    #[test]
    fn extensions_are_on() {
        let out =
            plain("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n\n\"quoted\"\n");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>gone</del>"));
        assert!(out.html.contains("checkbox"));
        assert!(out.html.contains("“quoted”"));
    }

    #[test]
    fn footnotes_go_to_the_end_with_backlinks() {
        let out = plain("Claim.[^src]\n\n[^src]: The source.\n\nMore text.\n");
        let claim = out.html.find("Claim.").unwrap();
        let more = out.html.find("More text.").unwrap();
        let note = out.html.find("The source.").unwrap();
        assert!(claim < more && more < note, "{}", out.html);
        assert!(out.html.contains("<a href=\"#fn-src\">1</a>"));
        assert!(out.html.contains("<li id=\"fn-src\">"));
        assert!(out.html.contains("href=\"#fnref-src\""));
    }

    #[test]
    fn inline_description() {
        assert_eq!(
            render_inline("Kim *crosses* the border", RawHtml::Sanitize),
            "Kim <em>crosses</em> the border"
        );
    }
}
