//! `week-mismatch`: the title's week, when the file name and the byline
//! date agree on another week.
//!
//! Three places state a report's week: its file name, its title and its
//! byline date. When the file name's week holds the byline date (within
//! the schema's grace days, as the rule judges it) and the title says
//! another week, the title is the odd one out, the mark of a report
//! copied from last week, and takes the file name's week. With any other
//! disagreement there is nothing to prove, and nothing is changed.

use chrono::Duration;

use super::{Fix, Input, underline};
use crate::dates;
use crate::registry::Rule;
use crate::rules::structure::period_from_path;

pub fn fixes(input: &Input) -> Vec<Fix> {
    fix(input).into_iter().collect()
}

fn fix(input: &Input) -> Option<Fix> {
    let (year, week) = period_from_path(input.path, input.schema)?;
    let date = input.byline_date?;
    let (monday, sunday) = dates::week_bounds(year, week)?;
    let grace = Duration::days(input.schema.grace_days.into());
    if date < monday || date > sunday + grace {
        return None;
    }
    let title = input.document.title.as_ref()?;
    let (line_start, line) = input.line(title.pos.line)?;
    let trimmed = title.text.trim();
    let offset = line_start + line.find(trimmed)?;
    let captures = input.schema.title.captures(trimmed)?;
    let stated = captures.name("week")?;
    let stated_week: u32 = stated.as_str().parse().ok()?;
    if stated_week == week {
        return None;
    }
    let written = if stated.as_str().len() == 2 && stated.as_str().starts_with('0') {
        format!("{week:02}")
    } else {
        week.to_string()
    };
    let mut new_title = trimmed.to_owned();
    new_title.replace_range(stated.range(), &written);
    let width = |text: &str| unicode_width::UnicodeWidthStr::width(text);
    let mut edits = vec![super::Edit {
        range: offset + stated.start()..offset + stated.end(),
        text: written,
    }];
    edits.extend(underline::follow_title(
        input,
        title.pos.line,
        width(trimmed),
        width(&new_title),
    ));
    Some(Fix {
        rule: Rule::WeekMismatch,
        line: title.pos.line,
        what: format!("title week {stated_week} → {week}, as the file name and the date say"),
        edits,
    })
}

#[cfg(test)]
mod tests {
    use super::super::apply;
    use super::super::testing::with_input;
    use super::*;

    fn fixed(path: &str, text: &str, date: (i32, u32, u32)) -> Option<String> {
        let date = chrono::NaiveDate::from_ymd_opt(date.0, date.1, date.2);
        with_input(path, text, date, |input| {
            let fixes = fixes(input);
            (!fixes.is_empty()).then(|| apply(text, &fixes).0)
        })
    }

    #[test]
    fn the_title_takes_the_week_the_file_name_and_date_agree_on() {
        let text = "=====\nUke 9\n=====\nav A, B, 11. mar 2016\n";
        assert_eq!(
            fixed("2016_uke_10.rst", text, (2016, 3, 11)).as_deref(),
            Some("======\nUke 10\n======\nav A, B, 11. mar 2016\n")
        );
        let text = "# Week 37\n\nby A, B, September 23, 2016\n";
        assert_eq!(
            fixed("2016_week_38.md", text, (2016, 9, 23)).as_deref(),
            Some("# Week 38\n\nby A, B, September 23, 2016\n")
        );
    }

    #[test]
    fn nothing_is_changed_when_the_file_name_and_date_disagree_too() {
        let text = "=====\nUke 9\n=====\nav A, B, 4. mar 2016\n";
        assert_eq!(fixed("2016_uke_10.rst", text, (2016, 3, 4)), None);
        // No date: nothing proves the file name right.
        let text = "=====\nUke 9\n=====\n";
        assert!(with_input("2016_uke_10.rst", text, None, fixes).is_empty());
    }
}
