//! The default summary of a brief or profile: its first paragraph as plain
//! text (no markup), read with the same Markdown parser that renders it.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The text of the first paragraph of `body`, with inline markup removed and
/// line breaks turned into spaces. Empty when the body has no paragraph.
/// Stops parsing at the end of that paragraph.
pub fn first_paragraph_text(body: &str) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    let mut depth = 0usize;
    let mut hidden = 0usize;
    for event in Parser::new_ext(body, super::markdown_options()) {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if in_paragraph => break,
            Event::Start(
                Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Item
                | Tag::FootnoteDefinition(_)
                | Tag::Table(_),
            ) if !in_paragraph => depth += 1,
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::FootnoteDefinition
                | TagEnd::Table,
            ) if !in_paragraph => depth = depth.saturating_sub(1),
            // Text between hand-written `<script>` or `<style>` tags is
            // code, not words.
            Event::InlineHtml(html) if in_paragraph => {
                let tag = html.trim_start().to_ascii_lowercase();
                if tag.starts_with("<script") || tag.starts_with("<style") {
                    hidden += 1;
                } else if tag.starts_with("</script") || tag.starts_with("</style") {
                    hidden = hidden.saturating_sub(1);
                }
            }
            Event::Text(t) | Event::Code(t) if in_paragraph && hidden == 0 => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::first_paragraph_text;

    #[test]
    fn plain_text_of_first_paragraph() {
        let body = "## Heading\n\n> quoted\n\n- item\n\nKim *arrived* in `Vladivostok`\nby [train](https://x.example).\n\nMore.";
        assert_eq!(
            first_paragraph_text(body),
            "Kim arrived in Vladivostok by train."
        );
    }

    #[test]
    fn smart_punctuation_applies() {
        assert_eq!(first_paragraph_text("It's \"tense\"."), "It’s “tense”.");
    }

    #[test]
    fn script_text_is_not_summary() {
        assert_eq!(
            first_paragraph_text("Kim <script>alert(1)</script>arrived <b>today</b>."),
            "Kim arrived today."
        );
    }

    #[test]
    fn empty_body() {
        assert_eq!(first_paragraph_text("## Only a heading\n"), "");
    }
}
