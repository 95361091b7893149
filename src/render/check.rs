//! `aims check`'s result: the findings, for a terminal, as JSON or SARIF.

use crate::diag::{self, Severity};
use crate::load::Project;
use crate::model::Date;
use crate::render::term::{GREEN, RED, paint, plural};
use crate::render::views::{CheckView, Counts, RuleCount};
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

/// Live findings per rule and severity, the most frequent first.
pub fn by_rule(findings: &[Finding]) -> Vec<RuleCount> {
    let mut m: std::collections::BTreeMap<(String, Severity), usize> = Default::default();
    for f in findings.iter().filter(|f| f.waived_by.is_none()) {
        *m.entry((f.rule.as_str().to_string(), f.severity))
            .or_default() += 1;
    }
    let mut v: Vec<RuleCount> = m
        .into_iter()
        .map(|((rule, severity), count)| RuleCount {
            rule,
            severity: severity.as_str(),
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    v
}

/// Every statement of the inventory: the organisation's and each system's.
pub fn statements(project: &Project) -> usize {
    let inv = &project.inventory;
    inv.controls.len() + inv.systems.iter().map(|s| s.controls.len()).sum::<usize>()
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
            by_rule: by_rule(self.findings),
            passed: self.passed,
            findings: self.findings,
        }
    }

    fn text(&self, format: Output, cx: &Cx) -> Option<String> {
        match format {
            Output::Sarif => Some(ci::sarif(
                self.findings,
                &ci::SarifBase::new(&self.project.root, &self.project.base, "aims check"),
            )),
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
        let per_rule = by_rule(self.findings);
        if !cx.quiet && per_rule.len() > 1 {
            let width = per_rule
                .iter()
                .map(|r| r.count.to_string().len())
                .max()
                .unwrap_or(1);
            text.push_str("Findings by rule:\n");
            for r in &per_rule {
                text.push_str(&format!(
                    "  {:>width$}  {:<7}  {}\n",
                    r.count, r.severity, r.rule
                ));
            }
            text.push('\n');
        }
        let systems = project.inventory.systems.len();
        let stated = statements(project);
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
            stated,
            plural(stated),
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
