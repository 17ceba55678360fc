//! A text as lower-case words, numbers and the punctuation that matters,
//! with the cues of every list found in it.

use std::borrow::Cow;

use super::cues::{List, Span};
use super::words::{Language, Lexicon};

/// What a token is; punctuation matters to the FTE reader, which must not
/// join "1 person 60%" to the next clause.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Kind {
    Word,
    /// A number with `%` or "prosent" after it, as a percentage.
    Percent(f64),
    PercentSign,
    Open,
    Close,
    Comma,
    Break,
}

/// A token's text borrows from the lowered text; only a number written
/// with a decimal comma ("1,5", read as "1.5") is a copy.
#[derive(Clone, Debug)]
pub(super) struct Token<'t> {
    pub(super) kind: Kind,
    pub(super) text: Cow<'t, str>,
}

/// A text as tokens: lower-case NFC words and the punctuation that matters.
pub(super) struct Text<'t> {
    pub(super) tokens: Vec<Token<'t>>,
    /// The token index of each word.
    pub(super) words: Vec<usize>,
    pub(super) language: Language,
    /// The matches of every cue list, by [`List`].
    pub(super) spans: Vec<Vec<Span>>,
}

impl<'t> Text<'t> {
    /// Tokens of `lower`, which is [`lower_nfc`](crate::text::lower_nfc) of the text.
    pub(super) fn new(lower: &'t str, lexicon: &Lexicon) -> Text<'t> {
        let mut raw = tokenize(lower).into_iter().peekable();
        let mut tokens: Vec<Token> = Vec::with_capacity(raw.len());
        while let Some(mut token) = raw.next() {
            let value = (token.kind == Kind::Word
                && token.text.starts_with(|c: char| c.is_ascii_digit()))
            .then(|| token.text.parse::<f64>().ok())
            .flatten();
            let next_is_percent = |next: &Token| {
                next.kind == Kind::PercentSign
                    || (next.kind == Kind::Word
                        && lexicon.percent_words.contains(next.text.as_ref()))
            };
            match value {
                // The text stays the number's; [`FteReader::quote`] adds
                // the `%`.
                Some(value) if raw.next_if(next_is_percent).is_some() => {
                    token.kind = Kind::Percent(value);
                    tokens.push(token);
                }
                _ if token.kind == Kind::PercentSign => {}
                _ => tokens.push(token),
            }
        }
        let words: Vec<usize> = (0..tokens.len())
            .filter(|&i| tokens[i].kind == Kind::Word)
            .collect();
        let mut text = Text {
            tokens,
            words,
            language: Language::Unsure,
            spans: Vec::new(),
        };
        let words = text.word_strs();
        let language = lexicon.language(&words);
        let spans = lexicon.index.find_all(lexicon, &words);
        text.language = language;
        text.spans = spans;
        text
    }

    /// Where the cues of `list` are, in word indices.
    pub(super) fn spans(&self, list: List) -> &[Span] {
        &self.spans[list as usize]
    }

    /// The sentence and the clause of each word: sentences end at `.`,
    /// `!`, `?` and `;`, and clauses also at contrast words ("men", "but").
    pub(super) fn clauses(&self, lexicon: &Lexicon) -> Vec<Place> {
        let mut place = Place::default();
        let mut places = Vec::with_capacity(self.words.len());
        for token in &self.tokens {
            match token.kind {
                Kind::Break => {
                    place.sentence += 1;
                    place.clause += 1;
                }
                Kind::Word => {
                    if lexicon.contrast_words.contains(token.text.as_ref()) {
                        place.clause += 1;
                    }
                    places.push(place);
                }
                _ => {}
            }
        }
        places
    }

    pub(super) fn word_strs(&self) -> Vec<&str> {
        self.words
            .iter()
            .map(|&i| self.tokens[i].text.as_ref())
            .collect()
    }
}

/// Which sentence and which clause a word is in, counted from 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Place {
    pub(super) sentence: usize,
    pub(super) clause: usize,
}

