use super::*;

const EXAMPLE: &str = "\
# Uke 38

av Raymond Kristiansen, UH IaaS, 23. sep 2016

## Fullført

- Workshop ved USIT 7. og 8. september.

- Oppgradering til mitaka i uke 38. Utført med ansible som kunne testes i
  `test01` og `test02` først.

## Oppdatert status

Arbeidet frem til leveranse 14. november vil vi oppdatere fortløpende.

Kun større oppgaver, utfordringer og avvik vil bli oppdatert her.
";

fn item(text: &str, pos: (u32, u32), end_line: u32, marker: ItemMarker) -> Item {
    Item {
        text: text.to_owned(),
        pos: Pos::new(pos.0, pos.1),
        end_line,
        marker,
    }
}

fn heading_texts(doc: &Document) -> Vec<(&str, u8)> {
    doc.sections
        .iter()
        .map(|s| (s.heading.text.as_str(), s.depth))
        .collect()
}

fn item_texts(section: &Section) -> Vec<&str> {
    section.items.iter().map(|i| i.text.as_str()).collect()
}

fn link(kind: LinkKind, target: &str, pos: (u32, u32)) -> Link {
    Link {
        kind,
        target: target.to_owned(),
        pos: Pos::new(pos.0, pos.1),
    }
}

#[test]
fn example_report_with_exact_positions() {
    let doc = parse(EXAMPLE);
    let title = doc.title.as_ref().expect("title");
    assert_eq!(title.text, "Uke 38");
    assert_eq!((title.pos, title.level), (Pos::new(1, 3), 1));
    assert_eq!(
        doc.preamble,
        vec![Paragraph {
            text: "av Raymond Kristiansen, UH IaaS, 23. sep 2016".to_owned(),
            pos: Pos::new(3, 1),
            end_line: 3,
        }]
    );
    assert_eq!(doc.sections.len(), 2);

    let done = &doc.sections[0];
    assert_eq!(done.heading.text, "Fullført");
    assert_eq!((done.heading.pos, done.heading.level), (Pos::new(5, 4), 2));
    assert_eq!((done.depth, done.has_content, done.end_line), (1, true, 10));
    assert_eq!(
        done.items,
        vec![
            item(
                "Workshop ved USIT 7. og 8. september.",
                (7, 3),
                7,
                ItemMarker::Bullet
            ),
            item(
                "Oppgradering til mitaka i uke 38. Utført med ansible som kunne \
                 testes i `test01` og `test02` først.",
                (9, 3),
                10,
                ItemMarker::Bullet
            ),
        ]
    );

    let status = &doc.sections[1];
    assert_eq!(status.heading.text, "Oppdatert status");
    assert_eq!(status.heading.pos, Pos::new(12, 4));
    assert_eq!(
        (status.depth, status.has_content, status.end_line),
        (1, true, 16)
    );
    assert_eq!(
        status.items,
        vec![
            item(
                "Arbeidet frem til leveranse 14. november vil vi oppdatere fortløpende.",
                (14, 1),
                14,
                ItemMarker::Paragraph
            ),
            item(
                "Kun større oppgaver, utfordringer og avvik vil bli oppdatert her.",
                (16, 1),
                16,
                ItemMarker::Paragraph
            ),
        ]
    );
    assert!(doc.links.is_empty() && doc.comments.is_empty() && doc.tables.is_empty());
    assert_eq!(doc.line_count, 16);
}

#[test]
fn atx_and_setext_headings() {
    let text = "Title\n=====\n\nPart\n----\n\ntext\n\n  ## Also **bold** `code` ##\n\n##\n";
    let doc = parse(text);
    let title = doc.title.expect("title");
    assert_eq!(
        (title.text.as_str(), title.pos, title.level),
        ("Title", Pos::new(1, 1), 1)
    );
    let headings: Vec<_> = doc
        .sections
        .iter()
        .map(|s| (s.heading.text.as_str(), s.heading.pos, s.heading.level))
        .collect();
    assert_eq!(
        headings,
        vec![
            ("Part", Pos::new(4, 1), 2),
            ("Also bold code", Pos::new(9, 6), 2),
            ("", Pos::new(11, 3), 2),
        ]
    );
    // A setext heading ends on its underline.
    assert_eq!(doc.sections[0].end_line, 7);
    assert_eq!(doc.sections[2].end_line, 11);
    assert!(!doc.sections[2].has_content);
}

