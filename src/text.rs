//! Small text helpers shared by every phase: slugs for URLs, the folded form
//! of names that references are matched on, and anchors for headings.

use unicode_normalization::UnicodeNormalization;

/// Turns any text into a URL segment of `a-z`, `0-9` and `-`.
///
/// Non-Latin text is transliterated first (`Владимир Путин` → `vladimir-putin`,
/// `김정은` → `gimjeongeun`), as Zola and Hugo do, so every URL is plain
/// ASCII and safe on every file system. May return an empty string for text
/// with no letters or digits at all; callers decide what that means.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(text, "-");
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "Kim's" → "kims", not "kim-s".
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// The form names and aliases are compared in: Unicode NFKC, lower case, and
/// every run of white space folded to one space. `Kim  Jong-Un` and
/// `kim jong-un` fold to the same key.
pub fn fold_name(name: &str) -> String {
    if name.is_ascii() {
        // NFKC leaves ASCII as it is: the common case, done without it.
        return fold_spaces(name).to_ascii_lowercase();
    }
    let normalized: String = name.nfkc().collect();
    fold_spaces(&normalized).to_lowercase()
}

/// `text` with every run of white space one space, and none at the ends.
fn fold_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// An `id` for a heading: lower-case words joined by `-`, keeping letters of
/// every script (a Korean heading keeps its Hangul, as on GitHub).
pub fn anchor(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.nfkc() {
        if c.is_alphanumeric() {
            if pending_dash && !id.is_empty() {
                id.push('-');
            }
            pending_dash = false;
            id.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
        } else {
            pending_dash = true;
        }
    }
    if id.is_empty() {
        id.push_str("section");
    }
    id
}

/// True when `segment` is safe as one folder name in the output: not empty,
/// not `.` or `..`, no separators, no control characters, not hidden.
pub fn is_safe_segment(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.starts_with('.')
        && !segment
            .chars()
            .any(|c| c == '/' || c == '\\' || c == ':' || c.is_control())
}

/// The placeholder the render phase writes where a shared link starts
/// (`render::links::ROOT`), and what stands in for it in what people write.
const PLACEHOLDER: char = '\u{FDD0}';

/// `text` with every U+FDD0 replaced by U+FFFD. U+FDD0 is a Unicode
/// noncharacter, which no text should hold; the render phase uses it as a
/// placeholder in pages, so one read from a file would be replaced by a
/// path. Every file read as text goes through this.
pub fn without_placeholder(text: String) -> String {
    if text.contains(PLACEHOLDER) {
        text.replace(PLACEHOLDER, "\u{FFFD}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Kim Jong Un arrives in Russia"),
            "kim-jong-un-arrives-in-russia"
        );
        assert_eq!(slugify("Владимир Путин"), "vladimir-putin");
        assert_eq!(slugify("  --Hello,   World!-- "), "hello-world");
        assert_eq!(slugify("What Kim's visit means"), "what-kims-visit-means");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("!!!"), "");
        assert!(!slugify("김정은").is_empty());
    }

    #[test]
    fn folding() {
        assert_eq!(fold_name("Kim  Jong-Un"), fold_name("kim jong-un"));
        assert_eq!(fold_name(" Ｋｉｍ "), "kim");
        assert_eq!(fold_name("ВЛАДИМИР Путин"), "владимир путин");
    }

    #[test]
    fn anchors() {
        assert_eq!(anchor("Early life"), "early-life");
        assert_eq!(anchor("What's next?"), "whats-next");
        assert_eq!(anchor("김정은의 방문"), "김정은의-방문");
        assert_eq!(anchor("***"), "section");
    }

    #[test]
    fn segments() {
        assert!(is_safe_segment("kim-jong-un"));
        assert!(!is_safe_segment(".."));
        assert!(!is_safe_segment("a/b"));
        assert!(!is_safe_segment(""));
        assert!(!is_safe_segment(".hidden"));
    }
}
