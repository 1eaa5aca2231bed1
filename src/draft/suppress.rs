//! Inline suppression comments in Markdown drafts: `<!-- galley-ignore code code2 -->` before a
//! paragraph silences those rules for that paragraph, `<!-- galley-ignore-file code -->`
//! anywhere silences them for the whole file. Codes are separated by spaces or commas.

/// Codes collected from the comments of one stretch of HTML.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Directives {
    /// From `galley-ignore`: for the next paragraph.
    pub next: Vec<String>,
    /// From `galley-ignore-file`.
    pub file: Vec<String>,
    /// Whether any galley comment was found (a block holding one does not interrupt the
    /// comment's way to the paragraph below).
    pub any: bool,
}

/// Reads every `<!-- … -->` comment in `html` and collects the galley directives among them.
pub(crate) fn scan(html: &str) -> Directives {
    let mut found = Directives::default();
    let mut rest = html;
    while let Some(open) = rest.find("<!--") {
        let after = &rest[open + 4..];
        let Some(close) = after.find("-->") else {
            break;
        };
        let mut words = after[..close]
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty());
        let target = match words.next() {
            Some("galley-ignore") => Some(&mut found.next),
            Some("galley-ignore-file") => Some(&mut found.file),
            _ => None,
        };
        if let Some(target) = target {
            found.any = true;
            for code in words {
                if !target.iter().any(|c| c == code) {
                    target.push(code.to_string());
                }
            }
        }
        rest = &after[close + 3..];
    }
    found
}

/// Adds `codes` to `into`, skipping those already there.
pub(crate) fn merge(into: &mut Vec<String>, codes: Vec<String>) {
    for code in codes {
        if !into.contains(&code) {
            into.push(code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paragraph_and_file_directives_with_spaces_or_commas() {
        let d = scan("<!-- galley-ignore duplicate-paragraph, near-duplicate-paragraph -->");
        assert_eq!(d.next, ["duplicate-paragraph", "near-duplicate-paragraph"]);
        assert!(d.file.is_empty() && d.any);
        let f = scan("<!--galley-ignore-file missing-author\r\nmissing-date-->");
        assert_eq!(f.file, ["missing-author", "missing-date"]);
    }

    #[test]
    fn reads_several_comments_in_one_block_and_ignores_others() {
        let d =
            scan("<!-- nota: revisar 😀 --><!-- galley-ignore a --> <!-- galley-ignore a b -->");
        assert_eq!(d.next, ["a", "b"]);
        let plain = scan("<!-- galley-ignorex a --> <div>");
        assert_eq!(plain, Directives::default());
    }

    #[test]
    fn ignores_an_unclosed_comment() {
        assert!(!scan("<!-- galley-ignore a").any);
    }

    #[test]
    fn merges_without_duplicates() {
        let mut codes = vec!["a".to_string()];
        merge(&mut codes, vec!["a".into(), "b".into()]);
        assert_eq!(codes, ["a", "b"]);
    }
}
