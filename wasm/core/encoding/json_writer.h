// A small streaming JSON emitter for the reference dump (tb-reference-1) and
// other small documents: objects, arrays, strings, numbers.
//
// Invariants: output is always valid JSON once every Begin* has its End*;
// doubles are written in the shortest form that parses back to the same double
// (like Python's repr), so documents can be compared exactly; strings are
// written as UTF-8 with control characters escaped, and bytes that are not valid
// UTF-8 become U+FFFD, one per maximal subpart (ToValidUtf8 of utf8.h, as
// TextDecoder and Python's bytes.decode('utf-8', 'replace') do), so the writer
// never emits invalid JSON text.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tbview {

// Shortest decimal form of a finite double that strtod() reads back exactly,
// with ".0" added to integral values ("1.0", "1e+16", "0.1").
std::string FormatDouble(double v);

class JsonWriter {
 public:
  // indent 0 writes one line; otherwise newlines and `indent` spaces per level.
  explicit JsonWriter(int indent = 1) : indent_(indent) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  // Finite doubles as numbers; NaN and infinities as the strings given.
  void Double(double v, const char* nan = "nan", const char* inf = "inf", const char* neg_inf = "-inf");
  void Bool(bool v);
  void Null();

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  void WriteQuoted(std::string_view s);
  void Newline();
  void Close(char c);
  struct Level {
    bool first = true;
  };
  int indent_;
  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace tbview
