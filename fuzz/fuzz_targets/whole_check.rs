//! See `dossier_fuzz::whole_check` (fuzz/src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_fuzz::whole_check(data));