#[test]
fn multi_line_setext_heading_joins_its_lines() {
    let doc = parse("Weekly\nreport\n===\n\n## A\n");
    let title = doc.title.expect("title");
    assert_eq!(
        (title.text.as_str(), title.pos),
        ("Weekly report", Pos::START)
    );
}

#[test]
fn title_promotion_compresses_depths() {
    let doc = parse("# T\n\n### A\n\n##### B\n\n### C\n");
    assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("T"));
    assert_eq!(heading_texts(&doc), vec![("A", 1), ("B", 2), ("C", 1)]);
}

#[test]
fn lone_smallest_heading_is_title_whatever_its_level() {
    let doc = parse("## T\n\n### A\n");
    assert_eq!(doc.title.as_ref().map(|t| t.level), Some(2));
    assert_eq!(heading_texts(&doc), vec![("A", 1)]);
}

#[test]
fn no_title_when_the_top_level_repeats() {
    let doc = parse("# A\n\nintro\n\n# B\n\n### C\n");
    assert!(doc.title.is_none());
    assert_eq!(heading_texts(&doc), vec![("A", 1), ("B", 1), ("C", 2)]);
    assert_eq!(item_texts(&doc.sections[0]), vec!["intro"]);
}

#[test]
fn no_title_when_the_document_does_not_start_with_it() {
    let doc = parse("Intro *text*\nhere.\n\n# A\n\n## B\n");
    assert!(doc.title.is_none());
    assert_eq!(doc.preamble.len(), 1);
    assert_eq!(doc.preamble[0].text, "Intro *text* here.");
    assert_eq!(doc.preamble[0].end_line, 2);
    assert_eq!(heading_texts(&doc), vec![("A", 1), ("B", 2)]);

    let doc = parse("## A\n\n# B\n");
    assert!(doc.title.is_none());
    assert_eq!(heading_texts(&doc), vec![("A", 2), ("B", 1)]);
}

#[test]
fn comments_before_the_title_do_not_stop_promotion() {
    let doc = parse("<!-- milepost: disable=title -->\n\n# T\n\n## S\n\ntext\n");
    assert_eq!(doc.title.map(|t| t.pos), Some(Pos::new(3, 3)));
    assert_eq!(
        doc.comments,
        vec![Comment {
            text: "milepost: disable=title".to_owned(),
            pos: Pos::new(1, 6),
            end_line: 1,
        }]
    );
}

#[test]
fn nested_lists_belong_to_their_top_level_item() {
    let text = "# T\n\n## S\n\n- one\n  - one.a\n\n    1. deep `x`\n- two\n";
    let doc = parse(text);
    assert_eq!(
        doc.sections[0].items,
        vec![
            item("one - one.a 1. deep `x`", (5, 3), 8, ItemMarker::Bullet),
            item("two", (9, 3), 9, ItemMarker::Bullet),
        ]
    );
    assert_eq!(doc.sections[0].end_line, 9);
}

#[test]
fn ordered_lists_are_enumerated() {
    let doc =
        parse("## S\n\n1. first\n2. second\n\n10) tenth\n   more\n\n* star\n+ plus\n\n## R\n");
    let items = &doc.sections[0].items;
    let got: Vec<_> = items
        .iter()
        .map(|i| (i.text.as_str(), i.pos, i.marker))
        .collect();
    assert_eq!(
        got,
        vec![
            ("first", Pos::new(3, 4), ItemMarker::Enumerated),
            ("second", Pos::new(4, 4), ItemMarker::Enumerated),
            ("tenth more", Pos::new(6, 5), ItemMarker::Enumerated),
            ("star", Pos::new(9, 3), ItemMarker::Bullet),
            ("plus", Pos::new(10, 3), ItemMarker::Bullet),
        ]
    );
    assert_eq!(items[2].end_line, 7);
}

#[test]
fn lazy_continuation_lines_belong_to_the_item() {
    let doc = parse("## S\n\n- first line\ncontinued lazily\n- second\n\n## R\n");
    assert_eq!(
        doc.sections[0].items,
        vec![
            item("first line continued lazily", (3, 3), 4, ItemMarker::Bullet),
            item("second", (5, 3), 5, ItemMarker::Bullet),
        ]
    );
}

