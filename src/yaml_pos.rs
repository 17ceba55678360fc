//! Where each value of a YAML file is written, so that an error points at
//! the value (a bad glob at its own line and column, a bad due date at the
//! date), not at a nearby key.
//!
//! serde_yaml keeps no positions in its `Value`, so this reads the text
//! itself: block mappings and sequences (`key: value`, `- item`, `- key:
//! value`) and one level of flow collections (`[a, b]`, `{days: 3}`),
//! which is what config, schema and milestones files are written in. A
//! value it cannot place (deeper flow, anchors) has no position, and the
//! message then falls back to its key's line: never a wrong place, at worst
//! a less precise one. Paths are dotted: `reports.0.glob`,
//! `rules.stale-item.weeks`, `exclude.1`.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::Value;

use crate::error::Error;

/// One mistake in a YAML file: where (a dotted path), whether to point at
/// the key rather than the value, and what is wrong, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub at_key: bool,
    pub message: String,
}

impl Problem {
    /// A problem with the value at `path`.
    pub fn at_value(path: &str, message: String) -> Problem {
        Problem {
            path: path.to_owned(),
            at_key: false,
            message,
        }
    }

    /// A problem with the key at `path` itself (an unknown key).
    pub fn at_key(path: &str, message: String) -> Problem {
        Problem {
            path: path.to_owned(),
            at_key: true,
            message,
        }
    }
}

/// The dotted path of `part` under `path` (`reports.0.glob`).
pub fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_owned()
    } else {
        format!("{path}.{part}")
    }
}

