//! `aims explain CONTROL [--system ID]`: the facts behind one level.

use super::*;

pub(super) fn explain_cmd(a: ExplainArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == TableFormat::Json).then_some("explain"),
    )?;
    let Some(control) = project.catalog.get(&a.control) else {
        let hint = diag::suggest(&a.control, project.catalog.ids())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(RunError::Usage(format!(
            "no control `{}` in the catalogue{hint}; `aims controls` lists them",
            a.control
        ))
        .into());
    };
    let system = match &a.system {
        Some(id) => {
            let s = find_system(&project, id)?;
            project.inventory.system_position(&s.id)
        }
        None => None,
    };
    let ev = assess::evidence::Evidence::new(&project.evidence_root);
    let gap = assess::gap_with(&project, as_of, &ev);
    let judge = assess::Assessor::new(&project, as_of, &ev, &gap.findings);
    let Some(explained) = explain(&project, &gap, &judge, control, system) else {
        let s = &project.inventory.systems[system.unwrap_or_default()];
        return Err(RunError::Usage(format!(
            "`{}` does not apply to system `{}` (a {} in {}); `aims explain {}` explains it for the organisation",
            control.id, s.id, s.role, s.lifecycle, control.id
        ))
        .into());
    };
    render(
        &explained,
        a.format.into(),
        &Cx::default(),
        &a.common.out,
        Guard::Project(&project),
    )?;
    Ok(EXIT_OK)
}
