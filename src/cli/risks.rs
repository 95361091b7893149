//! `aims risks`: the risk register and its heat maps.

use super::*;

pub(super) fn risks_cmd(a: RisksArgs) -> Result<u8, Failure> {
    emit::refuse_terminal(&a.common.out, a.format.into())?;
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == RisksFormat::Json).then_some("risks"),
    )?;
    let inv = &project.inventory;
    let register = Register::new(&inv.risks, inv.risk_appetite(), as_of)
        .with_sheet(as_of, crate::render::xlsx::catalog_line(&project));
    render(
        &register,
        a.format.into(),
        &Cx::default(),
        &a.common.out,
        Guard::Project(&project),
    )?;
    Ok(EXIT_OK)
}
