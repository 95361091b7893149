//! `aims classify`: the EU AI Act tier of every system.

use super::*;

pub(super) fn classify_cmd(a: ClassifyArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == ListFormat::Json).then_some("classify"),
    )?;
    let act = &project.catalog.ai_act;
    let systems: Vec<&crate::model::System> = match &a.system {
        Some(id) => vec![find_system(&project, id)?],
        None => project.inventory.systems.iter().collect(),
    };
    let rows: Vec<(
        &crate::model::System,
        crate::assess::classify::Classification,
    )> = systems
        .into_iter()
        .map(|s| (s, crate::assess::classify::classify(s, act, as_of)))
        .collect();
    let classified = Classified {
        as_of,
        regulation: &act.regulation,
        rows,
    };
    render(
        &classified,
        a.format.into(),
        &Cx::default(),
        &a.common.out,
        Guard::Project(&project),
    )?;
    Ok(EXIT_OK)
}
