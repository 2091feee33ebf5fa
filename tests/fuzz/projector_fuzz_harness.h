// The projector parsers' fuzz harness: projector_config.pbtxt, tensors.tsv (the
// same matrix or the same error whatever the chunking), metadata.tsv, and the
// checkpoint .index table with a shard. Shared by the libFuzzer entry point
// (projector_fuzz.cc) and any regression test replaying a finding. Small limits
// keep one execution fast and make the limit paths reachable.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_harness.h"
#include "projector_checkpoint.h"
#include "projector_config.h"
#include "projector_tsv.h"

namespace tbview {
namespace fuzz {

inline projector::ProjectorLimits SmallProjectorLimits(uint8_t config) {
  projector::ProjectorLimits limits;
  limits.max_matrix_floats = 1u << (8 + (config & 7));
  limits.max_columns = 1u << (2 + ((config >> 3) & 7));
  limits.max_config_depth = 1 + (config & 15);
  limits.max_metadata_columns = 64;
  limits.max_index_entries = 4096;
  return limits;
}

struct TsvSeen {
  bool ok = false;
  std::string error;
  projector::Matrix m;
};

inline TsvSeen ReadTsv(const uint8_t* data, size_t size, const projector::ProjectorLimits& limits,
                       Chunker* chunker) {
  projector::TsvMatrixReader reader("f.tsv", limits);
  for (size_t i = 0; i < size;) {
    const size_t n = chunker ? chunker->Next(size - i) : size - i;
    std::vector<uint8_t> chunk(data + i, data + i + n);
    reader.Push(chunk.data(), chunk.size());
    i += n;
  }
  TsvSeen seen;
  seen.ok = reader.Finish();
  seen.error = reader.error();
  seen.m = reader.TakeMatrix();
  TBVIEW_FUZZ_CHECK(seen.ok != reader.failed());
  TBVIEW_FUZZ_CHECK(seen.ok || !seen.error.empty());
  if (seen.ok) {
    TBVIEW_FUZZ_CHECK(seen.m.values.size() == seen.m.rows * seen.m.cols);
    TBVIEW_FUZZ_CHECK(seen.m.values.size() <= limits.max_matrix_floats);
    TBVIEW_FUZZ_CHECK(seen.m.cols <= limits.max_columns);
  }
  return seen;
}

inline void ProjectorOne(const uint8_t* data, size_t size) {
  if (size < 3) return;
  const uint8_t which = data[0], config = data[1], chunk_seed = data[2];
  data += 3;
  size -= 3;
  const projector::ProjectorLimits limits = SmallProjectorLimits(config);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  switch (which % 4) {
    case 0: {
      projector::ParsedProjectorConfig parsed;
      const bool ok = projector::ParseProjectorConfig(text, "c.pbtxt", limits, &parsed, &error);
      TBVIEW_FUZZ_CHECK(ok || !error.empty());
      if (ok) {
        // No two embeddings left are identical.
        for (int i = 0; i < parsed.config.embeddings_size(); ++i)
          for (int j = i + 1; j < parsed.config.embeddings_size(); ++j)
            TBVIEW_FUZZ_CHECK(parsed.config.embeddings(i).SerializeAsString() !=
                              parsed.config.embeddings(j).SerializeAsString());
      }
      break;
    }
    case 1: {
      const TsvSeen whole = ReadTsv(data, size, limits, nullptr);
      Chunker chunker(chunk_seed);
      const TsvSeen cut = ReadTsv(data, size, limits, &chunker);
      TBVIEW_FUZZ_CHECK(whole.ok == cut.ok);
      TBVIEW_FUZZ_CHECK(whole.error == cut.error);
      TBVIEW_FUZZ_CHECK(whole.m.rows == cut.m.rows && whole.m.cols == cut.m.cols);
      TBVIEW_FUZZ_CHECK(whole.m.values == cut.m.values);
      break;
    }
    case 2: {
      projector::EmbeddingMetadata md;
      const bool ok = projector::ParseMetadataTsv(text, "m.tsv", limits, &md, &error);
      TBVIEW_FUZZ_CHECK(ok || !error.empty());
      if (ok) {
        TBVIEW_FUZZ_CHECK(md.columns.size() == md.column_names.size());
        for (const auto& c : md.columns) TBVIEW_FUZZ_CHECK(c.size() == md.rows);
      }
      break;
    }
    default: {
      // The first chunk_seed bytes (at most) are the shard, the rest the index.
      const size_t shard_size = std::min<size_t>(chunk_seed, size);
      const std::string_view shard = text.substr(0, shard_size);
      const std::string_view index_bytes = text.substr(shard_size);
      projector::CheckpointIndex index;
      if (!index.Parse(index_bytes, "f.index", limits, &error)) {
        TBVIEW_FUZZ_CHECK(!error.empty());
        break;
      }
      std::string note;
      (void)index.Resolve("embedding/.att/value", &note);
      for (const auto& kv : index.entries()) {
        projector::Matrix m;
        if (projector::ReadCheckpointMatrix(index, kv.first, shard, "f.data", limits, &m, &error)) {
          TBVIEW_FUZZ_CHECK(m.values.size() == m.rows * m.cols);
          TBVIEW_FUZZ_CHECK(m.values.size() * 4 <= shard.size());
        } else {
          TBVIEW_FUZZ_CHECK(!error.empty());
        }
      }
    }
  }
}

}  // namespace fuzz
}  // namespace tbview
