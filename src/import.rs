//! `aims import soa`: an existing spreadsheet SoA (CSV or XLSX) read into
//! `controls:` YAML that loads. Headers are matched flexibly (case,
//! spacing, punctuation and common synonyms) or named with `--map`; every
//! value that cannot be placed is an error that names its line.

use std::fmt::Write as _;

use crate::catalog::Catalog;
use crate::model::Date;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Control,
    Applicable,
    Justification,
    Status,
    Owner,
    Evidence,
    Reviewed,
    Notes,
    /// Read but not written: the catalogue has it (title, group).
    Ignored,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Control => "control",
            Field::Applicable => "applicable",
            Field::Justification => "justification",
            Field::Status => "status",
            Field::Owner => "owner",
            Field::Evidence => "evidence",
            Field::Reviewed => "reviewed",
            Field::Notes => "notes",
            Field::Ignored => "ignored",
        }
    }

    pub const NAMES: &'static str =
        "control, applicable, justification, status, owner, evidence, reviewed, notes, ignore";

    pub fn parse(s: &str) -> Option<Field> {
        Some(match norm(s).as_str() {
            "control" | "id" => Field::Control,
            "applicable" => Field::Applicable,
            "justification" => Field::Justification,
            "status" => Field::Status,
            "owner" => Field::Owner,
            "evidence" => Field::Evidence,
            "reviewed" => Field::Reviewed,
            "notes" => Field::Notes,
            "ignore" | "ignored" => Field::Ignored,
            _ => return None,
        })
    }

    /// The field a header names, by its words: `Applicable?`,
    /// `Implementation status`, `Control ID` all match.
    pub fn guess(header: &str) -> Option<Field> {
        let n = norm(header);
        let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
        Some(if n.is_empty() {
            return None;
        } else if has(&["justif", "rationale", "reason"]) {
            Field::Justification
        } else if has(&["applicab", "included", "inscope", "applies"]) {
            Field::Applicable
        } else if has(&["status", "implementation", "level", "state"]) {
            Field::Status
        } else if has(&["owner", "responsible", "accountable"]) {
            Field::Owner
        } else if has(&["evidence", "document", "artefact", "artifact"]) {
            Field::Evidence
        } else if has(&["review", "lastchecked"]) {
            Field::Reviewed
        } else if has(&["note", "comment", "remark"]) {
            Field::Notes
        } else if has(&[
            "title",
            "name",
            "group",
            "description",
            "objective",
            "theme",
        ]) {
            // Before the id: `Control title` is not the control's id.
            Field::Ignored
        } else if has(&["control", "clause", "ref"]) || n == "id" || n == "no" {
            Field::Control
        } else {
            return None;
        })
    }
}

/// Lowercase letters and digits only.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One cell as read: text, or a date (an Excel date cell).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Date(Date),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Text(t) => t.trim().to_string(),
            Value::Date(d) => d.to_string(),
        }
    }
}

/// A spreadsheet: its header and rows, each with the line (CSV) or row
/// (XLSX) number a person sees.
pub struct Table {
    pub header_line: usize,
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<Value>)>,
}

/// Why a spreadsheet could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the CSV: {0}")]
    Csv(String),
    #[error("cannot read the workbook: {0}")]
    Xlsx(String),
    #[error(
        "no header row in the first 30 rows: aims looks for a column named like `Control`, `Control ID` or `Ref`; rename it so"
    )]
    NoHeader,
    #[error("the workbook unpacks to {size} MiB, over the limit of {limit} MiB", size = .0 / (1024 * 1024), limit = MAX_UNPACKED / (1024 * 1024))]
    TooLarge(u64),
    #[error("--map `{0}`: expected COLUMN=FIELD, FIELD one of {names}", names = Field::NAMES)]
    BadMap(String),
    #[error("--map `{column}`: no such column; the header has {found}")]
    NoColumn { column: String, found: String },
    #[error("no column holds the control id; name it with --map COLUMN=control")]
    NoControlColumn,
    #[error("{count} row{} could not be placed; nothing was written", if *.count == 1 { "" } else { "s" })]
    Rows { count: usize },
}

/// A CSV file's text (a UTF-8 byte-order mark is dropped): the first
/// record is the header.
pub fn read_csv(text: &str) -> Result<Table, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    // Lines counted from byte offsets: the csv crate's own line number
    // runs one short after a blank line. Counted on from the last record.
    let (mut at, mut line) = (0usize, 1usize);
    let bytes = text.as_bytes();
    for rec in r.records() {
        let rec = rec.map_err(|e| ImportError::Csv(e.to_string()))?;
        let mut start = rec
            .position()
            .map_or(at, |p| p.byte() as usize)
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
            start += 1;
        }
        if start >= at {
            line += bytes[at..start].iter().filter(|b| **b == b'\n').count();
            at = start;
        }
        records.push((
            line,
            rec.iter()
                .map(|s| Value::Text(s.to_string()))
                .collect::<Vec<_>>(),
        ));
    }
    table(records)
}

