import Foundation

/// Maps byte strings to small integers 0, 1, 2, ... in order of first appearance, storing each distinct key
/// once: the reason the CSV reader handles millions of rows in any order quickly and in little memory.
///
///     var interner = ByteInterner()
///     interner.index(of: Array("alice".utf8)[...])   // (0, inserted: true)
///     interner.index(of: Array("bob".utf8)[...])     // (1, inserted: true)
///     interner.index(of: Array("alice".utf8)[...])   // (0, inserted: false)
///     interner.keys                                   // [Array("alice".utf8), Array("bob".utf8)]
///
/// Layout, chosen so a lookup in a table of a million keys costs about two cache misses whatever the order of
/// the input: an open-addressing table of 64-bit slots (the key's hash in the high half, where its entry
/// starts in the arena in the low half, 0 = empty) probed linearly at most half full, and one arena of bytes
/// holding each key once as `[index: 4 bytes][length: 4 bytes][bytes]`. A slot whose hash half differs is
/// skipped without touching the arena. The hash reads eight bytes at a time and ends with a full avalanche
/// (MurmurHash3's 64-bit finaliser), so sequential ids such as `i1`, `i2`, ... spread evenly.
///
/// - Complexity: O(key length) expected per lookup; memory about 8 bytes per key plus the key, plus 16 to 32
///   bytes of table per key.
struct ByteInterner {
    private var arena: [UInt8] = []
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0
    /// A sum of bytes read ahead by ``indices(of:starts:lengths:into:)``: stored so that those loads are kept.
    private var touched: UInt8 = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = ByteInterner.table(size)
        mask = size - 1
    }

    /// The keys in index order (copies; meant for the end of a read).
    var keys: [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(count)
        forEachKey { result.append(Array($0)) }
        return result
    }

    /// Calls `body` with each key's bytes, in index order, without copying them.
    func forEachKey(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try arena.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let length = Int(UnsafeRawPointer(base + offset + 4).loadUnaligned(as: UInt32.self))
                try body(UnsafeBufferPointer(start: base + offset + 8, count: length))
                offset += 8 + length
            }
        }
    }

    /// The index of `bytes`, adding it when new.
    mutating func index(of bytes: ArraySlice<UInt8>) -> (index: Int32, inserted: Bool) {
        bytes.withUnsafeBufferPointer { index(of: $0) }
    }

    /// The index of `bytes`, adding it when new.
    mutating func index(of bytes: UnsafeBufferPointer<UInt8>) -> (index: Int32, inserted: Bool) {
        index(of: bytes, hash: ByteInterner.hash(bytes))
    }

    /// The indices of many keys at once (`starts[i]..<starts[i] + lengths[i]` in `base`), written to `indices`,
    /// adding new ones in order: the same result as calling ``index(of:)`` on each in turn, but faster when the
    /// table is larger than the processor's caches. Each pass over the batch touches one kind of memory for all
    /// keys (slots, then their arena entries) with loads that do not depend on each other, so the processor
    /// waits for many cache misses at once instead of one after another; the final pass then finds everything
    /// in cache.
    mutating func indices(
        of base: UnsafePointer<UInt8>, starts: UnsafeBufferPointer<Int>, lengths: UnsafeBufferPointer<Int>,
        into indices: UnsafeMutableBufferPointer<Int32>
    ) {
        let n = starts.count
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n * 2) { scratch in
            // Pass 1: hashes (no memory traffic beyond the keys, which were just parsed).
            for i in 0..<n { scratch[i] = ByteInterner.hash(UnsafeBufferPointer(start: base + starts[i], count: lengths[i])) }
            // Pass 2: each key's first slot.
            slots.withUnsafeBufferPointer { table in
                for i in 0..<n { scratch[n + i] = table[Int(truncatingIfNeeded: scratch[i]) & mask] }
            }
            // Pass 3: the arena entry of the first slot along the key's probe whose hash half matches (the slots
            // after the first are mostly in the cache line pass 2 loaded). Touching only the first slot's entry
            // left every key stored past its first slot (about a third at half load) to miss in pass 4: the
            // part of the lookups that grew faster than the input once the table outgrew the caches.
            slots.withUnsafeBufferPointer { table in
                arena.withUnsafeBufferPointer { arena in
                    var sink: UInt8 = 0
                    for i in 0..<n {
                        let tag = scratch[i] & 0xFFFF_FFFF_0000_0000
                        var slot = Int(truncatingIfNeeded: scratch[i]) & mask
                        var entry = scratch[n + i]
                        while entry != 0 {
                            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                                sink &+= arena[Int(entry & 0xFFFF_FFFF) - 1]
                                break
                            }
                            slot = (slot + 1) & mask
                            entry = table[slot]
                        }
                    }
                    touched &+= sink
                }
            }
            // Pass 4: the lookups proper, in order.
            for i in 0..<n {
                indices[i] = index(of: UnsafeBufferPointer(start: base + starts[i], count: lengths[i]), hash: scratch[i]).index
            }
        }
    }

    private mutating func index(of bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (index: Int32, inserted: Bool) {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { table in
            arena.withUnsafeBufferPointer { arena in
                while true {
                    let entry = table[slot]
                    if entry == 0 { return nil }
                    if entry & 0xFFFF_FFFF_0000_0000 == tag {
                        let start = Int(entry & 0xFFFF_FFFF) - 1
                        let raw = UnsafeRawPointer(arena.baseAddress! + start)
                        let length = Int(raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                        if length == bytes.count,
                            ByteInterner.equal(raw + 8, UnsafeRawPointer(bytes.baseAddress!), length)
                        {
                            return Int32(bitPattern: raw.loadUnaligned(as: UInt32.self))
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        if let found { return (found, false) }
        let index = Int32(count)
        let start = arena.count
        precondition(start + 8 + bytes.count < Int(UInt32.max), "ByteInterner: more than 4 GB of distinct keys")
        withUnsafeBytes(of: UInt32(index).littleEndian) { arena.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: bytes)
        slots[slot] = tag | UInt64(start + 1)
        count += 1
        if count * 2 > slots.count { grow() }
        return (index, true)
    }

    private mutating func grow() {
        let size = slots.count * 2
        var table = ByteInterner.table(size)
        let newMask = size - 1
        arena.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let length = Int(UnsafeRawPointer(base + offset + 4).loadUnaligned(as: UInt32.self))
                let hash = ByteInterner.hash(UnsafeBufferPointer(start: base + offset + 8, count: length))
                var slot = Int(truncatingIfNeeded: hash) & newMask
                while table[slot] != 0 { slot = (slot + 1) & newMask }
                table[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(offset + 1)
                offset += 8 + length
            }
        }
        slots = table
        mask = newMask
    }

    /// An empty slot table.
    static func table(_ size: Int) -> [UInt64] { [UInt64](repeating: 0, count: size) }

    /// Whether `count` bytes at `a` and `b` are equal: eight at a time, inline (keys are short, and a call to
    /// `memcmp` costs more than the comparison).
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < count {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// A 64-bit hash of `bytes`: eight bytes at a time, then MurmurHash3's finaliser.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return mix(h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h = (h << 31) | (h >> 33)
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        return mix(h)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