/// The entries of a map whose keys are `known`, with a problem for each
/// other key (with a "did you mean" and the list of keys) and for a key
/// that is not a name. `what` names the map in messages ("a schema file").
pub fn known_keys<'a>(
    map: &'a serde_yaml::Mapping,
    path: &str,
    known: &[&str],
    what: &str,
    out: &mut Vec<Problem>,
) -> Vec<(&'a str, &'a Value)> {
    let mut entries = Vec::new();
    for (key, value) in map {
        let Some(name) = key.as_str() else {
            out.push(Problem::at_value(
                path,
                format!("{what} has a key that is {}, not a name", describe(key)),
            ));
            continue;
        };
        if known.contains(&name) {
            entries.push((name, value));
        } else {
            let suggestion = crate::text::closest(name, known.iter().copied())
                .map_or_else(String::new, |near| format!(" (did you mean `{near}`?)"));
            out.push(Problem::at_key(
                &join(path, name),
                format!(
                    "unknown key `{name}` in {what}{suggestion}; the keys are {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    entries
}

/// What a value is, in the words of someone writing YAML (no Rust types).
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text `{}`", crate::text::ellipsize(s, 40)),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a map of keys to values".into(),
        Value::Tagged(t) => describe(&t.value),
    }
}

/// `problems` of the file `file` (whose text is `text`) as one error, each
/// at its place, in the order written.
pub fn located(file: &Path, text: &str, problems: Vec<Problem>) -> Error {
    let positions = Positions::of(text);
    let mut errors: Vec<((usize, usize), Error)> = problems
        .into_iter()
        .map(|problem| {
            let at = if problem.at_key {
                positions.key(&problem.path)
            } else {
                positions.at(&problem.path)
            };
            (
                at.unwrap_or((1, 1)),
                Error::invalid(file, at, problem.message),
            )
        })
        .collect();
    errors.sort_by_key(|(at, _)| *at);
    Error::several(errors.into_iter().map(|(_, error)| error).collect())
}

/// 1-based line and column (in characters).
pub type At = (usize, usize);

/// The positions of a file's keys and values.
#[derive(Debug, Default)]
pub struct Positions {
    values: HashMap<String, At>,
    keys: HashMap<String, At>,
}

impl Positions {
    /// Where the value at `path` is written, else its key, else the
    /// nearest enclosing value's position.
    pub fn at(&self, path: &str) -> Option<At> {
        let mut path = path;
        loop {
            if let Some(at) = self.values.get(path).or_else(|| self.keys.get(path)) {
                return Some(*at);
            }
            path = path.rsplit_once('.')?.0;
        }
    }

    /// Where the key of `path` is written (for "unknown key").
    pub fn key(&self, path: &str) -> Option<At> {
        self.keys.get(path).copied().or_else(|| self.at(path))
    }

    /// Reads `text`.
    pub fn of(text: &str) -> Positions {
        let mut positions = Positions::default();
        let mut stack: Vec<Frame> = vec![Frame {
            indent: Some(0),
            sequence: false,
            min: 0,
            path: String::new(),
            next: 0,
        }];
        for (number, raw) in text.lines().enumerate() {
            let line = number + 1;
            let content = strip_comment(raw);
            let trimmed = content.trim_start();
            if trimmed.is_empty() || trimmed.starts_with("---") || trimmed.starts_with("...") {
                continue;
            }
            let indent = content.len() - trimmed.len();
            let item = trimmed == "-" || trimmed.starts_with("- ");
            // Find the container this line belongs to.
            loop {
                let depth = stack.len();
                let Some(top) = stack.last_mut() else { break };
                match top.indent {
                    None if indent > top.min || (indent == top.min && item) => {
                        top.indent = Some(indent);
                        top.sequence = item;
                        break;
                    }
                    None => {
                        stack.pop();
                    }
                    // A sequence written at its key's indent ends at the
                    // next key there.
                    Some(at)
                        if (indent < at || (indent == at && top.sequence && !item))
                            && depth > 1 =>
                    {
                        stack.pop();
                    }
                    _ => break,
                }
            }
            let Some(top) = stack.last() else { break };
            if top.indent.is_some_and(|at| indent > at) {
                continue; // the continuation of a multi-line scalar
            }
            positions.entry(&mut stack, raw, indent, trimmed, line);
        }
        positions
    }

    /// One line's entry (`- …` or `key: …`) in the container on top.
    fn entry(&mut self, stack: &mut Vec<Frame>, raw: &str, indent: usize, rest: &str, line: usize) {
        let Some(top) = stack.last_mut() else { return };
        if let Some(after) = rest.strip_prefix('-') {
            let path = join(&top.path, &top.next.to_string());
            top.next += 1;
            let inner = after.trim_start();
            let inner_indent = indent + 1 + (after.len() - inner.len());
            if inner.is_empty() {
                stack.push(Frame::pending(indent, path));
                return;
            }
            if split_key(inner).is_some() {
                stack.push(Frame {
                    indent: Some(inner_indent),
                    sequence: false,
                    min: inner_indent,
                    path,
                    next: 0,
                });
                self.entry(stack, raw, inner_indent, inner, line);
            } else {
                self.value(&path, raw, inner_indent, inner, line);
            }
            return;
        }
        let Some((key, value)) = split_key(rest) else {
            return;
        };
        let path = join(&top.path, key);
        self.keys.insert(path.clone(), (line, column(raw, indent)));
        let value_start = rest.len() - value.len();
        let value = value.trim_start();
        let value_indent = indent + value_start + (rest.len() - value_start - value.len());
        if value.is_empty() || value == "|" || value == ">" {
            stack.push(Frame::pending(indent, path));
        } else {
            self.value(&path, raw, value_indent, value, line);
        }
    }

    /// A value on one line: a scalar, or a flow collection whose elements
    /// are placed one level deep.
    fn value(&mut self, path: &str, raw: &str, byte: usize, value: &str, line: usize) {
        self.values
            .insert(path.to_owned(), (line, column(raw, byte)));
        let (open, close) = match value.chars().next() {
            Some('[') => ('[', ']'),
            Some('{') => ('{', '}'),
            _ => return,
        };
        let inner_start = byte + 1;
        let body = &value[1..];
        let body = body.rfind(close).map_or(body, |end| &body[..end]);
        let mut index = 0;
        for (offset, part) in split_flow(body) {
            let trimmed = part.trim_start();
            if trimmed.trim().is_empty() {
                continue;
            }
            let start = inner_start + offset + (part.len() - trimmed.len());
            if open == '[' {
                self.values
                    .insert(join(path, &index.to_string()), (line, column(raw, start)));
                index += 1;
            } else if let Some((key, v)) = split_key(trimmed) {
                let child = join(path, key);
                self.keys.insert(child.clone(), (line, column(raw, start)));
                let v_trimmed = v.trim_start();
                let v_start = start + (trimmed.len() - v.len()) + (v.len() - v_trimmed.len());
                if !v_trimmed.trim().is_empty() {
                    self.values.insert(child, (line, column(raw, v_start)));
                }
            }
        }
    }
}

/// A mapping or sequence whose entries are indented by `indent` (unknown
/// until its first entry, which must be deeper than `min`, or a sequence
/// item at `min`).
struct Frame {
    indent: Option<usize>,
    sequence: bool,
    min: usize,
    path: String,
    next: usize,
}

impl Frame {
    fn pending(min: usize, path: String) -> Frame {
        Frame {
            indent: None,
            sequence: false,
            min,
            path,
            next: 0,
        }
    }
}

/// The 1-based character column of byte offset `byte` of `line`.
fn column(line: &str, byte: usize) -> usize {
    line.get(..byte)
        .map_or(byte, |before| before.chars().count())
        + 1
}

/// `key: value` (or `key:`) outside quotes and brackets; the key unquoted.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let mut quote = None;
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') if i == 0 => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ':') if depth == 0 => {
                let rest = &text[i + 1..];
                if rest.is_empty() || rest.starts_with(' ') {
                    let key = text[..i].trim();
                    let key = key
                        .strip_prefix(['\'', '"'])
                        .and_then(|k| k.strip_suffix(['\'', '"']))
                        .unwrap_or(key);
                    return Some((key, rest));
                }
            }
            _ => {}
        }
    }
    None
}

