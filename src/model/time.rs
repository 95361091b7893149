//! Dates and durations, and the calendar arithmetic schedules need.

use std::borrow::Cow;
use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// A calendar date, ISO 8601 (`2026-03-01`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(s: &str) -> Result<Date, ParseDateError> {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Date)
            .map_err(|_| ParseDateError {
                found: s.to_string(),
                why: calendar_mistake(s.trim())
                    .unwrap_or_else(|| "write it as YYYY-MM-DD, for example 2026-03-01".into()),
            })
    }
}

/// For text shaped like a date but not on the calendar, which part is
/// wrong: "write it as YYYY-MM-DD" does not help someone who did.
fn calendar_mistake(s: &str) -> Option<String> {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) {
        return Some(format!(
            "month {m} does not exist (months run from 01 to 12)"
        ));
    }
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let days = first
        .checked_add_months(Months::new(1))?
        .signed_duration_since(first)
        .num_days();
    if d == 0 || i64::from(d) > days {
        return Some(format!("{} {y} has {days} days", first.format("%B")));
    }
    None
}

/// A text that is not a date written as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{found}` is not a date: {why}")]
pub struct ParseDateError {
    /// The text as given.
    pub found: String,
    /// What is wrong with it and how to write it.
    pub why: String,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written as YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Date, E> {
                Err(E::custom(format!(
                    "`{v}` is not a date: write it as YYYY-MM-DD"
                )))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Date, E> {
                Err(E::custom(format!(
                    "`{v}` is not a date: write it as YYYY-MM-DD"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
    }
}

/// A text that is not a duration such as `12 months`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{found}` is not a duration: write `N days`, `N weeks`, `N months` or `N years`, for example `12 months`"
)]
pub struct ParseDurationError {
    /// The text as given.
    pub found: String,
}

/// A duration such as `12 months`, `90 days`, `2 weeks`, `1 year`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duration {
    pub n: u32,
    pub unit: DurationUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DurationUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Duration {
    pub const fn months(n: u32) -> Self {
        Duration {
            n,
            unit: DurationUnit::Months,
        }
    }

    pub fn parse(s: &str) -> Result<Duration, ParseDurationError> {
        let err = || ParseDurationError {
            found: s.to_string(),
        };
        let mut parts = s.split_whitespace();
        let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err());
        };
        let n: u32 = n.parse().map_err(|_| err())?;
        if n == 0 || n > 100_000 {
            return Err(err());
        }
        let unit = match unit.to_lowercase().as_str() {
            "day" | "days" => DurationUnit::Days,
            "week" | "weeks" => DurationUnit::Weeks,
            "month" | "months" => DurationUnit::Months,
            "year" | "years" => DurationUnit::Years,
            _ => return Err(err()),
        };
        Ok(Duration { n, unit })
    }

    /// `date + self`, clamped to the end of the month (31 Jan + 1 month = 28/29 Feb).
    pub fn after(&self, date: Date) -> Date {
        let d = date.0;
        let r = match self.unit {
            DurationUnit::Days => d.checked_add_days(chrono::Days::new(self.n.into())),
            DurationUnit::Weeks => d.checked_add_days(chrono::Days::new(u64::from(self.n) * 7)),
            DurationUnit::Months => d.checked_add_months(Months::new(self.n)),
            DurationUnit::Years => d.checked_add_months(Months::new(self.n.saturating_mul(12))),
        };
        Date(r.unwrap_or(NaiveDate::MAX))
    }

    /// `date - self`.
    pub fn before(&self, date: Date) -> Date {
        let d = date.0;
        let r = match self.unit {
            DurationUnit::Days => d.checked_sub_days(chrono::Days::new(self.n.into())),
            DurationUnit::Weeks => d.checked_sub_days(chrono::Days::new(u64::from(self.n) * 7)),
            DurationUnit::Months => d.checked_sub_months(Months::new(self.n)),
            DurationUnit::Years => d.checked_sub_months(Months::new(self.n.saturating_mul(12))),
        };
        Date(r.unwrap_or(NaiveDate::MIN))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match (self.unit, self.n == 1) {
            (DurationUnit::Days, true) => "day",
            (DurationUnit::Days, false) => "days",
            (DurationUnit::Weeks, true) => "week",
            (DurationUnit::Weeks, false) => "weeks",
            (DurationUnit::Months, true) => "month",
            (DurationUnit::Months, false) => "months",
            (DurationUnit::Years, true) => "year",
            (DurationUnit::Years, false) => "years",
        };
        write!(f, "{} {unit}", self.n)
    }
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Duration::parse(&s).map_err(de::Error::custom)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^[0-9]+ (day|days|week|weeks|month|months|year|years)$",
            "examples": ["12 months", "90 days"]})
    }
}

/// Today's month/day on `date`'s year, for schedule arithmetic.
pub fn same_day_in_year(date: Date, year: i32) -> Date {
    Date(date.0.with_year(year).unwrap_or(date.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_off_the_calendar_say_which_part_is_wrong() {
        let why = |s: &str| Date::parse(s).unwrap_err().to_string();
        assert_eq!(
            why("2026-13-01"),
            "`2026-13-01` is not a date: month 13 does not exist (months run from 01 to 12)"
        );
        assert_eq!(
            why("2026-02-30"),
            "`2026-02-30` is not a date: February 2026 has 28 days"
        );
        assert_eq!(
            why("2028-02-30"),
            "`2028-02-30` is not a date: February 2028 has 29 days"
        );
        assert_eq!(
            why("2026-04-31"),
            "`2026-04-31` is not a date: April 2026 has 30 days"
        );
        assert_eq!(
            why("2026-12-00"),
            "`2026-12-00` is not a date: December 2026 has 31 days"
        );
        assert_eq!(
            why("yesterday"),
            "`yesterday` is not a date: write it as YYYY-MM-DD, for example 2026-03-01"
        );
        assert_eq!(Date::parse("2026-2-3").unwrap().to_string(), "2026-02-03");
    }

    #[test]
    fn durations_parse_and_add() {
        let d = Duration::parse("12 months").unwrap();
        assert_eq!(
            d.after(Date::parse("2025-06-01").unwrap()).to_string(),
            "2026-06-01"
        );
        assert_eq!(
            Duration::parse("1 month")
                .unwrap()
                .after(Date::parse("2026-01-31").unwrap())
                .to_string(),
            "2026-02-28"
        );
        assert_eq!(
            Duration::parse("90 days")
                .unwrap()
                .before(Date::parse("2026-04-01").unwrap())
                .to_string(),
            "2026-01-01"
        );
        assert!(Duration::parse("twelve months").is_err());
        assert!(Duration::parse("12").is_err());
        assert!(Duration::parse("0 days").is_err());
        assert!(Duration::parse("3 fortnights").is_err());
    }

    #[test]
    fn dates_are_strict() {
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("2026/02/01").is_err());
        assert_eq!(Date::parse("2026-02-01").unwrap().to_string(), "2026-02-01");
    }
}
