//! A series' own way of writing dates, read from one byline date and used
//! to write another: "23. sep 2016", "07.mars 2017", "23.09.2016",
//! "September 23, 2016", "2016-09-23".
//!
//! `milepost new` writes the new report's date the way the previous one
//! was written, so that a series does not change style because a tool
//! wrote one report of it. What is copied: the shape (day first with a
//! month name, numeric, month first, ISO), the month names' language,
//! length and case, zero-padding, and the separators.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::dates::{
    EN_MONTHS as EN_FULL, EN_MONTHS_SHORT as EN_SHORT, NB_MONTHS as NB_FULL,
    NB_MONTHS_SHORT as NB_SHORT,
};

/// How a month name is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthStyle {
    english: bool,
    short: bool,
    capital: bool,
    /// A '.' after the name ("sep.").
    dot: bool,
}

impl MonthStyle {
    fn write(self, month0: usize) -> String {
        let names = match (self.english, self.short) {
            (false, false) => NB_FULL,
            (false, true) => NB_SHORT,
            (true, false) => EN_FULL,
            (true, true) => EN_SHORT,
        };
        let name = names[month0 % 12];
        let mut out = if self.capital {
            let mut chars = name.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        } else {
            name.to_owned()
        };
        // Only an abbreviation takes the dot ("sep." but "mai").
        if self.dot
            && self.short
            && name.len() < 5
            && !NB_FULL.contains(&name)
            && !EN_FULL.contains(&name)
        {
            out.push('.');
        }
        out
    }

    /// The style of a month name as written, or `None` if it is not one.
    /// `english` decides names both languages share ("sep", "august").
    fn read(word: &str, dot: bool, english: bool) -> Option<MonthStyle> {
        let lower = word.to_lowercase();
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        let find = |names: &[&str; 12]| names.contains(&lower.as_str());
        let (nb_full, en_full) = (find(&NB_FULL), find(&EN_FULL));
        let short = !(nb_full || en_full);
        if short && !(find(&NB_SHORT) || find(&EN_SHORT) || lower == "sept") {
            return None;
        }
        let english = match (nb_full || find(&NB_SHORT), en_full || find(&EN_SHORT)) {
            (true, false) => false,
            (false, true) => true,
            _ => english,
        };
        Some(MonthStyle {
            english,
            short,
            capital,
            dot,
        })
    }
}

/// A way of writing a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateStyle {
    /// "23. sep 2016", "07.mars 2017", "4.september 2017".
    DayMonth {
        pad: bool,
        /// What stands between the day and the month ("`. `", "`.`").
        between: String,
        month: MonthStyle,
        /// What stands between the month and the year ("` `", "`, `").
        before_year: String,
    },
    /// "23.09.2016", "1/7/2016".
    Numeric {
        separator: char,
        pad_day: bool,
        pad_month: bool,
        short_year: bool,
    },
    /// "September 23, 2016", "Sep 23 2016".
    MonthDay {
        month: MonthStyle,
        pad: bool,
        /// What stands between the day and the year ("`, `", "` `").
        before_year: String,
    },
    /// "2016-09-23".
    Iso,
}

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$").expect("valid"));
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{1,2})([./-])([0-9]{1,2})[./-]([0-9]{4}|[0-9]{2})$").expect("valid")
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{1,2})(\.?\s*)(\p{L}+)(\.?)(,?\s+)([0-9]{4})$").expect("valid")
});
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{L}+)(\.?)\s+([0-9]{1,2})(?:st|nd|rd|th)?(,?\s+)([0-9]{4})$").expect("valid")
});

impl DateStyle {
    /// The style of `written` (a byline's date); `None` when it is none of
    /// the shapes above. `english` decides month names both languages
    /// share.
    pub fn detect(written: &str, english: bool) -> Option<DateStyle> {
        let written = written.trim().trim_end_matches('.');
        if ISO.is_match(written) {
            return Some(DateStyle::Iso);
        }
        if let Some(c) = NUMERIC.captures(written) {
            return Some(DateStyle::Numeric {
                separator: c[2].chars().next()?,
                // "23.10.2016" does not say whether the 7th would be
                // "07": a padded partner says so.
                pad_day: c[1].len() == 2 && (c[1].starts_with('0') || c[3].len() == 2),
                pad_month: c[3].len() == 2 && (c[3].starts_with('0') || c[1].len() == 2),
                short_year: c[4].len() == 2,
            });
        }
        if let Some(c) = DAY_MONTH.captures(written) {
            let month = MonthStyle::read(&c[3], !c[4].is_empty(), english)?;
            return Some(DateStyle::DayMonth {
                pad: c[1].len() == 2 && c[1].starts_with('0'),
                between: c[2].to_owned(),
                month,
                before_year: c[5].to_owned(),
            });
        }
        if let Some(c) = MONTH_DAY.captures(written) {
            let month = MonthStyle::read(&c[1], !c[2].is_empty(), english)?;
            return Some(DateStyle::MonthDay {
                month,
                pad: c[3].len() == 2 && c[3].starts_with('0'),
                before_year: c[4].to_owned(),
            });
        }
        None
    }

