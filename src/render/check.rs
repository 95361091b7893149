//! `aims check`'s result: the findings, for a terminal, as JSON or SARIF.

use crate::diag::{self, Severity};
use crate::load::Project;
use crate::model::Date;
use crate::render::term::{GREEN, RED, paint, plural};
use crate::render::views::{CheckView, Counts};
use crate::render::{Cx, Output, Render, ci};
use crate::rules::Finding;

/// Finding counts by severity, waived findings counted apart.
pub fn counts(findings: &[Finding]) -> Counts {
    let live = |s: Severity| {
        findings
            .iter()
            .filter(|f| f.waived_by.is_none() && f.severity == s)
            .count()
    };
    Counts {
        error: live(Severity::Error),
        warning: live(Severity::Warning),
        note: live(Severity::Note),
        waived: findings.iter().filter(|f| f.waived_by.is_some()).count(),
    }
}

/// Every rule run on a project, as `aims check` shows it.
pub struct Checked<'a> {
    pub project: &'a Project,
    pub as_of: Date,
    pub findings: &'a [Finding],
    pub passed: bool,
}

impl Render for Checked<'_> {
    const COMMAND: &'static str = "check";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json, Output::Sarif];
    type Json<'a>
        = CheckView<'a>
    where
        Self: 'a;

    fn json(&self) -> CheckView<'_> {
        CheckView {
            as_of: self.as_of,
            files: &self.project.files,
            summary: counts(self.findings),
            passed: self.passed,
            findings: self.findings,
        }
    }

    fn text(&self, format: Output, cx: &Cx) -> Option<String> {
        match format {
            Output::Sarif => Some(ci::sarif(self.findings)),
            Output::Table => Some(self.human(cx)),
            _ => None,
        }
    }
}

impl Checked<'_> {
    /// Each live finding with its place, then the summary line; quiet, the
    /// denied findings one line each and the summary, only when the gate
    /// failed.
    fn human(&self, cx: &Cx) -> String {
        let (project, color, failed) = (self.project, cx.colour, !self.passed);
        let c = counts(self.findings);
        let live = self.findings.iter().filter(|f| f.waived_by.is_none());
        // Quiet: only what fails the gate, one line each.
        let deny = project.config.gate.deny.as_deref();
        let mut text = if cx.quiet {
            self.findings
                .iter()
                .filter(|f| crate::rules::denied(f, deny))
                .map(diag::one_line)
                .collect()
        } else {
            diag::render(live, &project.sources, color)
        };
        let systems = project.inventory.systems.len();
        let summary = format!(
            "{}: {} file{}, {} system{}, {} statement{}; {} error{}, {} warning{}, {} note{}{} (as of {})\n",
            if failed {
                paint("failed", RED, color)
            } else {
                paint("ok", GREEN, color)
            },
            project.files.len(),
            plural(project.files.len()),
            systems,
            plural(systems),
            project.inventory.controls.len(),
            plural(project.inventory.controls.len()),
            c.error,
            plural(c.error),
            c.warning,
            plural(c.warning),
            c.note,
            plural(c.note),
            if c.waived > 0 {
                format!(", {} waived", c.waived)
            } else {
                String::new()
            },
            self.as_of,
        );
        if !cx.quiet || failed {
            text.push_str(&summary);
        }
        text
    }
}
