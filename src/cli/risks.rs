//! `aims risks`: the risk register and its heat maps.

use super::*;

pub(super) fn risks_cmd(a: RisksArgs) -> Result<u8, Failure> {
    let project = load(
        a.common.path.as_deref(),
        (a.format == ListFormat::Json).then_some("risks"),
    )?;
    let inv = &project.inventory;
    let register = Register::new(&inv.risks, inv.risk_appetite());
    render(
        &register,
        a.format.into(),
        &Cx::default(),
        &a.common.out,
        Guard::Project(&project),
    )?;
    Ok(EXIT_OK)
}
