//! Suppliers of bought-in systems.

use super::{Ctx, RuleId};
use crate::model::*;

/// A bought-in system in use needs a named supplier, assessed for due
/// diligence: one due-diligence finding per supplier, naming every system it
/// supplies (a portfolio buys many systems from one supplier; the fix is one
/// record).
pub(super) fn suppliers(cx: &mut Ctx) {
    let inv = cx.inv;
    let mut by_supplier: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
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
            && let Some(at) = inv.supplier_position(sup)
            && inv.suppliers[at].due_diligence.is_none()
        {
            by_supplier.entry(at).or_default().push(s.id.0.clone());
        }
    }
    for (at, mut systems) in by_supplier {
        let supplier = &inv.suppliers[at];
        systems.sort_by(|a, b| natural_cmp(a, b));
        systems.dedup();
        let named: Vec<String> = systems.iter().take(10).map(|s| format!("`{s}`")).collect();
        let more = match systems.len() {
            n if n > 10 => format!(" and {} more", n - 10),
            _ => String::new(),
        };
        let what = if systems.len() == 1 {
            format!("system {}", named[0])
        } else {
            format!("{} systems: {}{more}", systems.len(), named.join(", "))
        };
        cx.push_systems(
            RuleId::SupplierNoDueDiligence,
            format!(
                "supplier `{}` has no recorded due diligence; {what} {} bought in from it",
                supplier.id,
                if systems.len() == 1 { "is" } else { "are" }
            ),
            Some("A.10.3"),
            systems,
            supplier.src.loc(),
        );
    }
}
