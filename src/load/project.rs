//! Discovery, reading and merging of inventory files.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;

use super::MAX_FILE_BYTES;
use crate::catalog::{Catalog, RawCatalog};
use crate::diag::{Diagnostic, Location, Sources, display_path, suggest};
use crate::load::config::{self, CONFIG_FILE, Config};
use crate::load::safe::{Refusal, Root};
use crate::load::yaml::{self, Node, Pos, Value};
use crate::model::*;

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

/// Past this many problems, the rest are counted, not listed: a file with
/// 40,000 broken items needs one fix, not 40,000 messages.
pub(super) const MAX_DIAGNOSTICS: usize = 200;

struct Loader {
    base: PathBuf,
    /// Every file read must be under this folder (the repository root).
    root: Root,
    diags: Vec<Diagnostic>,
    suppressed: usize,
    sources: Sources,
}

impl Loader {
    fn show(&self, p: &Path) -> String {
        display_path(p, &self.base)
    }

    fn err(
        &mut self,
        code: &str,
        msg: impl Into<String>,
        loc: Option<Location>,
        help: Option<String>,
    ) {
        if self.diags.len() < MAX_DIAGNOSTICS {
            self.diags
                .push(Diagnostic::error(code, msg).at(loc).help_opt(help));
        } else {
            self.suppressed += 1;
        }
    }

    /// Past the diagnostics limit, problems are only counted: checks that
    /// find many skip the work of a suggestion nobody will read.
    fn full(&self) -> bool {
        self.diags.len() >= MAX_DIAGNOSTICS
    }

    /// Read a user file with every guard: regular file, size cap, UTF-8.
    /// Returns the text without a BOM. CRLF is left to the YAML parser.
    fn read_text(&mut self, path: &Path, what: &str) -> Option<(String, String)> {
        let name = self.show(path);
        // Every file goes through the one safe reader: nothing outside the
        // repository root is opened, whatever symlinks say.
        let opened = match self.root.open(path) {
            Ok(o) => o,
            Err(Refusal::Outside) => {
                self.err(
                    "load/outside-root",
                    format!(
                        "{what} `{name}` leads outside the repository root (`{}`); it was not read",
                        self.show(self.root.path())
                    ),
                    Some(Location::new(&name, Pos::default())),
                    Some(
                        "keep every file aims reads inside the folder of aims.toml; replace the symlink with the file itself".into(),
                    ),
                );
                return None;
            }
            Err(Refusal::NotAFile("a folder")) => {
                self.err(
                    "load/io",
                    format!("{what} `{name}` is a folder, not a file"),
                    Some(Location::new(&name, Pos::default())),
                    Some("name a YAML file, or a glob such as `aims/*.yaml`".into()),
                );
                return None;
            }
            Err(r) => {
                let help = match r {
                    Refusal::Missing => {
                        Some("check the path; it is relative to the folder of aims.toml".into())
                    }
                    _ => None,
                };
                self.err(
                    "load/io",
                    format!("cannot read {what} `{name}`: {r}"),
                    Some(Location::new(&name, Pos::default())),
                    help,
                );
                return None;
            }
        };
        if opened.len > MAX_FILE_BYTES {
            self.err(
                "load/too-large",
                format!(
                    "{what} `{name}` is {} MiB; the limit is {} MiB",
                    opened.len / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
                Some(Location::new(&name, Pos::default())),
                Some(
                    "split the inventory into several files (see `inventory` in aims.toml)".into(),
                ),
            );
            return None;
        }
        let mut bytes = Vec::new();
        let read = opened.file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes);
        if let Err(e) = read {
            self.err(
                "load/io",
                format!("cannot read {what} `{name}`: {}", io_reason(&e)),
                Some(Location::new(&name, Pos::default())),
                None,
            );
            return None;
        }
        if bytes.len() as u64 > MAX_FILE_BYTES {
            self.err(
                "load/too-large",
                format!(
                    "{what} `{name}` is larger than {} MiB",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
                Some(Location::new(&name, Pos::default())),
                None,
            );
            return None;
        }
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            self.err(
                "load/encoding",
                format!("{what} `{name}` is UTF-16"),
                Some(Location::new(&name, Pos { line: 1, col: 1 })),
                Some("save the file as UTF-8".into()),
            );
            return None;
        }
        let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
        match std::str::from_utf8(body) {
            Ok(t) => Some((name, t.to_string())),
            Err(e) => {
                let valid = &body[..e.valid_up_to()];
                let prefix = String::from_utf8_lossy(valid);
                let pos = config::offset_to_pos(&prefix, prefix.len());
                self.err(
                    "load/encoding",
                    format!(
                        "{what} `{name}` is not valid UTF-8 (byte 0x{:02X} at offset {})",
                        body[e.valid_up_to()],
                        e.valid_up_to()
                    ),
                    Some(Location::new(&name, pos)),
                    Some("save the file as UTF-8".into()),
                );
                self.sources.add(&name, prefix.into_owned());
                None
            }
        }
    }

