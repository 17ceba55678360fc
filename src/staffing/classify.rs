//! The score: whether a text is about the team's people running short.

use super::cues::{List, Span, outermost};
use super::figures;
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
pub const WINDOW: usize = 8;

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

/// Points when a need is said to be met near the shortage ("the vacancy
/// was filled", "Kari er tilbake fra permisjon").
pub const RESOLVED_POINTS: i32 = -3;
/// How many words may stand between a negation and the word it negates
/// ("ikke besatt", "er ennå ikke besatt", "has not been filled", "ikke
/// fått noen på plass").
pub const NEGATION_REACH: usize = 2;

pub(super) fn assess_text(text: &Text, lexicon: &Lexicon) -> Assessment {
    let words = text.word_strs();
    let quote = |span: &Span| words[span.start..span.end].join(" ");
    let places = text.clauses(lexicon);
    let figures = figures::find(text, lexicon, &places);
    let not_staff = text.spans(List::NotStaff);
    let absence = text.spans(List::Absence);
    let mut reasons = Vec::new();

    let mut people = Vec::new();
    for &span in text.spans(List::People).iter().chain(&figures.people) {
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
    // A negation just before a word, or right after it ("trenger ikke"),
    // never one inside a cue ("ikke nok" is a shortage, not a negated one).
    let negated = |span: &Span| {
        negation.iter().any(|n| {
            (n.end <= span.start && span.start - n.end <= NEGATION_REACH) || n.start == span.end
        })
    };
    let mut shortage = Vec::new();
    for &span in text.spans(List::Shortage) {
        if negated(&span) {
            reasons.push(format!("`{}` is negated", quote(&span)));
        } else {
            shortage.push(span);
        }
    }
    // "ikke besatt", "not filled": a need said not to be met is a shortage;
    // said to be met, it may cancel one (below).
    let mut resolved = Vec::new();
    for &span in text.spans(List::Resolved) {
        if negated(&span) {
            shortage.push(span);
        } else {
            resolved.push(span);
        }
    }
    // "kan ikke begynne", "has not joined": someone has not come.
    shortage.extend(text.spans(List::Awaited).iter().filter(|s| negated(s)));
    // "ingen frontendutvikler", "no engineers": none of them, unless the
    // noun names a topic ("ingen bemanningsutfordringer", "no staffing
    // issues").
    let trouble = text.spans(List::Trouble);
    for p in &people {
        let none = negation.iter().any(|n| n.end == p.start);
        let topic = trouble
            .iter()
            .any(|t| p.start <= t.start && t.start <= p.end);
        if none && !topic {
            shortage.push(Span {
                start: p.start.saturating_sub(1),
                end: p.end,
            });
        }
    }
    shortage.extend(absence);
    shortage.extend(&figures.shortage);
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
    // Words apart, when in the same clause: "vi har nok servere, men mangler
    // folk" is about people, and two sentences are two things. A people
    // noun and its shortage may be on either side of a "men" ("en 50 %
    // stilling, men den er ikke fylt").
    let apart = |a: &Span, b: &Span| {
        (places[a.start].clause == places[b.start].clause).then(|| a.distance(b))
    };
    let near = |a: &Span, b: &Span| {
        (places[a.start].sentence == places[b.start].sentence).then(|| a.distance(b))
    };
    let nearest = people
        .iter()
        .flat_map(|p| {
            shortage
                .iter()
                .filter_map(move |s| Some((near(p, s)?, p, s)))
        })
        .min_by_key(|(distance, ..)| *distance);
    let nearest = nearest.filter(|(distance, ..)| *distance <= WINDOW);
    // What the penalties below may cancel: the shortage paired with
    // people, or any when none is. A machine late in one sentence does not
    // cancel people missing in the next.
    let judged: Vec<&Span> = match nearest {
        Some((_, _, s)) => vec![s],
        None => shortage.iter().collect(),
    };
    if let Some((distance, p, s)) = nearest {
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
    // "ansvaret for lagring", "erfaring med ceph": what people do.
    let about = text.spans(List::About);
    let duty = |thing: &Span| {
        about
            .iter()
            .any(|a| a.end == thing.start && people.iter().any(|p| p.end == a.start))
    };
    for thing in not_staff.iter().filter(|thing| !duty(thing)) {
        let what_is_short = judged.iter().any(|s| {
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
    let met = resolved.iter().find(|r| {
        judged
            .iter()
            .any(|s| apart(r, s).is_some_and(|distance| distance <= WINDOW))
    });
    if let Some(met) = met {
        score += RESOLVED_POINTS;
        reasons.push(format!(
            "`{}` says it is resolved ({RESOLVED_POINTS:+})",
            quote(met)
        ));
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
        assert!(err.contains("unknown key `peple`"), "{err}");
    }
}
