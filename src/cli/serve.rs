//! `dossier serve`: build into memory, serve on loopback, rebuild on change.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::serve::{self, ServeOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site's folder (the one holding `content/`)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The address to listen on; anything but loopback exposes the site to the network
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub bind: IpAddr,
    /// The port to listen on (the next free one if it is taken)
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Include briefs and pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
}

pub fn execute(args: &Args) -> i32 {
    serve::run(&ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        open: args.open,
    })
}
