// Hand-built archives for the seed corpus and the adversarial tests: tar headers
// (with any size claim, GNU base-256 beyond 8 GiB), zip (stored or deflated), gzip
// and raw deflate via zlib. Header-only; no test framework.
#pragma once
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace tbview {
namespace fuzz {

inline void PutOctal(char* field, size_t width, uint64_t v) {
  std::string s(width - 1, '0');
  for (size_t i = width - 1; i-- > 0 && v;) {
    s[i] = static_cast<char>('0' + (v & 7));
    v >>= 3;
  }
  std::memcpy(field, s.data(), width - 1);
  field[width - 1] = 0;
}

// One 512-byte ustar header claiming `size` bytes (whatever follows).
inline std::string TarHeader(const std::string& name, uint64_t size, char type = '0') {
  char h[512] = {};
  std::memcpy(h, name.data(), std::min<size_t>(name.size(), 100));
  PutOctal(h + 100, 8, 0644);
  PutOctal(h + 108, 8, 0);
  PutOctal(h + 116, 8, 0);
  if (size < (uint64_t{1} << 33)) {
    PutOctal(h + 124, 12, size);
  } else {  // GNU base-256
    h[124] = static_cast<char>(0x80);
    for (int i = 0; i < 8; ++i) h[135 - i] = static_cast<char>(size >> (8 * i));
  }
  PutOctal(h + 136, 12, 1500000000);
  h[156] = type;
  std::memcpy(h + 257, "ustar\0" "00", 8);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  PutOctal(h + 148, 7, sum);
  h[155] = ' ';
  return std::string(h, 512);
}

inline std::string Pad512(std::string s) {
  s.resize((s.size() + 511) / 512 * 512, '\0');
  return s;
}
inline std::string TarEntry(const std::string& name, const std::string& data, char type = '0') {
  return TarHeader(name, data.size(), type) + Pad512(data);
}
inline std::string TarEnd() { return std::string(1024, '\0'); }

// zlib deflate: window_bits 31 = gzip, -15 = raw deflate.
inline std::string Deflate(const std::string& in, int window_bits, int level = 6) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  if (deflateInit2(&zs, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}
inline std::string Gzip(const std::string& in) { return Deflate(in, 31); }
inline std::string RawDeflate(const std::string& in) { return Deflate(in, -15); }

inline void PutLe16(std::string* s, uint32_t v) {
  s->push_back(static_cast<char>(v));
  s->push_back(static_cast<char>(v >> 8));
}
inline void PutLe32(std::string* s, uint32_t v) {
  PutLe16(s, v & 0xffff);
  PutLe16(s, v >> 16);
}

struct ZipEntry {
  ZipEntry() = default;
  // {name, data} or {name, data, method}: the usual entry.
  ZipEntry(std::string n, std::string d, int m = 8) : name(std::move(n)), data(std::move(d)), method(m) {}
  std::string name;
  std::string data;        // uncompressed
  int method = 8;          // 0 stored, 8 deflate
  std::string body;        // when not empty: the compressed bytes as given (a bomb)
  uint32_t size_claim = 0;  // with `body`: the uncompressed size claimed
  uint32_t crc = 0;         // with `body`
};

inline std::string Zip(const std::vector<ZipEntry>& entries) {
  std::string z, central;
  for (const ZipEntry& e : entries) {
    const bool given = !e.body.empty();
    const uint32_t crc = given ? e.crc
                               : static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(e.data.data()),
                                                             static_cast<uInt>(e.data.size())));
    const std::string body = given ? e.body : e.method == 8 ? RawDeflate(e.data) : e.data;
    const uint32_t usize = given ? e.size_claim : static_cast<uint32_t>(e.data.size());
    const uint32_t offset = static_cast<uint32_t>(z.size());
    PutLe32(&z, 0x04034b50);
    PutLe16(&z, 20);
    PutLe16(&z, 0);
    PutLe16(&z, e.method);
    PutLe16(&z, 0);
    PutLe16(&z, 0);
    PutLe32(&z, crc);
    PutLe32(&z, static_cast<uint32_t>(body.size()));
    PutLe32(&z, usize);
    PutLe16(&z, static_cast<uint32_t>(e.name.size()));
    PutLe16(&z, 0);
    z += e.name;
    z += body;
    PutLe32(&central, 0x02014b50);
    central += std::string(24, '\0');
    PutLe16(&central, static_cast<uint32_t>(e.name.size()));
    central += std::string(12, '\0');
    PutLe32(&central, offset);
    central += e.name;
  }
  z += central;
  PutLe32(&z, 0x06054b50);
  z += std::string(18, '\0');
  return z;
}

}  // namespace fuzz
}  // namespace tbview
