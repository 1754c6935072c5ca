import CInflate
import Foundation

/// Reads the entries of a zip archive (`.qdpx`) from someone else, within budgets.
///
/// Written by hand rather than read through ZIPFoundation 0.9.20 (now only the tests' independent client): its Linux inflate
/// loop asks for more input after the file's end forever when a deflate stream does not finish (upstream
/// weichsel/ZIPFoundation#389, not in the version we have). The fuzz harness found it: a mutated `.qdpx` spun one core
/// at 100 % with no way to stop it. Here the compressed bytes of an entry are exactly its declared compressed size;
/// a stream that does not end within them, a CRC that does not match, or output beyond the budget is an error.
/// Stored and deflated entries are read (what REFI-QDA clients write); ZIP64 sizes and offsets are understood.
struct ZipReader {
    struct Entry {
        let path: String
        let method: UInt16
        let flags: UInt16
        let crc: UInt32
        let compressedSize: UInt64
        let uncompressedSize: UInt64
        let localHeaderOffset: UInt64
    }

    enum Problem: Error {
        /// Not a zip archive at all, or its directory is damaged.
        case notAZip(String)
        /// One entry cannot be read.
        case entry(String)
        /// One entry unpacks to more than the budget or its declared size.
        case tooLarge
    }

    let handle: FileHandle
    let fileSize: UInt64
    let entries: [Entry]

