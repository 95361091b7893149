//! `aims plan`'s result: the roadmap, as Markdown or JSON.

use crate::assess::readiness::{Phase, Plan, weeks_after};
use crate::render::readiness::{cell, md_text, plural};
use crate::render::{Cx, Output, Render};

impl Render for Plan {
    const COMMAND: &'static str = "plan";
    const FORMATS: &'static [Output] = &[Output::Markdown, Output::Json];
    type Json<'a> = &'a Plan;

    fn json(&self) -> &Plan {
        self
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        (format == Output::Markdown).then(|| plan_markdown(self))
    }
}

fn week_range(p: &Phase) -> String {
    if p.duration_weeks == 0 {
        "—".into()
    } else if p.duration_weeks == 1 {
        format!("{}", p.end_week)
    } else {
        format!("{}–{}", p.start_week + 1, p.end_week)
    }
}

/// The roadmap as Markdown: a timeline, then one section per phase.
pub fn plan_markdown(p: &Plan) -> String {
    let mut s = String::new();
    if p.title.is_empty() {
        s.push_str("# Roadmap to ISO/IEC 42001 certification\n\n");
    } else {
        s.push_str(&format!(
            "# Roadmap to ISO/IEC 42001 certification: {}\n\n",
            md_text(&p.title)
        ));
    }
    s.push_str(&format!(
        "As of {}. Score **{:.1}/100**; **{}** short of `evidenced`; **{}** of work over **{}**.\n\n",
        p.as_of,
        p.score,
        plural(p.short, "control", "controls"),
        plural(usize::try_from(p.weeks).unwrap_or(0), "week", "weeks"),
        plural(usize::try_from(p.duration_weeks).unwrap_or(0), "calendar week", "calendar weeks"),
    ));
    let certified = p.certification.as_ref().and_then(|c| c.certified);
    if let Some(c) = certified {
        s.push_str(&format!(
            "Already certified on {c}: the projected dates below are when the remaining gaps would be closed to Stage 1 and Stage 2 standard.{}\n\n",
            p.next_audit
                .as_ref()
                .map(|n| format!(" Next audit: {} due {} ({}).", md_text(&n.title.to_lowercase()), n.due, n.status))
                .unwrap_or_default()
        ));
    }
    s.push_str(&format!(
        "- **Projected Stage 1 audit (documentation): {}** (week {})\n- **Projected Stage 2 audit (implementation): {}** (week {})\n\n",
        p.stage1, p.stage1_week, p.stage2, p.stage2_week
    ));
    s.push_str("## Timeline\n\n| Phase | Controls | Work (weeks) | Duration (weeks) | Weeks | From | To |\n|---|--:|--:|--:|---|---|---|\n");
    for ph in &p.phases {
        s.push_str(&format!(
            "| {}. {} | {} | {} | {} | {} | {} | {} |\n",
            ph.phase,
            ph.title,
            if ph.phase == 1 {
                "—".to_string()
            } else {
                ph.controls.len().to_string()
            },
            ph.weeks,
            ph.duration_weeks,
            week_range(ph),
            ph.start,
            ph.end
        ));
    }
    s.push_str(&format!(
        "| **Total** | **{}** | **{}** | **{}** | | {} | {} |\n",
        p.short,
        p.weeks,
        p.duration_weeks,
        p.as_of,
        weeks_after(p.as_of, p.duration_weeks)
    ));
    for ph in &p.phases {
        s.push_str(&format!(
            "\n## Phase {}: {} ({}{})\n\n",
            ph.phase,
            ph.title,
            plural(usize::try_from(ph.weeks).unwrap_or(0), "week", "weeks"),
            if ph.duration_weeks == 0 {
                String::new()
            } else if ph.workstreams > 1 {
                format!(
                    " in {} workstreams, weeks {}",
                    ph.workstreams,
                    week_range(ph)
                )
            } else if ph.duration_weeks == 1 {
                format!(", week {}", week_range(ph))
            } else {
                format!(", weeks {}", week_range(ph))
            }
        ));
        if ph.phase > 1 {
            s.push_str(&format!("Covers {}.\n\n", ph.covers));
        }
        for n in &ph.notes {
            s.push_str(&format!("- {}\n", cell(n)));
        }
        if ph.phase == 1 {
            for t in &ph.tasks {
                s.push_str(&format!(
                    "- Estimate: {} ({}).\n",
                    plural(usize::try_from(t.weeks).unwrap_or(0), "week", "weeks"),
                    cell(&t.title).to_lowercase()
                ));
            }
            continue;
        }
        if ph.controls.is_empty() && ph.tasks.is_empty() {
            s.push_str("Nothing short in this phase.\n");
            continue;
        }
        s.push_str("| Control | Title | Level | Owner | Weeks |\n|---|---|---|---|--:|\n");
        for c in &ph.controls {
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md_text(&c.id),
                md_text(&c.title),
                c.level.as_str(),
                cell(&c.owner),
                c.weeks
            ));
        }
        for t in &ph.tasks {
            s.push_str(&format!(
                "| task | {} | | | {} |\n",
                cell(&t.title),
                t.weeks
            ));
        }
        s.push_str(&format!("| | **Total** | | | **{}** |\n", ph.weeks));
    }
    if !p.owners.is_empty() {
        s.push_str("\n## Workload by owner\n\n| Owner | Controls | Weeks |\n|---|--:|--:|\n");
        for o in &p.owners {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&o.owner),
                o.controls,
                o.weeks
            ));
        }
    }
    s.push_str("\n## Assumptions\n\n");
    for a in &p.assumptions {
        s.push_str(&format!("- {}\n", cell(a)));
    }
    s
}
