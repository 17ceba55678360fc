use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("test date exists")
}

/// What a sentence should yield: each mention's text and value.
type Found = Vec<(&'static str, Result<NaiveDate, DateError>)>;
type Weeks = Vec<(&'static str, u32, Option<i32>)>;

fn nonexistent(year: i32, month: u32, day: u32) -> DateError {
    DateError::Nonexistent { year, month, day }
}

/// The mentions as (text, value) pairs, checking the offsets on the way.
fn dates_in(text: &str, default_year: Option<i32>) -> Vec<(&str, Result<NaiveDate, DateError>)> {
    let mentions = find_dates(text, default_year);
    check_offsets(text, mentions.iter().map(|m| (m.start, m.end)));
    mentions
        .into_iter()
        .map(|m| (&text[m.start..m.end], m.value))
        .collect()
}

fn weeks_in(text: &str) -> Vec<(&str, u32, Option<i32>)> {
    let mentions = find_weeks(text);
    check_offsets(text, mentions.iter().map(|m| (m.start, m.end)));
    mentions
        .into_iter()
        .map(|m| (&text[m.start..m.end], m.value.week, m.value.year))
        .collect()
}

fn check_offsets(text: &str, spans: impl Iterator<Item = (usize, usize)>) {
    let mut last_start = 0;
    for (start, end) in spans {
        assert!(
            start < end && end <= text.len(),
            "{start}..{end} in {text:?}"
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{text:?}"
        );
        assert!(start >= last_start, "mentions out of order in {text:?}");
        last_start = start;
    }
}

#[test]
fn patterns_compile() {
    LazyLock::force(&DATE_RE);
    LazyLock::force(&WEEK_RE);
}

#[test]
fn parse_date_reads_every_format() {
    let dy = Some(2020);
    let cases: &[(&str, NaiveDate)] = &[
        // Day-dot-month, with and without space and year.
        ("23. sep 2016", d(2016, 9, 23)),
        ("07.mars 2017", d(2017, 3, 7)),
        ("4.september 2017", d(2017, 9, 4)),
        ("26.februar 2016", d(2016, 2, 26)),
        ("6.mai  2026", d(2026, 5, 6)),
        ("14. november", d(2020, 11, 14)),
        ("1.sept", d(2020, 9, 1)),
        ("26.sept", d(2020, 9, 26)),
        ("01.nov", d(2020, 11, 1)),
        ("14.nov", d(2020, 11, 14)),
        ("23. sept. 2016", d(2016, 9, 23)),
        ("14. november 2016", d(2016, 11, 14)),
        // Numeric.
        ("1.7.17", d(2017, 7, 1)),
        ("15.12.2015", d(2015, 12, 15)),
        ("1.7.2017", d(2017, 7, 1)),
        ("01.11", d(2020, 11, 1)),
        // English.
        ("September 23, 2016", d(2016, 9, 23)),
        ("Sept 23 2016", d(2016, 9, 23)),
        ("23 September 2016", d(2016, 9, 23)),
        ("23 sep 2016", d(2016, 9, 23)),
        ("23rd September 2016", d(2016, 9, 23)),
        ("November 14", d(2020, 11, 14)),
        ("september 23, 2016", d(2016, 9, 23)),
        ("Sept. 23, 2016", d(2016, 9, 23)),
        ("1st may 2016", d(2016, 5, 1)),
        // ISO.
        ("2016-09-23", d(2016, 9, 23)),
        ("2016-9-23", d(2016, 9, 23)),
        // Leap day, case, surrounding space, trailing dot.
        ("29. februar 2016", d(2016, 2, 29)),
        ("23. SEPTEMBER 2016", d(2016, 9, 23)),
        ("  23. sep 2016. ", d(2016, 9, 23)),
        ("1.sept.", d(2020, 9, 1)),
        ("15.12.2015.", d(2015, 12, 15)),
        ("\t2016-09-23\n", d(2016, 9, 23)),
    ];
    for &(text, want) in cases {
        assert_eq!(parse_date(text, dy), Ok(want), "{text:?}");
    }
}

#[test]
fn every_month_name_is_read() {
    let names: &[(&str, u32)] = &[
        ("januar", 1),
        ("jan", 1),
        ("jan.", 1),
        ("january", 1),
        ("februar", 2),
        ("feb", 2),
        ("feb.", 2),
        ("february", 2),
        ("mars", 3),
        ("mar", 3),
        ("mar.", 3),
        ("march", 3),
        ("april", 4),
        ("apr", 4),
        ("apr.", 4),
        ("mai", 5),
        ("may", 5),
        ("juni", 6),
        ("jun", 6),
        ("jun.", 6),
        ("june", 6),
        ("juli", 7),
        ("jul", 7),
        ("jul.", 7),
        ("july", 7),
        ("august", 8),
        ("aug", 8),
        ("aug.", 8),
        ("september", 9),
        ("sep", 9),
        ("sep.", 9),
        ("sept", 9),
        ("sept.", 9),
        ("oktober", 10),
        ("okt", 10),
        ("okt.", 10),
        ("october", 10),
        ("oct", 10),
        ("oct.", 10),
        ("november", 11),
        ("nov", 11),
        ("nov.", 11),
        ("desember", 12),
        ("des", 12),
        ("des.", 12),
        ("december", 12),
        ("dec", 12),
        ("dec.", 12),
    ];
    for &(name, month) in names {
        let want = Ok(d(2016, month, 3));
        let upper = name.to_uppercase();
        for text in [
            format!("3. {name} 2016"),
            format!("3.{upper} 2016"),
            format!("3 {name} 2016"),
        ] {
            assert_eq!(parse_date(&text, None), want, "{text:?}");
        }
        let english = format!("{}{} 3, 2016", name[..1].to_uppercase(), &name[1..]);
        assert_eq!(parse_date(&english, None), want, "{english:?}");
        assert_eq!(
            dates_in(&format!("Frist 3. {name} 2016, se over."), None),
            vec![(format!("3. {name} 2016").as_str(), want)],
        );
    }
    assert_eq!(month_from_name("SEPT"), Some(9));
    assert_eq!(month_from_name("septe"), None);
    assert_eq!(month_name(2), Some("February"));
    assert_eq!(month_name(0), None);
    assert_eq!(month_name(13), None);
}

#[test]
fn parse_date_reports_nonexistent_days() {
    let cases: &[(&str, Option<i32>, DateError)] = &[
        ("31. feb 2016", None, nonexistent(2016, 2, 31)),
        ("31. februar 2016", None, nonexistent(2016, 2, 31)),
        ("2016-02-30", None, nonexistent(2016, 2, 30)),
        ("29. februar 2017", None, nonexistent(2017, 2, 29)),
        ("29. februar", Some(2017), nonexistent(2017, 2, 29)),
        ("31.04.2016", None, nonexistent(2016, 4, 31)),
        ("31.4.17", None, nonexistent(2017, 4, 31)),
        ("April 31, 2016", None, nonexistent(2016, 4, 31)),
        ("31.11", Some(2016), nonexistent(2016, 11, 31)),
        // A named month makes a date shape whatever the day.
        ("32. jan 2016", None, nonexistent(2016, 1, 32)),
        ("0. mai 2016", None, nonexistent(2016, 5, 0)),
        ("99 May 2016", None, nonexistent(2016, 5, 99)),
    ];
    for (text, dy, want) in cases {
        assert_eq!(parse_date(text, *dy), Err(want.clone()), "{text:?}");
    }
}

#[test]
fn parse_date_uses_the_default_year_only_when_none_is_written() {
    assert_eq!(
        parse_date("14. november", None),
        Err(DateError::MissingYear)
    );
    assert_eq!(parse_date("01.11", None), Err(DateError::MissingYear));
    assert_eq!(parse_date("November 14", None), Err(DateError::MissingYear));
    assert_eq!(parse_date("1.sept", None), Err(DateError::MissingYear));
    assert_eq!(parse_date("14. november", Some(1999)), Ok(d(1999, 11, 14)));
    assert_eq!(
        parse_date("14. november 2016", Some(1999)),
        Ok(d(2016, 11, 14))
    );
    assert_eq!(parse_date("1.7.17", Some(1999)), Ok(d(2017, 7, 1)));
}

#[test]
fn parse_date_rejects_garbage() {
    let garbage = [
        "",
        "   ",
        ".",
        "hello",
        "sep",
        "2016",
        "13.13.2016",
        "13.13",
        "0.5.2016",
        "10.30",
        "1.2.3",
        "10.1.2.3",
        "2016-13-01",
        "2016-00-10",
        "16-09-23",
        "23/09/2016",
        "7. og 8. september",
        "mandag 14. november 2016",
        "14. november 2016 kl 10",
        "uke 41",
        "2016-W41",
        "1.sept.2016x",
        "23 sept 16",
        "may",
        "ſept 23, 2016",
        "23..9.2016",
        "123.9.2016",
        "1.7.123",
    ];
    for text in garbage {
        assert_eq!(
            parse_date(text, Some(2016)),
            Err(DateError::Unrecognised),
            "{text:?}"
        );
    }
}

#[test]
fn find_dates_in_sentences() {
    let dy = Some(2016);
    let text = "Workshop ved USIT 7. og 8. september.";
    let mentions = find_dates(text, dy);
    assert_eq!(
        mentions,
        vec![
            Mention {
                start: 18,
                end: 20,
                value: Ok(d(2016, 9, 7))
            },
            Mention {
                start: 24,
                end: 36,
                value: Ok(d(2016, 9, 8))
            },
        ]
    );
    assert_eq!(&text[18..20], "7.");
    assert_eq!(&text[24..36], "8. september");

    let cases: &[(&str, Found)] = &[
        (
            "utført som planlagt 14. november",
            vec![("14. november", Ok(d(2016, 11, 14)))],
        ),
        (
            "Lansering 14. november",
            vec![("14. november", Ok(d(2016, 11, 14)))],
        ),
        ("Oppgradering til mitaka i uke 38.", vec![]),
        (
            "av Raymond Kristiansen, UH IaaS, 23. sep 2016",
            vec![("23. sep 2016", Ok(d(2016, 9, 23)))],
        ),
        (
            "Møte 31. februar 2016 ble avlyst.",
            vec![("31. februar 2016", Err(nonexistent(2016, 2, 31)))],
        ),
        (
            "Møtet på fredag 1.7.17 gikk bra.",
            vec![("1.7.17", Ok(d(2017, 7, 1)))],
        ),
        (
            "Ferdig 15.12.2015 og 1.7.2017.",
            vec![
                ("15.12.2015", Ok(d(2015, 12, 15))),
                ("1.7.2017", Ok(d(2017, 7, 1))),
            ],
        ),
        (
            "Frist 2016-09-23, se over",
            vec![("2016-09-23", Ok(d(2016, 9, 23)))],
        ),
        (
            "Logged 2016-09-23T10:00Z",
            vec![("2016-09-23", Ok(d(2016, 9, 23)))],
        ),
        (
            "Feil 2016-02-30 i loggen",
            vec![("2016-02-30", Err(nonexistent(2016, 2, 30)))],
        ),
        (
            "Kurs 7.-8. september 2017",
            vec![
                ("7.", Ok(d(2017, 9, 7))),
                ("8. september 2017", Ok(d(2017, 9, 8))),
            ],
        ),
        (
            "Kurs 7., 8. og 9. mars",
            vec![
                ("7.", Ok(d(2016, 3, 7))),
                ("8.", Ok(d(2016, 3, 8))),
                ("9. mars", Ok(d(2016, 3, 9))),
            ],
        ),
        (
            "on the 23rd of September 2016 we",
            vec![("23rd of September 2016", Ok(d(2016, 9, 23)))],
        ),
        (
            "on 7th and 8th September",
            vec![
                ("7th", Ok(d(2016, 9, 7))),
                ("8th September", Ok(d(2016, 9, 8))),
            ],
        ),
        (
            "Released September 23, 2016.",
            vec![("September 23, 2016", Ok(d(2016, 9, 23)))],
        ),
        (
            "Released Sept 23 2016 and",
            vec![("Sept 23 2016", Ok(d(2016, 9, 23)))],
        ),
        (
            "Held September 23 and 24, 2016.",
            vec![
                ("September 23", Ok(d(2016, 9, 23))),
                ("24, 2016", Ok(d(2016, 9, 24))),
            ],
        ),
        (
            "Launch on November 14.",
            vec![("November 14", Ok(d(2016, 11, 14)))],
        ),
        (
            "Done 23 September 2016, 23 sep 2016",
            vec![
                ("23 September 2016", Ok(d(2016, 9, 23))),
                ("23 sep 2016", Ok(d(2016, 9, 23))),
            ],
        ),
        (
            "Først 23. sept. 2016 og så 1.sept.",
            vec![
                ("23. sept. 2016", Ok(d(2016, 9, 23))),
                ("1.sept", Ok(d(2016, 9, 1))),
            ],
        ),
        (
            "Fra 6.mai  2026 til 01.nov",
            vec![
                ("6.mai  2026", Ok(d(2026, 5, 6))),
                ("01.nov", Ok(d(2016, 11, 1))),
            ],
        ),
        (
            "mandag 14. november 12 personer",
            vec![("14. november", Ok(d(2016, 11, 14)))],
        ),
        (
            "(4.september 2017)",
            vec![("4.september 2017", Ok(d(2017, 9, 4)))],
        ),
        ("Only 2 May attend", vec![("2 May", Ok(d(2016, 5, 2)))]),
        ("2. may", vec![("2. may", Ok(d(2016, 5, 2)))]),
        ("May 2 was fine", vec![("May 2", Ok(d(2016, 5, 2)))]),
        (
            "Kurs 7. og\n8. september",
            vec![
                ("7.", Ok(d(2016, 9, 7))),
                ("8. september", Ok(d(2016, 9, 8))),
            ],
        ),
        (
            "Kurs\u{a0}7.\u{a0}september",
            vec![("7.\u{a0}september", Ok(d(2016, 9, 7)))],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(&dates_in(text, dy), want, "{text:?}");
    }
}

#[test]
fn find_dates_without_a_default_year() {
    assert_eq!(
        dates_in("Lansering 14. november", None),
        vec![("14. november", Err(DateError::MissingYear))]
    );
    assert_eq!(
        dates_in("Workshop ved USIT 7. og 8. september.", None),
        vec![
            ("7.", Err(DateError::MissingYear)),
            ("8. september", Err(DateError::MissingYear))
        ]
    );
    assert_eq!(
        dates_in("Ferdig 1.7.17", None),
        vec![("1.7.17", Ok(d(2017, 7, 1)))]
    );
}

#[test]
fn find_dates_skips_what_is_not_a_date() {
    let prose = [
        "we may go, and we may 2 times",
        "Only 2 may attend, 3 march ahead",
        "in May we met, in march 2016 too",
        "i november 14 personer",
        "i september 2016 var det 14 møter",
        "Versjon 1.2 og 3.4.5, IP 10.1.2.3 og 192.168.1.1, v1.7.17 og release-1.7.17x",
        "kl. 10.30 og 10.30-11.00",
        "møte 01.11 og 14.11",
        "totalt 1.000.000 kroner og 12.500.000",
        "13.13.2016 og 32.1.2016 og 0.5.2016",
        "2016-13-01 og 2016-W41 og 22-85-50-50",
        "mail maiø mai7 sept. sep",
        "7. maiø 2016 og ø7. mai og 7. mai2016x",
        "x2016-09-23 og 2016-09-23x",
        "23/09/2016",
        "10.1.20.3 and 1.2. mai",
        "",
    ];
    for text in prose {
        assert_eq!(dates_in(text, Some(2016)), vec![], "{text:?}");
    }
}

#[test]
fn find_weeks_in_prose() {
    let cases: &[(&str, Weeks)] = &[
        (
            "Oppgradering til mitaka i uke 38.",
            vec![("uke 38", 38, None)],
        ),
        ("i uke 41", vec![("uke 41", 41, None)]),
        ("uke 41", vec![("uke 41", 41, None)]),
        ("week 41", vec![("week 41", 41, None)]),
        ("Week 41, 2016", vec![("Week 41, 2016", 41, Some(2016))]),
        (
            "in week 41 of 2016.",
            vec![("week 41 of 2016", 41, Some(2016))],
        ),
        ("uke 41/2016", vec![("uke 41/2016", 41, Some(2016))]),
        (
            "i uke 31 og 32",
            vec![("uke 31", 31, None), ("32", 32, None)],
        ),
        ("uke 31-32", vec![("uke 31", 31, None), ("32", 32, None)]),
        (
            "uke 40-42",
            vec![("uke 40", 40, None), ("40-42", 41, None), ("42", 42, None)],
        ),
        (
            "Uke 40 – 42, 2016",
            vec![
                ("Uke 40", 40, Some(2016)),
                ("40 – 42", 41, Some(2016)),
                ("42, 2016", 42, Some(2016)),
            ],
        ),
        ("uke 3 til 4", vec![("uke 3", 3, None), ("4", 4, None)]),
        ("weeks 3 and 4", vec![("weeks 3", 3, None), ("4", 4, None)]),
        (
            "UKE 7, Uka 8, veke 9 og wk. 10",
            vec![
                ("UKE 7", 7, None),
                ("Uka 8", 8, None),
                ("veke 9", 9, None),
                ("wk. 10", 10, None),
            ],
        ),
        (
            "wk 41 and wk41 and uke41",
            vec![("wk 41", 41, None), ("wk41", 41, None), ("uke41", 41, None)],
        ),
        ("uke nr. 12", vec![("uke nr. 12", 12, None)]),
        ("w41 og W41.", vec![("w41", 41, None), ("W41", 41, None)]),
        (
            "2016-W41 and 2016W41 and 2015-W53-4",
            vec![
                ("2016-W41", 41, Some(2016)),
                ("2016W41", 41, Some(2016)),
                ("2015-W53", 53, Some(2015)),
            ],
        ),
        ("uke 52-2", vec![("uke 52", 52, None), ("2", 2, None)]),
        ("uke 50-60", vec![("uke 50", 50, None)]),
        ("uke 0 og 54, week 99", vec![]),
        (
            "ukentlig 41, Buke 41, W3C, www41, kw41, uke 41ø, 23 weeks",
            vec![],
        ),
        ("veke 53, 2016", vec![("veke 53, 2016", 53, Some(2016))]),
    ];
    for (text, want) in cases {
        assert_eq!(&weeks_in(text), want, "{text:?}");
    }
    let all = find_weeks("uke 1-53");
    assert_eq!(all.len(), 53);
    assert!(
        all.iter()
            .enumerate()
            .all(|(i, m)| m.value.week as usize == i + 1)
    );
}

#[test]
fn iso_weeks_around_new_year() {
    let cases = [
        (d(2016, 1, 1), (2015, 53)),
        (d(2016, 1, 3), (2015, 53)),
        (d(2016, 1, 4), (2016, 1)),
        (d(2018, 12, 31), (2019, 1)),
        (d(2016, 9, 23), (2016, 38)),
        (d(2021, 1, 3), (2020, 53)),
        (d(2008, 12, 29), (2009, 1)),
        (d(2016, 12, 31), (2016, 52)),
    ];
    for (date, want) in cases {
        assert_eq!(iso_week(date), want, "{date}");
    }
}

#[test]
fn week_bounds_and_weeks_in_year() {
    assert_eq!(
        week_bounds(2015, 53),
        Some((d(2015, 12, 28), d(2016, 1, 3)))
    );
    assert_eq!(week_bounds(2016, 53), None);
    assert_eq!(week_bounds(2016, 0), None);
    assert_eq!(week_bounds(2016, 54), None);
    assert_eq!(
        week_bounds(2016, 38),
        Some((d(2016, 9, 19), d(2016, 9, 25)))
    );
    assert_eq!(week_bounds(2019, 1), Some((d(2018, 12, 31), d(2019, 1, 6))));
    assert_eq!(
        week_bounds(2020, 53),
        Some((d(2020, 12, 28), d(2021, 1, 3)))
    );
    assert_eq!(week_bounds(i32::MAX, 1), None);
    assert_eq!(week_bounds(i32::MIN, 52), None);
    for (year, n) in [
        (2015, 53),
        (2016, 52),
        (2017, 52),
        (2020, 53),
        (2026, 53),
        (2004, 53),
        (2000, 52),
    ] {
        assert_eq!(weeks_in_year(year), n, "{year}");
    }
    // The formula agrees with chrono wherever chrono has dates.
    for year in -3000..=3000 {
        let last = d(year, 12, 28).iso_week().week();
        assert_eq!(weeks_in_year(year), last, "{year}");
        let (monday, sunday) = week_bounds(year, last).expect("last week exists");
        assert_eq!(iso_week(monday), (year, last));
        assert_eq!(sunday - monday, chrono::TimeDelta::days(6));
    }
    for year in [i32::MIN, i32::MAX, 262_143, -262_144] {
        assert!(matches!(weeks_in_year(year), 52 | 53));
    }
}

/// The written-out form is chrono's `%Y-%m-%d`, in the years it covers
/// and at their edges, and chrono's own beyond them.
#[test]
fn ymd_is_what_chrono_writes() {
    let chrono_ymd = |date: NaiveDate| date.format("%Y-%m-%d").to_string();
    for year in [-1, 0, 1, 9, 99, 999, 1970, 2016, 9999, 10000, 12345] {
        for (month, day) in [(1, 1), (2, 28), (9, 3), (12, 31)] {
            let date = d(year, month, day);
            assert_eq!(ymd(date), chrono_ymd(date), "{year}-{month}-{day}");
        }
    }
    assert_eq!(ymd(d(-1, 1, 1)), "-0001-01-01");
    assert_eq!(ymd(d(12345, 1, 1)), "+12345-01-01");
}

#[test]
fn ymd_and_display() {
    assert_eq!(ymd(d(2016, 9, 3)), "2016-09-03");
    assert_eq!(
        nonexistent(2016, 2, 31).to_string(),
        "31 February 2016 does not exist"
    );
    assert_eq!(
        nonexistent(2016, 13, 1).to_string(),
        "day 1 of month 13 in 2016 does not exist"
    );
    assert_eq!(DateError::MissingYear.to_string(), "the date has no year");
    assert!(
        DateError::Unrecognised
            .to_string()
            .starts_with("not a date")
    );
}

/// A small deterministic generator, so the no-panic test needs no crate.
fn pseudo_random_texts() -> Vec<String> {
    let pieces = [
        "1", "7", "23", "2016", "31", "0", "99", ".", ". ", "-", "–", "/", ",", " ", "\u{a0}",
        "\n", "og", "and", "til", "of", "st", "rd", "sept", "Sept", "mai", "May", "may", "feb",
        "uke", "week", "w", "W", "wk", "ø", "ſ", "K", "日本", "x", "T", "9", "12", "53", "54",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..3000)
        .map(|_| {
            let len = next() % 24;
            (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect()
        })
        .collect()
}

#[test]
fn never_panics_and_offsets_are_sound() {
    for text in pseudo_random_texts() {
        for dy in [None, Some(2016), Some(i32::MAX), Some(i32::MIN)] {
            let _ = parse_date(&text, dy);
            let dates = find_dates(&text, dy);
            check_offsets(&text, dates.iter().map(|m| (m.start, m.end)));
        }
        let weeks = find_weeks(&text);
        check_offsets(&text, weeks.iter().map(|m| (m.start, m.end)));
        assert!(weeks.iter().all(|m| (1..=53).contains(&m.value.week)));
    }
}

#[test]
fn long_inputs_are_read_in_one_pass() {
    // Each would take hours if anything were quadratic.
    let long = [
        "1.2.".repeat(250_000),
        "10.10.10.".repeat(100_000),
        "1".repeat(1_000_000),
        "1, ".repeat(300_000),
        "1. og ".repeat(150_000) + "2. mai",
        "uke 1-".repeat(150_000),
        "7. mai ".repeat(100_000),
        "ø1.7.17 ".repeat(100_000),
        " ".repeat(1_000_000) + "x",
    ];
    for text in &long {
        let _ = find_dates(text, Some(2016));
        let _ = find_weeks(text);
        let _ = parse_date(text, Some(2016));
    }
    assert_eq!(find_dates(&long[4], Some(2016)).len(), 150_001);
}
