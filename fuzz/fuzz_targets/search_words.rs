//! See `dossier_fuzz::search_words` (fuzz/src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_fuzz::search_words(data));