    /// The most entries a directory may list: far beyond any project (a source per answer), and a bound on the
    /// memory a forged count can claim.
    static let maxEntries = 2_000_000

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Problem.notAZip("cannot be opened") }
        self.handle = handle
        let size = (try? handle.seekToEnd()) ?? 0
        fileSize = size
        guard size >= 22 else { throw Problem.notAZip("too short for a zip archive") }
        // The end-of-central-directory record sits in the last 22 + 65,535 bytes (its comment may be that long).
        let tailLength = min(size, 22 + 65_535)
        let tail = try Self.read(handle, at: size - tailLength, count: Int(tailLength))
        guard let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { Self.u32(tail, $0) == 0x0605_4B50 }) else {
            throw Problem.notAZip("no end-of-central-directory record")
        }
        var count = UInt64(Self.u16(tail, eocd + 10))
        var directorySize = UInt64(Self.u32(tail, eocd + 12))
        var directoryOffset = UInt64(Self.u32(tail, eocd + 16))
        // ZIP64: the real values are in the ZIP64 end record, found through its locator just before.
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF, eocd >= 20, Self.u32(tail, eocd - 20) == 0x0706_4B50 {
            let recordOffset = Self.u64(tail, eocd - 20 + 8)
            // (A file shorter than the record itself once made `size - 56` wrap around: a 42-byte archive crashed.)
            guard size >= 56, recordOffset <= size - 56 else { throw Problem.notAZip("the ZIP64 end record lies outside the file") }
            let record = try Self.read(handle, at: recordOffset, count: 56)
            guard Self.u32(record, 0) == 0x0606_4B50 else { throw Problem.notAZip("no ZIP64 end record where its locator points") }
            count = Self.u64(record, 32)
            directorySize = Self.u64(record, 40)
            directoryOffset = Self.u64(record, 48)
        }
        guard count <= UInt64(Self.maxEntries), directoryOffset <= size, directorySize <= size - directoryOffset else {
            throw Problem.notAZip("the central directory lies outside the file")
        }
        let directory = try Self.read(handle, at: directoryOffset, count: Int(directorySize))
        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, Self.u32(directory, at) == 0x0201_4B50 else {
                throw Problem.notAZip("central directory entry \(entries.count + 1) is damaged")
            }
            let nameLength = Int(Self.u16(directory, at + 28)), extraLength = Int(Self.u16(directory, at + 30))
            let commentLength = Int(Self.u16(directory, at + 32))
            guard at + 46 + nameLength + extraLength + commentLength <= directory.count else {
                throw Problem.notAZip("central directory entry \(entries.count + 1) runs past the directory")
            }
            let flags = Self.u16(directory, at + 8)
            let nameBytes = directory[(at + 46)..<(at + 46 + nameLength)]
            // Bit 11: the name is UTF-8; otherwise CP437, of which ASCII names (all REFI-QDA names) are the same.
            let name = String(decoding: nameBytes, as: UTF8.self)
            var compressed = UInt64(Self.u32(directory, at + 20)), uncompressed = UInt64(Self.u32(directory, at + 24))
            var offset = UInt64(Self.u32(directory, at + 42))
            // A ZIP64 extra field holds, in this order, those of the three values that are 0xFFFFFFFF above.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = Self.u16(directory, extra), length = Int(Self.u16(directory, extra + 2))
                guard extra + 4 + length <= extraEnd else { break }
                if id == 0x0001 {
                    var field = extra + 4
                    let end = field + length
                    func next(_ value: inout UInt64) {
                        guard value == 0xFFFF_FFFF, field + 8 <= end else { return }
                        value = Self.u64(directory, field)
                        field += 8
                    }
                    next(&uncompressed)
                    next(&compressed)
                    next(&offset)
                }
                extra += 4 + length
            }
            entries.append(Entry(path: name, method: Self.u16(directory, at + 10), flags: flags, crc: Self.u32(directory, at + 16),
                                 compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: offset))
            at += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The entry's bytes, at most `budget` of them (and at most its declared size).
    func contents(of entry: Entry, budget: Int) throws -> Data {
        guard entry.flags & 1 == 0 else { throw Problem.entry("the entry is encrypted") }
        guard entry.uncompressedSize <= UInt64(budget) else { throw Problem.tooLarge }
        guard entry.localHeaderOffset <= fileSize, fileSize - entry.localHeaderOffset >= 30 else { throw Problem.entry("its header lies outside the file") }
        let header = try Self.read(handle, at: entry.localHeaderOffset, count: 30)
        guard Self.u32(header, 0) == 0x0403_4B50 else { throw Problem.entry("no local header where the directory points") }
        let dataOffset = entry.localHeaderOffset + 30 + UInt64(Self.u16(header, 26)) + UInt64(Self.u16(header, 28))
        guard dataOffset <= fileSize, entry.compressedSize <= fileSize - dataOffset else { throw Problem.entry("its data runs past the end of the file") }
        let limit = Int(entry.uncompressedSize)
        let out: Data
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw Problem.entry("a stored entry whose two sizes differ") }
            out = try Self.read(handle, at: dataOffset, count: limit)
        case 8:
            out = try inflate(at: dataOffset, compressedSize: entry.compressedSize, limit: limit)
        default:
            throw Problem.entry("compression method \(entry.method) is not supported (stored and deflate are)")
        }
        let crc = out.withUnsafeBytes { raw in
            CInflate.crc32(0, raw.bindMemory(to: Bytef.self).baseAddress, uInt(raw.count))
        }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc else { throw Problem.entry("its CRC-32 does not match its contents") }
        return out
    }

    /// Raw deflate from exactly `compressedSize` bytes, producing exactly `limit` bytes: the output has one byte of
    /// room more, so a stream that unpacks to more than declared is told from one that fits.
    private func inflate(at offset: UInt64, compressedSize: UInt64, limit: Int) throws -> Data {
        var stream = z_stream()
        guard cinflate_init_raw(&stream) == Z_OK else { throw Problem.entry("zlib could not start") }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: limit + 1)
        var produced = 0, consumed: UInt64 = 0, finished = false
        while !finished {
            guard consumed < compressedSize else { throw Problem.entry("its compressed data ends before the stream does") }
            var input = [UInt8](try Self.read(handle, at: offset + consumed, count: Int(min(UInt64(1 << 16), compressedSize - consumed))))
            consumed += UInt64(input.count)
            try input.withUnsafeMutableBufferPointer { inBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                repeat {
                    let status = out.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                        stream.next_out = outBuffer.baseAddress.map { $0 + produced }
                        stream.avail_out = uInt(outBuffer.count - produced)
                        let status = CInflate.inflate(&stream, Z_NO_FLUSH)
                        produced = outBuffer.count - Int(stream.avail_out)
                        return status
                    }
                    if produced > limit { throw Problem.tooLarge }
                    switch status {
                    case Z_STREAM_END: finished = true
                    case Z_OK, Z_BUF_ERROR where stream.avail_in == 0: break
                    default: throw Problem.entry("its compressed data is damaged (zlib \(status))")
                    }
                } while !finished && stream.avail_in > 0
            }
        }
        guard produced == limit else { throw Problem.entry("it unpacks to \(produced) bytes, not the \(limit) its directory says") }
        return Data(out[0..<limit])
    }

    static func read(_ handle: FileHandle, at offset: UInt64, count: Int) throws -> Data {
        guard count > 0 else { return Data() }
        do {
            try handle.seek(toOffset: offset)
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else { throw Problem.notAZip("the file ends early") }
            return data
        } catch let p as Problem {
            throw p
        } catch {
            throw Problem.notAZip("cannot be read: \(error.localizedDescription)")
        }
    }

    static func u16(_ d: Data, _ i: Int) -> UInt16 { UInt16(d[d.startIndex + i]) | UInt16(d[d.startIndex + i + 1]) << 8 }
    static func u32(_ d: Data, _ i: Int) -> UInt32 { UInt32(u16(d, i)) | UInt32(u16(d, i + 2)) << 16 }
    static func u64(_ d: Data, _ i: Int) -> UInt64 { UInt64(u32(d, i)) | UInt64(u32(d, i + 4)) << 32 }
}
