//! Writing fixed drafts back, and showing fixes as a diff instead.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Replaces the file at `path` with `contents` atomically: the new text goes to a temporary
/// file in the same folder (so the rename cannot cross file systems), takes the old file's
/// permissions, reaches the disk, and is renamed over the old one. A reader sees the old or the
/// new draft, never half of one. A symlink is kept: the file it points to is replaced.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir = target
        .parent()
        .ok_or_else(|| io::Error::other("the file has no parent folder"))?;
    let permissions = fs::metadata(&target)?.permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".galley-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff from `old` to `new`, headed with the file's path.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let shown = path.display().to_string();
    let mut diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&shown, &shown)
        .to_string();
    // similar ends its "\ No newline at end of file" marker without a line break, which would
    // run the next file's header (or the summary) into it.
    if !diff.is_empty() && !diff.ends_with('\n') {
        diff.push('\n');
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_of_a_file_without_final_newline_ends_with_a_line_break() {
        let diff = unified_diff(Path::new("a.txt"), "uno\ndos\ndos", "uno\ndos");
        assert!(diff.contains("No newline at end of file"), "{diff}");
        assert!(diff.ends_with('\n'), "{diff:?}");
    }

    #[test]
    fn replaces_contents_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nota.txt");
        fs::write(&path, "antes\n").unwrap();
        write_atomically(&path, "después\n".as_bytes()).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "después\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_symlinks() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        fs::write(&real, "a\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        symlink(&real, &link).unwrap();
        write_atomically(&link, b"b\n").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "b\n");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn diff_shows_removed_lines_with_the_path() {
        let diff = unified_diff(
            Path::new("a/n.txt"),
            "uno\ndos\ndos\ntres\n",
            "uno\ndos\ntres\n",
        );
        assert!(diff.starts_with("--- a/n.txt\n+++ a/n.txt\n@@"), "{diff}");
        assert!(diff.contains("\n-dos\n"), "{diff}");
    }
}