/// How large a workbook may unpack to: a small file that inflates to
/// gigabytes (a zip bomb) is refused before it is read.
pub const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

/// Refuse a workbook whose entries declare more than `limit` bytes
/// together ([`MAX_UNPACKED`]).
fn check_unpacked(bytes: &[u8], limit: u64) -> Result<(), ImportError> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::Xlsx(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..z.len() {
        let f = z
            .by_index_raw(i)
            .map_err(|e| ImportError::Xlsx(e.to_string()))?;
        total = total.saturating_add(f.size());
    }
    if total > limit {
        return Err(ImportError::TooLarge(total));
    }
    Ok(())
}

/// The first sheet of an XLSX workbook: the header is the first row
/// within the first 30 that has a control id column (aims' own sheets
/// have a title and dates above it).
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, ImportError> {
    use calamine::{Data, Reader};
    check_unpacked(bytes, MAX_UNPACKED)?;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ImportError::Xlsx(e.to_string()))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| ImportError::Xlsx("it has no sheet".into()))?
        .map_err(|e| ImportError::Xlsx(e.to_string()))?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut records = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<Value> = row
            .iter()
            .map(|c| match c {
                Data::DateTime(d) => {
                    let day = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).and_then(|e| {
                        e.checked_add_signed(chrono::Duration::days(d.as_f64() as i64))
                    });
                    day.map_or_else(|| Value::Text(c.to_string()), |d| Value::Date(Date(d)))
                }
                Data::Empty => Value::Text(String::new()),
                other => Value::Text(other.to_string()),
            })
            .collect();
        records.push((first_row as usize + i + 1, cells));
    }
    let start = records
        .iter()
        .take(30)
        .position(|(_, cells)| {
            cells
                .iter()
                .any(|c| Field::guess(&c.text()) == Some(Field::Control))
        })
        .ok_or(ImportError::NoHeader)?;
    table(records.split_off(start))
}

fn table(mut records: Vec<(usize, Vec<Value>)>) -> Result<Table, ImportError> {
    if records.is_empty() {
        return Err(ImportError::NoHeader);
    }
    let (header_line, header) = records.remove(0);
    Ok(Table {
        header_line,
        headers: header.iter().map(Value::text).collect(),
        rows: records,
    })
}

/// The field of each column: `--map COLUMN=FIELD` first, then a guess
/// from the header; `None` for a column that is not read.
pub fn columns(headers: &[String], maps: &[String]) -> Result<Vec<Option<Field>>, ImportError> {
    let mut out: Vec<Option<Field>> = headers.iter().map(|h| Field::guess(h)).collect();
    for m in maps {
        let (col, field) = m
            .split_once('=')
            .ok_or_else(|| ImportError::BadMap(m.clone()))?;
        let field = Field::parse(field).ok_or_else(|| ImportError::BadMap(m.clone()))?;
        let i = headers
            .iter()
            .position(|h| norm(h) == norm(col))
            .ok_or_else(|| ImportError::NoColumn {
                column: col.to_string(),
                found: headers
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        // A field named for one column is no longer guessed for another.
        for (j, f) in out.iter_mut().enumerate() {
            if j != i && *f == Some(field) && field != Field::Ignored {
                *f = None;
            }
        }
        out[i] = Some(field);
    }
    // The first column guessed for a field wins; later ones are not read.
    let mut seen = Vec::new();
    for f in out.iter_mut() {
        if let Some(x) = *f
            && x != Field::Ignored
        {
            if seen.contains(&x) {
                *f = None;
            } else {
                seen.push(x);
            }
        }
    }
    if !out.contains(&Some(Field::Control)) {
        return Err(ImportError::NoControlColumn);
    }
    Ok(out)
}

/// One imported statement.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    pub id: String,
    pub applicable: Option<bool>,
    pub justification: Option<String>,
    pub status: Option<&'static str>,
    pub owner: Option<String>,
    pub evidence: Vec<String>,
    pub reviewed: Option<Date>,
    pub notes: Option<String>,
}

/// A row that could not be placed: its line and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

fn yes_no(s: &str) -> Option<Option<bool>> {
    Some(match norm(s).as_str() {
        "" => None,
        "yes" | "y" | "true" | "1" | "x" | "included" | "include" | "applicable" | "inscope" => {
            Some(true)
        }
        "no" | "n" | "false" | "0" | "excluded" | "exclude" | "notapplicable" | "na"
        | "outofscope" => Some(false),
        _ => return None,
    })
}

/// A status as aims writes it (`not-applicable` for a status that says the
/// control is excluded); `Err(())` for text that is none. aims' own SoA
/// gives levels: evidenced and effective were implemented, missing not started.
fn status(s: &str) -> Result<Option<&'static str>, ()> {
    Ok(Some(match norm(s).as_str() {
        "" => return Ok(None),
        "notapplicable" | "na" | "excluded" => "not-applicable",
        "implemented" | "evidenced" | "effective" | "done" | "complete" | "completed"
        | "inplace" | "fullyimplemented" | "yes" => "implemented",
        "partial" | "partiallyimplemented" | "inprogress" | "ongoing" => "partial",
        "planned" | "scheduled" => "planned",
        "notstarted" | "missing" | "notimplemented" | "no" | "none" | "open" => "not-started",
        _ => return Err(()),
    }))
}

