// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "PackageRebuilder",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rebuilder", targets: ["rebuilder"]),
        .executable(name: "rebuilder-bench", targets: ["rebuilder-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // libinotifytools from Debian's libinotifytools0-dev (no pkg-config file).
        .systemLibrary(name: "CInotifyTools", path: "Sources/CInotifyTools",
                       providers: [.apt(["libinotifytools0-dev"])]),

        // libcurl from Debian's libcurl4-openssl-dev (pkg-config libcurl): downloads from upstream.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // liblzma from Debian's liblzma-dev (pkg-config liblzma): a mirror's Sources.xz and Packages.xz.
        .systemLibrary(name: "CLzma", path: "Sources/CLzma", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
        // Linux calls glibc hides behind _GNU_SOURCE (renameat2, syncfs).
        .target(name: "CLinuxCalls"),
        // libgpgme from Debian's libgpgme-dev (pkg-config gpgme).
        .systemLibrary(name: "CGPGME", path: "Sources/CGPGME", pkgConfig: "gpgme", providers: [.apt(["libgpgme-dev"])]),
        // OpenPGP through libgpgme: verifying signed buildinfo files, and signing attestations (the packet built
        // here, hashed with swift-crypto, the private-key operation done by gpg-agent).
        .target(name: "OpenPGP", dependencies: ["CGPGME", "Hexadecimal", .product(name: "Crypto", package: "swift-crypto")]),
        // Lowercase hex of digests and fingerprints, and hex read back: the one hex codec.
        .target(name: "Hexadecimal"),
        // The on-disk state machine: directories, names, delivery, claims, transitions, recovery.
        // Knows nothing of Debian or of what a stage does.
        .target(name: "Spool", dependencies: [
            "CLinuxCalls", "UntrustedText", "FileSystem", "Hexadecimal",
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Wakes a stage when its inbox changes: inotify plus rescans.
        .target(name: "Watching", dependencies: ["CInotifyTools"]),
        // rebuilder.conf: INI with the original PackageRebuilder's sections, plus [spool] and [stage.*].
        .target(name: "RebuilderSettings", dependencies: ["Spool"]),
        // Replacing files whole (the one atomic writer) and system-call errors with a typed errno.
        .target(name: "FileSystem", dependencies: [
            "Hexadecimal", .product(name: "SystemPackage", package: "swift-system"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Child processes: the one spawner (fd 3, process groups, deadlines), over CLinuxCalls.
        .target(name: "Processes", dependencies: ["CLinuxCalls"]),
        // Untrusted text made safe for messages: the one escaping the project has.
        .target(name: "UntrustedText"),
        // deb822 and .buildinfo files, Debian version order. Knows nothing of the spool.
        .target(name: "Buildinfo", dependencies: ["UntrustedText"]),
        // ssh and rsync command lines for other hosts (build hosts, upload hosts).
        .target(name: "RemoteShell"),
        // Getting bytes from upstream: HTTP(S) with limits (libcurl), xz, rsync listings. Knows nothing of Debian.
        .target(name: "Fetching", dependencies: ["CCurl", "CLzma", "Processes"]),
        // What upstream repositories offer: Debian's buildinfo pool listings, package sets and
        // archive indexes, Qubes OS repository listings; choosing the builds to rebuild.
        .target(name: "Upstream", dependencies: ["Buildinfo", "RebuilderSettings", "UntrustedText"]),
        // snapshot.debian.org's machine-readable API: the exact files of a package version, by hash.
        .target(name: "Snapshot", dependencies: ["Fetching", "Processes", "Hexadecimal", .product(name: "Crypto", package: "swift-crypto")]),
        // The host's content-addressed cache of package files and prepared environments.
        .target(name: "PackageCache", dependencies: ["FileSystem", "Hexadecimal", .product(name: "Crypto", package: "swift-crypto")]),
        // A build cut off from the host: user, mount, network and PID namespaces, a tmpfs, limits.
        .target(name: "Sandbox", dependencies: ["Processes"]),
        // Rebuilding a buildinfo with a backend and judging the result artifact by artifact.
        .target(name: "Rebuild", dependencies: [
            "Buildinfo", "RemoteShell", "CLinuxCalls", "Spool", "Snapshot", "PackageCache", "Sandbox", "Processes", "Hexadecimal", "FileSystem",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // in-toto metadata: canonical JSON, links and layouts, securesystemslib's GPG signature
        // format, and checking signatures with the key material a layout holds.
        .target(name: "Attestation", dependencies: [
            "OpenPGP", "Hexadecimal", "FileSystem",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // The published tree: where a project's links, logs and pages go, written atomically.
        .target(name: "Publishing", dependencies: ["Spool", "FileSystem"]),
        // Results pages: JSON export, HTML with SVG charts, Prometheus textfile, from task rows.
        .target(name: "Results", dependencies: ["RebuilderSettings", "Spool", "FileSystem"]),
        // The log keeper: build output streamed over a Unix socket, committed to git as signed
        // commits, acknowledged with signed receipts; and the check the attest stage makes of them.
        .target(name: "LogKeeping", dependencies: [
            "Spool", "FileSystem", "Processes", "OpenPGP", "RemoteShell", "Hexadecimal", "CLinuxCalls",
        ]),
        // Webhooks from GitHub and GitLab over HTTP (Hummingbird): authenticated, then turned into
        // get requests and clearsigned blocks for the commands stage, and nothing else.
        .target(name: "Webhooks", dependencies: [
            "FileSystem", "Hexadecimal", "UntrustedText",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // PGP-signed commands (Rebuild, Retry, Hold, Release): checked, verified against their own
        // keyring, authorised per signer, refused when replayed, then carried out on the spool.
        .target(name: "SignedCommands", dependencies: [
            "Spool", "FileSystem", "OpenPGP", "Buildinfo", "Rebuild", "RebuilderSettings", "Watching", "Hexadecimal", "StageDaemon", "Attestation",
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
        ]),
        // One stage daemon: claims tasks from its inbox, runs its job, hands tasks on.
        .target(name: "StageDaemon", dependencies: [
            "Spool", "Watching", "RebuilderSettings", "Processes",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The build stage's work: parse the task's buildinfo, run a backend, judge, record.
        .target(name: "BuildStage", dependencies: ["StageDaemon", "Rebuild", "Sandbox", "Buildinfo", "Spool", "OpenPGP", "RebuilderSettings", "LogKeeping"]),
        // The attest stage: signs rebuild links for a task's artifacts and merges them per source.
        .target(name: "AttestStage", dependencies: ["StageDaemon", "Spool", "Rebuild", "Buildinfo", "OpenPGP", "Attestation", "Publishing", "RebuilderSettings", "LogKeeping"]),
        // The report stage: publishes a task's log, buildinfo and diffoscope output; regenerates results.
        .target(name: "ReportStage", dependencies: ["StageDaemon", "Spool", "Rebuild", "Publishing", "Results", "RebuilderSettings", "Upstream"]),
        // The get stage: follows upstream repositories and delivers each new build into the spool once.
        .target(name: "GetStage", dependencies: ["Spool", "Fetching", "Upstream", "RebuilderSettings", "Buildinfo", "Publishing"]),
        // Notifications of finished tasks (uploaded/, failed/): a JSON summary POSTed to URLs or
        // given to a command, retried and given up per receiver, recorded in records/<ID>/notify/.
        .target(name: "Notifications", dependencies: [
            "Spool", "Watching", "StageDaemon", "Fetching", "Processes", "Rebuild", "Publishing", "RebuilderSettings", "UntrustedText",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The upload stage: rsync of a project's published tree to its remote host.
        .target(name: "UploadStage", dependencies: ["StageDaemon", "Spool", "Publishing", "RemoteShell", "RebuilderSettings"]),
        .executableTarget(name: "rebuilder", dependencies: [
            "Spool", "RebuilderSettings", "StageDaemon", "BuildStage", "Rebuild", "Buildinfo", "OpenPGP",
            "Attestation", "Publishing", "AttestStage", "ReportStage", "UploadStage", "GetStage", "Fetching",
            "Snapshot", "PackageCache", "Sandbox", "LogKeeping", "Webhooks", "SignedCommands", "Notifications",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "rebuilder-bench", dependencies: [
            "Spool", "Rebuild", "LogKeeping", "FileSystem", "Hexadecimal", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // What several test targets share (a seeded random generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SpoolTests", dependencies: ["Spool"]),
        .testTarget(name: "BuildinfoTests", dependencies: ["Buildinfo", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "OpenPGPTests", dependencies: ["OpenPGP"]),
        .testTarget(name: "RebuildTests", dependencies: ["Rebuild", "Buildinfo", "Snapshot", "PackageCache", "Sandbox", "FileSystem"], exclude: []),
        .testTarget(name: "AttestationTests", dependencies: ["Attestation", "OpenPGP", "Hexadecimal", "TestSupport"]),
        .testTarget(name: "ResultsTests", dependencies: ["Results"]),
        .testTarget(name: "LogKeepingTests", dependencies: ["LogKeeping", "Spool"]),
        .testTarget(name: "WebhooksTests", dependencies: ["Webhooks", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "SignedCommandsTests", dependencies: ["SignedCommands", "OpenPGP", "RebuilderSettings", "Spool"]),
        .testTarget(name: "NotificationsTests", dependencies: [
            "Notifications", "Spool", "Rebuild", "Publishing",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "Processes"], exclude: ["Fixtures"]),
        .testTarget(name: "UpstreamTests", dependencies: ["Upstream", "Buildinfo", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RebuilderSettingsTests", dependencies: ["RebuilderSettings"]),
        .testTarget(name: "WatchingTests", dependencies: ["Watching"]),
        .testTarget(name: "StageDaemonTests", dependencies: ["StageDaemon", "Spool"]),
        .testTarget(name: "FileSystemTests", dependencies: ["FileSystem", .product(name: "SystemPackage", package: "swift-system")]),
        // `rebuilder` is not imported: the tests run the executable, which must be built first.
        .testTarget(name: "PipelineTests", dependencies: [
            "Spool", "Rebuild", "rebuilder", "Attestation", "Buildinfo", "LogKeeping", "OpenPGP", "FileSystem", "Notifications",
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["Fixtures"]),
    ]
)
