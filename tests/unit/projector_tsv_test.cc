// tensors.tsv streaming (every chunking of a small file), numbers, bad input
// with line and column, limits; raw float32 files; metadata.tsv.
#include "projector_tsv.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "support/chunks.h"

namespace tbview {
namespace projector {
namespace {

struct Loaded {
  bool ok = false;
  std::string error;
  Matrix m;
};

Loaded LoadTsv(const std::string& text, const ProjectorLimits& limits = ProjectorLimits()) {
  TsvMatrixReader reader("tensors.tsv", limits);
  reader.Push(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  Loaded out;
  out.ok = reader.Finish();
  out.error = reader.error();
  out.m = reader.TakeMatrix();
  return out;
}

TEST(ProjectorTsv, EveryTwoWaySplitGivesTheSameMatrix) {
  const std::string text = "0.5\t-1.25e1\t3\r\n.25\t+4.\t-0\n\n1e-3\t2E+2\t  7  \n";
  const Loaded whole = LoadTsv(text);
  ASSERT_TRUE(whole.ok) << whole.error;
  ASSERT_EQ(whole.m.rows, 3u);
  ASSERT_EQ(whole.m.cols, 3u);
  const float want[9] = {0.5f, -12.5f, 3, 0.25f, 4, -0.0f, 0.001f, 200, 7};
  for (int i = 0; i < 9; ++i) EXPECT_EQ(whole.m.values[i], want[i]) << i;
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    for (size_t cut2 = cut; cut2 <= text.size(); cut2 += 3) {
      TsvMatrixReader reader("tensors.tsv", ProjectorLimits());
      const uint8_t* p = reinterpret_cast<const uint8_t*>(text.data());
      reader.Push(p, cut);
      reader.Push(p + cut, cut2 - cut);
      reader.Push(p + cut2, text.size() - cut2);
      ASSERT_TRUE(reader.Finish()) << cut << " " << cut2 << ": " << reader.error();
      EXPECT_EQ(reader.TakeMatrix().values, whole.m.values) << cut << " " << cut2;
    }
  }
  TsvMatrixReader bytes("tensors.tsv", ProjectorLimits());
  test::ForEachChunk(text, test::Chunking::kBytes, 0, 1,
                     [&](const uint8_t* d, size_t n) { bytes.Push(d, n); });
  ASSERT_TRUE(bytes.Finish());
  EXPECT_EQ(bytes.TakeMatrix().values, whole.m.values);
}

TEST(ProjectorTsv, NumbersParseToTheNearestFloat) {
  const char* cases[] = {"3.14159265358979323846264338327950288",
                         "1e38",
                         "-3.4028234e38",
                         "1.17549435e-38",
                         "1e-45",
                         "3.40282347e+38",
                         "-3.4028235e38",
                         "123456789012345678901234567890",
                         "0.000000000000000000000000001",
                         "7"};
  for (const char* c : cases) {
    float f = 0;
    ASSERT_EQ(ParseFloat(c, std::strlen(c), &f), 0) << c;
    EXPECT_EQ(f, std::strtof(c, nullptr)) << c;
  }
  float f;
  EXPECT_EQ(ParseFloat("nan", 3, &f), 2);
  EXPECT_EQ(ParseFloat("-Infinity", 9, &f), 2);
  EXPECT_EQ(ParseFloat("1e39", 4, &f), 2);
  EXPECT_EQ(ParseFloat("3.4028236e38", 12, &f), 2);  // rounds to infinity in float32
  EXPECT_EQ(ParseFloat("1e", 2, &f), 1);
  EXPECT_EQ(ParseFloat(".", 1, &f), 1);
  EXPECT_EQ(ParseFloat("0x10", 4, &f), 1);
  EXPECT_EQ(ParseFloat("1.2.3", 5, &f), 1);
}

TEST(ProjectorTsv, BadInputNamesLineAndColumn) {
  EXPECT_EQ(LoadTsv("1\t2\n3\n").error, "tensors.tsv: line 2, column 1: 1 values, the first line has 2");
  EXPECT_EQ(LoadTsv("1\t2\n3\t4\t5\n").error,
            "tensors.tsv: line 2, column 3: more values than the first line's 2");
  EXPECT_EQ(LoadTsv("1\t2\n3\tabc\n").error, "tensors.tsv: line 2, column 2: not a number: 'abc'");
  EXPECT_NE(LoadTsv("1\tNaN\n").error.find("line 1, column 2: 'NaN' is NaN"), std::string::npos);
  EXPECT_NE(LoadTsv("1\t\t2\n").error.find("line 1, column 2: empty value"), std::string::npos);
  EXPECT_NE(LoadTsv("1 2\n").error.find("a space inside a value"), std::string::npos);
  EXPECT_NE(LoadTsv("").error.find("no values"), std::string::npos);
  EXPECT_NE(LoadTsv("\n\n").error.find("no values"), std::string::npos);
  EXPECT_NE(LoadTsv(std::string(200, '1')).error.find("max_number_chars"), std::string::npos);
  // Once failed, later pushes are ignored and the error stays the first one.
  TsvMatrixReader reader("t.tsv", ProjectorLimits());
  EXPECT_FALSE(reader.Push(reinterpret_cast<const uint8_t*>("x\n"), 2));
  EXPECT_FALSE(reader.Push(reinterpret_cast<const uint8_t*>("1\n"), 2));
  EXPECT_EQ(reader.error(), "t.tsv: line 1, column 1: not a number: 'x'");
}

TEST(ProjectorTsv, AFileClaimingMoreThanTheLimitStops) {
  ProjectorLimits limits;
  limits.max_matrix_floats = 10;
  limits.max_columns = 4;
  EXPECT_NE(LoadTsv("1\t2\t3\n4\t5\t6\n7\t8\t9\n1\t2\t3\n", limits)
                .error.find("line 4, column 1: more than "
                            "max_matrix_floats"),
            std::string::npos);
  EXPECT_NE(LoadTsv("1\t2\t3\t4\t5\n", limits).error.find("max_columns"), std::string::npos);
  // A stream that never ends a line is bounded too.
  TsvMatrixReader reader("t.tsv", limits);
  std::string chunk;
  for (int i = 0; i < 1000; ++i) chunk += "1\t";
  EXPECT_FALSE(reader.Push(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()));
}

TEST(ProjectorTsv, RawFloat32) {
  const float v[6] = {1, 2, 3, 4, 5, 6};
  const std::string bytes(reinterpret_cast<const char*>(v), sizeof v);
  Matrix m;
  std::string error;
  ASSERT_TRUE(ReadRawFloat32(bytes, {2, 3}, "t.bytes", ProjectorLimits(), &m, &error)) << error;
  EXPECT_EQ(m.rows, 2u);
  EXPECT_EQ(m.row(1)[2], 6.0f);
  EXPECT_FALSE(ReadRawFloat32(bytes, {3, 3}, "t.bytes", ProjectorLimits(), &m, &error));
  EXPECT_NE(error.find("24 bytes, but tensor_shape [3, 3] of float32 needs 36"), std::string::npos);
  EXPECT_FALSE(ReadRawFloat32(bytes, {4000000000u, 4000000000u}, "t.bytes", ProjectorLimits(), &m, &error));
  EXPECT_NE(error.find("max_matrix_floats"), std::string::npos);
  EXPECT_FALSE(ReadRawFloat32(bytes, {6}, "t.bytes", ProjectorLimits(), &m, &error));
}

TEST(ProjectorTsv, MetadataSingleColumnHasNoHeader) {
  EmbeddingMetadata md;
  std::string error;
  ASSERT_TRUE(ParseMetadataTsv("\n[UNK]\nthe\r\n", "metadata.tsv", ProjectorLimits(), &md, &error)) << error;
  EXPECT_FALSE(md.has_header);
  ASSERT_EQ(md.rows, 3u);
  EXPECT_EQ(md.column_names, std::vector<std::string>{"label"});
  EXPECT_EQ(md.columns[0], (std::vector<std::string>{"", "[UNK]", "the"}));
}

TEST(ProjectorTsv, MetadataHeaderAndColumns) {
  EmbeddingMetadata md;
  std::string error;
  ASSERT_TRUE(ParseMetadataTsv("word\tcount\na\t1\nb\t2", "m.tsv", ProjectorLimits(), &md, &error)) << error;
  EXPECT_TRUE(md.has_header);
  EXPECT_EQ(md.column_names, (std::vector<std::string>{"word", "count"}));
  EXPECT_EQ(md.rows, 2u);
  EXPECT_EQ(md.columns[1][1], "2");
  EXPECT_FALSE(ParseMetadataTsv("a\tb\n1\n", "m.tsv", ProjectorLimits(), &md, &error));
  EXPECT_EQ(error, "m.tsv: line 2 has 1 fields, the header has 2");
  EXPECT_FALSE(ParseMetadataTsv("", "m.tsv", ProjectorLimits(), &md, &error));
}

}  // namespace
}  // namespace projector
}  // namespace tbview
