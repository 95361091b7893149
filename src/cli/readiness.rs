//! `aims readiness` and `aims plan`.

use super::*;

pub(super) fn readiness_cmd(a: ReadinessArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == TableFormat::Json).then_some("readiness"),
    )?;
    let gap = assess::gap(&project, as_of);
    let r = crate::assess::readiness::readiness(&project, &gap, as_of);
    render(
        &r,
        a.format.into(),
        &Cx::default(),
        &a.common.out,
        Guard::Project(&project),
    )?;
    Ok(EXIT_OK)
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
