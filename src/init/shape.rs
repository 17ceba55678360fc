//! Shapes of names and titles: the text with its numbers taken out, so
//! that `Uke 38` and `Uke 39` are one shape and `Endringsuke 40: …` another.
//! A shape whose number slots are known (week, year) becomes the regex a
//! schema needs (`file_name`, `title`) and a glob for the config.

/// A number in a shape, once its meaning is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Week,
    Year,
    Other,
}

/// A text split into literal runs and number runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Literal text before each number, and after the last (one more than
    /// `numbers`).
    pub literals: Vec<String>,
    pub numbers: Vec<u32>,
    /// The digits of each number as written (for widths).
    pub widths: Vec<usize>,
}

impl Shape {
    pub fn of(text: &str) -> Shape {
        let mut literals = vec![String::new()];
        let mut numbers = Vec::new();
        let mut widths = Vec::new();
        let mut digits = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            if !digits.is_empty() {
                numbers.push(digits.parse().unwrap_or(u32::MAX));
                widths.push(digits.len());
                digits.clear();
                literals.push(String::new());
            }
            if let Some(last) = literals.last_mut() {
                last.push(c);
            }
        }
        if !digits.is_empty() {
            numbers.push(digits.parse().unwrap_or(u32::MAX));
            widths.push(digits.len());
            literals.push(String::new());
        }
        Shape {
            literals,
            numbers,
            widths,
        }
    }

    /// What makes two texts one shape: the literals, lower case, without
    /// white space (`Uke 38` and `uke  39` are one shape).
    pub fn key(&self) -> String {
        self.literals
            .iter()
            .map(|l| {
                l.chars()
                    .filter(|c| !c.is_whitespace())
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("#")
    }

    /// A regex matching the texts of this shape: case-insensitive, white
    /// space flexible, the week and year captured.
    pub fn regex(&self, slots: &[Slot]) -> String {
        let mut out = String::from("^(?i:");
        for (index, literal) in self.literals.iter().enumerate() {
            out.push_str(&literal_regex(literal));
            if let Some(slot) = slots.get(index).filter(|_| index < self.numbers.len()) {
                out.push_str(match slot {
                    Slot::Week => "(?P<week>[0-9]{1,2})",
                    Slot::Year => "(?P<year>[0-9]{4})",
                    Slot::Other => "[0-9]+",
                });
            }
        }
        out.push_str(")$");
        out
    }

    /// A glob matching file names of this shape (`*_uke_*.rst`).
    pub fn glob(&self, extension: &str) -> String {
        let mut out = String::new();
        for (index, literal) in self.literals.iter().enumerate() {
            out.push_str(&glob_escape(literal));
            if index < self.numbers.len() && !out.ends_with('*') {
                out.push('*');
            }
        }
        format!("{out}.{extension}")
    }
}

fn literal_regex(literal: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in literal.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push_str(r"\s*");
            space = false;
        }
        out.push_str(&regex::escape(&c.to_string()));
    }
    if space {
        out.push_str(r"\s*");
    }
    out
}

/// Glob alternatives that match exactly the numbers `low..=high`, written
/// without leading zeros: `13..=52` gives `1[3-9]`, `[2-4][0-9]`, `5[0-2]`.
pub fn number_range(low: u32, high: u32) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = low;
    while start <= high {
        let width = start.to_string().len() as u32;
        let top = 10u32.saturating_pow(width).saturating_sub(1).min(high);
        out.extend(same_width(&start.to_string(), &top.to_string()));
        match top.checked_add(1) {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// Glob alternatives that match exactly the numbers `low..=high` written
/// with `width` digits, leading zeros and all: `1..=35` in two digits gives
/// `0[1-9]`, `[1-2][0-9]`, `3[0-5]`. `None` if a number has more digits.
pub fn padded_number_range(low: u32, high: u32, width: usize) -> Option<Vec<String>> {
    let (low, high) = (format!("{low:0width$}"), format!("{high:0width$}"));
    (low.len() == width && high.len() == width).then(|| same_width(&low, &high))
}

/// [`number_range`] for two numbers of one width, as digit strings.
fn same_width(low: &str, high: &str) -> Vec<String> {
    let (Some(l), Some(h)) = (low.chars().next(), high.chars().next()) else {
        return vec![String::new()];
    };
    let (low_rest, high_rest) = (&low[1..], &high[1..]);
    if l == h {
        return same_width(low_rest, high_rest)
            .into_iter()
            .map(|rest| format!("{l}{rest}"))
            .collect();
    }
    let any = "[0-9]".repeat(low_rest.len());
    let class = |a: char, b: char| {
        if a == b {
            a.to_string()
        } else {
            format!("[{a}-{b}]")
        }
    };
    let next = |c: char| char::from_digit(c.to_digit(10).unwrap_or(0) + 1, 10).unwrap_or(c);
    let previous = |c: char| char::from_digit(c.to_digit(10).unwrap_or(1) - 1, 10).unwrap_or(c);
    let mut out = Vec::new();
    let low_full = low_rest.chars().all(|c| c == '0');
    let high_full = high_rest.chars().all(|c| c == '9');
    let first = if low_full {
        l
    } else {
        let nines = "9".repeat(low_rest.len());
        out.extend(
            same_width(low_rest, &nines)
                .into_iter()
                .map(|rest| format!("{l}{rest}")),
        );
        next(l)
    };
    let last = if high_full { h } else { previous(h) };
    if first <= last {
        out.push(format!("{}{any}", class(first, last)));
    }
    if !high_full {
        let zeros = "0".repeat(high_rest.len());
        out.extend(
            same_width(&zeros, high_rest)
                .into_iter()
                .map(|rest| format!("{h}{rest}")),
        );
    }
    out
}

/// Escapes what globset would read as a pattern.
pub fn glob_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | ',' | '\\') {
            out.push('[');
            out.push(c);
            out.push(']');
        } else {
            out.push(c);
        }
    }
    out
}