/// The parts of a flow collection's body between top-level commas, with
/// their byte offsets.
fn split_flow(body: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push((start, &body[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push((start, &body[start..]));
    parts
}

/// The line without a trailing `# comment` (a `#` after white space,
/// outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => return &line[..i],
            _ => {}
        }
        previous = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_and_flow_values_are_placed() {
        let text = "# config\nreports:\n  - glob: 'docs/[*.rst'   # bad\n    schema: uke\n    rules:\n      unknown-section: off\n  - glob: x\nexclude:\n- 'a/**'\n- b\nrules:\n  stale-item: {weeks: lots, reports: 3}\n  missing-report:\n    breaks: [2016-W28, \"2016-W99\"]\nmilestones_year: soon\n";
        let p = Positions::of(text);
        assert_eq!(p.at("reports.0.glob"), Some((3, 11)));
        assert_eq!(p.at("reports.0.schema"), Some((4, 13)));
        assert_eq!(p.at("reports.0.rules.unknown-section"), Some((6, 24)));
        assert_eq!(p.at("reports.1.glob"), Some((7, 11)));
        assert_eq!(p.at("exclude.0"), Some((9, 3)));
        assert_eq!(p.at("exclude.1"), Some((10, 3)));
        assert_eq!(p.at("rules.stale-item.weeks"), Some((12, 23)));
        assert_eq!(p.key("rules.stale-item.reports"), Some((12, 29)));
        assert_eq!(p.at("rules.missing-report.breaks.1"), Some((14, 24)));
        assert_eq!(p.at("milestones_year"), Some((15, 18)));
        assert_eq!(p.key("milestones_year"), Some((15, 1)));
        // Unknown paths fall back to what encloses them.
        assert_eq!(p.at("rules.stale-item.weeks.9"), Some((12, 23)));
    }

    #[test]
    fn multi_line_values_and_unicode_columns() {
        let text =
            "milestones:\n  - id: å\n    title: >\n      long\n      text\n    due: 31. feb 2016\n";
        let p = Positions::of(text);
        assert_eq!(p.at("milestones.0.id"), Some((2, 9)));
        assert_eq!(p.at("milestones.0.due"), Some((6, 10)));
        let text = "a: ø\nb: 'x # not a comment'\n";
        let p = Positions::of(text);
        assert_eq!(p.at("b"), Some((2, 4)));
    }
}
