//! The links inside a Markdown body (SPEC §5), worked on the parser's
//! events before they become HTML: wikilinks and links to source files are
//! resolved and rewritten to relative page URLs, entity names in plain text
//! are autolinked, unsafe URLs are neutralised and raw HTML is escaped when
//! asked. Every link made is recorded, with the sentence it sits in, for
//! backlinks and "mentioned in".

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::config::{Autolink, RawHtml};
use crate::content::model::{Draft, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::graph::EntityIx;
use crate::graph::backlinks::{CONTEXTS_PER_BRIEF, Context, OutLink, Via};
use crate::graph::targets::{Found, LinkTargets, Target};
use crate::render::sanitize::is_unsafe_url;
use crate::text::anchor;

/// The page a body belongs to, and what its links can reach.
pub struct Doc<'a, 'm> {
    pub targets: &'a LinkTargets<'m>,
    pub this: Target,
    pub source: &'a SourceFile,
    /// Entities the brief names in its front matter: linking them needs no
    /// "mentioned in" context. Empty for other pages.
    pub featured: &'a [EntityIx],
    /// The URL of a target, relative to this page.
    pub href: &'a (dyn Fn(Target) -> String + Sync),
    /// How a target is named in messages: `the brief `Kim arrives``.
    pub describe: &'a (dyn Fn(Target) -> String + Sync),
    /// The site path of a target (`people/kim-jong-un/`).
    pub site_path: &'a (dyn Fn(Target) -> String + Sync),
    /// The names of a target as a reader knows it: its name or title first,
    /// then its aliases.
    pub names: &'a (dyn Fn(Target) -> Vec<String> + Sync),
}

/// An `#anchor` a link points at, checked once every body has its heading
/// ids.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    pub target: Target,
    pub id: String,
    /// The link as written, for the message.
    pub written: String,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// What working on a body's links produced besides the events.
#[derive(Debug, Default)]
pub struct Woven {
    pub links: Vec<OutLink>,
    pub anchors: Vec<AnchorRef>,
    pub problems: Vec<Diagnostic>,
    /// Whether the body holds raw HTML (and so needs sanitising).
    pub raw_html: bool,
    /// The first paragraph (outside quotes, lists and tables) as plain
    /// text, the way a reader sees it: the default summary.
    pub lead: Option<String>,
    /// What each wikilink names, as written (`[[people/Kim]]` gives
    /// `people/Kim`).
    pub wikilinks: Vec<String>,
}

/// A run of text a mention's context is taken from: a paragraph, list
/// item, table cell or heading.
struct Block {
    text: String,
    /// Links made in this block: index into `links`, and the range of
    /// their words in `text`.
    mentions: Vec<(usize, Range<usize>)>,
}

/// An open link in the input, and whether its start was kept.
struct OpenLink {
    kept: bool,
    /// Index into `links` when the link is one dossier recorded.
    recorded: Option<usize>,
    /// Where its words start in the current block.
    text_start: usize,
    /// The words to show instead of the link's own: a wikilink without a
    /// label shows the name of what it links to.
    replacement: Option<String>,
}

struct Walker<'a, 'w, 'd, 'm> {
    doc: Option<&'w Doc<'d, 'm>>,
    autolink: Autolink,
    raw_html: RawHtml,
    body: &'a str,
    positions: LineColumns,
    out: Vec<Event<'a>>,
    found: Woven,
    linked: HashSet<EntityIx>,
    /// The contexts given so far to mentions of each entity: an entity
    /// page shows a few different ones from each brief, so the rest need
    /// not be kept (100,000 mentions held 224 MB of them).
    contexts: HashMap<EntityIx, Vec<Context>>,
    blocks: Vec<Block>,
    open_links: Vec<OpenLink>,
    /// Inside a heading, a code block, or raw HTML that must not be linked.
    headings: usize,
    code_blocks: usize,
    html_no_link: usize,
    /// Inside hand-written `<script>` or `<style>`: code, not words.
    html_hidden: usize,
    /// Quotes, lists, items, footnotes and tables open around the current
    /// position.
    containers: usize,
    /// Inside the first paragraph outside any container.
    in_lead: bool,
}

/// Works on the events of one body (with their byte ranges in `body`),
/// their text joined by [`merge_text`].
pub fn weave<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    body: &'a str,
    doc: Option<&Doc<'_, '_>>,
    autolink: Autolink,
    raw_html: RawHtml,
) -> (Vec<Event<'a>>, Woven) {
    let mut w = Walker {
        doc,
        autolink: if doc.is_some() {
            autolink
        } else {
            Autolink::None
        },
        raw_html,
        body,
        positions: LineColumns::new(doc.map_or(1, |d| d.source.body_line)),
        out: Vec::with_capacity(events.len() + 16),
        found: Woven::default(),
        linked: HashSet::new(),
        contexts: HashMap::new(),
        blocks: Vec::new(),
        open_links: Vec::new(),
        headings: 0,
        code_blocks: 0,
        html_no_link: 0,
        html_hidden: 0,
        containers: 0,
        in_lead: false,
    };
    for (event, range) in events {
        w.event(event, range);
    }
    (w.out, w.found)
}

