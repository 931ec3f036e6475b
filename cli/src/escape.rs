//! Text from the service, made safe for a terminal: control characters shown
//! as escapes instead of reaching the terminal raw.

use std::borrow::Cow;

/// Escapes C0 controls (ESC, CR, LF, TAB, ...), DEL, C1 controls (U+0080 to
/// U+009F, U+009B being a one-character CSI) and the bidirectional overrides
/// that can reorder what a terminal shows. A backslash is doubled, so that an
/// escape seen in the output always means the service sent that character.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && needs_escape(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c == '\\' || c.is_control() || is_bidi_control(c)
}

/// U+061C, U+200E/F, U+202A..U+202E, U+2066..U+2069 ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn plain_text_is_untouched() {
        assert_eq!(escape("ges_060802-2021 备份 ü"), "ges_060802-2021 备份 ü");
    }

    #[test]
    fn every_control_character_is_escaped() {
        assert_eq!(escape("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(escape("\r\n\t\x07\x00\x7f"), "\\r\\n\\t\\x07\\x00\\x7f");
        assert_eq!(escape("\u{9b}2J\u{85}"), "\\u{009b}2J\\u{0085}");
        assert_eq!(escape("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(escape("C:\\x1b"), "C:\\\\x1b");
        let all: String = (0u8..=0x1f).chain([0x7f]).map(char::from).collect();
        assert!(escape(&all).chars().all(|c| !c.is_control()));
        let c1: String = (0x80u32..=0x9f).filter_map(char::from_u32).collect();
        assert!(escape(&c1).chars().all(|c| !c.is_control()));
    }
}
