//! Human output on a terminal: standard error, with user text escaped on
//! the way in (see [`crate::render::escape::term`]) and every line passed
//! through [`crate::render::escape::term_output`] on the way out. Colours
//! and tables are [`crate::render::term`]'s.

use std::io::Write;

use crate::render::escape;
pub use crate::render::term::*;

/// Write to standard error, through the final terminal pass. Errors
/// writing to stderr are ignored, as `eprint!` would panic on them.
pub fn eprint(text: &str, colour: bool) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(escape::term_output(text, colour).as_bytes());
}

/// `label: message` on standard error, the label painted, the message escaped.
pub fn eprint_labelled(label: &str, code: &str, colour: bool, message: &str) {
    eprint(
        &format!(
            "{}: {}\n",
            paint(label, code, colour),
            escape::term(message)
        ),
        colour,
    );
}
