// CRC32C: slicing-by-8 tables (portable, also the WebAssembly path) and the SSE4.2
// instruction (native x86-64, chosen at run time). See masked_crc.h.
#include "masked_crc.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && !defined(__EMSCRIPTEN__) && !defined(TBVIEW_CRC32C_PORTABLE_ONLY)
#define TBVIEW_CRC32C_SSE42 1
#include <nmmintrin.h>
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the slicing-by-8 CRC32C loads words little-endian; add a byte swap for this target"
#endif

namespace tbview {
namespace {

constexpr uint32_t kPoly = 0x82F63B78u;  // reflected Castagnoli polynomial

// kTables[0] is the classic byte-at-a-time table; kTables[k][b] is the CRC of byte
// b followed by k zero bytes, which lets eight bytes be folded in with eight
// independent lookups.
using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables MakeTables() {
  Tables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t c = b;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
    t[0][b] = c;
  }
  for (uint32_t b = 0; b < 256; ++b) {
    for (int k = 1; k < 8; ++k) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  }
  return t;
}

constexpr Tables kTables = MakeTables();

inline uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

#ifdef TBVIEW_CRC32C_SSE42
inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

__attribute__((target("sse4.2"))) uint32_t Sse42Raw(const uint8_t* p, size_t n, uint32_t c) {
  // No alignment prologue: records start at any offset, most buffers here are a
  // few dozen bytes, and up to 7 serial byte steps (3 cycles each) would cost more
  // than the occasional split cache-line load of an unaligned word.
  uint64_t c64 = c;
  while (n >= 8) {
    c64 = _mm_crc32_u64(c64, Load64(p));
    p += 8;
    n -= 8;
  }
  c = static_cast<uint32_t>(c64);
  if (n >= 4) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    c = _mm_crc32_u32(c, w);
    p += 4;
    n -= 4;
  }
  while (n > 0) {
    c = _mm_crc32_u8(c, *p++);
    --n;
  }
  return c;
}

// The whole standard CRC (init and final xor) in one target function, so the
// dispatch in Crc32c() is a flag test and a tail call.
__attribute__((target("sse4.2"))) uint32_t Sse42(const void* data, size_t n, uint32_t crc) {
  return ~Sse42Raw(static_cast<const uint8_t*>(data), n, ~crc);
}

bool DetectSse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}

// Set during static initialization. A call that comes earlier (from another
// translation unit's static initializer) sees false and takes the portable path,
// which gives the same result: no function-local-static guard on the hot path.
const bool g_have_sse42 = DetectSse42();
#endif

}  // namespace

uint32_t Crc32cPortable(const void* data, size_t n, uint32_t crc) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  uint32_t c = ~crc;
  // Two 32-bit halves rather than one 64-bit word: the same lookups, but wasm32
  // (the main user of this path) then needs no i64 shifts and wraps per index.
  while (n >= 8) {
    const uint32_t lo = Load32(p) ^ c;
    const uint32_t hi = Load32(p + 4);
    c = kTables[7][lo & 0xFF] ^ kTables[6][(lo >> 8) & 0xFF] ^ kTables[5][(lo >> 16) & 0xFF] ^
        kTables[4][lo >> 24] ^ kTables[3][hi & 0xFF] ^ kTables[2][(hi >> 8) & 0xFF] ^
        kTables[1][(hi >> 16) & 0xFF] ^ kTables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    c = (c >> 8) ^ kTables[0][(c ^ *p++) & 0xFF];
    --n;
  }
  return ~c;
}

bool Crc32cHardwareAvailable() {
#ifdef TBVIEW_CRC32C_SSE42
  return g_have_sse42;
#else
  return false;
#endif
}

uint32_t Crc32cHardware(const void* data, size_t n, uint32_t crc) {
#ifdef TBVIEW_CRC32C_SSE42
  return Sse42(data, n, crc);
#else
  return Crc32cPortable(data, n, crc);
#endif
}

uint32_t Crc32c(const void* data, size_t n, uint32_t crc) {
#ifdef TBVIEW_CRC32C_SSE42
  if (g_have_sse42) return Sse42(data, n, crc);
#endif
  return Crc32cPortable(data, n, crc);
}

uint32_t MaskedCrc32c(const void* data, size_t n) { return MaskCrc(Crc32c(data, n)); }

}  // namespace tbview
