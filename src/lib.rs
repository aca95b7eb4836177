//! dossier: a static site generator for briefing pages.
//!
//! Writers keep briefs as Markdown files whose front matter names the people,
//! organisations, topics, places and events involved; dossier turns them into
//! a linked static site. The build runs in four phases, each a module with a
//! single way in and out (see [`site`] for the order):
//!
//! - [`config`] and [`content`]: load `site.yaml` and `content/` into a typed model;
//! - [`graph`]: resolve references and compute relations;
//! - [`render`]: Markdown, page contexts and Tera templates;
//! - [`output`]: write the site atomically (or keep it in memory for `serve`).
//!
//! [`serve`] runs that pipeline again on every change and serves the result.
//! [`linkcheck`] asks the web whether the addresses a site cites still
//! answer (`check --sources`), the one part of dossier that uses the network.
//!
//! [`diagnostics`] carries problems from every phase to the user, [`files`]
//! the errors for files that cannot be read; [`cli`]
//! holds one file per subcommand.

pub mod alloc;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod files;
pub mod graph;
pub mod i18n;
pub mod linkcheck;
pub mod output;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod text;
pub mod yaml;
