//! The command line: one file per subcommand, each with its arguments and an
//! `execute` function returning the exit code. Output conventions: results on
//! stdout, problems on stderr, rendered by [`crate::diagnostics::report`].

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "dossier", version, about = "Build linked briefing sites from Markdown briefs", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default)
    Build(build::Args),
    /// Check the site without writing anything, and report every problem
    Check(check::Args),
    /// Serve the site locally, rebuild on change and reload open pages
    Serve(serve::Args),
    /// Write a new brief, profile or page with its front matter filled in
    New(new::Args),
    /// Create a new site that builds at once
    Init(init::Args),
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn main() -> u8 {
    // The process a build starts to delete its old output (see
    // `output::Staging::commit`); not a command for people.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() == 3 && args[1] == crate::output::REMOVE_OLD_OUTPUT {
        let removed = crate::output::remove_old_output(std::path::Path::new(&args[2]));
        return if removed { 0 } else { 2 };
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let code = match cli.command {
        Command::Build(args) => {
            crate::alloc::keep_freed_memory();
            build::execute(&args)
        }
        Command::Check(args) => {
            crate::alloc::keep_freed_memory();
            check::execute(&args)
        }
        Command::Serve(args) => serve::execute(&args),
        Command::New(args) => new::execute(&args),
        Command::Init(args) => init::execute(&args),
    };
    code.clamp(0, 255) as u8
}
