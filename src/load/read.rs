//! Reading one user file with every guard (inside the root, size cap,
//! UTF-8), parsing it as YAML, and recording problems up to the limit.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::budget::{MEMORY_PER_INVENTORY_BYTE, address_space_left};
use super::{MAX_DIAGNOSTICS, MAX_FILE_BYTES};
use crate::diag::{Diagnostic, Location, Sources, display_path};
use crate::load::config;
use crate::load::safe::{Refusal, Root};
use crate::load::yaml::{self, Node, Pos, Value};
use crate::rules::LoadCode;

/// The state of one load: where paths are shown from, the root no file
/// may leave, and the problems found so far.
pub(super) struct Loader {
    pub(super) base: PathBuf,
    /// Every file read must be under this folder (the repository root).
    pub(super) root: Root,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) suppressed: usize,
    pub(super) sources: Sources,
    /// Bytes the files read from now on may come to (`[limits] inventory_mb`).
    pub(super) budget: u64,
    /// Bytes read against the budget so far.
    pub(super) read_total: u64,
    /// Items that could not be read, by section: their ids still answer
    /// reference checks, so one typo is one error.
    pub(super) stand_ins: Vec<StandIn>,
    /// Inventory files that could not be read or parsed: they may define
    /// anything, so no reference can be called broken.
    pub(super) unread: Vec<String>,
    /// A catalogue overlay could not be read: an id not in the catalogue
    /// may be one of its controls, so it is not reported.
    pub(super) catalog_unread: bool,
}

/// The id of an item that was written but could not be read.
pub(super) struct StandIn {
    pub(super) section: &'static str,
    pub(super) id: crate::model::Id,
    pub(super) loc: Location,
}

impl Loader {
    pub(super) fn show(&self, p: &Path) -> String {
        display_path(p, &self.base)
    }

    pub(super) fn err(
        &mut self,
        code: LoadCode,
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
    pub(super) fn full(&self) -> bool {
        self.diags.len() >= MAX_DIAGNOSTICS
    }

    /// Whether reading `len` more bytes (of file `name`) would pass the
    /// inventory budget, or need more memory than the address-space limit
    /// leaves: the message and what to do, before anything is read.
    fn over_budget(&self, len: u64, name: &str) -> Option<(String, String)> {
        const MIB: u64 = 1024 * 1024;
        let size = |b: u64| format!("{:.1} MiB", b as f64 / MIB as f64);
        let total = self.read_total.saturating_add(len);
        if total > self.budget {
            return Some((
                format!(
                    "the inventory files come to {} with `{name}`, over the limit of {} MiB (`[limits] inventory_mb` in aims.toml)",
                    size(total),
                    self.budget / MIB
                ),
                format!(
                    "split the AIMS into several repositories, or raise the limit where the machine has about {} to spare ({} times the inventory's size)",
                    size(total.saturating_mul(MEMORY_PER_INVENTORY_BYTE)),
                    MEMORY_PER_INVENTORY_BYTE
                ),
            ));
        }
        let need = len.saturating_mul(MEMORY_PER_INVENTORY_BYTE);
        match address_space_left() {
            Some(left) if need > left => Some((
                format!(
                    "`{name}` ({}) needs about {} to load and judge, but the address-space limit of this process (`ulimit -v`) leaves {}",
                    size(len),
                    size(need),
                    size(left)
                ),
                "raise that limit, or split the inventory into smaller files or repositories"
                    .into(),
            )),
            _ => None,
        }
    }

    /// Read a user file with every guard: regular file, size cap, UTF-8.
    /// Returns the text without a BOM. CRLF is left to the YAML parser.
    pub(super) fn read_text(&mut self, path: &Path, what: &str) -> Option<(String, String)> {
        let name = self.show(path);
        // Every file goes through the one safe reader: nothing outside the
        // repository root is opened, whatever symlinks say.
        let opened = match self.root.open(path) {
            Ok(o) => o,
            Err(Refusal::Outside) => {
                self.err(
                    LoadCode::OutsideRoot,
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
                    LoadCode::Io,
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
                    LoadCode::Io,
                    format!("cannot read {what} `{name}`: {r}"),
                    Some(Location::new(&name, Pos::default())),
                    help,
                );
                return None;
            }
        };
        if opened.len > MAX_FILE_BYTES {
            self.err(
                LoadCode::TooLarge,
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
        if let Some((message, help)) = self.over_budget(opened.len, &name) {
            self.err(
                LoadCode::TooLarge,
                message,
                Some(Location::new(&name, Pos::default())),
                Some(help),
            );
            return None;
        }
        self.read_total += opened.len;
        let mut bytes = Vec::new();
        let read = opened.file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes);
        if let Err(e) = read {
            self.err(
                LoadCode::Io,
                format!("cannot read {what} `{name}`: {}", io_reason(&e)),
                Some(Location::new(&name, Pos::default())),
                None,
            );
            return None;
        }
        if bytes.len() as u64 > MAX_FILE_BYTES {
            self.err(
                LoadCode::TooLarge,
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
                LoadCode::Encoding,
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
                    LoadCode::Encoding,
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
    pub(super) fn read_yaml(&mut self, path: &Path, what: &str) -> Option<(Arc<str>, Node)> {
        let (name, text) = self.read_text(path, what)?;
        let parsed = yaml::parse(&text);
        self.sources.add(&name, text);
        match parsed {
            Ok(node) => {
                self.duplicate_keys(&name, &node);
                Some((Arc::from(name.as_str()), node))
            }
            Err(e) => {
                // Nothing of the file is read, so nothing it defines can be
                // looked up: references are not judged until it parses.
                let help = match e.help.clone().or_else(|| yaml_help(&e.message)) {
                    Some(h) => {
                        format!("{h}; until then, references to what it defines are not checked")
                    }
                    None => "until it parses, references to what it defines are not checked".into(),
                };
                let help = if what == "inventory file" || what == "catalogue overlay" {
                    Some(help)
                } else {
                    e.help.clone().or_else(|| yaml_help(&e.message))
                };
                self.err(
                    LoadCode::Yaml,
                    format!("invalid YAML in `{name}`: {}", e.message),
                    Some(Location::new(&name, e.pos)),
                    help,
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
                    // Most mappings have a handful of keys: compare them
                    // pairwise; index only the wide ones, so that 40,000
                    // keys stay linear.
                    let wide = entries.len() > 16;
                    let mut seen: HashMap<Cow<str>, Pos> = HashMap::new();
                    let mut few: Vec<(Cow<str>, Pos)> = Vec::new();
                    for (k, v) in entries {
                        if let Some(text) = k.key_text() {
                            let first = if wide {
                                seen.get(&text).copied()
                            } else {
                                few.iter().find(|(t, _)| *t == text).map(|(_, p)| *p)
                            };
                            if let Some(first) = first {
                                self.err(
                                    LoadCode::DuplicateKey,
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
                            } else if wide {
                                seen.insert(text, k.pos);
                            } else {
                                few.push((text, k.pos));
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
}

pub(super) fn io_reason(e: &std::io::Error) -> String {
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
