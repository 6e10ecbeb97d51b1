//! One module per generator Argo CD can run offline.

pub mod clusters;
pub mod git;
pub mod list;
pub mod matrix;
pub mod merge;
