//! Working-day calendars for the three UK bank-holiday jurisdictions.
//!
//! Safeguarding timescales are counted in working days, so a deadline depends
//! on which bank holidays apply where the partnership sits. The holidays ship
//! as data (`holidays/*.txt`) rather than as rules because real calendars have
//! one-off changes (jubilees, a coronation, Scotland's 2026 World Cup holiday)
//! that an operator has to be able to add without touching code.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A UK jurisdiction with its own set of bank holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Jurisdiction {
    /// England and Wales, which share one list of bank holidays.
    EnglandAndWales,
    /// Scotland.
    Scotland,
    /// Northern Ireland.
    NorthernIreland,
}

impl Jurisdiction {
    /// Every jurisdiction, in a stable order.
    pub const ALL: [Jurisdiction; 3] = [
        Jurisdiction::EnglandAndWales,
        Jurisdiction::Scotland,
        Jurisdiction::NorthernIreland,
    ];

    /// Looks a jurisdiction up by its configuration name, e.g. `"scotland"`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|j| j.name() == name)
    }

    /// The configuration name, which is also the holiday file's stem.
    pub fn name(self) -> &'static str {
        match self {
            Jurisdiction::EnglandAndWales => "england-and-wales",
            Jurisdiction::Scotland => "scotland",
            Jurisdiction::NorthernIreland => "northern-ireland",
        }
    }

    /// The shipped holiday file's name (for error messages) and contents.
    fn shipped_holidays(self) -> (&'static str, &'static str) {
        match self {
            Jurisdiction::EnglandAndWales => (
                "holidays/england-and-wales.txt",
                include_str!("holidays/england-and-wales.txt"),
            ),
            Jurisdiction::Scotland => (
                "holidays/scotland.txt",
                include_str!("holidays/scotland.txt"),
            ),
            Jurisdiction::NorthernIreland => (
                "holidays/northern-ireland.txt",
                include_str!("holidays/northern-ireland.txt"),
            ),
        }
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<Jurisdiction> for &'static str {
    fn from(jurisdiction: Jurisdiction) -> Self {
        jurisdiction.name()
    }
}

impl TryFrom<String> for Jurisdiction {
    type Error = UnknownJurisdiction;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        Self::from_name(&name).ok_or(UnknownJurisdiction(name))
    }
}

/// A jurisdiction name that is not one of the three supported ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown jurisdiction \"{0}\", expected one of \"england-and-wales\", \"scotland\", \"northern-ireland\""
)]
pub struct UnknownJurisdiction(pub String);

/// Why a holiday list was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HolidayFileError {
    /// One line is wrong; `line` is 1-based.
    #[error("{file} line {line}: {reason}")]
    Line {
        /// The file's name as given to the loader.
        file: String,
        /// The 1-based line number.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },
    /// The file as a whole is unusable.
    #[error("{file}: {reason}")]
    File {
        /// The file's name as given to the loader.
        file: String,
        /// What is wrong with the file.
        reason: String,
    },
}

/// Bank holidays and weekends of one jurisdiction, over the years its data covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    jurisdiction: Jurisdiction,
    holidays: BTreeMap<NaiveDate, String>,
    first_year: i32,
    last_year: i32,
}

impl Calendar {
    /// The calendar built from the holiday file shipped for `jurisdiction`.
    pub fn for_jurisdiction(jurisdiction: Jurisdiction) -> Calendar {
        // The shipped files are checked by this module's tests, so the error
        // arm cannot be reached by a tested build. Degrading to a calendar that
        // covers no year makes `checked_add_working_days` refuse to answer,
        // rather than quietly counting bank holidays as working days.
        Self::try_for_jurisdiction(jurisdiction).unwrap_or_else(|_| Calendar {
            jurisdiction,
            holidays: BTreeMap::new(),
            first_year: 1,
            last_year: 0,
        })
    }

    /// Like [`Calendar::for_jurisdiction`], but reports a broken shipped file.
    pub fn try_for_jurisdiction(jurisdiction: Jurisdiction) -> Result<Calendar, HolidayFileError> {
        let (file, text) = jurisdiction.shipped_holidays();
        Self::from_holiday_list(jurisdiction, file, text)
    }

