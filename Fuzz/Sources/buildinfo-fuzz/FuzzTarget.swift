import Buildinfo

/// libFuzzer entry point: feeds the input to every reader of the Buildinfo module and traps when
/// a property that must always hold does not (libFuzzer then saves the input as a crash).
@_cdecl("LLVMFuzzerTestOneInput")
public func buildinfoFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes: [UInt8] = if let data, size > 0 { Array(UnsafeBufferPointer(start: data, count: size)) } else { [] }

    // The whole pipeline: clearsign splitter, deb822, buildinfo model.
    do {
        let info = try Buildinfo.parse(bytes, path: "fuzz")
        _ = info.canonicalFileName
        check(info.sourceVersion == (try? DebianVersion(validating: info.sourceVersion.description)),
              "sourceVersion does not survive its description")
    } catch {
        _ = error.description
    }

    // The splitter alone, and its canonical text.
    if let message = try? ClearsignedMessage.split(bytes, path: "fuzz"), let signature = message.signature {
        _ = signature.canonicalSignedText
        check(message.text.isEmpty || message.text.last == 0x0A, "signed text not LF-terminated")
    }

    // deb822 with comments allowed.
    if let paragraphs = try? Deb822.parse(bytes, path: "fuzz", allowComments: true) {
        for paragraph in paragraphs {
            for field in paragraph.fields {
                check(paragraph[field.name.uppercased()] != nil, "case-insensitive lookup failed")
            }
        }
    }

    // Versions: every line (of the first 64) as a version, compared with its neighbour.
    let text = String(decoding: bytes, as: UTF8.self)
    var previous: DebianVersion?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(64) {
        let strict = try? DebianVersion(validating: String(line))
        guard let version = try? DebianVersion(String(line)) else {
            check(strict == nil, "strict parser accepts what the lax one rejects")
            continue
        }
        if let strict { check(strict == version, "strict and lax parses differ") }
        check(DebianVersion.compare(version, version) == 0, "version not equal to itself")
        let again = try? DebianVersion(version.description)
        check(again == version, "version does not survive its description")
        check(again?.description == version.description, "description not stable")
        _ = version.binNMU
        _ = version.withoutEpoch
        if let previous {
            let forward = DebianVersion.compare(previous, version)
            let backward = DebianVersion.compare(version, previous)
            check(forward == -backward, "comparison not antisymmetric")
            check((forward == 0) == (previous == version), "== disagrees with compare")
            if previous == version {
                check(previous.hashValue == version.hashValue, "equal versions hash differently")
            }
        }
        previous = version
    }
    return 0
}

private func check(_ condition: Bool, _ message: String) {
    if !condition { fatalError("invariant violated: \(message)") }
}
