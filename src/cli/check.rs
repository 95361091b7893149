//! `aims check`: load, run every rule, print the findings and the gate.

use super::*;

pub(super) fn counts(findings: &[Finding]) -> Counts {
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

pub(super) fn check(a: CheckArgs, term: Term) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let json_cmd = match a.format {
        CheckFormat::Json => Some("check"),
        CheckFormat::Sarif => Some("sarif"),
        CheckFormat::Human => None,
    };
    let project = load(a.common.path.as_deref(), json_cmd)?;
    let findings = rules::run(&project, as_of);
    let deny = project.config.gate.deny.as_deref();
    let failed = findings.iter().any(|f| rules::denied(f, deny));
    let c = counts(&findings);
    match a.format {
        CheckFormat::Sarif => emit(
            &crate::render::ci::sarif(&findings),
            &a.common.out,
            Guard::Project(&project),
        )?,
        CheckFormat::Json => {
            let view = CheckView {
                as_of,
                files: &project.files,
                summary: c,
                passed: !failed,
                findings: &findings,
            };
            emit_json("check", view, &a.common.out, Guard::Project(&project))?;
        }
        CheckFormat::Human => {
            let live = findings.iter().filter(|f| f.waived_by.is_none());
            let to_file = a.common.out.output.is_some();
            let color = term.color_out && !to_file;
            let mut text = if term.quiet && !to_file {
                String::new()
            } else {
                diag::render(live, &project.sources, color)
            };
            let systems = project.inventory.systems.len();
            let summary = format!(
                "{}: {} file{}, {} system{}, {} statement{}; {} error{}, {} warning{}, {} note{}{} (as of {as_of})\n",
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
            );
            if !term.quiet || failed || to_file {
                text.push_str(&summary);
            }
            emit_human(&text, &a.common.out, color, Guard::Project(&project))?;
        }
    }
    Ok(if failed { EXIT_GATE } else { EXIT_OK })
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
