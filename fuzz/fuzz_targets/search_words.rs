//! The search tokenizer: folding and splitting never panic, and folding
//! is stable (folding a folded word changes nothing).
#![no_main]
use dossier::output::search::{fold, words};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for word in words(text) {
        assert_eq!(fold(&word), word, "a word from `words` is folded");
    }
    let folded = fold(text);
    assert_eq!(fold(&folded), folded);
});