    /// Read and parse one YAML file into a node tree, reporting duplicate keys.
    fn read_yaml(&mut self, path: &Path, what: &str) -> Option<(Arc<str>, Node)> {
        let (name, text) = self.read_text(path, what)?;
        let parsed = yaml::parse(&text);
        self.sources.add(&name, text);
        match parsed {
            Ok(node) => {
                self.duplicate_keys(&name, &node);
                Some((Arc::from(name.as_str()), node))
            }
            Err(e) => {
                self.err(
                    "load/yaml",
                    format!("invalid YAML in `{name}`: {}", e.message),
                    Some(Location::new(&name, e.pos)),
                    yaml_help(&e.message),
                );
                None
            }
        }
    }

    /// YAML forbids duplicate keys, and a duplicate silently hides a value:
    /// report each with both places, in every mapping of the file.
    fn duplicate_keys(&mut self, file: &str, node: &Node) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match &n.value {
                Value::Map(entries) => {
                    let mut seen: HashMap<Cow<str>, Pos> = HashMap::with_capacity(entries.len());
                    for (k, v) in entries {
                        if let Some(text) = k.key_text() {
                            if let Some(first) = seen.get(&text) {
                                self.err(
                                    "load/duplicate-key",
                                    format!(
                                        "duplicate key `{text}` (first written at line {})",
                                        first.line
                                    ),
                                    Some(Location::new(file, k.pos)),
                                    Some(format!(
                                        "keep one `{text}`: the first is at {file}:{}:{}",
                                        first.line, first.col
                                    )),
                                );
                            } else {
                                seen.insert(text, k.pos);
                            }
                        }
                        stack.push(v);
                    }
                }
                Value::Seq(items) => stack.extend(items.iter()),
                _ => {}
            }
        }
    }

    /// Deserialize a typed value from a node, reporting every problem.
    fn typed<T: serde::de::DeserializeOwned>(
        &mut self,
        file: &str,
        node: &Node,
        what: &str,
    ) -> Option<T> {
        let (result, unknown) = yaml::from_node::<T>(node);
        for u in unknown {
            if self.full() {
                self.suppressed += 1;
                continue;
            }
            let help = match u.suggestion() {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known fields: {}", u.expected.join(", ")),
            };
            self.err(
                "load/unknown-field",
                format!("unknown field `{}` in {what}", u.key),
                Some(Location::new(file, u.pos)),
                Some(help),
            );
        }
        let first = match result {
            Ok(v) => return Some(v),
            Err(e) => e,
        };
        self.invalid(file, what, &first);
        // serde stops at the first bad field. To report the others in the same
        // run, drop the entry that failed from a copy of the item and try again.
        let mut probe = node.clone();
        let mut last = first;
        for _ in 0..MAX_PROBES {
            // An error about the item as a whole (a missing field) has the
            // item's own place, which is also its first key's: nothing to drop.
            if last.pos == probe.pos || !remove_at(&mut probe, last.pos) {
                break;
            }
            // The unknown fields were reported above: do not collect them again.
            let next = match yaml::from_node_quiet::<T>(&probe) {
                Ok(_) => break,
                Err(e) => e,
            };
            if next.pos == last.pos && next.message == last.message {
                break;
            }
            // "missing field `x`" after we removed `x` is our doing, not the user's.
            let ours = missing_field(&next.message).is_some_and(|f| node.get(f).is_some());
            if !ours {
                self.invalid(file, what, &next);
            }
            last = next;
        }
        None
    }

    fn invalid(&mut self, file: &str, what: &str, e: &yaml::DeError) {
        // Past the limit only the count is kept: formatting a million
        // messages nobody sees was a third of the time on a wide list.
        if self.full() {
            self.suppressed += 1;
            return;
        }
        let message = tidy_serde_message(&e.message);
        self.err(
            "load/invalid",
            format!("{what}: {message}"),
            Some(Location::new(file, e.pos)),
            e.help.clone(),
        );
    }
}

/// How many further type errors one item may report.
const MAX_PROBES: usize = 20;

