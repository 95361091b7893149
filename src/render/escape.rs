//! Escaping user text for each output: one escaper per output, and every
//! renderer goes through it.
//!
//! User text (names, titles, paths, ids in error messages) can hold
//! anything YAML can: terminal control sequences, bidirectional overrides,
//! Markdown and HTML. Each output shows it as text:
//!
//! - terminal: [`term`] and [`term_line`] show control characters as
//!   `\u{1b}`-style escapes; [`term_output`] is the last pass over
//!   everything aims prints, letting through only aims' own colour codes;
//! - Markdown: [`md`] (and [`md_spans`] for composed messages that quote
//!   ids in backticks);
//! - HTML: [`html`] (the escape function of the HTML templates too) and
//!   [`html_ticks`];
//! - CSV: [`csv_cell`];
//! - XML (JUnit): [`xml`];
//! - JSON and SARIF: [`json_pretty`], which also escapes what serde_json
//!   leaves raw (C1 controls, DEL, bidirectional overrides).

use std::borrow::Cow;
use std::fmt::Write as _;

/// A character that a terminal or a text renderer acts on instead of
/// showing: C0 controls (newline and tab included), DEL, C1 controls, and
/// the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) that reorder text as it is displayed.
pub fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Append `c` as a visible escape: `\n`, `\r`, `\t`, else `\u{1b}`.
fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// `s` with every control character except those `keep` allows shown as an escape.
fn visible(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_control(c) && !keep(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

// ---------------------------------------------------------------------------
// Terminal.

/// User text for a terminal: every control character but a plain newline
/// is shown as an escape (`ESC` as `\u{1b}`), so that text can neither move
/// the cursor, erase lines, change colours, open hyperlinks, ring the bell,
/// nor reorder itself.
pub fn term(s: &str) -> Cow<'_, str> {
    visible(s, |c| c == '\n')
}

/// [`term`] for text that must stay on one line (a diagnostic's message,
/// a file name): newlines are shown as `\n` too.
pub fn term_line(s: &str) -> Cow<'_, str> {
    visible(s, |_| false)
}

/// The colour codes aims writes itself (see `term::paint`).
pub const SGR: [&str; 7] = [
    "\x1b[0m",
    "\x1b[1m",
    "\x1b[1;31m",
    "\x1b[1;32m",
    "\x1b[1;33m",
    "\x1b[1;36m",
    "\x1b[33m",
];

/// The last pass over text on its way to the terminal: like [`term`], but
/// with `colour` aims' own colour codes ([`SGR`]) pass. User text is
/// escaped where it enters the output (so it cannot pose as one of those
/// codes); this pass makes sure nothing else gets through.
pub fn term_output(s: &str, colour: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) && c != '\n') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b'
            && colour
            && let Some(code) = SGR.iter().find(|code| rest.starts_with(**code))
        {
            out.push_str(code);
            rest = &rest[code.len()..];
            continue;
        }
        if is_control(c) && c != '\n' {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

// ---------------------------------------------------------------------------
// Markdown.

/// Markdown-escape one character of plain text into `out`.
fn md_char(out: &mut String, c: char) {
    match c {
        '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' => {
            out.push('\\');
            out.push(c);
        }
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        // One line: a newline would end a table row or start a block.
        '\n' | '\r' | '\t' => out.push(' '),
        c if is_control(c) => push_escape(out, c),
        _ => out.push(c),
    }
}

/// Escape a block marker a text would open if it stood at the start of a
/// line (`- `, `+ `, `1. `; `#` and `>` are escaped everywhere already),
/// and drop leading white space (four spaces would open a code block).
/// Returns how many bytes of `s` it consumed.
fn md_line_start(s: &str, out: &mut String) -> usize {
    let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
    let body = &s[lead..];
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let after = |i: usize| body[i..].chars().next();
    if body.starts_with(['-', '+', '=']) {
        out.push('\\');
        out.push_str(&body[..1]);
        lead + 1
    } else if (1..=9).contains(&digits)
        && matches!(after(digits), Some('.' | ')'))
        && matches!(after(digits + 1), None | Some(' ' | '\t'))
    {
        out.push_str(&body[..digits]);
        out.push('\\');
        out.push_str(&body[digits..=digits]);
        lead + digits + 1
    } else {
        lead
    }
}

/// User text in Markdown, in a table cell, a heading or a paragraph: it
/// cannot open a tag, a link, an image, emphasis, code, a heading, a list
/// or a new table cell or row, and control characters show as escapes.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let start = md_line_start(s, &mut out);
    for c in s[start..].chars() {
        md_char(&mut out, c);
    }
    out
}

