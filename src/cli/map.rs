//! `aims map`: crosswalks to other frameworks.

use super::*;

pub(super) fn map_cmd(a: MapArgs) -> Result<u8, Failure> {
    let as_of = output::as_of(a.common.as_of.as_deref())?;
    let cw = crate::catalog::crosswalk::get(a.to.key())
        .ok_or_else(|| RunError::Usage(format!("no crosswalk `{}`", a.to.key())))?;
    // With an inventory (given, or found from here), items carry levels; without one, the bare crosswalk.
    let project = match &a.common.path {
        Some(p) => Some(load(
            Some(p),
            (a.format == TableFormat::Json).then_some("map"),
        )?),
        None => load::load(None, &cwd()?).ok(),
    };
    let gap = project.as_ref().map(|p| assess::gap(p, as_of));
    let items = crate::catalog::crosswalk::map(cw, gap.as_ref());
    let text = match a.format {
        TableFormat::Json => {
            let view = MapView {
                target: &cw.target,
                title: &cw.title,
                sources: &cw.sources,
                with_inventory: gap.is_some(),
                items: &items,
            };
            emit_json(
                "map",
                view,
                &a.common.out,
                project.as_ref().map_or(Guard::None, Guard::Project),
            )?;
            return Ok(EXIT_OK);
        }
        TableFormat::Markdown => {
            let mut o = format!("# ISO/IEC 42001 → {}\n\n", md(&cw.title));
            if let Some(p) = &project {
                o.push_str(&format!(
                    "Levels for {} as of {as_of}: the lowest of the controls behind each item.\n\n",
                    md(&p.title())
                ));
            }
            o.push_str("| Item | Title | Level | ISO/IEC 42001 controls (relationship, source) |\n| --- | --- | --- | --- |\n");
            for it in &items {
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
            for s in &cw.sources {
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
        TableFormat::Table => {
            let mut header = vec!["Item", "Title", "ISO/IEC 42001 controls"];
            if gap.is_some() {
                header.insert(2, "Level");
            }
            let mut t = Table::new(&header);
            for it in &items {
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
                if gap.is_some() {
                    row.insert(2, it.level.map_or("—", |l| l.as_str()).to_string());
                }
                t.row(row);
            }
            let mapped = items.iter().filter(|i| !i.controls.is_empty()).count();
            format!(
                "ISO/IEC 42001 → {}\n{t}\n{mapped} of {} items have ISO/IEC 42001 controls behind them. Sources and relationships: --format json.\n",
                cw.title,
                items.len()
            )
        }
    };
    if a.format == TableFormat::Table {
        emit_human(
            &text,
            &a.common.out,
            false,
            project.as_ref().map_or(Guard::None, Guard::Project),
        )?;
    } else {
        emit(
            &text,
            &a.common.out,
            project.as_ref().map_or(Guard::None, Guard::Project),
        )?;
    }
    Ok(EXIT_OK)
}
