import Buildinfo
import Foundation
import Testing

@Suite("Real and dpkg-generated .buildinfo files")
struct RealFileTests {
    @Test("the buildd's clearsigned binNMU buildinfo for bash, every field")
    func bashFromBuildd() throws {
        let info = try Buildinfo.parse(Fixture.bash, path: "bash_5.1-3+b1_amd64.buildinfo")
        #expect(info.format == "1.0")
        #expect(info.source == "bash")
        #expect(info.sourceVersion == (try version("5.1-3")))
        #expect(info.sourceVersion.description == "5.1-3")
        #expect(info.version.description == "5.1-3+b1")
        #expect(info.version.binNMU == 1)
        #expect(info.sourceVersion.binNMU == nil)
        #expect(info.binaries == [
            "bash", "bash-builtins", "bash-builtins-dbgsym", "bash-dbgsym", "bash-static", "bash-static-dbgsym",
        ])
        #expect(info.architectures == ["amd64"])
        #expect(info.checksumsSha256.count == 6)
        #expect(info.checksumsSha256.first == ArtifactChecksum(
            digest: "a60c2689e817337090030d3353d5172249b9b99a271cc0ac787556433bd937b6", size: 125844,
            name: "bash-builtins-dbgsym_5.1-3+b1_amd64.deb"))
        #expect(info.checksumsSha256.last == ArtifactChecksum(
            digest: "2747161521b940a7f77589b09308b3c3248bb60845c7bd0819f778b28ec50c42", size: 1416600,
            name: "bash_5.1-3+b1_amd64.deb"))
        #expect(info.checksumsSha1.count == 6)
        #expect(info.checksumsSha1[4] == ArtifactChecksum(
            digest: "5c0dde6ec49b78f43fbd4a8d3f73885cd45f7498", size: 1107036, name: "bash-static_5.1-3+b1_amd64.deb"))
        #expect(info.checksumsMd5.count == 6)
        #expect(info.checksumsMd5[2] == ArtifactChecksum(
            digest: "6deb317df7289773ade0b0cec04f9ef5", size: 1425688, name: "bash-dbgsym_5.1-3+b1_amd64.deb"))
        #expect(info.checksumsSha256.map(\.name) == info.checksumsMd5.map(\.name))
        #expect(info.buildOrigin == "Debian")
        #expect(info.buildArchitecture == "amd64")
        #expect(info.buildDate == "Sun, 25 Jul 2021 18:48:36 +0000")
        #expect(info.buildPath == "/build/bash-VkwKZL/bash-5.1")
        #expect(info.installedBuildDepends.count == 165)
        #expect(info.installedBuildDepends.first == PackageVersion(name: "autoconf", version: try version("2.69-14")))
        #expect(info.installedBuildDepends[1].version.epoch == 1)
        #expect(info.installedBuildDepends[1].description == "automake (= 1:1.16.3-2)")
        #expect(info.installedBuildDepends.contains(PackageVersion(name: "libc6", version: try version("2.31-13"))))
        #expect(info.installedBuildDepends.contains(PackageVersion(name: "bison", version: try version("2:3.7.6+dfsg-1"))))
        #expect(info.installedBuildDepends.last == PackageVersion(name: "zlib1g", version: try version("1:1.2.11.dfsg-2")))
        #expect(info.installedBuildDepends.allSatisfy { $0.architecture == nil })
        #expect(info.environment == [
            EnvironmentVariable(name: "DEB_BUILD_OPTIONS", value: "parallel=4"),
            EnvironmentVariable(name: "LC_ALL", value: "C.UTF-8"),
            EnvironmentVariable(name: "SOURCE_DATE_EPOCH", value: "1627238600"),
        ])
        #expect(info.binaryOnlyChanges == """
            bash (5.1-3+b1) sid; urgency=low, binary-only=yes

              * Binary-only non-maintainer upload for amd64; no source changes.
              * Rebuild for outdated Built-Using

             -- all / amd64 / i386 Build Daemon (x86-conova-01) <buildd_amd64-x86-conova-01@buildd.debian.org>  Sun, 25 Jul 2021 18:43:20 +0000
            """)
        #expect(info.canonicalFileName == "bash_5.1-3+b1_amd64.buildinfo")

        let signature = try #require(info.signature)
        #expect(signature.hashHeader == "SHA512")
        #expect(signature.hashAlgorithms == ["SHA512"])
        #expect(signature.signedTextLine == 4)
        let file = String(decoding: Fixture.bash, as: UTF8.self)
        let textStart = try #require(file.range(of: "Hash: SHA512\n\n")).upperBound
        let signatureStart = try #require(file.range(of: "-----BEGIN PGP SIGNATURE-----"))
        // The line break before the armor belongs to the armor, not to the signed text.
        let textEnd = file.index(before: signatureStart.lowerBound)
        #expect(String(decoding: signature.signedText, as: UTF8.self) == String(file[textStart..<textEnd]))
        #expect(signature.signedText.last == 0x0A)  // the text ends with an empty line
        #expect(signature.armoredSignature == String(file[signatureStart.lowerBound...]))
        #expect(signature.armoredSignature.hasSuffix("=qzKk\n-----END PGP SIGNATURE-----\n"))
    }

    @Test("the unsigned fake buildinfo")
    func fakeUnsigned() throws {
        let info = try Buildinfo.parse(Fixture.fakeBash, path: "fake_bash_5.1-2+b3_amd64.buildinfo")
        #expect(info.signature == nil)
        #expect(info.source == "bash")
        #expect(info.sourceVersion.description == "5.1-2")
        #expect(info.version.description == "5.1-2+b3")
        #expect(info.version.binNMU == 3)
        #expect(info.binaries == ["bash", "bash-static"])
        #expect(info.checksumsSha256 == [
            ArtifactChecksum(digest: "da247816d01110c1071433c8eec813aa9c4a8424311d32bbd8cf38b60ef5f1a6", size: 16,
                             name: "bash-static_5.1-2+b3_amd64.deb"),
            ArtifactChecksum(digest: "b7feb754854a0188b703e200b4dcb502acffcc42d601948972944bb7e8ca05cf", size: 9,
                             name: "bash_5.1-2+b3_amd64.deb"),
        ])
        #expect(info.buildPath == "/build/bash-sQaLrK/bash-5.1")
        #expect(info.installedBuildDepends.count == 165)
        #expect(info.installedBuildDepends.contains(PackageVersion(name: "bash", version: try version("5.1-2+b2"))))
        #expect(info.environment.map(\.name) == ["DEB_BUILD_OPTIONS", "LANG", "LC_ALL", "SOURCE_DATE_EPOCH"])
        #expect(info.environment[3].value == "1628108759")
        // The file's own name has a "fake_" prefix; Debian's name for it does not.
        #expect(info.canonicalFileName == "bash_5.1-2+b3_amd64.buildinfo")
    }

    @Test("dpkg-genbuildinfo --build=binary: epoch, all+amd64, escaped quotes in Environment")
    func generatedBinary() throws {
        let info = try Buildinfo.parse(Fixture.generatedBinary, path: "g.buildinfo")
        #expect(info.source == "hello-rb")
        #expect(info.sourceVersion == (try version("2:1.0-3")))
        #expect(info.version.epoch == 2)
        #expect(info.version.description == "2:1.0-3+b2")
        #expect(info.version.withoutEpoch == "1.0-3+b2")
        #expect(info.version.binNMU == 2)
        #expect(info.binaries == ["hello-rb", "hello-rb-doc"])
        #expect(info.architectures == ["all", "amd64"])
        #expect(info.checksumsSha256.map(\.name) == ["hello-rb-doc_1.0-3+b2_all.deb", "hello-rb_1.0-3+b2_amd64.deb"])
        #expect(info.checksumsSha256.map(\.size) == [8, 6])
        #expect(info.installedBuildDepends.count == 119)
        #expect(info.installedBuildDepends.last == PackageVersion(name: "zlib1g", version: try version("1:1.2.13.dfsg-1")))
        #expect(info.environment.first { $0.name == "DEB_CFLAGS_SET" }?.value == #"-O2 -g "x""#)
        #expect(info.environment.first { $0.name == "DEB_CFLAGS_SET" }?.description == #"DEB_CFLAGS_SET="-O2 -g \"x\"""#)
        #expect(info.environment.first { $0.name == "DEB_BUILD_OPTIONS" }?.value == "parallel=2 nocheck")
        #expect(info.binaryOnlyChanges?.hasPrefix("hello-rb (2:1.0-3+b2) unstable; urgency=low, binary-only=yes\n\n  * ") == true)
        // dpkg-genbuildinfo named the same build, run without -O, hello-rb_1.0-3+b2_amd64.buildinfo.
        #expect(info.canonicalFileName == "hello-rb_1.0-3+b2_amd64.buildinfo")
    }

    @Test("dpkg-genbuildinfo --build=all names the file _all")
    func generatedAll() throws {
        let info = try Buildinfo.parse(Fixture.generatedAll, path: "g.buildinfo")
        #expect(info.architectures == ["all"])
        #expect(info.binaries == ["hello-rb-doc"])
        #expect(info.environment == [EnvironmentVariable(name: "LANG", value: "C.UTF-8")])
        #expect(info.canonicalFileName == "hello-rb_1.0-3+b2_all.buildinfo")
    }

    @Test("dpkg-genbuildinfo --build=source: no Binary field, named _source")
    func generatedSource() throws {
        let info = try Buildinfo.parse(Fixture.generatedSource, path: "g.buildinfo")
        #expect(info.architectures == ["source"])
        #expect(info.binaries == [])
        #expect(info.version.description == "1.0~rc1-1")
        #expect(info.sourceVersion == info.version)
        #expect(info.binaryOnlyChanges == nil)
        #expect(info.checksumsSha256.map(\.name) == ["hello-rb_1.0~rc1-1.dsc"])
        #expect(info.canonicalFileName == "hello-rb_1.0~rc1-1_source.buildinfo")
    }

    @Test("a source-and-binary build is named after the host architecture")
    func fileNameWithSource() throws {
        var info = try #require(parseBuildinfo(Fixture.minimal))
        info.architectures = ["all", "amd64", "source"]
        #expect(info.canonicalFileName == "hello-rb_1.0-3+b2_amd64.buildinfo")
        info.architectures = ["all", "source"]
        #expect(info.canonicalFileName == "hello-rb_1.0-3+b2_all.buildinfo")
    }

    @Test("the fixture files are present")
    func fixturesPresent() {
        for name in Fixture.fixtureNames {
            #expect(Fixture.fixture(name).count > 1000, "Fixtures/\(name)")
        }
    }

    @Test("the copies in Fixtures/ equal the files in shared/fixtures/debian",
          .enabled(if: FileManager.default.fileExists(atPath: Fixture.sharedDirectory.path)))
    func sharedCopies() {
        #expect(Fixture.read(Fixture.sharedDirectory.appendingPathComponent("bash_5.1-3+b1_amd64.buildinfo")) == Fixture.bash)
        #expect(Fixture.read(Fixture.sharedDirectory.appendingPathComponent("fake_bash_5.1-2+b3_amd64.buildinfo")) == Fixture.fakeBash)
    }

    @Test("the copies in Fixtures/ equal the seed corpus files")
    func corpusCopies() {
        let pairs: [(String, [UInt8])] = [
            ("bash_5.1-3+b1_amd64.buildinfo", Fixture.bash),
            ("fake_bash_5.1-2+b3_amd64.buildinfo", Fixture.fakeBash),
            ("generated-hello-rb_1.0-3+b2_amd64.buildinfo", Fixture.generatedBinary),
            ("generated-hello-rb_1.0-3+b2_all.buildinfo", Fixture.generatedAll),
            ("generated-hello-rb_1.0~rc1-1_source.buildinfo", Fixture.generatedSource),
        ]
        for (name, bytes) in pairs {
            #expect(Fixture.read(Fixture.corpusDirectory.appendingPathComponent(name)) == bytes, "\(name)")
        }
    }

    @Test("the minimal document parses to exactly this value")
    func minimal() throws {
        let info = try #require(parseBuildinfo(Fixture.minimal))
        let expected = Buildinfo(
            format: "1.0", source: "hello-rb", sourceVersion: try version("2:1.0-3"), version: try version("2:1.0-3+b2"),
            binaries: ["hello-rb", "hello-rb-doc"], architectures: ["all", "amd64"],
            checksumsSha256: [
                ArtifactChecksum(digest: "1b9421ee2e760e795857ae3e198dbc19995ce4a58b3fa33bb7478f85c8cc711c", size: 8,
                                 name: "hello-rb-doc_1.0-3+b2_all.deb"),
                ArtifactChecksum(digest: "2b494e3c184e9e7ca256a24a6119661413608e8a8b9369ee06a19ed83af28c7a", size: 6,
                                 name: "hello-rb_1.0-3+b2_amd64.deb"),
            ],
            checksumsSha1: [
                ArtifactChecksum(digest: "300374ec0120606f809ce1c73f0cf51e8da47e1e", size: 8, name: "hello-rb-doc_1.0-3+b2_all.deb"),
                ArtifactChecksum(digest: "faed2c3bb15bb6ea72079fc749ce2cb124f01676", size: 6, name: "hello-rb_1.0-3+b2_amd64.deb"),
            ],
            checksumsMd5: [
                ArtifactChecksum(digest: "d585045b5e07d3cd3bdf8858f9f6e508", size: 8, name: "hello-rb-doc_1.0-3+b2_all.deb"),
                ArtifactChecksum(digest: "e64cb6469a2622b028e0c3a9793e03b2", size: 6, name: "hello-rb_1.0-3+b2_amd64.deb"),
            ],
            buildOrigin: "Debian", buildArchitecture: "amd64", buildPath: "/build/hello-rb-1.0",
            buildDate: "Sat, 21 Nov 2026 21:06:05 +0000",
            installedBuildDepends: [
                PackageVersion(name: "gcc", version: try version("4:12.2.0-3")),
                PackageVersion(name: "libc6", architecture: "amd64", version: try version("2.36-9")),
            ],
            environment: [
                EnvironmentVariable(name: "LC_ALL", value: "C.UTF-8"),
                EnvironmentVariable(name: "X", value: #"a "b" c\"#),
            ])
        #expect(info == expected)
        #expect(info.installedBuildDepends[1].description == "libc6:amd64 (= 2.36-9)")
    }

    @Test("the parsed value is the same whether the file is signed or not")
    func signedAndUnsignedAgree() throws {
        let signed = try Buildinfo.parse(Fixture.bash, path: "s")
        let signature = try #require(signed.signature)
        var unsigned = try Buildinfo.parse(signature.signedText, path: "u")
        #expect(unsigned != signed)
        unsigned.signature = signature
        #expect(unsigned == signed)
    }
}
