//! ApplicationSet rules.

pub(crate) mod generators;
mod tags;

pub mod generator_item;
pub mod generator_not_offline;
pub mod gotemplate_options;
pub mod matrix_children;
pub mod merge_keys;
pub mod nesting_too_deep;
pub mod template_name_missing;
pub mod template_style_mismatch;

use crate::lint::Rule;

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[
    &template_name_missing::TemplateNameMissing,
    &generator_item::GeneratorItem,
    &matrix_children::MatrixChildren,
    &merge_keys::MergeKeys,
    &nesting_too_deep::NestingTooDeep,
    &template_style_mismatch::TemplateStyleMismatch,
    &gotemplate_options::GoTemplateOptions,
    &generator_not_offline::GeneratorNotOffline,
];
