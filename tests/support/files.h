// Reading test inputs from disk: a whole file, its first bytes, or its chunks
// one buffer at a time (so a benchmark's own memory does not grow with the file).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace tbview {
namespace test {

// The bytes of `path`; false (and `out` untouched) when it cannot be opened.
bool ReadFile(const std::string& path, std::string* out);

// The bytes of `path`, or "" when it cannot be opened.
std::string ReadFile(const std::string& path);

// The first `n` bytes of `path` (fewer when the file is shorter).
std::string ReadHead(const std::string& path, size_t n);

// Calls fn(data, size) for each successive chunk of at most `chunk` bytes of
// `path`, reusing one buffer. Returns the bytes read, or -1 when it cannot be
// opened (errno says why).
template <typename Fn>
int64_t ForEachFileChunk(const std::string& path, size_t chunk, Fn fn) {
  FILE* in = std::fopen(path.c_str(), "rb");
  if (!in) return -1;
  std::vector<uint8_t> buf(chunk);
  int64_t total = 0;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), in)) > 0) {
    fn(buf.data(), n);
    total += static_cast<int64_t>(n);
  }
  std::fclose(in);
  return total;
}

}  // namespace test
}  // namespace tbview
