//! What a build shows while it runs: its phases and a progress bar on a
//! terminal, and the `DOSSIER_TIMINGS` lines for profiling.
//!
//! The pipeline tells a [`Progress`] when each phase starts and when each
//! page is written. A build still running after [`SHOW_AFTER`] with stderr
//! on a terminal then lists the phases done so far, with their times, above
//! a bar of the pages written; it clears the bar when it ends, before any
//! problem is printed. A quick build, a build whose stderr is not a
//! terminal, `build --quiet`, `check` and `serve` show nothing (but
//! `check --sources`, whose bar of the web addresses asked shows at once on
//! a terminal). With `DOSSIER_TIMINGS` set, every phase prints how long it
//! took and the memory in use (docs/performance.md), whatever else is
//! shown.

use std::io::IsTerminal;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before it shows its progress.
pub const SHOW_AFTER: Duration = Duration::from_secs(2);

/// Replaces [`SHOW_AFTER`] (in milliseconds), so tests can see the bar
/// without a slow build.
const SHOW_AFTER_VARIABLE: &str = "DOSSIER_PROGRESS_AFTER_MS";

/// The phases and pages of one run; see the module comment.
pub struct Progress {
    timings: bool,
    /// The phase running now and when it started.
    current: Mutex<Option<(&'static str, Instant)>>,
    bar: Option<Arc<Bar>>,
    /// Wakes the thread that shows the bar, when the run ends first.
    stop: Mutex<Option<(mpsc::Sender<()>, JoinHandle<()>)>>,
}

/// The progress bar, hidden until the run has taken [`SHOW_AFTER`].
struct Bar {
    bar: ProgressBar,
    shown: Mutex<Shown>,
}

#[derive(Default)]
struct Shown {
    visible: bool,
    /// The lines for the phases done, kept until the bar is shown.
    phases_done: Vec<String>,
}

impl Progress {
    /// Shows nothing but the `DOSSIER_TIMINGS` lines (`check`, `serve`).
    pub fn silent() -> Progress {
        Progress::with_bar(None)
    }

    /// For `build`: shows the progress when stderr is a terminal, unless
    /// `quiet`.
    pub fn for_build(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::silent();
        }
        let bar = Arc::new(Bar {
            bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
            shown: Mutex::new(Shown::default()),
        });
        let progress = Progress::with_bar(Some(Arc::clone(&bar)));
        let (sender, receiver) = mpsc::channel::<()>();
        let after = std::env::var(SHOW_AFTER_VARIABLE)
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(SHOW_AFTER, Duration::from_millis);
        let shower = std::thread::spawn(move || {
            if receiver.recv_timeout(after) == Err(mpsc::RecvTimeoutError::Timeout) {
                bar.show();
            }
        });
        *lock(&progress.stop) = Some((sender, shower));
        progress
    }

    /// For `check --sources`: a bar of the `total` web addresses asked,
    /// shown at once when stderr is a terminal (asking the web takes
    /// seconds, where a check of the files takes a blink), each told by
    /// [`Progress::answered`].
    pub fn for_requests(total: usize) -> Progress {
        if total == 0 || !std::io::stderr().is_terminal() {
            return Progress::silent();
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(count_style("addresses"));
        bar.set_message("sources");
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress::with_bar(Some(Arc::new(Bar {
            bar,
            shown: Mutex::new(Shown {
                visible: true,
                phases_done: Vec::new(),
            }),
        })))
    }

    fn with_bar(bar: Option<Arc<Bar>>) -> Progress {
        let timings = std::env::var_os("DOSSIER_TIMINGS").is_some();
        if timings {
            crate::alloc::start_counting();
        }
        Progress {
            timings,
            current: Mutex::new(None),
            bar,
            stop: Mutex::new(None),
        }
    }

    /// Ends the phase running (if any) and starts `phase`.
    pub fn start(&self, phase: &'static str) {
        self.end_phase();
        if self.timings {
            crate::alloc::reset_peak();
        }
        *lock(&self.current) = Some((phase, Instant::now()));
        if let Some(bar) = &self.bar {
            bar.bar.set_style(spinner_style());
            bar.bar.set_message(phase);
        }
    }

    /// Starts `phase`, which writes `pages` pages, each told by
    /// [`Progress::page_done`].
    pub fn start_pages(&self, phase: &'static str, pages: usize) {
        self.start(phase);
        if let Some(bar) = &self.bar {
            bar.bar.set_style(pages_style());
            bar.bar.set_length(pages as u64);
            bar.bar.set_position(0);
        }
    }

    /// One more page written.
    pub fn page_done(&self) {
        if let Some(bar) = &self.bar {
            bar.bar.inc(1);
        }
    }

    /// One more web address answered (see [`Progress::for_requests`]).
    pub fn answered(&self) {
        self.page_done();
    }

    /// Ends the last phase and clears the bar. Called before the run prints
    /// its problems and result; dropping a `Progress` does it too.
    pub fn finish(&self) {
        self.end_phase();
        if let Some((sender, shower)) = lock(&self.stop).take() {
            drop(sender);
            let _ = shower.join();
        }
        if let Some(bar) = &self.bar {
            bar.bar.finish_and_clear();
        }
    }

    /// Reports the phase running as done: its `DOSSIER_TIMINGS` line and
    /// its line above the bar.
    fn end_phase(&self) {
        let Some((phase, started)) = lock(&self.current).take() else {
            return;
        };
        let took = started.elapsed();
        if self.timings {
            let heap = crate::alloc::in_use()
                .map(|(now, most)| format!("  heap {} MB, at most {} MB", now >> 20, most >> 20))
                .unwrap_or_default();
            eprintln!(
                "timing: {phase:<10} {:>8.1} ms  peak memory {}{heap}",
                took.as_secs_f64() * 1000.0,
                peak_memory()
            );
        }
        if let Some(bar) = &self.bar {
            bar.phase_done(format!("  {phase:<10} {:>6.2} s", took.as_secs_f64()));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Bar {
    /// Shows the bar, under the phases done so far.
    fn show(&self) {
        let mut shown = lock(&self.shown);
        self.bar.set_draw_target(ProgressDrawTarget::stderr());
        for line in shown.phases_done.drain(..) {
            self.bar.println(line);
        }
        shown.visible = true;
        self.bar.enable_steady_tick(Duration::from_millis(100));
    }

    fn phase_done(&self, line: String) {
        let mut shown = lock(&self.shown);
        if shown.visible {
            self.bar.println(line);
        } else {
            shown.phases_done.push(line);
        }
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg:<10} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn pages_style() -> ProgressStyle {
    count_style("pages")
}

/// A bar of things counted: `[=====>    ] 12/40 pages`.
fn count_style(things: &str) -> ProgressStyle {
    ProgressStyle::with_template(&format!(
        "{{spinner}} {{msg:<10}} [{{bar:30}}] {{human_pos}}/{{human_len}} {things} {{elapsed}}"
    ))
    .map(|style| style.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A lock that a panic elsewhere does not poison for us: progress is never
/// worth failing a build over.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The process's peak resident memory so far, where the system tells it.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}
