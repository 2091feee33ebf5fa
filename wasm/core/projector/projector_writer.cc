#include "projector_writer.h"

#include <cstdio>
#include <cstring>

#include "proto/plugins.pb.h"

namespace tbview {
namespace projector {
namespace {

void AddMeshTensor(proto::Event* e, std::string_view name, proto::MeshPluginData::ContentType type,
                   uint32_t components, const MeshData& mesh, proto::DataType dtype, const void* data,
                   size_t bytes, int64_t count) {
  static const char* const kSuffix[] = {"", "_VERTEX", "_FACE", "_COLOR"};
  proto::Summary::Value* v = AddSummaryValue(e, std::string(name) + kSuffix[type]);
  proto::MeshPluginData content;
  content.set_name(std::string(name));
  content.set_content_type(type);
  content.set_json_config(mesh.json_config);
  content.set_components(components);
  const int64_t shape[3] = {mesh.batch, count / mesh.batch / 3, 3};
  for (int64_t d : shape) content.add_shape(static_cast<int32_t>(d));
  SetPluginMetadata(v, "mesh", content.SerializeAsString(), proto::DATA_CLASS_TENSOR);
  proto::TensorProto* t = v->mutable_tensor();
  t->set_dtype(dtype);
  for (int64_t d : shape) t->mutable_tensor_shape()->add_dim()->set_size(d);
  t->set_tensor_content(
      std::string(static_cast<const char*>(data), bytes));  // little-endian hosts (x86, wasm)
}

void AppendEscaped(std::string* out, const std::string& s) {
  *out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\t': *out += "\\t"; break;
      case '\r': *out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\%03o", c);
          *out += buf;
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
  *out += '"';
}

}  // namespace

bool WriteMesh(EventWriter* writer, double wall_time, int64_t step, std::string_view name,
               const MeshData& mesh) {
  if (mesh.batch < 1 || mesh.vertices.empty() || mesh.vertices.size() % (mesh.batch * 3) != 0 ||
      mesh.faces.size() % (mesh.batch * 3) != 0 ||
      (!mesh.colors.empty() && mesh.colors.size() != mesh.vertices.size())) {
    return false;
  }
  uint32_t components = 1u << proto::MeshPluginData::VERTEX;
  if (!mesh.faces.empty()) components |= 1u << proto::MeshPluginData::FACE;
  if (!mesh.colors.empty()) components |= 1u << proto::MeshPluginData::COLOR;
  proto::Event e;
  e.set_wall_time(wall_time);
  e.set_step(step);
  AddMeshTensor(&e, name, proto::MeshPluginData::VERTEX, components, mesh, proto::DT_FLOAT,
                mesh.vertices.data(), mesh.vertices.size() * 4, static_cast<int64_t>(mesh.vertices.size()));
  if (!mesh.faces.empty()) {
    AddMeshTensor(&e, name, proto::MeshPluginData::FACE, components, mesh, proto::DT_INT32, mesh.faces.data(),
                  mesh.faces.size() * 4, static_cast<int64_t>(mesh.faces.size()));
  }
  if (!mesh.colors.empty()) {
    AddMeshTensor(&e, name, proto::MeshPluginData::COLOR, components, mesh, proto::DT_UINT8,
                  mesh.colors.data(), mesh.colors.size(), static_cast<int64_t>(mesh.colors.size()));
  }
  writer->WriteEvent(e);
  return true;
}

std::string FormatProjectorConfig(const proto::ProjectorConfig& config) {
  std::string out;
  auto field = [&](const char* indent, const char* name, const std::string& value) {
    if (value.empty()) return;
    out += indent;
    out += name;
    out += ": ";
    AppendEscaped(&out, value);
    out += '\n';
  };
  for (const proto::EmbeddingInfo& e : config.embeddings()) {
    out += "embeddings {\n";
    field("  ", "tensor_name", e.tensor_name());
    field("  ", "metadata_path", e.metadata_path());
    field("  ", "bookmarks_path", e.bookmarks_path());
    for (uint32_t d : e.tensor_shape()) out += "  tensor_shape: " + std::to_string(d) + "\n";
    if (e.has_sprite()) {
      out += "  sprite {\n";
      field("    ", "image_path", e.sprite().image_path());
      for (uint32_t d : e.sprite().single_image_dim())
        out += "    single_image_dim: " + std::to_string(d) + "\n";
      out += "  }\n";
    }
    field("  ", "tensor_path", e.tensor_path());
    out += "}\n";
  }
  field("", "model_checkpoint_path", config.model_checkpoint_path());
  field("", "model_checkpoint_dir", config.model_checkpoint_dir());
  return out;
}

std::map<std::string, std::string> WriteEmbedding(const Matrix& m, const std::vector<std::string>& header,
                                                  const std::vector<std::vector<std::string>>& metadata,
                                                  std::string_view tag, int64_t step,
                                                  proto::ProjectorConfig* config) {
  std::map<std::string, std::string> files;
  char step_name[32];
  std::snprintf(step_name, sizeof step_name, "%05lld", static_cast<long long>(step));
  const std::string dir = std::string(step_name) + "/" + std::string(tag);
  std::string tsv;
  char buf[32];
  for (uint64_t i = 0; i < m.rows; ++i) {
    for (uint64_t j = 0; j < m.cols; ++j) {
      const int n = std::snprintf(buf, sizeof buf, "%.9g", m.row(i)[j]);
      tsv.append(buf, static_cast<size_t>(n));
      tsv += j + 1 == m.cols ? '\n' : '\t';
    }
  }
  files[dir + "/tensors.tsv"] = std::move(tsv);
  proto::EmbeddingInfo* e = config->add_embeddings();
  e->set_tensor_name(std::string(tag) + ":" + step_name);
  e->set_tensor_path(dir + "/tensors.tsv");
  if (!metadata.empty()) {
    std::string md;
    if (metadata.size() > 1) {
      for (size_t c = 0; c < header.size(); ++c) md += (c ? "\t" : "") + header[c];
      md += '\n';
    }
    for (size_t r = 0; r < metadata[0].size(); ++r) {
      for (size_t c = 0; c < metadata.size(); ++c)
        md += (c ? "\t" : "") + (r < metadata[c].size() ? metadata[c][r] : "");
      md += '\n';
    }
    files[dir + "/metadata.tsv"] = std::move(md);
    e->set_metadata_path(dir + "/metadata.tsv");
  }
  files["projector_config.pbtxt"] = FormatProjectorConfig(*config);
  return files;
}

}  // namespace projector
}  // namespace tbview
