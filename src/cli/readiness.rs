//! `aims readiness` and `aims plan`.

use super::*;

pub(super) fn readiness_cmd(a: ReadinessArgs, term: Term) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == TableFormat::Json).then_some("readiness"),
    )?;
    let gap = assess::gap(&project, as_of);
    let r = crate::assess::readiness::readiness(&project, &gap, as_of);
    if term.quiet && a.format == TableFormat::Table && a.common.out.output.is_none() {
        // Quiet: what stands between the AIMS and certification, one line
        // each; nothing when ready.
        let lines: String = r
            .blockers
            .iter()
            .map(|b| format!("not ready: {}\n", escape::term(b)))
            .collect();
        emit_human(&lines, &a.common.out, false, Guard::None)?;
        return Ok(if r.ready { EXIT_OK } else { EXIT_GATE });
    }
    render(
        &r,
        a.format.into(),
        &Cx::default(),
        &a.common.out,
        Guard::Project(&project),
    )?;
    // Not ready is a failed gate, as for `aims gap`: CI can wait on it.
    Ok(if r.ready { EXIT_OK } else { EXIT_GATE })
}

pub(super) fn plan_cmd(a: PlanArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == PlanFormat::Json).then_some("plan"),
    )?;
    let gap = assess::gap(&project, as_of);
    let p = crate::assess::readiness::plan(&project, &gap, as_of);
    render(
        &p,
        a.format.into(),
        &Cx::default(),
        &a.common.out,
        Guard::Project(&project),
    )?;
    Ok(EXIT_OK)
}
