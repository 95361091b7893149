//! The audit calendar: internal audits, management reviews, surveillance and recertification.

use super::*;

pub(super) fn schedule(project: &Project, as_of: Date) -> (Vec<Scheduled>, Option<String>) {
    let cert = project
        .inventory
        .organization
        .as_ref()
        .and_then(|o| o.certification.as_ref());
    if let Some(certified) = cert.and_then(|c| c.certified) {
        return certified_schedule(project, cert, certified, as_of);
    }
    // Not certified: the Stage 1 and Stage 2 dates, from the certification
    // block or else from audits of those kinds.
    let mut out = Vec::new();
    for (kind, key, title, date) in [
        (
            AuditKind::Stage1,
            "stage1",
            "Stage 1 audit (documentation)",
            cert.and_then(|c| c.stage1),
        ),
        (
            AuditKind::Stage2,
            "stage2",
            "Stage 2 audit (implementation)",
            cert.and_then(|c| c.stage2),
        ),
    ] {
        let date = date.or_else(|| {
            project
                .inventory
                .audits
                .iter()
                .filter(|a| a.kind == kind)
                .map(|a| a.date)
                .max()
        });
        if let Some(due) = date {
            let (status, audit) = status(project, &[kind], due, as_of);
            out.push(Scheduled {
                kind: key,
                title: title.into(),
                due,
                start_by: None,
                status,
                audit,
            });
        }
    }
    let note = if out.is_empty() {
        "Not certified, and no Stage 1 or Stage 2 date recorded: set \
         `organization.certification.stage1` and `stage2` once the certification body proposes them."
            .to_string()
    } else {
        "Not certified yet: the Stage 1 and Stage 2 audits as planned.".to_string()
    };
    (out, Some(note))
}

pub(super) fn certified_schedule(
    project: &Project,
    cert: Option<&Certification>,
    certified: Date,
    as_of: Date,
) -> (Vec<Scheduled>, Option<String>) {
    let mut out = Vec::new();
    for (n, months) in [(1, 12), (2, 24)] {
        let due = Duration::months(months).after(certified);
        let (status, audit) = status(project, &[AuditKind::Surveillance], due, as_of);
        out.push(Scheduled {
            kind: "surveillance",
            title: format!("Surveillance audit {n}"),
            due,
            start_by: None,
            status,
            audit,
        });
    }
    let recorded = cert.and_then(|c| c.expires);
    let expires = recorded.unwrap_or_else(|| CERT_LIFE.after(certified));
    let (status, audit) = status(project, &[AuditKind::Recertification], expires, as_of);
    out.push(Scheduled {
        kind: "recertification",
        title: "Recertification audit".into(),
        due: expires,
        start_by: Some(RECERT_LEAD.before(expires)),
        status,
        audit,
    });
    let note = recorded.is_none().then(|| {
        format!(
            "`organization.certification.expires` is not recorded; assumed 3 years after certification ({expires})."
        )
    });
    (out, note)
}
