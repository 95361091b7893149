//! `aims map`: crosswalks to other frameworks.

use super::*;

pub(super) fn map_cmd(a: MapArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let cw = crate::catalog::crosswalk::get(a.to.key())
        .ok_or_else(|| RunError::Usage(format!("no crosswalk `{}`", a.to.key())))?;
    // With an inventory (given, or found from here), items carry levels; without one, the bare crosswalk.
    let project = match &a.common.path {
        Some(p) => Some(load(
            Some(p),
            (a.format == TableFormat::Json).then_some("map"),
        )?),
        None => load::load(None, &cwd()?).ok(),
    };
    let gap = project.as_ref().map(|p| assess::gap(p, as_of));
    let items = crate::catalog::crosswalk::map(cw, gap.as_ref());
    let mapped = Mapped {
        crosswalk: cw,
        items: &items,
        levels: project.as_ref().map(|p| (p.title(), as_of)),
    };
    render(
        &mapped,
        a.format.into(),
        &Cx::default(),
        &a.common.out,
        project.as_ref().map_or(Guard::None, Guard::Project),
    )?;
    Ok(EXIT_OK)
}
