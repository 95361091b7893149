//! `aims controls`'s results: the catalogue, and one control in full.

use crate::catalog::{Catalog, Control, Kind, Stage};
use crate::render::escape;
use crate::render::term::{Table, plural};
use crate::render::views::{CatalogView, ControlView, EditionView};
use crate::render::{Cx, Output, Render};

/// Every clause and control of the catalogue, overlays included.
pub struct Catalogue<'a>(pub &'a Catalog);

impl Render for Catalogue<'_> {
    const COMMAND: &'static str = "controls";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json];
    type Json<'a>
        = CatalogView<'a>
    where
        Self: 'a;

    fn json(&self) -> CatalogView<'_> {
        CatalogView {
            catalog: EditionView {
                standard: &self.0.standard,
                version: &self.0.version,
            },
            groups: &self.0.groups,
            controls: &self.0.controls,
        }
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        (format == Output::Table).then(|| self.table())
    }
}

impl Catalogue<'_> {
    fn table(&self) -> String {
        let mut t = Table::new(&["ID", "Title", "Group", "Judged for", "Roles"]);
        for c in &self.0.controls {
            let roles: Vec<&str> = c.roles.iter().map(|r| r.as_str()).collect();
            t.row(vec![
                c.id.clone(),
                c.title.clone(),
                c.group.clone(),
                c.applies_to.as_str().to_string(),
                roles.join(", "),
            ]);
        }
        let clauses = self
            .0
            .controls
            .iter()
            .filter(|c| c.kind == Kind::Clause)
            .count();
        let annex = self
            .0
            .controls
            .iter()
            .filter(|c| c.kind == Kind::AnnexA)
            .count();
        let custom = self.0.controls.len() - clauses - annex;
        format!(
            "{t}\n{} {}: {clauses} clauses, {annex} Annex A controls{}. `aims controls ID` shows one in full.\n",
            self.0.standard,
            self.0.version,
            if custom > 0 {
                format!(", {custom} custom")
            } else {
                String::new()
            }
        )
    }
}

/// One control of a catalogue, in full.
pub struct ControlDetail<'a> {
    pub catalog: &'a Catalog,
    pub control: &'a Control,
}

impl Render for ControlDetail<'_> {
    const COMMAND: &'static str = "controls";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json];
    type Json<'a>
        = ControlView<'a>
    where
        Self: 'a;

    fn json(&self) -> ControlView<'_> {
        ControlView {
            controls: [self.control],
        }
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        (format == Output::Table).then(|| describe_control(self.catalog, self.control))
    }
}

/// `aims controls ID`: every catalogue field, user text escaped (an
/// overlay can set the title, subgroup, wording and evidence of a control).
pub fn describe_control(catalog: &Catalog, c: &Control) -> String {
    let line = |x: &str| escape::term_line(x).into_owned();
    let group = catalog
        .group(&c.group)
        .map(|g| format!("{} {}", g.id, g.title))
        .unwrap_or_else(|| c.group.clone());
    let mut s = format!("{} {}\n", line(&c.id), line(&c.title));
    s.push_str(&format!("  group:       {}\n", line(&group)));
    if let Some(sg) = &c.subgroup {
        s.push_str(&format!("  subgroup:    {}\n", line(sg)));
    }
    s.push_str(&format!("  kind:        {}\n", c.kind.as_str()));
    let roles: Vec<String> = c
        .roles
        .iter()
        .map(|r| format!("{r:?}").to_lowercase())
        .collect();
    s.push_str(&format!(
        "  judged for:  {}{}\n",
        c.applies_to.as_str(),
        if roles.is_empty() {
            String::new()
        } else {
            format!(" (system roles: {})", roles.join(", "))
        }
    ));
    if !c.lifecycle.is_empty() {
        let l: Vec<&str> = c.lifecycle.iter().map(|l| l.as_str()).collect();
        s.push_str(&format!("  life cycle:  {}\n", l.join(", ")));
    }
    s.push_str(&format!(
        "  stage:       {}\n",
        if c.stage == Stage::Documentation {
            "documentation (Stage 1)"
        } else {
            "operation (Stage 2)"
        }
    ));
    s.push_str(&format!(
        "  freshness:   evidence older than {} is stale\n",
        c.freshness
    ));
    s.push_str(&format!(
        "  effort:      about {} week{}\n",
        c.effort_weeks,
        plural(c.effort_weeks as usize)
    ));
    s.push_str(&format!("\nWhat it asks\n  {}\n", escape::term(&c.asks)));
    if let Some(t) = &c.text {
        s.push_str(&format!(
            "\nYour licensed text ({})\n  {}\n",
            line(&c.source),
            escape::term(t)
        ));
    }
    s.push_str("\nEvidence an auditor looks for\n");
    for e in &c.evidence {
        s.push_str(&format!("  - {}\n", line(e)));
    }
    s
}
