//! `aims risks`'s result: the risk register and its heat maps.

use crate::model::{Date, Risk};
use crate::render::escape;
use crate::render::term::Table;
use crate::render::views::{HeatmapView, RiskView, RisksView};
use crate::render::{Cx, Output, Render, chart};

/// The risk register with its inherent and residual heat maps.
pub struct Register<'a> {
    pub risks: &'a [Risk],
    /// Reviews are overdue as of this day (`--as-of`).
    pub as_of: Date,
    pub appetite: u8,
    /// Counts by `[impact 1-5][likelihood 1-5]`.
    pub inherent: [[usize; 5]; 5],
    /// As `inherent`, the residual scores (inherent where none is recorded).
    pub residual: [[usize; 5]; 5],
    /// The as-of day and catalogue line of the XLSX sheet (`with_sheet`).
    pub sheet: Option<(crate::model::Date, String)>,
}

impl<'a> Register<'a> {
    pub fn new(risks: &'a [Risk], appetite: u8, as_of: Date) -> Self {
        let inherent = chart::heat(risks.iter().map(|r| (r.likelihood.0, r.impact.0)));
        let residual = chart::heat(risks.iter().map(|r| {
            r.residual
                .as_ref()
                .map_or((r.likelihood.0, r.impact.0), |x| {
                    (x.likelihood.0, x.impact.0)
                })
        }));
        Register {
            risks,
            as_of,
            appetite,
            inherent,
            residual,
            sheet: None,
        }
    }

    /// What the XLSX sheet says above the table: without it there is none.
    pub fn with_sheet(mut self, as_of: crate::model::Date, catalog: String) -> Self {
        self.sheet = Some((as_of, catalog));
        self
    }
}

impl Render for Register<'_> {
    const COMMAND: &'static str = "risks";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json, Output::Xlsx];
    type Json<'a>
        = RisksView<'a>
    where
        Self: 'a;

    fn json(&self) -> RisksView<'_> {
        RisksView {
            as_of: self.as_of,
            appetite: self.appetite,
            risks: self
                .risks
                .iter()
                .map(|r| RiskView::new(r, self.appetite, self.as_of))
                .collect(),
            heatmap: HeatmapView {
                axes: "[impact 1-5][likelihood 1-5]",
                inherent: &self.inherent,
                residual: &self.residual,
            },
        }
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        (format == Output::Table).then(|| self.table())
    }

    fn bytes(&self, format: Output) -> Option<Result<Vec<u8>, crate::render::RenderError>> {
        let (as_of, catalog) = self.sheet.clone().filter(|_| format == Output::Xlsx)?;
        Some(crate::render::xlsx::workbook(&[
            crate::render::xlsx::risks_sheet(self, as_of, catalog),
        ]))
    }
}

impl Register<'_> {
    /// The register as a table, then both heat maps.
    fn table(&self) -> String {
        let mut t = Table::new(&[
            "Risk and owner",
            "Title (scope)",
            "L×I",
            "Treatment",
            "Residual",
            "Review by",
        ]);
        for r in self.risks {
            let score = r.score();
            let mark = if score > u16::from(self.appetite) {
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
                match r.review_by {
                    Some(d) if d < self.as_of => format!("{d} overdue"),
                    Some(d) => d.to_string(),
                    None => "—".into(),
                },
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
            ContentWidth,
        ]);
        format!(
            "Risk register as of {}: {} risks, appetite {} (! marks a score above it)\n{t}\n\n{}\n{}",
            self.as_of,
            self.risks.len(),
            self.appetite,
            heat_text("Inherent risk", &self.inherent, self.appetite),
            heat_text(
                "Residual risk (inherent where no residual is recorded)",
                &self.residual,
                self.appetite
            )
        )
    }
}

/// A 5×5 heat map as text, cells above `appetite` bracketed.
pub fn heat_text(title: &str, m: &[[usize; 5]; 5], appetite: u8) -> String {
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
