//! The catalogue of broken sites: every folder of `tests/fixtures/invalid/`
//! is a minimal site with one kind of mistake (its `README` says which), and
//! `expected.txt` beside it is exactly what `dossier check` prints for it,
//! its exit code first. The test copies each site to a temporary folder,
//! runs `check` there and compares; a difference fails with the case's
//! name and both texts. No case may panic or leave its run without a
//! located message.
//!
//! Some cases cannot be files in the repository (a 50 MB brief, an
//! unreadable file, a named pipe): their folder holds the README and the
//! expected output, and [`generate`] makes the rest in the copy. Every run
//! of the binary is watched: it must finish within [`RUNAWAY`] (a hang
//! detector, not a timing) and its peak memory stay within
//! [`memory_budget`] of the site's size.
//!
//! When a message is changed on purpose, rewrite the expected files with
//! `DOSSIER_BLESS=1 cargo test --test catalogue` and review the diff.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Run;

/// Longer than any case takes in a debug build; a run still going then is
/// stuck (an endless loop or a blocking read).
const RUNAWAY: Duration = Duration::from_secs(180);

/// The user the unreadable cases run as when the tests run as root, who
/// could read any file.
const NOBODY: u32 = 65534;

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid")
}

/// Copies the case's site (everything but its README and expected output)
/// into `to`.
fn copy_site(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(from).unwrap();
        if relative == Path::new("README") || relative == Path::new("expected.txt") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_symlink() {
            // Links are part of some cases: copied as links.
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What `dossier check` prints for the case, as `expected.txt` holds it;
/// and, when the check fails, that `dossier build` fails too and leaves
/// the previous output exactly as it was.
fn check_output(case: &Path) -> String {
    let site = tempfile::tempdir().unwrap();
    copy_site(case, site.path());
    let name = case.file_name().unwrap().to_string_lossy();
    let as_nobody = generate(&name, site.path());
    let run_in = |dir: &Path, args: &[&str]| watched_run(case, dir, args, as_nobody);
    let run = run_in(site.path(), &["check"]);
    if run.code != 0 {
        let output = site.path().join("previous");
        fs::create_dir_all(&output).unwrap();
        fs::write(output.join("index.html"), "the site as it was\n").unwrap();
        if as_nobody {
            give_to_nobody(&output);
        }
        let before = common::snapshot(&output);
        let build = run_in(site.path(), &["build", "--output", "previous", "--force"]);
        assert_ne!(build.code, 0, "{name}: build succeeds where check fails");
        assert!(!build.stderr.contains("panicked"), "{name}: build panicked");
        assert!(
            common::snapshot(&output) == before,
            "{name}: the previous output changed"
        );
    }
    let shown = site.path().display().to_string();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        run.code,
        run.stdout.replace(&shown, "<site>"),
        run.stderr.replace(&shown, "<site>")
    )
}

/// Makes the part of a case that cannot be kept in the repository; true
/// when the case must run as an ordinary user (see [`NOBODY`]).
fn generate(case: &str, site: &Path) -> bool {
    let briefs = site.join("content/briefs");
    match case {
        // 50 MB of ordinary paragraphs, and a link to nobody on the last
        // line: the warning must still find its line.
        "big-fifty-megabyte-brief" => {
            let paragraph = "Kim Jong Un and Vladimir Putin met at the Vostochny Cosmodrome, \
                 and the talks lasted four hours.\n\n";
            let path = briefs.join("2023-09-12-long.md");
            let times = 50 * 1024 * 1024 / paragraph.len();
            let last = "See [[Nobody Known]].\n";
            write_repeated(&path, "Fifty megabytes", paragraph, times, last);
            false
        }
        // A megabyte of `[`: refused at the 128th, at once (the fuzzer's
        // first finding took seconds for each kilobyte).
        "big-deep-flow-yaml" => {
            let n = 512 * 1024;
            let text = format!(
                "---\ntitle: Deep\nextra: {}{}\n---\nText.\n",
                "[".repeat(n),
                "]".repeat(n)
            );
            fs::write(briefs.join("2023-09-12-deep.md"), text).unwrap();
            false
        }
        // Each of the next three took time in proportion to the square of
        // its size before it was found (docs/reliability.md); at this size
        // that would be hours, so the run-away check catches a relapse.
        "big-deep-raw-html" => {
            write_repeated(
                &briefs.join("2023-09-13-deep.md"),
                "Repeated",
                "<div>",
                500_000,
                "\n",
            );
            false
        }
        "big-body-many-links" => {
            let link = "[the arrival](2023-09-12-a.md#arrival) ";
            write_repeated(
                &briefs.join("2023-09-13-links.md"),
                "Repeated",
                link,
                200_000,
                "\n",
            );
            false
        }
        "big-body-many-mentions" => {
            let mention = "[[Vladimir Putin]] ";
            write_repeated(
                &briefs.join("2023-09-13-mentions.md"),
                "Repeated",
                mention,
                100_000,
                "\n",
            );
            false
        }
        "big-body-unmatched-emphasis" => {
            write_repeated(
                &briefs.join("2023-09-13-stars.md"),
                "Repeated",
                "*a **b ",
                500_000,
                "\n",
            );
            false
        }
        "fs-unreadable-file" => {
            let file = briefs.join("2023-09-13-locked.md");
            fs::write(&file, "---\ntitle: Locked\n---\nText.\n").unwrap();
            lock(site, &file)
        }
        "fs-unreadable-folder" => {
            let folder = site.join("content/people");
            fs::create_dir_all(&folder).unwrap();
            fs::write(
                folder.join("kim-jong-un.md"),
                "---\nname: Kim Jong Un\n---\n",
            )
            .unwrap();
            lock(site, &folder)
        }
        "file-named-pipe" => {
            let fifo = briefs.join("2023-09-13-pipe.md");
            let status = Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .expect("mkfifo runs");
            assert!(status.success());
            false
        }
        _ => false,
    }
}

/// A brief titled `title` whose body is `piece` `times` over, then `last`;
/// written a piece at a time, as a child's peak memory counts this
/// process's at the moment it starts (see `watched_run`).
fn write_repeated(path: &Path, title: &str, piece: &str, times: usize, last: &str) {
    let mut file = std::io::BufWriter::new(fs::File::create(path).unwrap());
    write!(file, "---\ntitle: {title}\nactors: [Kim Jong Un]\n---\n").unwrap();
    for _ in 0..times {
        file.write_all(piece.as_bytes()).unwrap();
    }
    file.write_all(last.as_bytes()).unwrap();
    file.flush().unwrap();
}

/// Takes every permission off `path`; true when the tests run as root, who
/// reads anything, so the case runs as [`NOBODY`] (the site is theirs).
fn lock(site: &Path, path: &Path) -> bool {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        give_to_nobody(site);
    }
    fs::set_permissions(path, fs::Permissions::from_mode(0o000)).unwrap();
    root
}

