//! Names of Kerberos encryption types (RFC 3961, RFC 3962, RFC 4757,
//! RFC 8009, RFC 6803 and the IANA registry) and error codes (RFC 4120
//! §7.5.9, RFC 4556, RFC 6113).

/// The etype's name as MIT Kerberos and Wireshark write it, else
/// `etype-<n>`.
pub(crate) fn etype_name(n: i32) -> String {
    let name = match n {
        1 => "des-cbc-crc",
        2 => "des-cbc-md4",
        3 => "des-cbc-md5",
        5 => "des3-cbc-md5",
        7 => "des3-cbc-sha1",
        16 => "des3-cbc-sha1-kd",
        17 => "aes128-cts-hmac-sha1-96",
        18 => "aes256-cts-hmac-sha1-96",
        19 => "aes128-cts-hmac-sha256-128",
        20 => "aes256-cts-hmac-sha384-192",
        23 => "rc4-hmac",
        24 => "rc4-hmac-exp",
        25 => "camellia128-cts-cmac",
        26 => "camellia256-cts-cmac",
        _ => return format!("etype-{n}"),
    };
    name.to_string()
}

const ERRORS: &[&str] = &[
    "KDC_ERR_NONE",
    "KDC_ERR_NAME_EXP",
    "KDC_ERR_SERVICE_EXP",
    "KDC_ERR_BAD_PVNO",
    "KDC_ERR_C_OLD_MAST_KVNO",
    "KDC_ERR_S_OLD_MAST_KVNO",
    "KDC_ERR_C_PRINCIPAL_UNKNOWN",
    "KDC_ERR_S_PRINCIPAL_UNKNOWN",
    "KDC_ERR_PRINCIPAL_NOT_UNIQUE",
    "KDC_ERR_NULL_KEY",
    "KDC_ERR_CANNOT_POSTDATE",
    "KDC_ERR_NEVER_VALID",
    "KDC_ERR_POLICY",
    "KDC_ERR_BADOPTION",
    "KDC_ERR_ETYPE_NOSUPP",
    "KDC_ERR_SUMTYPE_NOSUPP",
    "KDC_ERR_PADATA_TYPE_NOSUPP",
    "KDC_ERR_TRTYPE_NOSUPP",
    "KDC_ERR_CLIENT_REVOKED",
    "KDC_ERR_SERVICE_REVOKED",
    "KDC_ERR_TGT_REVOKED",
    "KDC_ERR_CLIENT_NOTYET",
    "KDC_ERR_SERVICE_NOTYET",
    "KDC_ERR_KEY_EXPIRED",
    "KDC_ERR_PREAUTH_FAILED",
    "KDC_ERR_PREAUTH_REQUIRED",
    "KDC_ERR_SERVER_NOMATCH",
    "KDC_ERR_MUST_USE_USER2USER",
    "KDC_ERR_PATH_NOT_ACCEPTED",
    "KDC_ERR_SVC_UNAVAILABLE",
    "",
    "KRB_AP_ERR_BAD_INTEGRITY",
    "KRB_AP_ERR_TKT_EXPIRED",
    "KRB_AP_ERR_TKT_NYV",
    "KRB_AP_ERR_REPEAT",
    "KRB_AP_ERR_NOT_US",
    "KRB_AP_ERR_BADMATCH",
    "KRB_AP_ERR_SKEW",
    "KRB_AP_ERR_BADADDR",
    "KRB_AP_ERR_BADVERSION",
    "KRB_AP_ERR_MSG_TYPE",
    "KRB_AP_ERR_MODIFIED",
    "KRB_AP_ERR_BADORDER",
    "",
    "KRB_AP_ERR_BADKEYVER",
    "KRB_AP_ERR_NOKEY",
    "KRB_AP_ERR_MUT_FAIL",
    "KRB_AP_ERR_BADDIRECTION",
    "KRB_AP_ERR_METHOD",
    "KRB_AP_ERR_BADSEQ",
    "KRB_AP_ERR_INAPP_CKSUM",
    "KRB_AP_PATH_NOT_ACCEPTED",
    "KRB_ERR_RESPONSE_TOO_BIG",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "KRB_ERR_GENERIC",
    "KRB_ERR_FIELD_TOOLONG",
    "KDC_ERR_CLIENT_NOT_TRUSTED",
    "KDC_ERR_KDC_NOT_TRUSTED",
    "KDC_ERR_INVALID_SIG",
    "KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED",
    "KDC_ERR_CERTIFICATE_MISMATCH",
    "KRB_AP_ERR_NO_TGT",
    "KDC_ERR_WRONG_REALM",
    "KRB_AP_ERR_USER_TO_USER_REQUIRED",
    "KDC_ERR_CANT_VERIFY_CERTIFICATE",
    "KDC_ERR_INVALID_CERTIFICATE",
    "KDC_ERR_REVOKED_CERTIFICATE",
    "KDC_ERR_REVOCATION_STATUS_UNKNOWN",
    "KDC_ERR_REVOCATION_STATUS_UNAVAILABLE",
    "KDC_ERR_CLIENT_NAME_MISMATCH",
    "KDC_ERR_KDC_NAME_MISMATCH",
    "KDC_ERR_INCONSISTENT_KEY_PURPOSE",
    "KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED",
    "KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED",
    "KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED",
    "KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "KDC_ERR_PREAUTH_EXPIRED",
    "KDC_ERR_MORE_PREAUTH_DATA_REQUIRED",
    "KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET",
    "KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS",
];

/// The error code's name, else `KRB_ERR_<n>`.
pub(crate) fn error_name(code: i32) -> String {
    usize::try_from(code)
        .ok()
        .and_then(|i| ERRORS.get(i))
        .filter(|n| !n.is_empty())
        .map_or_else(|| format!("KRB_ERR_{code}"), |n| (*n).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_rfc_numbers() {
        assert_eq!(etype_name(23), "rc4-hmac");
        assert_eq!(etype_name(18), "aes256-cts-hmac-sha1-96");
        assert_eq!(etype_name(3), "des-cbc-md5");
        assert_eq!(etype_name(-135), "etype--135");
        assert_eq!(error_name(6), "KDC_ERR_C_PRINCIPAL_UNKNOWN");
        assert_eq!(error_name(24), "KDC_ERR_PREAUTH_FAILED");
        assert_eq!(error_name(25), "KDC_ERR_PREAUTH_REQUIRED");
        assert_eq!(error_name(37), "KRB_AP_ERR_SKEW");
        assert_eq!(error_name(52), "KRB_ERR_RESPONSE_TOO_BIG");
        assert_eq!(error_name(60), "KRB_ERR_GENERIC");
        assert_eq!(error_name(68), "KDC_ERR_WRONG_REALM");
        assert_eq!(error_name(91), "KDC_ERR_MORE_PREAUTH_DATA_REQUIRED");
        assert_eq!(error_name(30), "KRB_ERR_30");
        assert_eq!(error_name(-1), "KRB_ERR_-1");
    }
}
