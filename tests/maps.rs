//! Maps as a reader meets them: the example's places on the world map of
//! `/places/` (each marker a link that leads to the place's page), a
//! locator map on each place page, small maps on briefs and entity pages
//! that name places with coordinates, the same places as a text list, no
//! request off the site, and every page under 60 KB.

mod common;

use std::path::{Path, PathBuf};

use common::{Page, Site, brief, html_files, run_in};

fn build_example() -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    run_in(repo, &["build", "--output", public.to_str().unwrap()]).expect_code(0);
    (out, public)
}

/// The links of a map's markers, resolved to site paths, with their names.
fn markers(page: &Page, css: &str) -> Vec<(String, String)> {
    (page.links(&format!("{css} svg a")).into_iter())
        .map(|(name, href)| (name, page.resolve(&href)))
        .collect()
}

#[test]
fn the_example_shows_vladivostok_and_pyongyang_on_its_maps() {
    let (_dir, public) = build_example();
    let places = Page::open(&public, "places/");
    assert_eq!(
        places.texts(".map-figure svg.map-world > title"),
        vec!["Every place with coordinates, on a map"]
    );
    // Heavier markers first, so the lighter ones are drawn on top.
    assert_eq!(
        markers(&places, ".map-figure"),
        vec![
            ("Vladivostok".to_string(), "places/vladivostok/".to_string()),
            ("Pyongyang".to_string(), "places/pyongyang/".to_string()),
        ]
    );
    // Marker size by number of briefs: Vladivostok has three, Pyongyang one.
    let radii: Vec<f64> = (places.attrs("svg.map-world a circle", "r").iter())
        .map(|r| r.parse().unwrap())
        .collect();
    assert!(radii[0] > radii[1], "{radii:?}");
    assert_eq!(
        places.texts(".map-figure .map-places li"),
        vec![
            "Pyongyang 39.0392, 125.7625 · 1 brief",
            "Vladivostok 43.1155, 131.8855 · 3 briefs",
        ]
    );
    let pyongyang = places.follow(&public, ".map-figure svg a", "Pyongyang");
    assert_eq!(
        pyongyang.texts("svg.map-locator > title"),
        vec!["Pyongyang on the map"]
    );
    // The place itself is highlighted and not a link to its own page.
    assert_eq!(
        pyongyang
            .attrs("svg.map-locator .map-marker-current", "r")
            .len(),
        1
    );
    assert!(
        !markers(&pyongyang, ".map-figure")
            .iter()
            .any(|(_, to)| to == "places/pyongyang/")
    );

    let kim = Page::open(&public, "people/kim-jong-un/");
    let mut on_map = markers(&kim, ".map-figure");
    on_map.sort();
    assert_eq!(
        on_map,
        vec![
            ("Pyongyang".to_string(), "places/pyongyang/".to_string()),
            ("Vladivostok".to_string(), "places/vladivostok/".to_string()),
        ]
    );
    let brief = Page::open(&public, "briefs/kim-arrives-in-russia/");
    assert_eq!(
        markers(&brief, ".map-figure"),
        vec![("Vladivostok".to_string(), "places/vladivostok/".to_string())]
    );
    assert_eq!(
        brief.texts(".map-figure figcaption"),
        vec!["The places of this brief, on a map"]
    );
}

#[test]
fn maps_ask_nothing_off_the_site_and_pages_stay_small() {
    let (_dir, public) = build_example();
    let mut with_maps = 0;
    for file in html_files(&public) {
        let html = std::fs::read_to_string(public.join(&file)).unwrap();
        assert!(html.len() < 60_000, "{file} is {} bytes", html.len());
        let Some(start) = html.find("<svg class=\"map") else {
            continue;
        };
        with_maps += 1;
        let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
        // No tiles, fonts or scripts: the only URLs are the site's own
        // links and the SVG namespace.
        let outside: Vec<&str> = (svg.match_indices("http").map(|(i, _)| &svg[i..i + 30]))
            .filter(|u| !u.starts_with("http://www.w3.org/2000/svg"))
            .collect();
        assert!(outside.is_empty(), "{file}: {outside:?}");
        assert!(
            !svg.contains("<script") && !svg.contains("<image"),
            "{file}"
        );
        assert!(
            !svg.contains("fill=\"#"),
            "{file}: colours come from the style sheet"
        );
    }
    // /places/, 2 place pages, 6 briefs naming places or their events'
    // places, the people and organisations of those briefs…
    assert!(with_maps >= 10, "only {with_maps} pages have a map");
    let css = std::fs::read_to_string(public.join("style.css")).unwrap();
    let dark = &css[css.find("@media (prefers-color-scheme: dark)").unwrap()..];
    assert!(css.contains(".map-land") && dark.contains(".map-land"));
}

#[test]
fn places_without_coordinates_are_not_drawn() {
    let site = Site::new();
    site.file("content/places/nowhere.md", "---\nname: Nowhere\n---\n")
        .file(
            "content/places/vladivostok.md",
            "---\nname: Vladivostok\nlat: 43.1155\nlon: 131.8855\n---\n",
        )
        .file(
            "content/briefs/2023-09-12-a.md",
            &brief("title: A\nactors: [Kim]\nplaces: [Nowhere]", "Text."),
        )
        .file(
            "content/briefs/2023-09-13-b.md",
            &brief(
                "title: B\nactors: [Kim]\nplaces: [Nowhere, Vladivostok]",
                "Text.",
            ),
        );
    site.build(&[]).expect_code(0);
    assert!(site.page("briefs/a/").texts(".map-figure").is_empty());
    assert!(site.page("places/nowhere/").texts(".map-figure").is_empty());
    let b = site.page("briefs/b/");
    assert_eq!(
        b.texts(".map-figure .map-places li"),
        vec!["Vladivostok 43.1155, 131.8855"]
    );
    let places = site.page("places/");
    assert_eq!(places.texts(".map-places li").len(), 1);
}
