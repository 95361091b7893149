//! `aims readiness`'s result: both stages, the blockers and the audit
//! schedule, as a terminal table, Markdown or JSON.

use crate::assess::readiness::{Item, Readiness, Scheduled, StageCheck};
use crate::model::Date;
use crate::render::term::Table;
use crate::render::{Cx, Output, Render};

/// Width of every terminal table and wrapped line: readable in a
/// 100-column terminal and in CI logs.
const WIDTH: usize = 100;

/// Blockers the terminal view lists before it points at the full list.
const MAX_BLOCKER_LINES: usize = 30;

impl Render for Readiness {
    const COMMAND: &'static str = "readiness";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json, Output::Markdown];
    type Json<'a> = &'a Readiness;

    fn json(&self) -> &Readiness {
        self
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        match format {
            Output::Table => Some(readiness_table(self)),
            Output::Markdown => Some(readiness_markdown(self)),
            _ => None,
        }
    }
}

/// `n` and its noun, singular or plural.
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn new_table(header: &[&str]) -> Table {
    Table::with_width(header, WIDTH as u16)
}

/// Wrap text to the terminal width, breaking words that cannot fit. The
/// text is escaped for the terminal first, so the escapes are measured.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    let text = crate::render::escape::term_line(text);
    let mut lines: Vec<String> = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let room = WIDTH.saturating_sub(rest.chars().count()).max(10);
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = line.chars().count();
            let need = word.len() + usize::from(!empty);
            if used + need <= WIDTH {
                if !empty {
                    line.push(' ');
                }
                line.extend(word.iter());
                empty = false;
                break;
            }
            if empty && word.len() > room {
                // A word longer than a line: cut it.
                let fit = WIDTH.saturating_sub(used).max(1);
                let tail = word.split_off(fit.min(word.len()));
                line.extend(word.iter());
                word = tail;
                lines.push(std::mem::replace(&mut line, rest.to_string()));
                if word.is_empty() {
                    break;
                }
                continue;
            }
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
    }
    lines.push(line);
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

fn met_word(met: bool) -> &'static str {
    if met { "yes" } else { "NO" }
}

fn stage_heading(name: &str, s: &StageCheck) -> String {
    let met = s.items.iter().filter(|i| i.met).count();
    format!(
        "{name}: {} ({met} of {} items met)",
        if s.met { "met" } else { "not met" },
        s.items.len()
    )
}

fn clauses_text(i: &Item) -> String {
    if i.clauses.is_empty() {
        "all".into()
    } else {
        i.clauses.join(", ")
    }
}

fn status_note(s: &Scheduled, as_of: Date) -> String {
    match (s.status, &s.audit) {
        ("done", Some(a)) => format!("done in `{a}`"),
        ("overdue", _) => format!(
            "{} overdue",
            plural(
                usize::try_from((as_of.0 - s.due.0).num_days()).unwrap_or(0),
                "day",
                "days"
            )
        ),
        ("done", None) => String::new(),
        _ => {
            let days = usize::try_from((s.due.0 - as_of.0).num_days()).unwrap_or(0);
            let mut note = format!("in {}", plural(days, "day", "days"));
            if let Some(d) = s.start_by {
                note.push_str(&format!("; start preparing by {d}"));
            }
            note
        }
    }
}

fn certification_line(r: &Readiness) -> Option<String> {
    let c = r.certification.as_ref()?;
    let mut parts = Vec::new();
    if let Some(d) = c.certified {
        parts.push(format!("certified {d}"));
    }
    if let Some(d) = c.expires {
        parts.push(format!("expires {d}"));
    }
    if c.certified.is_none() {
        if let Some(d) = c.stage1 {
            parts.push(format!("Stage 1 {d}"));
        }
        if let Some(d) = c.stage2 {
            parts.push(format!("Stage 2 {d}"));
        }
    }
    let body = c.body.clone().unwrap_or_else(|| "body not recorded".into());
    Some(if parts.is_empty() {
        body
    } else {
        format!("{body}: {}", parts.join(", "))
    })
}

fn headline(r: &Readiness) -> String {
    if r.ready {
        format!(
            "Certification readiness as of {}: READY (both stages met)",
            r.as_of
        )
    } else {
        format!(
            "Certification readiness as of {}: NOT READY ({})",
            r.as_of,
            plural(r.blockers.len(), "blocker", "blockers")
        )
    }
}

