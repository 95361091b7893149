//! Printing a result: to standard output, or to `--output` through the
//! safe writer. With `term`, the only code that writes to a terminal.

use std::io::Write;

use crate::cli::RunError;
use crate::render::write::{Guard, Sink, Writing, write_file, write_file_with};
use crate::render::{Cx, Output, Render};

/// Human (terminal) text: printed or written after the last terminal pass
/// ([`crate::render::escape::term_output`]), which lets through only aims' own
/// colour codes, and only when `colour`.
pub fn emit_human(
    content: &str,
    out: &crate::cli::OutputArgs,
    colour: bool,
    guard: Guard,
) -> Result<(), RunError> {
    emit(
        &crate::render::escape::term_output(content, colour),
        out,
        guard,
    )
}

/// Stream to stdout, or to `--output` (through a temporary file and a
/// rename, like [`write_file`]): for outputs too large to hold in memory.
pub fn emit_with(
    out: &crate::cli::OutputArgs,
    guard: Guard,
    write: &mut Writing,
) -> Result<(), RunError> {
    match &out.output {
        Some(p) => Ok(write_file_with(p, out.force, guard, 0o666, write)?),
        None => {
            let mut sink = Sink::new(std::io::BufWriter::new(std::io::stdout().lock()));
            let wrote = write(&mut sink).map_err(RunError::from).and_then(|()| {
                sink.flush()
                    .map_err(|e| RunError::Io(format!("cannot write to standard output: {e}")))
            });
            match sink.error.take() {
                // A closed pipe (`aims report | head`) is not an error worth a message.
                Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Some(e) => Err(RunError::Io(format!(
                    "cannot write to standard output: {e}"
                ))),
                None => wrote,
            }
        }
    }
}

/// Binary output (XLSX) is never written to a terminal, where it would
/// only garble the screen: it needs `--output` or a pipe.
pub fn refuse_terminal(out: &crate::cli::OutputArgs, format: Output) -> Result<(), RunError> {
    use std::io::IsTerminal;
    if format == Output::Xlsx && out.output.is_none() && std::io::stdout().is_terminal() {
        return Err(RunError::Usage(
            "XLSX is a binary file: write it with --output FILE.xlsx, or redirect or pipe standard output"
                .into(),
        ));
    }
    Ok(())
}

/// Print to stdout, or write `--output`.
pub fn emit(content: &str, out: &crate::cli::OutputArgs, guard: Guard) -> Result<(), RunError> {
    match &out.output {
        Some(p) => Ok(write_file(p, content.as_bytes(), out.force, guard)?),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`aims controls | head`) is not an error worth a message.
            match stdout
                .write_all(content.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(RunError::Io(format!(
                    "cannot write to standard output: {e}"
                ))),
            }
        }
    }
}

/// A JSON envelope, streamed to stdout or `--output`.
pub fn emit_json<T: serde::Serialize>(
    command: &str,
    data: T,
    out: &crate::cli::OutputArgs,
    guard: Guard,
) -> Result<(), RunError> {
    let mut data = Some(data);
    emit_with(out, guard, &mut |w| match data.take() {
        Some(d) => crate::render::output::envelope_to(w, command, d),
        None => Ok(()),
    })
}

/// A result in `format`, to stdout or `--output`: see [`Render::write`].
pub fn render<R: Render>(
    result: &R,
    format: Output,
    cx: &Cx,
    out: &crate::cli::OutputArgs,
    guard: Guard,
) -> Result<(), RunError> {
    emit_with(out, guard, &mut |w| result.write(format, w, cx))
}
