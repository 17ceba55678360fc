use super::*;

const SEED: &str = r#"======
Uke 38
======
av Raymond Kristiansen, UH IaaS, 23. sep 2016

.. contents:: :depth: 2


Fullført
========

- Workshop ved USIT 7. og 8. september.

- Oppgradering til mitaka i uke 38. Utført med ansible som kunne testes i
  `test01` og `test02` først. Tok ca 60 min i `bgo` og `osl`, og førte kun
  til små avbrudd i de forskjellige tjenesten under oppgraderingen. Alle
  kjørende instanser skal ha fungert som normalt under oppdateringen.

- Søknaden om prosjektmidler fra UH-sky er sendt til UNINETT. Usikkert når den
  er ferdig behandlet.

- Det er satt opp et internt monitoringstjeneste basert på Sensu. I første
  omgang skal det gi oss et dashboard med litt metrics om hva som skjer.

Under arbeid
============

- `test02` ved USIT er satt opp, men mangler forsatt public nett. Har derfor
  litt begrenset nytteverdi. Det jobbes med å fullfør oppsettet, men krever
  nok litt hjelp av nettverk ved USIT for å få fullført.

- Det jobbes med å få på plass en tjeneste for DNS for instanser.

Planlagt fremdrift
==================

- Sette opp felles keystone database for to lokasjoner. Dette vil gjøre det
  mulig å ha et felles dashboard med to regioner: `osl` og `bgo`.

- Oppgradere ceph til siste versjon.

- Det er også ønskelig at alle i prosjekt deltar på Openstack Summit i
  Barcelona: https://www.openstack.org/summit/barcelona-2016

Utfordringer
============

- API-tilgang er ikke optimal slik den er satt opp nå, men det fungerer. Ser
  ingen enkel fiks som kan løse det før vi går i produksjon i november.
  Det blir da viktig å gjøre brukerne kjent med hvilke utfordringer som gjelder.

- I :doc:`../plans/production` har jeg skrevet at vi trenger 4 personer frem
  til nyttår for å komme i produksjon. Vi er nå prosjektleder (100% delt),
  UiB (1 person 100%) og UiO (1 person 60% og en person 40%). Det ser ikke ut
  til å berøre datoene i leveransen, men vil kunne påvirke innholdet dersom vi
  støter på større utfordringer.

Oppdatert status
================

Arbeidet frem til leveranse 14. november vil vi oppdatere fortløpende
på Trello: https://trello.com/b/loLFWWtV/iaas-release-plan

Kun større oppgaver, utfordringer og avvik vil bli oppdatert her.
"#;

fn section<'d>(doc: &'d Document, title: &str) -> &'d Section {
    doc.sections
        .iter()
        .find(|s| s.heading.text == title)
        .unwrap_or_else(|| panic!("no section {title:?} in {:?}", titles(doc)))
}

fn titles(doc: &Document) -> Vec<(&str, u8)> {
    doc.sections
        .iter()
        .map(|s| (s.heading.text.as_str(), s.depth))
        .collect()
}

fn item_texts(section: &Section) -> Vec<&str> {
    section.items.iter().map(|i| i.text.as_str()).collect()
}

/// Two top-level sections, so that nothing becomes the document title.
fn in_section(body: &str) -> Document {
    parse(&format!("Other\n=====\n\nS\n=\n\n{body}"))
}

// -- the seed report ---------------------------------------------------

#[test]
fn seed_title_and_preamble() {
    let doc = parse(SEED);
    let title = doc.title.as_ref().expect("title");
    assert_eq!(title.text, "Uke 38");
    assert_eq!(title.pos, Pos::new(2, 1));
    assert_eq!(title.level, 1);
    assert_eq!(doc.preamble.len(), 1);
    assert_eq!(
        doc.preamble[0].text,
        "av Raymond Kristiansen, UH IaaS, 23. sep 2016"
    );
    assert_eq!(doc.preamble[0].pos, Pos::new(4, 1));
    assert_eq!(doc.preamble[0].end_line, 4);
    assert_eq!(doc.line_count, 64);
}

#[test]
fn seed_sections() {
    let doc = parse(SEED);
    assert_eq!(
        titles(&doc),
        [
            ("Fullført", 1),
            ("Under arbeid", 1),
            ("Planlagt fremdrift", 1),
            ("Utfordringer", 1),
            ("Oppdatert status", 1)
        ]
    );
    let fullfort = section(&doc, "Fullført");
    assert_eq!(fullfort.heading.pos, Pos::new(9, 1));
    assert_eq!(fullfort.heading.level, 2);
    assert!(fullfort.has_content);
    assert_eq!(fullfort.end_line, 23);
    assert_eq!(section(&doc, "Oppdatert status").end_line, 64);
}

