//! Title, preamble and sections from the top-level blocks, with the same
//! title promotion as docutils.

use super::*;

/// Builds title, preamble and sections from the top-level blocks.
pub(super) fn assemble(blocks: Vec<Block>) -> Document {
    let title_index = title_index(&blocks);
    let mut ranks = [false; 7];
    for (index, block) in blocks.iter().enumerate() {
        if let Block::Heading { heading, .. } = block
            && Some(index) != title_index
        {
            ranks[usize::from(heading.level.min(6))] = true;
        }
    }
    let depth_of = |level: u8| -> u8 {
        let below = ranks
            .iter()
            .take(usize::from(level.min(6)))
            .filter(|&&used| used);
        u8::try_from(below.count() + 1).unwrap_or(u8::MAX)
    };

    let mut document = Document::default();
    let mut builder: Option<SectionBuilder> = None;
    for (index, block) in blocks.into_iter().enumerate() {
        match block {
            Block::Heading { heading, .. } if Some(index) == title_index => {
                document.title = Some(heading);
            }
            Block::Heading { heading, last_line } => {
                document
                    .sections
                    .extend(builder.take().map(SectionBuilder::finish));
                let depth = depth_of(heading.level);
                builder = Some(SectionBuilder::new(heading, depth, last_line));
            }
            block => match &mut builder {
                Some(section) => section.add(block),
                None => {
                    if let Block::Paragraph(paragraph) = block {
                        document.preamble.push(paragraph);
                    }
                }
            },
        }
    }
    document
        .sections
        .extend(builder.map(SectionBuilder::finish));
    document
}

/// The index of the block promoted to title: the first block that is not a
/// comment, when it is the only heading of the smallest level.
pub(super) fn title_index(blocks: &[Block]) -> Option<usize> {
    let levels = blocks.iter().filter_map(|block| match block {
        Block::Heading { heading, .. } => Some(heading.level),
        _ => None,
    });
    let smallest = levels.clone().min()?;
    let lone = levels.filter(|&level| level == smallest).count() == 1;
    let (index, first) = blocks
        .iter()
        .enumerate()
        .find(|(_, block)| !matches!(block, Block::Comment { .. }))?;
    match first {
        Block::Heading { heading, .. } if lone && heading.level == smallest => Some(index),
        _ => None,
    }
}

/// A section whose body is still being read.
pub(super) struct SectionBuilder {
    heading: Heading,
    depth: u8,
    list_items: Vec<Item>,
    has_list: bool,
    paragraphs: Vec<Paragraph>,
    has_content: bool,
    end_line: u32,
}

impl SectionBuilder {
    fn new(heading: Heading, depth: u8, last_line: u32) -> Self {
        SectionBuilder {
            heading,
            depth,
            list_items: Vec::new(),
            has_list: false,
            paragraphs: Vec::new(),
            has_content: false,
            end_line: last_line,
        }
    }

    fn add(&mut self, block: Block) {
        self.end_line = self.end_line.max(block.last_line());
        match block {
            Block::Comment { .. } => {}
            Block::List(items) => {
                self.has_content = true;
                self.has_list = true;
                self.list_items.extend(items);
            }
            Block::Paragraph(paragraph) => {
                self.has_content = true;
                self.paragraphs.push(paragraph);
            }
            Block::Heading { .. } | Block::Content { .. } => self.has_content = true,
        }
    }

    fn finish(self) -> Section {
        let paragraphs = self.paragraphs.into_iter().map(paragraph_item);
        let (items, prose) = if self.has_list {
            (self.list_items, paragraphs.collect())
        } else {
            (paragraphs.collect(), Vec::new())
        };
        Section {
            heading: self.heading,
            depth: self.depth,
            items,
            prose,
            has_content: self.has_content,
            end_line: self.end_line,
        }
    }
}

pub(super) fn paragraph_item(paragraph: Paragraph) -> Item {
    Item {
        text: paragraph.text,
        pos: paragraph.pos,
        end_line: paragraph.end_line,
        marker: ItemMarker::Paragraph,
    }
}
