//! Text for a terminal: aims' colours and the one table builder, with
//! user text escaped on the way in (see [`escape::term`]); the last pass on
//! the way out is [`escape::term_output`].

use std::fmt;
use std::io::IsTerminal;

use comfy_table::{ContentArrangement, presets};

use crate::render::escape;

pub const RESET: &str = escape::SGR[0];
pub const BOLD: &str = escape::SGR[1];
pub const RED: &str = escape::SGR[2];
pub const GREEN: &str = escape::SGR[3];
pub const YELLOW: &str = escape::SGR[4];
pub const CYAN: &str = escape::SGR[5];
pub const DIM_YELLOW: &str = escape::SGR[6];

/// `s` in colour `code` when `on`; `s` is escaped first, so only our codes colour it.
pub fn paint(s: &str, code: &str, on: bool) -> String {
    let s = escape::term_line(s);
    if on {
        format!("{code}{s}{RESET}")
    } else {
        s.into_owned()
    }
}

/// The plural ending of a count's noun: "" for 1, else "s".
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `s` cut to `n` characters, an ellipsis marking the cut.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// A comfy-table whose cells are always escaped user text: the table is
/// laid out with the escapes, so control characters can neither reach the
/// terminal nor throw the columns off.
pub struct Table(comfy_table::Table);

impl Table {
    /// A condensed table as wide as `COLUMNS` says, else as the terminal, or
    /// 100 columns in a pipe.
    pub fn new(header: &[&str]) -> Self {
        Self::build(header, None)
    }

    /// A condensed table of a fixed width.
    pub fn with_width(header: &[&str], width: u16) -> Self {
        Self::build(header, Some(width))
    }

    fn build(header: &[&str], width: Option<u16>) -> Self {
        let mut t = comfy_table::Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        match width.or_else(columns) {
            Some(w) => {
                t.set_width(w);
            }
            None if !std::io::stdout().is_terminal() => {
                t.set_width(100);
            }
            None => {}
        }
        t.set_header(header.iter().map(|h| escape::term(h).into_owned()));
        Table(t)
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.0.add_row(
            cells
                .into_iter()
                .map(|c| escape::term(c.as_ref()).into_owned()),
        );
    }

    /// Layout settings (alignment, constraints); cells only go through [`Table::row`].
    pub fn layout(&mut self) -> &mut comfy_table::Table {
        &mut self.0
    }
}

/// `COLUMNS`, as shells and `less` set it, when it is a usable width.
fn columns() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()?
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|w| *w >= 20)
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_escapes_before_colouring() {
        assert_eq!(paint("ok", GREEN, true), "\x1b[1;32mok\x1b[0m");
        assert_eq!(paint("\x1b[8mx", GREEN, false), "\\u{1b}[8mx");
        assert_eq!(
            paint("\x1b[1;32mx", GREEN, true),
            "\x1b[1;32m\\u{1b}[1;32mx\x1b[0m"
        );
    }

    #[test]
    fn table_cells_are_escaped_and_aligned() {
        let mut t = Table::with_width(&["Id", "Title"], 60);
        t.row(["a", "\x1b[2K\x1b[1Aok\x07 \u{202e}txt"]);
        let s = t.to_string();
        assert!(
            !s.chars().any(|c| escape::is_control(c) && c != '\n'),
            "{s}"
        );
        assert!(
            s.contains("\\u{1b}[2K\\u{1b}[1Aok\\u{7} \\u{202e}txt"),
            "{s}"
        );
        // Every line is as wide as the border: the escapes were measured.
        let widths: Vec<usize> = s.lines().map(|l| l.chars().count()).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{s}");
    }
}
