import Testing
@testable import Attestation

@Suite struct CanonicalJSONTests {
    /// The worked example of shared/in-toto-format.md §3, checked there against securesystemslib.
    @Test func matchesSecuresystemslibOnTheReferenceExample() {
        let value = CanonicalJSON.object([
            ("b", .string("\u{e9}\\\" /\t\n\u{1}\u{1F600}")),
            ("a", .array([.int(1), .int(-2), .bool(true), .bool(false), .null, .object([])])),
            ("B", .string("x")),
            ("\u{e9}", .int(1)),
            ("z", .int(1)),
        ])
        let expected: [UInt8] = Array(#"{"B":"x","a":[1,-2,true,false,null,{}],"b":""#.utf8)
            + [0xC3, 0xA9] + Array(#"\\\" "#.utf8) + [0x2F, 0x09, 0x0A, 0x01, 0xF0, 0x9F, 0x98, 0x80]
            + Array(#"","z":1,"#.utf8) + [0x22, 0xC3, 0xA9, 0x22] + Array(":1}".utf8)
        #expect(value.bytes == expected)
    }

    @Test func keysSortByUTF8BytesNotByCanonicalEquivalence() {
        // "é" precomposed (C3 A9) and decomposed (65 CC 81) are equal as Swift Strings but are
        // different keys to securesystemslib; both must stay, in byte order.
        let value = CanonicalJSON.object([("\u{e9}", .int(1)), ("e\u{301}", .int(2)), ("\u{10000}", .int(3)), ("\u{ffff}", .int(4))])
        #expect(value.bytes == Array("{\"e\u{301}\":2,\"\u{e9}\":1,\"\u{ffff}\":4,\"\u{10000}\":3}".utf8))
    }

    @Test func largeIntegersAreWrittenAsTheyAre() {
        #expect(CanonicalJSON.array([.integer("12345678901234567890"), .int(0)]).bytes == Array("[12345678901234567890,0]".utf8))
    }

    /// The 215 bytes `in-toto-run -x` signs for one product (shared/in-toto-format.md §3).
    @Test func aRebuildLinkHasTheClientsExactBytes() {
        let link = RebuildLink(products: [.init(name: "final-product_1.0-1_all.deb",
                                                sha256: "93033E6A8F139A8FCBB3DCC088D38077CEE6ECCF91416E3EA93735CD64629550")])
        let expected = #"{"_type":"link","byproducts":{},"command":[],"environment":{},"materials":{},"name":"rebuild","products":{"final-product_1.0-1_all.deb":{"sha256":"93033e6a8f139a8fcbb3dcc088d38077cee6eccf91416e3ea93735cd64629550"}}}"#
        #expect(link.signableBytes == Array(expected.utf8))
        #expect(link.signableBytes.count == 215)
    }

    @Test func productNamesAreAptsLocalFileNames() {
        #expect(RebuildLink.Product.aptFileName(package: "foo", version: "1:2.0-1", architecture: "amd64") == "foo_1%3a2.0-1_amd64.deb")
        #expect(RebuildLink.Product.aptFileName(package: "bash", version: "5.1-3+b1", architecture: "amd64") == "bash_5.1-3+b1_amd64.deb")
    }
}
