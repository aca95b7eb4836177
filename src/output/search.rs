//! The offline search index behind `/search/` (SPEC §4), written as
//! JavaScript files that `static/search.js` loads with `<script>` tags, so
//! search needs no server and works from `file://`, where `fetch` cannot
//! read files.
//!
//! The index is an inverted index: each word (a *term*) maps to the pages
//! (*documents*) it occurs in, with a weight telling where it occurs
//! (title or name 3, summary, role or alias 2, body 1). Words are folded the
//! same way here and in the browser: Unicode compatibility decomposition,
//! accents and other marks removed, recomposed, lower case, so `erdogan`
//! finds `Erdoğan`; Hangul and Cyrillic words stay as they are.
//!
//! It is split so that a query loads little of it, however large the site:
//!
//! - `search/index.js`, the manifest: the first term of each term shard and
//!   each shard's size, and the first document of each document shard;
//! - `search/tN.js`, the term shards: consecutive runs of the terms in sorted
//!   order, about [`TERM_SHARD_TARGET`] bytes each. The terms starting with
//!   what the reader typed are consecutive, so a prefix needs only the
//!   shards between two first terms;
//! - `search/dN.js`, the document shards: title, kind, date, summary and
//!   text of consecutive documents, for the results shown.
//!
//! Postings are lists of numbers, `gap × 4 + weight`, where gap is the
//! distance from the previous document number; documents are numbered
//! entities first (most briefs first), then briefs newest first, then free
//! pages, which is also the order of results that score the same.

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::content::model::Model;
use crate::graph::{EntityIx, Graph};
use crate::i18n::Language;
use crate::render::bodies::Bodies;
use crate::render::context::kind_key;
use crate::render::links;
use crate::render::markdown::html_text;

/// Where the index files go, under the output folder.
pub const FOLDER: &str = "search";

