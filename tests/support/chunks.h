// Cutting bytes into pushes, the way tests feed the resumable readers: whole,
// one byte at a time, random sizes from a seed, or a fixed size. Every chunk is
// a fresh copy freed right after its push, so a reader that kept a pointer into
// a pushed buffer instead of copying what it needs reads freed memory (which the
// sanitizer builds catch) or wrong bytes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tbview {
namespace test {

enum class Chunking {
  kWhole,   // one push
  kBytes,   // one byte per push
  kRandom,  // sizes 1..max_random, from a seeded generator
};

// Random chunks are at most this long unless a test says otherwise.
constexpr size_t kMaxRandomChunk = 300;

// Calls push(data, size) over `bytes`, cut as `how` says; kRandom sizes come
// from `seed` and are at most `max_random`.
template <typename Push>
void ForEachChunk(const std::string& bytes, Chunking how, unsigned seed, size_t max_random, Push push) {
  std::mt19937 rng(seed);
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  for (size_t i = 0; i < bytes.size();) {
    size_t take = how == Chunking::kWhole   ? bytes.size()
                  : how == Chunking::kBytes ? 1
                                            : 1 + rng() % max_random;
    take = std::min(take, bytes.size() - i);
    std::vector<uint8_t> chunk(p + i, p + i + take);
    push(chunk.data(), chunk.size());
    i += take;
  }
}

// Calls push(data, size) over `bytes` in chunks of `chunk` bytes (the last may be shorter).
template <typename Push>
void ForEachChunk(const std::string& bytes, size_t chunk, Push push) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    const size_t take = std::min(chunk, bytes.size() - i);
    std::vector<uint8_t> copy(p + i, p + i + take);
    push(copy.data(), copy.size());
  }
}

}  // namespace test
}  // namespace tbview