#[test]
fn seed_bullet_items() {
    let doc = parse(SEED);
    let items = &section(&doc, "Fullført").items;
    assert_eq!(items.len(), 4);
    assert!(items.iter().all(|i| i.marker == ItemMarker::Bullet));
    assert_eq!(items[0].text, "Workshop ved USIT 7. og 8. september.");
    assert_eq!(items[0].pos, Pos::new(12, 3));
    assert_eq!(items[0].end_line, 12);
    let second = &items[1];
    assert!(second.text.starts_with("Oppgradering til mitaka i uke 38."));
    assert!(second.text.ends_with("som normalt under oppdateringen."));
    assert!(
        second.text.contains("testes i `test01` og"),
        "{}",
        second.text
    );
    assert_eq!(second.pos, Pos::new(14, 3));
    assert_eq!(second.end_line, 17);
    assert_eq!(section(&doc, "Under arbeid").items.len(), 2);
    assert_eq!(section(&doc, "Planlagt fremdrift").items.len(), 3);
    assert_eq!(section(&doc, "Utfordringer").items.len(), 2);
}

#[test]
fn seed_paragraph_items() {
    let doc = parse(SEED);
    let status = section(&doc, "Oppdatert status");
    assert_eq!(
        item_texts(status),
        [
            "Arbeidet frem til leveranse 14. november vil vi oppdatere fortløpende på Trello: https://trello.com/b/loLFWWtV/iaas-release-plan",
            "Kun større oppgaver, utfordringer og avvik vil bli oppdatert her."
        ]
    );
    assert!(
        status
            .items
            .iter()
            .all(|i| i.marker == ItemMarker::Paragraph)
    );
    assert_eq!(status.items[0].pos, Pos::new(61, 1));
    assert_eq!(status.items[0].end_line, 62);
}

#[test]
fn seed_links_and_comments() {
    let doc = parse(SEED);
    assert_eq!(
        doc.links,
        [Link {
            kind: LinkKind::Doc,
            target: "../plans/production".into(),
            pos: Pos::new(52, 11),
        }]
    );
    // `.. contents::` is a directive: neither a comment nor a link.
    assert!(doc.comments.is_empty());
    assert!(doc.tables.is_empty());
}

// -- titles and sections -------------------------------------------------

#[test]
fn levels_follow_the_order_styles_appear_in() {
    let doc = parse("Status\n======\n\nText.\n\nAnnet\n-----\n\n- sub\n\nAnnet\n=====\n\n- top\n");
    assert!(doc.title.is_none());
    assert_eq!(titles(&doc), [("Status", 1), ("Annet", 2), ("Annet", 1)]);
    assert_eq!(doc.sections[1].heading.level, 2);
    assert_eq!(item_texts(&doc.sections[1]), ["sub"]);
    assert_eq!(item_texts(&doc.sections[2]), ["top"]);
    // A section's own items exclude its subsections'.
    assert_eq!(item_texts(&doc.sections[0]), ["Text."]);
}

#[test]
fn overline_styles_differ_from_underline_styles() {
    let doc = parse("=====\nTitle\n=====\n\nA\n=\n\n-----\n  B\n-----\n\nC\n=\n");
    assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("Title"));
    assert_eq!(titles(&doc), [("A", 1), ("B", 2), ("C", 1)]);
    assert_eq!(doc.sections[1].heading.pos, Pos::new(9, 3));
    assert_eq!(doc.sections[1].end_line, 10);
}

/// Found by the docutils differential test: docutils measures an
/// overlined title with its indentation, so ` osl` under a three-
/// character overline is too wide and the overline is text.
#[test]
fn short_overline_counts_the_title_indentation() {
    let doc = in_section("^^^\n osl\n^^^\n\n- item\n");
    assert_eq!(titles(&doc), [("Other", 1), ("S", 1)]);
    assert_eq!(section(&doc, "S").items.len(), 1);
    let doc = in_section("^^^^\n osl\n^^^^\n\n- item\n");
    assert_eq!(titles(&doc), [("Other", 1), ("S", 1), ("osl", 2)]);
}

/// Found by the docutils differential test: `.. meta::` (and other
/// directives that leave nothing in the body) before the title did not
/// let it become the document title.
#[test]
fn silent_directives_may_precede_the_title() {
    for directive in [
        ".. meta::\n   :keywords: uke\n",
        ".. sectnum::\n",
        ".. highlight:: python\n",
        ".. header:: Page header\n",
        ".. title:: Browser title\n",
        ".. default-role:: code\n",
    ] {
        let doc = parse(&format!("{directive}\nTitle\n=====\n\nSub\n---\n\ntext\n"));
        assert_eq!(
            doc.title.as_ref().map(|t| t.text.as_str()),
            Some("Title"),
            "{directive}"
        );
        assert_eq!(titles(&doc), [("Sub", 1)]);
    }
    // A directive that shows something still blocks the promotion.
    let doc = parse(".. note:: Hi\n\nTitle\n=====\n\nSub\n---\n");
    assert!(doc.title.is_none());
    // And a silent directive still makes its section non-empty.
    let doc = in_section(".. index:: keystone\n");
    assert!(section(&doc, "S").has_content);
}

