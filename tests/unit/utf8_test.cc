// UTF-8 repair as TextDecoder does it (WHATWG maximal subpart).
#include "utf8.h"

#include <gtest/gtest.h>

namespace tbview {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8, ValidStringsPassThrough) {
  for (std::string s : {std::string(""), std::string("loss/train"), std::string("\xC3\xA9t\xC3\xA9"),
                        std::string("\xF0\x9F\x98\x80"), std::string("a\0b", 3)}) {
    EXPECT_EQ(FirstInvalidUtf8(s), s.size());
    EXPECT_EQ(ToValidUtf8(s), s);
  }
}

TEST(Utf8, InvalidSequencesBecomeReplacementCharacters) {
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(ToValidUtf8("ab\xFF"
                        "c"),
            "ab" + kFffd + "c");
  // A truncated 3-byte sequence is one U+FFFD (maximal subpart), then the next byte.
  EXPECT_EQ(ToValidUtf8("\xE2\x82"
                        "A"),
            kFffd + "A");
  // Overlong form and surrogates are invalid, byte by byte.
  EXPECT_EQ(ToValidUtf8("\xC0\xAF"), kFffd + kFffd);
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);
  // Above U+10FFFF.
  EXPECT_EQ(ToValidUtf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);
  // Cut off at the end.
  EXPECT_EQ(ToValidUtf8("x\xF0\x9F\x98"), "x" + kFffd);
}

}  // namespace
}  // namespace tbview
