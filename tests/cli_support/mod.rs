//! Helpers shared by the CLI tests: running the built binary without colour, and writing
//! small drafts into a temporary folder.

#![allow(dead_code)] // each test crate uses its own subset

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `galley` binary, with colour forced off and logs quiet.
pub fn galley() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("galley"));
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GALLEY_LOG");
    cmd
}

/// A Spanish paragraph long enough to be compared.
pub const PARRAFO_A: &str = "La junta vecinal de Robledo aprobó el martes por unanimidad el plan para recuperar el lavadero público del siglo diecinueve.";
pub const PARRAFO_B: &str = "Las obras empezarán en otoño y estarán pagadas por una subvención provincial que cubre casi todo el presupuesto previsto.";
pub const PARRAFO_C: &str = "El alcalde pedáneo agradeció el trabajo de las vecinas que llevan una década reclamando la restauración del edificio.";

/// A complete plain-text draft (meter, headline, subtitle, date) with `body` lines after it.
pub fn plain_draft(body: &[&str], eol: &str) -> String {
    let mut lines = vec![
        "Progresista 50% Conservador 50%",
        "Robledo recupera su lavadero",
        "La junta vecinal aprueba el proyecto por unanimidad.",
        "Publicado: 10 de marzo de 2026, 08:00",
    ];
    lines.extend_from_slice(body);
    let mut text = lines.join(eol);
    text.push_str(eol);
    text
}

/// Writes `files` (relative path, contents) under a new temporary folder.
pub fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, contents) in files {
        write(dir.path(), name, contents);
    }
    dir
}

pub fn write(base: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let path = base.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(&path, contents).expect("write file");
    path
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
