//! `aims gap --baseline FILE --format pr`: a pull-request comment in
//! GitHub-flavoured Markdown. What changed since the baseline comes first
//! (the score then and now, every regression), the long lists (new and
//! resolved findings, improvements) are collapsed, and the whole stays
//! under GitHub's comment limit, saying how much it left out.

use crate::assess::{BaselineFinding, Comparison, Gap, Regression};
use crate::render::escape::{md, md_code, md_spans};
use crate::rules::Finding;

/// GitHub refuses a comment (and a job summary shows only so much) over
/// 65,536 characters; it counts UTF-16 code units.
pub const GITHUB_LIMIT: usize = 65_536;

/// What the comment is about.
pub struct PrInput<'a> {
    pub title: &'a str,
    pub gap: &'a Gap,
    pub threshold: Option<f64>,
    pub denied: &'a [&'a Finding],
    /// `None` without `--baseline`: the comment shows the state now only.
    pub comparison: Option<&'a Comparison>,
    pub passed: bool,
}

/// Length as GitHub counts it.
fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The comment, at most `limit` UTF-16 units long.
pub fn pr_markdown(input: &PrInput<'_>, limit: usize) -> String {
    let g = input.gap;
    let c = input.comparison;
    let mut head = format!(
        "## {} aims gap: {}\n\n",
        if input.passed { "✅" } else { "❌" },
        if input.passed {
            "the gate passes"
        } else {
            "the gate fails"
        }
    );
    if !input.title.is_empty() {
        head.push_str(&format!("**{}**", md(input.title)));
        if let Some(s) = &g.system {
            head.push_str(&format!(", system {}", md_code(s)));
        }
        head.push_str(&format!(", as of {}.\n\n", g.as_of));
    }
    let now = g.summary.score;
    head.push_str("| | Baseline | Now |\n|---|--:|--:|\n");
    match c.and_then(|c| c.score_before) {
        Some(before) => head.push_str(&format!(
            "| Score | {before:.1} | **{now:.1}** ({:+.1}) |\n",
            now - before
        )),
        None => head.push_str(&format!("| Score | — | **{now:.1}** |\n")),
    }
    if let Some(c) = c {
        head.push_str(&format!(
            "| Levels down / up | | {} / {} |\n| Findings new / resolved | | {} / {} |\n",
            c.regressions.len(),
            c.improvements.len(),
            c.new_findings.len(),
            c.resolved_findings.len()
        ));
    }
    head.push_str(&format!("| Denied findings | | {} |\n", input.denied.len()));
    head.push('\n');
    match input.threshold {
        Some(t) => head.push_str(&format!(
            "The gate asks for a score of {t} or more, no denied finding{}.\n\n",
            if c.is_some() {
                " and no regression"
            } else {
                ""
            }
        )),
        None => head.push_str(&format!(
            "The gate fails on a denied finding{}; no score is asked for.\n\n",
            if c.is_some() { " or a regression" } else { "" }
        )),
    }
    if !input.passed {
        let mut why = Vec::new();
        if let Some(t) = input.threshold.filter(|t| now < *t) {
            why.push(format!("the score {now:.1} is under {t}"));
        }
        if !input.denied.is_empty() {
            why.push(format!(
                "{} denied finding{}",
                input.denied.len(),
                if input.denied.len() == 1 { "" } else { "s" }
            ));
        }
        if let Some(c) = c.filter(|c| !c.regressions.is_empty()) {
            why.push(format!(
                "{} level{} went down",
                c.regressions.len(),
                if c.regressions.len() == 1 { "" } else { "s" }
            ));
        }
        head.push_str(&format!("It fails: {}.\n\n", why.join(", ")));
    }
    if c.is_none() {
        head.push_str(
            "No baseline was given (`--baseline FILE`, a saved `aims gap --format json`): \
             nothing is compared.\n\n",
        );
    }

    let mut sections: Vec<Section> = Vec::new();
    if let Some(c) = c {
        sections.push(Section {
            title: "Regressions",
            open: true,
            header: "| Control | Scope | Was | Now |\n|---|---|---|---|\n",
            lines: c.regressions.iter().map(level_row).collect(),
        });
        let new: Vec<&Finding> = c.new_findings.iter().map(|&i| &g.findings[i]).collect();
        sections.push(Section {
            title: "New findings",
            open: false,
            header: "",
            lines: new.iter().map(|f| finding_line(f)).collect(),
        });
        sections.push(Section {
            title: "Resolved findings",
            open: false,
            header: "",
            lines: c.resolved_findings.iter().map(resolved_line).collect(),
        });
        sections.push(Section {
            title: "Improvements",
            open: false,
            header: "| Control | Scope | Was | Now |\n|---|---|---|---|\n",
            lines: c.improvements.iter().map(level_row).collect(),
        });
    } else {
        sections.push(Section {
            title: "Denied findings",
            open: false,
            header: "",
            lines: input.denied.iter().map(|f| finding_line(f)).collect(),
        });
    }

    // What each section needs besides its lines, and the note on what was
    // left out, are reserved first; lines then go in while they fit.
    const NOTE: usize = 400;
    let frame: usize = sections.iter().map(Section::frame_units).sum();
    let mut budget = limit.saturating_sub(units(&head) + frame + NOTE);
    let mut out = head;
    let mut left_out = 0usize;
    for s in &sections {
        let mut body = String::new();
        let mut shown = 0usize;
        for l in &s.lines {
            let n = units(l);
            if n > budget {
                // A later, shorter line could fit, but a list with holes
                // reads as complete: the rest of this list is left out.
                break;
            }
            budget -= n;
            body.push_str(l);
            shown += 1;
        }
        left_out += s.lines.len() - shown;
        out.push_str(&s.open_tag());
        if s.lines.is_empty() {
            out.push_str("None.\n");
        } else {
            if shown > 0 {
                out.push_str(s.header);
            }
            out.push_str(&body);
            if shown < s.lines.len() {
                out.push_str(&format!(
                    "\n…and {} more not shown.\n",
                    s.lines.len() - shown
                ));
            }
        }
        out.push_str("\n</details>\n\n");
    }
    if left_out > 0 {
        out.push_str(&format!(
            "{left_out} line{} left out to stay under GitHub's {GITHUB_LIMIT}-character limit; \
             `aims gap --baseline FILE` and `aims check` list everything.\n",
            if left_out == 1 { " was" } else { "s were" }
        ));
    }
    out
}

