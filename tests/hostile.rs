//! Hostile content where it would fire: a corpus of script payloads put in
//! every front-matter field and every body, built with `raw_html: sanitize`
//! and `raw_html: escape` (and `allow`, where they must run: the control), and every page loaded in headless Chromium with a
//! trap: a payload that runs sets `window.__xss`. The trap never fires, no
//! link or source on any page is a script URL, the feeds still parse, and
//! the search page shows a payload searched for as text.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use chrome::{browser, start_driver, wait_in_page};
use common::Site;
use common::server::static_server;

/// Payloads that set the trap if they ever run.
const PAYLOADS: &[&str] = &[
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=2\">",
    "<svg onload=\"window.__xss=3\"></svg>",
    "<iframe src=\"javascript:parent.__xss=4\"></iframe>",
    "<a href=\"jav&#x09;ascript:window.__xss=5\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss=6\"></style></mglyph></table></mtext></math>",
    "<base href=\"javascript:window.__xss=7//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=8\">",
    "<div style=\"background:url(javascript:window.__xss=9)\">x</div>",
    "\"><img src=x onerror=window.__xss=10>",
    "'><svg/onload=window.__xss=11>",
    "</script><script>window.__xss=12</script>",
    "<!--<img src=x onerror=window.__xss=13>-->",
    "<details open ontoggle=\"window.__xss=14\">",
    "<object data=\"data:text/html,<script>parent.__xss=15</script>\"></object>",
];

/// A YAML double-quoted string holding `text`.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

fn hostile_site(mode: &str, base: &str) -> Site {
    let site = Site::new();
    site.file(
        "site.yaml",
        &format!(
            "title: {}\ndescription: {}\nbase_url: {base}\nraw_html: {mode}\n",
            quoted(&format!("Watch {}", PAYLOADS[0])),
            quoted(PAYLOADS[1])
        ),
    );
    let all = PAYLOADS.join(" ");
    site.file(
        "content/people/hostile.md",
        &format!(
            "---\nname: {}\naliases: [{}]\nrole: {}\ncountry: {}\nsummary: {}\nlinks:\n  Home: https://example.com/?q={}\n---\n{all}\n\n[click](javascript:window.__xss=20) [x](JaVaScRiPt:window.__xss=21) ![i](data:text/html,x)\n",
            quoted(&format!("Mallory {}", PAYLOADS[2])),
            quoted(PAYLOADS[3]),
            quoted(PAYLOADS[4]),
            quoted(PAYLOADS[5]),
            quoted(PAYLOADS[6]),
            "%3Cscript%3E",
        ),
    );
    site.file(
        "content/topics/hostile.md",
        &format!(
            "---\ntitle: {}\n---\n{all}\n",
            quoted(&format!("Topic {}", PAYLOADS[7]))
        ),
    );
    for (i, payload) in PAYLOADS.iter().enumerate() {
        site.file(
            &format!("content/briefs/2023-09-{:02}-b{i}.md", 1 + i % 28),
            &format!(
                "---\ntitle: {}\nsummary: {}\nactors:\n  - ref: {}\n    role: {}\n  - {}\ntopics: [{}]\nplaces: [{}]\nevents:\n  - date: 2023-09-01\n    title: {}\n    description: {}\nsources:\n  - url: https://example.com/{i}\n    title: {}\n    publisher: {}\n---\n{payload}\n\nThe text mentions Mallory and {all}\n",
                quoted(&format!("Brief {i} {payload}")),
                quoted(payload),
                quoted(&format!("Mallory {}", PAYLOADS[2])),
                quoted(payload),
                quoted(&format!("Eve {payload}")),
                quoted(&format!("Topic {}", PAYLOADS[7])),
                quoted(&format!("Place {payload}")),
                quoted(&format!("Event {payload}")),
                quoted(payload),
                quoted(payload),
                quoted(payload),
            ),
        );
    }
    site.file(
        "content/pages/about.md",
        &format!(
            "---\ntitle: {}\n---\n{all}\n",
            quoted(&format!("About {}", PAYLOADS[9]))
        ),
    );
    site
}

