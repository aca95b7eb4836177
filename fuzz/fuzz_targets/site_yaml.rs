//! See `dossier_fuzz::site_yaml` (fuzz/src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_fuzz::site_yaml(data));
