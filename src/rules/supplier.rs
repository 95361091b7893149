//! Suppliers of bought-in systems.

use super::{Ctx, RuleId};
use crate::model::*;

/// A bought-in system in use needs a named supplier, assessed for due
/// diligence.
pub(super) fn suppliers(cx: &mut Ctx) {
    let inv = cx.inv;
    for s in inv
        .systems
        .iter()
        .filter(|s| s.lifecycle != Lifecycle::Retired)
    {
        // A deployer only uses the system: someone else built it, and
        // A.10.3 cannot be judged without knowing who.
        if s.role == SystemRole::Deployer && s.supplier.is_none() {
            cx.push(
                RuleId::SupplierUnnamed,
                format!(
                    "system `{}` ({}) is deployed, not built, but names no `supplier`",
                    s.id, s.name
                ),
                Some("A.10.3"),
                Some(&s.id),
                s.src.loc_of(&["role"]),
            );
        }
        if let Some(sup) = &s.supplier
            && let Some(supplier) = inv.supplier(sup)
            && supplier.due_diligence.is_none()
        {
            cx.push(
                RuleId::SupplierNoDueDiligence,
                format!(
                    "system `{}` is bought in from `{}`, which has no recorded due diligence",
                    s.id, supplier.id
                ),
                Some("A.10.3"),
                Some(&s.id),
                supplier.src.loc(),
            );
        }
    }
}
