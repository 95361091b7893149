//! `aims classify`'s result: the EU AI Act tier of every system.

use crate::assess::classify::{Carrier, Classification};
use crate::model::{Date, System};
use crate::render::escape;
use crate::render::term::{Table, truncate};
use crate::render::views::{ClassifiedView, ClassifyView};
use crate::render::{Cx, Output, Render};

/// Each system with its classification, as `aims classify` shows them.
pub struct Classified<'a> {
    pub as_of: Date,
    pub regulation: &'a str,
    pub rows: Vec<(&'a System, Classification)>,
}

impl Render for Classified<'_> {
    const COMMAND: &'static str = "classify";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json];
    type Json<'a>
        = ClassifyView<'a>
    where
        Self: 'a;

    fn json(&self) -> ClassifyView<'_> {
        ClassifyView {
            as_of: self.as_of,
            regulation: self.regulation,
            systems: self
                .rows
                .iter()
                .map(|(s, c)| ClassifiedView::new(s, c))
                .collect(),
        }
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        (format == Output::Table).then(|| self.table())
    }
}

impl Classified<'_> {
    /// The systems as a table, then each one's dated obligations.
    fn table(&self) -> String {
        let mut out = format!(
            "EU AI Act classification as of {} ({})\n\n",
            self.as_of, self.regulation
        );
        let mut t = Table::new(&["System", "Role", "Tier", "Basis", "Obligations"]);
        for (s, c) in &self.rows {
            // Counted: the organisation's own duties; another operator's
            // are listed below, not counted.
            let own: Vec<_> = c
                .obligations
                .iter()
                .filter(|o| o.carried_by == Carrier::This)
                .collect();
            let in_force = own.iter().filter(|o| o.in_force).count();
            let later = own.len() - in_force;
            let next = own
                .iter()
                .filter(|o| !o.in_force)
                .map(|o| o.applies_from)
                .min();
            let mut tier = c.tier.as_str().to_string();
            if let Some(d) = s
                .eu_ai_act
                .as_ref()
                .and_then(|e| e.declared_tier)
                .filter(|d| *d != c.tier)
            {
                tier.push_str(&format!(" (declared {d})"));
            }
            if !c.assessed {
                tier = "not assessed".into();
            }
            let obligations = match next {
                Some(d) => format!("{in_force} in force, {later} from {d}"),
                None => format!("{in_force} in force"),
            };
            t.row(vec![
                format!("{}\n{}", s.id, escape::term_line(&s.name)),
                s.role.as_str().to_string(),
                tier,
                c.basis.join("\n"),
                obligations,
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
        for (s, c) in &self.rows {
            if c.obligations.is_empty() {
                continue;
            }
            out.push_str(&format!(
                "\n{} — {} ({})\n",
                escape::term_line(&s.id.0),
                c.tier,
                s.role
            ));
            for o in &c.obligations {
                let when = if o.in_force {
                    "in force  ".to_string()
                } else {
                    format!("{}", o.applies_from)
                };
                let moved = o
                    .original_date
                    .map(|d| format!(" (was {d})"))
                    .unwrap_or_default();
                let head = format!("  {when:<10}  {:<12} {:<10} ", o.article, o.holder());
                // The title takes what is left of a 100-column line.
                let room = 100usize
                    .saturating_sub(head.chars().count() + moved.chars().count())
                    .max(12);
                out.push_str(&format!("{head}{}{moved}\n", truncate(&o.title, room)));
            }
        }
        out.push_str("\n\"provider's\", \"deployer's\": a duty another operator of the system carries.\n\"was\": the date as adopted in 2024, before the Digital Omnibus on AI moved it.\nOverride dates in aims.toml [regulation.dates].\n");
        out
    }
}
