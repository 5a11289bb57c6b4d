import Foundation

/// Zeroed memory from its own mapping, in 2 MB pages where the kernel allows (MADV_HUGEPAGE; Linux
/// puts mappings of 2 MB and more on 2 MB boundaries). For the buyer map, read at random places in
/// tens of MB: with 4 KB pages each of those cache misses is also a TLB miss, and in a virtual
/// machine the page walk behind a TLB miss is several more memory reads.
enum HugePages {
    static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, count * MemoryLayout<T>.stride)
        guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("out of memory: \(bytes) bytes")
        }
        _ = madvise(p, bytes, MADV_HUGEPAGE)
        return p.bindMemory(to: T.self, capacity: count)
    }

    static func free<T>(_ p: UnsafeMutablePointer<T>, count: Int) {
        munmap(p, max(1, count * MemoryLayout<T>.stride))
    }
}
