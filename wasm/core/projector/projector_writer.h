// Writing what the projector and mesh views read, for tests and demo logs:
// - mesh summaries, as TensorBoard's mesh plugin writes them: per mesh `name`,
//   the tags `<name>_VERTEX` (float32 [B, N, 3]), `<name>_FACE` (int32
//   [B, F, 3], optional) and `<name>_COLOR` (uint8 [B, N, 3], optional), each
//   with plugin "mesh" metadata (MeshPluginData: name, content type, shape, the
//   components bitmask 1 << content_type over the parts present, and the JSON
//   config of camera, lights and material) on every value, as the TF1-style op does;
// - an embedding in PyTorch's add_embedding layout: `<step:05d>/<tag>/tensors.tsv`,
//   `metadata.tsv` (one column without header, several with one) and the
//   projector_config.pbtxt entry pointing at them.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "projector_matrix.h"
#include "proto/projector.pb.h"
#include "writer.h"

namespace tbview {
namespace projector {

struct MeshData {
  int64_t batch = 1;
  std::vector<float> vertices;  // batch x N x 3
  std::vector<int32_t> faces;   // batch x F x 3, or empty (a point cloud)
  std::vector<uint8_t> colors;  // batch x N x 3, or empty
  std::string json_config;      // e.g. {"camera": {"cls": "PerspectiveCamera", "fov": 75}}
};

// Writes the mesh's two or three tensors as one event at `step`; false when
// the sizes are not multiples of batch x 3 or colors do not match vertices.
bool WriteMesh(EventWriter* writer, double wall_time, int64_t step, std::string_view name,
               const MeshData& mesh);

// The projector_config.pbtxt text of `config` (text format, strings escaped):
// what ParseProjectorConfig reads back.
std::string FormatProjectorConfig(const proto::ProjectorConfig& config);

// The files of one embedding in PyTorch's layout, relative to the run folder:
// tensors.tsv (values printed with 9 significant digits, which round-trip
// float32), metadata.tsv when `metadata` has columns (column c's values in
// metadata[c]; `header` written when there are several), and the config entry
// appended to *config. Returns path -> bytes.
std::map<std::string, std::string> WriteEmbedding(const Matrix& m, const std::vector<std::string>& header,
                                                  const std::vector<std::vector<std::string>>& metadata,
                                                  std::string_view tag, int64_t step,
                                                  proto::ProjectorConfig* config);

}  // namespace projector
}  // namespace tbview
