//! Small text helpers shared by every phase: slugs for URLs, the folded form
//! of names that references are matched on, anchors for headings, and the
//! typographic punctuation of front-matter prose.

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
    // Typographic punctuation folds back to what it is typed as: titles
    // are shown with it ([`typographic`]), and `[[Kim's visit -- why]]` must
    // still find the brief titled `Kim’s visit – why`.
    let mut normalized = String::with_capacity(name.len());
    for c in name.nfkc() {
        match c {
            '\u{2018}' | '\u{2019}' => normalized.push('\''),
            '\u{201C}' | '\u{201D}' => normalized.push('"'),
            '\u{2013}' => normalized.push_str("--"),
            '\u{2014}' => normalized.push_str("---"),
            other => normalized.push(other),
        }
    }
    fold_spaces(&normalized).to_lowercase()
}

/// Front-matter prose (titles, summaries, roles, event and source titles)
/// with the punctuation the Markdown bodies get: straight quotes curled,
/// `--` an en dash, `---` an em dash, `...` an ellipsis. The rules are
/// CommonMark's smart punctuation for plain text: a quote opens after the
/// start, a space, an opening bracket or dash and before a non-space, and
/// closes otherwise; an apostrophe inside a word is a closing single quote.
pub fn typographic(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        match c {
            '\'' | '"' => {
                let opens_after = before.is_none_or(|b| {
                    b.is_whitespace() || "([{\u{2014}\u{2013}-\u{201C}\u{2018}".contains(b)
                });
                let opens = opens_after && after.is_some_and(|a| !a.is_whitespace());
                out.push(match (c, opens) {
                    ('\'', true) => '\u{2018}',
                    ('\'', false) => '\u{2019}',
                    (_, true) => '\u{201C}',
                    (_, false) => '\u{201D}',
                });
                i += 1;
            }
            '-' if after == Some('-') => {
                let run = chars[i..].iter().take_while(|&&d| d == '-').count();
                // As CommonMark: runs of three are em dashes, then en dashes.
                let (ems, ens) = match run % 3 {
                    0 => (run / 3, 0),
                    2 => (run / 3, 1),
                    _ => ((run - 4) / 3, 2),
                };
                out.extend(std::iter::repeat_n('\u{2014}', ems));
                out.extend(std::iter::repeat_n('\u{2013}', ens));
                i += run;
            }
            '.' if chars.get(i + 1..i + 3) == Some(&['.', '.']) => {
                out.push('\u{2026}');
                i += 3;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    out
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

/// `text` safe in HTML, inside an element or a double-quoted attribute.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
    fn typographic_punctuation() {
        assert_eq!(
            typographic(r#"Kim's "last" trip -- or 'not'... --- 1990--2000"#),
            "Kim\u{2019}s \u{201C}last\u{201D} trip \u{2013} or \u{2018}not\u{2019}\u{2026} \u{2014} 1990\u{2013}2000"
        );
        assert_eq!(typographic("(\"quoted\")"), "(\u{201C}quoted\u{201D})");
        assert_eq!(typographic("plain text"), "plain text");
        assert_eq!(typographic("a - b"), "a - b");
        assert_eq!(fold_name("Kim\u{2019}s visit"), fold_name("kim's visit"));
        assert_eq!(
            fold_name(&typographic(r#"Kim's "last" trip -- to Russia..."#)),
            fold_name(r#"Kim's "last" trip -- to Russia..."#)
        );
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
