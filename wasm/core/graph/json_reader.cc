#include "json_reader.h"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace tbview {

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

std::string_view JsonValue::StringAt(std::string_view key) const {
  const JsonValue* v = Find(key);
  return v && v->is_string() ? std::string_view(v->str()) : std::string_view();
}

namespace {

// Appends up to a budget and counts everything, so a cut text still knows its
// whole size.
struct BoundedText {
  std::string out;
  size_t max;
  uint64_t total = 0;
  void Add(std::string_view s) {
    total += s.size();
    if (out.size() < max) out.append(s.substr(0, max - out.size()));
  }
};

void QuoteInto(std::string_view s, BoundedText* t) {
  static const char kHex[] = "0123456789abcdef";
  t->Add("\"");
  for (unsigned char c : s) {
    if (c == '"')
      t->Add("\\\"");
    else if (c == '\\')
      t->Add("\\\\");
    else if (c == '\n')
      t->Add("\\n");
    else if (c < 0x20) {
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      t->Add(std::string_view(esc, 6));
    } else {
      const char ch = static_cast<char>(c);
      t->Add(std::string_view(&ch, 1));
    }
  }
  t->Add("\"");
}

void TextInto(const JsonValue& v, BoundedText* t) {
  switch (v.type()) {
    case JsonValue::Type::kNull: t->Add("null"); break;
    case JsonValue::Type::kBool: t->Add(v.bool_value() ? "true" : "false"); break;
    case JsonValue::Type::kNumber: t->Add(v.str()); break;
    case JsonValue::Type::kString: QuoteInto(v.str(), t); break;
    case JsonValue::Type::kArray: {
      t->Add("[");
      bool first = true;
      for (const JsonValue& e : v.items()) {
        if (!first) t->Add(",");
        first = false;
        TextInto(e, t);
      }
      t->Add("]");
      break;
    }
    case JsonValue::Type::kObject: {
      t->Add("{");
      bool first = true;
      for (const auto& m : v.members()) {
        if (!first) t->Add(",");
        first = false;
        QuoteInto(m.first, t);
        t->Add(":");
        TextInto(m.second, t);
      }
      t->Add("}");
      break;
    }
  }
}

}  // namespace

std::string JsonValue::ToText(size_t max_bytes, uint64_t* full_bytes) const {
  BoundedText t;
  t.max = max_bytes;
  TextInto(*this, &t);
  if (full_bytes) *full_bytes = t.total;
  return std::move(t.out);
}

// Recursive descent over the text; one level of recursion per nesting level,
// bounded by JsonLimits::max_depth.
class JsonParser {
 public:
  JsonParser(std::string_view text, const JsonLimits& limits) : s_(text), limits_(limits) {}

  bool Parse(JsonValue* out, std::string* error) {
    if (s_.size() > limits_.max_bytes) {
      *error = "JSON text of " + std::to_string(s_.size()) + " bytes is over max_bytes (" +
               std::to_string(limits_.max_bytes) + ")";
      return false;
    }
    SkipSpace();
    if (!Value(out, 0)) {
      *error = error_;
      return false;
    }
    SkipSpace();
    if (pos_ != s_.size()) {
      *error = "JSON: unexpected text after the value at byte " + std::to_string(pos_);
      return false;
    }
    return true;
  }

 private:
  bool Fail(const std::string& what) {
    if (error_.empty()) error_ = "JSON: " + what + " at byte " + std::to_string(pos_);
    return false;
  }
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool Value(JsonValue* v, uint32_t depth) {
    if (++values_ > limits_.max_values)
      return Fail("more values than max_values (" + std::to_string(limits_.max_values) + ")");
    if (pos_ >= s_.size()) return Fail("unexpected end of text");
    const char c = s_[pos_];
    if (c == '{' || c == '[') {
      if (depth >= limits_.max_depth)
        return Fail("nesting deeper than max_depth (" + std::to_string(limits_.max_depth) + ")");
      return c == '{' ? Object(v, depth + 1) : Array(v, depth + 1);
    }
    if (c == '"') {
      v->type_ = JsonValue::Type::kString;
      return String(&v->str_);
    }
    if (Literal("true")) {
      v->type_ = JsonValue::Type::kBool;
      v->bool_ = true;
      return true;
    }
    if (Literal("false")) {
      v->type_ = JsonValue::Type::kBool;
      v->bool_ = false;
      return true;
    }
    if (Literal("null")) {
      v->type_ = JsonValue::Type::kNull;
      return true;
    }
    return Number(v);
  }

