//! Evidence resolution: each cited path or glob, resolved under the
//! evidence root.
//!
//! Nothing outside the root is ever opened or read: a path is judged from
//! its text first (absolute, or `..` that climbs out), then symlinks are
//! resolved with `canonicalize` (which reads links, never file contents)
//! and the target must still be under the root. Globs are matched against
//! one walk of the root that does not follow symlinks.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use globset::GlobBuilder;
use sha2::{Digest, Sha256};

use crate::catalog::Control;
use crate::load::config::Config;
use crate::load::safe::{Refusal, Root};
use crate::model::{Date, Duration, EvidenceRef, Inventory, Statement};
use crate::rules::RuleId;

/// What is wrong with one citation, if anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// No such file.
    Missing,
    /// A glob that matches nothing.
    EmptyGlob,
    /// The path, or a symlink on the way, leads outside the evidence root.
    OutsideRoot,
    /// Exists but cannot be read (permissions, a folder, a symlink loop, empty).
    Unreadable(String),
    /// The file's SHA-256 differs from the one recorded.
    HashMismatch { expected: String, actual: String },
}

impl Problem {
    pub fn rule(&self) -> RuleId {
        match self {
            Problem::Missing => RuleId::EvidenceMissing,
            Problem::EmptyGlob => RuleId::EvidenceMissing,
            Problem::OutsideRoot => RuleId::EvidenceOutsideRoot,
            Problem::Unreadable(_) => RuleId::EvidenceUnreadable,
            Problem::HashMismatch { .. } => RuleId::EvidenceHashMismatch,
        }
    }

    pub fn describe(&self, path: &str) -> String {
        match self {
            Problem::Missing => format!("evidence `{path}` does not exist"),
            Problem::EmptyGlob => format!("evidence glob `{path}` matches no file"),
            Problem::OutsideRoot => {
                format!("evidence `{path}` leads outside the evidence root; it was not read")
            }
            Problem::Unreadable(why) => format!("evidence `{path}` cannot be used: {why}"),
            Problem::HashMismatch { expected, actual } => {
                format!(
                    "evidence `{path}` has changed: sha256 is {actual}, the inventory records {expected}"
                )
            }
        }
    }
}

/// The files one citation resolved to (relative to the root, `/`-separated).
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    pub files: Vec<String>,
    pub problem: Option<Problem>,
}

/// A file found under the root: its path relative to the root, and its
/// exact name as text (`None` for a name that is not UTF-8).
type Walked = (PathBuf, Option<String>);

