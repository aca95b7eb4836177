//! A linear pre-scan for deeply nested flow collections (`[[[[…` or
//! `{a: {a: …`). libyaml's scanner does work in proportion to the flow depth
//! for every token, and serde_yaml reads the whole event stream before its
//! own depth limit applies, so 80 KB of `[` took 18 seconds and a 50 MB brief
//! would take hours (found by the `front_matter` fuzz target). Refusing such
//! a document before parsing keeps every file linear.
//!
//! The scan follows just enough of YAML to tell a structural bracket from one
//! inside a quoted, plain or block scalar, or a comment; when unsure it
//! undercounts, which only leaves the document to the (slow but correct)
//! parser.

/// serde_yaml's recursion limit; a flow collection this deep is refused.
pub const MOST_LEVELS: usize = 128;

/// The 1-based line and column (in characters) of the bracket that opens
/// the `MOST_LEVELS`th nested flow collection, if there is one.
pub fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    // Every front matter passes here: fewer brackets than the limit cannot
    // nest that deep, and counting them is far cheaper than the scan.
    let brackets = yaml.bytes().filter(|&b| b == b'[' || b == b'{').count();
    if brackets < MOST_LEVELS {
        return None;
    }
    let mut scan = Scan::new(yaml);
    while let Some(c) = scan.peek() {
        if scan.depth == 0 {
            scan.block(c);
        } else if let Some(at) = scan.flow(c) {
            return Some(at);
        }
    }
    None
}

struct Scan<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    column: usize,
    /// Leading spaces of the current line.
    indent: usize,
    /// Still within the current line's leading spaces.
    in_indent: bool,
    /// In block context: the next character starts a node (after the
    /// indentation, `- `, `? ` or `: `). In flow context: after `[`, `{`
    /// `,` or `:`, where a quote opens a quoted scalar.
    at_node: bool,
    /// The previous character was a space, tab or line break (so `#` starts
    /// a comment).
    after_space: bool,
    depth: usize,
}

