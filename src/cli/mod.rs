//! The command line: arguments (`args`), dispatch, exit codes and the
//! terminal settings; one file per command or family of commands. Each
//! command loads what it needs, runs the library, renders, and returns the
//! exit code of the contract (0 ok, 1 gate failed, 2 could not run). This is
//! the only code that prints.

mod args;
mod check;
mod classify;
mod controls;
mod emit;
mod error;
mod explain;
mod export;
mod gap;
mod import;
mod init;
mod man;
mod map;
mod pack;
mod readiness;
mod registry;
mod report;
mod risks;
pub mod term;

pub use args::*;
use check::*;
use classify::*;
use controls::*;
pub use error::RunError;
use explain::*;
use export::*;
use gap::*;
use import::*;
pub use init::schema_json;
use init::*;
use man::*;
use map::*;
use pack::*;
use readiness::*;
use registry::*;
use report::*;
use risks::*;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use self::term::{RED, YELLOW, plural};
use crate::assess;
use crate::catalog::Catalog;
use crate::diag;
use crate::load::{self, LoadFailure, Project};
use crate::render::Cx;
use crate::render::catalog::{Catalogue, ControlDetail};
use crate::render::check::Checked;
use crate::render::classify::Classified;
use crate::render::escape;
use crate::render::explain::explain;
use crate::render::gap::GapReport;
use crate::render::map::Mapped;
use crate::render::output::{self, envelope};
use crate::render::risks::Register;
use crate::render::rules::{Explained, Registry};
use crate::render::verify::Verified;
use crate::render::views::{LoadErrorsView, SoaView};
use crate::render::write::{self, Guard};
use crate::rules::{self, Finding};
use emit::{emit, emit_human, emit_json, render};

pub const EXIT_OK: u8 = 0;
pub const EXIT_GATE: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Terminal settings for human output.
#[derive(Clone, Copy)]
pub struct Term {
    pub color_out: bool,
    pub color_err: bool,
    pub quiet: bool,
}

impl Term {
    pub fn new(choice: ColorChoice, quiet: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let (out, err) = match choice {
            ColorChoice::Always => (true, true),
            ColorChoice::Never => (false, false),
            ColorChoice::Auto => (
                !no_color && std::io::stdout().is_terminal(),
                !no_color && std::io::stderr().is_terminal(),
            ),
        };
        Term {
            color_out: out,
            color_err: err,
            quiet,
        }
    }
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let term = Term::new(cli.color, cli.quiet);
    let result = match cli.command {
        Command::Check(a) => check(a, term),
        Command::Gap(a) => gap(a, term),
        Command::Report(a) => report_cmd(a),
        Command::Soa(a) => soa_cmd(a),
        Command::Map(a) => map_cmd(a),
        Command::Pack(a) => pack_cmd(a, term),
        Command::Verify(a) => verify_cmd(a, term),
        Command::Keygen(a) => keygen_cmd(a),
        Command::Classify(a) => classify_cmd(a),
        Command::Explain(a) => explain_cmd(a),
        Command::Risks(a) => risks_cmd(a),
        Command::Readiness(a) => readiness_cmd(a, term),
        Command::Plan(a) => plan_cmd(a),
        Command::Export(a) => export_cmd(a),
        Command::Import(a) => import_cmd(a, term),
        Command::Controls(a) => controls(a),
        Command::Rules(a) => rules_cmd(a),
        Command::Init(a) => init(a, term),
        Command::Schema(a) => schema(a),
        Command::Completions(a) => completions(a),
        Command::Man(a) => man(a),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Run(e)) => {
            term::eprint_labelled("error", RED, term.color_err, &e.to_string());
            EXIT_ERROR
        }
        Err(Failure::Load(f, json_cmd)) => {
            report_load_failure(&f, json_cmd, term);
            EXIT_ERROR
        }
    }
}