/// What each number slot of a shape means, from many texts of it: a slot
/// is the week where it equals the text's known week in most texts (or,
/// with no known weeks, where it is 1–53), the year where it is a four-digit
/// number of a plausible year.
pub fn slots(shapes: &[&Shape], known_weeks: &[Option<u32>]) -> Vec<Slot> {
    let Some(first) = shapes.first() else {
        return Vec::new();
    };
    let count = first.numbers.len();
    let mut slots = vec![Slot::Other; count];
    let majority = |test: &dyn Fn(&Shape, Option<u32>, usize) -> bool, index: usize| {
        let hits = shapes
            .iter()
            .zip(known_weeks)
            .filter(|(shape, week)| test(shape, **week, index))
            .count();
        hits * 2 > shapes.len()
    };
    for (index, slot) in slots.iter_mut().enumerate() {
        if majority(
            &|s: &Shape, _, i| s.widths[i] == 4 && (1990..=2100).contains(&s.numbers[i]),
            index,
        ) {
            *slot = Slot::Year;
        }
    }
    let any_known = known_weeks.iter().any(Option::is_some);
    let agrees = |index: usize| majority(&|s: &Shape, w, i| w == Some(s.numbers[i]), index);
    let in_range =
        |index: usize| majority(&|s: &Shape, _, i| (1..=53).contains(&s.numbers[i]), index);
    // The slot that agrees with the known weeks; else (no known weeks, or
    // none agrees: a title that is often wrong) the last that could be one.
    let week_slot = (0..count)
        .rev()
        .find(|&index| slots[index] == Slot::Other && any_known && agrees(index))
        .or_else(|| {
            (0..count)
                .rev()
                .find(|&index| slots[index] == Slot::Other && in_range(index))
        });
    if let Some(index) = week_slot {
        slots[index] = Slot::Week;
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_names_and_titles() {
        let a = Shape::of("2016_uke_38");
        let b = Shape::of("2017_uke_4");
        assert_eq!(a.key(), b.key());
        let slots = slots(&[&a, &b], &[None, None]);
        assert_eq!(slots, [Slot::Year, Slot::Week]);
        let regex = regex::Regex::new(&a.regex(&slots)).unwrap();
        let caps = regex.captures("2018_UKE_12").unwrap();
        assert_eq!((&caps["year"], &caps["week"]), ("2018", "12"));
        assert_eq!(a.glob("rst"), "*_uke_*.rst");
        assert_ne!(Shape::of("Uke 38").key(), Shape::of("Endringsuke 38").key());
        assert_eq!(Shape::of("Uke 38").key(), Shape::of("uke  39").key());
    }

    #[test]
    fn the_week_slot_is_the_one_that_agrees_with_the_file_name() {
        let titles = [
            Shape::of("Uke 38 (3)"),
            Shape::of("Uke 39 (2)"),
            Shape::of("Uke 40 (1)"),
        ];
        let refs: Vec<&Shape> = titles.iter().collect();
        let slots = slots(&refs, &[Some(38), Some(39), Some(41)]);
        assert_eq!(slots, [Slot::Week, Slot::Other]);
        let regex = regex::Regex::new(&titles[0].regex(&slots)).unwrap();
        assert!(regex.is_match("uke 7 (12)"));
        assert!(!regex.is_match("Uke 7"));
    }

    #[test]
    fn number_ranges_as_globs() {
        assert_eq!(
            padded_number_range(1, 35, 2).unwrap(),
            ["0[1-9]", "[1-2][0-9]", "3[0-5]"]
        );
        assert_eq!(padded_number_range(1, 9, 2).unwrap(), ["0[1-9]"]);
        assert_eq!(
            padded_number_range(36, 52, 2).unwrap(),
            ["3[6-9]", "4[0-9]", "5[0-2]"]
        );
        assert_eq!(padded_number_range(5, 5, 2).unwrap(), ["05"]);
        assert_eq!(padded_number_range(1, 100, 2), None);
        assert_eq!(number_range(13, 52), ["1[3-9]", "[2-4][0-9]", "5[0-2]"]);
        assert_eq!(number_range(1, 12), ["[1-9]", "1[0-2]"]);
        assert_eq!(number_range(7, 7), ["7"]);
        assert_eq!(number_range(10, 19), ["1[0-9]"]);
        // Every number of 1..=60 against every range of it: exact.
        for low in 1..=60u32 {
            for high in low..=60 {
                let alternatives = number_range(low, high);
                let glob = format!("{{{}}}", alternatives.join(","));
                let matcher = globset::Glob::new(&glob).unwrap().compile_matcher();
                for n in 0..=120u32 {
                    assert_eq!(
                        matcher.is_match(n.to_string()),
                        (low..=high).contains(&n),
                        "{n} against {glob}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_title_that_never_agrees_still_has_a_week_slot() {
        let titles = [Shape::of("Rapport 5"), Shape::of("Rapport 6")];
        let refs: Vec<&Shape> = titles.iter().collect();
        assert_eq!(slots(&refs, &[Some(40), Some(41)]), [Slot::Week]);
    }

    #[test]
    fn globs_escape_what_globset_reads() {
        assert_eq!(glob_escape("a{b}*.rst"), "a[{]b[}][*].rst");
    }
}