/// Joins neighbouring text events (the parser splits text at punctuation),
/// so names with apostrophes or dashes are seen whole: [`weave`] expects
/// its events joined. A run is copied once into one string: joining each event onto a copy of
/// the run so far made 80,000 unmatched `*` take seconds. Lazy, so that
/// the parser's pieces are never all held at once (500,000 of them took
/// 890 MB).
pub fn merge_text<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> impl Iterator<Item = (Event<'a>, Range<usize>)> {
    let mut events = events.peekable();
    std::iter::from_fn(move || {
        let (event, mut range) = events.next()?;
        let Event::Text(first) = event else {
            return Some((event, range));
        };
        if !matches!(events.peek(), Some((Event::Text(_), _))) {
            return Some((Event::Text(first), range));
        }
        let mut joined = first.into_string();
        while let Some((Event::Text(next), next_range)) =
            events.next_if(|(e, _)| matches!(e, Event::Text(_)))
        {
            joined.push_str(&next);
            range.end = next_range.end;
        }
        Some((Event::Text(CowStr::from(joined)), range))
    })
}

fn is_context_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::Heading { .. }
    )
}

fn ends_context_block(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_)
    )
}

impl<'a> Walker<'a, '_, '_, '_> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(_) | Event::Code(_) if self.in_replaced_link() => {}
            Event::Text(text) => {
                if self.html_hidden == 0 {
                    self.push_block_text(&text);
                }
                if self.may_autolink() {
                    self.autolink_text(text);
                } else {
                    self.out.push(Event::Text(text));
                }
            }
            Event::Code(code) => {
                self.push_block_text(&code);
                self.out.push(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.push_block_text(" ");
                self.out.push(event);
            }
            Event::Html(html) | Event::InlineHtml(html) if self.raw_html == RawHtml::Escape => {
                self.push_block_text(&html);
                self.out.push(Event::Text(html));
            }
            Event::Html(html) => {
                self.found.raw_html = true;
                self.out.push(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                self.found.raw_html = true;
                self.track_inline_html(&html);
                self.out.push(Event::InlineHtml(html));
            }
            other => self.out.push(other),
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        if is_container(&tag) {
            self.containers += 1;
        }
        if matches!(tag, Tag::Paragraph) && self.containers == 0 && self.found.lead.is_none() {
            self.in_lead = true;
        }
        if is_context_block(&tag) {
            self.blocks.push(Block {
                text: String::new(),
                mentions: Vec::new(),
            });
        }
        match tag {
            Tag::Heading { .. } => self.headings += 1,
            Tag::CodeBlock(_) => self.code_blocks += 1,
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => return self.start_link(link_type, dest_url, title, id, range),
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let kept = !self.refuse_url(&dest_url, "image", range.start);
                self.open_links.push(OpenLink {
                    kept,
                    recorded: None,
                    text_start: self.block_len(),
                    replacement: None,
                });
                if kept {
                    self.out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                return;
            }
            _ => {}
        }
        self.out.push(Event::Start(tag));
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.headings -= 1,
            TagEnd::CodeBlock => self.code_blocks -= 1,
            TagEnd::Link | TagEnd::Image => {
                let open = self.open_links.pop();
                if let Some(open) = open {
                    if let Some(words) = open.replacement {
                        self.push_block_text(&words);
                        self.out.push(Event::Text(CowStr::from(words)));
                    }
                    if let Some(ix) = open.recorded {
                        let end = self.block_len();
                        if let Some(block) = self.blocks.last_mut() {
                            block.mentions.push((ix, open.text_start..end));
                        }
                    }
                    if !open.kept {
                        return;
                    }
                }
            }
            _ => {}
        }
        if is_container_end(&tag) {
            self.containers = self.containers.saturating_sub(1);
        }
        if matches!(tag, TagEnd::Paragraph) && self.in_lead {
            self.in_lead = false;
            let text = self.blocks.last().map(|b| b.text.as_str()).unwrap_or("");
            self.found.lead = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        if ends_context_block(&tag) {
            self.finish_block();
        }
        self.out.push(Event::End(tag));
    }

    /// True inside a link whose words are replaced.
    fn in_replaced_link(&self) -> bool {
        self.open_links
            .last()
            .is_some_and(|l| l.replacement.is_some())
    }

    fn start_link(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        range: Range<usize>,
    ) {
        let mut replacement = None;
        let resolved = match link_type {
            LinkType::WikiLink { has_pothole } => {
                let resolved = self.resolve_wikilink(&dest_url, range.clone());
                if let (Some((_, Some((target, _)))), false) = (&resolved, has_pothole) {
                    replacement = self.doc.map(|doc| wikilink_words(doc, *target, &dest_url));
                }
                resolved
            }
            _ if self.refuse_url(&dest_url, "link", range.start) => None,
            // `#id` on the same page: its heading must exist, as for links
            // to other pages (footnote ids are made later, and exist).
            _ if dest_url.len() > 1 && dest_url.starts_with('#') => {
                let id = &dest_url[1..];
                if let Some(doc) = self.doc
                    && !id.starts_with("fn-")
                    && !id.starts_with("fnref-")
                {
                    self.check_anchor(doc.this, id, &dest_url, range.start);
                }
                Some((dest_url.to_string(), None))
            }
            _ => match source_file_link(&dest_url) {
                Some((path, anchor)) => {
                    self.resolve_file_link(&dest_url, &path, anchor, range.start)
                }
                None => Some((dest_url.to_string(), None)),
            },
        };
        let text_start = self.block_len();
        let Some((url, target)) = resolved else {
            self.open_links.push(OpenLink {
                kept: false,
                recorded: None,
                text_start,
                replacement: None,
            });
            return;
        };
        let recorded = target.map(|(target, via)| self.record(target, via));
        self.open_links.push(OpenLink {
            kept: true,
            recorded,
            text_start,
            replacement,
        });
        let link_type = match link_type {
            LinkType::WikiLink { .. } => LinkType::Inline,
            other => other,
        };
        self.out.push(Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(url),
            title,
            id,
        }));
    }

    /// `[[target#anchor|label]]` → the URL and the page it links to; `None`
    /// (and a problem) when it names nothing.
    fn resolve_wikilink(
        &mut self,
        dest: &str,
        range: Range<usize>,
    ) -> Option<(String, Option<(Target, Via)>)> {
        let doc = self.doc?;
        let at = range.start;
        // As typed, label included: `[[Kim Jong Un|Kim]]`.
        let typed = self.body.get(range).unwrap_or(dest);
        let (name, anchor_text) = match dest.split_once('#') {
            Some((n, a)) => (n.trim(), Some(a.trim()).filter(|a| !a.is_empty())),
            None => (dest.trim(), None),
        };
        let written = squeeze(if typed.starts_with("[[") { typed } else { dest });
        let written = written.trim();
        let written = if written.starts_with("[[") {
            written.to_string()
        } else {
            format!("[[{written}]]")
        };
        let found = if name.is_empty() && anchor_text.is_some() {
            // `[[#Early life]]`: a heading of this page.
            Found::Target(doc.this)
        } else if name.is_empty() {
            self.problem(
                Diagnostic::error("unresolved-link", format!("`{written}` is empty"))
                    .with_help("name the page to link to, as in `[[Kim Jong Un]]`, or a heading of this page, as in `[[#Background]]`"),
                at,
            );
            return None;
        } else {
            self.found.wikilinks.push(name.to_string());
            doc.targets.wikilink(name)
        };
        match found {
            Found::Target(target) => {
                let mut url = if target == doc.this && anchor_text.is_some() {
                    String::new()
                } else {
                    (doc.href)(target)
                };
                if let Some(text) = anchor_text {
                    let id = anchor(text);
                    self.check_anchor(target, &id, &written, at);
                    url.push('#');
                    url.push_str(&id);
                }
                Some((url, Some((target, Via::Wikilink))))
            }
            Found::Ambiguous(candidates) => {
                let listed: Vec<String> = candidates.iter().map(|&t| (doc.describe)(t)).collect();
                let label = written
                    .trim_end_matches("]]")
                    .split_once('|')
                    .map(|(_, l)| l.to_string());
                let choices: Vec<String> = (candidates.iter())
                    .map(|&t| {
                        let path = (doc.site_path)(t);
                        let mut anchor = anchor_text.map(|a| format!("#{a}")).unwrap_or_default();
                        if let Some(label) = &label {
                            anchor.push('|');
                            anchor.push_str(label);
                        }
                        format!("`[[{}{anchor}]]`", path.trim_end_matches('/'))
                    })
                    .collect();
                self.problem(
                    Diagnostic::error(
                        "ambiguous-link",
                        format!(
                            "`{written}` matches more than one page: {}",
                            listed.join(" and ")
                        ),
                    )
                    .with_help(format!(
                        "put the folder in front to choose one: {}",
                        choices.join(" or ")
                    )),
                    at,
                );
                None
            }
            Found::Draft(draft) => {
                self.problem(link_to_draft(&written, draft), at);
                None
            }
            Found::Broken => None,
            Found::Missing => {
                let help = match doc.targets.suggest(name).as_slice() {
                    [] => "a wikilink names an entity (by id, name or alias) or a brief (by title or slug); create a profile if it is new".to_string(),
                    [one] => format!("did you mean `[[{one}]]`?"),
                    [one, other, ..] => format!("did you mean `[[{one}]]` or `[[{other}]]`?"),
                };
                self.problem(
                    Diagnostic::error(
                        "unresolved-link",
                        format!(
                            "`{written}` links to nothing: no entity or brief is called `{}`",
                            squeeze(name)
                        ),
                    )
                    .with_help(help),
                    at,
                );
                None
            }
        }
    }

    fn resolve_file_link(
        &mut self,
        written: &str,
        path: &str,
        anchor: Option<&str>,
        at: usize,
    ) -> Option<(String, Option<(Target, Via)>)> {
        let doc = self.doc?;
        let (found, looked_for) = doc.targets.file(&doc.source.path, path);
        match found {
            Found::Target(target) => {
                let mut url = (doc.href)(target);
                if let Some(id) = anchor {
                    self.check_anchor(target, id, written, at);
                    url.push('#');
                    url.push_str(id);
                }
                Some((url, Some((target, Via::File))))
            }
            Found::Draft(draft) => {
                self.problem(link_to_draft(written, draft), at);
                None
            }
            Found::Broken => None,
            Found::Ambiguous(_) | Found::Missing => {
                self.problem(
                    Diagnostic::error(
                        "missing-link-target",
                        format!("`{written}` links to `{}`, which is not a content file", looked_for.display()),
                    )
                    .with_help("the path is relative to this file's folder, as in `../people/kim-jong-un.md`; check the spelling, or create the file"),
                    at,
                );
                None
            }
        }
    }

    fn check_anchor(&mut self, target: Target, id: &str, written: &str, at: usize) {
        let Some(doc) = self.doc else { return };
        let (line, column) = self.positions.of(self.body, at);
        self.found.anchors.push(AnchorRef {
            target,
            id: id.to_string(),
            written: written.to_string(),
            file: doc.source.path.clone(),
            line,
            column,
        });
    }

    /// Drops a `javascript:`/`data:` URL, with a warning; `true` when it did.
    fn refuse_url(&mut self, url: &str, what: &str, at: usize) -> bool {
        if self.raw_html == RawHtml::Allow || !is_unsafe_url(url) {
            return false;
        }
        let shown: String = url.chars().take(40).collect();
        self.problem(
            Diagnostic::warning(
                "unsafe-url",
                format!("removed the {what} to `{shown}`: only web, mail and relative URLs are kept"),
            )
            .with_help("link to an http(s) address or a file of the site; `raw_html: allow` in site.yaml keeps such URLs"),
            at,
        );
        true
    }

    fn problem(&mut self, diagnostic: Diagnostic, at: usize) {
        if let Some(doc) = self.doc {
            let (line, column) = self.positions.of(self.body, at);
            self.found
                .problems
                .push(diagnostic.in_file(&doc.source.path).at(line, column));
        }
    }

    fn record(&mut self, target: Target, via: Via) -> usize {
        if let Target::Entity(e) = target {
            self.linked.insert(e);
        }
        self.found.links.push(OutLink {
            target,
            via,
            context: None,
        });
        self.found.links.len() - 1
    }

    fn may_autolink(&self) -> bool {
        self.autolink != Autolink::None
            && self.headings == 0
            && self.code_blocks == 0
            && self.html_no_link == 0
            && self.open_links.is_empty()
    }

    fn autolink_text(&mut self, text: CowStr<'a>) {
        let Some(doc) = self.doc else {
            self.out.push(Event::Text(text));
            return;
        };
        let found = doc.targets.autolinker.find(&text);
        // The text is already in its block: find where it starts there.
        let block_start = self.blocks.last().map(|b| b.text.len() - text.len());
        let mut done = 0;
        for (range, entity) in found {
            let target = Target::Entity(entity);
            let skip = target == doc.this
                || (self.autolink == Autolink::First && self.linked.contains(&entity));
            if skip {
                continue;
            }
            if range.start > done {
                self.out.push(Event::Text(CowStr::from(
                    text[done..range.start].to_string(),
                )));
            }
            let ix = self.record(target, Via::Autolink);
            if let (Some(block), Some(start)) = (self.blocks.last_mut(), block_start) {
                block
                    .mentions
                    .push((ix, start + range.start..start + range.end));
            }
            self.out.push(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from((doc.href)(target)),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }));
            self.out
                .push(Event::Text(CowStr::from(text[range.clone()].to_string())));
            self.out.push(Event::End(TagEnd::Link));
            done = range.end;
        }
        if done == 0 {
            self.out.push(Event::Text(text));
        } else if done < text.len() {
            self.out
                .push(Event::Text(CowStr::from(text[done..].to_string())));
        }
    }

    /// Inline HTML comes as separate tags: remember when we are inside an
    /// `<a>`, `<code>`, `<script>` or `<style>` written by hand.
    fn track_inline_html(&mut self, html: &str) {
        let lower = html.trim_start().to_ascii_lowercase();
        for name in ["a", "code", "script", "style", "pre"] {
            let opens = lower
                .strip_prefix('<')
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with([' ', '>', '\t', '\n', '/']));
            let closes = lower
                .strip_prefix("</")
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| rest.trim_start().starts_with('>'));
            let hides = matches!(name, "script" | "style");
            if opens && !lower.ends_with("/>") {
                self.html_no_link += 1;
                self.html_hidden += usize::from(hides);
            } else if closes {
                self.html_no_link = self.html_no_link.saturating_sub(1);
                if hides {
                    self.html_hidden = self.html_hidden.saturating_sub(1);
                }
            }
        }
    }

    fn block_len(&self) -> usize {
        self.blocks.last().map_or(0, |b| b.text.len())
    }

    fn push_block_text(&mut self, text: &str) {
        if let Some(block) = self.blocks.last_mut() {
            block.text.push_str(text);
        }
    }

    /// Gives the links of a finished block the sentence each sits in, when
    /// an entity page will show it.
    fn finish_block(&mut self) {
        let Some(block) = self.blocks.pop() else {
            return;
        };
        let Some(doc) = self.doc else { return };
        if !matches!(doc.this, Target::Brief(_)) {
            return;
        }
        for (ix, range) in block.mentions {
            let link = &mut self.found.links[ix];
            let Target::Entity(e) = link.target else {
                continue;
            };
            if doc.featured.contains(&e) {
                continue;
            }
            let given = self.contexts.entry(e).or_default();
            if given.len() < CONTEXTS_PER_BRIEF {
                let context = sentence_around(&block.text, range);
                if !given.contains(&context) {
                    given.push(context.clone());
                    link.context = Some(context);
                }
            }
        }
    }
}

