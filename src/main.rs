//! The `dossier` binary: parse the command line, run the command, print its
//! problems once, and exit with 0 (success), 1 (problems in the site's
//! content) or 2 (usage, configuration or I/O errors).

use std::process::ExitCode;

/// mimalloc: builds allocate and free millions of small strings from two
/// threads at once; it does that faster than the system allocator and
/// gives memory back instead of keeping a pool per thread
/// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let code = dossier::cli::main();
    ExitCode::from(code)
}
