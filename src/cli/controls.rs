//! `aims controls`: the catalogue.

use super::*;

/// The embedded catalogue with the overlays of the AIMS found at `path`
/// (or from the current folder). No AIMS is fine; a broken overlay is not.
pub(super) fn catalog_for(path: Option<&Path>) -> Result<Catalog, Failure> {
    let cwd = cwd()?;
    let config_path = match path {
        Some(p) => {
            let p = cwd.join(p);
            if p.is_dir() {
                Some(p.join(crate::load::config::CONFIG_FILE)).filter(|c| c.is_file())
            } else {
                Some(p)
            }
        }
        None => crate::load::config::find_upwards(&cwd),
    };
    let Some(cp) = config_path else {
        return Ok(Catalog::embedded().clone());
    };
    // Reuse the full loader so overlay errors read the same everywhere.
    match load::load(Some(&cp), &cwd) {
        Ok(p) => Ok(p.catalog),
        Err(f) => Err(Failure::Load(f, None)),
    }
}

pub(super) fn controls(a: ControlsArgs) -> Result<u8, Failure> {
    let catalog = catalog_for(a.path.as_deref())?;
    if let Some(id) = &a.id {
        let Some(c) = catalog.get(id) else {
            let hint = diag::suggest(id, catalog.ids())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(RunError::Usage(format!(
                "`{id}` is not in the catalogue{hint}; `aims controls` lists them all"
            ))
            .into());
        };
        let text = match a.format {
            ListFormat::Json => {
                let view = ControlView { controls: [c] };
                emit_json("controls", view, &a.out, Guard::None)?;
                return Ok(EXIT_OK);
            }
            ListFormat::Table => describe_control(&catalog, c),
        };
        if a.format == ListFormat::Table {
            emit_human(&text, &a.out, false, Guard::None)?;
        } else {
            emit(&text, &a.out, Guard::None)?;
        }
        return Ok(EXIT_OK);
    }
    let text = match a.format {
        ListFormat::Json => {
            let view = CatalogView {
                catalog: EditionView {
                    standard: &catalog.standard,
                    version: &catalog.version,
                },
                groups: &catalog.groups,
                controls: &catalog.controls,
            };
            emit_json("controls", view, &a.out, Guard::None)?;
            return Ok(EXIT_OK);
        }
        ListFormat::Table => {
            let mut t = Table::new(&["ID", "Title", "Group", "Judged for", "Roles"]);
            for c in &catalog.controls {
                let roles: Vec<&str> = c
                    .roles
                    .iter()
                    .map(|r| match r {
                        crate::catalog::CatalogRole::Provider => "provider",
                        crate::catalog::CatalogRole::Deployer => "deployer",
                    })
                    .collect();
                t.row(vec![
                    c.id.clone(),
                    c.title.clone(),
                    c.group.clone(),
                    c.applies_to.as_str().to_string(),
                    roles.join(", "),
                ]);
            }
            let clauses = catalog
                .controls
                .iter()
                .filter(|c| c.kind == crate::catalog::Kind::Clause)
                .count();
            let annex = catalog
                .controls
                .iter()
                .filter(|c| c.kind == crate::catalog::Kind::AnnexA)
                .count();
            let custom = catalog.controls.len() - clauses - annex;
            format!(
                "{t}\n{} {}: {clauses} clauses, {annex} Annex A controls{}. `aims controls ID` shows one in full.\n",
                catalog.standard,
                catalog.version,
                if custom > 0 {
                    format!(", {custom} custom")
                } else {
                    String::new()
                }
            )
        }
    };
    if a.format == ListFormat::Table {
        emit_human(&text, &a.out, false, Guard::None)?;
    } else {
        emit(&text, &a.out, Guard::None)?;
    }
    Ok(EXIT_OK)
}

/// `aims controls ID`: every catalogue field, user text escaped (an
/// overlay can set the title, subgroup, wording and evidence of a control).
pub(super) fn describe_control(catalog: &Catalog, c: &Control) -> String {
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
        if c.stage == crate::catalog::Stage::Documentation {
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
