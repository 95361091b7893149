//! Ids and references: every id unique in its list (case-insensitively),
//! every reference resolves, every catalogue id exists. These are load
//! errors (exit 2): a broken reference means the inventory says nothing
//! reliable. Missing governance facts are findings, judged by the rules.

use std::collections::HashMap;

use super::read::StandIn;
use crate::catalog::Catalog;
use crate::diag::{Diagnostic, Location, suggest};
use crate::load::yaml::Node;
use crate::model::*;
use crate::rules::LoadCode;

struct V<'d, 's> {
    diags: &'d mut Vec<Diagnostic>,
    stand_ins: &'s [StandIn],
    /// Some inventory file could not be read or parsed.
    unread: bool,
    catalog_unread: bool,
}

impl V<'_, '_> {
    /// Past the loader's diagnostics limit, problems are only counted, so
    /// their "did you mean" is not worth computing: with thousands of
    /// broken references, each would scan every id.
    fn room(&self) -> bool {
        self.diags.len() < super::MAX_DIAGNOSTICS
    }

    fn err(&mut self, code: LoadCode, msg: String, loc: Location, help: Option<String>) {
        self.diags
            .push(Diagnostic::error(code, msg).at(Some(loc)).help_opt(help));
    }
}

/// An index of the ids of one list.
struct Ids<'a> {
    what: &'static str,
    section: &'static str,
    map: HashMap<KeyBuf, (&'a Id, Location)>,
    /// A file did not parse: it may define any id, so a reference that
    /// does not resolve is unknown, not broken, and is not reported.
    unknown: bool,
}

impl<'a> Ids<'a> {
    fn build<T>(
        v: &mut V<'_, 'a>,
        what: &'static str,
        section: &'static str,
        items: &'a [T],
        f: impl Fn(&'a T) -> (&'a Id, Location),
    ) -> Self {
        let mut map: HashMap<KeyBuf, (&Id, Location)> = HashMap::new();
        // Items that could not be read still hold their id (their own
        // errors are reported where they are written).
        let stand_ins = v
            .stand_ins
            .iter()
            .filter(|s| s.section == section)
            .map(|s| (&s.id, s.loc.clone()));
        for (id, loc) in items.iter().map(f).chain(stand_ins) {
            if let Some((first, first_loc)) = map.get(id.as_key()) {
                v.err(
                    LoadCode::DuplicateId,
                    format!("duplicate {what} id `{id}` (ids compare without case: `{first}` is at {first_loc})"),
                    loc,
                    Some(format!("give each {what} in `{section}` its own id")),
                );
            } else {
                map.insert(id.as_str().into(), (id, loc));
            }
        }
        Ids {
            what,
            section,
            map,
            unknown: v.unread,
        }
    }

    fn check(&self, v: &mut V, id: &Id, field: &str, loc: Location) {
        if self.unknown || self.map.contains_key(id.as_key()) {
            return;
        }
        let help = v.room().then(|| {
            let known: Vec<&str> = self.map.values().map(|(i, _)| i.as_str()).collect();
            match suggest(id.as_str(), known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => format!(
                    "`{}` is empty: add the {} there first",
                    self.section, self.what
                ),
                None => format!(
                    "define it under `{}`, or use one of: {}",
                    self.section,
                    sample(&known)
                ),
            }
        });
        v.err(
            LoadCode::BrokenReference,
            format!("`{field}` names {} `{id}`, which is not defined", self.what),
            loc,
            help,
        );
    }

    fn check_opt(&self, v: &mut V, id: &Option<Id>, field: &str, loc: impl FnOnce() -> Location) {
        if let Some(id) = id {
            self.check(v, id, field, loc());
        }
    }
}

fn sample(known: &[&str]) -> String {
    let mut k: Vec<&str> = known.to_vec();
    k.sort_unstable();
    if k.len() > 8 {
        format!("{}, …", k[..8].join(", "))
    } else {
        k.join(", ")
    }
}

