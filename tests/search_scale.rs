//! The search index at scale: for the 10,000-brief benchmark corpus
//! (`tests/fixtures/gen_corpus.py`, a copy of `../shared/bench/gen_corpus.py`),
//! no query makes the browser load more than 2 MB of index.
//!
//! A query loads the manifest, the term shards its words need (the client,
//! `static/search.js`, never loads more than `POSTINGS_BUDGET` bytes of
//! them, matching a word whole instead of as a prefix when its prefix would
//! need more), and one document shard per result shown (`PAGE_SIZE`). This
//! test reads those constants from the script, checks the manifest against
//! the files, and replays the client's choice of shards for every prefix of
//! every word in the index.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use dossier::output::search;
use dossier::site::{self, Options};

const LIMIT: usize = 2 * 1024 * 1024;

/// A `var NAME = 123;` constant of static/search.js.
fn client_constant(name: &str) -> usize {
    let script = include_str!("../static/search.js");
    let start = script
        .find(&format!("var {name} = "))
        .unwrap_or_else(|| panic!("search.js has no `var {name}`"))
        + name.len()
        + 7;
    let end = start + script[start..].find(';').unwrap();
    script[start..end].parse().unwrap()
}

/// The JSON inside `dossierSearch.index(…);`.
fn manifest(text: &str) -> serde_json::Value {
    let json = text
        .strip_prefix("dossierSearch.index(")
        .and_then(|t| t.strip_suffix(");\n"))
        .expect("index.js calls dossierSearch.index");
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_query_on_the_10k_corpus_loads_under_2_mb_of_index() {
    let corpus = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gen_corpus.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(corpus.path())
        .args(["--briefs", "10000"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs the corpus generator");
    assert!(status.success());

    let options = Options {
        root: corpus.path().to_path_buf(),
        ..Options::default()
    };
    let (config, _) = site::configure(&options).unwrap();
    let (site, _warnings) = site::prepare(&options, config);
    let files = search::files(&site.model, &site.graph, &site.bodies);

    let (_, index_js) = files
        .iter()
        .find(|(name, _)| name == "search/index.js")
        .unwrap();
    let index = manifest(index_js);
    let entities = site.graph.entities.len();
    assert_eq!(index["documents"], 10_000 + entities);

    let size_of = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.len())
            .unwrap_or_else(|| panic!("the manifest names {name}, which was not written"))
    };
    let terms: Vec<(String, usize)> = serde_json::from_value(index["terms"].clone()).unwrap();
    let docs: Vec<(usize, usize)> = serde_json::from_value(index["docs"].clone()).unwrap();
    assert!(
        terms.len() > 10,
        "the terms are not sharded: {}",
        terms.len()
    );
    assert!(
        docs.len() > 10,
        "the documents are not sharded: {}",
        docs.len()
    );
    for (n, (_, size)) in terms.iter().enumerate() {
        assert_eq!(*size, size_of(&format!("search/t{n}.js")));
    }
    for (n, (_, size)) in docs.iter().enumerate() {
        assert_eq!(*size, size_of(&format!("search/d{n}.js")));
    }
    assert_eq!(files.len(), terms.len() + docs.len() + 1);

    let budget = client_constant("POSTINGS_BUDGET");
    let max_terms = client_constant("MAX_TERMS");
    let page_size = client_constant("PAGE_SIZE");
    let largest_term_shard = terms.iter().map(|t| t.1).max().unwrap();
    let largest_doc_shard = docs.iter().map(|d| d.1).max().unwrap();
    // Even a query of the most words, each matched whole, fits its budget.
    assert!(
        largest_term_shard * max_terms <= budget,
        "a term shard of {largest_term_shard} bytes is too large for {max_terms} words in {budget} bytes"
    );
    let worst = index_js.len() + budget + page_size * largest_doc_shard;
    assert!(
        worst <= LIMIT,
        "a query could load {worst} bytes: manifest {}, terms {budget}, documents {page_size} × {largest_doc_shard}",
        index_js.len()
    );

    // Replay the client for every prefix of every word in the index, as
    // if typed one letter at a time.
    let mut words = BTreeSet::new();
    for (n, _) in terms.iter().enumerate() {
        let text = &files
            .iter()
            .find(|(f, _)| *f == format!("search/t{n}.js"))
            .unwrap()
            .1;
        let json = &text[text.find('{').unwrap()..text.rfind('}').unwrap() + 1];
        let shard: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap();
        words.extend(shard.keys().cloned());
    }
    let mut prefixes = BTreeSet::new();
    for word in &words {
        let chars: Vec<char> = word.chars().collect();
        for end in 1..=chars.len() {
            prefixes.insert(chars[..end].iter().collect::<String>());
        }
    }
    let mut whole_only = 0;
    for prefix in &prefixes {
        let (loaded, as_prefix) = plan(&terms, prefix, budget);
        assert!(loaded <= budget, "`{prefix}` loads {loaded} bytes of terms");
        if !as_prefix {
            whole_only += 1;
        }
    }
    // Prefix matching is the rule, not the exception, even at this size.
    assert!(
        whole_only * 100 < prefixes.len(),
        "{whole_only} of {} prefixes fall back to whole words",
        prefixes.len()
    );
    // The names the corpus is about can be found from their first letters.
    for typed in ["ki", "pu", "min", "sanc"] {
        if prefixes.contains(typed) {
            assert!(
                plan(&terms, typed, budget).1,
                "`{typed}` is not matched as a prefix"
            );
        }
    }
}

/// What `plan` in static/search.js loads for one word: the bytes of term
/// shards, and whether the word is used as a prefix.
fn plan(terms: &[(String, usize)], word: &str, budget: usize) -> (usize, bool) {
    let utf16 = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    let key = utf16(word);
    let first = terms
        .iter()
        .rposition(|(t, _)| utf16(t) <= key)
        .unwrap_or(0);
    let mut size = terms[first].1;
    let mut last = first;
    while last + 1 < terms.len() && terms[last + 1].0.starts_with(word) {
        last += 1;
        size += terms[last].1;
    }
    if size > budget {
        (terms[first].1, false)
    } else {
        (size, true)
    }
}
