//! The `dossier` binary: parse the command line, run the command, print its
//! problems once, and exit with 0 (success), 1 (problems in the site's
//! content) or 2 (usage, configuration or I/O errors).

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: dossier::alloc::Allocator = dossier::alloc::Allocator;

fn main() -> ExitCode {
    let code = dossier::cli::main();
    ExitCode::from(code)
}
