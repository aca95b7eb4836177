//! The HTTP side of `serve`: answers GET and HEAD from the last good build
//! held in memory, and nothing else. A request path is decoded once and
//! refused if it could mean anything but a file of the site (`..`, `.`,
//! encoded slashes or backslashes, NUL); there is no file system behind it
//! to escape into. HTML gets the live-reload script, and the overlay of
//! problems while the last rebuild failed.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::extract::State;
use axum::http::{HeaderValue, Method, Response, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use tokio_stream::{Stream, StreamExt, wrappers::BroadcastStream};

use crate::text::escape_html;

use super::{Shared, Update};

const RELOAD_SCRIPT: &str = include_str!("reload.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");
/// URLs of `serve` itself; a site cannot have a folder of that name.
const RELOAD_PATH: &str = "/__dossier/reload.js";
const EVENTS_PATH: &str = "/__dossier/events";
const OVERLAY_CSS_PATH: &str = "/__dossier/overlay.css";

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(RELOAD_PATH, get(reload_script))
        .route(EVENTS_PATH, get(events))
        .route(OVERLAY_CSS_PATH, get(overlay_css))
        .fallback(site_file)
        .with_state(shared)
}

async fn reload_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        RELOAD_SCRIPT,
    )
}

async fn overlay_css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        OVERLAY_CSS,
    )
}

/// Server-sent events: the current problems first (if any), then one event
/// per rebuild.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.updates.subscribe();
    let current = shared.problems_json();
    let first =
        tokio_stream::iter(current.map(|json| Ok(Event::default().event("problems").data(json))));
    let updates = BroadcastStream::new(receiver).filter_map(|update| match update {
        Ok(Update::Reload) => Some(Ok(Event::default().event("reload").data("{}"))),
        Ok(Update::Problems(json)) => Some(Ok(Event::default().event("problems").data(json))),
        // A slow page missed some updates: reloading catches it up.
        Err(_) => Some(Ok(Event::default().event("reload").data("{}"))),
    });
    Sse::new(first.chain(updates)).keep_alive(KeepAlive::default())
}

/// What a request path asks for.
#[derive(Debug, PartialEq)]
pub enum Lookup {
    /// A file of the site, by its path in the output.
    File(String),
    /// A folder asked for without its trailing `/`: redirect there.
    Folder(String),
    /// A path that cannot name a file of the site.
    Refused,
}