#[test]
fn item_text_may_start_on_the_next_line() {
    let doc = parse("## S\n\n-\n  late start\n\n## R\n");
    assert_eq!(
        doc.sections[0].items,
        vec![item("late start", (4, 3), 4, ItemMarker::Bullet)]
    );
}

#[test]
fn only_list_items_are_items_when_a_section_has_a_list() {
    let doc = parse("## S\n\nIntro.\n\n- a\n\nOutro.\n\n- b\n\n## R\n");
    assert_eq!(item_texts(&doc.sections[0]), vec!["a", "b"]);
    assert_eq!(doc.sections[0].end_line, 9);
}

#[test]
fn lists_in_block_quotes_are_not_items() {
    let doc = parse("## S\n\n> - quoted\n\nSaid.\n\n## Only quote\n\n> - q\n");
    assert_eq!(item_texts(&doc.sections[0]), vec!["Said."]);
    let quote = &doc.sections[1];
    assert!(quote.items.is_empty());
    assert!(quote.has_content);
    assert_eq!(quote.end_line, 9);
}

#[test]
fn headings_inside_containers_are_not_sections() {
    let doc = parse("## S\n\n- # not a section\n> # nor this\n\n## R\n");
    assert_eq!(heading_texts(&doc), vec![("S", 1), ("R", 1)]);
    assert_eq!(item_texts(&doc.sections[0]), vec!["# not a section"]);
}

#[test]
fn empty_sections() {
    let doc = parse("## A\n\n<!-- only a comment -->\n\n## B\n\n\n## C\nx\n");
    let got: Vec<_> = doc
        .sections
        .iter()
        .map(|s| (s.has_content, s.end_line, s.items.len()))
        .collect();
    assert_eq!(got, vec![(false, 3, 0), (false, 5, 0), (true, 9, 1)]);
}

#[test]
fn relative_and_external_links() {
    let text = "## Lenker\n\n\
        Se [plan](../plans/prod.md#risk \"Plan\") og [nett](https://x.org), \
        [e-post](mailto:a@b.no), [topp](#lenker), [vert](//h/x), [tom]().\n\
        æø ![bilde](<img/a%20b.png?raw=1>) <https://auto.link> \
        [![ikon](icon.svg)](docs/index.md)\n";
    let doc = parse(text);
    assert_eq!(
        doc.links,
        vec![
            link(LinkKind::Relative, "../plans/prod.md", (3, 11)),
            link(LinkKind::Relative, "img/a b.png", (4, 14)),
            link(LinkKind::Relative, "icon.svg", (4, 65)),
            link(LinkKind::Relative, "docs/index.md", (4, 76)),
        ]
    );
}

#[test]
fn link_destination_on_the_next_line() {
    let doc = parse("[plan](\n  plan.md)\n");
    assert_eq!(doc.links, vec![link(LinkKind::Relative, "plan.md", (2, 3))]);
}

#[test]
fn reference_links_point_at_their_definition() {
    let text = "Use [the plan][Plan  B], [plan b] and [Plan B][].\n\
        See [ext] too.\n\n\
        [plan b]: <../plan.md> \"Plan\"\n\
        [ext]: https://x.org\n\
        [unused]: other.md\n";
    let doc = parse(text);
    assert_eq!(
        doc.links,
        vec![link(LinkKind::Relative, "../plan.md", (4, 12))]
    );
}

#[test]
fn doc_role_gives_doc_links() {
    let text = "I {doc}`../plans/production` og {doc}`Planen <../plans/x>`, ikke `../y`.\n";
    let doc = parse(text);
    assert_eq!(
        doc.links,
        vec![
            link(LinkKind::Doc, "../plans/production", (1, 9)),
            link(LinkKind::Doc, "../plans/x", (1, 47)),
        ]
    );
}

#[test]
fn links_in_code_are_not_links() {
    let text = "`[a](b.md)` and\n\n```\n[c](d.md) {doc}`x`\n```\n\n    [e](f.md)\n";
    assert!(parse(text).links.is_empty());
}