/// Quotes, lists and tables: a paragraph inside one is not a lead.
fn is_container(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_) | Tag::Table(_)
    )
}

fn is_container_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
    )
}

/// The words a wikilink without a label shows: the name as written when it
/// is a name or alias of its target, exactly (`[[Kim]]` stays "Kim"), else
/// the target's own name (`[[topics/food]]` and `[[kim jong un]]` read
/// "Food" and "Kim Jong Un"); then the heading it
/// points at (`[[Kim Jong Un#Early life]]` reads "Kim Jong Un › Early life").
fn wikilink_words(doc: &Doc, target: Target, dest: &str) -> String {
    let (name, heading) = match dest.split_once('#') {
        Some((name, heading)) => (name.trim(), Some(heading.trim()).filter(|h| !h.is_empty())),
        None => (dest.trim(), None),
    };
    let names = (doc.names)(target);
    let written = squeeze(crate::graph::targets::without_folder(name).trim());
    let shown = if name.is_empty() {
        None
    } else if names.iter().any(|n| squeeze(n) == written) {
        Some(written)
    } else {
        names.first().cloned()
    };
    match (shown, heading) {
        (Some(shown), Some(heading)) => format!("{shown} › {heading}"),
        (Some(shown), None) => shown,
        (None, Some(heading)) => heading.to_string(),
        (None, None) => String::new(),
    }
}

