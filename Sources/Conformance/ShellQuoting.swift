/// Quotes a word for `/bin/sh`: single quotes, with each embedded quote written as `'\''`.
func shellQuoted(_ word: String) -> String {
    "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
}