#[test]
fn block_and_inline_comments() {
    let text = "## S\n\n<!--\n  milepost: milestone=M3\n  second line\n-->\n\n\
        - Done <!-- tag: x --> today\n- <!---->empty\n\n## R\n";
    let doc = parse(text);
    assert_eq!(
        doc.comments,
        vec![
            Comment {
                text: "milepost: milestone=M3\nsecond line".to_owned(),
                pos: Pos::new(4, 3),
                end_line: 6,
            },
            Comment {
                text: "tag: x".to_owned(),
                pos: Pos::new(8, 13),
                end_line: 8,
            },
            Comment {
                text: String::new(),
                pos: Pos::new(9, 7),
                end_line: 9,
            },
        ]
    );
    assert_eq!(
        item_texts(&doc.sections[0]),
        vec!["Done <!-- tag: x --> today", "<!---->empty"]
    );
}

#[test]
fn comments_in_code_and_headings() {
    let text =
        "# Uke 38 <!-- milepost: disable=title -->\n\n`<!-- no -->`\n\n```\n<!-- no -->\n```\n";
    let doc = parse(text);
    assert_eq!(doc.title.map(|t| t.text), Some("Uke 38".to_owned()));
    assert_eq!(doc.comments.len(), 1);
    assert_eq!(doc.comments[0].text, "milepost: disable=title");
    assert_eq!(doc.comments[0].pos, Pos::new(1, 15));
}

#[test]
fn html_blocks_with_more_than_comments_are_content() {
    let doc = parse("## S\n\n<div>\n<!-- c --> x\n</div>\n\n## R\n");
    assert!(doc.sections[0].has_content);
    assert_eq!(doc.comments.len(), 1);
    assert_eq!(doc.comments[0].pos, Pos::new(4, 6));
}

#[test]
fn unclosed_comment_runs_to_the_end_of_its_block() {
    let doc = parse("<!-- open\nstill open\n");
    assert_eq!(doc.comments.len(), 1);
    assert_eq!(doc.comments[0].text, "open\nstill open");
    assert_eq!(doc.comments[0].end_line, 2);
}

#[test]
fn pipe_tables() {
    let text = "## S\n\n| Oppgave | *Status* |\n|---|:-:|\n| `a` | **ok** |\n| b |  |\n\n## R\n";
    let doc = parse(text);
    assert_eq!(
        doc.tables,
        vec![Table {
            pos: Pos::new(3, 1),
            header: vec![TableRow {
                line: 3,
                cells: vec!["Oppgave".to_owned(), "Status".to_owned()],
            }],
            rows: vec![
                TableRow {
                    line: 5,
                    cells: vec!["a".to_owned(), "ok".to_owned()],
                },
                TableRow {
                    line: 6,
                    cells: vec!["b".to_owned(), String::new()],
                },
            ],
        }]
    );
    let section = &doc.sections[0];
    assert!(section.has_content && section.items.is_empty());
    assert_eq!(section.end_line, 6);
}

#[test]
fn code_blocks_hold_no_headings_or_items() {
    let text =
        "# T\n\n## S\n\n```md\n# fake heading\n- fake item\n```\n\n    ## indented\n    - fake\n";
    let doc = parse(text);
    assert_eq!(heading_texts(&doc), vec![("S", 1)]);
    let section = &doc.sections[0];
    assert!(section.items.is_empty() && section.has_content);
    assert_eq!(section.end_line, 11);
}

#[test]
fn crlf_gives_the_same_result_as_lf() {
    let samples = [
        EXAMPLE,
        "Title `a\nb`\n===\n\n<!--\n  a\n  b\n-->\n\n## S\n\n- x [l](a.md)\n  y {doc}`p\nq`\n\n\
         | a | b |\n|---|---|\n| 1 | 2 |\n",
    ];
    for lf in samples {
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(format!("{:?}", parse(lf)), format!("{:?}", parse(&crlf)));
    }
    assert!(!format!("{:?}", parse(&EXAMPLE.replace('\n', "\r\n"))).contains("\\r"));
}

#[test]
fn empty_and_blank_input() {
    for text in ["", "\n\n", "   \n", "<!-- -->"] {
        let doc = parse(text);
        assert!(doc.title.is_none() && doc.sections.is_empty() && doc.preamble.is_empty());
    }
    assert_eq!(parse("").line_count, 0);
    assert_eq!(parse("a\nb").line_count, 2);
}

