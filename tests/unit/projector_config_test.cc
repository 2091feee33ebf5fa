// projector_config.pbtxt parsing: the forms writers use, the duplicated entry
// PyTorch leaves, and bad input with its line and column.
#include "projector_config.h"

#include <gtest/gtest.h>

#include <string>

namespace tbview {
namespace projector {
namespace {

ParsedProjectorConfig Parse(const std::string& text) {
  ParsedProjectorConfig out;
  std::string error;
  EXPECT_TRUE(ParseProjectorConfig(text, "projector_config.pbtxt", ProjectorLimits(), &out, &error)) << error;
  return out;
}

std::string ParseError(const std::string& text, const ProjectorLimits& limits = ProjectorLimits()) {
  ParsedProjectorConfig out;
  std::string error;
  EXPECT_FALSE(ParseProjectorConfig(text, "cfg.pbtxt", limits, &out, &error)) << text;
  return error;
}

TEST(ProjectorConfig, PyTorchLayout) {
  const ParsedProjectorConfig p = Parse(
      "embeddings {\n"
      "  tensor_name: \"default:00010\"\n"
      "  metadata_path: \"00010/default/metadata.tsv\"\n"
      "  sprite {\n"
      "    image_path: \"00010/default/sprite.png\"\n"
      "    single_image_dim: 28\n"
      "    single_image_dim: 28\n"
      "  }\n"
      "  tensor_path: \"00010/default/tensors.tsv\"\n"
      "}\n");
  ASSERT_EQ(p.config.embeddings_size(), 1);
  const proto::EmbeddingInfo& e = p.config.embeddings(0);
  EXPECT_EQ(e.tensor_name(), "default:00010");
  EXPECT_EQ(e.metadata_path(), "00010/default/metadata.tsv");
  EXPECT_EQ(e.tensor_path(), "00010/default/tensors.tsv");
  EXPECT_EQ(e.sprite().image_path(), "00010/default/sprite.png");
  ASSERT_EQ(e.sprite().single_image_dim_size(), 2);
  EXPECT_EQ(e.sprite().single_image_dim(1), 28u);
  EXPECT_EQ(p.duplicates_removed, 0);
}

TEST(ProjectorConfig, OtherSyntaxCommentsEscapesAndUnknownFields) {
  const ParsedProjectorConfig p = Parse(
      "# written by hand\n"
      "model_checkpoint_path: 'model.ckpt-5'  # trailing comment\n"
      "model_checkpoint_dir: \"a\" \"b\\tc\\\\\\\"\\101\\x42\\u00e9\"\n"
      "future_field: 3.5e2\n"
      "future_block < nested { x: 1 } >\n"
      "embeddings: { tensor_name: \"w\"; tensor_shape: [10, 0x4]; bookmarks_path: \"b.json\" },\n"
      "embeddings <tensor_name: \"v\" sprite: { single_image_dim: [8, 010] } >\n");
  EXPECT_EQ(p.config.model_checkpoint_path(), "model.ckpt-5");
  EXPECT_EQ(p.config.model_checkpoint_dir(), "ab\tc\\\"AB\xc3\xa9");
  ASSERT_EQ(p.config.embeddings_size(), 2);
  EXPECT_EQ(p.config.embeddings(0).tensor_shape_size(), 2);
  EXPECT_EQ(p.config.embeddings(0).tensor_shape(1), 4u);
  EXPECT_EQ(p.config.embeddings(0).bookmarks_path(), "b.json");
  EXPECT_EQ(p.config.embeddings(1).sprite().single_image_dim(1), 8u);  // octal 010
  EXPECT_EQ(p.warnings.size(), 2u);
}

TEST(ProjectorConfig, IdenticalEntriesKeptOnce) {
  const std::string entry =
      "embeddings {\n  tensor_name: \"default:00000\"\n  tensor_path: \"00000/default/tensors.tsv\"\n}\n";
  const std::string other =
      "embeddings {\n  tensor_name: \"default:00001\"\n  tensor_path: \"00001/default/tensors.tsv\"\n}\n";
  const ParsedProjectorConfig p = Parse(entry + other + entry + entry);
  ASSERT_EQ(p.config.embeddings_size(), 2);
  EXPECT_EQ(p.config.embeddings(0).tensor_name(), "default:00000");
  EXPECT_EQ(p.config.embeddings(1).tensor_name(), "default:00001");
  EXPECT_EQ(p.duplicates_removed, 2);
}

TEST(ProjectorConfig, CheckpointState) {
  std::string path, error;
  ASSERT_TRUE(
      ParseCheckpointState("model_checkpoint_path: \"embedding.ckpt-1\"\n"
                           "all_model_checkpoint_paths: \"embedding.ckpt-1\"\n",
                           "checkpoint", ProjectorLimits(), &path, &error))
      << error;
  EXPECT_EQ(path, "embedding.ckpt-1");
  EXPECT_FALSE(ParseCheckpointState("", "checkpoint", ProjectorLimits(), &path, &error));
  EXPECT_EQ(error, "checkpoint: no model_checkpoint_path");
}

TEST(ProjectorConfig, EmptyConfig) {
  EXPECT_EQ(Parse("").config.embeddings_size(), 0);
  EXPECT_EQ(Parse("  # nothing\n").config.embeddings_size(), 0);
}

TEST(ProjectorConfig, BadInputNamesLineAndColumn) {
  EXPECT_EQ(ParseError("embeddings {\n  tensor_name: \"x\n}\n"),
            "cfg.pbtxt:2:18: string not closed before the end of the line");
  EXPECT_EQ(ParseError("embeddings {\n  tensor_name: \"x\"\n"),
            "cfg.pbtxt:3:1: unexpected end of file: a '{' is not closed");
  EXPECT_NE(ParseError("}").find("cfg.pbtxt:1:1: unexpected '}'"), std::string::npos);
  EXPECT_NE(ParseError("embeddings { tensor_shape: -1 }").find("unsigned integer"), std::string::npos);
  EXPECT_NE(ParseError("embeddings { tensor_shape: 99999999999 }").find("above 2^32-1"), std::string::npos);
  EXPECT_NE(ParseError("embeddings { tensor_name: 5 }").find("needs a quoted string"), std::string::npos);
  EXPECT_NE(ParseError("embeddings: \"x\"").find("is a message"), std::string::npos);
  EXPECT_NE(ParseError("tensor_name").find("expected ':' or '{'"), std::string::npos);
  EXPECT_NE(ParseError("embeddings { sprite { image_path: \"a\\q\" } }").find("unknown escape"),
            std::string::npos);
  EXPECT_NE(ParseError("[ext.x] { }").find("extensions"), std::string::npos);
  EXPECT_NE(ParseError("embeddings { tensor_name: \"a\" ]").find("expected a field name"), std::string::npos);
  EXPECT_NE(ParseError("a: \x01").find("\\x01"), std::string::npos);
}

TEST(ProjectorConfig, DeepNestingAndSizeAreLimited) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "a {";
  EXPECT_NE(ParseError(deep).find("max_config_depth"), std::string::npos);
  ProjectorLimits small;
  small.max_config_bytes = 10;
  EXPECT_NE(ParseError("embeddings { }", small).find("max_config_bytes"), std::string::npos);
}

}  // namespace
}  // namespace projector
}  // namespace tbview
