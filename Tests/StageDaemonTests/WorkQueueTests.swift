import Testing
@testable import StageDaemon

/// The queue of names a stage tries to claim: hints only, in the order they came, each once.
@Suite struct WorkQueueTests {
    private func name(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func namesComeOutInTheOrderOfferedAndOnceWhileQueued() {
        let queue = WorkQueue(drainOnly: true)
        queue.offer([name("a"), name("b"), name("a"), name("c")])
        #expect(queue.take() == name("a"))
        #expect(queue.take() == name("b"))
        queue.offer(name("b"))  // still being attempted: a rescan does not add it again
        #expect(queue.take() == name("c"))
        for done in ["a", "b", "c"] { queue.finished(name(done)) }
        #expect(queue.take() == nil)
        #expect(queue.isDrained)
    }

    @Test func aNameLookedAtLaterComesBackWhenDueNotBefore() {
        let queue = WorkQueue(drainOnly: false)
        queue.offer(name("later"))
        #expect(queue.take(now: { 100 }) == name("later"))
        queue.retryLater(name("later"), due: 105)
        queue.offer(name("now"))
        #expect(queue.take(now: { 101 }) == name("now"))
        queue.finished(name("now"))
        #expect(queue.take(now: { 105 }) == name("later"))
    }

    @Test func aBusyNameIsLookedAtAgainSoonThenLessOften() {
        // "probe" keeps take from blocking while "held" is not yet due.
        let queue = WorkQueue(drainOnly: false)
        queue.offer(name("held"))
        #expect(queue.take(now: { 0 }) == name("held"))
        queue.retryBusy(name("held"), now: 0, longest: 1)  // first retry: after 0.5 ms
        queue.offer(name("probe"))
        #expect(queue.take(now: { 0.0004 }) == name("probe"))
        queue.finished(name("probe"))
        queue.offer(name("probe"))
        #expect(queue.take(now: { 0.0005 }) == name("probe"))
        #expect(queue.take(now: { 0.0005 }) == name("held"))
        queue.finished(name("probe"))

        queue.retryBusy(name("held"), now: 1, longest: 1)  // second retry: four times later, 2 ms
        queue.offer(name("probe"))
        #expect(queue.take(now: { 1.0019 }) == name("probe"))
        queue.finished(name("probe"))
        queue.offer(name("probe"))
        #expect(queue.take(now: { 1.002 }) == name("probe"))
        #expect(queue.take(now: { 1.002 }) == name("held"))
    }

    @Test func stoppingEndsEveryTake() {
        let queue = WorkQueue(drainOnly: false)
        queue.stop()
        #expect(queue.take() == nil)
    }
}