/// Resolves citations under one root, caching results and the folder walk.
pub struct Evidence {
    root: PathBuf,
    /// Every evidence file is opened through this, contained in the root.
    safe: Root,
    /// Every file under the root (relative), with its exact name as text
    /// (`None` for a name that is not UTF-8).
    walk: RefCell<Option<Walk>>,
    cache: RefCell<HashMap<(String, Option<String>), Resolution>>,
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// The files under the evidence root, walked once: in walk order (each
/// folder's entries by name, which is the order matches are reported in),
/// with whether the name is exact UTF-8, and an index sorted by text so that
/// a glob looks only at the files under its literal folder prefix. Without
/// it every glob scanned every file, which made 10,000 per-system globs
/// over 20,000 files take a minute.
#[derive(Default)]
struct Walk {
    files: Vec<Walked>,
    sorted: Vec<usize>,
}

/// A walked path's bytes, for ordering and prefix tests.
fn bytes(p: &Path) -> &[u8] {
    p.as_os_str().as_encoded_bytes()
}

impl Walk {
    /// Positions (in walk order) of the files whose text starts with `prefix`.
    fn under(&self, prefix: &str) -> Vec<usize> {
        let prefix = prefix.as_bytes();
        let start = self
            .sorted
            .partition_point(|&i| bytes(&self.files[i].0) < prefix);
        let mut out: Vec<usize> = self.sorted[start..]
            .iter()
            .copied()
            .take_while(|&i| bytes(&self.files[i].0).starts_with(prefix))
            .collect();
        out.sort_unstable();
        out
    }
}

/// The folders of a glob before its first component with a pattern (or an
/// escape), with a trailing `/`: every match starts with it, since `*` never
/// crosses a `/`.
fn literal_prefix(glob: &str) -> &str {
    let mut end = 0;
    for (i, c) in glob.char_indices() {
        match c {
            '/' => end = i + 1,
            '*' | '?' | '[' | '{' | '\\' => break,
            _ => {}
        }
    }
    &glob[..end]
}

/// Lexically normalise a relative path; `None` when it is absolute or climbs above its start.
fn normalise(p: &str) -> Option<PathBuf> {
    crate::load::safe::normalise(Path::new(p))
}

/// A relative path as the `/`-separated text the inventory and the pack use.
/// A backslash in a Unix file name is a character of the name, not a
/// separator. A name that is not UTF-8 is shown with each such byte
/// escaped (`\xFF`): text for messages, never a name to store (see
/// [`rel_name`]).
pub fn rel_text(rel: &Path) -> String {
    let parts: Vec<_> = rel
        .components()
        .map(|c| escaped(c.as_os_str().as_encoded_bytes()))
        .collect();
    parts.join("/")
}

/// The exact `/`-separated name of a relative path, or `None` when some
/// part of it is not UTF-8 (such a name cannot be written in the
/// inventory, a report or the pack manifest without changing it).
pub fn rel_name(rel: &Path) -> Option<String> {
    rel.to_str()?;
    Some(rel_text(rel))
}

/// Bytes as text: UTF-8 as it is, every other byte as `\xFF`.
pub fn escaped(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// The bytes of `bytes` that are not UTF-8, as `0xFF, 0xFE` (for messages).
pub fn bad_bytes(bytes: &[u8]) -> String {
    let bad: Vec<String> = bytes
        .utf8_chunks()
        .flat_map(|c| c.invalid().iter().map(|b| format!("0x{b:02X}")))
        .collect();
    bad.join(", ")
}

/// Why a name that is not UTF-8 is refused, and what to do.
pub fn not_utf8_reason(rel: &Path) -> String {
    format!(
        "its name is not valid UTF-8 (byte {}); rename it: aims names every file exactly, as UTF-8 text, in messages, reports and the pack manifest",
        bad_bytes(rel.as_os_str().as_encoded_bytes())
    )
}

/// A compiled glob. Most citations use only `*` within a name
/// (`records/*.csv`); those are matched segment by segment on bytes, which
/// costs nothing beside compiling a regular expression per citation (a
/// quarter of `aims gap` on 10,000 systems with a glob each). Anything
/// else goes to globset, whose semantics the simple form keeps exactly
/// (`*` never crosses a `/`, dot files match, case matters).
enum Matcher {
    Star(Vec<Vec<u8>>),
    Glob(globset::GlobMatcher),
}

impl Matcher {
    fn new(glob: &str) -> Result<Self, globset::Error> {
        let simple = !glob.contains(['?', '[', ']', '{', '}', '\\'])
            && !glob.contains("**")
            && !glob.starts_with('/');
        if simple {
            return Ok(Matcher::Star(
                glob.split('/').map(|s| s.as_bytes().to_vec()).collect(),
            ));
        }
        let g = GlobBuilder::new(glob).literal_separator(true).build()?;
        Ok(Matcher::Glob(g.compile_matcher()))
    }

    fn is_match(&self, rel: &Path) -> bool {
        match self {
            Matcher::Glob(g) => g.is_match(rel),
            Matcher::Star(segments) => {
                let path = bytes(rel);
                let mut parts = path.split(|b| *b == b'/');
                segments
                    .iter()
                    .all(|s| parts.next().is_some_and(|p| star_match(s, p)))
                    && parts.next().is_none()
            }
        }
    }
}

/// Whether `name` matches `pattern`, where `*` stands for any bytes
/// (neither holds a `/`): the classic linear wildcard match, backtracking
/// only to the last star.
fn star_match(pattern: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, n));
            p += 1;
        } else if p < pattern.len() && pattern[p] == name[n] {
            p += 1;
            n += 1;
        } else if let Some((sp, sn)) = star {
            p = sp + 1;
            n = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|b| *b == b'*')
}

