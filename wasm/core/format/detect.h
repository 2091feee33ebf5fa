// Detecting event files by content, and saying what other files are.
//
// Names are only a hint: real logs hold renamed event files (`tfevents.pb`), and
// files with event-file names that are nothing of the kind (Git LFS pointers,
// macOS iCloud placeholders, empty files). An event file is recognised by its first
// record's length CRC (12 bytes: a false positive has odds of 2^-32). Anything else
// gets a short description so the UI can say why a file shows no data, and
// archives are routed to the archive reader.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace tbview {

enum class ContentKind {
  kEventFile,  // the first 12 bytes are a TFRecord header with a valid length CRC
  kGzip,       // 1f 8b
  kZip,        // "PK\3\4" (local file header) or "PK\5\6" (empty archive)
  kTar,        // "ustar" at offset 257 (POSIX and GNU tar)
  kOther,      // anything else, including fewer than 12 bytes
};

// Classifies a file from its first bytes (`n` of them; 512 are enough for every
// kind). Fewer than 12 bytes is kOther: a growing file may not have its first
// header yet, so callers decide whether to wait.
ContentKind SniffContent(const uint8_t* head, size_t n);

// What bytes that are not an event file look like, for a message such as
// "not an event file: Git LFS pointer file (...)". `head` is the first `n` bytes
// (a few hundred suffice) of a file of `total_size` bytes. One of:
// "empty file (0 bytes)", "Git LFS pointer file (the real file was never downloaded:
// run git lfs pull)", "macOS iCloud placeholder (binary plist)", "gzip-compressed
// data", "zip archive", "tar archive", "PNG image", "JPEG image", "HDF5 file",
// "SQLite database", "HTML page", "JSON text", "text file", "too short for an
// event record (N bytes)" (binary, under 12 bytes), "unknown binary data".
std::string DescribeNonEventBytes(const uint8_t* head, size_t n, uint64_t total_size);

}  // namespace tbview
