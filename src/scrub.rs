//! Secrets taken out of text before it leaves the client: every error message
//! and every log line. A second line of defence: messages are built from our
//! own words, but they quote the service's answers, and a gateway may echo a
//! request back, its signature and tokens included.

use crate::secret::Secret;
use std::borrow::Cow;
use std::sync::Arc;

/// What a secret becomes.
const MASK: &str = "***";
/// A secret this long or longer is replaced wherever it appears; a shorter one
/// only where it stands as a word of its own, so that it does not mangle the
/// words it happens to be part of.
const ANYWHERE_FROM_LEN: usize = 6;

/// The secrets a client holds: those read from its config, fixed, and those it
/// fetches later (temporary credentials, IAM tokens), asked for when needed.
#[derive(Clone, Default)]
pub(crate) struct Secrets {
    fixed: Vec<Secret>,
    live: Option<Arc<dyn LiveSecrets>>,
}

/// Secrets that change while the client lives.
pub(crate) trait LiveSecrets: Send + Sync {
    fn secrets(&self) -> Vec<Secret>;
}

impl Secrets {
    pub fn new(fixed: Vec<Secret>, live: Option<Arc<dyn LiveSecrets>>) -> Secrets {
        Secrets { fixed, live }
    }

    /// Every secret, fixed and live.
    pub fn all(&self) -> Vec<Secret> {
        let mut all = self.fixed.clone();
        if let Some(live) = &self.live {
            all.extend(live.secrets());
        }
        all
    }

    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let all = self.all();
        let secrets: Vec<&str> = all.iter().map(Secret::expose).collect();
        scrub(text, &secrets)
    }
}

/// `text` with every secret replaced by `***`, as it reads plain, quoted by
/// `Debug` or escaped in JSON, and with the value of every `Signature=`
/// replaced too (a signature is no secret we hold, but it is a credential
/// for as long as its date is valid).
pub(crate) fn scrub<'t>(text: &'t str, secrets: &[&str]) -> Cow<'t, str> {
    let mut text = Cow::Borrowed(text);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        for form in forms(secret) {
            if !text.contains(form.as_str()) {
                continue;
            }
            text = Cow::Owned(if form.len() >= ANYWHERE_FROM_LEN {
                text.replace(form.as_str(), MASK)
            } else {
                replace_words(&text, &form)
            });
        }
    }
    mask_signatures(text)
}

/// A secret as it reads plain, quoted by `Debug`, and escaped in JSON.
fn forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json.get(1..json.len().saturating_sub(1)).unwrap_or("");
    let mut forms = vec![
        secret.to_string(),
        secret.escape_debug().to_string(),
        json.to_string(),
    ];
    forms.retain(|f| !f.is_empty());
    forms.dedup();
    forms
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Replaces `word` where no word character touches it on either side.
fn replace_words(text: &str, word: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        let alone = !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char);
        out.push_str(if alone { MASK } else { word });
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Replaces the value after each `Signature=` (any case).
fn mask_signatures(text: Cow<'_, str>) -> Cow<'_, str> {
    const KEY: &str = "signature=";
    // ASCII lowercasing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    if !lower.contains(KEY) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(KEY) {
        let value_start = from + found + KEY.len();
        let value_len = text[value_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "+/=-_".contains(c)))
            .unwrap_or(text.len() - value_start);
        out.push_str(&text[copied..value_start]);
        if value_len > 0 {
            out.push_str(MASK);
        }
        copied = value_start + value_len;
        from = copied;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_secrets_anywhere_short_ones_as_words() {
        assert_eq!(
            scrub("token Abc123xyz rejected; xAbc123xyzx", &["Abc123xyz"]),
            "token *** rejected; x***x"
        );
        // A short secret where it stands alone, not inside other words.
        assert_eq!(
            scrub("sk=abc, the abcde of abc.", &["abc"]),
            "sk=***, the abcde of ***."
        );
        assert_eq!(scrub("nothing here", &["", "zzz"]), "nothing here");
    }

    #[test]
    fn quoted_forms_and_signatures() {
        // As `Debug` and JSON quote it: a serde error quoting the refused value.
        let secret = "k\"e\\y\u{1}-123";
        let text = format!("got {secret:?} and {}", serde_json::json!(secret));
        assert_eq!(scrub(&text, &[secret]), "got \"***\" and \"***\"");
        let echoed = "Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, \
                      Signature=0a1b2c3d4e5f; other signature=ZmFrZQ==";
        let scrubbed = scrub(echoed, &[]);
        assert!(
            scrubbed.ends_with("Signature=***; other signature=***"),
            "{scrubbed}"
        );
        assert!(scrubbed.contains("Access=AK"), "{scrubbed}");
    }
}
