//! `sections:` in a schema that `extends` another: either a list, which
//! replaces the parent's sections, or a map of edits to the parent's list,
//! so that a schema for a new template era says only what changed:
//!
//! ```yaml
//! extends: uke-2017.yaml
//! sections:
//!   remove: [Oppdatert status]
//!   rename: {Planlagt fremdrift: Planlagte aktiviteter}
//!   change: {Annet: {required: true}}
//!   add:
//!     - {title: Drift, kind: notes, required: false, after: Utfordringer}
//!   move:
//!     - {title: Utfordringer, before: Planlagte aktiviteter}
//! ```
//!
//! The edits apply in that order (remove, rename, change, add, move), each
//! naming a section by its title or an alias as the parent has it (after
//! the earlier edits: a renamed section is moved by its new name). A name
//! the list does not have is an error with a "did you mean".

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{SectionKind, SectionSpec};
use crate::text::title_key;

/// `sections:` as written.
#[derive(Clone, Debug)]
pub enum SectionsField {
    /// The whole list.
    List(Vec<SectionSpec>),
    /// Edits to the parent's list.
    Edit(SectionEdits),
}

/// Edits to an inherited list of sections.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionEdits {
    #[serde(default)]
    pub remove: Vec<String>,
    /// Old title to new title. The old title is not kept as an alias
    /// (say so with `change: {NEW: {aliases: [OLD]}}` where wanted).
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    #[serde(default)]
    pub change: BTreeMap<String, SectionChange>,
    #[serde(default)]
    pub add: Vec<AddedSection>,
    #[serde(default, rename = "move")]
    pub moves: Vec<Move>,
}

/// Fields of one section to change; the others stay.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionChange {
    pub kind: Option<SectionKind>,
    pub aliases: Option<Vec<String>>,
    pub required: Option<bool>,
    pub repeatable: Option<bool>,
    pub copy_of: Option<SectionKind>,
    pub copy_to_next: Option<bool>,
}

/// A new section, and where: `after` or `before` a section, else last.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddedSection {
    pub title: String,
    pub kind: SectionKind,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub repeatable: bool,
    #[serde(default)]
    pub copy_of: Option<SectionKind>,
    #[serde(default)]
    pub copy_to_next: bool,
    pub after: Option<String>,
    pub before: Option<String>,
}

/// One section moved `before` or `after` another (exactly one of them).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    pub title: String,
    pub after: Option<String>,
    pub before: Option<String>,
}

fn yes() -> bool {
    true
}

impl<'de> Deserialize<'de> for SectionsField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> Visitor<'de> for FieldVisitor {
            type Value = SectionsField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of sections, or a map of edits to the sections of the schema it extends (`add`, `remove`, `rename`, `change`, `move`)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<SectionsField, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(SectionsField::List)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SectionsField, A::Error> {
                SectionEdits::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(SectionsField::Edit)
            }
        }
        deserializer.deserialize_any(FieldVisitor)
    }
}

/// An edit that names a section the list does not have, or is malformed;
/// `key` is the edit's key, for locating the message.
#[derive(Debug, PartialEq, Eq)]
pub struct EditError {
    pub key: &'static str,
    /// The name the message is about, to find its line.
    pub name: String,
    pub message: String,
}

/// Applies `edits` to `sections` (the parent's).
pub fn apply(
    mut sections: Vec<SectionSpec>,
    edits: &SectionEdits,
) -> Result<Vec<SectionSpec>, EditError> {
    for name in &edits.remove {
        let index = find(&sections, name, "remove")?;
        sections.remove(index);
    }
    for (old, new) in &edits.rename {
        let index = find(&sections, old, "rename")?;
        sections[index].title = new.clone();
    }
    for (name, change) in &edits.change {
        let index = find(&sections, name, "change")?;
        let section = &mut sections[index];
        if let Some(kind) = change.kind {
            section.kind = kind;
        }
        if let Some(aliases) = &change.aliases {
            section.aliases = aliases.clone();
        }
        if let Some(required) = change.required {
            section.required = required;
        }
        if let Some(repeatable) = change.repeatable {
            section.repeatable = repeatable;
        }
        if let Some(kind) = change.copy_of {
            section.copy_of = Some(kind);
        }
        if let Some(copy) = change.copy_to_next {
            section.copy_to_next = copy;
        }
    }
    for added in &edits.add {
        let spec = SectionSpec {
            title: added.title.clone(),
            kind: added.kind,
            aliases: added.aliases.clone(),
            required: added.required,
            repeatable: added.repeatable,
            copy_of: added.copy_of,
            copy_to_next: added.copy_to_next,
        };
        let at = place(&sections, &added.title, &added.before, &added.after, "add")?
            .unwrap_or(sections.len());
        sections.insert(at, spec);
    }
    for moved in &edits.moves {
        let index = find(&sections, &moved.title, "move")?;
        let section = sections.remove(index);
        let Some(at) = place(&sections, &moved.title, &moved.before, &moved.after, "move")? else {
            return Err(EditError {
                key: "move",
                name: moved.title.clone(),
                message: format!("`move` of `{}` needs `before` or `after`", moved.title),
            });
        };
        sections.insert(at, section);
    }
    Ok(sections)
}

