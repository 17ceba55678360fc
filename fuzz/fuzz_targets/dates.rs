//! The date and week readers: `parse_date` with and without a default
//! year, `find_dates` and `find_weeks`. Mentions must be in order, inside
//! the text and on character boundaries (callers slice the text with them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use milepost::dates::{self, Mention};

fn check_spans<T>(text: &str, mentions: &[Mention<T>]) {
    for m in mentions {
        assert!(m.start <= m.end && m.end <= text.len(), "span out of range");
        assert!(
            text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
            "span not on character boundaries"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = dates::parse_date(text, Some(2016));
    let _ = dates::parse_date(text, None);
    let found = dates::find_dates(text, Some(2016));
    check_spans(text, &found);
    check_spans(text, &dates::find_dates(text, None));
    let weeks = dates::find_weeks(text);
    check_spans(text, &weeks);
    for week in &weeks {
        assert!(
            (1..=53).contains(&week.value.week),
            "week {}",
            week.value.week
        );
        if let Some(year) = week.value.year {
            let _ = dates::week_bounds(year, week.value.week);
            let _ = dates::weeks_in_year(year);
        }
    }
    for date in found.iter().filter_map(|m| m.value.as_ref().ok()) {
        let (year, week) = dates::iso_week(*date);
        assert!(
            dates::week_bounds(year, week).is_some(),
            "{date} has no week"
        );
        let _ = dates::ymd(*date);
    }
});