/// Found by the docutils differential test: a text line with an
/// underline inside a list item or quote is an "unexpected section
/// title" error in docutils, so inline markup in it is never read.
#[test]
fn titles_inside_blocks_are_errors_not_text() {
    let doc = in_section(
        "- item\n\n  Sub :doc:`not/a/link`\n  --------------------\n\n  :doc:`a/link`\n",
    );
    let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(targets, ["a/link"]);
    let s = section(&doc, "S");
    assert_eq!(s.items.len(), 1);
    assert_eq!(s.items[0].end_line, 12);
    // Too short an underline keeps it a paragraph with its roles.
    let doc = in_section("   quoted :doc:`x`\n   ==\n");
    assert_eq!(doc.links.len(), 1);
}

/// Found by the docutils differential test: without its argument an
/// `image` is a docutils error, which may precede the title.
#[test]
fn link_directive_without_argument_is_an_error() {
    let doc = parse(".. image::\n\nTitle\n=====\n");
    assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("Title"));
    assert!(doc.links.is_empty());
}

#[test]
fn title_promotion_needs_a_lone_first_section() {
    let two = parse("A\n=\n\nB\n=\n");
    assert!(two.title.is_none());
    assert_eq!(titles(&two), [("A", 1), ("B", 1)]);

    let text_first = parse("Intro.\n\nA\n=\n\nB\n-\n");
    assert!(text_first.title.is_none());
    assert_eq!(text_first.preamble[0].text, "Intro.");
    assert_eq!(titles(&text_first), [("A", 1), ("B", 2)]);

    let comment_first = parse(".. milepost: disable=title\n\nA\n=\n\nB\n-\n");
    assert_eq!(
        comment_first.title.as_ref().map(|t| t.text.as_str()),
        Some("A")
    );
    assert_eq!(titles(&comment_first), [("B", 1)]);
    assert_eq!(comment_first.comments[0].text, "milepost: disable=title");
}

#[test]
fn no_subtitle_promotion() {
    let doc = parse("Title\n=====\n\nSub\n---\n\ntext\n");
    assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("Title"));
    assert_eq!(titles(&doc), [("Sub", 1)]);
}

#[test]
fn short_underlines() {
    // Shorter than the title and under 4 characters: plain text.
    let doc = in_section("Short\n==\n");
    assert_eq!(item_texts(section(&doc, "S")), ["Short =="]);
    // 4 or more characters: a title (docutils warns).
    let doc = parse("A\n=\n\nLonger title\n====\n");
    assert_eq!(titles(&doc), [("A", 1), ("Longer title", 1)]);
    // As long as a short title: a title.
    let doc = parse("A\n=\n\nB\n=\n\nab\n--\n");
    assert_eq!(titles(&doc), [("A", 1), ("B", 1), ("ab", 2)]);
}

#[test]
fn underline_counts_characters_not_bytes() {
    let doc = parse("Fullført\n========\n\nÆøå æøå\n=======\n");
    assert_eq!(titles(&doc), [("Fullført", 1), ("Æøå æøå", 1)]);
    let doc = parse("x\n=\n\nå\n-\n\n- på :doc:`æ/ø`\n");
    assert_eq!(doc.links[0].pos, Pos::new(7, 12));
    assert_eq!(section(&doc, "å").items[0].pos, Pos::new(7, 3));
}

#[test]
fn transitions_are_not_titles() {
    let doc = in_section("Before.\n\n----------\n\nAfter.\n");
    assert_eq!(titles(&doc), [("Other", 1), ("S", 1)]);
    assert_eq!(item_texts(section(&doc, "S")), ["Before.", "After."]);
    let only = in_section("----\n");
    assert!(!section(&only, "S").has_content);
}

#[test]
fn inconsistent_title_level_is_not_a_section() {
    // A third style may only open a level below the deepest one.
    let doc = parse("A\n=\n\nB\n-\n\nC\n=\n\nD\n~\n\ntext\n");
    assert_eq!(titles(&doc), [("A", 1), ("B", 2), ("C", 1)]);
    assert!(section(&doc, "C").has_content);
}

