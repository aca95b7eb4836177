//! See `dossier_fuzz::references` (fuzz/src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_fuzz::references(data));