/// The field serde says is missing, if that is the error.
fn missing_field(msg: &str) -> Option<&str> {
    let rest = msg.strip_prefix("missing field `")?;
    rest.split('`').next()
}

/// Remove the mapping entry or list element whose key or value is at `pos`
/// (searching depth-first). The node at `pos` itself cannot be removed.
fn remove_at(node: &mut Node, pos: Pos) -> bool {
    fn contains(n: &Node, pos: Pos) -> bool {
        n.pos == pos
            || match &n.value {
                Value::Map(e) => e.iter().any(|(k, v)| k.pos == pos || contains(v, pos)),
                Value::Seq(items) => items.iter().any(|i| contains(i, pos)),
                _ => false,
            }
    }
    match &mut node.value {
        Value::Map(entries) => {
            if let Some(i) = entries
                .iter()
                .position(|(k, v)| k.pos == pos || v.pos == pos)
            {
                entries.remove(i);
                return true;
            }
            entries
                .iter_mut()
                .any(|(_, v)| contains(v, pos) && remove_at(v, pos))
        }
        Value::Seq(items) => {
            if let Some(i) = items.iter().position(|it| it.pos == pos) {
                items.remove(i);
                return true;
            }
            items
                .iter_mut()
                .any(|it| contains(it, pos) && remove_at(it, pos))
        }
        _ => false,
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            // "Too many levels of symbolic links (os error 40)" -> without the errno.
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}

fn yaml_help(message: &str) -> Option<String> {
    let m = message.to_lowercase();
    if m.contains("tab") {
        Some("YAML does not allow tabs for indentation: indent with spaces".into())
    } else if m.contains("depth") || m.contains("nesting") || m.contains("recursion") {
        Some("an inventory never nests this deep: check the file is what you meant".into())
    } else if m.contains("alias") || m.contains("anchor") {
        Some("the file expands anchors/aliases beyond safe limits; write the values out".into())
    } else {
        None
    }
}

/// serde's messages name Rust types; say it in the user's terms.
fn tidy_serde_message(m: &str) -> String {
    m.replace(", expected u32", ", expected a whole number")
        .replace(", expected u8", ", expected a whole number")
        .replace(", expected i64", ", expected a whole number")
        .replace(", expected a boolean", ", expected true or false")
        .replace("invalid type: ", "wrong type: ")
}

/// How a run was pointed at an AIMS.
enum Target {
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

/// Load the AIMS that `target` points at (or the one found from `cwd`).
pub fn load(target: Option<&Path>, cwd: &Path) -> Result<Project, LoadFailure> {
    let mut l = Loader {
        base: cwd.to_path_buf(),
        root: Root::new(cwd),
        diags: Vec::new(),
        suppressed: 0,
        sources: Sources::default(),
    };
    let fail = |mut l: Loader| {
        if l.suppressed > 0 {
            l.diags.push(
                Diagnostic::error(
                    "load/too-many-problems",
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
            l.diags.push(d);
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
                l.diags.push(d);
                l.sources.add(&name, text);
                return Err(fail(l));
            }
        }
        l.sources.add(&name, text.clone());
        config_text = text;
    }
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
                "load/outside-root",
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
            "load/no-inventory",
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
                "load/config",
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
        if let Some((file, node)) = read
            && let Some(raw) = l.typed::<RawCatalog>(&file, &node, "the catalogue overlay")
        {
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
                    "load/catalog",
                    e.message,
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
    if let Err(msg) = catalog.override_dates(&date_overrides) {
        l.err("load/config", msg, config_loc("dates"), None);
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
                "load/file-name",
                format!(
                    "inventory file `{name}` was not read: {}",
                    crate::assess::evidence::not_utf8_reason(rel)
                ),
                Some(Location::new(&name, Pos::default())),
                Some(
                    "rename the file (for example `mv` it to a UTF-8 name), or move it out of what `inventory` in aims.toml matches".into(),
                ),
            );
            continue;
        }
        if let Some((name, node)) = l.read_yaml(f, "inventory file") {
            parts.push((name, node));
            paths.push(f.clone());
        }
    }
    let mut inventory = Inventory::default();
    let mut version: Option<(Arc<str>, Pos)> = None;
    let mut org_at: Option<Location> = None;
    for (file, node) in &parts {
        read_file(
            &mut l,
            file,
            node,
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
                "load/invalid",
                "the inventory has no `version`",
                Some(Location::new(first, Pos { line: 1, col: 1 })),
                Some("add `version: 1` at the top of the inventory".into()),
            );
        }
        if inventory.organization.is_none() {
            let first = &parts[0].0;
            l.err(
                "load/invalid",
                "the inventory has no `organization`",
                Some(Location::new(first, Pos { line: 1, col: 1 })),
                Some("add `organization:` with at least `name:`".into()),
            );
        }
    }

    // 6. Ids and references.
    let mut found = Vec::new();
    super::validate::validate(&inventory, &catalog, &mut found);
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
                "load/config",
                format!("unknown rule `{key}` in [rules]"),
                config_loc(key),
                Some(help),
            );
        }
    }
    for key in config.freshness.keys() {
        if catalog.get(key).is_none() && !rule_ids.contains(&key.as_str()) {
            let help = suggest(key, catalog.ids().chain(rule_ids.iter().copied()))
                .map(|s| format!("did you mean `{s}`?"));
            l.err(
                "load/config",
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
                    "load/config",
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

fn resolve_target(target: Option<&Path>, cwd: &Path) -> Result<Target, Diagnostic> {
    match target {
        Some(p) => {
            let p = if p.is_absolute() {
                p.to_path_buf()
            } else {
                cwd.join(p)
            };
            let meta = fs::metadata(&p).map_err(|e| {
                Diagnostic::error(
                    "load/io",
                    format!("cannot open `{}`: {}", display_path(&p, cwd), io_reason(&e)),
                )
                .help("give an inventory file, or a folder holding aims.toml or aims.yaml")
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
                    Err(Diagnostic::error(
                        "load/no-inventory",
                        format!(
                            "`{}` holds neither aims.toml nor aims.yaml",
                            display_path(&p, cwd)
                        ),
                    )
                    .help("run `aims init` there to start an inventory"))
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
                Err(Diagnostic::error(
                    "load/no-inventory",
                    "no aims.toml in this folder or any folder above it, and no aims.yaml here",
                )
                .help("run `aims init` to start an inventory, or pass the path of one"))
            }
        }
    }
}

/// The inventory files named by aims.toml, or the defaults.
fn inventory_files(
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
                "load/config",
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
                    "load/config",
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
                "load/no-inventory",
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

/// Merge one file's sections into the inventory.
fn read_file(
    l: &mut Loader,
    file: &Arc<str>,
    node: &Node,
    inv: &mut Inventory,
    version: &mut Option<(Arc<str>, Pos)>,
    org_at: &mut Option<Location>,
    catalog: &Catalog,
) {
    let entries = match &node.value {
        Value::Map(e) => e,
        Value::Null => {
            l.err(
                "load/empty",
                format!("inventory file `{file}` is empty"),
                Some(Location::new(file, Pos { line: 1, col: 1 })),
                Some("start it with `version: 1` and `organization:` (see `aims init`)".into()),
            );
            return;
        }
        _ => {
            l.err(
                "load/invalid",
                format!(
                    "an inventory file must be a mapping of sections, found {}",
                    node.kind()
                ),
                Some(Location::new(file, node.pos)),
                Some(format!("top-level keys are: {}", TOP_LEVEL_KEYS.join(", "))),
            );
            return;
        }
    };
    for (k, v) in entries {
        let key = k.key_text().unwrap_or_default();
        match key.as_ref() {
            "version" => {
                match &v.value {
                    Value::Int(1) => {}
                    _ => l.err(
                        "load/invalid",
                        format!(
                            "unsupported inventory `version`: {}",
                            v.key_text().unwrap_or(Cow::Borrowed(v.kind()))
                        ),
                        Some(Location::new(file, v.pos)),
                        Some("this aims reads format version 1: write `version: 1`".into()),
                    ),
                }
                if version.is_none() {
                    *version = Some((file.clone(), v.pos));
                }
            }
            "organization" => {
                if let Some(prev) = org_at.clone() {
                    l.err(
                        "load/duplicate-id",
                        "`organization` is defined twice",
                        Some(Location::new(file, k.pos)),
                        Some(format!("keep one: the other is at {prev}")),
                    );
                    continue;
                }
                *org_at = Some(Location::new(file, k.pos));
                if let Some(mut o) = l.typed::<Organization>(file, v, "`organization`") {
                    o.src = Src::new(file, v);
                    inv.organization = Some(o);
                }
            }
            "controls" => read_statements(l, file, v, &mut inv.controls, "`controls`", catalog),
            "policies" => read_list(
                l,
                file,
                v,
                "policies",
                "a policy",
                &mut inv.policies,
                |p: &mut Policy, s| p.src = s,
            ),
            "roles" => read_list(
                l,
                file,
                v,
                "roles",
                "a role",
                &mut inv.roles,
                |p: &mut Role, s| p.src = s,
            ),
            "systems" => read_list(
                l,
                file,
                v,
                "systems",
                "a system",
                &mut inv.systems,
                |p: &mut System, s| p.src = s,
            ),
            "risks" => read_list(
                l,
                file,
                v,
                "risks",
                "a risk",
                &mut inv.risks,
                |p: &mut Risk, s| p.src = s,
            ),
            "impact_assessments" => read_list(
                l,
                file,
                v,
                "impact_assessments",
                "an impact assessment",
                &mut inv.impact_assessments,
                |p: &mut ImpactAssessment, s| p.src = s,
            ),
            "suppliers" => read_list(
                l,
                file,
                v,
                "suppliers",
                "a supplier",
                &mut inv.suppliers,
                |p: &mut Supplier, s| p.src = s,
            ),
            "audits" => read_list(
                l,
                file,
                v,
                "audits",
                "an audit",
                &mut inv.audits,
                |p: &mut Audit, s| p.src = s,
            ),
            "nonconformities" => read_list(
                l,
                file,
                v,
                "nonconformities",
                "a nonconformity",
                &mut inv.nonconformities,
                |p: &mut Nonconformity, s| p.src = s,
            ),
            "waivers" => read_list(
                l,
                file,
                v,
                "waivers",
                "a waiver",
                &mut inv.waivers,
                |p: &mut Waiver, s| p.src = s,
            ),
            other => {
                let help = suggest(other, TOP_LEVEL_KEYS.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        format!("top-level keys are: {}", TOP_LEVEL_KEYS.join(", "))
                    });
                l.err(
                    "load/unknown-field",
                    format!("unknown top-level key `{other}`"),
                    Some(Location::new(file, k.pos)),
                    Some(help),
                );
            }
        }
    }
}

fn read_list<T: for<'a> Deserialize<'a>>(
    l: &mut Loader,
    file: &Arc<str>,
    node: &Node,
    section: &str,
    what: &str,
    out: &mut Vec<T>,
    set_src: impl Fn(&mut T, Src),
) {
    match &node.value {
        Value::Seq(items) => {
            for item in items {
                let label = match item.get("id").and_then(Node::key_text) {
                    Some(id) => format!("{what} `{id}`"),
                    None => what.to_string(),
                };
                if let Some(mut t) = l.typed::<T>(file, item, &label) {
                    set_src(&mut t, Src::new(file, item));
                    out.push(t);
                }
            }
        }
        Value::Null => {}
        _ => l.err(
            "load/invalid",
            format!(
                "`{section}` must be a list (items start with `- `), found {}",
                node.kind()
            ),
            Some(Location::new(file, node.pos)),
            None,
        ),
    }
}

/// Read a `controls:` map, each statement on its own so that one bad entry
/// does not hide the others.
fn read_statements(
    l: &mut Loader,
    file: &Arc<str>,
    node: &Node,
    out: &mut BTreeMap<String, PlacedStatement>,
    what: &str,
    catalog: &Catalog,
) {
    let entries = match &node.value {
        Value::Map(e) => e,
        Value::Null => return,
        _ => {
            l.err(
                "load/invalid",
                format!(
                    "{what} must be a mapping from control id to statement, found {}",
                    node.kind()
                ),
                Some(Location::new(file, node.pos)),
                Some("write for example `A.2.2: {status: implemented}`".into()),
            );
            return;
        }
    };
    for (k, v) in entries {
        let raw = k.key_text().unwrap_or_default();
        let Some(control) = catalog.get(&raw) else {
            let help = if l.full() {
                None
            } else {
                Some(
                    suggest(&raw, catalog.ids())
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "run `aims controls` for the catalogue".into()),
                )
            };
            l.err(
                "load/unknown-control",
                format!("`{raw}` is not a control or clause in the catalogue"),
                Some(Location::new(file, k.pos)),
                help,
            );
            continue;
        };
        let id = control.id.clone();
        if let Some(prev) = out.get(&id) {
            l.err(
                "load/duplicate-id",
                format!("a statement for `{id}` is written twice"),
                Some(Location::new(file, k.pos)),
                Some(format!("keep one: the other is at {}", prev.src.loc())),
            );
            continue;
        }
        if let Some(st) = l.typed::<Statement>(file, v, &format!("the statement for `{id}`")) {
            let src = Src {
                file: file.clone(),
                node: Some(Arc::new(Node {
                    value: v.value.clone(),
                    pos: k.pos,
                    raw: v.raw.clone(),
                })),
            };
            out.insert(id, PlacedStatement { statement: st, src });
        }
    }
}
