//! Dates: parsing never panics, and a date that parses shows and sorts.
#![no_main]
use dossier::content::date::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(date) = Date::parse(text) {
        let _ = date.display();
        let _ = date.rfc3339();
        let _ = date.w3c();
        let again = Date::parse(date.iso()).expect("a date's own form parses");
        assert_eq!(again.cmp(&date), std::cmp::Ordering::Equal);
    }
    let _ = Date::from_file_name(text);
});
