//! One load of an AIMS: settings, catalogue, inventory files, checks.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::MAX_DIAGNOSTICS;
use super::discover::{Target, inventory_files, resolve_target};
use super::merge::read_file;
use super::read::Loader;
use crate::catalog::{Catalog, RawCatalog};
use crate::diag::{Diagnostic, Location, Sources, suggest};
use crate::load::config::{self, Config};
use crate::load::safe::{Refusal, Root};
use crate::load::yaml::{Node, Pos, Value};
use crate::model::*;
use crate::rules::LoadCode;

/// Everything `aims` knows about one AIMS after a successful load.
#[derive(Debug)]
pub struct Project {
    /// The folder of aims.toml (or of the inventory when there is none).
    pub root: PathBuf,
    pub config_path: Option<PathBuf>,
    pub config: Config,
    pub evidence_root: PathBuf,
    /// Inventory files as shown in diagnostics.
    pub files: Vec<String>,
    /// The same files as paths, to open (a name shown is not a path: a
    /// backslash in a Unix name is a character).
    pub paths: Vec<PathBuf>,
    pub catalog: Catalog,
    pub inventory: Inventory,
    pub sources: Sources,
    /// How paths are shown: relative to this folder (the working directory).
    pub base: PathBuf,
}

impl Project {
    /// The name reports use: `[report] title`, else the organisation's name.
    pub fn title(&self) -> String {
        self.config
            .report
            .title
            .clone()
            .or_else(|| self.inventory.organization.as_ref().map(|o| o.name.clone()))
            .unwrap_or_default()
    }
}

/// A load that could not complete: the diagnostics say why (exit 2).
#[derive(Debug)]
pub struct LoadFailure {
    pub diagnostics: Vec<Diagnostic>,
    /// Problems found, including those past the display limit.
    pub total: usize,
    pub sources: Sources,
}

