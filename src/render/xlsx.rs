//! Excel workbooks of the SoA, the gap analysis and the risk register
//! (`--format xlsx`): a title, the as-of date and the catalogue version
//! above a frozen, filtered header row; levels coloured; dates as Excel
//! dates; every user text written as a string, so none runs as a formula.
//! The bytes depend only on the inputs: the document's creation date is
//! the as-of day.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook};

use crate::model::Date;
use crate::render::RenderError;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A level of the status ladder (or `not-applicable`): coloured.
    Level(String),
    Number(f64),
    Date(Date),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}

/// One worksheet: a table under a few lines that say what it is.
pub struct Sheet {
    pub name: &'static str,
    pub title: String,
    pub as_of: Date,
    pub catalog: String,
    /// More label/value lines under the as-of date and catalogue.
    pub notes: Vec<(String, String)>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The row the header is on (0-based): after the title, as-of, catalogue
/// and notes, and a blank row. Import looks for it; tests read from it.
pub fn header_row(notes: usize) -> u32 {
    u32::try_from(notes).unwrap_or(u32::MAX - 8) + 4
}

/// Fill colours of the levels, as in the HTML report's badges.
fn level_colour(level: &str) -> Option<u32> {
    Some(match level {
        "missing" => 0xF8D7DA,
        "partial" => 0xFFE5B4,
        "implemented" => 0xFFF3CD,
        "evidenced" => 0xD1E7DD,
        "effective" => 0xA3CFBB,
        "not-applicable" => 0xE2E3E5,
        _ => return None,
    })
}

fn xl(e: rust_xlsxwriter::XlsxError) -> RenderError {
    RenderError::Xlsx(e.to_string())
}

fn excel_date(d: Date) -> Result<ExcelDateTime, RenderError> {
    use chrono::Datelike;
    let year = u16::try_from(d.0.year())
        .map_err(|_| RenderError::Xlsx(format!("date {d} is out of Excel's range")))?;
    // Month and day of a valid date always fit.
    ExcelDateTime::from_ymd(year, d.0.month() as u8, d.0.day() as u8).map_err(xl)
}

/// The workbook of `sheets`, as bytes.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, RenderError> {
    let mut wb = Workbook::new();
    if let Some(first) = sheets.first() {
        let created = excel_date(first.as_of)?;
        wb.set_properties(
            &DocProperties::new()
                .set_title(first.title.clone())
                .set_creation_datetime(&created),
        );
    }
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE3EA))
        .set_border_bottom(FormatBorder::Thin);
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.name).map_err(xl)?;
        let h = header_row(s.notes.len());
        for (c, name) in s.headers.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| RenderError::Xlsx("too many columns".into()))?;
            ws.write_string_with_format(h, c, name, &header)
                .map_err(xl)?;
        }
        for (i, row) in s.rows.iter().enumerate() {
            let r = u32::try_from(i)
                .ok()
                .and_then(|i| i.checked_add(h + 1))
                .filter(|r| *r < 1_048_576)
                .ok_or_else(|| {
                    RenderError::Xlsx("more rows than a sheet holds (1,048,576)".into())
                })?;
            for (c, cell) in row.iter().enumerate() {
                let c =
                    u16::try_from(c).map_err(|_| RenderError::Xlsx("too many columns".into()))?;
                match cell {
                    // Always a string: text that starts with `=` stays text.
                    Cell::Text(t) => {
                        ws.write_string(r, c, t).map_err(xl)?;
                    }
                    Cell::Level(l) => match level_colour(l) {
                        Some(rgb) => {
                            let f = Format::new().set_background_color(Color::RGB(rgb));
                            ws.write_string_with_format(r, c, l, &f).map_err(xl)?;
                        }
                        None => {
                            ws.write_string(r, c, l).map_err(xl)?;
                        }
                    },
                    Cell::Number(n) => {
                        ws.write_number(r, c, *n).map_err(xl)?;
                    }
                    Cell::Date(d) => {
                        ws.write_datetime_with_format(r, c, &excel_date(*d)?, &date)
                            .map_err(xl)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        let last_col = u16::try_from(s.headers.len().saturating_sub(1)).unwrap_or(u16::MAX);
        let last_row = h + u32::try_from(s.rows.len()).unwrap_or(0);
        ws.set_freeze_panes(h + 1, 0).map_err(xl)?;
        ws.autofilter(h, 0, last_row, last_col).map_err(xl)?;
        // Fit each column to its widest cell of the table, but no wider
        // than about 70 characters; the lines above are written after, so
        // that the title does not widen the first column.
        ws.set_autofit_max_width(480);
        ws.autofit();
        ws.write_string_with_format(0, 0, &s.title, &title)
            .map_err(xl)?;
        ws.write_string_with_format(1, 0, "As of", &bold)
            .map_err(xl)?;
        ws.write_datetime_with_format(1, 1, &excel_date(s.as_of)?, &date)
            .map_err(xl)?;
        ws.write_string_with_format(2, 0, "Catalogue", &bold)
            .map_err(xl)?;
        ws.write_string(2, 1, &s.catalog).map_err(xl)?;
        for (i, (k, v)) in s.notes.iter().enumerate() {
            let r = 3 + u32::try_from(i).map_err(|_| RenderError::Xlsx("too many notes".into()))?;
            ws.write_string_with_format(r, 0, k, &bold).map_err(xl)?;
            ws.write_string(r, 1, v).map_err(xl)?;
        }
    }
    wb.save_to_buffer().map_err(xl)
}

/// The catalogue line every sheet carries.
pub fn catalog_line(project: &crate::load::Project) -> String {
    format!(
        "{} (aims catalogue {})",
        project.catalog.standard, project.catalog.version
    )
}

/// The SoA sheet: the columns of `aims soa --format csv`.
pub fn soa_sheet(
    project: &crate::load::Project,
    system: Option<&str>,
    as_of: Date,
    rows: &[crate::render::soa::SoaRow],
) -> Sheet {
    let headers = crate::render::soa::SOA_COLUMNS
        .iter()
        .map(|h| h.to_string())
        .collect();
    let mut notes = Vec::new();
    if let Some(s) = system {
        notes.push(("System".to_string(), s.to_string()));
    }
    Sheet {
        name: "Statement of Applicability",
        title: format!("{} — Statement of Applicability", project.title()),
        as_of,
        catalog: catalog_line(project),
        notes,
        headers,
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.id),
                    Cell::text(&r.title),
                    Cell::text(&r.group),
                    Cell::text(if r.applicable { "yes" } else { "no" }),
                    Cell::text(&r.justification),
                    Cell::Level(r.level.clone()),
                    Cell::text(&r.owner),
                    Cell::text(r.evidence.join("; ")),
                    r.reviewed.map_or(Cell::Empty, Cell::Date),
                ]
            })
            .collect(),
    }
}