impl Evidence {
    pub fn new(root: &Path) -> Self {
        Evidence {
            root: root.to_path_buf(),
            safe: Root::new(root),
            walk: RefCell::new(None),
            cache: RefCell::new(HashMap::new()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Resolve a citation; `sha256` is checked when given.
    pub fn resolve(&self, cited: &str, sha256: Option<&str>) -> Resolution {
        let key = (cited.to_string(), sha256.map(str::to_lowercase));
        if let Some(r) = self.cache.borrow().get(&key) {
            return r.clone();
        }
        let r = self.resolve_uncached(cited.trim(), sha256);
        self.cache.borrow_mut().insert(key, r.clone());
        r
    }

    fn resolve_uncached(&self, cited: &str, sha256: Option<&str>) -> Resolution {
        if self.safe.canonical().is_none() {
            return Resolution {
                files: vec![],
                problem: Some(Problem::Unreadable(
                    "the evidence root does not exist".into(),
                )),
            };
        };
        if cited.contains("://") {
            return Resolution {
                files: vec![],
                problem: Some(Problem::Unreadable(
                    "a URL is not evidence aims can check; commit the document or an export of it"
                        .into(),
                )),
            };
        }
        if !has_glob_chars(cited) {
            let Some(rel) = normalise(cited) else {
                return Resolution {
                    files: vec![],
                    problem: Some(Problem::OutsideRoot),
                };
            };
            let rel_text = rel_text(&rel);
            return match self.check_file(&rel, sha256) {
                Ok(()) => Resolution {
                    files: vec![rel_text],
                    problem: None,
                },
                Err(p) => Resolution {
                    files: vec![],
                    problem: Some(p),
                },
            };
        }
        // A glob: lexical escape checks first, then match the walk.
        if Path::new(cited).is_absolute() || cited.split(['/', '\\']).any(|c| c == "..") {
            return Resolution {
                files: vec![],
                problem: Some(Problem::OutsideRoot),
            };
        }
        let matcher = match Matcher::new(cited) {
            Ok(m) => m,
            Err(e) => {
                return Resolution {
                    files: vec![],
                    problem: Some(Problem::Unreadable(format!("invalid glob: {e}"))),
                };
            }
        };
        self.ensure_walk();
        let walk = self.walk.borrow();
        let walk = walk.as_ref().expect("walked");
        let mut files = Vec::new();
        let mut problem = None;
        for i in walk.under(literal_prefix(cited)) {
            let (rel, name) = &walk.files[i];
            // Matched on the name's bytes, so a name that is not UTF-8 is
            // seen and refused by name, never skipped.
            if !matcher.is_match(rel) {
                continue;
            }
            let Some(name) = name else {
                problem.get_or_insert(Problem::Unreadable(format!(
                    "`{}` matches, but {}",
                    rel_text(rel),
                    not_utf8_reason(rel)
                )));
                continue;
            };
            match self.check_file(rel, None) {
                Ok(()) => files.push(name.clone()),
                // One bad match spoils the citation, but keep the first reason.
                Err(p) => {
                    problem.get_or_insert(p);
                }
            }
        }
        if files.is_empty() && problem.is_none() {
            problem = Some(Problem::EmptyGlob);
        }
        if sha256.is_some() && problem.is_none() {
            problem = Some(Problem::Unreadable(
                "`sha256` can only be recorded for a single file, not a glob".into(),
            ));
        }
        Resolution { files, problem }
    }

    /// One file under the root: inside (after symlinks), a regular file,
    /// readable, not empty, and matching its hash when one is recorded.
    fn check_file(&self, rel: &Path, sha256: Option<&str>) -> Result<(), Problem> {
        let opened = self.safe.open(rel).map_err(|r| match r {
            Refusal::Outside => Problem::OutsideRoot,
            Refusal::Missing => Problem::Missing,
            Refusal::NotAFile("a folder") => Problem::Unreadable(
                "it is a folder; cite the files in it, or a glob such as `folder/*.md`".into(),
            ),
            other => Problem::Unreadable(other.to_string()),
        })?;
        if opened.len == 0 {
            return Err(Problem::Unreadable("the file is empty".into()));
        }
        if let Some(expected) = sha256 {
            let mut f = opened.file;
            let actual = hash_reader(&mut f).map_err(|e| Problem::Unreadable(io_reason(&e)))?;
            let expected = expected.trim().to_lowercase();
            if actual != expected {
                return Err(Problem::HashMismatch { expected, actual });
            }
        }
        Ok(())
    }

    /// Walk the root once, without following symlinks, skipping VCS and build folders.
    fn ensure_walk(&self) {
        if self.walk.borrow().is_some() {
            return;
        }
        let mut out = Vec::new();
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(false)
            .max_depth(32)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                !(e.depth() > 0
                    && e.file_type().is_dir()
                    && matches!(n.as_ref(), ".git" | "target" | "node_modules"))
            });
        for entry in walker.filter_map(Result::ok) {
            let ft = entry.file_type();
            if ft.is_dir() {
                continue;
            }
            if let Ok(rel) = entry.path().strip_prefix(&self.root) {
                out.push((rel.to_path_buf(), rel_name(rel)));
            }
            if out.len() >= 1_000_000 {
                break;
            }
        }
        let mut sorted: Vec<usize> = (0..out.len()).collect();
        sorted.sort_unstable_by(|&a, &b| bytes(&out[a].0).cmp(bytes(&out[b].0)));
        *self.walk.borrow_mut() = Some(Walk { files: out, sorted });
    }
}

/// How current one piece of evidence is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Freshness {
    Fresh {
        reviewed: Date,
        limit: String,
    },
    Stale {
        reviewed: Date,
        limit: String,
    },
    /// No `reviewed` date on the evidence or its statement.
    Unreviewed,
    /// Reviewed on a day after the as-of day: a review that has not
    /// happened yet (`date/in-future` reports the date).
    Future {
        reviewed: Date,
    },
}

