//! The codes of load errors (exit 2): always errors, neither configurable
//! nor waivable, registered so that `aims rules ID` explains them and SARIF
//! describes them. src/load emits them by typed code (`LoadCode::Yaml`), so
//! a code that is not registered fails to compile; the test below fails on
//! a registered code that src/load never emits.

use super::registry::rule_table;

rule_table! {
    /// The code of a load error.
    pub enum LoadCode in LOAD_CODES {
        Yaml = "load/yaml", Error, caps_level: false, waivable: false,
            summary: "A file is not valid YAML",
            explain: "The inventory, aims.toml and overlays are read as YAML (TOML for aims.toml) with line and column for every value; a syntax error stops the load of that file, and only that file.",
            fix: "Fix the syntax at the place shown (an unclosed quote, a bad indent, a tab); `aims check` reports one error per mistake.";
        Encoding = "load/encoding", Error, caps_level: false, waivable: false,
            summary: "A file is not UTF-8 text",
            explain: "Inputs must be UTF-8 (a BOM is allowed). UTF-16 files and binary files are refused with the place of the first bad byte.",
            fix: "Save the file as UTF-8.";
        Empty = "load/empty", Error, caps_level: false, waivable: false,
            summary: "A file holds no inventory",
            explain: "An inventory file that is empty or only comments contributes nothing, which is almost always a mistake (a truncated file, the wrong glob).",
            fix: "Add the inventory's content, or remove the file or the glob that names it.";
        TooLarge = "load/too-large", Error, caps_level: false, waivable: false,
            summary: "A file or structure exceeds a limit",
            explain: "aims reads each file up to 64 MiB, the inventory files together up to `[limits] inventory_mb` (256 MiB by default), nothing that the process's address-space limit (`ulimit -v`) leaves no room to load, and YAML up to limits on depth, aliases and nodes, so that a hostile or careless input cannot exhaust memory or time: the run stops before the file is read.",
            fix: "Split the inventory into several files (or repositories), raise the limit the message names where the machine has the memory, or remove the alias or nesting it names.";
        FileName = "load/file-name", Error, caps_level: false, waivable: false,
            summary: "An inventory file's name is not UTF-8",
            explain: "The manifest of a pack, every message and every report name files exactly, as UTF-8 text; a file whose name is not UTF-8 cannot be named that way, so every command refuses it alike instead of reading it in one and failing in another.",
            fix: "Rename the file (the message shows the bad byte escaped).";
        Io = "load/io", Error, caps_level: false, waivable: false,
            summary: "A file cannot be read",
            explain: "The file named exists in the inventory's list but reading it failed: permission denied, a folder where a file belongs, a FIFO or device file (never opened).",
            fix: "Make the file a readable regular file, or correct the path.";
        OutsideRoot = "load/outside-root", Error, caps_level: false, waivable: false,
            summary: "A path leads outside the repository root",
            explain: "Every file aims reads lies inside the repository root (the folder holding aims.toml, or the inventory's folder): a path that is absolute, climbs out with `..` or goes through a symlink to outside is refused and never read, so a pull request cannot make aims print files from elsewhere.",
            fix: "Move the file into the repository and cite it by a relative path.";
        NoInventory = "load/no-inventory", Error, caps_level: false, waivable: false,
            summary: "No inventory was found",
            explain: "aims looks for aims.toml or aims.yaml in the folder given (or the current folder and its parents), and for the files aims.toml's `inventory` names.",
            fix: "Run `aims init`, pass the inventory's path, or correct `inventory` in aims.toml.";
        Config = "load/config", Error, caps_level: false, waivable: false,
            summary: "aims.toml is invalid",
            explain: "aims.toml sets the inventory files, the evidence root, rule levels, freshness, the gate and catalogue overlays; an unknown key or a bad value is an error at its line.",
            fix: "Correct the key or value at the place shown; `aims init` writes a commented example.";
        Catalog = "load/catalog", Error, caps_level: false, waivable: false,
            summary: "A catalogue overlay is invalid",
            explain: "A `[catalog] extra` overlay may add groups and controls with their own ids and may not change the ids or titles of ISO/IEC 42001 clauses and controls.",
            fix: "Correct the overlay entry at the place shown.";
        UnknownField = "load/unknown-field", Error, caps_level: false, waivable: false,
            summary: "A field is not part of the format",
            explain: "Every mapping accepts only its documented fields, so a typo (`ownr:`) is caught instead of silently ignored. The message suggests the closest field.",
            fix: "Correct the field name, or remove it; `aims schema` prints every field.";
        Invalid = "load/invalid", Error, caps_level: false, waivable: false,
            summary: "A value has the wrong type or form",
            explain: "A field holds a value of the wrong kind (a list where a mapping belongs, a date that is not YYYY-MM-DD, an id with characters ids cannot hold).",
            fix: "Write the value in the form the message names.";
        DuplicateKey = "load/duplicate-key", Error, caps_level: false, waivable: false,
            summary: "A mapping repeats a key",
            explain: "YAML parsers differ on which of two equal keys wins; aims refuses the repeat so that the file means one thing.",
            fix: "Remove or rename one of the two keys.";
        DuplicateId = "load/duplicate-id", Error, caps_level: false, waivable: false,
            summary: "Two items share an id",
            explain: "Ids (systems, policies, roles, risks, assessments, suppliers, audits, nonconformities, waivers) are compared ignoring case and must be unique across all inventory files, so that every reference names one item.",
            fix: "Rename one of the two items; the message names both places.";
        BrokenReference = "load/broken-reference", Error, caps_level: false, waivable: false,
            summary: "A reference names no item",
            explain: "An owner, approver, supplier, system or source must name an item defined in the inventory.",
            fix: "Define the item, or correct the reference (the message suggests the closest id).";
        UnknownControl = "load/unknown-control", Error, caps_level: false, waivable: false,
            summary: "A control id is not in the catalogue",
            explain: "Statements, scopes and references must use a clause or Annex A id of ISO/IEC 42001 as written there (`6.1.3`, `A.6.2.4`), or an id an overlay adds. Number-like ids are read as written: `10.10` is not `10.1`.",
            fix: "Correct the id; `aims controls` lists the catalogue.";
        UnknownRule = "load/unknown-rule", Error, caps_level: false, waivable: false,
            summary: "aims.toml or a waiver names no rule",
            explain: "Rule levels in `[rules]` and waivers name rules by id; an unknown id would configure or silence nothing.",
            fix: "Correct the id; `aims rules` lists them.";
        TooManyProblems = "load/too-many-problems", Error, caps_level: false, waivable: false,
            summary: "Further problems were not listed",
            explain: "After many load errors aims stops listing more, so that one broken file does not flood a CI log.",
            fix: "Fix the problems shown and run again.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every load code src/load emits is registered, and every registered
    /// load code is emitted there: a stale entry fails here (an unknown
    /// code fails to compile). Codes are found as `LoadCode::Name` in the
    /// text of src/load, the only module that reports load errors; name
    /// them that way there (no `use LoadCode::*`, no alias).
    #[test]
    fn load_codes_are_exactly_the_ones_emitted() {
        let names: std::collections::BTreeMap<&str, &str> = LoadCode::ALL
            .iter()
            .map(|c| (c.name(), c.as_str()))
            .collect();
        let mut used = std::collections::BTreeSet::new();
        for e in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/load")) {
            let e = e.unwrap();
            if e.path().extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            for (at, m) in text.match_indices("LoadCode::") {
                let rest = &text[at + m.len()..];
                let end = rest
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .unwrap_or(rest.len());
                let name = &rest[..end];
                // Variants are CamelCase; `ALL` and methods are not codes.
                if name.starts_with(|c: char| c.is_ascii_uppercase())
                    && name.contains(|c: char| c.is_ascii_lowercase())
                {
                    // A name that is no variant shows as itself.
                    used.insert(names.get(name).copied().unwrap_or(name).to_string());
                }
            }
        }
        assert!(!used.is_empty(), "no `LoadCode::` found in src/load");
        let registered: std::collections::BTreeSet<String> =
            LOAD_CODES.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(used, registered);
        assert!(
            LOAD_CODES
                .iter()
                .all(|r| super::super::rule(r.id).is_none())
        );
        for (&code, r) in LoadCode::ALL.iter().zip(LOAD_CODES) {
            assert_eq!(code.as_str(), r.id);
            assert_eq!(LoadCode::from_id(r.id), Some(code));
            assert!(!code.caps_level() && !code.waivable());
        }
    }
}
