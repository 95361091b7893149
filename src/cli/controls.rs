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
    let format = a.format.into();
    let cx = Cx::default();
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
        let detail = ControlDetail {
            catalog: &catalog,
            control: c,
        };
        render(&detail, format, &cx, &a.out, Guard::None)?;
        return Ok(EXIT_OK);
    }
    render(&Catalogue(&catalog), format, &cx, &a.out, Guard::None)?;
    Ok(EXIT_OK)
}
