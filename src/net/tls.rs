//! What https trusts: the usual public roots, plus those of `ca_file`.

use crate::error::Error;
use crate::files;

/// Largest `ca_file` read; a bundle of every public root is well under 1 MiB.
const MAX_CA_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The TLS settings of every host of a client; `insecure` verifies no certificate.
pub(crate) fn config(
    ca_file: Option<&std::path::Path>,
    insecure: bool,
) -> Result<ureq::tls::TlsConfig, Error> {
    let mut tls = ureq::tls::TlsConfig::builder().disable_verification(insecure);
    if let Some(ca_file) = ca_file {
        tls = tls.root_certs(roots_with(ca_file)?);
    }
    Ok(tls.build())
}

/// The usual public roots plus the PEM certificates of `ca_file`.
fn roots_with(ca_file: &std::path::Path) -> Result<ureq::tls::RootCerts, Error> {
    let pem = files::read(ca_file, MAX_CA_FILE_BYTES)
        .map_err(|refused| {
            Error::invalid(format!(
                "config: \"ca_file\" ({}) cannot be used: {refused}",
                ca_file.display()
            ))
        })?
        .bytes;
    let mut roots: Vec<ureq::tls::Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    let public_roots = roots.len();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => roots.push(cert),
            Ok(_) => {}
            Err(e) => {
                return Err(Error::invalid(format!(
                    "config: \"ca_file\": the file is not valid PEM: {e}"
                )))
            }
        }
    }
    if roots.len() == public_roots {
        return Err(Error::invalid(
            "config: \"ca_file\": the file holds no PEM certificate",
        ));
    }
    Ok(ureq::tls::RootCerts::from(roots))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_ca_file_https_trusts_the_public_roots() {
        let tls = config(None, false).unwrap();
        assert!(matches!(tls.root_certs(), ureq::tls::RootCerts::WebPki));
        assert!(!tls.disable_verification());
    }

    #[test]
    fn ca_file_adds_its_roots_to_the_public_ones() {
        let dir = std::env::temp_dir().join(format!("ges-tls-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca = dir.join("ca.pem");
        let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into()]).unwrap();
        std::fs::write(&ca, cert.cert.pem()).unwrap();
        let tls = config(Some(&ca), false).unwrap();
        match tls.root_certs() {
            ureq::tls::RootCerts::Specific(roots) => assert_eq!(
                roots.len(),
                webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() + 1
            ),
            other => panic!("{other:?}"),
        }
        assert!(!tls.disable_verification());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_ca_file_that_is_no_file_is_refused_not_read() {
        let err = config(Some("/dev/zero".as_ref()), false).err().unwrap();
        assert_eq!(err.kind, crate::error::ErrorKind::InvalidArgument);
        assert!(err.message.contains("a device"), "{}", err.message);
        let err = config(Some("/".as_ref()), false).err().unwrap();
        assert_eq!(err.kind, crate::error::ErrorKind::InvalidArgument);
        assert!(err.message.contains("a directory"), "{}", err.message);
        assert!(config(None, true).unwrap().disable_verification());
    }
}
