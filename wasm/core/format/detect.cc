// Content sniffing for event files, archives and the usual impostors (detect.h).
#include "detect.h"

#include <cstring>
#include <string>
#include <string_view>

#include "masked_crc.h"

namespace tbview {
namespace {

bool StartsWith(const uint8_t* head, size_t n, std::string_view prefix) {
  return n >= prefix.size() && std::memcmp(head, prefix.data(), prefix.size()) == 0;
}

bool IsTar(const uint8_t* head, size_t n) { return n >= 262 && std::memcmp(head + 257, "ustar", 5) == 0; }

char Lower(uint8_t c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); }

// Whether `needle` (lower case) occurs in the first `n` bytes, ignoring case.
bool ContainsNoCase(const uint8_t* head, size_t n, std::string_view needle) {
  if (needle.size() > n) return false;
  for (size_t i = 0; i + needle.size() <= n; ++i) {
    size_t k = 0;
    while (k < needle.size() && Lower(head[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// Text: no NUL and almost no other control bytes; bytes >= 0x80 are allowed (UTF-8
// or a legacy encoding). `n` may cut a multi-byte character, which does not matter.
bool LooksLikeText(const uint8_t* head, size_t n) {
  if (n == 0) return false;
  size_t control = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t c = head[i];
    if (c == 0) return false;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) ++control;
    if (c == 0x7f) ++control;
  }
  return control * 100 <= n;  // at most 1%
}

}  // namespace

ContentKind SniffContent(const uint8_t* head, size_t n) {
  if (n >= 12) {
    uint32_t stored;
    std::memcpy(&stored, head + 8, 4);
    if (MaskedCrc32c(head, 8) == stored) return ContentKind::kEventFile;
  }
  if (StartsWith(head, n, "\x1f\x8b")) return ContentKind::kGzip;
  if (StartsWith(head, n, std::string_view("PK\x03\x04", 4)) ||
      StartsWith(head, n, std::string_view("PK\x05\x06", 4)))
    return ContentKind::kZip;
  if (IsTar(head, n)) return ContentKind::kTar;
  return ContentKind::kOther;
}

std::string DescribeNonEventBytes(const uint8_t* head, size_t n, uint64_t total_size) {
  if (total_size == 0) return "empty file (0 bytes)";
  if (n == 0) return "unknown binary data";
  if (StartsWith(head, n, "version https://git-lfs.github.com/spec/"))
    return "Git LFS pointer file (the real file was never downloaded: run git lfs pull)";
  if (StartsWith(head, n, "bplist00")) return "macOS iCloud placeholder (binary plist)";
  if (StartsWith(head, n, "\x1f\x8b")) return "gzip-compressed data";
  if (StartsWith(head, n, std::string_view("PK\x03\x04", 4)) ||
      StartsWith(head, n, std::string_view("PK\x05\x06", 4)))
    return "zip archive";
  if (IsTar(head, n)) return "tar archive";
  if (StartsWith(head, n, "\x89PNG\r\n\x1a\n")) return "PNG image";
  if (StartsWith(head, n, "\xff\xd8\xff")) return "JPEG image";
  if (StartsWith(head, n, "\x89HDF\r\n\x1a\n")) return "HDF5 file";
  if (StartsWith(head, n, "SQLite format 3")) return "SQLite database";

  // Text formats: skip a UTF-8 byte order mark and leading white space.
  size_t i = StartsWith(head, n, "\xef\xbb\xbf") ? 3 : 0;
  while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  const uint8_t* t = head + i;
  const size_t tn = n - i;
  if (StartsWith(t, tn, "<") && (ContainsNoCase(t, tn, "<!doctype html") || ContainsNoCase(t, tn, "<html")))
    return "HTML page";
  if (!LooksLikeText(head, n)) {
    // A record header alone is 12 bytes; a shorter binary file is most likely an
    // event file cut off (or still being written) before its first header.
    if (total_size < 12) return "too short for an event record (" + std::to_string(total_size) + " bytes)";
    return "unknown binary data";
  }
  if (tn > 0 && (t[0] == '{' || t[0] == '[')) return "JSON text";
  return "text file";
}

}  // namespace tbview
