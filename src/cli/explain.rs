//! `aims rules`: the rule and load-code registry.

use super::*;

pub(super) fn rules_cmd(a: RulesArgs) -> Result<u8, Failure> {
    if let Some(id) = &a.id {
        let Some(r) = rules::explain(id) else {
            let hint = diag::suggest(
                id,
                rules::RULES.iter().chain(rules::LOAD_CODES).map(|r| r.id),
            )
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
            return Err(
                RunError::Usage(format!("no rule `{id}`{hint}; `aims rules` lists them")).into(),
            );
        };
        let text = match a.format {
            RulesFormat::Json => envelope("rules", json!({"rules": [r]}))?,
            RulesFormat::Markdown => format!(
                "### {}\n\n{} (default: {})\n\n**Why.** {}\n\n**How to fix.** {}\n",
                code(r.id),
                escape::md(r.summary),
                r.severity.as_str(),
                escape::md_spans(r.explain),
                escape::md_spans(r.fix)
            ),
            RulesFormat::Table if rules::rule(id).is_none() => format!(
                "{} (a load error: exit 2)\n  {}\n\nWhy\n  {}\n\nHow to fix\n  {}\n\nLoad errors are always errors; they cannot be configured or waived.\n",
                r.id, r.summary, r.explain, r.fix
            ),
            RulesFormat::Table => format!(
                "{} ({} by default)\n  {}\n\nWhy\n  {}\n\nHow to fix\n  {}\n\nConfigure in aims.toml: [rules] \"{}\" = \"error\" | \"warning\" | \"note\" | \"off\"\n",
                r.id,
                r.severity.as_str(),
                r.summary,
                r.explain,
                r.fix,
                r.id
            ),
        };
        emit(&text, &a.out, Guard::None)?;
        return Ok(EXIT_OK);
    }
    let text = match a.format {
        RulesFormat::Json => envelope(
            "rules",
            json!({"rules": rules::RULES, "load_codes": rules::LOAD_CODES}),
        )?,
        RulesFormat::Markdown => rules_markdown(),
        RulesFormat::Table => {
            let mut t = Table::new(&["Rule", "Default", "What it finds"]);
            for r in rules::RULES {
                t.row(vec![r.id, r.severity.as_str(), r.summary]);
            }
            let mut l = Table::new(&["Load error (exit 2)", "What it means"]);
            for r in rules::LOAD_CODES {
                l.row(vec![r.id, r.summary]);
            }
            format!(
                "{t}\n{l}\n`aims rules ID` explains one rule or load error and how to fix it.\n"
            )
        }
    };
    emit(&text, &a.out, Guard::None)?;
    Ok(EXIT_OK)
}

/// The rules table of the README (between its `rules` markers), made from
/// the registry so that the two never differ (a test in tests/cli.rs).
pub fn rules_markdown() -> String {
    let mut o = String::from("| rule | default | what it finds |\n| --- | --- | --- |\n");
    for r in rules::RULES {
        o.push_str(&format!(
            "| {} | {} | {} |\n",
            code(r.id),
            r.severity.as_str(),
            escape::md_spans(r.summary)
        ));
    }
    o.push_str("\nLoad errors stop the run with exit code 2; they are always errors and\ncannot be configured or waived.\n\n| load error | what it means |\n| --- | --- |\n");
    for r in rules::LOAD_CODES {
        o.push_str(&format!(
            "| {} | {} |\n",
            code(r.id),
            escape::md_spans(r.summary)
        ));
    }
    o
}
