//! `aims rules`'s results: the rule and load-code registry, and one rule
//! or load error explained.

use crate::render::escape::{self, md_code};
use crate::render::term::Table;
use crate::render::views::{RuleView, RulesView};
use crate::render::{Cx, Output, Render};
use crate::rules::{self, Rule};

/// Every rule and load code.
pub struct Registry;

impl Render for Registry {
    const COMMAND: &'static str = "rules";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json, Output::Markdown];
    type Json<'a> = RulesView<'static>;

    fn json(&self) -> RulesView<'static> {
        RulesView {
            rules: rules::RULES,
            load_codes: rules::LOAD_CODES,
        }
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        match format {
            Output::Markdown => Some(rules_markdown()),
            Output::Table => {
                let mut t = Table::new(&["Rule", "Default", "What it finds"]);
                for r in rules::RULES {
                    t.row(vec![r.id, r.severity.as_str(), r.summary]);
                }
                let mut l = Table::new(&["Load error (exit 2)", "What it means"]);
                for r in rules::LOAD_CODES {
                    l.row(vec![r.id, r.summary]);
                }
                Some(format!(
                    "{t}\n{l}\n`aims rules ID` explains one rule or load error and how to fix it.\n"
                ))
            }
            _ => None,
        }
    }
}

/// One rule or load code, explained.
pub struct Explained(pub &'static Rule);

impl Render for Explained {
    const COMMAND: &'static str = "rules";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json, Output::Markdown];
    type Json<'a> = RuleView<'static>;

    fn json(&self) -> RuleView<'static> {
        RuleView { rules: [self.0] }
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        let r = self.0;
        Some(match format {
            Output::Markdown => format!(
                "### {}\n\n{} (default: {})\n\n**Why.** {}\n\n**How to fix.** {}\n",
                md_code(r.id),
                escape::md(r.summary),
                r.severity.as_str(),
                escape::md_spans(r.explain),
                escape::md_spans(r.fix)
            ),
            Output::Table if rules::rule(r.id).is_none() => format!(
                "{} (a load error: exit 2)\n  {}\n\nWhy\n  {}\n\nHow to fix\n  {}\n\nLoad errors are always errors; they cannot be configured or waived.\n",
                r.id, r.summary, r.explain, r.fix
            ),
            Output::Table => format!(
                "{} ({} by default)\n  {}\n\nWhy\n  {}\n\nHow to fix\n  {}\n\nConfigure in aims.toml: [rules] \"{}\" = \"error\" | \"warning\" | \"note\" | \"off\"\n",
                r.id,
                r.severity.as_str(),
                r.summary,
                r.explain,
                r.fix,
                r.id
            ),
            _ => return None,
        })
    }
}

/// The rules table of the README (between its `rules` markers), made from
/// the registry so that the two never differ (a test in tests/cli.rs).
pub fn rules_markdown() -> String {
    let mut o = String::from("| rule | default | what it finds |\n| --- | --- | --- |\n");
    for r in rules::RULES {
        o.push_str(&format!(
            "| {} | {} | {} |\n",
            md_code(r.id),
            r.severity.as_str(),
            escape::md_spans(r.summary)
        ));
    }
    o.push_str("\nLoad errors stop the run with exit code 2; they are always errors and\ncannot be configured or waived.\n\n| load error | what it means |\n| --- | --- |\n");
    for r in rules::LOAD_CODES {
        o.push_str(&format!(
            "| {} | {} |\n",
            md_code(r.id),
            escape::md_spans(r.summary)
        ));
    }
    o
}