/// The warning for a link to a draft, which is shown as plain text.
fn link_to_draft(written: &str, draft: &Draft) -> Diagnostic {
    Diagnostic::warning(
        "link-to-draft",
        format!(
            "`{written}` links to the draft `{}`, which this build leaves out; the link is shown as plain text",
            draft.path.display()
        ),
    )
    .with_help("publish the draft (remove `draft: true`), or build with --drafts to preview it")
}

/// `path.md#anchor` in a link that points at a source file: relative, no
/// scheme, ending in `.md`. Returns the decoded path and the anchor.
fn source_file_link(dest: &str) -> Option<(String, Option<&str>)> {
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a).filter(|a| !a.is_empty())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let has_scheme = path
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.contains('/'));
    if has_scheme || path.starts_with('/') || !path.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    Some((decoded, anchor))
}

/// Lines and columns of byte offsets in a body, for its problems. Offsets
/// come mostly in order, so each is counted on from the last one: counting
/// from the start every time made a body with 80,000 broken links take
/// seconds (found probing for quadratic steps, see docs/reliability.md).
struct LineColumns {
    /// The last offset asked for, and its line and column.
    last: (usize, usize, usize),
}

impl LineColumns {
    fn new(body_line: usize) -> LineColumns {
        LineColumns {
            last: (0, body_line, 1),
        }
    }

