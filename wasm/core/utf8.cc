#include "utf8.h"

#include <cstdint>

namespace tbview {


// Index of the first byte of `s` that starts an invalid UTF-8 sequence, or
// s.size() when `s` is valid UTF-8 (by the WHATWG decoder's rules: no overlong
// forms, no surrogates, nothing above U+10FFFF).
size_t FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    uint8_t b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    int need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    size_t j = i + 1;
    for (int k = 0; k < need; ++k, ++j) {
      if (j >= n || p[j] < lo || p[j] > hi) return i;
      lo = 0x80;
      hi = 0xBF;
    }
    i = j;
  }
  return n;
}

// `s` with every invalid UTF-8 sequence replaced by U+FFFD, exactly as
// TextDecoder('utf-8') (fatal: false) decodes it: a lead byte followed by a
// valid prefix of continuation bytes becomes one U+FFFD and the offending byte is
// read again as the start of the next sequence.
std::string ToValidUtf8(std::string_view s) {
  size_t bad = FirstInvalidUtf8(s);
  if (bad == s.size()) return std::string(s);
  static const char kReplacement[] = "\xEF\xBF\xBD";
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  std::string out(s.substr(0, bad));
  size_t i = bad;
  while (i < n) {
    uint8_t b = p[i];
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    int need = 0;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      out += kReplacement;
      ++i;
      continue;
    }
    size_t j = i + 1;
    int k = 0;
    while (k < need && j < n && p[j] >= lo && p[j] <= hi) {
      ++j;
      ++k;
      lo = 0x80;
      hi = 0xBF;
    }
    if (k == need) out.append(s.data() + i, j - i);
    else out += kReplacement;
    i = j;
  }
  return out;
}

}  // namespace tbview