/// The statements of a table, or every row that could not be placed.
pub fn statements(
    t: &Table,
    cols: &[Option<Field>],
    catalog: &Catalog,
) -> Result<Vec<Imported>, Vec<RowError>> {
    let mut out: Vec<Imported> = Vec::new();
    let mut errors = Vec::new();
    let mut lines: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (line, cells) in &t.rows {
        let line = *line;
        if cells.iter().all(|c| c.text().is_empty()) {
            continue;
        }
        let mut st = Imported::default();
        let mut err = |m: String| errors.push(RowError { line, message: m });
        for (i, field) in cols.iter().enumerate() {
            let Some(field) = field else { continue };
            let cell = cells.get(i).cloned().unwrap_or(Value::Text(String::new()));
            let text = cell.text();
            match field {
                Field::Control => st.id = text,
                Field::Applicable => match yes_no(&text) {
                    Some(v) => st.applicable = v,
                    None => err(format!(
                        "applicable `{text}` is neither yes nor no (column `{}`)",
                        t.headers[i]
                    )),
                },
                Field::Justification => st.justification = Some(text).filter(|s| !s.is_empty()),
                Field::Status => match status(&text) {
                    Ok(v) => st.status = v,
                    Err(()) => err(format!(
                        "status `{text}` is not one of not-started, planned, partial, implemented (or a level of aims' SoA)"
                    )),
                },
                Field::Owner => st.owner = Some(text).filter(|s| !s.is_empty()),
                Field::Evidence => {
                    st.evidence = text
                        .split([';', '\n'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                Field::Reviewed => match &cell {
                    Value::Date(d) => st.reviewed = Some(*d),
                    Value::Text(_) if text.is_empty() => {}
                    Value::Text(_) => match Date::parse(&text) {
                        Ok(d) => st.reviewed = Some(d),
                        Err(_) => err(format!("reviewed `{text}` is not a date (YYYY-MM-DD)")),
                    },
                },
                Field::Notes => st.notes = Some(text).filter(|s| !s.is_empty()),
                Field::Ignored => {}
            }
        }
        // A status of not-applicable excludes, unless a column says otherwise.
        if st.status == Some("not-applicable") {
            st.status = None;
            st.applicable.get_or_insert(false);
        }
        if st.id.is_empty() {
            err("no control id".into());
            continue;
        }
        let Some(c) = catalog.get(&st.id) else {
            let hint = crate::diag::suggest(&st.id, catalog.ids())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            err(format!(
                "`{}` is not a control of the catalogue{hint}; `aims controls` lists them",
                st.id
            ));
            continue;
        };
        st.id = c.id.clone();
        if let Some(first) = lines.get(&st.id) {
            err(format!("`{}` again (first on line {first})", st.id));
            continue;
        }
        lines.insert(st.id.clone(), line);
        // Included controls keep their text as a note: a justification
        // is what an exclusion needs.
        if st.applicable != Some(false)
            && let Some(j) = st.justification.take()
        {
            st.notes = Some(match st.notes.take() {
                Some(n) => format!("{n}\n{j}"),
                None => j,
            });
        }
        out.push(st);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A YAML double-quoted scalar: JSON's string syntax, which YAML reads the same.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The `controls:` YAML of the statements, with a comment saying where
/// it came from.
pub fn to_yaml(source: &str, statements: &[Imported]) -> String {
    let mut y = String::new();
    // A comment ends at any line break (`\r`, U+2028 too): none survives.
    let source: String = source
        .chars()
        .map(|c| {
            if crate::render::escape::is_control(c) || c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let _ = writeln!(y, "# Imported by `aims import soa` from {source}.");
    y.push_str("# Review it, then add it to the inventory (aims.toml `inventory`).\n");
    y.push_str("controls:\n");
    for s in statements {
        let _ = writeln!(y, "  {}:", q(&s.id));
        if let Some(a) = s.applicable {
            let _ = writeln!(y, "    applicable: {a}");
        }
        if let Some(j) = &s.justification {
            let _ = writeln!(y, "    justification: {}", q(j));
        }
        if let Some(st) = s.status {
            let _ = writeln!(y, "    status: {st}");
        }
        if let Some(o) = &s.owner {
            let _ = writeln!(y, "    owner: {}", q(o));
        }
        if !s.evidence.is_empty() {
            let list: Vec<String> = s.evidence.iter().map(|e| q(e)).collect();
            let _ = writeln!(y, "    evidence: [{}]", list.join(", "));
        }
        if let Some(d) = s.reviewed {
            let _ = writeln!(y, "    reviewed: {d}");
        }
        if let Some(n) = &s.notes {
            let _ = writeln!(y, "    notes: {}", q(n));
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_flexibly() {
        assert_eq!(Field::guess("Control"), Some(Field::Control));
        assert_eq!(Field::guess("control_id"), Some(Field::Control));
        assert_eq!(Field::guess("Applicable?"), Some(Field::Applicable));
        assert_eq!(Field::guess("Implementation status"), Some(Field::Status));
        assert_eq!(Field::guess("Implementation level"), Some(Field::Status));
        assert_eq!(
            Field::guess("Justification for exclusion"),
            Some(Field::Justification)
        );
        assert_eq!(Field::guess("Control owner"), Some(Field::Owner));
        assert_eq!(Field::guess("Last reviewed"), Some(Field::Reviewed));
        assert_eq!(Field::guess("Title"), Some(Field::Ignored));
        assert_eq!(Field::guess("Control title"), Some(Field::Ignored));
        assert_eq!(Field::guess("Annex A ref."), Some(Field::Control));
        assert_eq!(Field::guess("Colour"), None);
    }

    #[test]
    fn unknown_ids_are_errors_with_their_line() {
        let t = read_csv("Control,Applicable?\nA.2.2,yes\nA.99.1,no\n\nA.2.2,yes\n").unwrap();
        let cols = columns(&t.headers, &[]).unwrap();
        let e = statements(&t, &cols, Catalog::embedded()).unwrap_err();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].line, 3);
        assert!(
            e[0].message.contains("`A.99.1` is not a control"),
            "{}",
            e[0].message
        );
        assert_eq!(e[1].line, 5);
        assert!(e[1].message.contains("first on line 2"));
    }

    #[test]
    fn map_names_a_column_the_guess_missed() {
        let t = read_csv("Ctl,Stand\nA.2.2,done\n").unwrap();
        assert!(columns(&t.headers, &[]).is_err());
        let cols = columns(&t.headers, &["ctl=control".into(), "Stand=status".into()]).unwrap();
        let s = statements(&t, &cols, Catalog::embedded()).unwrap();
        assert_eq!(s[0].status, Some("implemented"));
        assert!(columns(&t.headers, &["nope=control".into()]).is_err());
        assert!(columns(&t.headers, &["ctl=colour".into()]).is_err());
    }

    #[test]
    fn a_workbook_that_unpacks_too_large_is_refused() {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        z.write_all(&vec![0u8; 3 * 1024 * 1024]).unwrap();
        z.finish().unwrap();
        let bytes = buf.into_inner();
        assert!(bytes.len() < 64 * 1024);
        let e = check_unpacked(&bytes, 2 * 1024 * 1024).err().unwrap();
        assert!(e.to_string().contains("unpacks to 3 MiB"), "{e}");
        assert!(check_unpacked(&bytes, 4 * 1024 * 1024).is_ok());
    }

    #[test]
    fn yaml_quotes_every_string() {
        let s = Imported {
            id: "A.2.2".into(),
            applicable: Some(false),
            justification: Some("no: \"x\"\n# y".into()),
            ..Default::default()
        };
        let y = to_yaml("a.csv", &[s]);
        assert!(
            y.contains(
                "  \"A.2.2\":\n    applicable: false\n    justification: \"no: \\\"x\\\"\\n# y\"\n"
            ),
            "{y}"
        );
    }
}
