//! `aims risks`: the risk register and its heat maps.

use super::*;

pub(super) fn risks_cmd(a: RisksArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let project = load(
        a.common.path.as_deref(),
        (a.format == ListFormat::Json).then_some("risks"),
    )?;
    let inv = &project.inventory;
    let register = Register::new(&inv.risks, inv.risk_appetite(), as_of);
    render(
        &register,
        a.format.into(),
        &Cx::default(),
        &a.common.out,
        Guard::Project(&project),
    )?;
    Ok(EXIT_OK)
}
