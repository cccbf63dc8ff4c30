import Foundation

/// The GnuPG home directory an operator configured.
enum GnuPGHome {
    /// `home` made absolute (gpg resolves a relative home against its own working directory), after checking
    /// that it is an existing directory.
    static func directory(_ home: String, operation: String) throws(OpenPGPError) -> String {
        guard !home.isEmpty else {
            throw OpenPGPError(operation: operation, message: "the GnuPG home directory path is empty")
        }
        let absolute = home.hasPrefix("/") ? home : FileManager.default.currentDirectoryPath + "/" + home
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw OpenPGPError(operation: operation, message: "GnuPG home \(absolute) does not exist")
        }
        guard isDirectory.boolValue else {
            throw OpenPGPError(operation: operation, message: "GnuPG home \(absolute) is not a directory")
        }
        return absolute
    }
}