/// What set the trap, or null: the number of the payload that ran.
const TRAP: &str = "return window.__xss === undefined ? null : String(window.__xss);";

/// Script URLs left in a page's links, sources, frames and objects.
const SCRIPT_URLS: &str = r#"
var bad = [];
document.querySelectorAll('[href],[src],[data],[action],[formaction]').forEach(function (el) {
  ['href', 'src', 'data', 'action', 'formaction'].forEach(function (name) {
    var v = el.getAttribute(name);
    if (v && /^\s*(javascript|vbscript|data:text\/html)/i.test(v.replace(/[\s\u0000-\u001f]/g, ''))) bad.push(el.outerHTML.slice(0, 100));
  });
});
if (document.querySelector('base[href], meta[http-equiv]')) bad.push('a <base> or <meta http-equiv> in the page');
return bad;
"#;

#[test]
fn payloads_in_every_field_never_run_in_sanitize_and_escape() {
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // `allow` is the control: there the payloads must run, or the trap
    // could not catch anything.
    for mode in ["sanitize", "escape", "allow"] {
        let host = tempfile::tempdir().unwrap();
        let server = static_server(host.path());
        let base = format!("http://127.0.0.1:{}/site/", server.port);
        let site = hostile_site(mode, &base);
        let public = host.path().join("site");
        let run = site.build(&["--output", public.to_str().unwrap()]);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        // The feeds parse.
        for feed in walkdir::WalkDir::new(&public)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "xml"))
        {
            let text = std::fs::read(feed.path()).unwrap();
            if text.starts_with(b"<?xml") && String::from_utf8_lossy(&text).contains("<feed") {
                feed_rs::parser::parse(&text[..])
                    .unwrap_or_else(|e| panic!("{mode}: {}: {e}", feed.path().display()));
            }
        }
        let pages = common::html_files(&public);
        assert!(pages.len() > 30, "{mode}: {} pages", pages.len());
        runtime.block_on(async {
            let client = browser(&driver).await;
            let mut problems = Vec::new();
            for page in &pages {
                client.goto(&format!("{base}{page}")).await.unwrap();
                // Let timers, handlers and frames run.
                tokio::time::sleep(std::time::Duration::from_millis(60)).await;
                let fired = client.execute(TRAP, vec![]).await.unwrap();
                if !fired.is_null() {
                    problems.push(format!("{mode}: /{page}: payload {fired} ran"));
                }
                let urls = client.execute(SCRIPT_URLS, vec![]).await.unwrap();
                for url in urls.as_array().unwrap() {
                    problems.push(format!("{mode}: /{page}: {url}"));
                }
            }
            // A payload searched for is shown as text.
            client
                .goto(&format!("{base}search/?q=mallory"))
                .await
                .unwrap();
            wait_in_page(
                &client,
                "results",
                "return document.querySelectorAll('#search-results li').length > 0;",
            )
            .await;
            let shown = client
                .execute(
                    "return document.getElementById('search-results').textContent;",
                    vec![],
                )
                .await
                .unwrap();
            assert!(
                shown.as_str().unwrap().contains("<svg onload="),
                "{mode}: {shown}"
            );
            let fired = client.execute(TRAP, vec![]).await.unwrap();
            assert!(
                fired.is_null() || mode == "allow",
                "{mode}: the search page ran payload {fired}"
            );
            client.close().await.unwrap();
            if mode == "allow" {
                assert!(
                    problems.iter().any(|p| p.contains("ran")),
                    "the trap caught nothing in `allow`"
                );
            } else {
                assert!(
                    problems.is_empty(),
                    "{} problems:\n{}",
                    problems.len(),
                    problems.join("\n")
                );
            }
        });
    }
}
