//! `aims gap`'s result: the level of every control as a table, Markdown,
//! JSON, SARIF or JUnit.

use crate::assess::{self, Level};
use crate::diag::Severity;
use crate::load::Project;
use crate::render::escape::{self, md, md_code};
use crate::render::term::{DIM_YELLOW, Table, paint, truncate};
use crate::render::views::{GapView, GateView};
use crate::render::{Cx, Output, Render, ci};
use crate::rules::Finding;

/// A gap analysis with its gate, as `aims gap` shows it.
pub struct GapReport<'a> {
    pub project: &'a Project,
    pub gap: &'a assess::Gap,
    /// The score the gate asks for, if any.
    pub threshold: Option<f64>,
    /// The findings at a denied severity.
    pub denied: &'a [&'a Finding],
    pub regressions: &'a [assess::Regression],
    /// Everything that changed since `--baseline`, for `--format pr`.
    pub comparison: Option<&'a assess::Comparison>,
    pub passed: bool,
}

impl Render for GapReport<'_> {
    const COMMAND: &'static str = "gap";
    const FORMATS: &'static [Output] = &[
        Output::Table,
        Output::Json,
        Output::Markdown,
        Output::Sarif,
        Output::Junit,
        Output::Pr,
        Output::Xlsx,
    ];
    type Json<'a>
        = GapView<'a>
    where
        Self: 'a;

    fn json(&self) -> GapView<'_> {
        GapView {
            gap: self.gap,
            gate: GateView {
                passed: self.passed,
                fail_under: self.threshold,
                denied_findings: self.denied.len(),
                regressions: self.regressions,
            },
        }
    }

    fn text(&self, format: Output, cx: &Cx) -> Option<String> {
        Some(match format {
            Output::Table => gap_table(self.project, self.gap, cx.colour),
            Output::Markdown => gap_markdown(self.project, self.gap, self.regressions),
            Output::Sarif => ci::sarif(
                &self.gap.findings,
                &ci::SarifBase::new(&self.project.root, &self.project.base, "aims gap"),
            ),
            Output::Junit => {
                let groups: Vec<(String, String)> = self
                    .project
                    .catalog
                    .groups
                    .iter()
                    .map(|g| (g.id.clone(), g.title.clone()))
                    .collect();
                ci::junit(
                    self.gap,
                    self.threshold,
                    self.denied,
                    self.regressions,
                    &groups,
                )
            }
            Output::Pr => crate::render::pr::pr_markdown(
                &crate::render::pr::PrInput {
                    title: &self.project.title(),
                    gap: self.gap,
                    threshold: self.threshold,
                    denied: self.denied,
                    comparison: self.comparison,
                    passed: self.passed,
                },
                crate::render::pr::GITHUB_LIMIT,
            ),
            _ => return None,
        })
    }

    fn bytes(&self, format: Output) -> Option<Result<Vec<u8>, crate::render::RenderError>> {
        (format == Output::Xlsx).then(|| {
            crate::render::xlsx::workbook(&[crate::render::xlsx::gap_sheet(self.project, self.gap)])
        })
    }
}

const LEVEL_COLUMNS: [(&str, &str); 6] = [
    ("missing", "Miss"),
    ("partial", "Part"),
    ("implemented", "Impl"),
    ("evidenced", "Evid"),
    ("effective", "Eff"),
    ("not-applicable", "N/A"),
];

