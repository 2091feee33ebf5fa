#include "support/load.h"

namespace tbview {
namespace test {

void PushAll(Logdir* d, int id, const std::string& bytes, Chunking how, unsigned seed) {
  ForEachChunk(bytes, how, seed, kMaxRandomChunk, [&](const uint8_t* p, size_t n) { d->Push(id, p, n); });
}

void PushAll(Logdir* d, int id, const std::string& bytes, size_t chunk) {
  ForEachChunk(bytes, chunk, [&](const uint8_t* p, size_t n) { d->Push(id, p, n); });
}

int Load(Logdir* d, const std::string& path, const std::string& bytes, Chunking how) {
  const int id = d->OpenFile(path);
  PushAll(d, id, bytes, how);
  d->EndOfData(id);
  return id;
}

int Load(Logdir* d, const std::string& path, const std::string& bytes, size_t chunk) {
  const int id = d->OpenFile(path);
  PushAll(d, id, bytes, chunk);
  d->EndOfData(id);
  return id;
}

}  // namespace test
}  // namespace tbview
