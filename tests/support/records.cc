#include "support/records.h"

#include <cstring>

#include "masked_crc.h"
#include "writer.h"

namespace tbview {
namespace test {

std::string Frame(const std::string& payload) {
  std::string out;
  AppendRecord(&out, payload);
  return out;
}

std::string RecordHeader(uint64_t length) {
  std::string h(12, '\0');
  std::memcpy(&h[0], &length, 8);  // little-endian, as the format and our targets are
  const uint32_t crc = MaskedCrc32c(h.data(), 8);
  std::memcpy(&h[8], &crc, 4);
  return h;
}

}  // namespace test
}  // namespace tbview