/// The terminal view: both stages as tables, the blockers, the schedule.
pub fn readiness_table(r: &Readiness) -> String {
    let mut s = String::new();
    if !r.title.is_empty() {
        s.push_str(&wrap(&r.title, "", ""));
    }
    s.push_str(&wrap(&headline(r), "", ""));
    for (name, stage) in [
        ("Stage 1, documentation review", &r.stage1),
        ("Stage 2, implementation audit", &r.stage2),
    ] {
        s.push('\n');
        s.push_str(&wrap(&stage_heading(name, stage), "", ""));
        let mut t = new_table(&["Met", "Item", "Clauses", "Why"]);
        for i in &stage.items {
            t.row(vec![
                met_word(i.met).to_string(),
                i.title.to_string(),
                clauses_text(i),
                i.why.clone(),
            ]);
        }
        s.push_str(&format!("{t}\n"));
    }
    s.push('\n');
    if r.blockers.is_empty() {
        s.push_str("No blockers.\n");
    } else {
        s.push_str(&format!("Blockers ({}):\n", r.blockers.len()));
        for b in r.blockers.iter().take(MAX_BLOCKER_LINES) {
            s.push_str(&wrap(b, "  - ", "    "));
        }
        if r.blockers.len() > MAX_BLOCKER_LINES {
            s.push_str(&wrap(
                &format!(
                    "… and {} more; `--format markdown` or `--format json` lists them all.",
                    r.blockers.len() - MAX_BLOCKER_LINES
                ),
                "  ",
                "  ",
            ));
        }
    }
    s.push('\n');
    match certification_line(r) {
        Some(c) => s.push_str(&wrap(&format!("Certification: {c}"), "", "  ")),
        None => s.push_str("Certification: none recorded\n"),
    }
    if !r.schedule.is_empty() {
        let mut t = new_table(&["Audit", "Due", "Status", "Note"]);
        for e in &r.schedule {
            t.row(vec![
                e.title.clone(),
                e.due.to_string(),
                e.status.to_string(),
                status_note(e, r.as_of),
            ]);
        }
        s.push_str(&format!("{t}\n"));
    }
    if let Some(n) = &r.schedule_note {
        s.push_str(&wrap(n, "", ""));
    }
    s
}

/// Composed text (messages that quote ids in backticks) in Markdown: see
/// [`crate::render::escape::md_spans`].
pub(super) fn cell(s: &str) -> String {
    crate::render::escape::md_spans(s)
}

/// User text (titles, ids) in Markdown: see [`crate::render::escape::md`].
pub(super) fn md_text(s: &str) -> String {
    crate::render::escape::md(s)
}

/// The Markdown view, for a pull request comment or a wiki page.
pub fn readiness_markdown(r: &Readiness) -> String {
    let mut s = String::new();
    if r.title.is_empty() {
        s.push_str("# Certification readiness\n\n");
    } else {
        s.push_str(&format!(
            "# Certification readiness: {}\n\n",
            md_text(&r.title)
        ));
    }
    s.push_str(&if r.ready {
        format!("As of {}: **ready**, both stages met.\n", r.as_of)
    } else {
        format!(
            "As of {}: **not ready**, {}.\n",
            r.as_of,
            plural(r.blockers.len(), "blocker", "blockers")
        )
    });
    for (name, stage) in [
        ("Stage 1: documentation review", &r.stage1),
        ("Stage 2: implementation audit", &r.stage2),
    ] {
        let met = stage.items.iter().filter(|i| i.met).count();
        s.push_str(&format!(
            "\n## {name} ({})\n\n{met} of {} items met.\n\n",
            if stage.met { "met" } else { "not met" },
            stage.items.len()
        ));
        s.push_str("| Item | Clauses | Met | Why |\n|---|---|:-:|---|\n");
        for i in &stage.items {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                i.title,
                clauses_text(i),
                if i.met { "✅" } else { "❌" },
                cell(&i.why)
            ));
        }
        for i in stage.items.iter().filter(|i| !i.below.is_empty()) {
            s.push_str(&format!(
                "\n### Controls below `implemented` ({})\n\n| Control | Title | Level | Owner |\n|---|---|---|---|\n",
                i.below.len()
            ));
            for b in &i.below {
                s.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    md_text(&b.id),
                    md_text(&b.title),
                    b.level.as_str(),
                    cell(&b.owner)
                ));
            }
        }
    }
    s.push_str("\n## Blockers\n\n");
    if r.blockers.is_empty() {
        s.push_str("None.\n");
    }
    for (n, b) in r.blockers.iter().enumerate() {
        s.push_str(&format!("{}. {}\n", n + 1, cell(b)));
    }
    s.push_str("\n## Certification\n\n");
    match certification_line(r) {
        Some(c) => s.push_str(&format!("{}\n", cell(&c))),
        None => s.push_str("None recorded.\n"),
    }
    if !r.schedule.is_empty() {
        s.push_str("\n| Audit | Due | Status | Note |\n|---|---|---|---|\n");
        for e in &r.schedule {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md_text(&e.title),
                e.due,
                e.status,
                cell(&status_note(e, r.as_of))
            ));
        }
    }
    if let Some(n) = &r.schedule_note {
        s.push_str(&format!("\n{}\n", cell(n)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_within_the_width() {
        let long = format!("{} {}", "word ".repeat(60), "x".repeat(250));
        for line in wrap(&long, "  - ", "    ").lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        assert_eq!(wrap("short", "", ""), "short\n");
    }
}
