// Archives built by hand for tests, fuzz seeds and hostile inputs: ustar headers
// (any size claim, GNU base-256 beyond 8 GiB, a name prefix), zip (stored or
// deflated, with or without a data descriptor, a wrong CRC, or a given body with
// a false size claim), gzip and raw deflate through zlib. Plain C++ (no test
// framework), so the fuzz seed generator uses it too.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tbview {
namespace test {

// ---- tar ----

// One 512-byte ustar header claiming `size` bytes, whatever follows it. `type`
// is the typeflag ('0' file, '5' directory, 'L' GNU long name, 'x' pax, ...);
// `prefix` fills the ustar prefix field.
std::string TarHeader(const std::string& name, uint64_t size, char type = '0',
                      const std::string& prefix = "");

// `s` padded with zeros to a multiple of 512 bytes.
std::string Pad512(std::string s);

// A header and its data, padded.
std::string TarEntry(const std::string& name, const std::string& data, char type = '0',
                     const std::string& prefix = "");

// The end-of-archive marker: two zero blocks.
std::string TarEnd();

// ---- zlib ----

// zlib deflate of `in`: window_bits 31 makes gzip, -15 raw deflate. Aborts the
// program if zlib refuses (a broken build, not a test outcome).
std::string Deflate(const std::string& in, int window_bits, int level = 6);
std::string Gzip(const std::string& in);
std::string RawDeflate(const std::string& in);

// ---- zip ----

struct ZipEntry {
  ZipEntry() = default;
  // {name, data}, with optional method, descriptor and bad CRC: the usual entry
  // (a constructor, so brace lists need not name every field under -Werror).
  ZipEntry(std::string n, std::string d, int m = 8, bool desc = false, bool bad = false)
      : name(std::move(n)), data(std::move(d)), method(m), descriptor(desc), bad_crc(bad) {}
  std::string name;
  std::string data;         // uncompressed
  int method = 8;           // 0 stored, 8 deflate
  bool descriptor = false;  // sizes and CRC in a data descriptor after the data
  bool bad_crc = false;     // a CRC that does not match the data
  std::string body;         // when not empty: the compressed bytes as given (a bomb)
  uint32_t size_claim = 0;  // with `body`: the uncompressed size claimed
  uint32_t crc = 0;         // with `body`: the CRC claimed
};

// Local headers and data of every entry, a central directory, and its end record.
std::string Zip(const std::vector<ZipEntry>& entries);

}  // namespace test
}  // namespace tbview
