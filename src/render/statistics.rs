//! `check --statistics`: how many findings each rule has, most first, as
//! ruff prints them. On a repository adopting milepost, a few thousand
//! findings say less than "1,204 of them are `empty-section`", which tells
//! where to start (or which rule to turn off).

use std::collections::HashMap;
use std::io::{self, Write};

use anstyle::Style;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Rule;

/// One rule's findings, counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub code: &'static str,
    pub name: &'static str,
    pub count: usize,
    /// The highest severity among them (a rule has one severity per run,
    /// so in practice its severity).
    pub severity: Severity,
}

/// The rules with findings, by count (most first), then by code.
pub fn count(diagnostics: &[Diagnostic]) -> Vec<RuleCount> {
    let mut counts: HashMap<Rule, (usize, Severity)> = HashMap::new();
    for d in diagnostics {
        let entry = counts.entry(d.rule).or_insert((0, d.severity));
        entry.0 += 1;
        entry.1 = entry.1.max(d.severity);
    }
    let mut counts: Vec<RuleCount> = counts
        .into_iter()
        .map(|(rule, (count, severity))| RuleCount {
            code: rule.code(),
            name: rule.name(),
            count,
            severity,
        })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    counts
}

/// One line per rule: the count right-aligned, the code in the colour of
/// its severity, the name. All of it is milepost's own text.
pub fn write_lines(out: &mut dyn Write, counts: &[RuleCount]) -> io::Result<()> {
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    for c in counts {
        let style: Style = super::style::severity_style(c.severity);
        writeln!(
            out,
            "{:>width$}  {style}{}{style:#}  {}",
            c.count, c.code, c.name
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Pos;

    fn finding(rule: Rule) -> Diagnostic {
        Diagnostic::new(rule, "a.rst", Pos { line: 1, column: 1 }, "x")
    }

    #[test]
    fn most_first_then_by_code() {
        let diagnostics = [
            finding(Rule::EmptySection),
            finding(Rule::Title),
            finding(Rule::EmptySection),
            finding(Rule::Byline),
        ];
        let counts = count(&diagnostics);
        let order: Vec<(&str, usize)> = counts.iter().map(|c| (c.code, c.count)).collect();
        assert_eq!(order, [("S009", 2), ("S001", 1), ("S002", 1)]);
        let mut out = Vec::new();
        write_lines(&mut out, &counts).unwrap();
        let text = anstream::adapter::strip_str(std::str::from_utf8(&out).unwrap()).to_string();
        assert_eq!(
            text,
            "2  S009  empty-section\n1  S001  title\n1  S002  byline\n"
        );
    }
}
