//! The score: whether a text is about the team's people running short.

use super::cues::{List, Span, outermost};
use super::tokens::Text;
use super::words::Lexicon;

/// Points for a people noun.
pub const PEOPLE_POINTS: i32 = 2;
/// Points for a shortage or absence cue.
pub const SHORTAGE_POINTS: i32 = 2;
/// Points when a people noun and a shortage cue are within [`WINDOW`] words.
pub const NEAR_POINTS: i32 = 1;
/// Points for each not-staff cue the shortage is about.
pub const NOT_STAFF_POINTS: i32 = -3;
/// The score from which text is about staff: a people noun and a shortage
/// cue near each other, and nothing else they could be about.
pub const THRESHOLD: i32 = 5;
/// How many words apart two cues may be and still be about each other.
pub const WINDOW: usize = 6;

/// What the classifier made of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    /// Whether the text is about the team's people running short.
    pub about_staff: bool,
    pub score: i32,
    /// Why, one entry per scoring step ("people `personer` (+2)"), so that a
    /// surprising verdict can be understood and a word added to the config.
    pub reasons: Vec<String>,
}

pub(super) fn assess_text(text: &Text, lexicon: &Lexicon) -> Assessment {
    let words = text.word_strs();
    let quote = |span: &Span| words[span.start..span.end].join(" ");
    let not_staff = text.spans(List::NotStaff);
    let absence = text.spans(List::Absence);
    let mut reasons = Vec::new();

    let mut people = Vec::new();
    for &span in text.spans(List::People) {
        match not_staff.iter().find(|n| n.contains(&span)) {
            Some(outer) => reasons.push(format!(
                "`{}` in `{}` is not the team",
                quote(&span),
                quote(outer)
            )),
            None => people.push(span),
        }
    }
    people.extend(absence);
    let people = outermost(people);
    let negation = text.spans(List::Negation);
    let negated = |span: &Span| {
        negation
            .iter()
            .any(|n| n.end == span.start || n.start == span.end)
    };
    let mut shortage = Vec::new();
    for &span in text.spans(List::Shortage) {
        if negated(&span) {
            reasons.push(format!("`{}` is negated", quote(&span)));
        } else {
            shortage.push(span);
        }
    }
    shortage.extend(absence);
    let shortage = outermost(shortage);

    let mut score = 0;
    if let Some(first) = people.first() {
        score += PEOPLE_POINTS;
        reasons.push(format!("people `{}` ({PEOPLE_POINTS:+})", quote(first)));
    }
    if let Some(first) = shortage.first() {
        score += SHORTAGE_POINTS;
        reasons.push(format!("shortage `{}` ({SHORTAGE_POINTS:+})", quote(first)));
    }
    let clauses = text.clauses(lexicon);
    // Words apart, when in the same clause: "vi har nok servere, men mangler
    // folk" is about people, and two sentences are two things.
    let apart = |a: &Span, b: &Span| (clauses[a.start] == clauses[b.start]).then(|| a.distance(b));
    let nearest = people
        .iter()
        .flat_map(|p| {
            shortage
                .iter()
                .filter_map(move |s| Some((apart(p, s)?, p, s)))
        })
        .min_by_key(|(distance, ..)| *distance);
    if let Some((distance, p, s)) = nearest.filter(|(distance, ..)| *distance <= WINDOW) {
        score += NEAR_POINTS;
        reasons.push(if p == s {
            format!("`{}` names both ({NEAR_POINTS:+})", quote(p))
        } else {
            let words = if distance == 1 { "word" } else { "words" };
            format!(
                "`{}` {distance} {words} from `{}` ({NEAR_POINTS:+})",
                quote(p),
                quote(s)
            )
        });
    }
    for thing in not_staff {
        let what_is_short = shortage.iter().any(|s| {
            let Some(distance) = apart(thing, s) else {
                return false;
            };
            let nearest_person = people.iter().filter_map(|p| apart(p, s)).min();
            distance <= WINDOW && nearest_person.is_none_or(|person| distance < person)
        });
        if what_is_short {
            score += NOT_STAFF_POINTS;
            reasons.push(format!(
                "`{}` is not people ({NOT_STAFF_POINTS:+})",
                quote(thing)
            ));
        }
    }
    Assessment {
        about_staff: score >= THRESHOLD,
        score,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::staffing::fixtures::CASES;
    use crate::staffing::words::ExtraWords;
    use crate::staffing::{assess, read_fte};

    #[test]
    fn classifies_the_table() {
        assert!(CASES.len() >= 40);
        let lexicon = Lexicon::builtin();
        let wrong: Vec<String> = CASES
            .iter()
            .filter_map(|(text, expected)| {
                let assessment = assess(text, lexicon);
                (assessment.about_staff != *expected).then(|| {
                    format!(
                        "expected {expected}, score {}: {text}\n  {:?}",
                        assessment.score, assessment.reasons
                    )
                })
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn reasons_explain_the_score() {
        let assessment = assess("vi trenger 4 personer frem til nyttår", Lexicon::builtin());
        assert_eq!(assessment.score, 5);
        assert_eq!(
            assessment.reasons,
            [
                "people `personer` (+2)",
                "shortage `trenger` (+2)",
                "`personer` 2 words from `trenger` (+1)"
            ]
        );
        let compute = assess(
            "Vi begynner å gå tom for compute ressurser",
            Lexicon::builtin(),
        );
        assert_eq!(compute.score, -1);
        assert!(
            compute
                .reasons
                .contains(&"`compute ressurser` is not people (-3)".to_owned()),
            "{:?}",
            compute.reasons
        );
        let users = assess(
            "Vi skal hjelpe en liten gruppe personer med å komme i gang",
            Lexicon::builtin(),
        );
        assert!(users.score < THRESHOLD);
        assert_eq!(
            users.reasons[0],
            "`personer` in `hjelpe en liten gruppe personer` is not the team"
        );
    }

    #[test]
    fn decomposed_text_matches() {
        // "å" as "a" + combining ring, as macOS writes it.
        let text = "Vi trenger 2 a\u{30a}rsverk til";
        assert!(assess(text, Lexicon::builtin()).about_staff);
        assert_eq!(read_fte(text).need, Some(2.0));
    }

    #[test]
    fn extra_words_extend_the_builtin_ones() {
        let text = "Vi mangler postdocer til høsten";
        assert!(!assess(text, Lexicon::builtin()).about_staff);
        let extra = ExtraWords {
            people: vec!["postdoc".into()],
            ..ExtraWords::default()
        };
        assert!(assess(text, &Lexicon::with_extra(&extra)).about_staff);

        // The shortage is nearer the machines than the people.
        let text = "Vi trenger 10 nye studentmaskiner til ansatte";
        assert!(assess(text, Lexicon::builtin()).about_staff);
        let extra = ExtraWords {
            not_staff: vec!["studentmaskin".into()],
            ..ExtraWords::default()
        };
        assert!(!assess(text, &Lexicon::with_extra(&extra)).about_staff);

        let extra = ExtraWords {
            absence: vec!["avspasering".into()],
            ..ExtraWords::default()
        };
        assert!(assess("Ola har avspasering i uke 30", &Lexicon::with_extra(&extra)).about_staff);
    }

    #[test]
    fn extra_words_deny_unknown_keys() {
        let ok: ExtraWords =
            crate::yaml::from_str("people: [postdoc]\nnot_staff: [lustre]\n", Path::new("x"))
                .unwrap();
        assert_eq!(ok.people, ["postdoc"]);
        let err = crate::yaml::from_str::<ExtraWords>("peple: [x]\n", Path::new("x"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `peple`"), "{err}");
    }
}
