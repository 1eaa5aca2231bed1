//! Fixtures and helpers shared by the rule tests.

use crate::analysis::analyze;
use crate::config::Config;
use crate::draft::Format;
use crate::finding::{Finding, Fix};
use crate::fix::apply_edits;

/// A complete plain-text header: meter, headline, subtitle, date line.
pub const HEADER: &str = "Progresista 40% Conservador 60%\nEl mercado de abastos reabre tras la reforma 🍅\nLos comerciantes vuelven a sus puestos después de dos años de obras.\nPublicado: 3 de febrero de 2026, 08:30\n";

/// A complete Markdown front matter followed by a blank line.
pub const MD_HEADER: &str = "---\ntitle: El mercado de abastos reabre\nsubtitle: Los comerciantes vuelven a sus puestos.\ndate: 2026-02-03T08:30\nleaning: {progresista: 40, conservador: 60}\n---\n\n";

/// A plain draft with [`HEADER`] and one paragraph per line, ending with a newline.
pub fn plain(paragraphs: &[&str]) -> String {
    let mut text = HEADER.to_string();
    for p in paragraphs {
        text.push_str(p);
        text.push('\n');
    }
    text
}

/// The findings of one code.
pub fn findings(text: &str, format: Format, config: &Config, code: &str) -> Vec<Finding> {
    analyze(text, format, config)
        .findings
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

pub fn apply(text: &str, fix: &Fix) -> String {
    apply_edits(text, &fix.edits)
}