/// [`md`] for messages aims composes, which quote ids in backticks: each
/// paired backtick span stays a code span (its text is shown as is, but
/// cannot end the table cell or the line), the rest is escaped as [`md`].
pub fn md_spans(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            if i == 0 {
                out.push_str(&md(part));
            } else {
                part.chars().for_each(|c| md_char(&mut out, c));
            }
        } else if i + 1 == parts.len() {
            // An unpaired backtick is text.
            out.push_str("\\`");
            part.chars().for_each(|c| md_char(&mut out, c));
        } else {
            out.push('`');
            for c in part.chars() {
                match c {
                    // GitHub splits table cells at a pipe even in code.
                    '|' => out.push_str("\\|"),
                    '\n' | '\r' | '\t' => out.push(' '),
                    c if is_control(c) => push_escape(&mut out, c),
                    _ => out.push(c),
                }
            }
            out.push('`');
        }
    }
    out
}

/// An id in a Markdown code span.
pub fn md_code(s: &str) -> String {
    md_spans(&format!("`{s}`"))
}

// ---------------------------------------------------------------------------
// HTML.

/// HTML-escape `s` into `out`: the five markup characters as entities,
/// control characters (but newlines and tabs) as visible escapes.
fn html_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if is_control(c) => push_escape(out, c),
            _ => out.push(c),
        }
    }
}

/// User text in HTML, as element content or in a quoted attribute.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    html_into(s, &mut out);
    out
}

/// User text in XML (JUnit), as element content or (`attribute`) in a
/// quoted attribute. Control characters XML 1.0 cannot hold, and the
/// noncharacters U+FFFE/U+FFFF, are shown as escapes instead of making the
/// document unreadable; in an attribute a newline is shown as `\n` too,
/// since a parser would turn it into a space.
pub fn xml(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if !attribute => out.push(c),
            '\u{fffe}' | '\u{ffff}' => push_escape(&mut out, c),
            c if is_control(c) => push_escape(&mut out, c),
            _ => out.push(c),
        }
    }
    out
}

/// [`html`] as the autoescape function of the HTML templates.
pub fn html_write(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    w.write_all(html(s).as_bytes())
}

/// HTML-escape `s` completely, then turn each `quoted` span into `<code>`.
/// The output is safe to mark `| safe`: the only markup in it is ours.
pub fn html_ticks(s: &str) -> String {
    let escaped = html(s);
    let parts: Vec<&str> = escaped.split('`').collect();
    let mut out = String::with_capacity(escaped.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        } else if i + 1 == parts.len() {
            // An unpaired backtick stays as it was.
            out.push('`');
            out.push_str(part);
        } else {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        }
    }
    out
}

// ---------------------------------------------------------------------------
// CSV.

/// One RFC 4180 cell, quoted. A cell a spreadsheet would run as a formula
/// (`=`, `+`, `-` or `@` first, after any leading white space; or a tab or
/// carriage return first) gets a leading `'`; control characters other
/// than line breaks and tabs show as escapes.
pub fn csv_cell(s: &str) -> String {
    let s = visible(s, |c| matches!(c, '\n' | '\r' | '\t'));
    let formula = s.starts_with(['\t', '\r']) || s.trim_start().starts_with(['=', '+', '-', '@']);
    let quoted = s.replace('"', "\"\"");
    if formula {
        format!("\"'{quoted}\"")
    } else {
        format!("\"{quoted}\"")
    }
}

