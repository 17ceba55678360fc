//! What `init` reads from one report-like file: its name, title, byline,
//! section titles and the day it was first committed. Built from text (no
//! file system), so inference is tested without a temporary folder.

use chrono::NaiveDate;

use crate::dates;
use crate::report::{self, Format};

/// One report-like file, as `init` sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// Project-relative, `/`-separated.
    pub path: String,
    pub title: Option<String>,
    /// The first paragraph after the title (where a byline would be).
    pub byline: Option<String>,
    /// The date that byline ends with, if it does.
    pub byline_date: Option<NaiveDate>,
    /// The top-level section titles, in order, as written.
    pub sections: Vec<String>,
    /// The day git says the file was first committed.
    pub committed: Option<NaiveDate>,
}

impl Sample {
    /// Reads `text`, the content of the file at `path`.
    pub fn from_text(path: &str, text: &str, committed: Option<NaiveDate>) -> Sample {
        let format = Format::from_path(path).unwrap_or(Format::Rst);
        let document = report::parse(format, text);
        let byline = document
            .preamble
            .first()
            .map(|p| p.text.trim().to_owned())
            .filter(|text| !text.is_empty() && !text.starts_with(".."));
        let byline_date = byline.as_deref().and_then(trailing_date);
        Sample {
            path: path.to_owned(),
            title: document.title.as_ref().map(|t| t.text.trim().to_owned()),
            byline,
            byline_date,
            sections: document
                .top_sections()
                .map(|s| crate::text::title_key(s.heading.text.trim()).into_owned())
                .collect(),
            committed,
        }
    }

    /// The file name without its folder and extension.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }

    /// The extension, without the dot (`rst`).
    pub fn extension(&self) -> &str {
        self.path.rsplit_once('.').map_or("", |(_, ext)| ext)
    }

    /// The folder, project-relative (`""` at the top).
    pub fn folder(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(folder, _)| folder)
    }

    /// The nearest folder named like a year.
    pub fn folder_year(&self) -> Option<i32> {
        self.folder().rsplit('/').find_map(|part| {
            (part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
                .filter(|year| (1900..=2200).contains(year))
        })
    }
}

/// The date a byline ends with: the part after its last comma ("av NN,
/// ORG, 23. sep 2016"), or for an English date with a comma ("September
/// 23, 2016") the last two parts.
fn trailing_date(byline: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = byline.split(',').collect();
    let last = parts.last()?;
    if let Ok(date) = dates::parse_date(last, None) {
        return Some(date);
    }
    if parts.len() >= 2 {
        let two = format!("{},{}", parts[parts.len() - 2], last);
        return dates::parse_date(&two, None).ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_seed_shape() {
        let text = "======\nUke 38\n======\nav Raymond Kristiansen, UH IaaS, 23. sep 2016\n\n\
Fullført\n========\n\n- a\n\nUnder  arbeid\n============\n\n- b\n";
        let sample = Sample::from_text("docs/2016/2016_uke_38.rst", text, None);
        assert_eq!(sample.title.as_deref(), Some("Uke 38"));
        assert_eq!(sample.byline_date, NaiveDate::from_ymd_opt(2016, 9, 23));
        assert_eq!(sample.sections, ["Fullført", "Under arbeid"]);
        assert_eq!(sample.stem(), "2016_uke_38");
        assert_eq!(sample.folder_year(), Some(2016));
    }

    #[test]
    fn a_paragraph_without_a_date_is_no_dated_byline() {
        let text = "Hendelse\n========\n\nTjenesten var nede.\n\nTidslinje\n---------\n\n- a\n";
        let sample = Sample::from_text("x.rst", text, None);
        assert_eq!(sample.byline_date, None);
        assert_eq!(
            trailing_date("by Jane Doe, UiO, September 23, 2016"),
            NaiveDate::from_ymd_opt(2016, 9, 23)
        );
    }
}