struct Section {
    title: &'static str,
    open: bool,
    header: &'static str,
    lines: Vec<String>,
}

impl Section {
    fn open_tag(&self) -> String {
        format!(
            "<details{}><summary><b>{} ({})</b></summary>\n\n",
            if self.open { " open" } else { "" },
            self.title,
            self.lines.len()
        )
    }

    /// Everything but the lines, at most.
    fn frame_units(&self) -> usize {
        units(&self.open_tag()) + units(self.header) + 64
    }
}

fn scope(system: Option<&str>) -> String {
    system.map_or_else(|| "organisation".to_string(), md_code)
}

fn level_row(r: &Regression) -> String {
    format!(
        "| {} | {} | {} | {} |\n",
        md_code(&r.control),
        scope(r.system.as_deref()),
        r.from.as_str(),
        r.to.as_str()
    )
}

fn subject(control: Option<&str>, system: Option<&str>) -> String {
    match (control, system) {
        (Some(c), Some(s)) => format!(" {} for {}", md_code(c), md_code(s)),
        (Some(c), None) => format!(" {}", md_code(c)),
        (None, Some(s)) => format!(" {}", md_code(s)),
        (None, None) => String::new(),
    }
}

fn finding_line(f: &Finding) -> String {
    let at = f
        .location
        .as_ref()
        .map(|l| format!(" ({})", md_code(&l.to_string())))
        .unwrap_or_default();
    let waived = f
        .waived_by
        .as_ref()
        .map(|w| format!(" — waived by {}", md_code(w)))
        .unwrap_or_default();
    format!(
        "- **{}** {}{}: {}{at}{waived}\n",
        f.severity.as_str(),
        md_code(f.rule.as_str()),
        subject(f.control.as_deref(), f.system.as_deref()),
        md_spans(&f.message)
    )
}

fn resolved_line(f: &BaselineFinding) -> String {
    let at = f
        .location
        .as_ref()
        .map(|l| format!(" (was {})", md_code(&format!("{}:{}", l.file, l.line))))
        .unwrap_or_default();
    format!(
        "- ~~{}~~ {}{}: {}{at}\n",
        md(&f.severity),
        md_code(&f.rule),
        subject(f.control.as_deref(), f.system.as_deref()),
        md_spans(&f.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_as_github_does() {
        assert_eq!(units("abc"), 3);
        // An emoji is two UTF-16 units.
        assert_eq!(units("✅"), 1);
        assert_eq!(units("😀"), 2);
    }
}