// ---------------------------------------------------------------------------
// JSON.

/// serde_json's pretty printer, but strings also escape C1 controls, DEL
/// and bidirectional overrides as `\uXXXX`: the same JSON value, and
/// nothing in it a terminal acts on when it is printed there.
struct SafeJson<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for SafeJson<'_> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_control(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                write!(w, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Pretty-printed JSON, as `serde_json::to_string_pretty`, with every
/// control character and bidirectional override in strings escaped.
pub fn json_pretty<T: serde::Serialize + ?Sized>(v: &T) -> Result<String, serde_json::Error> {
    let mut buf = Vec::new();
    json_pretty_to(&mut buf, v)?;
    // serde_json writes only valid UTF-8.
    Ok(String::from_utf8(buf).unwrap_or_default())
}

/// [`json_pretty`] written straight to `w`, so that a large result is never
/// held in memory as text.
pub fn json_pretty_to<W: std::io::Write, T: serde::Serialize + ?Sized>(
    w: W,
    v: &T,
) -> Result<(), serde_json::Error> {
    let mut ser = serde_json::Serializer::with_formatter(
        w,
        SafeJson(serde_json::ser::PrettyFormatter::new()),
    );
    v.serialize(&mut ser)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\x1b[2K\x1b[1Ab\x07c\u{9b}31m\u{202e}d\u{2066}e\x7f";

    #[test]
    fn terminal_text_shows_every_control_character() {
        assert_eq!(
            term(HOSTILE),
            "a\\u{1b}[2K\\u{1b}[1Ab\\u{7}c\\u{9b}31m\\u{202e}d\\u{2066}e\\u{7f}"
        );
        // An OSC-8 hyperlink is shown, not opened.
        assert_eq!(
            term("\x1b]8;;https://x.invalid/\x1b\\click\x1b]8;;\x1b\\"),
            "\\u{1b}]8;;https://x.invalid/\\u{1b}\\click\\u{1b}]8;;\\u{1b}\\"
        );
        assert_eq!(term("two\nlines\ttab\r"), "two\nlines\\ttab\\r");
        assert_eq!(term_line("two\nlines"), "two\\nlines");
        // Ordinary text, accents and emoji included, is borrowed unchanged.
        assert!(matches!(term("Café — 日本 ✓"), Cow::Borrowed(_)));
        assert!(matches!(term_line("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn terminal_output_keeps_only_our_colour_codes() {
        let ours = format!("{}error{}: {}", SGR[2], SGR[0], term("x\x1b[8m"));
        assert_eq!(
            term_output(&ours, true),
            "\x1b[1;31merror\x1b[0m: x\\u{1b}[8m"
        );
        // Without colour, not even our codes pass.
        assert_eq!(
            term_output(&ours, false),
            "\\u{1b}[1;31merror\\u{1b}[0m: x\\u{1b}[8m"
        );
        // Codes that are not ours never pass.
        assert_eq!(
            term_output("\x1b[2K\x1b[1A\x07", true),
            "\\u{1b}[2K\\u{1b}[1A\\u{7}"
        );
        assert_eq!(term_output("a\nb", false), "a\nb");
    }

    #[test]
    fn markdown_escape_makes_injection_inert() {
        assert_eq!(
            md("[x](javascript:alert(1))"),
            "\\[x\\]\\(javascript:alert\\(1\\)\\)"
        );
        assert_eq!(
            md("<script>a|b</script>"),
            "&lt;script&gt;a\\|b&lt;/script&gt;"
        );
        assert_eq!(
            md("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert\\(1\\)&gt;"
        );
        assert_eq!(md("<details>"), "&lt;details&gt;");
        assert_eq!(md("![i](x.png)"), "\\!\\[i\\]\\(x.png\\)");
        // A newline cannot end a table row or start a heading.
        assert_eq!(md("line\nbreak"), "line break");
        assert_eq!(md("G1\n# Owned"), "G1 \\# Owned");
        assert_eq!(md("# Owned"), "\\# Owned");
        // Nor can text at the start of a line open a list or a quote.
        assert_eq!(md("- item"), "\\- item");
        assert_eq!(md("+ item"), "\\+ item");
        assert_eq!(md("12. item"), "12\\. item");
        assert_eq!(md("> quote"), "&gt; quote");
        assert_eq!(md("4.1 Context"), "4.1 Context");
        assert_eq!(md("x - y"), "x - y");
        // Entities are shown, not decoded.
        assert_eq!(md("&lt;b&gt;"), "&amp;lt;b&amp;gt;");
        assert_eq!(md("a\x1b[2Kb\u{202e}"), "a\\u{1b}\\[2Kb\\u{202e}");
        assert_eq!(md("    code?"), "code?");
        assert_eq!(md("A.6.2.8"), "A.6.2.8");
    }

    #[test]
    fn markdown_spans_keep_quoted_ids_as_code() {
        assert_eq!(
            md_spans("policy `ai-policy` (<b>[x](y)</b>) is due"),
            "policy `ai-policy` \\(&lt;b&gt;\\[x\\]\\(y\\)&lt;/b&gt;\\) is due"
        );
        assert_eq!(md_spans("in `a|b`"), "in `a\\|b`");
        assert_eq!(md_spans("one ` open [x]"), "one \\` open \\[x\\]");
        assert_eq!(md_spans("`x\ny`"), "`x y`");
        assert_eq!(md_spans("- `a`"), "\\- `a`");
    }

    #[test]
    fn html_escapes_markup_and_shows_controls() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(html("a\nb\x1b[2K\u{202e}"), "a\nb\\u{1b}[2K\\u{202e}");
    }

    #[test]
    fn ticks_escapes_then_marks_code() {
        assert_eq!(
            html_ticks("audited in `ia-2026`"),
            "audited in <code>ia-2026</code>"
        );
        assert_eq!(
            html_ticks("`<script>` & \"x\""),
            "<code>&lt;script&gt;</code> &amp; &quot;x&quot;"
        );
        assert_eq!(html_ticks("one ` open"), "one ` open");
        assert_eq!(html_ticks("`a` and `b"), "<code>a</code> and `b");
    }

    #[test]
    fn csv_neutralises_formulas_after_leading_white_space() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(
            csv_cell("   =HYPERLINK(\"x\")"),
            "\"'   =HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(csv_cell("\u{a0}\n+1"), "\"'\u{a0}\n+1\"");
        for lead in ["+", "-", "@", "\t", "\r", " \t-"] {
            assert!(csv_cell(&format!("{lead}1")).starts_with("\"'"), "{lead:?}");
        }
        assert_eq!(csv_cell("a-b = c"), "\"a-b = c\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("x\x1b[2K"), "\"x\\u{1b}[2K\"");
    }

    #[test]
    fn json_escapes_what_a_terminal_would_act_on() {
        let s = json_pretty(&serde_json::json!({"a": HOSTILE, "b": "plain é"})).unwrap();
        assert!(!s.chars().any(|c| is_control(c) && c != '\n'), "{s}");
        assert!(s.contains("\\u001b[2K"), "{s}");
        assert!(s.contains("\\u202e"), "{s}");
        assert!(s.contains("\"plain é\""), "{s}");
        // The same value, and the same layout as serde_json's pretty printer.
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["a"], HOSTILE);
        let plain = serde_json::json!({"x": [1, {"y": "z"}], "w": []});
        assert_eq!(
            json_pretty(&plain).unwrap(),
            serde_json::to_string_pretty(&plain).unwrap()
        );
    }
}
