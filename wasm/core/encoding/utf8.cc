#include "utf8.h"

#include <cstdint>

namespace tbview {

namespace {

// Reads the UTF-8 sequence starting at p[i] (p[i] >= 0x80) by the WHATWG
// decoder's rules (no overlong forms, no surrogates, nothing above U+10FFFF).
// Returns the bytes it spans: the whole sequence when *valid, else its maximal
// subpart (the lead byte and the continuation bytes that could still have
// belonged to it), which a decoder replaces by one U+FFFD.
size_t ReadSequence(const uint8_t* p, size_t i, size_t n, bool* valid) {
  const uint8_t b = p[i];
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
    *valid = false;
    return 1;
  }
  size_t j = i + 1;
  int k = 0;
  while (k < need && j < n && p[j] >= lo && p[j] <= hi) {
    ++j;
    ++k;
    lo = 0x80;
    hi = 0xBF;
  }
  *valid = k == need;
  return j - i;
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    bool valid;
    size_t len = ReadSequence(p, i, n, &valid);
    if (!valid) return i;
    i += len;
  }
  return n;
}

std::string ToValidUtf8(std::string_view s) {
  size_t bad = FirstInvalidUtf8(s);
  if (bad == s.size()) return std::string(s);
  static const char kReplacement[] = "\xEF\xBF\xBD";
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  std::string out(s.substr(0, bad));
  size_t i = bad;
  while (i < n) {
    if (p[i] < 0x80) {
      out.push_back(static_cast<char>(p[i]));
      ++i;
      continue;
    }
    bool valid;
    size_t len = ReadSequence(p, i, n, &valid);
    if (valid)
      out.append(s.data() + i, len);
    else
      out += kReplacement;
    i += len;
  }
  return out;
}

}  // namespace tbview
