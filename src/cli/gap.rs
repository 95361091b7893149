//! `aims gap`: the level of every control, as a table, Markdown, JSON, SARIF or JUnit.

use super::*;

pub(super) fn gap(a: GapArgs, term: Term) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let json_cmd = match a.format {
        GapFormat::Json => Some("gap"),
        GapFormat::Sarif => Some("sarif"),
        _ => None,
    };
    let fail_under = a.fail_under;
    if let Some(f) = fail_under
        && !(0.0..=100.0).contains(&f)
    {
        return Err(
            RunError::Usage(format!("--fail-under must be between 0 and 100, found {f}")).into(),
        );
    }
    let baseline = read_baseline(a.baseline.as_deref())?;
    let project = load(a.common.path.as_deref(), json_cmd)?;
    let mut result = assess::gap(&project, as_of);
    if let Some(id) = &a.system {
        let system = find_system(&project, id)?;
        result = result
            .for_system(&project, system.id.as_str())
            .ok_or_else(|| RunError::Usage(format!("no system `{id}` in the inventory")))?;
    }
    let regressions = regressions_since(&result, baseline.as_deref())?.unwrap_or_default();
    let threshold = fail_under.or(project.config.gate.fail_under);
    let deny = project.config.gate.deny.as_deref();
    let denied: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| rules::denied(f, deny))
        .collect();
    let under = threshold.filter(|t| result.summary.score < *t);
    let failed = !denied.is_empty() || under.is_some() || !regressions.is_empty();
    let gate = GateView {
        passed: !failed,
        fail_under: threshold,
        denied_findings: denied.len(),
        regressions: &regressions,
    };
    let table_colour = term.color_out && a.common.out.output.is_none();
    let text = match a.format {
        GapFormat::Json => {
            let view = GapView { gap: &result, gate };
            emit_json("gap", view, &a.common.out, Guard::Project(&project))?;
            String::new()
        }
        GapFormat::Markdown => gap_markdown(&project, &result, &regressions),
        GapFormat::Sarif => crate::render::ci::sarif(&result.findings),
        GapFormat::Junit => {
            let groups: Vec<(String, String)> = project
                .catalog
                .groups
                .iter()
                .map(|g| (g.id.clone(), g.title.clone()))
                .collect();
            crate::render::ci::junit(&result, threshold, &denied, &groups)
        }
        GapFormat::Table => gap_table(&project, &result, table_colour),
    };
    if a.format == GapFormat::Table {
        emit_human(&text, &a.common.out, table_colour, Guard::Project(&project))?;
    } else if a.format != GapFormat::Json {
        emit(&text, &a.common.out, Guard::Project(&project))?;
    }
    if !term.quiet || failed {
        let color = term.color_err;
        for r in &regressions {
            term::eprint_labelled("regression", RED, color, &r.to_string());
        }
        if let (Some(t), Some(_)) = (threshold, under) {
            term::eprint_labelled(
                "gate",
                RED,
                color,
                &format!("score {:.1} is under the gate's {t}", result.summary.score),
            );
        }
        if !denied.is_empty() {
            term::eprint_labelled(
                "gate",
                RED,
                color,
                &format!(
                    "{} finding{} at a denied severity (see `aims check`)",
                    denied.len(),
                    plural(denied.len())
                ),
            );
        }
    }
    Ok(if failed { EXIT_GATE } else { EXIT_OK })
}

/// `--baseline FILE` (of `gap` and `report`), read before any work so
/// that a bad one fails fast.
pub(super) fn read_baseline(path: Option<&Path>) -> Result<Option<String>, RunError> {
    path.map(|p| {
        crate::load::safe::read_given_text(p, crate::load::MAX_FILE_BYTES).map_err(|why| {
            RunError::Usage(format!("cannot read baseline `{}`: {why}", p.display()))
        })
    })
    .transpose()
}

/// What got worse since the baseline; `None` without one.
pub(super) fn regressions_since(
    gap: &assess::Gap,
    baseline: Option<&str>,
) -> Result<Option<Vec<assess::Regression>>, RunError> {
    baseline
        .map(|text| {
            assess::regressions(gap, text).map_err(|e| RunError::Usage(format!("--baseline: {e}")))
        })
        .transpose()
}

pub(super) const LEVEL_COLUMNS: [(&str, &str); 6] = [
    ("missing", "Miss"),
    ("partial", "Part"),
    ("implemented", "Impl"),
    ("evidenced", "Evid"),
    ("effective", "Eff"),
    ("not-applicable", "N/A"),
];

pub(super) fn gap_table(project: &Project, g: &assess::Gap, color: bool) -> String {
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
                paint(
                    &format!("{:<11}", c.overall.as_str()),
                    term::DIM_YELLOW,
                    color
                ),
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

pub(super) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// An id in a Markdown code span.
pub(super) fn code(s: &str) -> String {
    escape::md_spans(&format!("`{s}`"))
}

pub(super) fn gap_markdown(
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
        o.push_str(&format!(" for system {}", code(s)));
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
                code(f.rule.as_str()),
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
                code(&w.rule),
                md(&covers),
                w.expires,
                w.status
            ));
        }
    }
    o
}
