//! The documentation keeps up with the code: every problem code dossier can
//! report is explained in docs/format.md, so a writer who sees `[stub]` at
//! the end of a line can look it up.

use std::collections::BTreeSet;
use std::path::Path;

/// Every code given to `Diagnostic::error`/`warning` (and the located
/// forms `error_at`, `warning_at`, `error_at_key`) in the sources.
fn codes_in_source() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // Unit tests make up codes of their own.
        let text = text.split("#[cfg(test)]").next().unwrap();
        for call in [
            "error(",
            "warning(",
            "error_at(",
            "warning_at(",
            "error_at_key(",
        ] {
            for (at, _) in text.match_indices(call) {
                let rest = text[at + call.len()..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else {
                    continue;
                };
                let code = &rest[..rest.find('"').unwrap()];
                if !code.is_empty()
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    codes.insert(code.to_string());
                }
            }
        }
        for code in ["stub", "likely-typo"] {
            if text.contains(&format!("\"{code}\"")) {
                codes.insert(code.to_string());
            }
        }
    }
    codes
}

#[test]
fn every_problem_code_is_explained_in_the_format_reference() {
    let format = include_str!("../docs/format.md");
    let start = format
        .find("### Every problem by its code")
        .expect("docs/format.md has the table of codes");
    let table = &format[start..];
    let table = &table[..table[4..].find("\n### ").map_or(table.len(), |e| e + 4)];
    let registered: BTreeSet<String> = dossier::diagnostics::CODES
        .iter()
        .map(|c| c.to_string())
        .collect();
    let used = codes_in_source();
    assert!(used.len() > 40, "only {} codes found: {used:?}", used.len());
    let unregistered: Vec<&String> = used.difference(&registered).collect();
    assert!(
        unregistered.is_empty(),
        "codes used but not in diagnostics::CODES: {unregistered:?}"
    );
    let missing: Vec<&String> = registered
        .iter()
        .filter(|c| !table.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes not in docs/format.md: {missing:?}"
    );
}