#[test]
fn paragraph_lines_do_not_become_titles() {
    let doc = in_section("line one\nline two\n========\n");
    assert_eq!(
        item_texts(section(&doc, "S")),
        ["line one line two ========"]
    );
}

// -- items ---------------------------------------------------------------

#[test]
fn enumerated_items() {
    let body = "1. first\n2. second\n   continues\n\n(a) alpha\n(b) beta\n\ni. roman\nii. two\n\n#. auto\n\n3) paren\n\nIV. upper\n";
    let doc = in_section(body);
    let s = section(&doc, "S");
    assert_eq!(
        item_texts(s),
        [
            "first",
            "second continues",
            "alpha",
            "beta",
            "roman",
            "two",
            "auto",
            "paren",
            "upper"
        ]
    );
    assert!(s.items.iter().all(|i| i.marker == ItemMarker::Enumerated));
    assert_eq!(s.items[2].pos, Pos::new(11, 5));
}

#[test]
fn enumerator_needs_a_fitting_next_line() {
    // docutils: "A." followed by a non-item line is a paragraph.
    let doc = in_section("A. Einstein was a genius\nand more text.\n");
    let s = section(&doc, "S");
    assert_eq!(s.items[0].marker, ItemMarker::Paragraph);
    assert_eq!(item_texts(s), ["A. Einstein was a genius and more text."]);
    // Letters continue a letter list: `i.` after `h.` is a letter.
    let doc = in_section("h. eight\ni. nine\nj. ten\n");
    assert_eq!(item_texts(section(&doc, "S")), ["eight", "nine", "ten"]);
    // Invalid Roman numerals are text.
    let doc = in_section("iiii. no\n");
    assert_eq!(section(&doc, "S").items[0].marker, ItemMarker::Paragraph);
}

#[test]
fn nested_lists_and_continuations_join_into_one_item() {
    let body = "- parent\n  line two\n\n  - child one\n\n    child continues\n\n  - child two\n\n  back in parent\n- next\n";
    let doc = in_section(body);
    let s = section(&doc, "S");
    assert_eq!(
        item_texts(s),
        [
            "parent line two - child one child continues - child two back in parent",
            "next"
        ]
    );
    assert_eq!(s.items[0].end_line, 16);
    assert_eq!(s.items[1].pos, Pos::new(17, 3));
}

#[test]
fn continuation_must_reach_the_text_column() {
    // docutils ends the item at a line indented less than its text.
    let doc = in_section("-   item\n  not item\n");
    let s = section(&doc, "S");
    assert_eq!(item_texts(s), ["item"]);
    assert!(s.has_content);
}

#[test]
fn item_with_text_on_the_next_line() {
    let doc = in_section("-\n  text below\n\n*\n");
    let s = section(&doc, "S");
    assert_eq!(item_texts(s), ["text below", ""]);
    assert_eq!(s.items[0].pos, Pos::new(8, 3));
    assert_eq!(s.items[1].pos, Pos::new(10, 2));
}

#[test]
fn lists_in_block_quotes_are_not_items() {
    let doc = in_section("Intro.\n\n   - quoted\n   - list\n");
    let s = section(&doc, "S");
    assert_eq!(item_texts(s), ["Intro."]);
    let doc = in_section("   - only quoted\n");
    let s = section(&doc, "S");
    assert!(s.items.is_empty());
    assert!(s.has_content);
}

#[test]
fn list_items_win_over_paragraphs() {
    let doc = in_section("Intro.\n\n- a\n- b\n\nOutro.\n");
    assert_eq!(item_texts(section(&doc, "S")), ["a", "b"]);
}

#[test]
fn definition_items_count_as_paragraph_items() {
    let doc = in_section("Term\n    Its definition\n    goes on.\n\n:field: not an item\n");
    let s = section(&doc, "S");
    assert_eq!(item_texts(s), ["Term Its definition goes on."]);
    assert_eq!(s.items[0].marker, ItemMarker::Paragraph);
}

#[test]
fn field_lists_are_content_not_items() {
    let doc = in_section(":author: Someone\n:date: today\n");
    let s = section(&doc, "S");
    assert!(s.items.is_empty());
    assert!(s.has_content);
}

#[test]
fn comments_inside_items_are_not_item_text() {
    let doc = in_section("- done\n\n  .. milepost: milestone=M1\n\n  more\n");
    assert_eq!(item_texts(section(&doc, "S")), ["done more"]);
    assert_eq!(doc.comments[0].text, "milepost: milestone=M1");
    assert_eq!(doc.comments[0].pos, Pos::new(9, 6));
}

// -- literal blocks ------------------------------------------------------