/// Splits lower-case text into words, numbers (`1,5` and `1.5` are one
/// number) and the punctuation the FTE reader needs.
pub(super) fn tokenize<'t>(text: &'t str) -> Vec<Token<'t>> {
    let mut tokens = Vec::new();
    // The word being read: `text[start..end]`, and whether it took a
    // decimal comma.
    let (mut start, mut end, mut comma) = (0, 0, false);
    // Whether the word is digits and dots so far, starting with a digit.
    let mut is_number = false;
    let flush = |start: usize, end: usize, comma: bool, tokens: &mut Vec<Token<'t>>| {
        if start < end {
            let word = &text[start..end];
            tokens.push(Token {
                kind: Kind::Word,
                text: if comma {
                    Cow::Owned(word.replace(',', "."))
                } else {
                    Cow::Borrowed(word)
                },
            });
        }
    };
    let punct = |kind: Kind, text: &'static str| Token {
        kind,
        text: Cow::Borrowed(text),
    };
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = at + c.len_utf8();
        if c.is_alphanumeric() {
            // "2x50%" and "50prosent": a number ends where letters begin.
            let word = &text[start..end];
            if (is_number && !c.is_ascii_digit()) || (word == "x" && c.is_ascii_digit()) {
                flush(start, end, comma, &mut tokens);
                (start, end, comma) = (at, at, false);
            }
            is_number = if start == end {
                start = at;
                c.is_ascii_digit()
            } else {
                is_number && c.is_ascii_digit()
            };
            end = next;
            continue;
        }
        if (c == ',' || c == '.')
            && is_number
            && chars.peek().is_some_and(|(_, d)| d.is_ascii_digit())
        {
            comma |= c == ',';
            end = next;
            continue;
        }
        flush(start, end, comma, &mut tokens);
        (start, end, comma) = (next, next, false);
        is_number = false;
        match c {
            '%' => tokens.push(punct(Kind::PercentSign, "%")),
            '×' => tokens.push(punct(Kind::Word, "x")),
            '(' | '[' => tokens.push(punct(Kind::Open, "(")),
            ')' | ']' => tokens.push(punct(Kind::Close, ")")),
            ',' => tokens.push(punct(Kind::Comma, ",")),
            '.' | '!' | '?' | ';' => tokens.push(punct(Kind::Break, ".")),
            _ => {}
        }
    }
    flush(start, end, comma, &mut tokens);
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_keeps_numbers_words_and_the_punctuation_that_matters() {
        let tokens = tokenize("2x50% og 1,5 årsverk × 2 (100% delt). 50prosent v2.0; ok!");
        let shown: Vec<(Kind, &str)> = tokens
            .iter()
            .map(|t| (t.kind.clone(), t.text.as_ref()))
            .collect();
        use Kind::*;
        assert_eq!(
            shown,
            vec![
                (Word, "2"),
                (Word, "x"),
                (Word, "50"),
                (PercentSign, "%"),
                (Word, "og"),
                (Word, "1.5"),
                (Word, "årsverk"),
                (Word, "x"),
                (Word, "2"),
                (Open, "("),
                (Word, "100"),
                (PercentSign, "%"),
                (Word, "delt"),
                (Close, ")"),
                (Break, "."),
                (Word, "50"),
                (Word, "prosent"),
                (Word, "v2"),
                (Break, "."),
                (Word, "0"),
                (Break, "."),
                (Word, "ok"),
                (Break, "."),
            ]
        );
        // Only the decimal comma is a copy; everything else borrows.
        let copies: Vec<&str> = tokens
            .iter()
            .filter(|t| matches!(t.text, Cow::Owned(_)))
            .map(|t| t.text.as_ref())
            .collect();
        assert_eq!(copies, vec!["1.5"]);
    }
}
