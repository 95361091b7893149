//! `aims risks`: the risk register and its heat maps.

use super::*;

pub(super) fn heat_text(title: &str, m: &[[usize; 5]; 5], appetite: u8) -> String {
    let mut o = format!("{title}\n            likelihood →\n             1    2    3    4    5\n");
    for i in (1..=5u8).rev() {
        o.push_str(&format!("  impact {i} "));
        for l in 1..=5u8 {
            let n = m[usize::from(i - 1)][usize::from(l - 1)];
            let cell = if n == 0 {
                "·".to_string()
            } else {
                n.to_string()
            };
            // Cells above appetite are bracketed.
            if u16::from(l) * u16::from(i) > u16::from(appetite) {
                o.push_str(&format!(" [{cell:>1}] "));
            } else {
                o.push_str(&format!("  {cell:>1}  "));
            }
        }
        o.push('\n');
    }
    o
}

pub(super) fn risks_cmd(a: RisksArgs) -> Result<u8, Failure> {
    let project = load(
        a.common.path.as_deref(),
        (a.format == ListFormat::Json).then_some("risks"),
    )?;
    let inv = &project.inventory;
    let appetite = inv.risk_appetite();
    let inherent =
        crate::render::chart::heat(inv.risks.iter().map(|r| (r.likelihood.0, r.impact.0)));
    let residual = crate::render::chart::heat(inv.risks.iter().map(|r| {
        r.residual
            .as_ref()
            .map_or((r.likelihood.0, r.impact.0), |x| {
                (x.likelihood.0, x.impact.0)
            })
    }));
    let text = match a.format {
        ListFormat::Json => {
            let view = RisksView {
                appetite,
                risks: inv
                    .risks
                    .iter()
                    .map(|r| RiskView::new(r, appetite))
                    .collect(),
                heatmap: HeatmapView {
                    axes: "[impact 1-5][likelihood 1-5]",
                    inherent: &inherent,
                    residual: &residual,
                },
            };
            emit_json("risks", view, &a.common.out, Guard::Project(&project))?;
            return Ok(EXIT_OK);
        }
        ListFormat::Table => {
            let mut t = Table::new(&[
                "Risk and owner",
                "Title (scope)",
                "L×I",
                "Treatment",
                "Residual",
            ]);
            for r in &inv.risks {
                let score = r.score();
                let mark = if score > u16::from(appetite) {
                    " !"
                } else {
                    ""
                };
                let res = r
                    .residual
                    .as_ref()
                    .map(|x| {
                        format!(
                            "{}×{}={}",
                            x.likelihood.0,
                            x.impact.0,
                            r.residual_score().unwrap_or_default()
                        )
                    })
                    .unwrap_or_else(|| "—".into());
                let systems: Vec<&str> = r.systems.iter().map(|s| s.as_str()).collect();
                let scope = if systems.is_empty() {
                    "organisation".to_string()
                } else {
                    systems.join(", ")
                };
                let owner = r
                    .owner
                    .as_ref()
                    .map_or_else(|| "no owner".to_string(), |o| o.0.clone());
                t.row(vec![
                    format!("{}\n  {owner}", r.id.0),
                    format!("{}\n({scope})", escape::term_line(&r.title)),
                    format!("{}×{}={score}{mark}", r.likelihood.0, r.impact.0),
                    r.treatment.map(|t| t.as_str()).unwrap_or("—").to_string(),
                    res,
                ]);
            }
            // Ids and scores stay on one line; the title takes the rest.
            use comfy_table::{ColumnConstraint::*, Width::Fixed};
            t.layout().set_constraints(vec![
                ContentWidth,
                LowerBoundary(Fixed(24)),
                ContentWidth,
                ContentWidth,
                ContentWidth,
            ]);
            format!(
                "Risk register: {} risks, appetite {appetite} (! marks a score above it)\n{t}\n\n{}\n{}",
                inv.risks.len(),
                heat_text("Inherent risk", &inherent, appetite),
                heat_text(
                    "Residual risk (inherent where no residual is recorded)",
                    &residual,
                    appetite
                )
            )
        }
    };
    emit_human(&text, &a.common.out, false, Guard::Project(&project))?;
    Ok(EXIT_OK)
}
