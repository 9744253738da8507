//! # xuncha core (巡查)
//!
//! Plain Rust, no wasm types: the officer's tablet runs it as WebAssembly
//! (through the thin [`wasm`] edge) and HQ links it natively, so the same code
//! judges every record on both sides.
//!
//! Two verdicts are kept apart everywhere:
//! - **problems** ([`problem`]): the *record* is wrong or incomplete;
//! - **findings** (the compliance rules): the *operator* broke a rule.
//!
//! Modules follow the domain: [`visit`] and its four kinds of check
//! ([`price`], [`metrology`], [`equipment`], [`sampling`]), each with its data
//! validation and its compliance rules; the [`rules`] rulebook (data with a
//! legal source), the working-day [`calendar`], and the engine in [`evaluate`].

pub mod calendar;
pub mod check;
pub mod credit_code;
#[cfg(any(feature = "bench-tools", not(target_arch = "wasm32")))]
pub mod dataset;
pub mod decode;
pub mod documents;
pub mod draw;
pub mod encode;
pub mod equipment;
pub mod error;
pub mod evaluate;
pub mod finding;
pub mod form;
pub mod ids;
pub mod metrology;
pub mod price;
pub mod problem;
pub mod rectification;
pub mod rules;
pub mod sampling;
pub mod sorted_map;
pub mod summary;
pub mod sync;
pub mod time;
pub mod validate;
pub mod visit;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::CoreError;
pub use evaluate::{evaluate_visit, evaluate_visit_json, evaluate_visits};
pub use finding::{Deadline, Evaluation, Finding};
pub use problem::{Problem, ProblemCode, Severity, Text};
pub use rules::Rulebook;
pub use summary::{summarise, Summary, SummaryBuilder, SummaryQuery};
pub use validate::{check_follow_up, check_visit, check_visit_json, Checked, ValidationReport};
pub use visit::Visit;

/// Version of this core, reported to the UI and to HQ.
pub const CORE_VERSION: &str = env!("CARGO_PKG_VERSION");