fn check_control(v: &mut V, catalog: &Catalog, id: &ControlId, field: &str, loc: Location) {
    if catalog.get(&id.0).is_none() && !v.catalog_unread {
        let help = v.room().then(|| {
            suggest(&id.0, catalog.ids())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "run `aims controls` for the catalogue".into())
        });
        v.err(
            LoadCode::UnknownControl,
            format!("`{field}` names `{id}`, which is not a control or clause in the catalogue"),
            loc,
            help,
        );
    }
}

fn check_controls(v: &mut V, catalog: &Catalog, ids: &[ControlId], src: &Src, path: &[&str]) {
    for (i, id) in ids.iter().enumerate() {
        let idx = i.to_string();
        let mut p: Vec<&str> = path.to_vec();
        p.push(&idx);
        check_control(
            v,
            catalog,
            id,
            path.last().copied().unwrap_or("controls"),
            src.loc_of(&p),
        );
    }
}

/// What the load could not read, so that one mistake stays one error.
pub struct Unread<'s> {
    /// The ids of items that were written but could not be read.
    pub stand_ins: &'s [StandIn],
    /// An inventory file did not parse: it may define what any reference
    /// names, so references are not judged.
    pub files: bool,
    /// A catalogue overlay did not parse: control ids are not judged.
    pub catalog: bool,
}