impl<'a> Scan<'a> {
    fn new(yaml: &'a str) -> Scan<'a> {
        Scan {
            chars: yaml.chars().peekable(),
            line: 1,
            column: 1,
            indent: 0,
            in_indent: true,
            at_node: true,
            after_space: true,
            depth: 0,
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
            self.indent = 0;
            self.in_indent = true;
            self.after_space = true;
            if self.depth == 0 {
                self.at_node = true;
            }
        } else {
            self.column += 1;
            if self.in_indent && c == ' ' {
                self.indent += 1;
            } else {
                self.in_indent = false;
            }
            self.after_space = c == ' ' || c == '\t';
        }
        Some(c)
    }

    /// One step in block context.
    fn block(&mut self, c: char) {
        let was_after_space = self.after_space;
        match c {
            '#' if was_after_space => self.skip_line(),
            '[' | '{' if self.at_node => {
                self.bump();
                self.depth = 1;
                self.at_node = true;
            }
            '\'' | '"' if self.at_node => {
                self.bump();
                self.skip_quoted(c);
                self.at_node = false;
            }
            '|' | '>' if self.at_node => self.skip_block_scalar(),
            '-' | '?' | ':' => {
                let indicator = self.at_node || c == ':';
                self.bump();
                self.at_node = indicator && matches!(self.peek(), None | Some(' ' | '\t' | '\n'));
            }
            ' ' | '\t' | '\r' | '\n' => {
                self.bump();
            }
            _ => {
                self.bump();
                self.at_node = false;
            }
        }
    }

    /// One step in flow context; the position of a bracket too deep.
    fn flow(&mut self, c: char) -> Option<(usize, usize)> {
        let at = (self.line, self.column);
        let was_after_space = self.after_space;
        self.bump();
        match c {
            '[' | '{' => {
                self.depth += 1;
                self.at_node = true;
                if self.depth >= MOST_LEVELS {
                    return Some(at);
                }
            }
            ']' | '}' => {
                self.depth -= 1;
                self.at_node = false;
            }
            ',' | ':' => self.at_node = true,
            '\'' | '"' if self.at_node => {
                self.skip_quoted(c);
                self.at_node = false;
            }
            '#' if was_after_space => self.skip_line(),
            ' ' | '\t' | '\r' | '\n' => {}
            _ => self.at_node = false,
        }
        None
    }

    /// Past the closing quote (`''` inside single quotes and `\"` inside
    /// double quotes do not close).
    fn skip_quoted(&mut self, quote: char) {
        while let Some(c) = self.bump() {
            if quote == '"' && c == '\\' {
                self.bump();
            } else if c == quote {
                if quote == '\'' && self.peek() == Some('\'') {
                    self.bump();
                } else {
                    return;
                }
            }
        }
    }

    /// To the line break (left for the caller to read).
    fn skip_line(&mut self) {
        while !matches!(self.peek(), None | Some('\n')) {
            self.bump();
        }
    }

    /// A `|` or `>` scalar: its header line, then every line indented more
    /// than the line that opened it (or blank).
    fn skip_block_scalar(&mut self) {
        let parent = self.indent;
        self.skip_line();
        while self.bump().is_some() {
            let mut rest = self.chars.clone();
            let mut spaces = 0;
            while rest.next_if_eq(&' ').is_some() {
                spaces += 1;
            }
            let blank = matches!(rest.peek(), None | Some('\n' | '\r'));
            if !blank && spaces <= parent {
                return;
            }
            self.skip_line();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, close: &str, n: usize) -> String {
        format!("{}x{}", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn deep_flow_collections_are_found_at_the_bracket_that_goes_too_far() {
        let yaml = format!("title: A\nextra: {}\n", nested("[", "]", 200));
        assert_eq!(too_deep(&yaml), Some((2, 8 + MOST_LEVELS - 1)));
        let yaml = format!("extra: {}\n", nested("{a: ", "}", 5000));
        assert_eq!(too_deep(&yaml), Some((1, 8 + 4 * (MOST_LEVELS - 1))));
        let yaml = format!("- {}\n", nested("[", "]", MOST_LEVELS));
        assert_eq!(too_deep(&yaml), Some((1, 3 + MOST_LEVELS - 1)));
    }

    #[test]
    fn nesting_within_the_limit_passes() {
        let yaml = format!("extra: {}\n", nested("[", "]", MOST_LEVELS - 1));
        assert_eq!(too_deep(&yaml), None);
        let many_siblings = format!("extra: [{}]\n", "[x], ".repeat(10_000));
        assert_eq!(too_deep(&many_siblings), None);
    }

    #[test]
    fn brackets_in_text_are_not_nesting() {
        let brackets = "[".repeat(300);
        for yaml in [
            format!("title: a {brackets}\n"),
            format!("title: '{brackets}'\n"),
            format!("title: \"{brackets}\\\"\"\n"),
            format!("title: 'it''s {brackets}'\n"),
            format!("title: x # {brackets}\n"),
            format!("# {brackets}\ntitle: x\n"),
            format!("summary: |\n  {brackets}\n\n  {brackets}\ntitle: x\n"),
            format!("- >-\n    {brackets}\n- x\n"),
            format!("aliases: [\"{brackets}\", '{brackets}']\n"),
            format!("title: a:{brackets}\n"),
            format!("title: x-{brackets}\n"),
        ] {
            assert_eq!(too_deep(&yaml), None, "{yaml}");
        }
    }

    #[test]
    fn a_block_scalar_ends_where_the_indentation_does() {
        let yaml = format!(
            "summary: |\n  text\nextra: {}\n",
            nested("[", "]", MOST_LEVELS)
        );
        assert_eq!(too_deep(&yaml), Some((3, 8 + MOST_LEVELS - 1)));
    }
}
