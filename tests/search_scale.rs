//! The search index at scale: for the 10,000-brief benchmark corpus
//! (`tests/fixtures/gen_corpus.py`, a copy of `../shared/bench/gen_corpus.py`),
//! no query makes the browser load more than 2 MB of index.
//!
//! A query loads the manifest, the term shards its words need (the client,
//! `static/search.js`, never loads more than `POSTINGS_BUDGET` bytes of
//! them, matching a word whole instead of as a prefix when its prefix would
//! need more), and one document shard per result shown (`PAGE_SIZE`). This
//! test checks the manifest against the files, then runs the real client
//! under Node (`tests/fixtures/search_client.js`, a fresh page per query)
//! on every one- and two-letter prefix in the index and on hundreds of
//! queries of up to eight words, and counts the bytes each one loads.

mod common;

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
    let corpus = common::generated_site(&["--briefs", "10000"]);

    let options = Options {
        root: corpus.path().to_path_buf(),
        ..Options::default()
    };
    let (config, _) = site::configure(&options).unwrap();
    let (site, _warnings) = site::prepare(&options, config, &dossier::progress::Progress::silent());
    let files = search::files(&site.model, &site.graph, &site.bodies, &site.config.words);

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

    // The real client, under Node, on the index written to disk.
    let site_dir = tempfile::tempdir().unwrap();
    for (name, text) in &files {
        let path = site_dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
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
    let short_prefixes: BTreeSet<String> = words
        .iter()
        .flat_map(|w| {
            let chars: Vec<char> = w.chars().collect();
            (1..=chars.len().min(2)).map(move |n| chars[..n].iter().collect::<String>())
        })
        .collect();
    let longer_prefixes: Vec<String> = words
        .iter()
        .filter_map(|w| {
            let chars: Vec<char> = w.chars().collect();
            (chars.len() > 4).then(|| chars[..4].iter().collect::<String>())
        })
        .filter(|p| !words.contains(p))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut queries: Vec<String> = short_prefixes.iter().cloned().collect();
    // Many words at once: the budget is shared among them.
    queries.push("s a r c f t m n".to_string());
    queries.push("a b c d e f g h i j".to_string());
    let pool: Vec<&String> = short_prefixes.iter().chain(&longer_prefixes).collect();
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    for _ in 0..300 {
        let count = 2 + next(7);
        let query: Vec<&str> = (0..count)
            .map(|_| pool[next(pool.len())].as_str())
            .collect();
        queries.push(query.join(" "));
    }
    // A prefix of four letters that is no word of its own: found as a prefix.
    let sample: Vec<String> = longer_prefixes
        .iter()
        .step_by(longer_prefixes.len() / 100 + 1)
        .cloned()
        .collect();
    queries.extend(sample.iter().cloned());
    // The name of the most written-about entity, as a reader types it.
    let busiest = (0..site.graph.entities.len())
        .max_by_key(|&e| site.graph.relations.entities[e].briefs.len())
        .unwrap();
    let name = site.graph.entities[busiest].name.to_lowercase();
    queries.push(name.clone());

    let query_file = site_dir.path().join("queries.json");
    std::fs::write(&query_file, serde_json::to_string(&queries).unwrap()).unwrap();
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search_client.js");
    let out = Command::new("node")
        .arg(&harness)
        .arg(site_dir.path())
        .arg(&query_file)
        .output()
        .expect("node runs the search client (install Node.js: it is part of the test set-up)");
    assert!(
        out.status.success(),
        "the search client failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), queries.len());
    let mut heaviest = (0, String::new());
    for answer in &answers {
        let query = answer["query"].as_str().unwrap();
        let bytes = answer["bytes"].as_u64().unwrap() as usize;
        assert!(bytes <= LIMIT, "`{query}` loads {bytes} bytes of index");
        assert!(answer["shown"].as_array().unwrap().len() <= page_size);
        if bytes > heaviest.0 {
            heaviest = (bytes, query.to_string());
        }
    }
    eprintln!(
        "the heaviest query, `{}`, loads {} bytes",
        heaviest.1, heaviest.0
    );
    let status_of = |q: &str| -> String {
        answers
            .iter()
            .find(|a| a["query"] == q)
            .map(|a| a["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    // Prefixes are matched as prefixes, not only as whole words.
    let found = sample
        .iter()
        .filter(|p| !status_of(p).starts_with("No results"))
        .count();
    assert!(
        found * 100 >= sample.len() * 95,
        "only {found} of {} four-letter prefixes found anything",
        sample.len()
    );
    // A reader finds the busiest actor by name, listed first.
    let answer = answers
        .iter()
        .find(|a| a["query"] == name.as_str())
        .unwrap();
    assert!(
        answer["status"]
            .as_str()
            .unwrap()
            .ends_with(&format!("for “{name}”.")),
        "{answer}"
    );
    assert_eq!(
        answer["shown"][0].as_str().unwrap().to_lowercase(),
        name,
        "{answer}"
    );
}