    /// The file line and column (counted in characters) of byte `at` of
    /// `body`, which starts on the line given to [`LineColumns::new`].
    fn of(&mut self, body: &str, at: usize) -> (usize, usize) {
        let at = floor_char_boundary(body, at.min(body.len()));
        let (from, mut line, mut column) = self.last;
        if at < from {
            // Back to the start of the line that holds `at`.
            let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
            let lines_back = body[line_start..from].matches('\n').count();
            line -= lines_back;
            column = body[line_start..at].chars().count() + 1;
        } else {
            for c in body[from..at].chars() {
                if c == '\n' {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
            }
        }
        self.last = (at, line, column);
        (line, column)
    }
}

/// The largest character boundary at or before `at`.
fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Longest context shown on either side of a mention, in characters.
const CONTEXT_CHARS: usize = 160;

/// The sentence of `text` that holds `range`, split around it, trimmed to
/// a readable length.
fn sentence_around(text: &str, range: Range<usize>) -> Context {
    let start = sentence_start(text, range.start);
    let end = sentence_end(text, range.end);
    let before = squeeze(&text[start..range.start]);
    let after = squeeze(&text[range.end..end]);
    Context {
        before: keep_end(&before, CONTEXT_CHARS),
        text: squeeze(&text[range]),
        after: keep_start(&after, CONTEXT_CHARS),
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '…')
}

/// How far a context is looked for on either side of a mention, in
/// characters: well past what is shown, and bounded, so that a paragraph of
/// 40,000 mentions without a full stop is not read 40,000 times over (that
/// took 76 s).
const SENTENCE_SEARCH_CHARS: usize = 8 * CONTEXT_CHARS;

fn sentence_start(text: &str, from: usize) -> usize {
    let mut previous: Option<(usize, char)> = None;
    for (i, c) in text[..from]
        .char_indices()
        .rev()
        .take(SENTENCE_SEARCH_CHARS)
    {
        if let Some((next_i, next_c)) = previous
            && next_c.is_whitespace()
            && is_sentence_end(c)
        {
            return next_i + next_c.len_utf8();
        }
        previous = Some((i, c));
    }
    previous.map_or(from, |(i, _)| i)
}

fn sentence_end(text: &str, from: usize) -> usize {
    let mut chars = text[from..]
        .char_indices()
        .take(SENTENCE_SEARCH_CHARS)
        .peekable();
    let mut end = from;
    while let Some((i, c)) = chars.next() {
        end = from + i + c.len_utf8();
        if is_sentence_end(c) && chars.peek().is_none_or(|(_, n)| n.is_whitespace()) {
            return end;
        }
    }
    end
}

fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    // Keep one space at the ends where the text had one: it separates the
    // context from the mention.
    if text.starts_with(char::is_whitespace) && !out.is_empty() {
        out.insert(0, ' ');
    }
    if space && !out.trim().is_empty() {
        out.push(' ');
    }
    out
}

