//! The workspace: every draft of a newsroom's folders indexed in memory, so that a paragraph
//! copied from another draft is found as it is typed (`cross-draft-duplicate`) and a folder
//! can be reviewed as a whole. Free of LSP and terminal types: the language server and
//! `galley check` are two front ends over it.
//!
//! - [`scan`] walks a folder and fills an [`Index`] in parallel, reporting progress.
//! - [`Index::upsert`] / [`Index::remove`] keep it current one draft at a time, touching only
//!   that draft's postings, and say which other drafts' findings may have changed.
//! - [`Index::cross_draft_findings`] looks a draft's paragraphs up (per paragraph, by
//!   fingerprint and LSH band) and returns findings with the other draft as related location;
//!   [`Index::draft_info`] gives a hover that draft's headline and date.
//!
//! # Using it from a front end
//! A server scans each workspace folder on a blocking thread into a fresh `Index` (turning
//! `progress` into work-done notifications), swaps it in, then upserts its open documents,
//! whose text may differ from the disk. On a change (an edit, or a watched file created,
//! changed or deleted) it calls `upsert` or `remove` and re-checks the returned drafts that
//! are open. A draft's findings are its analysis plus `cross_draft_findings` with the same
//! text and `Draft`. `galley check` builds a [`BatchIndex`] of the drafts it has read and
//! adds each one's `cross_draft_findings` to its analysis.

mod age;
mod batch;
mod index;
mod lookup;
mod postings;
mod scan;
mod sketch;

pub use batch::BatchIndex;
pub use index::{DraftInfo, Index, LoadedDraft, modified_time};
pub use lookup::CODE;
pub(crate) use scan::error_path;
pub use scan::{
    DEFAULT_MAX_FILE_SIZE, ScanError, ScanOptions, ScanReport, SkipReason, Skipped, read_draft,
    scan, scan_with, would_walk,
};
