// TFRecord framing for tests that build files byte by byte: a whole record, or
// only a header claiming any length (for files that lie about their size).
// Framing itself is the writer's (AppendRecord in writer.h); these wrap it.
#pragma once

#include <cstdint>
#include <string>

namespace tbview {
namespace test {

// One record: length, masked CRC of the length, payload, masked CRC of the payload.
std::string Frame(const std::string& payload);

// The 12-byte header of a record claiming `length` bytes, with a valid length
// CRC, and nothing after it.
std::string RecordHeader(uint64_t length);

}  // namespace test
}  // namespace tbview
