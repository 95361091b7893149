//! Finding the AIMS: what the command line points at, and which inventory
//! files aims.toml (or the defaults) name.

use std::fs;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use super::read::{Loader, io_reason};
use crate::diag::{Diagnostic, Location, display_path};
use crate::load::config::{self, CONFIG_FILE, Config};
use crate::rules::LoadCode;

/// How a run was pointed at an AIMS.
pub(super) enum Target {
    /// A folder or aims.toml: use its config.
    Config(PathBuf),
    /// A folder without aims.toml, holding aims.yaml (or aims/).
    Folder(PathBuf),
    /// One inventory file, with the nearest aims.toml above it if any.
    File(PathBuf, Option<PathBuf>),
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

pub(super) fn resolve_target(target: Option<&Path>, cwd: &Path) -> Result<Target, Box<Diagnostic>> {
    match target {
        Some(p) => {
            let p = if p.is_absolute() {
                p.to_path_buf()
            } else {
                cwd.join(p)
            };
            let meta = fs::metadata(&p).map_err(|e| {
                Box::new(
                    Diagnostic::error(
                        LoadCode::Io,
                        format!("cannot open `{}`: {}", display_path(&p, cwd), io_reason(&e)),
                    )
                    .help("give an inventory file, or a folder holding aims.toml or aims.yaml"),
                )
            })?;
            if meta.is_dir() {
                let cfg = p.join(CONFIG_FILE);
                // Whatever is there (a folder, a FIFO, a symlink out) is
                // named by the reader, not taken for "no inventory".
                if cfg.symlink_metadata().is_ok() {
                    Ok(Target::Config(cfg))
                } else if p.join("aims.yaml").symlink_metadata().is_ok() || p.join("aims").is_dir()
                {
                    Ok(Target::Folder(p))
                } else {
                    Err(Box::new(
                        Diagnostic::error(
                            LoadCode::NoInventory,
                            format!(
                                "`{}` holds neither aims.toml nor aims.yaml",
                                display_path(&p, cwd)
                            ),
                        )
                        .help("run `aims init` there to start an inventory"),
                    ))
                }
            } else if p.file_name().is_some_and(|n| n == CONFIG_FILE) {
                Ok(Target::Config(p))
            } else {
                let parent = p.parent().unwrap_or(cwd).to_path_buf();
                Ok(Target::File(p, config::find_upwards(&parent)))
            }
        }
        None => {
            if let Some(c) = config::find_upwards(cwd) {
                Ok(Target::Config(c))
            } else if cwd.join("aims.yaml").symlink_metadata().is_ok() || cwd.join("aims").is_dir()
            {
                Ok(Target::Folder(cwd.to_path_buf()))
            } else {
                Err(Box::new(
                    Diagnostic::error(
                        LoadCode::NoInventory,
                        "no aims.toml in this folder or any folder above it, and no aims.yaml here",
                    )
                    .help("run `aims init` to start an inventory, or pass the path of one"),
                ))
            }
        }
    }
}

/// The inventory files named by aims.toml, or the defaults.
pub(super) fn inventory_files(
    l: &mut Loader,
    root: &Path,
    config: &Config,
    loc: Option<Location>,
) -> Vec<PathBuf> {
    let patterns: Vec<String> = match &config.inventory {
        Some(list) => list.to_vec(),
        None if root.join("aims.yaml").symlink_metadata().is_ok() => vec!["aims.yaml".into()],
        None if root.join("aims").is_dir() => vec!["aims/*.yaml".into(), "aims/*.yml".into()],
        None => vec!["aims.yaml".into()],
    };
    let explicit = config.inventory.is_some();
    let mut out = Vec::new();
    for pat in patterns {
        let loc = loc.clone();
        if Path::new(&pat).is_absolute() || pat.split(['/', '\\']).any(|c| c == "..") {
            l.err(
                LoadCode::Config,
                format!("inventory path `{pat}` leaves the folder of aims.toml"),
                loc,
                Some("inventory files live beside aims.toml or below it".into()),
            );
            continue;
        }
        if !has_glob_chars(&pat) {
            out.push(root.join(&pat));
            continue;
        }
        // `*` stays within one folder: `aims/*.yaml` does not reach `aims/extra/`.
        let matcher: GlobMatcher = match GlobBuilder::new(&pat).literal_separator(true).build() {
            Ok(g) => g.compile_matcher(),
            Err(e) => {
                l.err(
                    LoadCode::Config,
                    format!("invalid glob `{pat}` in `inventory`: {e}"),
                    loc,
                    None,
                );
                continue;
            }
        };
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(root)
            .follow_links(false)
            .max_depth(16)
            .into_iter()
            .filter_map(Result::ok)
            // Symlinks too: the reader refuses one that leads out, by name,
            // instead of skipping it without a word.
            .filter(|e| e.file_type().is_file() || e.file_type().is_symlink())
            .filter(|e| {
                e.path()
                    .strip_prefix(root)
                    .is_ok_and(|rel| matcher.is_match(rel))
            })
            .map(|e| e.into_path())
            .collect();
        found.sort();
        if found.is_empty() && explicit {
            l.err(
                LoadCode::NoInventory,
                format!("`inventory` pattern `{pat}` matches no file"),
                loc,
                None,
            );
        }
        out.extend(found);
    }
    out.dedup();
    out
}