/// Where `before` or `after` puts a section: `None` when neither is given.
fn place(
    sections: &[SectionSpec],
    title: &str,
    before: &Option<String>,
    after: &Option<String>,
    key: &'static str,
) -> Result<Option<usize>, EditError> {
    match (before, after) {
        (Some(_), Some(_)) => Err(EditError {
            key,
            name: title.to_owned(),
            message: format!("`{key}` of `{title}`: give `before` or `after`, not both"),
        }),
        (Some(before), None) => find(sections, before, key).map(Some),
        (None, Some(after)) => find(sections, after, key).map(|i| Some(i + 1)),
        (None, None) => Ok(None),
    }
}

/// The index of the section titled (or aliased) `name`.
fn find(sections: &[SectionSpec], name: &str, key: &'static str) -> Result<usize, EditError> {
    let wanted = title_key(name);
    sections
        .iter()
        .position(|s| {
            title_key(&s.title) == wanted || s.aliases.iter().any(|a| title_key(a) == wanted)
        })
        .ok_or_else(|| {
            let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
            let suggestion = crate::text::closest(name, titles.iter().copied())
                .map_or_else(String::new, |near| format!(" (did you mean `{near}`?)"));
            EditError {
                key,
                name: name.to_owned(),
                message: format!(
                    "`{key}`: no section `{name}` to edit{suggestion}; the sections are {}",
                    titles
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(title: &str, kind: SectionKind) -> SectionSpec {
        SectionSpec {
            title: title.into(),
            kind,
            aliases: Vec::new(),
            required: true,
            repeatable: false,
            copy_of: None,
            copy_to_next: false,
        }
    }

    fn parent() -> Vec<SectionSpec> {
        vec![
            spec("Status", SectionKind::Status),
            spec("Planlagte aktiviteter", SectionKind::Planned),
            spec("Utfordringer", SectionKind::Risks),
            spec("Annet", SectionKind::Notes),
        ]
    }

    fn edits(yaml: &str) -> SectionEdits {
        match serde_yaml::from_str::<SectionsField>(yaml).unwrap() {
            SectionsField::Edit(edits) => edits,
            SectionsField::List(_) => panic!("a list"),
        }
    }

    fn titles(sections: &[SectionSpec]) -> Vec<&str> {
        sections.iter().map(|s| s.title.as_str()).collect()
    }

    #[test]
    fn add_remove_rename_change_and_move() {
        let edited = apply(
            parent(),
            &edits(
                "remove: [Annet]\nrename: {Status: Oppdatert status}\nchange: {Utfordringer: {required: false, aliases: [Risiko]}}\nadd:\n  - {title: Drift, kind: notes, after: Oppdatert status}\nmove:\n  - {title: risiko, before: Planlagte aktiviteter}\n",
            ),
        );
        // `risiko` is not the alias `Risiko`: titles keep their case.
        assert_eq!(edited.unwrap_err().key, "move");
        let edited = apply(
            parent(),
            &edits(
                "remove: [Annet]\nrename: {Status: Oppdatert status}\nchange: {Utfordringer: {required: false, aliases: [Risiko]}}\nadd:\n  - {title: Drift, kind: notes, after: Oppdatert status}\nmove:\n  - {title: Risiko, before: Planlagte aktiviteter}\n",
            ),
        )
        .unwrap();
        assert_eq!(
            titles(&edited),
            [
                "Oppdatert status",
                "Drift",
                "Utfordringer",
                "Planlagte aktiviteter"
            ]
        );
        assert!(!edited[2].required);
        assert_eq!(edited[1].kind, SectionKind::Notes);
    }

    #[test]
    fn change_and_add_set_copy_to_next() {
        let edited = apply(
            parent(),
            &edits("change: {Annet: {copy_to_next: true}}\nadd: [{title: Drift, kind: status, copy_to_next: true}]\n"),
        )
        .unwrap();
        assert!(edited[3].copy_to_next);
        assert!(edited[4].copy_to_next);
        assert!(!edited[0].copy_to_next);
    }

    #[test]
    fn an_added_section_without_a_place_goes_last() {
        let edited = apply(parent(), &edits("add: [{title: Drift, kind: notes}]\n")).unwrap();
        assert_eq!(titles(&edited).last(), Some(&"Drift"));
    }

    #[test]
    fn an_unknown_name_is_an_error_with_a_suggestion() {
        let err = apply(parent(), &edits("remove: [Anet]\n")).unwrap_err();
        assert_eq!(err.key, "remove");
        assert!(
            err.message.contains("did you mean `Annet`?"),
            "{}",
            err.message
        );
        let err = apply(
            parent(),
            &edits("move: [{title: Annet, before: Status, after: Status}]\n"),
        )
        .unwrap_err();
        assert!(err.message.contains("not both"), "{}", err.message);
        let err = apply(parent(), &edits("move: [{title: Annet}]\n")).unwrap_err();
        assert!(
            err.message.contains("needs `before` or `after`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_list_is_still_a_list_and_unknown_edits_are_refused() {
        assert!(matches!(
            serde_yaml::from_str::<SectionsField>("- {title: A, kind: done}\n").unwrap(),
            SectionsField::List(_)
        ));
        let err = serde_yaml::from_str::<SectionsField>("reorder: [A]\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `reorder`"), "{err}");
    }
}
