//! Accessibility in a real browser: every kind of page of the example site
//! and of a generated site, at a phone's width and a desktop's, in the light
//! and the dark colour scheme, has no violation of the WCAG 2.1 A and AA
//! rules that axe-core checks (npm `axe-core`, installed by `scripts/test`,
//! its script injected through WebDriver), and every link, button and field
//! shows where the keyboard focus is. A reader can search without a mouse.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use std::path::Path;

use chrome::{browser_in, start_driver, wait_in_page};
use common::server::serve_build;
use common::tools;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

/// The widths a page is checked at: a small phone and a desktop.
const WIDTHS: [u32; 2] = [375, 1280];

/// The WCAG 2.1 A and AA rules.
const AXE_RUN: &str = r#"
var done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations']
}).then(function (r) {
  done(r.violations.map(function (v) {
    return v.id + ' (' + v.impact + '): ' + v.help + '\n      ' + v.nodes.slice(0, 4).map(function (n) {
      return n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' ');
    }).join('\n      ');
  }));
}, function (e) { done(['axe failed: ' + e]); });
"#;

/// Focusable elements whose focus is invisible: each is focused as the
/// keyboard would, and must then show an outline.
const INVISIBLE_FOCUS: &str = r#"
var bad = [];
var all = document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]');
for (var i = 0; i < all.length && i < 60; i++) {
  var el = all[i];
  if (el.tabIndex < 0 || el.closest('[hidden]') || el.getClientRects().length === 0) continue;
  el.focus({ focusVisible: true });
  var cs = getComputedStyle(el);
  var outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
  var shadow = cs.boxShadow && cs.boxShadow !== 'none';
  if (!outline && !shadow) bad.push(el.outerHTML.slice(0, 120));
}
if (document.activeElement) document.activeElement.blur();
return bad;
"#;

/// Site paths of one page of every kind, from a built site's output.
fn pages_of_every_kind(public: &Path, query: &str) -> Vec<String> {
    let mut pages: Vec<String> = [
        "",
        "briefs/",
        "people/",
        "organizations/",
        "topics/",
        "places/",
        "timeline/",
        "404.html",
    ]
    .map(String::from)
    .to_vec();
    pages.push(format!("search/?q={query}"));
    let first = |folder: &str, wanted: &dyn Fn(&Path) -> bool| -> Option<String> {
        let mut entries: Vec<_> = std::fs::read_dir(public.join(folder))
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("index.html").is_file() && wanted(p))
            .collect();
        entries.sort();
        let name = entries.first()?.file_name()?.to_string_lossy().to_string();
        Some(format!("{folder}/{name}/"))
    };
    let is_stub = |p: &Path| {
        let html = std::fs::read_to_string(p.join("index.html")).unwrap_or_default();
        html.contains("There is no profile for")
    };
    for folder in ["people", "organizations", "topics", "places", "briefs"] {
        pages.extend(first(folder, &|p| !is_stub(p) && !p.ends_with("page")));
    }
    for folder in ["people", "organizations", "topics", "places"] {
        if let Some(stub) = first(folder, &is_stub) {
            pages.push(stub);
            break;
        }
    }
    // A free page, an entity's archive, a second page of briefs, a year.
    pages.extend(first("", &|p| {
        let html = std::fs::read_to_string(p.join("index.html")).unwrap_or_default();
        html.contains("class=\"free-page\"")
    }));
    pages
        .extend(first("people", &|p| p.join("briefs/index.html").is_file()).map(|p| p + "briefs/"));
    pages.extend(first("briefs/page", &|_| true));
    pages.extend(first("timeline", &|_| true));
    pages
}