/// Found by the `markdown` fuzz target: a paragraph of nothing but a
/// no-break space (content in CommonMark, white space to `str::trim`)
/// was placed after its own text, past the last line of the file.
#[test]
fn paragraph_of_unicode_space_stays_in_the_text() {
    for (text, pos) in [
        ("# T\n\n## S\n\n\u{a0}\n", Pos::new(5, 1)),
        ("# T\n\n## S\n\n\u{3000}\u{a0}", Pos::new(5, 1)),
        ("# T\n\n## S\n\n- \u{a0}\n", Pos::new(5, 3)),
        ("\u{a0}\n", Pos::new(1, 1)),
    ] {
        let doc = parse(text);
        let first = doc
            .sections
            .first()
            .and_then(|s| s.items.first().map(|i| (i.pos, i.end_line)))
            .or_else(|| doc.preamble.first().map(|p| (p.pos, p.end_line)));
        let (found, end_line) = first.expect("an item or a paragraph");
        assert_eq!(found, pos, "{text:?}");
        assert!(
            end_line >= found.line && end_line <= doc.line_count,
            "{text:?}"
        );
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    for opener in ["- ", "1. ", "> ", "* - "] {
        let text = format!("## S\n\n{}x\n\n## R\n", opener.repeat(10_000));
        let doc = parse(&text);
        assert_eq!(doc.sections.len(), 2);
    }
    let brackets = format!("{}x{}\n", "[".repeat(10_000), "](a.md)".repeat(10_000));
    let images = format!("{}x{}\n", "![".repeat(10_000), "](a.md)".repeat(10_000));
    let emphasis = format!("{}x{}\n", "*".repeat(10_000), "*".repeat(10_000));
    for text in [brackets, images, emphasis] {
        let _ = parse(&text);
    }
    let indented: String = (0..2_000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    let doc = parse(&format!("## S\n\n{indented}\n## R\n"));
    assert_eq!(doc.sections[0].items.len(), 1);
}

#[test]
fn long_lines_stay_linear() {
    let words = "ord ".repeat(2_500_000);
    let doc = parse(&format!("## S\n\n{words}\n\n## R\n"));
    assert_eq!(doc.sections[0].items[0].text.len(), words.trim_end().len());
    assert_eq!(doc.sections[0].end_line, 3);

    let links = "æ [a](b.md) ".repeat(200_000);
    let doc = parse(&links);
    assert_eq!(doc.links.len(), 200_000);
    assert_eq!(doc.links[1].pos, Pos::new(1, 19));
    assert_eq!(doc.links[199_999].pos, Pos::new(1, 199_999 * 12 + 7));
}

#[test]
fn locator_agrees_with_line_index() {
    let text = "æøå [x](y)\nline two ø\n\nend";
    let index = LineIndex::new(text);
    let mut loc = Locator::new(text);
    let offsets: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    for &at in offsets.iter().chain(offsets.iter().rev()).step_by(3) {
        assert_eq!(loc.pos(at), index.pos(at), "offset {at}");
    }
    assert_eq!(loc.pos(text.len()), index.pos(text.len()));
}

#[test]
fn helpers() {
    assert!(is_relative("../a.md") && is_relative("/abs/b.md") && is_relative("a/b:c"));
    assert!(!is_relative("HTTPS://x") && !is_relative("#x") && !is_relative("//h"));
    assert_eq!(link_target("a%20b%.md?x#y"), "a b%.md");
    assert_eq!(link_target("%ff.md"), "%ff.md");
    assert_eq!(angle_bracket_target("Title <t>"), "t");
    assert_eq!(marker_end("10) x", 0, 5), 3);
    assert_eq!(marker_end("x", 0, 1), 0);
}

#[test]
fn front_matter_is_skipped_and_lines_kept() {
    let text = "---\ntitle: Uke 38\ntags: [status]\n---\n# Uke 38\n\nav A, B, 23. sep 2016\n\n## Fullført\n\n- Ferdig.\n";
    let doc = parse(text);
    let title = doc.title.expect("a title after the front matter");
    assert_eq!(title.text, "Uke 38");
    assert_eq!(title.pos.line, 5);
    assert_eq!(doc.sections.len(), 1);
    assert_eq!(doc.sections[0].items[0].pos.line, 11);
    // An unclosed `---` is a thematic break, not front matter: the
    // heading after it is still read, on its own line.
    let doc = parse("---\n# Uke 38\n");
    let heading = doc
        .title
        .or(doc.sections.first().map(|s| s.heading.clone()));
    assert_eq!(
        heading.map(|h| (h.text, h.pos.line)),
        Some(("Uke 38".to_owned(), 2))
    );
}