/// Load the AIMS that `target` points at (or the one found from `cwd`).
pub fn load(target: Option<&Path>, cwd: &Path) -> Result<Project, LoadFailure> {
    let mut l = Loader {
        base: cwd.to_path_buf(),
        root: Root::new(cwd),
        diags: Vec::new(),
        suppressed: 0,
        sources: Sources::default(),
        budget: u64::MAX,
        read_total: 0,
        stand_ins: Vec::new(),
        unread: Vec::new(),
        catalog_unread: false,
    };
    let fail = |mut l: Loader| {
        if l.suppressed > 0 {
            l.diags.push(
                Diagnostic::error(
                    LoadCode::TooManyProblems,
                    format!("{} more problems not shown", l.suppressed),
                )
                .help(format!(
                    "fix the {MAX_DIAGNOSTICS} above first; they often share one cause"
                )),
            );
        }
        LoadFailure {
            total: l.diags.len() + l.suppressed - usize::from(l.suppressed > 0),
            diagnostics: l.diags,
            sources: l.sources,
        }
    };

    // 1. What are we looking at?
    let target = match resolve_target(target, cwd) {
        Ok(t) => t,
        Err(d) => {
            l.diags.push(*d);
            return Err(fail(l));
        }
    };
    let (config_path, root) = match &target {
        Target::Config(c) => (
            Some(c.clone()),
            c.parent().map(Path::to_path_buf).unwrap_or_default(),
        ),
        Target::Folder(d) => (None, d.clone()),
        Target::File(f, c) => (
            c.clone(),
            c.as_ref()
                .and_then(|c| c.parent())
                .or_else(|| f.parent())
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        ),
    };

    let root = if root.as_os_str().is_empty() {
        cwd.to_path_buf()
    } else {
        root
    };
    l.root = Root::new(&root);

    // 2. aims.toml.
    let mut config = Config::default();
    let mut config_text = String::new();
    if let Some(cp) = &config_path {
        let Some((name, text)) = l.read_text(cp, "settings file") else {
            return Err(fail(l));
        };
        match config::parse(&text, &name) {
            Ok(c) => config = c,
            Err(d) => {
                l.diags.push(*d);
                l.sources.add(&name, text);
                return Err(fail(l));
            }
        }
        l.sources.add(&name, text.clone());
        config_text = text;
    }
    // The budget counts what is read after aims.toml: inventory files and overlays.
    l.budget = config
        .limits
        .inventory_mb
        .unwrap_or(super::budget::DEFAULT_INVENTORY_MB)
        .saturating_mul(1024 * 1024);
    let config_name = config_path.as_ref().map(|p| l.show(p));
    // toml keeps no spans after parsing; find a key's line in the text.
    let config_loc = |key: &str| {
        config_name
            .as_ref()
            .map(|n| Location::new(n, config::key_pos(&config_text, key)))
    };

    let evidence_root = match &config.evidence_root {
        Some(r) => root.join(r),
        None => root.clone(),
    };
    // The evidence root is contained like every other path: `/etc`, `..` or
    // a symlink out would let a citation pack files from anywhere.
    if let Some(r) = &config.evidence_root {
        let rp = Path::new(r);
        if rp.is_absolute()
            || crate::load::safe::normalise(rp).is_none()
            || matches!(l.root.resolve(rp), Err(Refusal::Outside))
        {
            l.err(
                LoadCode::OutsideRoot,
                format!(
                    "evidence_root `{r}` leads outside the repository root (`{}`)",
                    l.show(&root)
                ),
                config_loc("evidence_root"),
                Some("evidence lives beside aims.toml or below it; use a relative path such as `evidence`".into()),
            );
        }
    }

    // 3. Which inventory files?
    let files: Vec<PathBuf> = match &target {
        Target::File(f, _) => vec![f.clone()],
        _ => inventory_files(&mut l, &root, &config, config_loc("inventory")),
    };
    if files.is_empty() && l.diags.is_empty() {
        l.err(
            LoadCode::NoInventory,
            format!("no inventory found in `{}`", l.show(&root)),
            None,
            Some("create aims.yaml (or run `aims init`), or set `inventory` in aims.toml".into()),
        );
    }

    // 4. The catalogue, with overlays and date overrides.
    let mut catalog = Catalog::embedded().clone();
    for extra in &config.catalog.extra {
        if Path::new(extra).is_absolute() || extra.split(['/', '\\']).any(|c| c == "..") {
            l.err(
                LoadCode::Config,
                format!("catalogue overlay `{extra}` leaves the folder of aims.toml"),
                config_loc("extra"),
                None,
            );
            continue;
        }
        let path = root.join(extra);
        let before = l.diags.len();
        let read = l.read_yaml(&path, "catalogue overlay");
        // An overlay that is not there has no line to show: point at the
        // `extra` entry of aims.toml that names it instead.
        if read.is_none() && std::fs::symlink_metadata(&path).is_err() {
            for d in &mut l.diags[before..] {
                d.location = config_loc("extra");
            }
        }
        let raw = read.and_then(|(file, node)| {
            let raw = l.typed::<RawCatalog>(&file, &node, "the catalogue overlay");
            raw.map(|r| (file, node, r))
        });
        l.catalog_unread |= raw.is_none();
        if let Some((file, node, raw)) = raw {
            let errors = catalog.overlay(raw, &file);
            let entries = if errors.is_empty() {
                HashMap::new()
            } else {
                overlay_entries(&node)
            };
            for e in errors {
                let pos = e
                    .entry
                    .as_ref()
                    .and_then(|entry| {
                        let key = match entry {
                            crate::catalog::OverlayEntry::Group(id) => {
                                ("groups", id.trim().to_string())
                            }
                            crate::catalog::OverlayEntry::Control(id) => {
                                ("controls", id.trim().to_string())
                            }
                        };
                        entries.get(&key).copied()
                    })
                    .unwrap_or(node.pos);
                l.err(
                    LoadCode::Catalog,
                    e.to_string(),
                    Some(Location::new(&file, pos)),
                    None,
                );
            }
        }
    }
    let date_overrides: BTreeMap<String, Date> = config
        .regulation
        .dates
        .iter()
        .map(|(k, v)| (k.clone(), v.0))
        .collect();
    if let Err(e) = catalog.override_dates(&date_overrides) {
        l.err(LoadCode::Config, e.to_string(), config_loc("dates"), None);
    }

    // 5. Read every file, then merge.
    let mut parts = Vec::new();
    let mut paths = Vec::new();
    for f in &files {
        // Every file is named exactly, in messages and in the pack: a name
        // that is not UTF-8 is refused by name (the same for every command).
        let rel = f
            .strip_prefix(&root)
            .ok()
            .or_else(|| f.file_name().map(Path::new))
            .unwrap_or(f);
        if rel.to_str().is_none() {
            let name = l.show(f);
            l.err(
                LoadCode::FileName,
                format!(
                    "inventory file `{name}` was not read: {}",
                    crate::assess::evidence::not_utf8_reason(rel)
                ),
                Some(Location::new(&name, Pos::default())),
                Some(
                    "rename the file (for example `mv` it to a UTF-8 name), or move it out of what `inventory` in aims.toml matches".into(),
                ),
            );
            l.unread.push(name);
            continue;
        }
        if let Some((name, node)) = l.read_yaml(f, "inventory file") {
            parts.push((name, node));
            paths.push(f.clone());
        } else {
            let name = l.show(f);
            l.unread.push(name);
        }
    }
    let mut inventory = Inventory::default();
    let mut version: Option<(Arc<str>, Pos)> = None;
    let mut org_at: Option<Location> = None;
    for (file, node) in &mut parts {
        // The tree is moved into the model item by item, never copied.
        read_file(
            &mut l,
            file,
            std::mem::take(node),
            &mut inventory,
            &mut version,
            &mut org_at,
            &catalog,
        );
    }
    if !parts.is_empty() && l.diags.is_empty() {
        if version.is_none() {
            let first = &parts[0].0;
            l.err(
                LoadCode::Invalid,
                "the inventory has no `version`",
                Some(Location::new(first, Pos { line: 1, col: 1 })),
                Some("add `version: 1` at the top of the inventory".into()),
            );
        }
        if inventory.organization.is_none() {
            let first = &parts[0].0;
            l.err(
                LoadCode::Invalid,
                "the inventory has no `organization`",
                Some(Location::new(first, Pos { line: 1, col: 1 })),
                Some("add `organization:` with at least `name:`".into()),
            );
        }
    }

    // 6. Ids and references.
    let mut found = Vec::new();
    super::validate::validate(
        &inventory,
        &catalog,
        super::validate::Unread {
            stand_ins: &l.stand_ins,
            files: !l.unread.is_empty(),
            catalog: l.catalog_unread,
        },
        &mut found,
    );
    for d in found {
        if l.diags.len() < MAX_DIAGNOSTICS {
            l.diags.push(d);
        } else {
            l.suppressed += 1;
        }
    }

    // Rule names used in aims.toml and waivers must exist.
    let rule_ids: Vec<&str> = crate::rules::RULES.iter().map(|r| r.id).collect();
    for key in config.rules.keys() {
        if !rule_ids.contains(&key.as_str()) {
            let help = suggest(key, rule_ids.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "run `aims rules` for the list".into());
            l.err(
                LoadCode::Config,
                format!("unknown rule `{key}` in [rules]"),
                config_loc(key),
                Some(help),
            );
        }
    }
    for key in config.freshness.keys() {
        if catalog.get(key).is_none() && !rule_ids.contains(&key.as_str()) && !l.catalog_unread {
            let help = suggest(key, catalog.ids().chain(rule_ids.iter().copied()))
                .map(|s| format!("did you mean `{s}`?"));
            l.err(
                LoadCode::Config,
                format!("[freshness] names `{key}`, which is neither a control nor a rule"),
                config_loc(key),
                help,
            );
        }
    }
    if let Some(deny) = &config.gate.deny {
        for d in deny {
            if !matches!(d.as_str(), "error" | "warning" | "note")
                && !rule_ids.contains(&d.as_str())
            {
                let help = suggest(
                    d,
                    rule_ids.iter().copied().chain(["error", "warning", "note"]),
                )
                .map(|s| format!("did you mean `{s}`?"));
                l.err(
                    LoadCode::Config,
                    format!("[gate] deny names `{d}`, which is neither a severity nor a rule"),
                    config_loc("deny"),
                    help,
                );
            }
        }
    }

    if !l.diags.is_empty() {
        l.diags
            .sort_by(|a, b| a.location.cmp(&b.location).then(a.message.cmp(&b.message)));
        l.diags.dedup();
        return Err(fail(l));
    }
    let files = parts.iter().map(|(f, _)| f.to_string()).collect();
    Ok(Project {
        root,
        config_path,
        config,
        evidence_root,
        files,
        paths,
        catalog,
        inventory,
        sources: l.sources,
        base: l.base,
    })
}

/// Where each group and control of an overlay file is written, by section
/// and id (the first of each id): one pass, however many entries have errors.
fn overlay_entries(node: &Node) -> HashMap<(&'static str, String), Pos> {
    let mut out = HashMap::new();
    for section in ["controls", "groups"] {
        if let Some(Node {
            value: Value::Seq(items),
            ..
        }) = node.get(section)
        {
            for item in items {
                if let Some(id) = item.get("id").and_then(Node::key_text) {
                    out.entry((section, id.trim().to_string()))
                        .or_insert(item.pos);
                }
            }
        }
    }
    out
}
