//! Whether web addresses still answer: given URLs and [`Settings`], asks
//! each distinct URL once and returns an [`Outcome`] for every one. It
//! knows nothing of sites, files or the command line: `sources.rs` finds the
//! addresses a site cites and turns outcomes into problems at their places,
//! and `cache.rs` keeps answers between runs.
//!
//! How an address is asked:
//!
//! - `HEAD` first; when a server refuses `HEAD` ([`refuses_head`]: 400,
//!   403, 405, 406, 501, or an answer that is not HTTP), `GET`, whose body is
//!   dropped unread once the status is in.
//! - Redirects are followed by hand, at most [`MOST_REDIRECTS`], so that
//!   each hop is seen: permanent ones (301, 308) at the start of the chain
//!   make the address [`Outcome::Moved`], temporary ones (302, 303, 307)
//!   are how the web works (logins, regional pages) and are not reported; an
//!   address met twice is a loop.
//! - At most `concurrency` requests at once, and **one at a time per host**
//!   (host and port), with `delay` between the end of one request and the
//!   start of the next to that host: a site citing a newspaper a hundred
//!   times must not look like an attack on it. The addresses of one host
//!   are asked by one worker in turn; hosts are shared out among workers.
//! - Every request has `timeout` to answer, connecting included, so a
//!   server that accepts and never answers gives "did not answer" instead
//!   of a hang. The proxy settings of the environment (`HTTPS_PROXY`, …)
//!   are followed.
//!
//! Why blocking `ureq` on a few threads rather than `reqwest` on the tokio
//! runtime the crate already has: a check is at most a few thousand
//! requests, each mostly waiting, so threads cost nothing; politeness is a
//! mutex and a condition variable instead of async locks; `check` needs no
//! runtime; and ureq with rustls brings far less code than reqwest's stack.

pub mod cache;
pub mod sources;

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use url::Url;

/// How many redirects one address may take before it counts as
/// unreachable (browsers allow about 20; a source needing more than 10 is
/// broken in any reader's eyes).
pub const MOST_REDIRECTS: usize = 10;

/// What the check sends as its `User-Agent`, so a site's owner can tell
/// what asked.
pub const USER_AGENT: &str = concat!("dossier/", env!("CARGO_PKG_VERSION"), " (source check)");

/// How the web is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Requests in flight at once, each to a different host.
    pub concurrency: usize,
    /// How long one request may take, connecting included.
    pub timeout: Duration,
    /// The pause between two requests to the same host.
    pub delay: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            delay: Duration::from_millis(250),
        }
    }
}

/// What asking one address came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// It answered with a page (2xx), directly or through temporary
    /// redirects.
    Alive,
    /// It answered with a page after a permanent redirect (`status`, 301 or
    /// 308): `to` is the address to cite now (without the `#fragment` the
    /// address was cited with, which is never sent).
    Moved { status: u16, to: String },
    /// The page is not there: a 4xx other than those of
    /// [`Outcome::Unverified`]. `at` is where the redirects led, if any.
    Dead { status: u16, at: Option<String> },
    /// The server answered without the page, for a reason that says nothing
    /// sure about it: a server error (5xx), too many requests (429), a
    /// request timeout (408), or a refusal (401, 403) that many sites give
    /// programs.
    Unverified { status: u16, at: Option<String> },
    /// No answer at all.
    Unreachable { failure: Failure },
}

/// Why an address could not be reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Failure {
    /// No answer within the timeout (in milliseconds).
    TimedOut {
        after_ms: u64,
    },
    /// Nothing listens there.
    Refused,
    /// The name does not resolve.
    HostNotFound {
        host: String,
    },
    /// The secure connection failed (a certificate, or TLS itself).
    Tls {
        reason: String,
    },
    /// The redirects come back to an address already met: the chain, with
    /// the repeated address last.
    RedirectLoop {
        chain: Vec<String>,
    },
    TooManyRedirects,
    /// A redirect without a usable `Location`.
    BadRedirect {
        location: String,
    },
    /// The address cannot be asked at all.
    InvalidUrl {
        reason: String,
    },
    /// Anything else, in the words of the error.
    Other {
        reason: String,
    },
}

impl Outcome {
    /// True if and only if the outcome may well be different in a minute
    /// (server errors, 408, 429, no answer), so it is not worth keeping:
    /// the next run asks again. What the server said about the page itself
    /// (there, moved, gone, refused to programs, a redirect loop) lasts.
    pub fn may_pass(&self) -> bool {
        match self {
            Outcome::Alive | Outcome::Moved { .. } | Outcome::Dead { .. } => false,
            Outcome::Unverified { status, .. } => is_transient(*status),
            Outcome::Unreachable { failure } => !matches!(
                failure,
                Failure::RedirectLoop { .. }
                    | Failure::TooManyRedirects
                    | Failure::BadRedirect { .. }
                    | Failure::InvalidUrl { .. }
            ),
        }
    }
}