    /// Parses a holiday list (format described in the shipped files' headers).
    pub fn from_holiday_list(
        jurisdiction: Jurisdiction,
        file: &str,
        text: &str,
    ) -> Result<Calendar, HolidayFileError> {
        let mut holidays = BTreeMap::new();
        let mut previous: Option<NaiveDate> = None;
        for (index, raw) in text.lines().enumerate() {
            let line_error = |reason: String| HolidayFileError::Line {
                file: file.to_owned(),
                line: index + 1,
                reason,
            };
            let (date_text, name) = raw.split_once('#').unwrap_or((raw, ""));
            let date_text = date_text.trim();
            if date_text.is_empty() {
                continue;
            }
            let date = parse_iso_date(date_text).map_err(line_error)?;
            if let Some(weekend) = weekend_name(date) {
                // A weekend date is almost always a forgotten substitute day.
                return Err(line_error(format!(
                    "{date} is a {weekend}; list the weekday substitute instead"
                )));
            }
            if let Some(previous) = previous
                && date <= previous
            {
                return Err(line_error(format!(
                    "{date} does not come after {previous}; keep dates ascending and unique"
                )));
            }
            previous = Some(date);
            let name = name.trim();
            let name = if name.is_empty() {
                "bank holiday"
            } else {
                name
            };
            holidays.insert(date, name.to_owned());
        }
        let file_error = |reason: String| HolidayFileError::File {
            file: file.to_owned(),
            reason,
        };
        let (Some(first), Some(last)) = (holidays.keys().next(), holidays.keys().next_back())
        else {
            return Err(file_error("lists no dates".to_owned()));
        };
        let (first_year, last_year) = (first.year(), last.year());
        // The covered range is read from the data, so a mistyped year (2205 for
        // 2025) would silently stretch it; every year in range must be listed.
        let listed: BTreeSet<i32> = holidays.keys().map(Datelike::year).collect();
        if let Some(gap) = (first_year..=last_year).find(|year| !listed.contains(year)) {
            return Err(file_error(format!(
                "no dates for {gap} although it lies between {first_year} and {last_year}; \
                 check for a mistyped year"
            )));
        }
        Ok(Calendar {
            jurisdiction,
            holidays,
            first_year,
            last_year,
        })
    }

    /// The jurisdiction whose holidays this calendar holds.
    pub fn jurisdiction(&self) -> Jurisdiction {
        self.jurisdiction
    }

    /// A stable digest of the holidays and the years they cover: it changes when the
    /// shipped holiday data does, so that stored deadlines are derived again.
    pub fn digest(&self) -> uuid::Uuid {
        let mut text = format!("{}-{}", self.first_year, self.last_year);
        for day in self.holidays.keys() {
            text.push(';');
            text.push_str(&day.to_string());
        }
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, text.as_bytes())
    }

    /// The first year the holiday data covers.
    pub fn first_year(&self) -> i32 {
        self.first_year
    }

    /// The last year the holiday data covers.
    pub fn last_year(&self) -> i32 {
        self.last_year
    }

    /// Whether `date`'s year is covered, i.e. whether its holidays are known.
    pub fn covers(&self, date: NaiveDate) -> bool {
        (self.first_year..=self.last_year).contains(&date.year())
    }

    /// Whether `date` is a listed bank holiday (always false outside the covered years).
    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains_key(&date)
    }

    /// The listed name of the bank holiday on `date`, if it is one.
    pub fn holiday_name(&self, date: NaiveDate) -> Option<&str> {
        self.holidays.get(&date).map(String::as_str)
    }

    /// Whether `date` is neither a weekend day nor a bank holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        weekend_name(date).is_none() && !self.is_bank_holiday(date)
    }

    /// The `n`th working day after `from` (`from` itself when `n` is 0).
    ///
    /// `from` need not be a working day. Beyond the covered years only
    /// weekends are skipped, so deadlines that matter should use
    /// [`Calendar::checked_add_working_days`]. For an `n` so large that the
    /// result would pass chrono's last date, returns [`NaiveDate::MAX`].
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        self.try_add_working_days(from, n).unwrap_or(NaiveDate::MAX)
    }

    /// As [`Calendar::add_working_days`], but `None` unless the whole span is covered.
    pub fn checked_add_working_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        // Covered years are contiguous, so covering both ends covers every day between.
        let result = self.try_add_working_days(from, n)?;
        (self.covers(from) && self.covers(result)).then_some(result)
    }

    fn try_add_working_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut day = from;
        let mut remaining = n;
        while remaining > 0 {
            if day.year() > self.last_year {
                // No holidays are known past the data, and stepping a day at a
                // time would take billions of iterations for a huge `n`.
                return add_weekdays(day, remaining);
            }
            day = day.succ_opt()?;
            if self.is_working_day(day) {
                remaining -= 1;
            }
        }
        Some(day)
    }
}

/// The `n`th Monday-to-Friday day after `from`, for `n >= 1`.
fn add_weekdays(from: NaiveDate, n: u32) -> Option<NaiveDate> {
    // Counting from a weekend day gives the same answer as counting from the
    // Friday before it, and from a weekday whole weeks are exactly 7 days.
    let mut day = from;
    while weekend_name(day).is_some() {
        day = day.pred_opt()?;
    }
    let n = u64::from(n);
    let whole_weeks = (n - 1) / 5;
    day = day.checked_add_days(Days::new(whole_weeks * 7))?;
    let mut remaining = n - whole_weeks * 5;
    while remaining > 0 {
        day = day.succ_opt()?;
        if weekend_name(day).is_none() {
            remaining -= 1;
        }
    }
    Some(day)
}

fn weekend_name(date: NaiveDate) -> Option<&'static str> {
    match date.weekday() {
        Weekday::Sat => Some("Saturday"),
        Weekday::Sun => Some("Sunday"),
        _ => None,
    }
}

/// Accepts exactly `YYYY-MM-DD`; chrono alone would also take `2024-1-1`.
fn parse_iso_date(text: &str) -> Result<NaiveDate, String> {
    let bytes = text.as_bytes();
    let well_formed = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !well_formed {
        return Err(format!("expected a date as YYYY-MM-DD, found {text:?}"));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text} is not a calendar date"))
}

// Tests live in `calendar/tests.rs` to keep this file short; they are still
// a child module, so they can reach private items.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
