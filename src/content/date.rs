//! Dates as writers give them: full (`2023-09-12`), partial (`2023-07`,
//! `2021`) or RFC 3339 datetimes (`2023-09-12T06:00:00+09:00`).
//!
//! A partial date means "some time in that period", so it sorts before every
//! full date of the same period (`2023-07` before `2023-07-01`) and is shown
//! as written ("July 2023", "2021").

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Timelike};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How much of a date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
    Time,
}

/// A date of any precision. Ordering is chronological, partial dates first
/// within their period.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
    /// Seconds since midnight and the UTC offset in seconds, for datetimes.
    time: Option<(u32, Option<i32>)>,
    /// The text as written, normalised (used for `iso` in templates).
    written: String,
}

impl Date {
    /// Parses any accepted form, or says what was expected.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let bytes = text.as_bytes();
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if bytes.len() == 4 && all_digits(text) {
            let year = text.parse().map_err(|_| expected(text))?;
            return Ok(Date {
                year,
                month: None,
                day: None,
                time: None,
                written: text.to_string(),
            });
        }
        if bytes.len() == 7 && bytes[4] == b'-' && all_digits(&text[..4]) && all_digits(&text[5..])
        {
            let year = text[..4].parse().map_err(|_| expected(text))?;
            let month: u32 = text[5..].parse().map_err(|_| expected(text))?;
            if !(1..=12).contains(&month) {
                return Err(format!(
                    "`{text}` has no month {month}; months run from 01 to 12"
                ));
            }
            return Ok(Date {
                year,
                month: Some(month),
                day: None,
                time: None,
                written: text.to_string(),
            });
        }
        if bytes.len() == 10 {
            let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| day_error(text))?;
            return Ok(Date::from_naive(d, None, text));
        }
        if let Ok(dt) = DateTime::<FixedOffset>::parse_from_rfc3339(text) {
            let seconds = dt.num_seconds_from_midnight();
            let offset = dt.offset().local_minus_utc();
            return Ok(Date::from_naive(
                dt.date_naive(),
                Some((seconds, Some(offset))),
                text,
            ));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
                return Ok(Date::from_naive(
                    dt.date(),
                    Some((dt.num_seconds_from_midnight(), None)),
                    text,
                ));
            }
        }
        Err(expected(text))
    }

    fn from_naive(d: NaiveDate, time: Option<(u32, Option<i32>)>, written: &str) -> Date {
        Date {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
            time,
            written: written.to_string(),
        }
    }

    /// A full date from a file name prefix such as `2023-09-12-`.
    pub fn from_file_name(stem: &str) -> Option<Date> {
        let prefix = stem.get(..10)?;
        let rest = &stem[10..];
        if !(rest.is_empty() || rest.starts_with('-')) {
            return None;
        }
        let d = NaiveDate::parse_from_str(prefix, "%Y-%m-%d").ok()?;
        Some(Date::from_naive(d, None, prefix))
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day, self.time) {
            (None, _, _) => Precision::Year,
            (Some(_), None, _) => Precision::Month,
            (Some(_), Some(_), None) => Precision::Day,
            _ => Precision::Time,
        }
    }

    /// True for a date with at least a day.
    pub fn is_full(&self) -> bool {
        self.day.is_some()
    }

    /// The date as given, for machines (`2023-07`, `2023-09-12T06:00:00+09:00`).
    pub fn iso(&self) -> &str {
        &self.written
    }

    /// `2023-09-12` for any date with a day, else as written.
    pub fn iso_day(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            _ => self.written.clone(),
        }
    }

    /// A full RFC 3339 timestamp, as Atom requires: a date without a time
    /// is midnight UTC, a partial date the first day of its period, a time
    /// without an offset UTC.
    pub fn rfc3339(&self) -> String {
        let (seconds, offset) = self.time.unwrap_or((0, Some(0)));
        let offset = offset.unwrap_or(0);
        let zone = if offset == 0 {
            "Z".to_string()
        } else {
            let sign = if offset < 0 { '-' } else { '+' };
            let minutes = offset.unsigned_abs() / 60;
            format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
        };
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1),
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        )
    }

    /// The date in the W3C form sitemaps take: `2023-09-12`, `2023-07`, `2021`.
    pub fn w3c(&self) -> String {
        match (self.month, self.day) {
            (None, _) => format!("{:04}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
        }
    }

    /// For readers: "12 September 2023", "July 2023", "2021".
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (None, _) => self.year.to_string(),
            (Some(m), None) => format!("{} {}", month_name(m), self.year),
            (Some(m), Some(d)) => format!("{d} {} {}", month_name(m), self.year),
        }
    }

    /// The first day of the period the date names, as (year, month, day):
    /// `2023-07` starts on 2023-07-01, a datetime on its own day.
    pub fn first_day(&self) -> (i32, u32, u32) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// True when the whole period this date names is over before `other`'s
    /// begins: `2012` ends before `2013-05`, but `2012-11` does not end
    /// before `2012`, which it is part of.
    pub fn ends_before(&self, other: &Date) -> bool {
        let last = (self.year, self.month.unwrap_or(12), self.day.unwrap_or(31));
        last < other.first_day()
    }

    /// The days the date spans, as the first day and the day after the
    /// last (iCalendar's exclusive end): a day, a whole month (`2023-07`)
    /// or a whole year (`2021`); a datetime's own day. `None` for a year
    /// the calendar cannot hold.
    pub fn days(&self) -> Option<(NaiveDate, NaiveDate)> {
        let (y, m, d) = self.first_day();
        let first = NaiveDate::from_ymd_opt(y, m, d)?;
        let after = match (self.month, self.day) {
            (None, _) => NaiveDate::from_ymd_opt(y + 1, 1, 1)?,
            (Some(12), None) => NaiveDate::from_ymd_opt(y + 1, 1, 1)?,
            (Some(m), None) => NaiveDate::from_ymd_opt(y, m + 1, 1)?,
            (Some(_), Some(_)) => first.succ_opt()?,
        };
        Some((first, after))
    }

    /// A datetime's instant in UTC (a time written without an offset is
    /// taken as UTC); `None` for a date without a time.
    pub fn utc(&self) -> Option<NaiveDateTime> {
        let (seconds, offset) = self.time?;
        let (first, _) = self.days()?;
        let local = first.and_hms_opt(0, 0, 0)? + chrono::TimeDelta::seconds(i64::from(seconds));
        Some(local - chrono::TimeDelta::seconds(i64::from(offset.unwrap_or(0))))
    }

    /// `06:00` for datetimes.
    pub fn time_of_day(&self) -> Option<String> {
        self.time
            .map(|(seconds, _)| format!("{:02}:{:02}", seconds / 3600, seconds / 60 % 60))
    }

    /// A key that sorts chronologically with partial dates first in their
    /// period: a missing month or day counts as 0, a date without a time
    /// before the same date with one.
    fn sort_key(&self) -> (i32, u32, u32, i64) {
        let time = match self.time {
            None => -1,
            Some((seconds, offset)) => i64::from(seconds) - i64::from(offset.unwrap_or(0)) + 86_400,
        };
        (
            self.year,
            self.month.unwrap_or(0),
            self.day.unwrap_or(0),
            time,
        )
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.written.cmp(&other.written))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

