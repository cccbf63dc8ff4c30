import Testing
@testable import RebuilderSettings

@Suite struct DistributionSpecTests {
    @Test func parsesSuiteSetsAndArchitecture() throws {
        let spec = try #require(DistributionSpec(parsing: "unstable+essential+required+build-essential+build-essential-depends+full.amd64"))
        #expect(spec.suite == "unstable")
        #expect(spec.packageSets == ["essential", "required", "build-essential", "build-essential-depends", "full"])
        #expect(spec.architecture == "amd64")
        #expect(spec.raw == "unstable+essential+required+build-essential+build-essential-depends+full.amd64")
    }

    @Test func aSpecWithoutPackageSetsHasNone() throws {
        let spec = try #require(DistributionSpec(parsing: "bookworm.arm64"))
        #expect(spec.suite == "bookworm")
        #expect(spec.packageSets == [])
        #expect(spec.architecture == "arm64")
    }

    @Test func theQubesSuiteKeepsItsDots() throws {
        let spec = try #require(DistributionSpec(parsing: "qubes-4.1-vm-bullseye.amd64"))
        #expect(spec.suite == "qubes-4.1-vm-bullseye")
        #expect(spec.packageSets == [])
        #expect(spec.architecture == "amd64")
    }

    @Test(arguments: [
        "",                          // no distribution recorded
        "bookworm",                  // no architecture
        "bookworm.",                 // empty architecture
        ".amd64",                    // empty suite
        "bookworm++essential.amd64", // empty package set
        "bookworm+.amd64",           // trailing empty package set
        "bookworm.AMD64",            // not an architecture name
        "bookworm.amd64+essential",  // sets after the architecture
        "book worm.amd64",           // blank inside
        "bookworm.amd64\n",          // control character
        "../../etc/passwd",          // last dot leaves "/etc/passwd" as architecture
    ])
    func unparsableSpecsAreRefused(spec: String) {
        #expect(DistributionSpec(parsing: spec) == nil)
    }
}
