//! Placeholder until the date module lands.
use chrono::{Datelike, NaiveDate};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    Unrecognised,
    Nonexistent { year: i32, month: u32, day: u32 },
    MissingYear,
}
impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention<T> {
    pub start: usize,
    pub end: usize,
    pub value: T,
}
pub fn parse_date(text: &str, _default_year: Option<i32>) -> Result<NaiveDate, DateError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| DateError::Unrecognised)
}
pub fn find_dates(
    _text: &str,
    _default_year: Option<i32>,
) -> Vec<Mention<Result<NaiveDate, DateError>>> {
    Vec::new()
}
pub fn week_bounds(year: i32, week: u32) -> Option<(NaiveDate, NaiveDate)> {
    let monday = NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)?;
    Some((monday, monday + chrono::Duration::days(6)))
}
pub fn weeks_in_year(year: i32) -> u32 {
    NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week())
}
pub fn iso_week(date: NaiveDate) -> (i32, u32) {
    (date.iso_week().year(), date.iso_week().week())
}
pub fn ymd(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}