/// True for the output path of a file of the index (`search/index.js`,
/// `search/t3.js`, `search/d12.js`), which a file under `static/` may not
/// replace.
pub fn is_index_file(name: &str) -> bool {
    let Some(file) = name.strip_prefix(FOLDER).and_then(|n| n.strip_prefix('/')) else {
        return false;
    };
    let numbered = |prefix: char| {
        file.strip_prefix(prefix)
            .and_then(|f| f.strip_suffix(".js"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    file == "index.js" || numbered('t') || numbered('d')
}
/// Term shards are cut when they reach this many bytes.
pub const TERM_SHARD_TARGET: usize = 48 * 1024;
/// Document shards are cut when they reach this many bytes.
pub const DOC_SHARD_TARGET: usize = 48 * 1024;
/// The longest text kept per document, in characters, for snippets.
const TEXT_LIMIT: usize = 4000;

const TITLE: u8 = 3;
const SECONDARY: u8 = 2;
const BODY: u8 = 1;

/// A page as the index knows it.
struct Doc {
    kind: String,
    title: String,
    /// Site path of the page (`briefs/kim-arrives/`).
    path: String,
    /// As readers see it, or empty.
    date: String,
    summary: String,
    /// Plain text of the body (indexed whole; only the first
    /// [`TEXT_LIMIT`] characters are stored for snippets).
    text: String,
    /// Other names, for entities.
    aliases: Vec<String>,
    /// Words to index besides the text, with where they come from.
    fields: Vec<(String, u8)>,
}

/// The index files, by path under the output folder (for tests and tools;
/// a build streams them with [`write`]).
pub fn files(
    model: &Model,
    graph: &Graph,
    bodies: &Bodies,
    words: &Language,
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    write(model, graph, bodies, words, &mut |name, text| {
        files.push((name, text));
        Ok(())
    })
    .unwrap_or(());
    files
}

/// Builds the index and hands each file to `emit` (its path under the
/// output folder, and its text) as soon as it is complete, the manifest
/// last: only the postings and one shard are in memory at once.
///
/// Documents are made, indexed and written into document shards one chunk
/// at a time, so only one chunk's texts and word lists are in memory at once.
pub fn write(
    model: &Model,
    graph: &Graph,
    bodies: &Bodies,
    words: &Language,
    emit: &mut (dyn FnMut(String, String) -> std::io::Result<()> + Send),
) -> std::io::Result<()> {
    const CHUNK: usize = 1024;
    let sources = document_order(model, graph);
    let mut index: HashMap<String, Vec<u32>> = HashMap::default();
    let mut manifest = Manifest {
        version: String::new(),
        documents: sources.len(),
        terms: Vec::new(),
        docs: Vec::new(),
    };
    let mut version = Version::new();
    let mut emit_shard = |name: String, text: String, version: &mut Version| {
        version.add(&name, &text);
        emit(name, text)
    };
    let mut doc_shards = ShardWriter::new(DOC_SHARD_TARGET, '[', ']');
    let make = |chunk: &[Source]| -> Vec<(Doc, Vec<(String, u8)>)> {
        chunk
            .par_iter()
            .map(|&source| {
                let doc = document(model, graph, bodies, words, source);
                let terms = doc_terms(&doc);
                (doc, terms)
            })
            .collect()
    };
    // A chunk is indexed and written while the next one is made: the
    // indexing is sequential, and would leave the other cores idle.
    let chunks: Vec<&[Source]> = sources.chunks(CHUNK).collect();
    let mut ready = chunks.first().map(|chunk| make(chunk));
    for c in 0..chunks.len() {
        let docs = ready.take().unwrap_or_default();
        let (next, written) = rayon::join(
            || chunks.get(c + 1).map(|chunk| make(chunk)),
            || -> std::io::Result<()> {
                for (i, (doc, terms)) in docs.into_iter().enumerate() {
                    let d = c * CHUNK + i;
                    add_postings(&mut index, d as u32, terms);
                    if let Some((first, body)) = doc_shards.push(d, &doc_record(&doc)) {
                        let n = manifest.docs.len();
                        let file = format!("dossierSearch.docs({n},{body});\n");
                        manifest.docs.push((first, file.len()));
                        emit_shard(format!("{FOLDER}/d{n}.js"), file, &mut version)?;
                    }
                }
                Ok(())
            },
        );
        written?;
        ready = next;
    }
    if let Some((first, body)) = doc_shards.finish() {
        let n = manifest.docs.len();
        let file = format!("dossierSearch.docs({n},{body});\n");
        manifest.docs.push((first, file.len()));
        emit_shard(format!("{FOLDER}/d{n}.js"), file, &mut version)?;
    }
    let mut term_shards = ShardWriter::new(TERM_SHARD_TARGET, '{', '}');
    let mut entry = String::new();
    let mut emit_terms =
        |first: String, body: String, manifest: &mut Manifest, version: &mut Version| {
            let n = manifest.terms.len();
            let file = format!("dossierSearch.terms({n},{body});\n");
            manifest.terms.push((first, file.len()));
            emit_shard(format!("{FOLDER}/t{n}.js"), file, version)
        };
    for (term, postings) in sorted(index) {
        term_entry(&mut entry, &term, &postings);
        if let Some((first, body)) = term_shards.push(term, &entry) {
            emit_terms(first, body, &mut manifest, &mut version)?;
        }
    }
    if let Some((first, body)) = term_shards.finish() {
        emit_terms(first, body, &mut manifest, &mut version)?;
    }
    manifest.version = version.finish();
    let json = serde_json::to_string(&manifest).unwrap_or_default();
    emit(
        format!("{FOLDER}/index.js"),
        format!("dossierSearch.index({json});\n"),
    )
}

#[derive(Serialize)]
struct Manifest {
    /// Changes whenever any shard does; added to shard URLs so that a
    /// browser never mixes shards of two builds from its cache.
    version: String,
    documents: usize,
    /// The first term of each term shard, and the shard's size in bytes.
    terms: Vec<(String, usize)>,
    /// The first document of each document shard, and its size in bytes.
    docs: Vec<(usize, usize)>,
}

/// Folds text the way `static/search.js` does, so both sides agree on
/// what a word is: NFKD, marks removed, NFC, lower case.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let stripped: String = text
        .nfkd()
        .filter(|&c| !is_combining_mark(c))
        .nfc()
        .collect();
    stripped.to_lowercase()
}

/// The words of a text, folded: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    split_words(&fold(text)).map(str::to_string).collect()
}

/// The runs of letters and digits in folded text.
fn split_words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
        .filter(|w| !w.is_empty())
}

/// What a document is made from.
#[derive(Debug, Clone, Copy)]
enum Source {
    Entity(EntityIx),
    Brief(usize),
    Page(usize),
}

/// Every document, in index order: entities (most briefs first, then by
/// name), briefs newest first, free pages.
fn document_order(model: &Model, graph: &Graph) -> Vec<Source> {
    let mut entities: Vec<EntityIx> = (0..graph.entities.len()).collect();
    let briefs_of = |e: EntityIx| graph.relations.entities[e].briefs.len();
    entities.sort_by(|&a, &b| {
        (briefs_of(b).cmp(&briefs_of(a)))
            .then_with(|| graph.entities[a].name.cmp(&graph.entities[b].name))
            .then_with(|| graph.entities[a].id.cmp(&graph.entities[b].id))
    });
    let briefs = graph.relations.chronological.iter().rev();
    (entities.into_iter().map(Source::Entity))
        .chain(briefs.map(|&b| Source::Brief(b)))
        .chain((0..model.pages.len()).map(Source::Page))
        .collect()
}

