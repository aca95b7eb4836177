//! Every page dossier writes is valid HTML: the Nu HTML checker (`vnu-jar`
//! from npm, the validator behind validator.w3.org) finds no error and no
//! warning on any page of the example site or of a generated site, in both
//! link styles.

mod common;

use std::path::Path;
use std::process::Command;

use common::{html_files, run_in, tools};

/// The checker's complaints about every HTML file under `public`, one line
/// each (`file:line.column: message`); info messages are left out.
fn validate(public: &Path) -> Vec<String> {
    let out = Command::new("java")
        .arg("-jar")
        .arg(tools::vnu_jar())
        .args(["--skip-non-html", "--format", "json", "--exit-zero-always"])
        .arg(public)
        .output()
        .expect("java runs the HTML checker");
    let report: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|_| {
        panic!(
            "the checker's report: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let messages = report["messages"].as_array().expect("a list of messages");
    messages
        .iter()
        .filter(|m| m["type"] != "info" || m["subType"] == "warning")
        .map(|m| {
            let file = m["url"].as_str().unwrap_or("?");
            let file = file.rsplit_once("/public/").map_or(file, |(_, f)| f);
            format!(
                "{file}:{}.{}: {}",
                m["lastLine"], m["firstColumn"], m["message"]
            )
        })
        .collect()
}

#[test]
fn every_page_of_the_example_site_is_valid_html() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    for (name, extra) in [("public", &[][..]), ("portable", &["--portable"][..])] {
        let public = out.path().join(name);
        let mut args = vec!["build", "--output", public.to_str().unwrap()];
        args.extend(extra);
        run_in(repo, &args).expect_code(0);
        assert!(html_files(&public).len() > 30);
        let problems = validate(&public);
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn every_page_of_a_generated_site_is_valid_html() {
    let site = common::generated_site(&["--briefs", "150"]);
    let public = site.path().join("public");
    run_in(site.path(), &["build", "--quiet"]).expect_code(0);
    assert!(html_files(&public).len() > 250);
    let problems = validate(&public);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