#[test]
fn literal_blocks_hide_titles_lists_and_directives() {
    let body = "Example::\n\n  Fake title\n  ==========\n\n  - fake item\n  .. image:: fake.png\n\nAfter.\n\n::\n\n  - also fake\n";
    let doc = in_section(body);
    assert_eq!(titles(&doc), [("Other", 1), ("S", 1)]);
    assert_eq!(item_texts(section(&doc, "S")), ["Example::", "After."]);
    assert!(doc.links.is_empty());
}

#[test]
fn literal_block_inside_an_item() {
    let doc = in_section("- real::\n\n      Not a title\n      -----------\n\n- second\n");
    let s = section(&doc, "S");
    assert_eq!(item_texts(s), ["real:: Not a title -----------", "second"]);
    assert_eq!(doc.sections.len(), 2);
}

#[test]
fn code_directive_bodies_are_opaque() {
    let doc = in_section(
        ".. code-block:: rst\n\n   Title\n   =====\n\n   .. image:: x.png\n   :doc:`no`\n",
    );
    assert_eq!(doc.sections.len(), 2);
    assert!(doc.links.is_empty());
    assert!(section(&doc, "S").has_content);
}

#[test]
fn quoted_literal_block() {
    let doc = in_section("Quoted::\n\n> - not a list\n> still quoted\n\n- item\n");
    assert_eq!(item_texts(section(&doc, "S")), ["item"]);
}

// -- explicit markup -----------------------------------------------------

#[test]
fn comments_that_look_like_directives() {
    let doc = in_section(
        ".. note: hello\n   continued\n\n.. note:: real\n\n..\n   bare comment\n   two lines\n\n.. todo - not a directive\n",
    );
    let texts: Vec<&str> = doc.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "note: hello\ncontinued",
            "bare comment\ntwo lines",
            "todo - not a directive"
        ]
    );
    assert_eq!(doc.comments[0].pos, Pos::new(7, 4));
    assert_eq!(doc.comments[0].end_line, 8);
    assert_eq!(doc.comments[1].pos, Pos::new(13, 4));
    assert_eq!(doc.comments[1].end_line, 14);
}

#[test]
fn empty_comment_does_not_take_the_block_below() {
    let doc = in_section("- item\n\n..\n\n   quoted after empty comment\n");
    assert!(doc.comments.is_empty());
    assert_eq!(item_texts(section(&doc, "S")), ["item"]);
}

#[test]
fn comment_keeps_inner_blank_lines() {
    let doc = parse(".. first\n\n   second\n\n\nText.\n");
    assert_eq!(doc.comments[0].text, "first\n\nsecond");
    assert_eq!(doc.comments[0].end_line, 3);
}

#[test]
fn targets_footnotes_and_substitutions_are_not_comments() {
    let doc = in_section(
        ".. _target: http://example.com\n\n.. [1] A footnote.\n\n.. |logo| image:: img/logo.png\n",
    );
    assert!(doc.comments.is_empty());
    assert_eq!(doc.links.len(), 1);
    assert_eq!(doc.links[0].kind, LinkKind::Image);
    assert_eq!(doc.links[0].target, "img/logo.png");
    assert_eq!(doc.links[0].pos, Pos::new(11, 19));
}

#[test]
fn only_comments_is_no_content() {
    let doc = in_section(".. just a comment\n\n.. _target: http://x\n");
    let s = section(&doc, "S");
    assert!(!s.has_content);
    assert_eq!(s.end_line, 9);
    let empty = parse("A\n=\n\nB\n=\n\n\n");
    assert!(!empty.sections[1].has_content);
    assert_eq!(empty.sections[1].end_line, 5);
}

#[test]
fn directive_links() {
    let body = ".. include:: ../common/footer.rst\n\n.. literalinclude:: code.py\n   :lines: 1-3\n\n.. image:: pics/a.png\n   :width: 100\n\n.. figure::\n   pics/b.png\n\n   Caption with :doc:`Text <../plans/x>`.\n\n.. IMAGE:: upper.png\n";
    let doc = in_section(body);
    let links: Vec<(LinkKind, &str, Pos)> = doc
        .links
        .iter()
        .map(|l| (l.kind, l.target.as_str(), l.pos))
        .collect();
    assert_eq!(
        links,
        [
            (LinkKind::Include, "../common/footer.rst", Pos::new(7, 14)),
            (LinkKind::LiteralInclude, "code.py", Pos::new(9, 21)),
            (LinkKind::Image, "pics/a.png", Pos::new(12, 12)),
            (LinkKind::Figure, "pics/b.png", Pos::new(16, 4)),
            (LinkKind::Doc, "../plans/x", Pos::new(18, 29)),
            (LinkKind::Image, "upper.png", Pos::new(20, 12)),
        ]
    );
    let s = section(&doc, "S");
    assert!(s.has_content);
    assert!(s.items.is_empty());
}

