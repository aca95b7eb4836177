//! The default theme, compiled into the binary: the templates in
//! `templates/` and the assets in `static/` at the top of this repository.
//! A site's own file of the same name replaces the built-in one.

/// Built-in templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("briefs.html", include_str!("../../templates/briefs.html")),
    ("brief.html", include_str!("../../templates/brief.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
    ("person.html", include_str!("../../templates/person.html")),
    (
        "organization.html",
        include_str!("../../templates/organization.html"),
    ),
    ("topic.html", include_str!("../../templates/topic.html")),
    ("place.html", include_str!("../../templates/place.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    (
        "sitemap_index.xml",
        include_str!("../../templates/sitemap_index.xml"),
    ),
    ("archive.html", include_str!("../../templates/archive.html")),
];

/// Built-in assets, by path under the output root.
pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("sort.js", include_bytes!("../../static/sort.js")),
    (
        "timeline-filter.js",
        include_bytes!("../../static/timeline-filter.js"),
    ),
    // A 32-pixel PNG in an ICO file (160 bytes): browsers ask every site
    // for `/favicon.ico`, and a missing one is an error in their console.
    ("favicon.ico", include_bytes!("../../static/favicon.ico")),
];