/// The terminal view: the groups as a table, the controls furthest behind.
pub fn gap_table(project: &Project, g: &assess::Gap, color: bool) -> String {
    let mut out = String::new();
    let title = escape::term_line(&project.title()).into_owned();
    let scope = g
        .system
        .as_ref()
        .map(|s| format!(" — system `{}`", escape::term_line(s)))
        .unwrap_or_default();
    out.push_str(&format!(
        "{title}{scope}\nGap analysis against {} as of {}\n\n",
        project.catalog.standard, g.as_of
    ));
    let mut header = vec!["Group", "Title"];
    header.extend(LEVEL_COLUMNS.iter().map(|(_, h)| *h));
    header.push("Score");
    let mut t = Table::new(&header);
    for grp in &g.groups {
        let mut row = vec![grp.id.clone(), grp.title.clone()];
        row.extend(
            LEVEL_COLUMNS
                .iter()
                .map(|(k, _)| grp.counts.get(k).copied().unwrap_or(0).to_string()),
        );
        row.push(format!("{:.1}", grp.score));
        t.row(row);
    }
    let mut total = vec![
        "All".to_string(),
        format!("{} controls", g.summary.controls),
    ];
    total.extend(
        LEVEL_COLUMNS
            .iter()
            .map(|(k, _)| g.summary.counts.get(k).copied().unwrap_or(0).to_string()),
    );
    total.push(format!("{:.1}", g.summary.score));
    t.row(total);
    for i in 2..9 {
        if let Some(c) = t.layout().column_mut(i) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    out.push_str(&t.to_string());
    out.push_str(&format!(
        "\n\nScore {:.1}/100 (evidenced and effective count fully, implemented half, partial a quarter;\nnot-applicable is left out).\n",
        g.summary.score
    ));
    // The controls furthest behind, so the table says what to do next.
    let behind: Vec<&assess::ControlGap> = g
        .controls
        .iter()
        .filter(|c| matches!(c.overall, Level::Missing | Level::Partial))
        .collect();
    if !behind.is_empty() {
        out.push_str(&format!(
            "\n{} controls are missing or partial, for example:\n",
            behind.len()
        ));
        for c in behind.iter().take(8) {
            out.push_str(&format!(
                "  {:<8} {} {}\n",
                escape::term_line(&c.id),
                paint(&format!("{:<11}", c.overall.as_str()), DIM_YELLOW, color),
                escape::term_line(&truncate(&c.title, 70))
            ));
        }
        if behind.len() > 8 {
            out.push_str("  … `--format markdown` lists every control.\n");
        }
    }
    let live: Vec<&Finding> = g
        .findings
        .iter()
        .filter(|f| f.waived_by.is_none())
        .collect();
    let n = |s: Severity| live.iter().filter(|f| f.severity == s).count();
    out.push_str(&format!(
        "\nFindings: {} errors, {} warnings, {} notes, {} waived. `aims check` shows each with its place.\n",
        n(Severity::Error),
        n(Severity::Warning),
        n(Severity::Note),
        g.findings.len() - live.len()
    ));
    out
}

/// The Markdown view: groups, every control, regressions, findings, waivers.
pub fn gap_markdown(
    project: &Project,
    g: &assess::Gap,
    regressions: &[assess::Regression],
) -> String {
    let title = project.title();
    let mut o = format!(
        "# {} — ISO/IEC 42001 gap analysis\n\nAs of {}. Score **{:.1}/100**",
        md(&title),
        g.as_of,
        g.summary.score
    );
    if let Some(s) = &g.system {
        o.push_str(&format!(" for system {}", md_code(s)));
    }
    o.push_str(".\n\n| Group | Title | Missing | Partial | Implemented | Evidenced | Effective | N/A | Score |\n|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for grp in &g.groups {
        let c = |k: &str| grp.counts.get(k).copied().unwrap_or(0);
        o.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1} |\n",
            md(&grp.id),
            md(&grp.title),
            c("missing"),
            c("partial"),
            c("implemented"),
            c("evidenced"),
            c("effective"),
            c("not-applicable"),
            grp.score
        ));
    }
    o.push_str("\n## Controls\n\n| Control | Title | Organisation | Systems | Why |\n|---|---|---|---|---|\n");
    for c in &g.controls {
        let systems: Vec<String> = c
            .systems
            .iter()
            .map(|(s, l)| format!("{s}: {}", l.as_str()))
            .collect();
        o.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            md(&c.id),
            md(&c.title),
            c.level.as_str(),
            md(&systems.join(", ")),
            md(&c.reason)
        ));
    }
    if !regressions.is_empty() {
        o.push_str("\n## Regressions since the baseline\n\n");
        for r in regressions {
            o.push_str(&format!("- {}\n", md(&r.to_string())));
        }
    }
    let live: Vec<&Finding> = g
        .findings
        .iter()
        .filter(|f| f.waived_by.is_none())
        .collect();
    if !live.is_empty() {
        o.push_str("\n## Findings\n\n| Severity | Rule | Finding | Where |\n|---|---|---|---|\n");
        for f in live {
            let loc = f
                .location
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default();
            o.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                f.severity.as_str(),
                md_code(f.rule.as_str()),
                md(&f.message),
                md(&loc)
            ));
        }
    }
    if !g.waivers.is_empty() {
        o.push_str("\n## Waivers\n\n| Waiver | Rule | Covers | Expires | Status |\n|---|---|---|---|---|\n");
        for w in &g.waivers {
            let covers = [w.control.as_deref(), w.system.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            o.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md(&w.id),
                md_code(&w.rule),
                md(&covers),
                w.expires,
                w.status
            ));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::catalog::describe_control;
    use crate::render::output;
    use crate::render::report::tests::{HOSTILE_ID, injection_with_group_id};

    #[test]
    fn gap_markdown_escapes_every_user_string_ids_included() {
        let project = injection_with_group_id(HOSTILE_ID);
        let gap = assess::gap(&project, output::ymd(2026, 11, 24));
        let md = gap_markdown(&project, &gap, &[]);
        assert!(!md.contains("<img") && !md.contains("<details"), "{md}");
        assert!(!md.contains("](javascript:"), "{md}");
        assert!(!md.lines().any(|l| l.starts_with("# Owned")), "{md}");
        assert!(
            !md.chars().any(|c| escape::is_control(c) && c != '\n'),
            "{md:?}"
        );
        // The group's row and its control's row keep the header's columns.
        let row = md
            .lines()
            .find(|l| l.starts_with("| G1 "))
            .expect("the group's row");
        let cells = |l: &str| l.replace("\\|", "").matches('|').count();
        assert_eq!(cells(row), 10, "{row}");
        let table = md.lines().find(|l| l.starts_with("| Group |")).unwrap();
        assert_eq!(cells(table), 10);
    }

    #[test]
    fn terminal_tables_and_descriptions_escape_overlay_text() {
        let project = injection_with_group_id(HOSTILE_ID);
        let gap = assess::gap(&project, output::ymd(2026, 11, 24));
        let text = gap_table(&project, &gap, true);
        let c = project.catalog.get("INJ.1").unwrap();
        let described = describe_control(&project.catalog, c);
        for out in [&text, &described] {
            let rest = escape::SGR
                .iter()
                .fold(out.to_string(), |acc, code| acc.replace(code, ""));
            assert!(
                !rest.chars().any(|c| escape::is_control(c) && c != '\n'),
                "{out:?}"
            );
        }
        assert!(text.contains("\\u{1b}"), "{text}");
        assert!(
            described.contains("  group:       G1\\n# Owned"),
            "{described}"
        );
    }
}
