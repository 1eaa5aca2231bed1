//! Shared fixtures for the workspace tests: short news drafts written into temporary folders,
//! and a lookup of a file's cross-draft findings as a front end would do it.

#![allow(dead_code)] // each test binary uses its own subset of these helpers

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use galley::config::Config;
use galley::draft::{self, Format};
use galley::finding::Finding;
use galley::workspace::{Index, ScanOptions, ScanReport, scan};

pub const PUERTO: &str = "La autoridad portuaria confirmó este martes que las obras de ampliación del muelle \
norte se retrasarán al menos seis meses por la aparición de restos arqueológicos durante el dragado, un \
hallazgo que obliga a revisar el calendario pactado con las navieras.";

/// [`PUERTO`] lightly reworded: three words changed.
pub const PUERTO_REWORDED: &str = "La autoridad portuaria confirmó este miércoles que las obras de ampliación \
del muelle norte se retrasarán al menos ocho meses por la aparición de restos arqueológicos durante el \
dragado, un descubrimiento que obliga a revisar el calendario pactado con las navieras.";

pub const MERCADO: &str = "El mercado central reabrirá sus puertas en primavera con cuarenta puestos \
renovados, una zona de restauración en la planta alta y un horario ampliado los fines de semana, según \
anunció la concejala de Comercio en la presentación del proyecto.";

pub const LLUVIA: &str = "Las lluvias de la última semana han devuelto a los embalses de la cuenca un nivel \
que no se alcanzaba desde hace tres años, aunque los técnicos advierten de que la sequía estructural sigue \
sin resolverse en la comarca.";

pub const ESCUELA: &str = "El consejo escolar aprobó por unanimidad el nuevo calendario de comedores, que \
incluirá menús elaborados con productos de proximidad en todos los centros públicos del distrito a partir \
del próximo trimestre.";

pub const TEATRO: &str = "La compañía municipal de teatro estrenará en otoño una adaptación contemporánea de \
una obra clásica, con funciones gratuitas para estudiantes y una gira por los barrios que todavía no \
cuentan con un espacio escénico propio.";

pub const BRIDGE: &str = "Engineers inspecting the old harbour bridge found corrosion in two of the main \
cables, and the council has closed the footpath on the eastern side until a full survey is completed later \
this month.";

/// A plain-text draft in the newsroom layout; `date` is the part after `Publicado: `.
pub fn plain(headline: &str, date: Option<&str>, paragraphs: &[&str]) -> String {
    let mut text = format!(
        "Progresista 40% Conservador 60%\n{headline}\nUn subtítulo que resume la noticia.\n"
    );
    if let Some(date) = date {
        text.push_str(&format!("Publicado: {date}\n"));
    }
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push('\n');
    }
    text
}

/// A Markdown draft with front matter; `date` is ISO 8601.
pub fn markdown(headline: &str, date: &str, paragraphs: &[&str]) -> String {
    let mut text = format!(
        "---\ntitle: {headline}\nsubtitle: Un subtítulo\ndate: {date}\nleaning: {{progresista: 40, conservador: 60}}\n---\n"
    );
    for paragraph in paragraphs {
        text.push('\n');
        text.push_str(paragraph);
        text.push('\n');
    }
    text
}

/// Writes `text` at `root/relative`, creating folders, and returns the path.
pub fn write(root: &Path, relative: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(&path, text).expect("write fixture");
    path
}

/// Sets a file's modification time to `secs` seconds after the epoch.
pub fn set_mtime(path: &Path, secs: u64) {
    let file = fs::File::options()
        .write(true)
        .open(path)
        .expect("open fixture");
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
        .expect("set mtime");
}

/// Scans `root` with the default options into a new index.
pub fn scan_all(root: &Path, config: &Config) -> (Index, ScanReport) {
    let mut index = Index::new();
    let report = scan(&mut index, root, config, &ScanOptions::default(), |_, _| {}).expect("scan");
    (index, report)
}

/// The cross-draft findings of the file at `path` as it is on disk.
pub fn findings(index: &Index, path: &Path, config: &Config) -> Vec<Finding> {
    let text = fs::read_to_string(path).expect("read draft");
    findings_for_text(index, path, &text, config)
}

/// The cross-draft findings of `text` as the content of `path` (an open document).
pub fn findings_for_text(index: &Index, path: &Path, text: &str, config: &Config) -> Vec<Finding> {
    let draft = draft::read(text, Format::from_path(path), &config.profile);
    index.cross_draft_findings(path, text, &draft, config)
}

/// The text a finding points at.
pub fn flagged<'a>(text: &'a str, finding: &Finding) -> &'a str {
    &text[finding.range.clone()]
}
