import ArgumentParser
import RebuilderSettings
import Foundation
import Glibc
import LogKeeping
import RemoteShell
import StageDaemon

/// `rebuilder stage logkeeper`: the log keeper as a daemon, configured by [logkeeper]. It stops on
/// SIGTERM, SIGINT or SIGHUP after the streams in progress are finished and committed.
enum LogKeeperDaemon {
    static func run(_ configuration: RebuilderConfiguration, configPath: String) throws {
        guard let section = configuration.logKeeper else {
            printError("rebuilder: \(configPath): no [logkeeper] section: the log keeper has nothing to run with")
            throw ExitCode(78)
        }
        guard let signingKey = section.signingKey else {
            printError("rebuilder: \(configPath): [logkeeper] needs signing-key, the keeper's key for commits and receipts")
            throw ExitCode(78)
        }
        var senders: Set<uid_t> = []
        for sender in section.senders {
            if let uid = uid_t(sender) {
                senders.insert(uid)
            } else if let entry = getpwnam(sender) {
                senders.insert(entry.pointee.pw_uid)
            } else {
                printError("rebuilder: \(configPath): [logkeeper] senders: no user \(sender)")
                throw ExitCode(78)
            }
        }
        let push = section.push.map {
            LogRepository.PushTarget(url: $0, connection: SSHConnection(destination: String($0.prefix { $0 != ":" }), port: section.pushPort,
                                                                        identityFile: section.pushKey, knownHostsFile: section.pushKnownHosts))
        }
        let settings = LogKeeper.Settings(socket: section.socket, directory: section.directory, gnupgHome: section.gnupgHome,
                                          signingKey: signingKey, senders: senders, compressAboveBytes: section.compressAboveBytes, push: push)
        SignalWaiter.blockSignals()
        let keeper: LogKeeper
        do {
            keeper = try LogKeeper(settings: settings) { printError("logkeeper: \($0)") }
        } catch {
            printError("rebuilder: logkeeper: \(error)")
            throw ExitCode(78)
        }
        SignalWaiter.start { _ in keeper.stop() }
        let notifier = SystemdNotifier()
        do {
            try keeper.run { notifier.notify("READY=1") }
        } catch {
            printError("rebuilder: logkeeper: \(error)")
            throw ExitCode(70)
        }
        notifier.notify("STOPPING=1")
    }
}