/// The gap sheet: a row per control with its organisation level, a column
/// per AI system, the overall level, owner and reason.
pub fn gap_sheet(project: &crate::load::Project, gap: &crate::assess::Gap) -> Sheet {
    let systems: std::collections::BTreeSet<&crate::model::Natural> =
        gap.controls.iter().flat_map(|c| c.systems.keys()).collect();
    let mut headers: Vec<String> = ["Control", "Title", "Group", "Kind", "Organisation level"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    headers.extend(systems.iter().map(|s| format!("System {s}")));
    headers.extend(["Overall", "Owner", "Reason"].iter().map(|s| s.to_string()));
    let rows = gap
        .controls
        .iter()
        .map(|c| {
            let mut row = vec![
                Cell::text(&c.id),
                Cell::text(&c.title),
                Cell::text(&c.group),
                Cell::text(c.kind),
                Cell::Level(c.level.as_str().into()),
            ];
            row.extend(systems.iter().map(|s| {
                c.systems
                    .get(*s)
                    .map_or(Cell::Empty, |l| Cell::Level(l.as_str().into()))
            }));
            row.push(Cell::Level(c.overall.as_str().into()));
            row.push(Cell::text(c.owner.clone().unwrap_or_default()));
            row.push(Cell::text(&c.reason));
            row
        })
        .collect();
    let mut notes = vec![("Score".to_string(), format!("{:.1}", gap.summary.score))];
    if let Some(s) = &gap.system {
        notes.push(("System".to_string(), s.clone()));
    }
    Sheet {
        name: "Gap analysis",
        title: format!("{} — ISO/IEC 42001 gap analysis", project.title()),
        as_of: gap.as_of,
        catalog: catalog_line(project),
        notes,
        headers,
        rows,
    }
}

/// The risk register sheet: the fields of `aims risks --format json`.
pub fn risks_sheet(
    register: &crate::render::risks::Register,
    as_of: Date,
    catalog: String,
) -> Sheet {
    use crate::render::views::RiskView;
    let headers = [
        "Risk",
        "Title",
        "Systems",
        "Source",
        "Objective",
        "Likelihood",
        "Impact",
        "Score",
        "Above appetite",
        "Treatment",
        "Controls",
        "Residual score",
        "Owner",
        "Accepted by",
        "Review by",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let join = |ids: &[crate::model::Id]| {
        ids.iter()
            .map(|i| i.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows = register
        .risks
        .iter()
        .map(|r| {
            let v = RiskView::new(r, register.appetite, register.as_of);
            vec![
                Cell::text(v.id.as_str()),
                Cell::text(v.title),
                Cell::text(join(v.systems)),
                Cell::text(v.source.map(|s| s.as_str()).unwrap_or_default()),
                Cell::text(v.objective.map(|s| s.as_str()).unwrap_or_default()),
                Cell::Number(f64::from(v.likelihood.0)),
                Cell::Number(f64::from(v.impact.0)),
                Cell::Number(f64::from(v.score)),
                Cell::text(if v.above_appetite { "yes" } else { "no" }),
                Cell::text(v.treatment.map(|t| t.as_str()).unwrap_or_default()),
                Cell::text(
                    v.controls
                        .iter()
                        .map(|c| c.0.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                v.residual_score
                    .map_or(Cell::Empty, |s| Cell::Number(f64::from(s))),
                Cell::text(v.owner.map(|o| o.as_str()).unwrap_or_default()),
                Cell::text(v.accepted_by.map(|o| o.as_str()).unwrap_or_default()),
                v.review_by.map_or(Cell::Empty, Cell::Date),
            ]
        })
        .collect();
    Sheet {
        name: "Risk register",
        title: "Risk register".into(),
        as_of,
        catalog,
        notes: vec![("Risk appetite".into(), register.appetite.to_string())],
        headers,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::output::ymd;

    fn sheet() -> Sheet {
        Sheet {
            name: "SoA",
            title: "t".into(),
            as_of: ymd(2026, 9, 1),
            catalog: "ISO/IEC 42001:2023".into(),
            notes: vec![],
            headers: vec!["A".into(), "B".into()],
            rows: vec![vec![Cell::text("=1+1"), Cell::Level("partial".into())]],
        }
    }

    #[test]
    fn the_bytes_depend_only_on_the_inputs() {
        let a = workbook(&[sheet()]).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(a, workbook(&[sheet()]).unwrap());
        assert!(a.starts_with(b"PK"));
    }
}
