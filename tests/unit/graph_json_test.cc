// Tests of the JSON reader (wasm/core/graph/json_reader.h): values, escapes,
// Python's non-finite numbers, order of members, and the limits.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "json_reader.h"

namespace tbview {
namespace {

JsonValue Parse(const std::string& text) {
  JsonValue v;
  std::string error;
  EXPECT_TRUE(ParseJson(text, JsonLimits(), &v, &error)) << error;
  return v;
}

std::string Error(const std::string& text, const JsonLimits& limits = JsonLimits()) {
  JsonValue v;
  std::string error;
  EXPECT_FALSE(ParseJson(text, limits, &v, &error)) << text;
  return error;
}

TEST(GraphJson, ValuesAndMemberOrder) {
  const JsonValue v = Parse(R"( {"b": [1, -2.5e3, true, false, null], "a": "x", "b": 7} )");
  ASSERT_TRUE(v.is_object());
  ASSERT_EQ(v.members().size(), 3u);
  EXPECT_EQ(v.members()[0].first, "b");
  EXPECT_EQ(v.members()[1].first, "a");
  const JsonValue* b = v.Find("b");  // the first of a repeated key
  ASSERT_TRUE(b && b->is_array());
  ASSERT_EQ(b->items().size(), 5u);
  EXPECT_EQ(b->items()[0].number(), 1);
  EXPECT_EQ(b->items()[1].number(), -2500);
  EXPECT_EQ(b->items()[1].str(), "-2.5e3");
  EXPECT_TRUE(b->items()[2].bool_value());
  EXPECT_FALSE(b->items()[3].bool_value());
  EXPECT_TRUE(b->items()[4].is_null());
  EXPECT_EQ(v.StringAt("a"), "x");
  EXPECT_EQ(v.StringAt("b"), "");
  EXPECT_EQ(v.Find("zzz"), nullptr);
}

TEST(GraphJson, EscapesAndSurrogates) {
  const JsonValue v = Parse(R"(["a\"b\\c\/\n\t", "\u00e9\u4e2d", "\ud83d\ude00", "\ud800x"])");
  ASSERT_EQ(v.items().size(), 4u);
  EXPECT_EQ(v.items()[0].str(), "a\"b\\c/\n\t");
  EXPECT_EQ(v.items()[1].str(), "\xc3\xa9\xe4\xb8\xad");
  EXPECT_EQ(v.items()[2].str(), "\xf0\x9f\x98\x80");
  EXPECT_EQ(v.items()[3].str(), "\xef\xbf\xbdx");  // a lone surrogate becomes U+FFFD
}

TEST(GraphJson, PythonNonFiniteNumbers) {
  const JsonValue v = Parse("[NaN, Infinity, -Infinity]");
  EXPECT_TRUE(std::isnan(v.items()[0].number()));
  EXPECT_EQ(v.items()[1].number(), INFINITY);
  EXPECT_EQ(v.items()[2].number(), -INFINITY);
}

TEST(GraphJson, ToTextIsCompactAndCutWithItsSize) {
  const JsonValue v = Parse(R"({ "k" : [ 1 , "two" , {"x":null} ] })");
  uint64_t full = 0;
  EXPECT_EQ(v.ToText(1000, &full), R"({"k":[1,"two",{"x":null}]})");
  EXPECT_EQ(full, 26u);
  EXPECT_EQ(v.ToText(5, &full), R"({"k":)");
  EXPECT_EQ(full, 26u);
}

TEST(GraphJson, BadTextSaysWhere) {
  EXPECT_NE(Error("[1, 2").find("unterminated array"), std::string::npos);
  EXPECT_NE(Error("{\"a\" 1}").find("expected ':'"), std::string::npos);
  EXPECT_NE(Error("[01x]").find("byte"), std::string::npos);
  EXPECT_NE(Error("\"abc").find("unterminated string"), std::string::npos);
  EXPECT_NE(Error("[1] 2").find("after the value"), std::string::npos);
  EXPECT_NE(Error("").find("end of text"), std::string::npos);
  EXPECT_NE(Error("\"\x01\"").find("control character"), std::string::npos);
}

TEST(GraphJson, LimitsAreNamed) {
  JsonLimits limits;
  limits.max_depth = 10;
  EXPECT_NE(Error(std::string(11, '[') + std::string(11, ']'), limits).find("max_depth"), std::string::npos);
  JsonValue ok;
  std::string error;
  EXPECT_TRUE(ParseJson(std::string(10, '[') + std::string(10, ']'), limits, &ok, &error)) << error;
  // A million nested arrays: refused at the limit, no stack overflow.
  EXPECT_NE(Error(std::string(1000000, '['), JsonLimits()).find("max_depth"), std::string::npos);
  limits = JsonLimits();
  limits.max_values = 3;
  EXPECT_NE(Error("[1,2,3]", limits).find("max_values"), std::string::npos);
  limits.max_bytes = 4;
  EXPECT_NE(Error("[1,2]", limits).find("max_bytes"), std::string::npos);
}

}  // namespace
}  // namespace tbview
