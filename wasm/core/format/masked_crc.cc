// CRC32C: slicing-by-8 tables (portable, also the WebAssembly path) and the SSE4.2
// instruction (native x86-64, chosen at run time). See masked_crc.h.
#include "masked_crc.h"

#include <algorithm>
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

// Four records at a time: their four length CRCs (one instruction each) and
// four payload chains over the payloads' common length, then each tail.
__attribute__((target("sse4.2"))) void Sse42CheckRecords(const uint8_t* const* rec, const uint64_t* len,
                                                         size_t n, uint8_t* ok) {
  // Record r: length CRC state hc; payload (l bytes) CRC state pc after its first
  // `done` bytes. Finishes the payload CRC and compares both.
  auto finish = [](const uint8_t* r, uint64_t done, uint64_t l, uint32_t hc, uint32_t pc) -> uint8_t {
    const uint8_t* data = r + 12;
    const uint32_t pcrc = ~Sse42Raw(data + done, static_cast<size_t>(l - done), pc);
    return static_cast<uint8_t>((MaskCrc(~hc) == Load32(r + 8) ? 1 : 0) |
                                (MaskCrc(pcrc) == Load32(data + l) ? 2 : 0));
  };
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const uint8_t* r0 = rec[i];
    const uint8_t* r1 = rec[i + 1];
    const uint8_t* r2 = rec[i + 2];
    const uint8_t* r3 = rec[i + 3];
    const uint32_t h0 = static_cast<uint32_t>(_mm_crc32_u64(0xFFFFFFFFu, Load64(r0)));
    const uint32_t h1 = static_cast<uint32_t>(_mm_crc32_u64(0xFFFFFFFFu, Load64(r1)));
    const uint32_t h2 = static_cast<uint32_t>(_mm_crc32_u64(0xFFFFFFFFu, Load64(r2)));
    const uint32_t h3 = static_cast<uint32_t>(_mm_crc32_u64(0xFFFFFFFFu, Load64(r3)));
    const uint64_t m =
        std::min(std::min(len[i], len[i + 1]), std::min(len[i + 2], len[i + 3])) & ~uint64_t{7};
    uint64_t c0 = 0xFFFFFFFFu, c1 = 0xFFFFFFFFu, c2 = 0xFFFFFFFFu, c3 = 0xFFFFFFFFu;
    const uint8_t* d0 = r0 + 12;
    const uint8_t* d1 = r1 + 12;
    const uint8_t* d2 = r2 + 12;
    const uint8_t* d3 = r3 + 12;
    for (uint64_t k = 0; k < m; k += 8) {
      c0 = _mm_crc32_u64(c0, Load64(d0 + k));
      c1 = _mm_crc32_u64(c1, Load64(d1 + k));
      c2 = _mm_crc32_u64(c2, Load64(d2 + k));
      c3 = _mm_crc32_u64(c3, Load64(d3 + k));
    }
    ok[i] = finish(r0, m, len[i], h0, static_cast<uint32_t>(c0));
    ok[i + 1] = finish(r1, m, len[i + 1], h1, static_cast<uint32_t>(c1));
    ok[i + 2] = finish(r2, m, len[i + 2], h2, static_cast<uint32_t>(c2));
    ok[i + 3] = finish(r3, m, len[i + 3], h3, static_cast<uint32_t>(c3));
  }
  for (; i < n; ++i) {
    const uint32_t h = static_cast<uint32_t>(_mm_crc32_u64(0xFFFFFFFFu, Load64(rec[i])));
    ok[i] = finish(rec[i], 0, len[i], h, 0xFFFFFFFFu);
  }
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

namespace {

// One slicing-by-8 step: eight bytes at p folded into the running (inverted) CRC.
inline uint32_t PortableStep8(uint32_t c, const uint8_t* p) {
  const uint32_t lo = Load32(p) ^ c;
  const uint32_t hi = Load32(p + 4);
  return kTables[7][lo & 0xFF] ^ kTables[6][(lo >> 8) & 0xFF] ^ kTables[5][(lo >> 16) & 0xFF] ^
         kTables[4][lo >> 24] ^ kTables[3][hi & 0xFF] ^ kTables[2][(hi >> 8) & 0xFF] ^
         kTables[1][(hi >> 16) & 0xFF] ^ kTables[0][hi >> 24];
}

void PortableMany(const uint8_t* const* data, const size_t* n, size_t count, uint32_t* crcs) {
  size_t i = 0;
  // Two chains: each step is ten dependent-free loads, so two already keep the
  // load ports busy (more spills registers on wasm32).
  for (; i + 2 <= count; i += 2) {
    const uint8_t* p0 = data[i];
    const uint8_t* p1 = data[i + 1];
    const size_t m = std::min(n[i], n[i + 1]) & ~size_t{7};
    uint32_t c0 = 0xFFFFFFFFu, c1 = 0xFFFFFFFFu;
    for (size_t k = 0; k < m; k += 8) {
      c0 = PortableStep8(c0, p0 + k);
      c1 = PortableStep8(c1, p1 + k);
    }
    crcs[i] = Crc32cPortable(p0 + m, n[i] - m, ~c0);
    crcs[i + 1] = Crc32cPortable(p1 + m, n[i + 1] - m, ~c1);
  }
  for (; i < count; ++i) crcs[i] = Crc32cPortable(data[i], n[i], 0);
}

}  // namespace

void CheckRecordCrcs(const uint8_t* const* rec, const uint64_t* len, size_t n, uint8_t* ok) {
#ifdef TBVIEW_CRC32C_SSE42
  if (g_have_sse42) return Sse42CheckRecords(rec, len, n, ok);
#endif
  // Portable: payload CRCs two chains at a time (PortableMany), lengths one by one.
  constexpr size_t kBatch = 64;
  const uint8_t* data[kBatch];
  size_t sizes[kBatch];
  uint32_t crcs[kBatch];
  for (size_t start = 0; start < n; start += kBatch) {
    const size_t m = std::min(kBatch, n - start);
    for (size_t i = 0; i < m; ++i) {
      data[i] = rec[start + i] + 12;
      sizes[i] = static_cast<size_t>(len[start + i]);
    }
    PortableMany(data, sizes, m, crcs);
    for (size_t i = 0; i < m; ++i) {
      const uint8_t* r = rec[start + i];
      ok[start + i] = static_cast<uint8_t>((MaskCrc(Crc32cPortable(r, 8)) == Load32(r + 8) ? 1 : 0) |
                                           (MaskCrc(crcs[i]) == Load32(data[i] + sizes[i]) ? 2 : 0));
    }
  }
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
