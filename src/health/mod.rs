//! Lua health checks and custom actions, run the way Argo CD runs them (`util/lua` in Argo CD).
//!
//! - [`pattern`], [`strlib`]: gopher-lua's string patterns, matched under the script's time budget;
//! - [`sandbox`]: a fresh LuaJIT state (Lua 5.1 + `goto`, like gopher-lua) per run with Argo CD's libraries, limits and coverage hook;
//! - [`convert`]: JSON <-> Lua as Argo CD (`decodeValue`) and gopher-json do it;
//! - [`result`]: Argo CD's result rules for health, actions and action discovery;
//! - [`layout`]: the `resource_customizations` directory layout and its test files;
//! - [`argocd_cm`]: scripts embedded in an `argocd-cm` ConfigMap, and how Argo CD picks one;
//! - [`suite`]: test cases, run in parallel with deterministic results;
//! - [`rules`]: what `argovet check` reports about an `argocd-cm`'s Lua.

pub mod argocd_cm;
pub mod convert;
pub mod coverage;
pub mod glob;
pub mod layout;
pub mod oslib;
pub mod pattern;
pub mod result;
pub mod rules;
pub mod sandbox;
pub mod strlib;
pub mod suite;

pub use result::{HealthStatus, ImpactedResource, ResourceAction};
pub use rules::{RULE_INFOS, check_argocd_cm};
pub use sandbox::{Limits, RunError, RunOptions, Script};