pub fn validate(inv: &Inventory, catalog: &Catalog, unread: Unread, diags: &mut Vec<Diagnostic>) {
    let v = &mut V {
        diags,
        stand_ins: unread.stand_ins,
        unread: unread.files,
        catalog_unread: unread.catalog,
    };

    let roles = Ids::build(v, "role", "roles", &inv.roles, |r| {
        (&r.id, r.src.loc_of(&["id"]))
    });
    let systems = Ids::build(v, "system", "systems", &inv.systems, |s| {
        (&s.id, s.src.loc_of(&["id"]))
    });
    let suppliers = Ids::build(v, "supplier", "suppliers", &inv.suppliers, |s| {
        (&s.id, s.src.loc_of(&["id"]))
    });
    let ncs = Ids::build(
        v,
        "nonconformity",
        "nonconformities",
        &inv.nonconformities,
        |n| (&n.id, n.src.loc_of(&["id"])),
    );
    let _policies = Ids::build(v, "policy", "policies", &inv.policies, |p| {
        (&p.id, p.src.loc_of(&["id"]))
    });
    let _risks = Ids::build(v, "risk", "risks", &inv.risks, |r| {
        (&r.id, r.src.loc_of(&["id"]))
    });
    let _ias = Ids::build(
        v,
        "impact assessment",
        "impact_assessments",
        &inv.impact_assessments,
        |r| (&r.id, r.src.loc_of(&["id"])),
    );
    let _audits = Ids::build(v, "audit", "audits", &inv.audits, |r| {
        (&r.id, r.src.loc_of(&["id"]))
    });
    let _waivers = Ids::build(v, "waiver", "waivers", &inv.waivers, |r| {
        (&r.id, r.src.loc_of(&["id"]))
    });

    if let Some(o) = &inv.organization {
        roles.check_opt(v, &o.aims_owner, "aims_owner", || {
            o.src.loc_of(&["aims_owner"])
        });
        if let Some(a) = o.risk_appetite
            && !(1..=25).contains(&a)
        {
            v.err(
                LoadCode::Invalid,
                format!(
                    "`risk_appetite` is {a}; risk scores run from 1 to 25 (likelihood × impact)"
                ),
                o.src.loc_of(&["risk_appetite"]),
                Some("the default is 9".into()),
            );
        }
        if let Some(c) = &o.certification
            && let (Some(a), Some(b)) = (c.certified, c.expires)
            && b <= a
        {
            v.err(
                LoadCode::Invalid,
                format!("certification `expires` ({b}) is not after `certified` ({a})"),
                o.src.loc_of(&["certification", "expires"]),
                None,
            );
        }
    }

    for p in &inv.policies {
        roles.check_opt(v, &p.approved_by, "approved_by", || {
            p.src.loc_of(&["approved_by"])
        });
        check_controls(v, catalog, &p.controls, &p.src, &["controls"]);
    }

    for st in inv.controls.values() {
        roles.check_opt(v, &st.statement.owner, "owner", || {
            st.src.loc_of(&["owner"])
        });
    }

    for s in &inv.systems {
        roles.check_opt(v, &s.owner, "owner", || s.src.loc_of(&["owner"]));
        suppliers.check_opt(v, &s.supplier, "supplier", || s.src.loc_of(&["supplier"]));
        let mut data_ids: HashMap<KeyBuf, &Id> = HashMap::new();
        for (i, d) in s.data.iter().enumerate() {
            if data_ids.insert(d.id.as_str().into(), &d.id).is_some() {
                v.err(
                    LoadCode::DuplicateId,
                    format!("system `{}` lists data set `{}` twice", s.id, d.id),
                    s.src.loc_of(&["data", &i.to_string(), "id"]),
                    None,
                );
            }
        }
        // Where each statement is written, found once per system rather
        // than by a scan of the mapping for every key.
        let controls_node = s.src.node.as_deref().and_then(|n| n.get("controls"));
        let written = controls_node.map(Node::index).unwrap_or_default();
        let fallback = controls_node.map_or_else(|| s.src.pos(), |n| n.pos);
        let at = |key: &str, field: Option<&str>| {
            let pos = match (written.get(key), field) {
                (Some((_, value)), Some(f)) => value.pos_of(&[f]),
                (Some((_, value)), None) => value.pos,
                (None, _) => fallback,
            };
            Location::new(&s.src.file, pos)
        };
        for (key, st) in &s.controls {
            let loc = at(key, None);
            match catalog.get(key) {
                None if v.catalog_unread => {}
                None => {
                    let help = v.room().then(|| {
                        suggest(key, catalog.ids())
                            .map(|x| format!("did you mean `{x}`?"))
                            .unwrap_or_else(|| "run `aims controls` for the catalogue".into())
                    });
                    v.err(LoadCode::UnknownControl, format!("system `{}` has a statement for `{key}`, which is not in the catalogue", s.id), loc, help);
                }
                Some(c) if !c.applies_to.per_system() => v.err(
                    LoadCode::Invalid,
                    format!("`{}` ({}) is judged for the organisation only, so system `{}` cannot have its own statement for it", c.id, c.title, s.id),
                    loc,
                    Some(format!("move it to the top-level `controls:`; `aims controls {}` shows its scope", c.id)),
                ),
                Some(_) => {}
            }
            roles.check_opt(v, &st.owner, "owner", || at(key, Some("owner")));
        }
    }

    for r in &inv.risks {
        for (i, sid) in r.systems.iter().enumerate() {
            systems.check(
                v,
                sid,
                "systems",
                r.src.loc_of(&["systems", &i.to_string()]),
            );
        }
        roles.check_opt(v, &r.owner, "owner", || r.src.loc_of(&["owner"]));
        roles.check_opt(v, &r.accepted_by, "accepted_by", || {
            r.src.loc_of(&["accepted_by"])
        });
        check_controls(v, catalog, &r.controls, &r.src, &["controls"]);
    }

    for ia in &inv.impact_assessments {
        systems.check(v, &ia.system, "system", ia.src.loc_of(&["system"]));
        roles.check_opt(v, &ia.assessor, "assessor", || ia.src.loc_of(&["assessor"]));
        roles.check_opt(v, &ia.approved_by, "approved_by", || {
            ia.src.loc_of(&["approved_by"])
        });
        if let Some(n) = ia.next_review
            && n < ia.date
        {
            v.err(
                LoadCode::Invalid,
                format!(
                    "`next_review` ({n}) is before the assessment `date` ({})",
                    ia.date
                ),
                ia.src.loc_of(&["next_review"]),
                None,
            );
        }
        for (i, imp) in ia.impacts.iter().enumerate() {
            let idx = i.to_string();
            check_controls(
                v,
                catalog,
                &imp.controls,
                &ia.src,
                &["impacts", &idx, "controls"],
            );
        }
    }

    for a in &inv.audits {
        check_controls(v, catalog, &a.scope, &a.src, &["scope"]);
        for (i, f) in a.findings.iter().enumerate() {
            ncs.check(
                v,
                f,
                "findings",
                a.src.loc_of(&["findings", &i.to_string()]),
            );
        }
    }

    for n in &inv.nonconformities {
        check_controls(v, catalog, &n.controls, &n.src, &["controls"]);
        roles.check_opt(v, &n.owner, "owner", || n.src.loc_of(&["owner"]));
        if let Some(c) = n.closed
            && c < n.raised
        {
            v.err(
                LoadCode::Invalid,
                format!("`closed` ({c}) is before `raised` ({})", n.raised),
                n.src.loc_of(&["closed"]),
                None,
            );
        }
    }

    incidents(v, inv, &systems, &ncs);
    for s in &inv.systems {
        ai_act_facts(v, s);
    }

    let rule_ids: Vec<&str> = crate::rules::RULES.iter().map(|r| r.id).collect();
    for w in &inv.waivers {
        if w.rule != "*" && !rule_ids.contains(&w.rule.as_str()) {
            let help = suggest(&w.rule, rule_ids.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "use a rule id from `aims rules`, or `*`".into());
            v.err(
                LoadCode::UnknownRule,
                format!(
                    "waiver `{}` names rule `{}`, which does not exist",
                    w.id, w.rule
                ),
                w.src.loc_of(&["rule"]),
                Some(help),
            );
        }
        if let Some(c) = &w.control {
            check_control(v, catalog, c, "control", w.src.loc_of(&["control"]));
        }
        systems.check_opt(v, &w.system, "system", || w.src.loc_of(&["system"]));
        roles.check_opt(v, &w.approved_by, "approved_by", || {
            w.src.loc_of(&["approved_by"])
        });
    }
}

