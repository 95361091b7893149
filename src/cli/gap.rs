//! `aims gap`: judge every control, render the result, say why the gate failed.

use super::*;

pub(super) fn gap(a: GapArgs, term: Term) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let json_cmd = match a.format {
        GapFormat::Json => Some("gap"),
        GapFormat::Sarif => Some("sarif"),
        _ => None,
    };
    let fail_under = a.fail_under;
    if let Some(f) = fail_under
        && !(0.0..=100.0).contains(&f)
    {
        return Err(
            RunError::Usage(format!("--fail-under must be between 0 and 100, found {f}")).into(),
        );
    }
    emit::refuse_terminal(&a.common.out, a.format.into())?;
    let baseline = read_baseline(a.baseline.as_deref())?;
    let project = load(a.common.path.as_deref(), json_cmd)?;
    let focus = a
        .system
        .as_deref()
        .map(|id| find_system(&project, id))
        .transpose()?;
    let ev = assess::evidence::Evidence::new(&project.evidence_root);
    let at = focus.and_then(|s| project.inventory.system_position(&s.id));
    let mut result = assess::gap_for(&project, as_of, &ev, at);
    if let (Some(id), Some(system)) = (&a.system, focus) {
        result = result
            .for_system(&project, system.id.as_str())
            .ok_or_else(|| RunError::Usage(format!("no system `{id}` in the inventory")))?;
    }
    let comparison = baseline
        .as_deref()
        .map(|text| {
            assess::compare(&result, text).map_err(|e| RunError::Usage(format!("--baseline: {e}")))
        })
        .transpose()?;
    let regressions = comparison
        .as_ref()
        .map(|c| c.regressions.clone())
        .unwrap_or_default();
    let threshold = fail_under.or(project.config.gate.fail_under);
    let deny = project.config.gate.deny.as_deref();
    let denied: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| rules::denied(f, deny))
        .collect();
    let under = threshold.filter(|t| result.summary.score < *t);
    let failed = !denied.is_empty() || under.is_some() || !regressions.is_empty();
    let report = GapReport {
        project: &project,
        gap: &result,
        threshold,
        denied: &denied,
        regressions: &regressions,
        comparison: comparison.as_ref(),
        passed: !failed,
    };
    let cx = Cx {
        colour: term.color_out && a.common.out.output.is_none(),
        quiet: false,
    };
    if term.quiet && a.format == GapFormat::Table && a.common.out.output.is_none() {
        // Quiet: what fails the gate, one line each, instead of the table.
        let lines: String = denied.iter().map(|f| diag::one_line(f)).collect();
        emit_human(&lines, &a.common.out, false, Guard::None)?;
    } else {
        render(
            &report,
            a.format.into(),
            &cx,
            &a.common.out,
            Guard::Project(&project),
        )?;
    }
    if !term.quiet || failed {
        let color = term.color_err;
        for r in &regressions {
            term::eprint_labelled("regression", RED, color, &r.to_string());
        }
        if let (Some(t), Some(_)) = (threshold, under) {
            term::eprint_labelled(
                "gate",
                RED,
                color,
                &format!("score {:.1} is under the gate's {t}", result.summary.score),
            );
        }
        if !denied.is_empty() {
            term::eprint_labelled(
                "gate",
                RED,
                color,
                &format!(
                    "{} finding{} at a denied severity (see `aims check`)",
                    denied.len(),
                    plural(denied.len())
                ),
            );
        }
    }
    Ok(if failed { EXIT_GATE } else { EXIT_OK })
}

/// `--baseline FILE` (of `gap` and `report`), read before any work so
/// that a bad one fails fast.
pub(super) fn read_baseline(path: Option<&Path>) -> Result<Option<String>, RunError> {
    path.map(|p| {
        crate::load::safe::read_given_text(p, crate::load::MAX_FILE_BYTES).map_err(|why| {
            RunError::Usage(format!("cannot read baseline `{}`: {why}", p.display()))
        })
    })
    .transpose()
}

/// What got worse since the baseline; `None` without one.
pub(super) fn regressions_since(
    gap: &assess::Gap,
    baseline: Option<&str>,
) -> Result<Option<Vec<assess::Regression>>, RunError> {
    baseline
        .map(|text| {
            assess::regressions(gap, text).map_err(|e| RunError::Usage(format!("--baseline: {e}")))
        })
        .transpose()
}