/// One cited piece of evidence, judged.
#[derive(Clone, Debug)]
pub struct Judged {
    pub cited: String,
    pub files: Vec<String>,
    pub problem: Option<Problem>,
    pub freshness: Freshness,
}

/// The freshness limit for a control: `[freshness]` by control id, then by
/// the rule id `evidence/stale`, then the catalogue default.
pub fn limit_for(control: &Control, config: &Config) -> Duration {
    config
        .freshness
        .get(&control.id)
        .or_else(|| config.freshness.get(RuleId::EvidenceStale.as_str()))
        .map(|d| d.0)
        .unwrap_or(control.freshness)
}

/// How current something reviewed on `reviewed` is, as of a day, for a
/// freshness limit. A review dated after the day judged has not happened
/// (`date/in-future` reports the date itself).
pub fn freshness(reviewed: Option<Date>, limit: Duration, as_of: Date) -> Freshness {
    match reviewed {
        None => Freshness::Unreviewed,
        Some(r) if r > as_of => Freshness::Future { reviewed: r },
        Some(r) if limit.after(r) < as_of => Freshness::Stale {
            reviewed: r,
            limit: limit.to_string(),
        },
        Some(r) => Freshness::Fresh {
            reviewed: r,
            limit: limit.to_string(),
        },
    }
}

/// Judge every piece of evidence a statement cites, as of a day.
/// A policy document is reviewed when its policy was approved, and stays
/// fresh for the policy's own `review_every`. A review or approval dated
/// after `as_of` counts as none.
pub fn judge_statement(
    ev: &Evidence,
    st: &Statement,
    control: &Control,
    inv: &Inventory,
    config: &Config,
    as_of: Date,
) -> Vec<Judged> {
    let limit = limit_for(control, config);
    st.evidence
        .iter()
        .map(|e| {
            let sha = match e {
                EvidenceRef::Detailed(d) => d.sha256.as_deref(),
                EvidenceRef::Path(_) => None,
            };
            let r = ev.resolve(e.path(), sha);
            let policy = inv.policy_at(e.path());
            let (reviewed, limit) = match (
                e.reviewed().or(st.reviewed),
                policy.and_then(|p| p.approved.map(|a| (a, p))),
            ) {
                (Some(r), _) => (Some(r), limit),
                (None, Some((approved, p))) => (
                    Some(approved),
                    p.review_every.unwrap_or(Duration::months(12)),
                ),
                (None, None) => (None, limit),
            };
            let freshness = freshness(reviewed, limit, as_of);
            Judged {
                cited: e.path().to_string(),
                files: r.files,
                problem: r.problem,
                freshness,
            }
        })
        .collect()
}

/// SHA-256 of a reader, streamed, as lowercase hex.
pub fn hash_reader(r: &mut impl Read) -> std::io::Result<String> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}
#[cfg(test)]
mod tests;
