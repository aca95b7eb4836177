//! Front matter and bodies of every kind of content file: parsing never
//! panics, whatever the bytes.
#![no_main]
use std::path::Path;

use dossier::content::frontmatter::{parse_brief, parse_page, parse_profile};
use dossier::content::model::EntityKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_brief(Path::new("content/briefs/2023-09-12-fuzz.md"), text);
    let _ = parse_page(Path::new("content/pages/fuzz.md"), text);
    for kind in EntityKind::ALL {
        let _ = parse_profile(kind, Path::new("content/people/fuzz.md"), text);
    }
});