fn document(
    model: &Model,
    graph: &Graph,
    bodies: &Bodies,
    words: &Language,
    source: Source,
) -> Doc {
    match source {
        Source::Entity(e) => entity_doc(model, graph, bodies, words, e),
        Source::Brief(b) => brief_doc(model, graph, bodies, words, b),
        Source::Page(i) => {
            let page = &model.pages[i];
            let summary = bodies.page_summary(model, i).to_string();
            Doc {
                kind: words.text("kind_page").to_string(),
                fields: vec![(page.title.clone(), TITLE), (summary.clone(), SECONDARY)],
                title: page.title.clone(),
                path: links::free_page(&page.slug),
                date: String::new(),
                summary,
                text: html_text(&bodies.pages[i].html),
                aliases: Vec::new(),
            }
        }
    }
}

fn entity_doc(model: &Model, graph: &Graph, bodies: &Bodies, words: &Language, e: EntityIx) -> Doc {
    let entity = &graph.entities[e];
    let profile = entity.profile.map(|p| (p, &model.profiles[p]));
    let mut fields = vec![(entity.name.clone(), TITLE)];
    fields.extend(entity.aliases.iter().map(|a| (a.clone(), TITLE)));
    let mut summary = String::new();
    let mut text = String::new();
    if let Some((ix, p)) = profile {
        let facts = [&p.facts.role, &p.facts.org_type, &p.facts.country];
        fields.extend(facts.into_iter().flatten().map(|f| (f.clone(), SECONDARY)));
        summary = bodies.profile_summary(model, ix).to_string();
        fields.push((summary.clone(), SECONDARY));
        text = html_text(&bodies.profiles[ix].html);
        if summary.is_empty() {
            summary = p.facts.role.clone().unwrap_or_default();
        }
    }
    Doc {
        kind: words.text(kind_key(entity.kind)).to_string(),
        title: entity.name.clone(),
        path: links::entity(entity.kind, &entity.id),
        date: String::new(),
        summary,
        text,
        aliases: entity.aliases.clone(),
        fields,
    }
}

fn brief_doc(model: &Model, graph: &Graph, bodies: &Bodies, words: &Language, b: usize) -> Doc {
    let brief = &model.briefs[b];
    let text = bodies.brief_text(b);
    let summary = bodies.brief_summary(model, b).to_string();
    let mut fields = vec![(brief.title.clone(), TITLE), (summary.clone(), SECONDARY)];
    // Every name of everyone and everything the brief is about, so a search
    // for an actor, by name or by alias, finds the briefs that feature them
    // even where the body never spells that name.
    for e in graph.briefs[b].entities() {
        let entity = &graph.entities[e];
        fields.push((entity.name.clone(), BODY));
        fields.extend(entity.aliases.iter().map(|a| (a.clone(), BODY)));
    }
    Doc {
        kind: words.text("kind_brief").to_string(),
        title: brief.title.clone(),
        path: links::brief(&brief.slug),
        date: words.date(&brief.date),
        summary,
        text,
        aliases: Vec::new(),
        fields,
    }
}

