//! The bounds every date and time in an input must keep (`docs/integrating.md`, limits): nothing
//! before 1900, past events no more than a day ahead (clocks and time zones differ a
//! little, never by more), and due dates within ten years. Checked before any SQL runs,
//! so no stored value is out of the range the deadline engine and the report handle.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::error::{ApiError, ApiResult};
use crate::timescales::dates;

/// The earliest date any input may carry.
pub fn earliest() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// How far ahead a due date may be, in years.
pub const MAX_YEARS_AHEAD: u32 = 10;

/// A past event's time: from 1900 to a day after `now`.
pub fn ensure_past_event(field: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> ApiResult<()> {
    if at.date_naive() < earliest() {
        return Err(ApiError::validation(field, "must not be before 1900-01-01"));
    }
    if at > now + Duration::days(1) {
        return Err(ApiError::validation(field, "must not be in the future"));
    }
    Ok(())
}

/// A past event's day: from 1900 to a day after `today`.
pub fn ensure_past_day(field: &str, day: NaiveDate, today: NaiveDate) -> ApiResult<()> {
    if day < earliest() {
        return Err(ApiError::validation(field, "must not be before 1900-01-01"));
    }
    if day > today + Duration::days(1) {
        return Err(ApiError::validation(field, "must not be in the future"));
    }
    Ok(())
}

/// A due date: from `today` to ten years ahead.
pub fn ensure_due_day(field: &str, day: NaiveDate, today: NaiveDate) -> ApiResult<()> {
    if day < today {
        return Err(ApiError::validation(field, "must not be in the past"));
    }
    if day > dates::add_months(today, MAX_YEARS_AHEAD * 12) {
        return Err(ApiError::validation(
            field,
            format!("must be within {MAX_YEARS_AHEAD} years"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn past_events_run_from_1900_to_a_day_ahead() {
        let now = day(2026, 11, 27)
            .and_hms_opt(12, 0, 0)
            .unwrap_or_default()
            .and_utc();
        assert!(ensure_past_event("at", now, now).is_ok());
        assert!(ensure_past_event("at", now + Duration::hours(23), now).is_ok());
        assert!(ensure_past_event("at", now + Duration::hours(25), now).is_err());
        let ancient = day(1899, 12, 31)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc();
        assert!(ensure_past_event("at", ancient, now).is_err());
        assert!(ensure_past_event("at", DateTime::<Utc>::MIN_UTC, now).is_err());
        assert!(ensure_past_day("on", day(1900, 1, 1), now.date_naive()).is_ok());
        assert!(ensure_past_day("on", NaiveDate::MAX, now.date_naive()).is_err());
    }

    #[test]
    fn due_dates_run_from_today_to_ten_years_ahead() {
        let today = day(2026, 11, 27);
        assert!(ensure_due_day("dueOn", today, today).is_ok());
        assert!(ensure_due_day("dueOn", day(2036, 11, 27), today).is_ok());
        assert!(ensure_due_day("dueOn", day(2036, 11, 28), today).is_err());
        assert!(ensure_due_day("dueOn", day(2026, 11, 26), today).is_err());
    }
}