fn expected(text: &str) -> String {
    format!(
        "`{text}` is not a date; write `YYYY-MM-DD` (e.g. `2023-09-12`), `YYYY-MM`, `YYYY`, or an RFC 3339 datetime such as `2023-09-12T06:00:00+09:00`"
    )
}

fn day_error(text: &str) -> String {
    let looks_right =
        text.as_bytes().get(4) == Some(&b'-') && text.as_bytes().get(7) == Some(&b'-');
    if looks_right {
        format!("`{text}` is not a day of the calendar; check the month and the day")
    } else {
        expected(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(d("2021").precision(), Precision::Year);
        assert_eq!(d("2023-07").precision(), Precision::Month);
        assert_eq!(d("2023-09-12").precision(), Precision::Day);
        assert_eq!(d("2023-09-12T06:00:00+09:00").precision(), Precision::Time);
        assert_eq!(d("2023-09-12T06:00:00Z").day, Some(12));
        assert_eq!(
            d("2023-09-12T06:00:00").time_of_day().as_deref(),
            Some("06:00")
        );
    }

    #[test]
    fn machine_forms() {
        assert_eq!(d("2023-09-12").rfc3339(), "2023-09-12T00:00:00Z");
        assert_eq!(
            d("2023-09-12T06:05:07+09:30").rfc3339(),
            "2023-09-12T06:05:07+09:30"
        );
        assert_eq!(
            d("2023-09-12T06:00:00-05:00").rfc3339(),
            "2023-09-12T06:00:00-05:00"
        );
        assert_eq!(d("2023-09-12 06:00:00").rfc3339(), "2023-09-12T06:00:00Z");
        assert_eq!(d("2023-07").rfc3339(), "2023-07-01T00:00:00Z");
        assert_eq!(d("2021").w3c(), "2021");
        assert_eq!(d("2023-07").w3c(), "2023-07");
        assert_eq!(d("2023-09-12T06:00:00+09:00").w3c(), "2023-09-12");
    }

    #[test]
    fn rejects_nonsense_with_a_reason() {
        assert!(
            Date::parse("2023-02-30")
                .unwrap_err()
                .contains("not a day of the calendar")
        );
        assert!(Date::parse("2023-13").unwrap_err().contains("no month 13"));
        assert!(
            Date::parse("next tuesday")
                .unwrap_err()
                .contains("write `YYYY-MM-DD`")
        );
        assert!(Date::parse("12/09/2023").is_err());
    }

    #[test]
    fn days_spanned_and_instants() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            d("2023-09-12").days(),
            Some((day(2023, 9, 12), day(2023, 9, 13)))
        );
        assert_eq!(
            d("2023-07").days(),
            Some((day(2023, 7, 1), day(2023, 8, 1)))
        );
        assert_eq!(
            d("2023-12").days(),
            Some((day(2023, 12, 1), day(2024, 1, 1)))
        );
        assert_eq!(d("2021").days(), Some((day(2021, 1, 1), day(2022, 1, 1))));
        assert_eq!(d("2023-09-12").utc(), None);
        let utc = |text: &str| d(text).utc().map(|t| t.to_string());
        assert_eq!(
            utc("2023-09-12T06:00:00+09:00").as_deref(),
            Some("2023-09-11 21:00:00")
        );
        assert_eq!(
            utc("2023-09-12T06:30:00").as_deref(),
            Some("2023-09-12 06:30:00")
        );
    }

    #[test]
    fn partial_dates_sort_first_in_their_period() {
        let mut dates = [
            d("2023-07-01"),
            d("2023-07"),
            d("2023"),
            d("2022-12-31"),
            d("2023-07-01T10:00:00Z"),
        ];
        dates.sort();
        let iso: Vec<&str> = dates.iter().map(Date::iso).collect();
        assert_eq!(
            iso,
            [
                "2022-12-31",
                "2023",
                "2023-07",
                "2023-07-01",
                "2023-07-01T10:00:00Z"
            ]
        );
    }

    #[test]
    fn displays_as_written() {
        assert_eq!(d("2021").display(), "2021");
        assert_eq!(d("2023-07").display(), "July 2023");
        assert_eq!(d("2023-09-12").display(), "12 September 2023");
    }

    #[test]
    fn file_name_dates() {
        assert_eq!(
            Date::from_file_name("2023-09-12-kim-arrives")
                .unwrap()
                .iso(),
            "2023-09-12"
        );
        assert_eq!(
            Date::from_file_name("2023-09-12").unwrap().display(),
            "12 September 2023"
        );
        assert!(Date::from_file_name("2023-09-12kim").is_none());
        assert!(Date::from_file_name("kim").is_none());
    }
}
