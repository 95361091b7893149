//! `aims map`'s result: a crosswalk from ISO/IEC 42001 to another
//! framework, with levels when there is an inventory.

use crate::catalog::crosswalk::{Crosswalk, MappedItem};
use crate::model::Date;
use crate::render::escape::md;
use crate::render::term::Table;
use crate::render::views::MapView;
use crate::render::{Cx, Output, Render};

/// A crosswalk's items, mapped.
pub struct Mapped<'a> {
    pub crosswalk: &'a Crosswalk,
    pub items: &'a [MappedItem],
    /// With an inventory: its title and the day its levels are as of.
    pub levels: Option<(String, Date)>,
}

impl Render for Mapped<'_> {
    const COMMAND: &'static str = "map";
    const FORMATS: &'static [Output] = &[Output::Table, Output::Json, Output::Markdown];
    type Json<'a>
        = MapView<'a>
    where
        Self: 'a;

    fn json(&self) -> MapView<'_> {
        MapView {
            target: &self.crosswalk.target,
            title: &self.crosswalk.title,
            sources: &self.crosswalk.sources,
            with_inventory: self.levels.is_some(),
            items: self.items,
        }
    }

    fn text(&self, format: Output, _: &Cx) -> Option<String> {
        match format {
            Output::Table => Some(self.table()),
            Output::Markdown => Some(self.markdown()),
            _ => None,
        }
    }
}

impl Mapped<'_> {
    fn markdown(&self) -> String {
        let mut o = format!("# ISO/IEC 42001 → {}\n\n", md(&self.crosswalk.title));
        if let Some((title, as_of)) = &self.levels {
            o.push_str(&format!(
                "Levels for {} as of {as_of}: the lowest of the controls behind each item.\n\n",
                md(title)
            ));
        }
        o.push_str("| Item | Title | Level | ISO/IEC 42001 controls (relationship, source) |\n| --- | --- | --- | --- |\n");
        for it in self.items {
            let controls: Vec<String> = it
                .controls
                .iter()
                .map(|c| {
                    format!("{} ({:?}, {})", c.id, c.relationship, c.source)
                        .to_lowercase()
                        .replace(&c.id.to_lowercase(), &c.id)
                })
                .collect();
            o.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                it.id,
                md(&it.title),
                it.level.map_or("—", |l| l.as_str()),
                if controls.is_empty() {
                    "—".to_string()
                } else {
                    controls.join(", ")
                }
            ));
        }
        o.push_str("\nSources:\n");
        for s in &self.crosswalk.sources {
            o.push_str(&format!(
                "- `{}`: {}{}\n",
                s.id,
                md(&s.title),
                s.url
                    .as_ref()
                    .map(|u| format!(" <{u}>"))
                    .unwrap_or_default()
            ));
        }
        o
    }

    fn table(&self) -> String {
        let mut header = vec!["Item", "Title", "ISO/IEC 42001 controls"];
        if self.levels.is_some() {
            header.insert(2, "Level");
        }
        let mut t = Table::new(&header);
        for it in self.items {
            let controls: Vec<String> = it
                .controls
                .iter()
                .map(|c| match c.level {
                    Some(l) => format!("{} {}", c.id, l.as_str()),
                    None => c.id.clone(),
                })
                .collect();
            let mut row = vec![
                it.id.clone(),
                it.title.clone(),
                if controls.is_empty() {
                    "—".into()
                } else {
                    controls.join(", ")
                },
            ];
            if self.levels.is_some() {
                row.insert(2, it.level.map_or("—", |l| l.as_str()).to_string());
            }
            t.row(row);
        }
        let mapped = self.items.iter().filter(|i| !i.controls.is_empty()).count();
        format!(
            "ISO/IEC 42001 → {}\n{t}\n{mapped} of {} items have ISO/IEC 42001 controls behind them. Sources and relationships: --format json.\n",
            self.crosswalk.title,
            self.items.len()
        )
    }
}
