//! Enumerated list markers: `1.`, `(a)`, `iv)`, `#.`, and the sequence a
//! list continues in (arabic, letters, roman numerals).

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EnumFormat {
    /// `1.`
    Period,
    /// `1)`
    RParen,
    /// `(1)`
    Parens,
}

impl EnumFormat {
    pub(super) fn affixes(self) -> (&'static str, &'static str) {
        match self {
            EnumFormat::Period => ("", "."),
            EnumFormat::RParen => ("", ")"),
            EnumFormat::Parens => ("(", ")"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sequence {
    Arabic,
    LowerAlpha,
    UpperAlpha,
    LowerRoman,
    UpperRoman,
    /// `#`
    Auto,
}

impl Sequence {
    /// docutils tries the sequences in this order when nothing is expected.
    const ORDER: [Sequence; 5] = [
        Sequence::Arabic,
        Sequence::LowerAlpha,
        Sequence::UpperAlpha,
        Sequence::LowerRoman,
        Sequence::UpperRoman,
    ];

    pub(super) fn matches(self, body: &str) -> bool {
        let bytes = body.as_bytes();
        match self {
            Sequence::Arabic => !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit),
            Sequence::LowerAlpha => matches!(bytes, [b] if b.is_ascii_lowercase()),
            Sequence::UpperAlpha => matches!(bytes, [b] if b.is_ascii_uppercase()),
            Sequence::LowerRoman => {
                !bytes.is_empty() && bytes.iter().all(|b| b"ivxlcdm".contains(b))
            }
            Sequence::UpperRoman => {
                !bytes.is_empty() && bytes.iter().all(|b| b"IVXLCDM".contains(b))
            }
            Sequence::Auto => body == "#",
        }
    }
}

/// A parsed enumerator such as `3.` or `(iv)`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Enumerator {
    pub(super) format: EnumFormat,
    pub(super) sequence: Sequence,
    /// `None` for an invalid Roman numeral, which makes the line plain text.
    pub(super) ordinal: Option<u64>,
    /// Bytes taken by the marker (without the white space after it).
    pub(super) len: usize,
}

impl Enumerator {
    pub(super) fn parse(rest: &str, expected: Option<Sequence>) -> Option<Enumerator> {
        let bytes = rest.as_bytes();
        let parens = bytes.first() == Some(&b'(');
        let body_start = usize::from(parens);
        let body_len = bytes
            .iter()
            .skip(body_start)
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
            .count();
        let body_end = body_start + body_len;
        let format = match (parens, bytes.get(body_end)) {
            (true, Some(b')')) => EnumFormat::Parens,
            (false, Some(b'.')) => EnumFormat::Period,
            (false, Some(b')')) => EnumFormat::RParen,
            _ => return None,
        };
        let len = body_end + 1;
        if body_len == 0 || !space_or_end_at(rest, len) {
            return None;
        }
        let body = rest.get(body_start..body_end)?;
        let sequence = classify_sequence(body, expected)?;
        Some(Enumerator {
            format,
            sequence,
            ordinal: ordinal_of(body, sequence),
            len,
        })
    }

    /// The marker the next item of the same list would start with, and the
    /// auto-numbered (`#`) one; `None` when the sequence runs out.
    pub(super) fn successors(&self) -> Option<(String, String)> {
        let next = self.ordinal?.checked_add(1)?;
        let body = match self.sequence {
            Sequence::Auto => "#".to_string(),
            Sequence::Arabic => next.to_string(),
            Sequence::LowerAlpha | Sequence::UpperAlpha => {
                let letter = u8::try_from(next).ok().filter(|n| *n <= 26)?;
                let c = char::from(b'a' + letter - 1);
                if self.sequence == Sequence::UpperAlpha {
                    c.to_ascii_uppercase().to_string()
                } else {
                    c.to_string()
                }
            }
            Sequence::LowerRoman => to_roman(next)?.to_ascii_lowercase(),
            Sequence::UpperRoman => to_roman(next)?,
        };
        let (prefix, suffix) = self.format.affixes();
        Some((
            format!("{prefix}{body}{suffix}"),
            format!("{prefix}#{suffix}"),
        ))
    }

    /// Whether `next` continues the list this enumerator belongs to.
    pub(super) fn is_followed_by(&self, next: &Enumerator) -> bool {
        next.format == self.format
            && (next.sequence == Sequence::Auto
                || (next.sequence == self.sequence
                    && next.ordinal.is_some()
                    && next.ordinal == self.ordinal.and_then(|o| o.checked_add(1))))
    }
}

pub(super) fn classify_sequence(body: &str, expected: Option<Sequence>) -> Option<Sequence> {
    if body == "#" {
        return Some(Sequence::Auto);
    }
    if let Some(sequence) = expected
        && sequence.matches(body)
    {
        return Some(sequence);
    }
    match body {
        "i" => Some(Sequence::LowerRoman),
        "I" => Some(Sequence::UpperRoman),
        _ => Sequence::ORDER.into_iter().find(|s| s.matches(body)),
    }
}

pub(super) fn ordinal_of(body: &str, sequence: Sequence) -> Option<u64> {
    match sequence {
        Sequence::Auto => Some(1),
        // Absurdly long numbers saturate; their successor is then unknown.
        Sequence::Arabic => Some(body.parse().unwrap_or(u64::MAX)),
        Sequence::LowerAlpha | Sequence::UpperAlpha => body
            .bytes()
            .next()
            .map(|b| u64::from(b.to_ascii_lowercase() - b'a') + 1),
        Sequence::LowerRoman | Sequence::UpperRoman => from_roman(body),
    }
}

pub(super) const ROMAN: [(u64, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

/// Roman numerals 1 to 4999, as docutils' `roman` module writes them.
pub(super) fn to_roman(mut n: u64) -> Option<String> {
    if n == 0 || n > 4999 {
        return None;
    }
    let mut out = String::new();
    for (value, numeral) in ROMAN {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    Some(out)
}

/// Reads a Roman numeral, accepting only the canonical spelling (as
/// docutils does: `iiii` is not an enumerator).
pub(super) fn from_roman(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 16 {
        return None;
    }
    let upper = text.to_ascii_uppercase();
    let mut rest = upper.as_str();
    let mut n = 0;
    for (value, numeral) in ROMAN {
        while let Some(after) = rest.strip_prefix(numeral) {
            n += value;
            rest = after;
        }
    }
    (rest.is_empty() && to_roman(n)? == upper).then_some(n)
}