  bool Number(JsonValue* v) {
    const size_t start = pos_;
    v->type_ = JsonValue::Type::kNumber;
    if (Literal("NaN")) {
      v->number_ = std::numeric_limits<double>::quiet_NaN();
    } else if (Literal("Infinity")) {
      v->number_ = std::numeric_limits<double>::infinity();
    } else if (Literal("-Infinity")) {
      v->number_ = -std::numeric_limits<double>::infinity();
    } else {
      if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
      const size_t digits = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      if (pos_ == digits) return Fail("expected a value");
      if (pos_ < s_.size() && s_[pos_] == '.') {
        ++pos_;
        const size_t frac = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        if (pos_ == frac) return Fail("expected digits after '.'");
      }
      if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
        const size_t exp = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        if (pos_ == exp) return Fail("expected exponent digits");
      }
      const std::string text(s_.substr(start, pos_ - start));
      v->number_ = std::strtod(text.c_str(), nullptr);
    }
    v->str_.assign(s_.substr(start, pos_ - start));
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool Hex4(uint32_t* cp) {
    if (pos_ + 4 > s_.size()) return Fail("short \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= h - '0';
      else if (h >= 'a' && h <= 'f')
        v |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F')
        v |= h - 'A' + 10;
      else
        return Fail("bad \\u escape");
    }
    *cp = v;
    return true;
  }

  bool String(std::string* out) {
    ++pos_;  // the opening quote
    for (;;) {
      // Copy the run up to the next quote or backslash in one go.
      const size_t run = pos_;
      while (pos_ < s_.size() && s_[pos_] != '"' && s_[pos_] != '\\') {
        if (static_cast<unsigned char>(s_[pos_]) < 0x20) return Fail("control character in a string");
        ++pos_;
      }
      out->append(s_.substr(run, pos_ - run));
      if (pos_ >= s_.size()) return Fail("unterminated string");
      if (s_[pos_++] == '"') return true;
      if (pos_ >= s_.size()) return Fail("unterminated escape");
      const char e = s_[pos_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(pos_, 2) == "\\u") {
            const size_t save = pos_;
            pos_ += 2;
            uint32_t lo = 0;
            if (!Hex4(&lo)) return false;
            if (lo >= 0xDC00 && lo < 0xE000)
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            else {
              cp = 0xFFFD;
              pos_ = save;
            }
          } else if (cp >= 0xD800 && cp < 0xE000) {
            cp = 0xFFFD;
          }
          AppendUtf8(cp, out);
          break;
        }
        default: return Fail("bad escape");
      }
    }
  }

  bool Array(JsonValue* v, uint32_t depth) {
    v->type_ = JsonValue::Type::kArray;
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      v->items_.emplace_back();
      SkipSpace();
      if (!Value(&v->items_.back(), depth)) return false;
      SkipSpace();
      if (pos_ >= s_.size()) return Fail("unterminated array");
      const char c = s_[pos_++];
      if (c == ']') return true;
      if (c != ',') return Fail("expected ',' or ']'");
    }
  }

  bool Object(JsonValue* v, uint32_t depth) {
    v->type_ = JsonValue::Type::kObject;
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("expected a member name");
      v->members_.emplace_back();
      if (!String(&v->members_.back().first)) return false;
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != ':') return Fail("expected ':'");
      ++pos_;
      SkipSpace();
      if (!Value(&v->members_.back().second, depth)) return false;
      SkipSpace();
      if (pos_ >= s_.size()) return Fail("unterminated object");
      const char c = s_[pos_++];
      if (c == '}') return true;
      if (c != ',') return Fail("expected ',' or '}'");
    }
  }

  std::string_view s_;
  const JsonLimits& limits_;
  size_t pos_ = 0;
  uint64_t values_ = 0;
  std::string error_;
};

bool ParseJson(std::string_view text, const JsonLimits& limits, JsonValue* out, std::string* error) {
  *out = JsonValue();
  JsonParser parser(text, limits);
  if (parser.Parse(out, error)) return true;
  *out = JsonValue();
  return false;
}

}  // namespace tbview
