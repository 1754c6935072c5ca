import CInflate
import Foundation

/// Writes a zip archive (`.qdpx`) in one pass: each entry's local header and deflated bytes as it is added, the
/// central directory once at the end.
///
/// Written by hand rather than with ZIPFoundation 0.9.20, whose `addEntry` rewrites the central directory after
/// every entry: exporting 40,000 coded answers (40,002 entries) took 21.5 s, 14 s of it in the kernel; this writer
/// takes a fraction of a second for the same archive (BENCHMARKS.md). Entries are deflated with zlib; names are UTF-8
/// (flag bit 11); more than 65,535 entries get the ZIP64 end records that the reader and unzip understand.
struct ZipWriter {
    private struct Written {
        let name: [UInt8]
        let crc: UInt32
        let compressedSize: Int
        let size: Int
        let offset: Int
    }

    private var out = Data()
    private var written: [Written] = []

    /// Adds one entry, deflated.
    mutating func add(_ path: String, _ contents: Data) throws {
        let name = Array(path.utf8)
        let crc = contents.withUnsafeBytes { raw in
            UInt32(truncatingIfNeeded: CInflate.crc32(0, raw.bindMemory(to: Bytef.self).baseAddress, uInt(raw.count)))
        }
        let packed = try Self.deflated(contents)
        // An entry's sizes and offsets are 32-bit here: a project is text, far below 4 GB.
        guard out.count < Int(UInt32.max) - packed.count - 30 - name.count else {
            throw ZipReader.Problem.entry("the archive would pass 4 GB")
        }
        let entry = Written(name: name, crc: crc, compressedSize: packed.count, size: contents.count, offset: out.count)
        header(local: true, entry)
        out.append(contentsOf: packed)
        written.append(entry)
    }

    /// The archive: the entries, the central directory and the end records.
    mutating func finish() -> Data {
        let directoryOffset = out.count
        for entry in written { header(local: false, entry) }
        let directorySize = out.count - directoryOffset
        if written.count > 0xFFFF {
            // ZIP64 end of central directory record and its locator, before the classic record.
            let record = out.count
            u32(0x0606_4B50); u64(44); u16(45); u16(45); u32(0); u32(0)
            u64(UInt64(written.count)); u64(UInt64(written.count)); u64(UInt64(directorySize)); u64(UInt64(directoryOffset))
            u32(0x0706_4B50); u32(0); u64(UInt64(record)); u32(1)
        }
        let count = UInt16(min(written.count, 0xFFFF))
        u32(0x0605_4B50); u16(0); u16(0); u16(count); u16(count)
        u32(UInt32(directorySize)); u32(UInt32(directoryOffset)); u16(0)
        return out
    }

    private mutating func header(local: Bool, _ e: Written) {
        if local {
            u32(0x0403_4B50); u16(20)
        } else {
            // Made by Unix (3) with zip 2.0; needs 2.0.
            u32(0x0201_4B50); u16(0x0314); u16(20)
        }
        // Flag bit 11: the name is UTF-8. Method 8: deflate. Time and date: 1980-01-01 00:00, so the same export
        // gives the same bytes.
        u16(0x0800); u16(8); u16(0); u16(0x0021)
        u32(e.crc); u32(UInt32(e.compressedSize)); u32(UInt32(e.size)); u16(UInt16(e.name.count)); u16(0)
        if !local {
            // No comment, disk 0, no internal attributes, a regular file with mode 0644, the local header's offset.
            u16(0); u16(0); u16(0); u32(0o100644 << 16); u32(UInt32(e.offset))
        }
        out.append(contentsOf: e.name)
    }

    private static func deflated(_ contents: Data) throws -> Data {
        var stream = z_stream()
        guard cinflate_deflate_init_raw(&stream) == Z_OK else { throw ZipReader.Problem.entry("zlib could not start") }
        defer { deflateEnd(&stream) }
        var input = [UInt8](contents)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 16)
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw ZipReader.Problem.entry("zlib could not compress an entry (\(status))") }
        return Data(output[0..<Int(stream.total_out)])
    }

    private mutating func u16(_ v: UInt16) { out.append(UInt8(v & 0xFF)); out.append(UInt8(v >> 8)) }
    private mutating func u32(_ v: UInt32) { u16(UInt16(v & 0xFFFF)); u16(UInt16(v >> 16)) }
    private mutating func u64(_ v: UInt64) { u32(UInt32(v & 0xFFFF_FFFF)); u32(UInt32(v >> 32)) }
}
