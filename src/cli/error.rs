//! Why a run could not complete (exit 2): a usage error of the command
//! line, or a failure the library reported.

use crate::pack::PackError;
use crate::render::RenderError;
use crate::render::write::WriteError;

/// Why a run could not complete (exit 2). Every variant prints as its
/// message alone.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// The system refused what the command needed.
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Pack(#[from] PackError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_error_prints_as_itself() {
        let run: RunError = RenderError::Write(WriteError::Exists {
            path: "a.md".into(),
        })
        .into();
        assert_eq!(
            run.to_string(),
            "`a.md` already exists; pass --force to overwrite it"
        );
    }
}