/// Hands `dir` and everything in it to [`NOBODY`], reachable from the
/// temporary folder.
fn give_to_nobody(dir: &Path) {
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        std::os::unix::fs::lchown(entry.path(), Some(NOBODY), Some(NOBODY)).unwrap();
    }
}

/// Runs the binary in `dir` as `run_in` does, failing the test when it
/// runs away or uses more memory than the site's size allows.
fn watched_run(case: &Path, dir: &Path, args: &[&str], as_nobody: bool) -> Run {
    let name = case.file_name().unwrap().to_string_lossy();
    let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("DOSSIER_TIMINGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if as_nobody {
        command.uid(NOBODY).gid(NOBODY);
    }
    // Reaped by `wait4` below, which also gives its peak memory.
    #[allow(clippy::zombie_processes)]
    let mut child = command.spawn().expect("the dossier binary runs");
    let pid = child.id() as libc::pid_t;
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            pipe.read_to_end(&mut text).unwrap();
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: an all-zero rusage is valid; wait4 fills it in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: waits for our own child, without blocking.
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if done == pid {
            break (status, usage);
        }
        if started.elapsed() > RUNAWAY {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{name}: `dossier {}` still running after {RUNAWAY:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // Linux counts the parent's resident memory at the moment of `exec` in
    // the child's peak, so the test itself keeps no large buffers.
    let peak = usage.ru_maxrss as u64 * 1024;
    let budget = memory_budget(case, dir);
    assert!(
        peak <= budget,
        "{name}: `dossier {}` peaked at {} MB, over its budget of {} MB",
        args.join(" "),
        peak >> 20,
        budget >> 20
    );
    Run {
        code: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// The memory a run may use: a fixed allowance for the program, its theme
/// and threads, and ten times the size of the site's files (the text, its
/// parse and its HTML are each about as big as the file); or what the
/// case's README allows in a line `Memory: up to N MB (why)`.
fn memory_budget(case: &Path, site: &Path) -> u64 {
    let readme = fs::read_to_string(case.join("README")).unwrap_or_default();
    let allowed = readme.lines().find_map(|l| {
        let rest = l.strip_prefix("Memory: up to ")?;
        rest.split_once(" MB")?.0.parse::<u64>().ok()
    });
    if let Some(megabytes) = allowed {
        return megabytes << 20;
    }
    let bytes: u64 = (walkdir::WalkDir::new(site).into_iter())
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    (96 << 20) + 10 * bytes
}

#[test]
fn every_broken_site_gets_exactly_its_expected_report() {
    let bless = std::env::var_os("DOSSIER_BLESS").is_some();
    let mut cases: Vec<PathBuf> = fs::read_dir(catalogue())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 38, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            case.join("README").is_file(),
            "{name} has no README saying what it breaks"
        );
        let actual = check_output(case);
        assert!(!actual.contains("panicked"), "{name} panicked:\n{actual}");
        // Errors fail the check (1, or 2 for set-up problems); a case of
        // warnings only passes it, but must still be reported.
        assert!(
            ["exit: 0\n", "exit: 1\n", "exit: 2\n"]
                .iter()
                .any(|c| actual.starts_with(c)),
            "{name}: an unexpected exit code:\n{actual}"
        );
        assert!(
            actual.contains(": error: ") || actual.contains(": warning: "),
            "{name} reports nothing:\n{actual}"
        );
        let expected_file = case.join("expected.txt");
        if bless {
            fs::write(&expected_file, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_file).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ (DOSSIER_BLESS=1 rewrites them after a deliberate change):\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