/// Statuses that say "not now" rather than anything about the page.
fn is_transient(status: u16) -> bool {
    status >= 500 || status == 408 || status == 429
}

/// Asks every address of `urls` and returns its outcome, in the same
/// order. An address given twice (or differing only by `#fragment`, which
/// is never sent) is asked once. `answered` is called after each address
/// asked, from the worker threads, for a progress bar.
pub fn check(urls: &[String], settings: &Settings, answered: &(dyn Fn() + Sync)) -> Vec<Outcome> {
    let mut distinct: Vec<&str> = Vec::new();
    let mut slot_of: HashMap<&str, usize> = HashMap::new();
    let slots: Vec<usize> = (urls.iter())
        .map(|url| {
            let key = url.split('#').next().unwrap_or(url);
            *slot_of.entry(key).or_insert_with(|| {
                distinct.push(url);
                distinct.len() - 1
            })
        })
        .collect();
    let outcomes = check_distinct(&distinct, settings, answered);
    slots.into_iter().map(|i| outcomes[i].clone()).collect()
}

/// [`check`] for addresses known to be distinct.
fn check_distinct(
    urls: &[&str],
    settings: &Settings,
    answered: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    let asker = Asker {
        agent: agent(settings),
        hosts: Hosts::new(settings.delay),
        timeout: settings.timeout,
    };
    let queue = Mutex::new(by_host(urls));
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    let workers = settings.concurrency.clamp(1, lock(&queue).len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                // The lock is taken for the pop alone, not for the loop.
                while let Some(batch) = { lock(&queue).pop_front() } {
                    for i in batch {
                        let outcome = asker.outcome(urls[i]);
                        lock(&results)[i] = Some(outcome);
                        answered();
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    (results.into_iter())
        .map(|o| {
            o.unwrap_or_else(|| Outcome::Unreachable {
                failure: Failure::Other {
                    reason: "it was not asked".to_string(),
                },
            })
        })
        .collect()
}

/// The indices of `urls` grouped by host, the largest group first, so the
/// longest queue starts at once.
fn by_host(urls: &[&str]) -> VecDeque<Vec<usize>> {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, url) in urls.iter().enumerate() {
        let host = Url::parse(url).map(|u| host_key(&u)).unwrap_or_default();
        groups.entry(host).or_default().push(i);
    }
    let mut groups: Vec<(String, Vec<usize>)> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    groups.into_iter().map(|(_, indices)| indices).collect()
}

/// The host and port a request goes to: what politeness is counted by.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn agent(settings: &Settings) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        // Followed by hand, to see each hop.
        .max_redirects(0)
        .timeout_per_call(Some(settings.timeout))
        .user_agent(USER_AGENT)
        .build();
    ureq::Agent::new_with_config(config)
}

/// One server's answer: its status, and where a redirect leads.
struct Answer {
    status: u16,
    location: Option<String>,
}

/// Why one request failed, as far as the fallback to `GET` cares.
enum Refusal {
    /// The connection broke or the answer was not HTTP: some servers do
    /// that to `HEAD`.
    Garbled(Failure),
    Failed(Failure),
}

struct Asker {
    agent: ureq::Agent,
    hosts: Hosts,
    timeout: Duration,
}

impl Asker {
    /// Follows `cited` through its redirects to an outcome.
    fn outcome(&self, cited: &str) -> Outcome {
        let first = match Url::parse(cited) {
            // A `#fragment` is never sent, so outcomes do not depend on it
            // (a redirect's own fragment is kept).
            Ok(mut url) => {
                url.set_fragment(None);
                url
            }
            Err(e) => {
                return Outcome::Unreachable {
                    failure: Failure::InvalidUrl {
                        reason: e.to_string(),
                    },
                };
            }
        };
        let mut chain = vec![first];
        // Where the permanent redirects at the start of the chain lead.
        let mut moved: Option<(u16, Url)> = None;
        let mut only_permanent = true;
        loop {
            let current = &chain[chain.len() - 1];
            let answer = match self.ask(current) {
                Ok(answer) => answer,
                Err(failure) => return Outcome::Unreachable { failure },
            };
            if !is_redirect(answer.status) {
                let at = (chain.len() > 1).then(|| current.to_string());
                return verdict(answer.status, at, moved);
            }
            let next = match next_hop(current, answer.location.as_deref()) {
                Ok(next) => next,
                Err(failure) => return Outcome::Unreachable { failure },
            };
            if let Some(failure) = loops_or_runs_long(&chain, &next) {
                return Outcome::Unreachable { failure };
            }
            only_permanent &= matches!(answer.status, 301 | 308);
            if only_permanent {
                moved = Some((answer.status, next.clone()));
            }
            chain.push(next);
        }
    }

    /// One hop: `HEAD`, then `GET` when the server refuses `HEAD`. Each
    /// request waits for its turn at the host.
    fn ask(&self, url: &Url) -> Result<Answer, Failure> {
        let host = host_key(url);
        let head = {
            let _turn = self.hosts.turn(&host);
            self.send(url, "HEAD")
        };
        match head {
            Ok(answer) if !refuses_head(answer.status) => Ok(answer),
            Ok(_) | Err(Refusal::Garbled(_)) => {
                let _turn = self.hosts.turn(&host);
                self.send(url, "GET").map_err(|refusal| match refusal {
                    Refusal::Garbled(f) | Refusal::Failed(f) => f,
                })
            }
            Err(Refusal::Failed(failure)) => Err(failure),
        }
    }

    /// Sends one request and keeps the status and `Location`; a body is
    /// dropped unread, which closes its connection.
    fn send(&self, url: &Url, method: &str) -> Result<Answer, Refusal> {
        let mut target = url.clone();
        target.set_fragment(None);
        let result = if method == "HEAD" {
            self.agent.head(target.as_str()).call()
        } else {
            self.agent.get(target.as_str()).call()
        };
        let response = result.map_err(|e| self.refusal(e, url))?;
        let location = (response.headers().get("location"))
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok(Answer {
            status: response.status().as_u16(),
            location,
        })
    }

    fn refusal(&self, error: ureq::Error, url: &Url) -> Refusal {
        use std::io::ErrorKind;
        let failed = |reason: String| Refusal::Failed(Failure::Other { reason });
        match error {
            ureq::Error::Timeout(_) => Refusal::Failed(self.timed_out()),
            ureq::Error::HostNotFound => Refusal::Failed(Failure::HostNotFound {
                host: url.host_str().unwrap_or_default().to_string(),
            }),
            ureq::Error::Io(e) => match e.kind() {
                ErrorKind::ConnectionRefused => Refusal::Failed(Failure::Refused),
                ErrorKind::TimedOut | ErrorKind::WouldBlock => Refusal::Failed(self.timed_out()),
                ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::UnexpectedEof => Refusal::Garbled(Failure::Other {
                    reason: format!("the connection was closed without an answer ({e})"),
                }),
                _ => failed(e.to_string()),
            },
            ureq::Error::Protocol(e) => Refusal::Garbled(Failure::Other {
                reason: format!("the answer is not valid HTTP ({e})"),
            }),
            ureq::Error::Tls(reason) => Refusal::Failed(Failure::Tls {
                reason: reason.to_string(),
            }),
            ureq::Error::Rustls(e) => Refusal::Failed(Failure::Tls {
                reason: e.to_string(),
            }),
            ureq::Error::BadUri(reason) => Refusal::Failed(Failure::InvalidUrl { reason }),
            ureq::Error::ConnectionFailed => failed("the connection failed".to_string()),
            other => failed(other.to_string()),
        }
    }

    fn timed_out(&self) -> Failure {
        Failure::TimedOut {
            after_ms: u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// Statuses with which servers refuse `HEAD` itself rather than the page:
/// 405 and 501 say so; 400, 403 and 406 are what some servers and CDNs
/// answer instead. A 404 is believed (asking again would double the
/// requests for every dead page).
pub fn refuses_head(status: u16) -> bool {
    matches!(status, 400 | 403 | 405 | 406 | 501)
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Where a redirect from `current` leads: `Location` resolved against it.
fn next_hop(current: &Url, location: Option<&str>) -> Result<Url, Failure> {
    let bad = |location: &str| Failure::BadRedirect {
        location: location.to_string(),
    };
    let location = location.map(str::trim).unwrap_or_default();
    if location.is_empty() {
        return Err(bad(location));
    }
    let next = current.join(location).map_err(|_| bad(location))?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(bad(location));
    }
    Ok(next)
}

/// A loop when `next` was met already (fragments aside), or too long a
/// chain.
fn loops_or_runs_long(chain: &[Url], next: &Url) -> Option<Failure> {
    let bare = |url: &Url| {
        let mut url = url.clone();
        url.set_fragment(None);
        url
    };
    let next_bare = bare(next);
    if chain.iter().any(|met| bare(met) == next_bare) {
        let mut shown: Vec<String> = chain.iter().map(|u| bare(u).to_string()).collect();
        shown.push(next_bare.to_string());
        return Some(Failure::RedirectLoop { chain: shown });
    }
    (chain.len() > MOST_REDIRECTS).then_some(Failure::TooManyRedirects)
}

/// The outcome of a final answer `status`, reached at `at` through
/// redirects (if any), of which the first ones were permanent to `moved`.
fn verdict(status: u16, at: Option<String>, moved: Option<(u16, Url)>) -> Outcome {
    match status {
        100..=399 => match moved {
            Some((status, to)) => Outcome::Moved {
                status,
                to: to.to_string(),
            },
            None => Outcome::Alive,
        },
        401 | 403 | 408 | 429 => Outcome::Unverified { status, at },
        _ if status >= 500 => Outcome::Unverified { status, at },
        _ => Outcome::Dead { status, at },
    }
}

/// `404 Not Found`: a status with its standard reason.
pub fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// Per-host politeness: one request at a time to a host, and `delay`
/// between the end of one and the start of the next.
struct Hosts {
    delay: Duration,
    state: Mutex<HashMap<String, Host>>,
    freed: Condvar,
}

#[derive(Default)]
struct Host {
    busy: bool,
    last_done: Option<Instant>,
}

/// The right to send one request to a host, given back when dropped.
struct Turn<'a> {
    hosts: &'a Hosts,
    host: String,
}

impl Hosts {
    fn new(delay: Duration) -> Hosts {
        Hosts {
            delay,
            state: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        }
    }

    /// Waits until `host` is free and rested, and takes it.
    fn turn(&self, host: &str) -> Turn<'_> {
        let mut state = lock(&self.state);
        let rest = loop {
            let entry = state.entry(host.to_string()).or_default();
            if !entry.busy {
                entry.busy = true;
                break (entry.last_done)
                    .map(|done| (done + self.delay).saturating_duration_since(Instant::now()));
            }
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        };
        drop(state);
        if let Some(rest) = rest {
            std::thread::sleep(rest);
        }
        Turn {
            hosts: self,
            host: host.to_string(),
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut state = lock(&self.hosts.state);
        if let Some(host) = state.get_mut(&self.host) {
            host.busy = false;
            host.last_done = Some(Instant::now());
        }
        drop(state);
        self.hosts.freed.notify_all();
    }
}

/// A lock that a panic elsewhere does not poison: a check is worth
/// finishing.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permanent_redirects_at_the_start_make_an_address_moved() {
        let to = Url::parse("https://new.example/a").unwrap();
        assert_eq!(
            verdict(200, Some(to.to_string()), Some((301, to.clone()))),
            Outcome::Moved {
                status: 301,
                to: "https://new.example/a".into()
            }
        );
        assert_eq!(verdict(204, None, None), Outcome::Alive);
        assert_eq!(
            verdict(404, Some(to.to_string()), Some((301, to))),
            Outcome::Dead {
                status: 404,
                at: Some("https://new.example/a".into())
            }
        );
    }

    #[test]
    fn server_trouble_is_unverified_and_may_pass() {
        for status in [500, 503, 429, 408] {
            let outcome = verdict(status, None, None);
            assert!(matches!(outcome, Outcome::Unverified { .. }), "{status}");
            assert!(outcome.may_pass(), "{status}");
        }
        let forbidden = verdict(403, None, None);
        assert!(matches!(forbidden, Outcome::Unverified { .. }));
        assert!(!forbidden.may_pass());
        assert!(!verdict(410, None, None).may_pass());
    }

    #[test]
    fn redirects_resolve_relative_locations() {
        let current = Url::parse("https://a.example/x/y").unwrap();
        let next = next_hop(&current, Some("../z")).unwrap();
        assert_eq!(next.as_str(), "https://a.example/z");
        let next = next_hop(&current, Some("https://b.example/#top")).unwrap();
        assert_eq!(next.as_str(), "https://b.example/#top");
        assert!(next_hop(&current, None).is_err());
        assert!(next_hop(&current, Some("mailto:x@y")).is_err());
    }

    #[test]
    fn a_chain_that_comes_back_is_a_loop() {
        let a = Url::parse("https://a.example/1").unwrap();
        let b = Url::parse("https://a.example/2").unwrap();
        let back = Url::parse("https://a.example/1#x").unwrap();
        assert_eq!(
            loops_or_runs_long(&[a, b], &back),
            Some(Failure::RedirectLoop {
                chain: vec![
                    "https://a.example/1".into(),
                    "https://a.example/2".into(),
                    "https://a.example/1".into()
                ]
            })
        );
    }

    #[test]
    fn statuses_read_with_their_reason() {
        assert_eq!(status_text(404), "404 Not Found");
        assert_eq!(status_text(599), "599");
    }

    #[test]
    fn hosts_group_addresses_largest_first() {
        let urls = [
            "https://a.example/1",
            "https://b.example/1",
            "https://b.example:443/2",
            "http://b.example/3",
        ];
        let groups = by_host(&urls);
        assert_eq!(groups, VecDeque::from([vec![1, 2], vec![0], vec![3]]));
    }
}
