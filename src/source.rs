//! Turning the bytes of a file into text a parser can trust.
//!
//! Everything that can be wrong with a file's bytes is decided here, once:
//! binary content, a byte-order mark, invalid UTF-8 (with the line and column
//! of the first bad byte) and CRLF line ends. Parsers then only ever see
//! clean `\n`-separated UTF-8, and line numbers stay those of the file.

use std::borrow::Cow;

use crate::report::{Pos, to_u32};

/// Why a file's bytes are not report text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undecodable {
    /// A NUL byte near the start: an image or archive named like a report.
    Binary,
    /// Not UTF-8; `pos` is the first offending byte.
    NotUtf8 { pos: Pos },
}

/// How many leading bytes are sniffed for NUL, as git does.
const BINARY_SNIFF_LEN: usize = 8000;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a report's bytes: strips a BOM, rejects binary and non-UTF-8, and
/// turns CRLF into LF. A lone CR is kept as a character, so line numbers match
/// what editors show; docutils ends a line there (see `tests/rst/lone_cr.rst`).
pub fn decode(bytes: Vec<u8>) -> Result<String, Undecodable> {
    if bytes[..bytes.len().min(BINARY_SNIFF_LEN)].contains(&0) {
        return Err(Undecodable::Binary);
    }
    let mut bytes = bytes;
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            return Err(Undecodable::NotUtf8 {
                pos: position_of_byte(&bytes, valid_up_to),
            });
        }
    };
    Ok(match normalise_line_ends(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(fixed) => fixed,
    })
}

fn normalise_line_ends(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Line and column (in characters, counting the valid prefix of the line)
/// of byte `offset`, whose prefix is known to be valid UTF-8.
fn position_of_byte(bytes: &[u8], offset: usize) -> Pos {
    let prefix = &bytes[..offset];
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = std::str::from_utf8(&prefix[line_start..])
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    Pos::new(to_u32(line), to_u32(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_crlf() {
        let text = decode(b"\xEF\xBB\xBFUke 38\r\n======\r\n".to_vec()).unwrap();
        assert_eq!(text, "Uke 38\n======\n");
    }

    #[test]
    fn keeps_lone_carriage_returns() {
        assert_eq!(decode(b"a\rb\n".to_vec()).unwrap(), "a\rb\n");
    }

    #[test]
    fn reports_first_invalid_byte() {
        // "Fullf\xF8rt" is Latin-1 for Fullført.
        let err = decode(b"Uke 38\n\nFullf\xF8rt\n".to_vec()).unwrap_err();
        assert_eq!(
            err,
            Undecodable::NotUtf8 {
                pos: Pos::new(3, 6)
            }
        );
    }

    #[test]
    fn invalid_byte_column_counts_characters() {
        let err = decode("æø".bytes().chain([0xFF]).collect()).unwrap_err();
        assert_eq!(
            err,
            Undecodable::NotUtf8 {
                pos: Pos::new(1, 3)
            }
        );
    }

    #[test]
    fn detects_binary() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0".to_vec()),
            Err(Undecodable::Binary)
        );
    }

    #[test]
    fn empty_is_fine() {
        assert_eq!(decode(Vec::new()).unwrap(), "");
    }
}
