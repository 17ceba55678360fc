//! Turning the bytes of a file into text a parser can trust.
//!
//! Everything that can be wrong with a file's bytes is decided here, once:
//! binary content, a byte-order mark, invalid UTF-8 (with the line and column
//! of the first bad byte) and CRLF line ends. Parsers then only ever see
//! clean `\n`-separated UTF-8, and line numbers stay those of the file.

use std::borrow::Cow;

use crate::report::{Pos, to_u32};

/// Why a file's bytes are not report text. Each is an `encoding` finding
/// when the file is named like a report: a report saved as UTF-16 by an
/// editor, or an image given a report's name, is a mistake to show, not a
/// file to skip in silence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undecodable {
    /// A NUL byte near the start (`pos`): an image or archive named like a
    /// report.
    Binary { pos: Pos },
    /// A UTF-16 byte-order mark: text, but not in UTF-8.
    Utf16 { big_endian: bool },
    /// Not UTF-8; `pos` is the first offending byte.
    NotUtf8 { pos: Pos },
}

impl std::fmt::Display for Undecodable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Undecodable::Binary { .. } => {
                f.write_str("the file holds NUL bytes: it is binary, not text")
            }
            Undecodable::Utf16 { big_endian } => write!(
                f,
                "the file is UTF-16 ({}), not UTF-8",
                if *big_endian {
                    "big-endian"
                } else {
                    "little-endian"
                }
            ),
            Undecodable::NotUtf8 { .. } => f.write_str("the file is not UTF-8"),
        }
    }
}

impl Undecodable {
    /// Where the problem is.
    pub fn pos(&self) -> Pos {
        match self {
            Undecodable::Binary { pos } | Undecodable::NotUtf8 { pos } => *pos,
            Undecodable::Utf16 { .. } => Pos::START,
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            Undecodable::Binary { .. } => {
                "a report is text; rename the file if it is not a report, or exclude it in milepost.yaml"
            }
            Undecodable::Utf16 { big_endian: false } => {
                "re-save it as UTF-8, e.g. `iconv -f utf-16le -t utf-8`"
            }
            Undecodable::Utf16 { big_endian: true } => {
                "re-save it as UTF-8, e.g. `iconv -f utf-16be -t utf-8`"
            }
            Undecodable::NotUtf8 { .. } => "re-save it as UTF-8, e.g. `iconv -f latin1 -t utf-8`",
        }
    }
}

/// How many leading bytes are sniffed for NUL, as git does.
const BINARY_SNIFF_LEN: usize = 8000;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a report's bytes: strips a BOM, rejects binary and non-UTF-8, and
/// turns CRLF into LF. A lone CR is kept as a character, so line numbers match
/// what editors show; docutils ends a line there (see `tests/rst/lone_cr.rst`).
pub fn decode(bytes: Vec<u8>) -> Result<String, Undecodable> {
    // UTF-16 holds NUL bytes in every ASCII character: told apart first.
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Undecodable::Utf16 {
            big_endian: bytes[0] == 0xFE,
        });
    }
    let sniffed = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    if let Some(nul) = sniffed.iter().position(|&b| b == 0) {
        return Err(Undecodable::Binary {
            pos: position_of_byte(&bytes, nul),
        });
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

/// Line and column of byte `offset`: the column counts characters when the
/// line's prefix is valid UTF-8, else bytes.
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
            Err(Undecodable::Binary {
                pos: Pos::new(3, 1)
            })
        );
    }

    #[test]
    fn detects_utf16_by_its_byte_order_mark() {
        let little: Vec<u8> = "\u{feff}Uke 38"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(little),
            Err(Undecodable::Utf16 { big_endian: false })
        );
        let big: Vec<u8> = "\u{feff}Uke 38"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(big), Err(Undecodable::Utf16 { big_endian: true }));
    }

    #[test]
    fn empty_is_fine() {
        assert_eq!(decode(Vec::new()).unwrap(), "");
    }
}