/// Incidents: unique ids, a system and a nonconformity that exist, and
/// dates in order (it happened, then someone knew, then it was reported).
fn incidents<'a>(v: &mut V<'_, 'a>, inv: &'a Inventory, systems: &Ids, ncs: &Ids) {
    let _ids = Ids::build(v, "incident", "incidents", &inv.incidents, |r| {
        (&r.id, r.src.loc_of(&["id"]))
    });
    for i in &inv.incidents {
        systems.check(v, &i.system, "system", i.src.loc_of(&["system"]));
        ncs.check_opt(v, &i.nonconformity, "nonconformity", || {
            i.src.loc_of(&["nonconformity"])
        });
        if i.aware < i.occurred {
            v.err(
                LoadCode::Invalid,
                format!(
                    "incident `{}`: `aware` ({}) is before `occurred` ({})",
                    i.id, i.aware, i.occurred
                ),
                i.src.loc_of(&["aware"]),
                Some("`aware` is the day the organisation learnt of the incident".into()),
            );
        }
        if let Some(r) = i.reported
            && r < i.occurred
        {
            v.err(
                LoadCode::Invalid,
                format!(
                    "incident `{}`: `reported` ({r}) is before `occurred` ({})",
                    i.id, i.occurred
                ),
                i.src.loc_of(&["reported"]),
                None,
            );
        }
    }
}

/// AI Act facts that contradict each other. `third_party_assessment` is
/// Art. 6(1)(b), about the product of 6(1)(a): without `safety_component`
/// it is about nothing, and the classification would silently ignore it.
fn ai_act_facts(v: &mut V, s: &crate::model::System) {
    let Some(eu) = &s.eu_ai_act else { return };
    if eu.third_party_assessment && !eu.safety_component {
        v.err(
            LoadCode::Invalid,
            format!(
                "system `{}` has `third_party_assessment: true` but is not a product or safety component under Annex I (`safety_component` is false)",
                s.id
            ),
            s.src.loc_of(&["eu_ai_act", "third_party_assessment"]),
            Some("Art. 6(1) needs both: set `safety_component: true` if the system is an Annex I product or a safety component of one, or remove `third_party_assessment`".into()),
        );
    }
}
