// Small text formatting helpers for the command-line tool.
#pragma once
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace tbview::cli {

// The shortest decimal that parses back to exactly `v` (Python's repr style:
// "nan", "inf", "-inf" for non-finite values).
inline std::string ShortestDouble(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

// Like ShortestDouble, but a value that is exactly a float32 (most logged
// scalars) is written with float32 precision: 0.1f shows as "0.1", not
// "0.10000000149011612".
inline std::string ShortestValue(double v) {
  if (!std::isfinite(v) || static_cast<double>(static_cast<float>(v)) != v) return ShortestDouble(v);
  char buf[40];
  for (int p = 1; p <= 9; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    if (std::strtof(buf, nullptr) == static_cast<float>(v)) break;
  }
  return buf;
}

// Percent-encodes every byte outside [A-Za-z0-9._-], so a tag or run name is a
// safe, reversible single file-name component.
inline std::string FileNameComponent(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
        c == '-') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (out == "." || out == "..") out = "%2E" + out.substr(1);
  return out;
}

}  // namespace tbview::cli