/// Checks every page at every width in one colour scheme; returns the
/// problems, one line each.
async fn check_pages(client: &Client, base: &str, pages: &[String], dark: bool) -> Vec<String> {
    let axe = tools::axe_script();
    let mut problems = Vec::new();
    for width in WIDTHS {
        client.set_window_size(width, 900).await.unwrap();
        for page in pages {
            client.goto(&format!("{base}{page}")).await.unwrap();
            if page.starts_with("search/") {
                wait_in_page(
                    client,
                    "search results",
                    "return document.querySelectorAll('#search-results li').length > 0;",
                )
                .await;
            }
            let seen = client
                .execute("return [window.innerWidth, matchMedia('(prefers-color-scheme: dark)').matches];", vec![])
                .await
                .unwrap();
            assert_eq!(
                seen,
                serde_json::json!([width, dark]),
                "the browser's window on {page}"
            );
            client
                .execute(&format!("{axe}\nreturn true;"), vec![])
                .await
                .unwrap();
            let violations = client.execute_async(AXE_RUN, vec![]).await.unwrap();
            let scheme = if dark { "dark" } else { "light" };
            for v in violations.as_array().unwrap() {
                problems.push(format!(
                    "/{page} at {width} px, {scheme}: {}",
                    v.as_str().unwrap()
                ));
            }
            let unseen = client.execute(INVISIBLE_FOCUS, vec![]).await.unwrap();
            for element in unseen.as_array().unwrap() {
                problems.push(format!(
                    "/{page} at {width} px, {scheme}: focus not visible on {element}"
                ));
            }
        }
    }
    problems
}

/// Builds `root` into a served folder and checks its pages of every kind.
fn check_site(root: &Path, query: &str) {
    let served = serve_build(root);
    let base = &served.base;
    let pages = pages_of_every_kind(&served.public, query);
    assert!(pages.len() >= 16, "{pages:?}");
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let problems = runtime.block_on(async {
        let mut problems = Vec::new();
        for dark in [false, true] {
            let client = browser_in(&driver, dark).await;
            problems.extend(check_pages(&client, base, &pages, dark).await);
            client.close().await.unwrap();
        }
        problems
    });
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_kind_of_page_of_the_example_passes_axe_at_both_widths_and_schemes() {
    check_site(Path::new(env!("CARGO_MANIFEST_DIR")), "kim");
}

#[test]
fn every_kind_of_page_of_a_generated_site_passes_axe_at_both_widths_and_schemes() {
    let site = common::generated_site(&["--briefs", "400"]);
    std::fs::write(
        site.path().join("site.yaml"),
        "title: Generated Watch\nper_page: 20\n",
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("content/pages")).unwrap();
    std::fs::write(
        site.path().join("content/pages/about.md"),
        "---\ntitle: About\n---\nHow this site is made.\n",
    )
    .unwrap();
    check_site(site.path(), "garcia");
}

/// A reader who only uses the keyboard: Tab to the search box, type, Enter,
/// Tab to the first result, Enter to open it.
#[test]
fn search_works_without_a_mouse() {
    let served = serve_build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let base = &served.base;
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser_in(&driver, false).await;
        client.goto(base).await.unwrap();
        let active = "return document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : '';";
        let mut presses = 0;
        loop {
            client.active_element().await.unwrap().send_keys(&Key::Tab.to_string()).await.unwrap();
            presses += 1;
            let focused = client.execute(active, vec![]).await.unwrap();
            if focused.as_str().unwrap_or("").starts_with("<input") {
                break;
            }
            assert!(presses < 15, "no search box within 15 presses of Tab (at {focused})");
        }
        client.active_element().await.unwrap().send_keys(&format!("peskov{}", Key::Enter)).await.unwrap();
        wait_in_page(&client, "results", "return document.querySelectorAll('#search-results li').length > 0;").await;
        // Tab from the box lands on the first result.
        let input = client.find(Locator::Id("search-input")).await.unwrap();
        input.send_keys(&Key::Tab.to_string()).await.unwrap();
        let focused = client.execute("return document.activeElement.textContent;", vec![]).await.unwrap();
        assert_eq!(focused.as_str(), Some("Dmitry Peskov"));
        client.active_element().await.unwrap().send_keys(&Key::Enter.to_string()).await.unwrap();
        wait_in_page(&client, "Peskov's page", "return document.querySelector('h1') && document.querySelector('h1').textContent === 'Dmitry Peskov';").await;
        client.close().await.unwrap();
    });
}