fn keep_end(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let skip = count - max;
    let kept: String = text.chars().skip(skip).collect();
    match kept.find(' ') {
        Some(i) => format!("…{}", &kept[i..]),
        None => format!("…{kept}"),
    }
}

fn keep_start(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max).collect();
    match kept.rfind(' ') {
        Some(i) => format!("{}…", &kept[..i]),
        None => format!("{kept}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_are_the_sentence() {
        let text =
            "Kim left Pyongyang. On Tuesday he met Vladimir Putin at the cosmodrome. They talked.";
        let start = text.find("Vladimir").unwrap();
        let c = sentence_around(text, start..start + "Vladimir Putin".len());
        assert_eq!(c.before, "On Tuesday he met ");
        assert_eq!(c.text, "Vladimir Putin");
        assert_eq!(c.after, " at the cosmodrome.");
    }

    #[test]
    fn long_contexts_are_trimmed_at_words() {
        let text = format!("{} Putin {}", "word ".repeat(100), "more ".repeat(100));
        let start = text.find("Putin").unwrap();
        let c = sentence_around(&text, start..start + 5);
        assert!(c.before.starts_with("… word"), "{}", c.before);
        assert!(c.before.chars().count() <= CONTEXT_CHARS + 2);
        assert!(c.after.ends_with("more…"), "{}", c.after);
    }

    #[test]
    fn file_links() {
        assert_eq!(
            source_file_link("../people/kim%20jong.md#early-life"),
            Some(("../people/kim jong.md".to_string(), Some("early-life")))
        );
        assert_eq!(
            source_file_link("other.md"),
            Some(("other.md".to_string(), None))
        );
        assert_eq!(source_file_link("https://x.org/a.md"), None);
        assert_eq!(source_file_link("/briefs/a.md"), None);
        assert_eq!(source_file_link("notes.txt"), None);
    }

    #[test]
    fn positions_count_lines_and_characters_in_any_order() {
        let body = "first\nsé [[x]]\nthird [[y]]\n";
        let x = body.find("[[x").unwrap();
        let y = body.find("[[y").unwrap();
        let mut positions = LineColumns::new(10);
        assert_eq!(positions.of(body, x), (11, 4));
        assert_eq!(positions.of(body, y), (12, 7));
        assert_eq!(positions.of(body, x), (11, 4));
        assert_eq!(positions.of(body, 0), (10, 1));
        assert_eq!(positions.of(body, y), (12, 7));
        assert_eq!(positions.of(body, body.len()), (13, 1));
    }
}
