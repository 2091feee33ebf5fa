// The projector writer: meshes read back through the event reader, embeddings
// through the projector's own parsers.
#include "projector_writer.h"

#include <gtest/gtest.h>

#include <map>

#include "logdir.h"
#include "projector_config.h"
#include "projector_tsv.h"
#include "proto/plugins.pb.h"

namespace tbview {
namespace projector {
namespace {

TEST(ProjectorWriter, MeshReadsBackAsThreeTensors) {
  MeshData cube;
  for (int i = 0; i < 8; ++i) {
    cube.vertices.insert(cube.vertices.end(), {float(i & 1), float((i >> 1) & 1), float((i >> 2) & 1)});
    cube.colors.insert(cube.colors.end(), {uint8_t(i * 30), 0, 255});
  }
  cube.faces = {0, 1, 3, 0, 3, 2, 4, 5, 7, 4, 7, 6};
  cube.json_config = "{\"camera\": {\"cls\": \"PerspectiveCamera\", \"fov\": 75}}";
  EventWriter writer;
  writer.WriteFileVersion(1);
  ASSERT_TRUE(WriteMesh(&writer, 2, 5, "cube", cube));
  MeshData cloud;
  cloud.vertices = {0, 0, 0, 1, 1, 1};
  ASSERT_TRUE(WriteMesh(&writer, 3, 6, "cloud", cloud));
  MeshData bad;
  bad.vertices = {1, 2};
  EXPECT_FALSE(WriteMesh(&writer, 3, 6, "bad", bad));
  const std::string bytes = writer.Take();
  Logdir logdir;
  const int f = logdir.OpenFile("run/events.out.tfevents.1.mesh");
  logdir.Push(f, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  logdir.EndOfData(f);
  std::map<std::string, TagInfo> tags;
  for (const TagInfo& t : logdir.Tags()) tags[t.tag] = t;
  ASSERT_EQ(tags.size(), 4u);
  for (const char* tag : {"cube_VERTEX", "cube_FACE", "cube_COLOR", "cloud_VERTEX"}) {
    ASSERT_TRUE(tags.count(tag)) << tag;
    EXPECT_EQ(tags[tag].metadata.plugin_name, "mesh");
    proto::MeshPluginData content;
    ASSERT_TRUE(content.ParseFromString(tags[tag].metadata.plugin_content));
    EXPECT_EQ(content.components(), std::string(tag).rfind("cloud", 0) == 0 ? 2u : 14u);
  }
  const TensorSeries* v = logdir.Tensors("run", "cube_VERTEX");
  ASSERT_NE(v, nullptr);
  const Tensor& t = v->points()[0].tensor;
  EXPECT_EQ(t.shape, (std::vector<int64_t>{1, 8, 3}));
  EXPECT_EQ(t.numbers[3 * 7 + 2], 1.0);
  const Tensor& faces = logdir.Tensors("run", "cube_FACE")->points()[0].tensor;
  EXPECT_EQ(faces.shape, (std::vector<int64_t>{1, 4, 3}));
  EXPECT_EQ(faces.numbers[5], 2.0);
  EXPECT_EQ(logdir.Tensors("run", "cube_COLOR")->points()[0].tensor.numbers[2], 255.0);
}

TEST(ProjectorWriter, EmbeddingRoundTrips) {
  Matrix m;
  m.rows = 3;
  m.cols = 2;
  m.values = {0.1f, -2.5f, 1e-7f, 3.4028235e38f, 7, 0};
  proto::ProjectorConfig config;
  auto files = WriteEmbedding(m, {}, {{"a", "", "c\\d"}}, "words", 0, &config);
  files =
      WriteEmbedding(m, {"word", "n"}, {{"x", "y", "z"}, {"1", "2", "3"}}, "with \"quotes\"", 10, &config);
  ASSERT_EQ(files.size(), 3u);
  ParsedProjectorConfig parsed;
  std::string error;
  ASSERT_TRUE(ParseProjectorConfig(files["projector_config.pbtxt"], "c", ProjectorLimits(), &parsed, &error))
      << error;
  ASSERT_EQ(parsed.config.embeddings_size(), 2);
  EXPECT_EQ(parsed.config.SerializeAsString(), config.SerializeAsString());
  EXPECT_EQ(parsed.config.embeddings(1).tensor_name(), "with \"quotes\":00010");
  const std::string& tsv = files["00010/with \"quotes\"/tensors.tsv"];
  TsvMatrixReader reader("t", ProjectorLimits());
  reader.Push(reinterpret_cast<const uint8_t*>(tsv.data()), tsv.size());
  ASSERT_TRUE(reader.Finish()) << reader.error();
  EXPECT_EQ(reader.TakeMatrix().values, m.values);  // 9 digits round-trip float32
  EmbeddingMetadata md;
  ASSERT_TRUE(
      ParseMetadataTsv(files["00010/with \"quotes\"/metadata.tsv"], "m", ProjectorLimits(), &md, &error));
  EXPECT_EQ(md.column_names, (std::vector<std::string>{"word", "n"}));
  EXPECT_EQ(md.rows, 3u);
}

}  // namespace
}  // namespace projector
}  // namespace tbview
