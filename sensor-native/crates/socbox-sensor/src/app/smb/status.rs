//! NT status names ([MS-ERREF] §2.3.1) for the codes SMB servers commonly
//! answer with; others are written `0x<hex>`.

pub(crate) const SUCCESS: u32 = 0x0000_0000;
pub(crate) const PENDING: u32 = 0x0000_0103;
pub(crate) const MORE_PROCESSING_REQUIRED: u32 = 0xc000_0016;

const NAMES: &[(u32, &str)] = &[
    (0x0000_0000, "STATUS_SUCCESS"),
    (0x0000_0103, "STATUS_PENDING"),
    (0x0000_010b, "STATUS_NOTIFY_CLEANUP"),
    (0x0000_010c, "STATUS_NOTIFY_ENUM_DIR"),
    (0x8000_0005, "STATUS_BUFFER_OVERFLOW"),
    (0x8000_0006, "STATUS_NO_MORE_FILES"),
    (0xc000_0001, "STATUS_UNSUCCESSFUL"),
    (0xc000_0002, "STATUS_NOT_IMPLEMENTED"),
    (0xc000_0004, "STATUS_INFO_LENGTH_MISMATCH"),
    (0xc000_0005, "STATUS_ACCESS_VIOLATION"),
    (0xc000_0008, "STATUS_INVALID_HANDLE"),
    (0xc000_000d, "STATUS_INVALID_PARAMETER"),
    (0xc000_000f, "STATUS_NO_SUCH_FILE"),
    (0xc000_0010, "STATUS_INVALID_DEVICE_REQUEST"),
    (0xc000_0011, "STATUS_END_OF_FILE"),
    (0xc000_0016, "STATUS_MORE_PROCESSING_REQUIRED"),
    (0xc000_0022, "STATUS_ACCESS_DENIED"),
    (0xc000_0023, "STATUS_BUFFER_TOO_SMALL"),
    (0xc000_0033, "STATUS_OBJECT_NAME_INVALID"),
    (0xc000_0034, "STATUS_OBJECT_NAME_NOT_FOUND"),
    (0xc000_0035, "STATUS_OBJECT_NAME_COLLISION"),
    (0xc000_0039, "STATUS_OBJECT_PATH_INVALID"),
    (0xc000_003a, "STATUS_OBJECT_PATH_NOT_FOUND"),
    (0xc000_0043, "STATUS_SHARING_VIOLATION"),
    (0xc000_0056, "STATUS_DELETE_PENDING"),
    (0xc000_0061, "STATUS_PRIVILEGE_NOT_HELD"),
    (0xc000_0064, "STATUS_NO_SUCH_USER"),
    (0xc000_006a, "STATUS_WRONG_PASSWORD"),
    (0xc000_006d, "STATUS_LOGON_FAILURE"),
    (0xc000_006e, "STATUS_ACCOUNT_RESTRICTION"),
    (0xc000_006f, "STATUS_INVALID_LOGON_HOURS"),
    (0xc000_0070, "STATUS_INVALID_WORKSTATION"),
    (0xc000_0071, "STATUS_PASSWORD_EXPIRED"),
    (0xc000_0072, "STATUS_ACCOUNT_DISABLED"),
    (0xc000_0073, "STATUS_NONE_MAPPED"),
    (0xc000_009a, "STATUS_INSUFFICIENT_RESOURCES"),
    (0xc000_00ab, "STATUS_INSTANCE_NOT_AVAILABLE"),
    (0xc000_00ad, "STATUS_INVALID_PIPE_STATE"),
    (0xc000_00ae, "STATUS_PIPE_BUSY"),
    (0xc000_00b0, "STATUS_PIPE_DISCONNECTED"),
    (0xc000_00b1, "STATUS_PIPE_CLOSING"),
    (0xc000_00b5, "STATUS_IO_TIMEOUT"),
    (0xc000_00ba, "STATUS_FILE_IS_A_DIRECTORY"),
    (0xc000_00bb, "STATUS_NOT_SUPPORTED"),
    (0xc000_00be, "STATUS_BAD_NETWORK_PATH"),
    (0xc000_00c9, "STATUS_NETWORK_NAME_DELETED"),
    (0xc000_00ca, "STATUS_NETWORK_ACCESS_DENIED"),
    (0xc000_00cc, "STATUS_BAD_NETWORK_NAME"),
    (0xc000_0101, "STATUS_DIRECTORY_NOT_EMPTY"),
    (0xc000_0120, "STATUS_CANCELLED"),
    (0xc000_0128, "STATUS_FILE_CLOSED"),
    (0xc000_015b, "STATUS_LOGON_TYPE_NOT_GRANTED"),
    (0xc000_0203, "STATUS_USER_SESSION_DELETED"),
    (0xc000_0205, "STATUS_INSUFF_SERVER_RESOURCES"),
    (0xc000_0224, "STATUS_PASSWORD_MUST_CHANGE"),
    (0xc000_0225, "STATUS_NOT_FOUND"),
    (0xc000_0234, "STATUS_ACCOUNT_LOCKED_OUT"),
    (0xc000_0257, "STATUS_PATH_NOT_COVERED"),
    (0xc000_035c, "STATUS_NETWORK_SESSION_EXPIRED"),
];

/// The status name, or `0x<8 hex digits>`.
pub(crate) fn status_name(code: u32) -> String {
    match NAMES.binary_search_by_key(&code, |&(c, _)| c) {
        Ok(i) => NAMES[i].1.to_string(),
        Err(_) => format!("0x{code:08x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_and_unknown_codes_are_hex() {
        assert!(NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(status_name(0), "STATUS_SUCCESS");
        assert_eq!(status_name(0xc000_0022), "STATUS_ACCESS_DENIED");
        assert_eq!(status_name(0xc000_006d), "STATUS_LOGON_FAILURE");
        assert_eq!(status_name(0xdead_beef), "0xdeadbeef");
    }
}