/// The first [`TEXT_LIMIT`] characters of `text`.
fn truncate(text: &str) -> &str {
    match text.char_indices().nth(TEXT_LIMIT) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

/// Adds one document's words to the index: each posting is the document's
/// number and the word's weight in it, in one `u32` (`doc * 4 + weight`).
fn add_postings(index: &mut HashMap<String, Vec<u32>>, doc: u32, terms: Vec<(String, u8)>) {
    for (term, weight) in terms {
        let posting = doc * 4 + u32::from(weight);
        match index.get_mut(&term) {
            Some(list) => list.push(posting),
            None => {
                index.insert(term, vec![posting]);
            }
        }
    }
}

/// The terms sorted as JavaScript compares strings (by UTF-16 code units),
/// each with its postings in document order.
fn sorted(index: HashMap<String, Vec<u32>>) -> Vec<(String, Vec<u32>)> {
    let mut sorted: Vec<(String, Vec<u32>)> = index.into_iter().collect();
    sorted.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    sorted
}

/// The distinct words of one document, each with the best place it occurs.
fn doc_terms(doc: &Doc) -> Vec<(String, u8)> {
    let folded: Vec<(String, u8)> = doc
        .fields
        .iter()
        .map(|(text, weight)| (fold(text), *weight))
        .chain(std::iter::once((fold(&doc.text), BODY)))
        .collect();
    let mut best: HashMap<&str, u8> = HashMap::default();
    for (text, weight) in &folded {
        for word in split_words(text) {
            let w = best.entry(word).or_insert(0);
            *w = (*w).max(*weight);
        }
    }
    best.into_iter().map(|(w, n)| (w.to_string(), n)).collect()
}

/// Collects JSON entries into shards of about `target` bytes, each
/// remembering its first key; a shard is handed back as soon as it is full.
struct ShardWriter<K> {
    target: usize,
    open: char,
    close: char,
    current: String,
    first: Option<K>,
}

impl<K> ShardWriter<K> {
    fn new(target: usize, open: char, close: char) -> ShardWriter<K> {
        ShardWriter {
            target,
            open,
            close,
            current: String::new(),
            first: None,
        }
    }

    /// Adds one entry (already JSON), under `key`; returns the shard it
    /// completes, if it does: its first key and JSON text.
    fn push(&mut self, key: K, entry: &str) -> Option<(K, String)> {
        if self.first.is_none() {
            self.first = Some(key);
            self.current.push(self.open);
        } else {
            self.current.push(',');
        }
        self.current.push_str(entry);
        if self.current.len() >= self.target {
            self.finish()
        } else {
            None
        }
    }

    /// The shard begun and not yet handed back, if any.
    fn finish(&mut self) -> Option<(K, String)> {
        let first = self.first.take()?;
        self.current.push(self.close);
        Some((first, std::mem::take(&mut self.current)))
    }
}

/// One term's entry in a term shard: `"term":[postings]`, each posting's
/// document written as the gap from the one before (`gap * 4 + weight`).
fn term_entry(entry: &mut String, term: &str, postings: &[u32]) {
    entry.clear();
    entry.push_str(&serde_json::to_string(term).unwrap_or_default());
    entry.push_str(":[");
    let mut previous = 0;
    for (i, &posting) in postings.iter().enumerate() {
        if i > 0 {
            entry.push(',');
        }
        let (doc, weight) = (posting / 4, posting % 4);
        entry.push_str(&(u64::from(doc - previous) * 4 + u64::from(weight)).to_string());
        previous = doc;
    }
    entry.push(']');
}

/// A short hash of every shard (FNV-1a), as the index's version.
struct Version(u64);

impl Version {
    fn new() -> Version {
        Version(0xcbf2_9ce4_8422_2325)
    }

    fn add(&mut self, name: &str, text: &str) {
        for byte in name.bytes().chain(text.bytes()) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// A document as its shard stores it: `[kind, title, path, date, summary,
/// text, aliases]`.
fn doc_record(doc: &Doc) -> String {
    let record = (
        &doc.kind,
        &doc.title,
        &doc.path,
        &doc.date,
        &doc.summary,
        truncate(&doc.text),
        &doc.aliases,
    );
    serde_json::to_string(&record).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_strips_accents_and_case_but_keeps_scripts() {
        assert_eq!(
            words("Recep Tayyip Erdoğan"),
            ["recep", "tayyip", "erdogan"]
        );
        assert_eq!(words("ÉLYSÉE, Ångström"), ["elysee", "angstrom"]);
        assert_eq!(words("김정은 위원장"), ["김정은", "위원장"]);
        assert_eq!(words("Владимир Путин"), ["владимир", "путин"]);
        assert_eq!(words("Kim's 2023 visit"), ["kim", "s", "2023", "visit"]);
        assert_eq!(words("ﬁnal"), ["final"]);
    }

    #[test]
    fn shards_cut_at_the_target_and_keep_every_term() {
        let mut writer = ShardWriter::new(TERM_SHARD_TARGET, '{', '}');
        let mut shards = Vec::new();
        let mut entry = String::new();
        for i in 0..5000u32 {
            let term = format!("term{i:05}");
            term_entry(&mut entry, &term, &[i * 4 + 1, (i + 7) * 4 + 3]);
            shards.extend(writer.push(term, &entry));
        }
        shards.extend(writer.finish());
        assert!(shards.len() > 1);
        for (first, body) in &shards {
            assert!(body.len() < TERM_SHARD_TARGET + 100);
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(body).unwrap();
            assert!(map.contains_key(first));
        }
        let total: usize = shards
            .iter()
            .map(|(_, b)| {
                serde_json::from_str::<serde_json::Map<_, _>>(b)
                    .unwrap()
                    .len()
            })
            .sum();
        assert_eq!(total, 5000);
        let (_, body) = &shards[0];
        // term00003 is in documents 3 and 10: gaps 3 and 7, weights 1 and 3.
        assert!(body.contains(r#""term00003":[13,31]"#), "{body}");
    }
}