pub(crate) enum Failure {
    Run(RunError),
    /// A load failure; `Some(command)` prints it as a JSON envelope too
    /// (or as SARIF when the command is `sarif`).
    Load(LoadFailure, Option<&'static str>),
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Self {
        Failure::Run(e)
    }
}

impl From<crate::render::RenderError> for Failure {
    fn from(e: crate::render::RenderError) -> Self {
        Failure::Run(e.into())
    }
}

impl From<crate::render::write::WriteError> for Failure {
    fn from(e: crate::render::write::WriteError) -> Self {
        Failure::Run(e.into())
    }
}

impl From<crate::pack::PackError> for Failure {
    fn from(e: crate::pack::PackError) -> Self {
        Failure::Run(e.into())
    }
}

pub(crate) fn report_load_failure(f: &LoadFailure, json_cmd: Option<&str>, term: Term) {
    if json_cmd == Some("sarif") {
        // No project: the files named say where the repository is.
        let cwd = std::env::current_dir().unwrap_or_default();
        let start = f
            .diagnostics
            .iter()
            .find_map(|d| d.location.as_ref())
            .and_then(|l| Path::new(&l.file).parent().map(Path::to_path_buf))
            .unwrap_or_else(|| cwd.clone());
        let base = crate::render::ci::SarifBase::new(
            &start,
            &cwd,
            "aims: the inventory could not be loaded",
        );
        print!("{}", crate::render::ci::sarif(&f.diagnostics, &base));
    } else if let Some(cmd) = json_cmd
        && let Ok(s) = envelope(
            cmd,
            LoadErrorsView {
                errors: &f.diagnostics,
            },
        )
    {
        print!("{s}");
    }
    // Quiet, one line each, as for findings.
    let text = if term.quiet {
        f.diagnostics.iter().map(diag::one_line).collect()
    } else {
        diag::render(&f.diagnostics, &f.sources, term.color_err)
    };
    term::eprint(&text, term.color_err);
    let n = f.total;
    term::eprint_labelled(
        "error",
        RED,
        term.color_err,
        &format!(
            "could not load the inventory: {n} problem{} to fix",
            plural(n)
        ),
    );
}

pub(crate) fn cwd() -> Result<PathBuf, RunError> {
    std::env::current_dir()
        .map_err(|e| RunError::Io(format!("cannot read the current folder: {e}")))
}

pub(crate) fn load(
    path: Option<&Path>,
    json_cmd: Option<&'static str>,
) -> Result<Project, Failure> {
    let cwd = cwd()?;
    load::load(path, &cwd).map_err(|f| Failure::Load(f, json_cmd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Output, Render};
    use clap::ValueEnum;

    /// Every value of a `--format` is an output its command's result has.
    fn formats_of<F: ValueEnum + Into<Output>>(has: &[Output]) {
        for f in F::value_variants() {
            let o: Output = f.clone().into();
            assert!(has.contains(&o), "{o} is not among {has:?}");
        }
    }

    #[test]
    fn every_format_has_a_renderer() {
        use crate::assess::readiness::{Plan, Readiness};
        formats_of::<GapFormat>(GapReport::FORMATS);
        formats_of::<CheckFormat>(Checked::FORMATS);
        formats_of::<ListFormat>(Classified::FORMATS);
        formats_of::<RisksFormat>(Register::FORMATS);
        formats_of::<TableFormat>(Mapped::FORMATS);
        formats_of::<ListFormat>(Catalogue::FORMATS);
        formats_of::<ListFormat>(ControlDetail::FORMATS);
        formats_of::<RulesFormat>(Registry::FORMATS);
        formats_of::<RulesFormat>(Explained::FORMATS);
        formats_of::<TableFormat>(Readiness::FORMATS);
        formats_of::<PlanFormat>(Plan::FORMATS);
        formats_of::<ListFormat>(Verified::FORMATS);
    }

    #[test]
    fn a_format_a_result_lacks_is_a_usage_error() {
        let mut out = Vec::new();
        let e = Registry
            .write(Output::Sarif, &mut out, &Cx::default())
            .unwrap_err();
        assert_eq!(e.to_string(), "`aims rules` has no sarif output");
        assert!(out.is_empty());
    }
}