/// Decodes and checks a request path. `is_folder` says whether the site has
/// `PATH/index.html`.
pub fn lookup(raw_path: &str, is_folder: impl Fn(&str) -> bool) -> Lookup {
    let lower = raw_path.to_ascii_lowercase();
    if !raw_path.starts_with('/') || ["%2f", "%5c", "%00"].iter().any(|bad| lower.contains(bad)) {
        return Lookup::Refused;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(raw_path).decode_utf8() else {
        return Lookup::Refused;
    };
    if decoded.contains(['\\', '\0']) {
        return Lookup::Refused;
    }
    let rel = &decoded[1..];
    if rel
        .split('/')
        .any(|segment| segment == ".." || segment == "." || segment.starts_with("..."))
        || rel.contains("//")
        || rel.starts_with('/')
    {
        return Lookup::Refused;
    }
    if rel.is_empty() || rel.ends_with('/') {
        return Lookup::File(format!("{rel}index.html"));
    }
    if is_folder(rel) {
        return Lookup::Folder(format!("/{rel}/"));
    }
    Lookup::File(rel.to_string())
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let site = shared.site();
    let response = match lookup(uri.path(), |rel| site.is_folder(rel)) {
        Lookup::Refused => plain(StatusCode::BAD_REQUEST, "bad path\n"),
        Lookup::Folder(to) => {
            let mut response = plain(StatusCode::MOVED_PERMANENTLY, "");
            if let Ok(location) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Lookup::File(rel) => match site.get(&rel) {
            Some(bytes) => file(&shared, &rel, &bytes, StatusCode::OK),
            // Before the first good build there is no page to show the
            // problems over: a page of their own says what to fix.
            None if !shared.has_built() && is_page(&rel) => file(
                &shared,
                "index.html",
                PROBLEMS_PAGE.as_bytes(),
                StatusCode::SERVICE_UNAVAILABLE,
            ),
            None => match site.get("404.html") {
                Some(bytes) => file(&shared, "404.html", &bytes, StatusCode::NOT_FOUND),
                None => plain(StatusCode::NOT_FOUND, "not found\n"),
            },
        },
    };
    if method == Method::HEAD {
        // The headers GET would give, the length of its body included.
        let (mut parts, body) = response.into_parts();
        if let Some(length) = body.size_hint().exact() {
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        return Response::from_parts(parts, Body::empty());
    }
    response
}

/// The page shown while the site has never built: the overlay and the
/// reload script are added to it like to any page.
const PROBLEMS_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>dossier serve: the site has problems</title></head><body>\n</body></html>\n";

/// True for a path a reader opens as a page (not a stylesheet or script).
fn is_page(rel: &str) -> bool {
    rel.ends_with(".html")
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn file(shared: &Shared, rel: &str, bytes: &[u8], status: StatusCode) -> Response<Body> {
    let mime = mime_guess::from_path(rel).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        Body::from(inject(bytes, &shared.overlay_html()))
    } else {
        Body::from(bytes.to_vec())
    };
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // Always fresh: the site changes under the reader's eyes.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page with the reload script (and the overlay, if any) before
/// `</body>`, or at the end when there is none.
fn inject(html: &[u8], overlay: &str) -> Vec<u8> {
    let addition = format!("{overlay}<script src=\"{RELOAD_PATH}\"></script>\n");
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + addition.len());
    out.push_str(&text[..at]);
    out.push_str(&addition);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// The overlay as HTML, for pages loaded while the site has problems (open
/// pages get it from the event stream instead).
pub fn overlay_html(
    title: &str,
    problems: &[crate::diagnostics::Diagnostic],
    root: &std::path::Path,
) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<link id=\"dossier-overlay-style\" rel=\"stylesheet\" href=\"{OVERLAY_CSS_PATH}\"><div id=\"dossier-overlay\" role=\"alert\"><p class=\"dossier-overlay-title\">{}</p><ol>",
        escape_html(title)
    );
    for p in problems {
        let mut at = p
            .file
            .as_deref()
            .map(|f| crate::diagnostics::display_path(root, f))
            .unwrap_or_default();
        if let Some(line) = p.line {
            at.push_str(&format!(":{line}"));
            if let Some(column) = p.column {
                at.push_str(&format!(":{column}"));
            }
        }
        out.push_str(&format!(
            "<li><code class=\"dossier-overlay-where\">{}</code><span class=\"dossier-overlay-{}\"> {}: </span><span class=\"dossier-overlay-message\">{}</span>",
            escape_html(&at),
            p.severity,
            p.severity,
            escape_html(&p.message)
        ));
        if let Some(help) = &p.help {
            out.push_str(&format!(
                "<p class=\"dossier-overlay-help\">help: {}</p>",
                escape_html(help)
            ));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(path: &str) -> Lookup {
        lookup(path, |rel| rel == "people/kim")
    }

    #[test]
    fn paths_map_to_files_of_the_site() {
        assert_eq!(look("/"), Lookup::File("index.html".into()));
        assert_eq!(
            look("/people/kim/"),
            Lookup::File("people/kim/index.html".into())
        );
        assert_eq!(look("/people/kim"), Lookup::Folder("/people/kim/".into()));
        assert_eq!(look("/style.css"), Lookup::File("style.css".into()));
        assert_eq!(
            look("/people/%EA%B9%80/"),
            Lookup::File("people/김/index.html".into())
        );
    }

    #[test]
    fn escapes_are_refused() {
        for path in [
            "/../etc/passwd",
            "/people/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2fetc",
            "/..%5cetc",
            "/..\\etc",
            "/%5c..%5cetc",
            "/./index.html",
            "//etc/passwd",
            "/a%00b",
            "etc/passwd",
            "/%ff",
        ] {
            assert_eq!(look(path), Lookup::Refused, "{path}");
        }
    }

    #[test]
    fn script_goes_before_the_end_of_body() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", "")).unwrap();
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__dossier/reload.js\"></script>\n</body></html>"
        );
    }
}
