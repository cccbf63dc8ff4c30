/// A min-heap of names by the time they are due again.
struct DeadlineHeap {
    private var items: [(due: Double, name: [UInt8])] = []

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }
    var earliest: Double? { items.first?.due }

    mutating func insert(_ name: [UInt8], due: Double) {
        items.append((due, name))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].due < items[parent].due else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest item if it is due at `now`.
    mutating func popDue(now: Double) -> [UInt8]? {
        guard let first = items.first, first.due <= now else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count && items[left].due < items[smallest].due { smallest = left }
                if right < items.count && items[right].due < items[smallest].due { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first.name
    }
}
