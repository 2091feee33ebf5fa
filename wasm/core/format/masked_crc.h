// CRC32C (Castagnoli) and the "masked" form TFRecord framing stores.
//
// Every record carries two CRCs (of its 8 length bytes and of its payload), so the
// CRC is on the hot path of reading: per small scalar record it runs over about 36
// bytes. Two implementations compute the same function:
// - a portable slicing-by-8 table version (the only one in WebAssembly, which has no
//   CRC instruction), and
// - natively on x86-64, the SSE4.2 `crc32` instruction, chosen at run time when
//   the CPU has it.
// Crc32c() dispatches to the fastest available; the explicit entry points exist so
// tests can check that both paths agree. (Define TBVIEW_CRC32C_PORTABLE_ONLY to build
// without the SSE4.2 path, e.g. to measure what WebAssembly will get.)
//
// Conventions: standard CRC32C with the initial and final xor (0xFFFFFFFF) applied
// inside, so `crc` is the plain CRC of everything before and chaining works:
// Crc32c(b, nb, Crc32c(a, na)) == Crc32c(a ++ b).
#pragma once
#include <cstddef>
#include <cstdint>

namespace tbview {

// CRC32C of `n` bytes at `data`, continuing from the CRC `crc` of earlier bytes
// (0 for a fresh start).
uint32_t Crc32c(const void* data, size_t n, uint32_t crc = 0);

// The portable slicing-by-8 version, always available.
uint32_t Crc32cPortable(const void* data, size_t n, uint32_t crc = 0);

// Whether the hardware path exists in this build and the CPU supports it.
bool Crc32cHardwareAvailable();

// The SSE4.2 version. Only call when Crc32cHardwareAvailable(); in builds without
// it (WebAssembly, non-x86) this is the portable version.
uint32_t Crc32cHardware(const void* data, size_t n, uint32_t crc = 0);

// The two CRC checks of `n` whole TFRecords: rec[i] is a record's 12-byte header
// (8-byte length, masked CRC of it), followed by len[i] payload bytes and their
// masked CRC. Sets ok[i] to 1 (length CRC matches) | 2 (payload CRC matches).
// Four records' eight CRC chains run interleaved; the framing of a chunk's small
// records calls it once per batch (dispatch once per call).
void CheckRecordCrcs(const uint8_t* const* rec, const uint64_t* len, size_t n, uint8_t* ok);

// TFRecord's mask: rotate right by 15 and add a constant, so that a CRC computed
// over bytes that themselves contain CRCs does not degenerate.
inline uint32_t MaskCrc(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u; }
inline uint32_t UnmaskCrc(uint32_t masked) {
  uint32_t rot = masked - 0xA282EAD8u;
  return (rot >> 17) | (rot << 15);
}

// MaskCrc(Crc32c(data, n)): what a TFRecord stores after the length and the payload.
uint32_t MaskedCrc32c(const void* data, size_t n);

}  // namespace tbview
