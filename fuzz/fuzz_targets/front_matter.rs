//! See `dossier_fuzz::front_matter` (fuzz/src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_fuzz::front_matter(data));
