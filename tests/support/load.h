// Feeding a Logdir the way the worker does: open a file, push its bytes in
// chunks (see chunks.h), end it. Used by every test that loads logs.
#pragma once

#include <string>

#include "logdir.h"
#include "support/chunks.h"

namespace tbview {
namespace test {

// Pushes `bytes` into the open file `id`, cut as `how` says.
void PushAll(Logdir* d, int id, const std::string& bytes, Chunking how = Chunking::kWhole, unsigned seed = 1);
// Pushes `bytes` into the open file `id` in chunks of `chunk` bytes.
void PushAll(Logdir* d, int id, const std::string& bytes, size_t chunk);

// Opens `path`, pushes all of `bytes`, ends it; returns the file's id.
int Load(Logdir* d, const std::string& path, const std::string& bytes, Chunking how = Chunking::kWhole);
// The same, in chunks of `chunk` bytes.
int Load(Logdir* d, const std::string& path, const std::string& bytes, size_t chunk);

}  // namespace test
}  // namespace tbview