/// Found by the docutils differential test: `image` and `figure` take
/// their argument through docutils' `uri()`, which drops white space
/// (escaped white space stays, as a space); `include` keeps it.
#[test]
fn image_targets_lose_white_space() {
    let doc = in_section(
        ".. image:: my picture.png\n\n.. |s| image:: s.png\n   more words\n\n.. figure:: a\\ b\\\\c.png\n\n.. include:: my file.rst\n",
    );
    let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "mypicture.png",
            "s.pngmorewords",
            "a b\\c.png",
            "my file.rst"
        ]
    );
}

/// Found by the docutils differential test: `replace` substitutions
/// parse their text as inline markup, so their roles are links.
#[test]
fn roles_in_replace_substitutions_are_links() {
    let doc = in_section(
        ".. |plan| replace:: the :doc:`plan <../plans/x>`\n   and :doc:`more`\n\n.. |y| unicode:: U+2014 .. :doc:`not/a/link`\n",
    );
    let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(targets, ["../plans/x", "more"]);
    assert_eq!(doc.links[0].pos, Pos::new(7, 37));
    assert!(!section(&doc, "S").has_content);
}

/// Found by the docutils differential test: a directive's argument
/// runs to the first blank line, so lines right below `.. topic::` or
/// `.. figure::` are argument or options, never content.
#[test]
fn directive_argument_runs_to_the_blank_line() {
    let doc = in_section(
        ".. topic:: Title\n   continued :doc:`in/title`\n   :class: x\n\n   .. a comment\n\n.. admonition::\n   ===  ===\n   ===  ===\n\n.. figure::\n   .. not a comment\n",
    );
    let comments: Vec<&str> = doc.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(comments, ["a comment"]);
    assert!(doc.tables.is_empty());
    let links: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(links, ["in/title", "..notacomment"]);
}

#[test]
fn image_alone_is_content() {
    let doc = in_section(".. image:: x.png\n");
    assert!(section(&doc, "S").has_content);
}

// -- roles -------------------------------------------------------------

#[test]
fn doc_role_forms() {
    let doc = parse(
        "Title :doc:`in/title`\n=====================\n\nPlain :doc:`a/b` and :doc:`Text <c/d>`.\nSplit :doc:`Some\n<e/f>` and ``:doc:`literal``` and x:doc:`glued`.\n:doc:`start` and \\:doc:`escaped`.\n",
    );
    let links: Vec<(&str, Pos)> = doc
        .links
        .iter()
        .map(|l| (l.target.as_str(), l.pos))
        .collect();
    assert_eq!(
        links,
        [
            ("in/title", Pos::new(1, 13)),
            ("a/b", Pos::new(4, 13)),
            ("c/d", Pos::new(4, 34)),
            ("e/f", Pos::new(6, 2)),
            ("start", Pos::new(7, 7)),
        ]
    );
}

#[test]
fn role_split_before_the_target_text() {
    let doc = in_section("- see :doc:`the\n  plan <../plans/\n  x>` now\n");
    assert_eq!(doc.links[0].target, "../plans/ x");
    assert_eq!(doc.links[0].pos, Pos::new(8, 9));
    let doc = in_section("see :doc:`../plans/\nproduction`\n");
    assert_eq!(doc.links[0].target, "../plans/ production");
    assert_eq!(doc.links[0].pos, Pos::new(7, 11));
}

#[test]
fn empty_doc_target_is_kept_for_the_link_rule() {
    let doc = in_section("see :doc:`Title <>`\n");
    assert_eq!(doc.links[0].target, "");
    assert_eq!(doc.links[0].pos, Pos::new(7, 18));
}

/// Found by the docutils differential test (`tests/rst/doc_roles.rst`):
/// the target was kept with its backslashes, and an escaped backslash
/// before the closing backquote hid the end of the role.
#[test]
fn role_targets_are_unescaped() {
    let doc = in_section(
        "a :doc:`escaped\\`tick` b :doc:`x \\<y>` c :doc:`t <p\\ q>` d :doc:`z\\\\` e\n",
    );
    let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(targets, ["escaped`tick", "x <y>", "pq", "z\\"]);
    assert_eq!(doc.links[2].pos, Pos::new(7, 51));
}

#[test]
fn unclosed_role_does_not_cross_paragraphs() {
    let doc = in_section("bad :doc:`open\n\nnext :doc:`ok`\n");
    let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(targets, ["ok"]);
}

// -- tables --------------------------------------------------------------

const SIMPLE_TABLE: &str = "======== ===================================================
 Frist    Leveranse
======== ===================================================
 1.sept   Oppgradere til mitaka
 26.sept  Felles keystone og full reinstall av bgo og osl
 01.nov   Produksjonsklar bgo og osl
 14.nov   Lansering
