//! Chart geometry for the report: scores per group and risk heat maps,
//! computed here so templates only draw them.

use serde_json::{Value, json};

/// Bar chart geometry for scores per group (SVG user units).
pub(super) fn bar_chart(groups: &[&crate::assess::GroupSummary]) -> Value {
    let row = 26.0;
    let bars: Vec<Value> = groups
        .iter()
        .enumerate()
        .map(|(n, g)| {
            let y = 10.0 + n as f64 * row;
            json!({
                "id": g.id, "title": g.title, "score": format!("{:.1}", g.score),
                "y": y, "text_y": y + 15.0, "width": (g.score * 3.6).round() / 1.0,
                "css": if g.score >= 75.0 { "good" } else if g.score >= 40.0 { "fair" } else { "poor" },
                "blocks": "█".repeat((g.score / 5.0).round() as usize),
            })
        })
        .collect();
    json!({"bars": bars, "height": 20.0 + groups.len() as f64 * row})
}

/// A 5x5 matrix of counts of (likelihood, impact) points: `[impact-1][likelihood-1]`.
pub fn heat(points: impl Iterator<Item = (u8, u8)>) -> [[usize; 5]; 5] {
    let mut m = [[0usize; 5]; 5];
    for (l, i) in points {
        if (1..=5).contains(&l) && (1..=5).contains(&i) {
            m[usize::from(i - 1)][usize::from(l - 1)] += 1;
        }
    }
    m
}

/// A 5×5 heat map: cells from impact 5 (top) to 1, likelihood 1 to 5.
pub(super) fn heat_map(points: &[(u8, u8)], appetite: u8) -> Value {
    let counts = heat(points.iter().copied());
    let mut cells = Vec::new();
    for (row, impact) in (1..=5u8).rev().enumerate() {
        for likelihood in 1..=5u8 {
            let count = counts[usize::from(impact - 1)][usize::from(likelihood - 1)];
            let score = u16::from(likelihood) * u16::from(impact);
            let band = if score > u16::from(appetite) {
                if score >= 15 { "high" } else { "above" }
            } else {
                "within"
            };
            cells.push(json!({
                "x": 40 + (likelihood as usize - 1) * 44, "y": 10 + row * 44,
                "tx": 62 + (likelihood as usize - 1) * 44, "ty": 38 + row * 44,
                "count": count, "score": score, "band": band,
            }));
        }
    }
    json!({"cells": cells})
}
