//! Eras: where a series of reports changed its template and kept the
//! change. A change-point over the date-ordered series, robust to one-off
//! outliers (a report that forgot a section, one that tried a new heading
//! once) and to sections that come and go (an optional `Annet`).
//!
//! Each report gets a *template*: its title shape and the sections it has,
//! in order, keeping only the sections that most reports around it have
//! too (a window of [`WINDOW`] reports on each side). Runs of one template
//! shorter than [`MIN_RUN`] reports are outliers and join the era around
//! them; the eras are the runs that remain.

use std::ops::Range;

/// Reports on each side of one whose sections count as its neighbours'.
pub const WINDOW: usize = 5;
/// A template must hold for this many reports in a row to start an era.
pub const MIN_RUN: usize = 3;

/// The template of each report: `titles[i]` its title shape, `sections[i]`
/// its folded section names in order.
pub fn templates(titles: &[String], sections: &[Vec<String>]) -> Vec<String> {
    (0..sections.len())
        .map(|i| {
            let low = i.saturating_sub(WINDOW);
            let high = (i + WINDOW + 1).min(sections.len());
            let around = &sections[low..high];
            let common: Vec<&str> = sections[i]
                .iter()
                .filter(|name| {
                    around.iter().filter(|other| other.contains(name)).count() * 2 > around.len()
                })
                .map(String::as_str)
                .collect();
            format!("{} | {}", titles[i], common.join(" / "))
        })
        .collect()
}

/// The eras of a series of templates, as index ranges covering it.
pub fn segment(templates: &[String]) -> Vec<Range<usize>> {
    // Runs of one template.
    let mut runs: Vec<(Range<usize>, &str)> = Vec::new();
    for (i, template) in templates.iter().enumerate() {
        match runs.last_mut() {
            Some((range, current)) if *current == template.as_str() => range.end = i + 1,
            _ => runs.push((i..i + 1, template)),
        }
    }
    // Short runs join the era before them (the first, the one after).
    let mut eras: Vec<(Range<usize>, &str)> = Vec::new();
    let mut pending: Option<Range<usize>> = None;
    for (range, template) in runs {
        if range.len() < MIN_RUN {
            match eras.last_mut() {
                Some((era, _)) => era.end = range.end,
                None => {
                    pending = Some(pending.map_or(range.clone(), |p| p.start..range.end));
                }
            }
            continue;
        }
        let start = pending.take().map_or(range.start, |p| p.start);
        match eras.last_mut() {
            Some((era, current)) if *current == template => era.end = range.end,
            _ => eras.push((start..range.end, template)),
        }
    }
    if let Some(rest) = pending {
        // Nothing but outliers: one era.
        eras.push((rest, ""));
    }
    eras.into_iter().map(|(range, _)| range).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(spec: &str) -> Vec<String> {
        spec.chars().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_change_that_stays_is_an_era_and_one_offs_are_not() {
        assert_eq!(segment(&series("AAAAAXAAAABBBBBB")), [0..10, 10..16]);
        let one = |range: std::ops::Range<usize>| std::iter::once(range).collect::<Vec<_>>();
        assert_eq!(segment(&series("AAAAAAAA")), one(0..8));
        assert_eq!(segment(&series("XAAAAYYYY")), [0..5, 5..9]);
        assert_eq!(segment(&series("AABBBBAAAA")), [0..6, 6..10]);
        assert_eq!(segment(&series("XY")), one(0..2));
        assert!(segment(&[]).is_empty());
    }

    #[test]
    fn sections_that_come_and_go_do_not_make_eras() {
        let names = |list: &str| list.split(' ').map(str::to_owned).collect::<Vec<_>>();
        let mut sections = Vec::new();
        for i in 0..20usize {
            // `annet` in every third report, `risk` missing once.
            let mut s = names("done doing plan");
            if i != 7 {
                s.push("risk".into());
            }
            if i.is_multiple_of(3) {
                s.push("annet".into());
            }
            sections.push(s);
        }
        for _ in 0..10 {
            sections.push(names("status plan risk"));
        }
        let titles = vec!["uke #".to_owned(); sections.len()];
        let templates = templates(&titles, &sections);
        assert_eq!(segment(&templates), [0..20, 20..30]);
    }
}