======== ===================================================
";

fn cells(rows: &[TableRow]) -> Vec<Vec<&str>> {
    rows.iter()
        .map(|r| r.cells.iter().map(String::as_str).collect())
        .collect()
}

#[test]
fn simple_table() {
    let doc = in_section(SIMPLE_TABLE);
    assert_eq!(doc.tables.len(), 1);
    let table = &doc.tables[0];
    assert_eq!(table.pos, Pos::new(7, 1));
    assert_eq!(cells(&table.header), [["Frist", "Leveranse"]]);
    assert_eq!(table.header[0].line, 8);
    assert_eq!(
        cells(&table.rows),
        [
            ["1.sept", "Oppgradere til mitaka"],
            ["26.sept", "Felles keystone og full reinstall av bgo og osl"],
            ["01.nov", "Produksjonsklar bgo og osl"],
            ["14.nov", "Lansering"],
        ]
    );
    assert_eq!(table.rows[3].line, 13);
    let s = section(&doc, "S");
    assert!(s.has_content);
    assert!(s.items.is_empty());
}

#[test]
fn simple_table_multi_line_rows_and_spans() {
    let table = "=====  =====  ======\n   Inputs     Output\n------------  ------\n  A      B    A or B\n=====  =====  ======\nFalse  False  False\nTrue   False  True\n       still  row two\n=====  =====  ======\n";
    let doc = parse(table);
    let t = &doc.tables[0];
    assert_eq!(
        cells(&t.header),
        [vec!["Inputs", "Output"], vec!["A", "B", "A or B"]]
    );
    assert_eq!(
        cells(&t.rows),
        [
            ["False", "False", "False"],
            ["True", "False still", "True row two"]
        ]
    );
    assert_eq!(t.rows[1].line, 7);
}

#[test]
fn simple_table_without_header_and_with_overflow() {
    let doc = parse("==  ==\na   b is longer than the border\nc   d\n==  ==\n");
    let t = &doc.tables[0];
    assert!(t.header.is_empty());
    assert_eq!(
        cells(&t.rows),
        [["a", "b is longer than the border"], ["c", "d"]]
    );
}

#[test]
fn malformed_simple_table_is_no_table() {
    let doc = parse("===  ===\n a  b\n===  ====\n");
    assert!(doc.tables.is_empty());
    // Text in a column margin.
    let doc = parse("===  ===\n a xx b\n===  ===\n");
    assert!(doc.tables.is_empty());
}

#[test]
fn grid_table_with_multi_line_cells() {
    let body = "+--------+--------------+\n| Head 1 | Head 2       |\n+========+==============+\n| a      | multi        |\n|        | line cell    |\n+--------+--------------+\n| b      | :doc:`x/y`   |\n+--------+--------------+\n| spans both columns    |\n+-----------------------+\n";
    let doc = in_section(body);
    let t = &doc.tables[0];
    assert_eq!(t.pos, Pos::new(7, 1));
    assert_eq!(cells(&t.header), [["Head 1", "Head 2"]]);
    assert_eq!(
        cells(&t.rows),
        [
            vec!["a", "multi line cell"],
            vec!["b", ":doc:`x/y`"],
            vec!["spans both columns"]
        ]
    );
    assert_eq!(t.rows[0].line, 10);
    assert_eq!(doc.links[0].target, "x/y");
    assert_eq!(doc.links[0].pos, Pos::new(13, 18));
}

/// Found by the docutils differential test: a lone `+---+` line is a
/// table without rows in docutils (its top is also its bottom).
#[test]
fn lone_grid_border_is_an_empty_table() {
    let doc = in_section("+-----+\nafter\n");
    assert_eq!(doc.tables.len(), 1);
    assert!(doc.tables[0].rows.is_empty() && doc.tables[0].header.is_empty());
    assert_eq!(item_texts(section(&doc, "S")), ["after"]);
}

#[test]
fn malformed_grid_table_is_content() {
    let doc = in_section("+----+----+\n| a  | b |\n+----+----+\n");
    assert!(doc.tables.is_empty());
    assert!(section(&doc, "S").has_content);
}

#[test]
fn table_in_a_list_item() {
    let doc = in_section("- item\n\n  ===  ===\n  a    b\n  ===  ===\n");
    assert_eq!(cells(&doc.tables[0].rows), [["a", "b"]]);
    assert_eq!(doc.tables[0].pos, Pos::new(9, 3));
    assert_eq!(section(&doc, "S").items.len(), 1);
}

// -- input shapes --------------------------------------------------------