    /// The style a schema's language writes when there is no byline to
    /// copy: "30. sep 2016" in Norwegian, "September 30, 2016" in English.
    pub fn for_language(english: bool) -> DateStyle {
        if english {
            DateStyle::MonthDay {
                month: MonthStyle {
                    english: true,
                    short: false,
                    capital: true,
                    dot: false,
                },
                pad: false,
                before_year: ", ".into(),
            }
        } else {
            DateStyle::DayMonth {
                pad: false,
                between: ". ".into(),
                month: MonthStyle {
                    english: false,
                    short: true,
                    capital: false,
                    dot: false,
                },
                before_year: " ".into(),
            }
        }
    }

    /// `date` written in this style.
    pub fn write(&self, date: NaiveDate) -> String {
        let day = |pad: bool| {
            if pad {
                format!("{:02}", date.day())
            } else {
                date.day().to_string()
            }
        };
        let month0 = date.month0() as usize;
        match self {
            DateStyle::Iso => crate::dates::ymd(date),
            DateStyle::Numeric {
                separator,
                pad_day,
                pad_month,
                short_year,
            } => {
                let month = if *pad_month {
                    format!("{:02}", date.month())
                } else {
                    date.month().to_string()
                };
                let year = if *short_year {
                    format!("{:02}", date.year().rem_euclid(100))
                } else {
                    date.year().to_string()
                };
                format!("{}{separator}{month}{separator}{year}", day(*pad_day))
            }
            DateStyle::DayMonth {
                pad,
                between,
                month,
                before_year,
            } => format!(
                "{}{between}{}{before_year}{}",
                day(*pad),
                month.write(month0),
                date.year()
            ),
            DateStyle::MonthDay {
                month,
                pad,
                before_year,
            } => format!(
                "{} {}{before_year}{}",
                month.write(month0),
                day(*pad),
                date.year()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn again(written: &str, english: bool, date: (i32, u32, u32)) -> String {
        let style = DateStyle::detect(written, english).unwrap_or_else(|| panic!("{written}"));
        let date = NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap();
        style.write(date)
    }

    #[test]
    fn each_series_style_is_kept() {
        assert_eq!(again("23. sep 2016", false, (2016, 9, 30)), "30. sep 2016");
        assert_eq!(again("23. sep 2016", false, (2016, 10, 7)), "7. okt 2016");
        assert_eq!(again("07.mars 2017", false, (2017, 3, 3)), "03.mars 2017");
        assert_eq!(
            again("4.september 2017", false, (2017, 10, 6)),
            "6.oktober 2017"
        );
        assert_eq!(again("23.09.2016", false, (2016, 10, 7)), "07.10.2016");
        assert_eq!(again("1.7.2016", false, (2016, 10, 7)), "7.10.2016");
        assert_eq!(
            again("September 23, 2016", true, (2016, 10, 7)),
            "October 7, 2016"
        );
        assert_eq!(again("Sep 23 2016", true, (2016, 10, 7)), "Oct 7 2016");
        assert_eq!(again("2016-09-23", true, (2016, 10, 7)), "2016-10-07");
        assert_eq!(again("23. Sep. 2016", true, (2016, 10, 7)), "7. Oct. 2016");
        assert_eq!(again("23. Sep. 2016", true, (2016, 5, 6)), "6. May 2016");
    }

    #[test]
    fn the_month_names_language_is_read_from_the_name_itself() {
        // "okt" is Norwegian whatever the schema says; "sep" is both.
        assert_eq!(again("14. okt 2016", true, (2016, 12, 2)), "2. des 2016");
        assert_eq!(again("23. sep 2016", true, (2016, 10, 7)), "7. oct 2016");
    }

    #[test]
    fn what_is_not_a_date_has_no_style() {
        assert_eq!(DateStyle::detect("sometime soon", false), None);
        assert_eq!(DateStyle::detect("23. foo 2016", false), None);
    }

    #[test]
    fn every_written_date_reads_back_as_the_same_day() {
        let day = NaiveDate::from_ymd_opt(2016, 11, 4).unwrap();
        for written in [
            "23. sep 2016",
            "07.mars 2017",
            "23.09.2016",
            "September 23, 2016",
            "2016-09-23",
        ] {
            let out = DateStyle::detect(written, false).unwrap().write(day);
            assert_eq!(crate::dates::parse_date(&out, None), Ok(day), "{out}");
        }
        for english in [false, true] {
            let out = DateStyle::for_language(english).write(day);
            assert_eq!(crate::dates::parse_date(&out, None), Ok(day), "{out}");
        }
    }
}
