// A small JSON reader: text to a tree of JsonValue, with limits.
//
// The core writes JSON (json_writer.h) but had no reader; the Keras model config
// (plugin graph_keras_model) is the first JSON the engine must read, and other
// plugins' JSON contents can reuse this. It accepts RFC 8259 JSON, plus the
// non-finite numbers Python's json module writes (NaN, Infinity, -Infinity),
// since Keras configs are written by Python.
//
// Limits: the text's size, the nesting depth (the parser recurses once per level,
// so depth is what keeps the stack bounded) and the number of values are checked
// as the text is read; a text over a limit is refused with a message naming the
// limit. Nothing is allocated from a claim: every value is backed by text read.
//
// Invariants of a parsed tree: an object keeps its members in text order (a
// repeated key keeps every occurrence; Find() gives the first); strings are the
// decoded bytes (escapes resolved, \u surrogate pairs to UTF-8, a lone surrogate
// as U+FFFD).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tbview {

struct JsonLimits {
  uint64_t max_bytes = 64ull << 20;
  uint32_t max_depth = 200;
  uint64_t max_values = 8ull << 20;
};

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool bool_value() const { return bool_; }
  double number() const { return number_; }
  // The string's decoded bytes; for a number, its text as written.
  const std::string& str() const { return str_; }
  // Array elements (empty for other types).
  const std::vector<JsonValue>& items() const { return items_; }
  // Object members in text order (empty for other types).
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }

  // The first member named `key`, or null when absent or not an object.
  const JsonValue* Find(std::string_view key) const;
  // Find(key) when it is a string, else "".
  std::string_view StringAt(std::string_view key) const;

  // Compact JSON text of this value (numbers as written), at most `max_bytes`
  // long: a longer text is cut (then *full_bytes, when given, is its whole size).
  std::string ToText(size_t max_bytes, uint64_t* full_bytes = nullptr) const;

 private:
  friend class JsonParser;
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string str_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses `text` (one JSON value, surrounded by optional whitespace). False, with
// *error saying what and at which byte offset, for bad JSON or a limit reached.
bool ParseJson(std::string_view text, const JsonLimits& limits, JsonValue* out, std::string* error);

}  // namespace tbview
