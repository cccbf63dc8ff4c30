import Testing
@testable import Results

@Suite struct DistributionGroupTests {
    @Test(arguments: ["", "bookworm", "bookworm.", "book worm.amd64", "../../etc/passwd"])
    func unparsableSpecsGoToUnknown(spec: String) {
        #expect(DistributionGroup(distribution: spec) == .unknown)
        #expect(DistributionGroup(distribution: spec).name == "unknown")
    }

    @Test func groupsSortBySuiteSetsArchitectureWithUnknownLast() {
        let groups = ["trixie.amd64", "", "bookworm+required.amd64", "bookworm+essential.arm64", "bookworm+essential.amd64"]
            .map(DistributionGroup.init(distribution:))
        #expect(groups.sorted().map(\.name) == [
            "bookworm+essential.amd64", "bookworm+essential.arm64", "bookworm+required.amd64", "trixie.amd64", "unknown",
        ])
    }
}
