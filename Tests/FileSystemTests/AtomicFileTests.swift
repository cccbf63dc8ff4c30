import FileSystem
import Foundation
import SystemPackage
import Testing

@Suite struct AtomicFileTests {
    private func makeTemporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func listing(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    /// A reader polling while the file is replaced again and again must only ever see one
    /// complete version or the other: full size, one letter throughout.
    @Test(arguments: [AtomicFile.Durability.none, .file, .fileAndDirectory])
    func readersNeverSeeAHalfWrittenFile(durability: AtomicFile.Durability) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/big.json"
        let size = 1 << 18
        let versions = [[UInt8](repeating: UInt8(ascii: "a"), count: size),
                        [UInt8](repeating: UInt8(ascii: "b"), count: size)]
        try AtomicFile.write(versions[0], to: path, durability: durability)

        let reader = Task.detached { () -> Int in
            var torn = 0
            for _ in 0..<300 {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                if bytes.count != size || bytes.first != bytes.last { torn += 1 }
            }
            return torn
        }
        for round in 0..<30 {
            try AtomicFile.write(versions[round % 2], to: path, durability: durability)
        }
        #expect(try await reader.value == 0)
        #expect(try listing(directory) == ["big.json"])
    }

    @Test func aFailureNamesTheOperationThePathAndATypedErrno() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/taken", withIntermediateDirectories: true)
        let error = #expect(throws: FileSystemError.self) {
            try AtomicFile.write(Array("x".utf8), to: "\(directory)/taken", durability: .file)
        }
        #expect(error?.operation == "rename")
        #expect(error?.path == "\(directory)/taken")
        #expect(error?.errno == .isDirectory)
        #expect(error?.description == "rename \(directory)/taken: Is a directory")
        #expect(try listing(directory) == ["taken"])
    }
}