#[test]
fn crlf_gives_the_same_document_as_lf() {
    let lf = parse(SEED);
    let crlf = parse(&SEED.replace('\n', "\r\n"));
    assert_eq!(format!("{lf:?}"), format!("{crlf:?}"));
    let lf = in_section(SIMPLE_TABLE);
    let crlf = in_section(&SIMPLE_TABLE.replace('\n', "\r\n"));
    assert_eq!(format!("{lf:?}"), format!("{crlf:?}"));
}

#[test]
fn tabs_expand_to_eight_columns() {
    // `-<tab>` puts the text at column 8, so tab-indented lines continue
    // the item, even after a blank line (as in docutils).
    let doc =
        in_section("-\tTab item\n\tcontinued\n\n\tmore\n\n*  Item\n\n\t.. image:: in-item.png\n");
    let s = section(&doc, "S");
    assert_eq!(
        item_texts(s),
        ["Tab item continued more", "Item .. image:: in-item.png"]
    );
    // Columns count characters: the tab is one.
    assert_eq!(s.items[0].pos, Pos::new(7, 3));
    assert_eq!(doc.links[0].pos, Pos::new(14, 13));
    // A tab-indented line under a 2-column item text still continues it.
    let doc = in_section("- a\n\tb\n");
    assert_eq!(item_texts(section(&doc, "S")), ["a b"]);
}

#[test]
fn line_count_semantics() {
    assert_eq!(parse("").line_count, 0);
    assert_eq!(parse("a").line_count, 1);
    assert_eq!(parse("a\n").line_count, 1);
    assert_eq!(parse("a\nb").line_count, 2);
    assert_eq!(parse("\n\n").line_count, 2);
    assert_eq!(parse("a\r\nb\r\n").line_count, 2);
}

#[test]
fn empty_and_blank_input() {
    for text in ["", "\n", "   \n\t\n", "\u{a0}\n"] {
        let doc = parse(text);
        assert!(doc.title.is_none() && doc.sections.is_empty() && doc.preamble.is_empty());
    }
}

#[test]
fn garbage_never_panics() {
    const PIECES: &[&str] = &[
        "-",
        "*",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "=",
        "====",
        "+--+",
        "|",
        "..",
        "::",
        ":",
        "`",
        ":doc:`",
        ">",
        "<",
        "1.",
        "(a)",
        "#.",
        "i)",
        "_",
        "|x|",
        "[1]",
        "a",
        "æ",
        "ø",
        "\u{301}",
        "é",
        "+====+",
        "== ==",
        "code-block",
        "image",
        " :: ",
        ">>>",
        "__",
        "\\",
        "\u{a0}",
        "\u{3000}",
        "漢",
        "\u{b}",
        "\u{c}",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(seed % 60) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
        }
        let doc = parse(&text);
        let lines = doc.line_count;
        let positions = doc
            .sections
            .iter()
            .map(|s| s.heading.pos)
            .chain(
                doc.sections
                    .iter()
                    .flat_map(|s| s.items.iter().map(|i| i.pos)),
            )
            .chain(doc.links.iter().map(|l| l.pos))
            .chain(doc.comments.iter().map(|c| c.pos))
            .chain(doc.tables.iter().map(|t| t.pos));
        for pos in positions {
            assert!(
                pos.line >= 1 && pos.line <= lines && pos.column >= 1,
                "{pos:?} in {text:?}"
            );
        }
    }
}

#[test]
fn deeply_nested_list_is_one_item() {
    let depth = 10_000;
    let mut text = String::from("A\n=\n\nB\n=\n\n");
    for level in 0..depth {
        text.push_str(&" ".repeat(level * 2));
        text.push_str("- x\n");
    }
    let doc = parse(&text);
    let items = &doc.sections[1].items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].text.len(), 4 * depth - 3);
    assert_eq!(items[0].end_line, to_u32(depth + 6));
    // Nesting on a single line, too.
    let doc = parse(&format!("A\n=\n\nB\n=\n\n{}x\n", "- ".repeat(depth)));
    assert_eq!(doc.sections[1].items.len(), 1);
}

#[test]
fn long_single_line() {
    let line = "word :doc:`t` ".repeat(700_000);
    let doc = parse(&line);
    assert_eq!(doc.line_count, 1);
    assert_eq!(doc.preamble.len(), 1);
    assert_eq!(doc.links.len(), 700_000);
    let last = doc.links.last().map(|l| l.pos);
    assert_eq!(last, Some(Pos::new(1, to_u32(14 * 699_999 + 12))));
}

#[test]
fn long_line_of_markers() {
    for line in [
        "=".repeat(1 << 20),
        "= ".repeat(1 << 19),
        "+-".repeat(1 << 19) + "+",
        "1".repeat(1 << 20) + ".",
    ] {
        let doc = parse(&line);
        assert_eq!(doc.line_count, 1);
    }
}
