// swift-tools-version:6.0
// A separate package so that the libFuzzer entry point never reaches a normal build of the main
// package. `Sources/Buildinfo` is a symlink to the main package's `Sources/Buildinfo` (a target's
// `path:` cannot leave the package root). See README.md.
import PackageDescription

let package = Package(
    name: "BuildinfoFuzz",
    products: [
        .executable(name: "buildinfo-fuzz", targets: ["buildinfo-fuzz"]),
    ],
    targets: [
        .target(name: "Buildinfo"),
        .executableTarget(name: "buildinfo-fuzz", dependencies: ["Buildinfo"]),
    ]
)
