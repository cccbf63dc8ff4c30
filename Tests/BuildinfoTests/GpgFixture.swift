extension Fixture {
    /// Clearsigned with `gpg --clearsign --digest-algo SHA256` (GnuPG 2.2.40) by a throwaway
    /// ed25519 key made for this test: a line with trailing blanks, lines starting with `-` and a
    /// `From ` line, which GnuPG dash-escapes.
    static let gpgClearsignedLines: [String] = [
        "-----BEGIN PGP SIGNED MESSAGE-----",
        "Hash: SHA256",
        "",
        "Format: 1.0",
        "Source: hello",
        "Trailing: blanks   ",
        "- -dash line",
        "- - already dashed",
        "- --- triple",
        "- From the start",
        "",
        "-----BEGIN PGP SIGNATURE-----",
        "",
        "iHUEARYIAB0WIQRXurZZJhXNgkaICO7yomoGPMfJDQUCawIIyQAKCRDyomoGPMfJ",
        "DSsXAQCVeMmh5E5UaDHbrdR/E/zBuLhbIh2mCFw9FTsZp3PSXAEAnDNuyODCetxX",
        "2Sh0D6jlaqL5AZ19nR7WOA2BNTmnFwI=",
        "=WER+",
        "-----END PGP SIGNATURE-----",
    ]

    static var gpgClearsigned: [UInt8] { Array(text(gpgClearsignedLines).utf8) }

    /// The public key (`gpg --export`, binary, base64) that made `gpgClearsigned`.
    static let gpgPublicKeyBase64 = """
        mDMEawIIyRYJKwYBBAHaRw8BAQdAwSjr892W/64eXY7htrZwdyxh7ZZCNbiuPCCQcoJOYpG0K0J1aWxkaW5mbyBUZXN0IDxidWlsZGluZm8tdGVz\
        dEBleGFtcGxlLm9yZz6IkAQTFggAOBYhBFe6tlkmFc2CRogI7vKiagY8x8kNBQJrAgjJAhsDBQsJCAcCBhUKCQgLAgQWAgMBAh4BAheAAAoJEPKi\
        agY8x8kNJoQA/1QoKTbswFuqKA6Y61ZiAePWnX7ks5owkL7bsiC80MBsAP4+jSqv799nh4j6/jcsMTy6QT78Zn/cP5BdTpIPwqmNAA==
        """
}
