#include "projector_config.h"

#include <cstdint>
#include <set>

namespace tbview {
namespace projector {
namespace {

// Which message a `{ }` block fills; kUnknown blocks are parsed and dropped.
enum class Msg { kConfig, kEmbedding, kSprite, kUnknown };

// A scalar value as written: a string (quoted) or a bare token (number, enum, bool).
struct Scalar {
  bool quoted = false;
  std::string text;
  int line = 0, col = 0;
};

class TextParser {
 public:
  TextParser(std::string_view text, std::string_view file, const ProjectorLimits& limits,
             ParsedProjectorConfig* out)
      : s_(text), file_(file), limits_(limits), out_(out) {}

  bool Run(std::string* error) {
    if (!ParseFields(Msg::kConfig, &out_->config, 0)) {
      *error = error_;
      return false;
    }
    return true;
  }

 private:
  bool Fail(const std::string& what) {
    if (error_.empty()) {
      error_ = std::string(file_) + ":" + std::to_string(line_) + ":" + std::to_string(col_) + ": " + what;
    }
    return false;
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  void Advance() {
    if (s_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }
  void SkipSpace() {
    while (!AtEnd()) {
      const char c = Peek();
      if (c == '#') {
        while (!AtEnd() && Peek() != '\n') Advance();
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        Advance();
      } else {
        break;
      }
    }
  }
  static bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
  static bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
  // A bare token: identifier, number (with sign, dot, exponent) or enum name.
  static bool IsTokenChar(char c) { return IsIdentChar(c) || c == '.' || c == '-' || c == '+'; }

  // Fields until `}` / `>` (depth > 0) or the end (depth 0).
  bool ParseFields(Msg msg, google::protobuf::MessageLite* target, uint64_t depth) {
    if (depth > limits_.max_config_depth) {
      return Fail("messages nested deeper than max_config_depth (" +
                  std::to_string(limits_.max_config_depth) + ")");
    }
    for (;;) {
      SkipSpace();
      if (AtEnd()) {
        if (depth == 0) return true;
        return Fail("unexpected end of file: a '{' is not closed");
      }
      const char c = Peek();
      if (c == '}' || c == '>') {
        if (depth == 0) return Fail(std::string("unexpected '") + c + "'");
        return true;  // the caller checks and consumes the matching closer
      }
      if (c == '[') return Fail("extensions and Any ('[...]') are not supported in a projector config");
      if (!IsIdentStart(c)) return Fail(std::string("expected a field name, found '") + Printable(c) + "'");
      std::string name;
      const int name_line = line_, name_col = col_;
      while (!AtEnd() && IsIdentChar(Peek())) {
        name += Peek();
        Advance();
      }
      SkipSpace();
      bool colon = false;
      if (Peek() == ':') {
        colon = true;
        Advance();
        SkipSpace();
      }
      if (Peek() == '{' || Peek() == '<') {
        if (!ParseMessageField(msg, target, name, depth)) return false;
      } else if (!colon) {
        return Fail("expected ':' or '{' after field name '" + name + "'");
      } else if (Peek() == '[') {
        Advance();
        SkipSpace();
        if (Peek() == ']') {
          Advance();
        } else {
          for (;;) {
            Scalar v;
            if (!ParseScalar(&v) || !Assign(msg, target, name, v, name_line, name_col)) return false;
            SkipSpace();
            if (Peek() == ',') {
              Advance();
              SkipSpace();
              continue;
            }
            if (Peek() == ']') {
              Advance();
              break;
            }
            return Fail("expected ',' or ']' in the list of '" + name + "'");
          }
        }
      } else {
        Scalar v;
        if (!ParseScalar(&v) || !Assign(msg, target, name, v, name_line, name_col)) return false;
      }
      SkipSpace();
      if (Peek() == ',' || Peek() == ';') Advance();
    }
  }

  bool ParseMessageField(Msg msg, google::protobuf::MessageLite* target, const std::string& name,
                         uint64_t depth) {
    const char open = Peek();
    const char close = open == '{' ? '}' : '>';
    Advance();
    Msg child = Msg::kUnknown;
    google::protobuf::MessageLite* child_target = nullptr;
    if (msg == Msg::kConfig && name == "embeddings") {
      child = Msg::kEmbedding;
      child_target = static_cast<proto::ProjectorConfig*>(target)->add_embeddings();
    } else if (msg == Msg::kEmbedding && name == "sprite") {
      child = Msg::kSprite;
      child_target = static_cast<proto::EmbeddingInfo*>(target)->mutable_sprite();
    } else {
      if (msg != Msg::kUnknown) Unknown(name);
      if (IsKnownScalar(msg, name)) return Fail("field '" + name + "' takes a value, not a message");
    }
    if (!ParseFields(child, child_target, depth + 1)) return false;
    if (Peek() != close) return Fail(std::string("expected '") + close + "'");
    Advance();
    return true;
  }

  bool ParseScalar(Scalar* v) {
    v->line = line_;
    v->col = col_;
    const char c = Peek();
    if (c == '"' || c == '\'') {
      v->quoted = true;
      // Adjacent quoted strings concatenate.
      while (Peek() == '"' || Peek() == '\'') {
        if (!ParseQuoted(&v->text)) return false;
        SkipSpace();
      }
      return true;
    }
    if (!IsTokenChar(c)) return Fail(std::string("expected a value, found '") + Printable(c) + "'");
    while (!AtEnd() && IsTokenChar(Peek())) {
      v->text += Peek();
      Advance();
    }
    return true;
  }

  bool ParseQuoted(std::string* out) {
    const char quote = Peek();
    Advance();
    for (;;) {
      if (AtEnd() || Peek() == '\n') return Fail("string not closed before the end of the line");
      const char c = Peek();
      Advance();
      if (c == quote) return true;
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (AtEnd()) return Fail("string not closed before the end of the file");
      const char e = Peek();
      Advance();
      switch (e) {
        case 'n': *out += '\n'; break;
        case 't': *out += '\t'; break;
        case 'r': *out += '\r'; break;
        case 'a': *out += '\a'; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'v': *out += '\v'; break;
        case '\\':
        case '\'':
        case '"':
        case '?': *out += e; break;
        case 'x':
        case 'X': {
          int value = 0, digits = 0;
          while (digits < 2 && !AtEnd() && HexValue(Peek()) >= 0) {
            value = value * 16 + HexValue(Peek());
            Advance();
            ++digits;
          }
          if (digits == 0) return Fail("'\\x' escape without hex digits");
          *out += static_cast<char>(value);
          break;
        }
        case 'u':
        case 'U': {
          const int want = e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          for (int i = 0; i < want; ++i) {
            if (AtEnd() || HexValue(Peek()) < 0)
              return Fail(std::string("'\\") + e + "' escape needs " + std::to_string(want) + " hex digits");
            cp = cp * 16 + static_cast<uint32_t>(HexValue(Peek()));
            Advance();
          }
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return Fail("escape is not a Unicode scalar value");
          AppendUtf8(cp, out);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int value = e - '0', digits = 1;
            while (digits < 3 && !AtEnd() && Peek() >= '0' && Peek() <= '7') {
              value = value * 8 + (Peek() - '0');
              Advance();
              ++digits;
            }
            if (value > 255) return Fail("octal escape above \\377");
            *out += static_cast<char>(value);
          } else {
            return Fail(std::string("unknown escape '\\") + Printable(e) + "'");
          }
      }
    }
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  static std::string Printable(char c) {
    if (c == '\0') return "end of file";
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      static const char kHex[] = "0123456789abcdef";
      const unsigned char u = static_cast<unsigned char>(c);
      return std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
    }
    return std::string(1, c);
  }

  static bool IsKnownScalar(Msg msg, const std::string& name) {
    switch (msg) {
      case Msg::kConfig: return name == "model_checkpoint_path" || name == "model_checkpoint_dir";
      case Msg::kEmbedding:
        return name == "tensor_name" || name == "metadata_path" || name == "bookmarks_path" ||
               name == "tensor_shape" || name == "tensor_path";
      case Msg::kSprite: return name == "image_path" || name == "single_image_dim";
      case Msg::kUnknown: return false;
    }
    return false;
  }

  void Unknown(const std::string& name) {
    if (unknown_.insert(name).second) out_->warnings.push_back("unknown field '" + name + "' skipped");
  }

  bool NeedString(const Scalar& v, const std::string& name) {
    if (v.quoted) return true;
    line_ = v.line;
    col_ = v.col;
    return Fail("field '" + name + "' needs a quoted string, found '" + v.text + "'");
  }
  bool ParseUint32(const Scalar& v, const std::string& name, uint32_t* out) {
    line_ = v.line;
    col_ = v.col;
    const std::string& t = v.text;
    uint64_t value = 0;
    size_t i = 0;
    int base = 10;
    if (v.quoted || t.empty()) return Fail("field '" + name + "' needs an unsigned integer");
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
      base = 16;
      i = 2;
    } else if (t.size() > 1 && t[0] == '0') {
      base = 8;
      i = 1;
    }
    for (; i < t.size(); ++i) {
      const int d = HexValue(t[i]);
      if (d < 0 || d >= base)
        return Fail("field '" + name + "' needs an unsigned integer, found '" + t + "'");
      value = value * base + d;
      if (value > 0xFFFFFFFFull) return Fail("field '" + name + "' value '" + t + "' is above 2^32-1");
    }
    *out = static_cast<uint32_t>(value);
    return true;
  }

  bool Assign(Msg msg, google::protobuf::MessageLite* target, const std::string& name, const Scalar& v, int,
              int) {
    const int save_line = line_, save_col = col_;
    bool ok = true;
    if (msg == Msg::kConfig) {
      auto* c = static_cast<proto::ProjectorConfig*>(target);
      if (name == "model_checkpoint_path") {
        ok = NeedString(v, name) && (c->set_model_checkpoint_path(v.text), true);
      } else if (name == "model_checkpoint_dir") {
        ok = NeedString(v, name) && (c->set_model_checkpoint_dir(v.text), true);
      } else if (name == "embeddings") {
        ok = Fail("field 'embeddings' is a message: write 'embeddings { ... }'");
      } else {
        Unknown(name);
      }
    } else if (msg == Msg::kEmbedding) {
      auto* e = static_cast<proto::EmbeddingInfo*>(target);
      uint32_t n = 0;
      if (name == "tensor_name") {
        ok = NeedString(v, name) && (e->set_tensor_name(v.text), true);
      } else if (name == "metadata_path") {
        ok = NeedString(v, name) && (e->set_metadata_path(v.text), true);
      } else if (name == "bookmarks_path") {
        ok = NeedString(v, name) && (e->set_bookmarks_path(v.text), true);
      } else if (name == "tensor_path") {
        ok = NeedString(v, name) && (e->set_tensor_path(v.text), true);
      } else if (name == "tensor_shape") {
        ok = ParseUint32(v, name, &n) && (e->add_tensor_shape(n), true);
      } else if (name == "sprite") {
        ok = Fail("field 'sprite' is a message: write 'sprite { ... }'");
      } else {
        Unknown(name);
      }
    } else if (msg == Msg::kSprite) {
      auto* s = static_cast<proto::SpriteMetadata*>(target);
      uint32_t n = 0;
      if (name == "image_path") {
        ok = NeedString(v, name) && (s->set_image_path(v.text), true);
      } else if (name == "single_image_dim") {
        ok = ParseUint32(v, name, &n) && (s->add_single_image_dim(n), true);
      } else {
        Unknown(name);
      }
    }
    if (ok) {
      line_ = save_line;
      col_ = save_col;
    }
    return ok;
  }

  std::string_view s_;
  std::string_view file_;
  const ProjectorLimits& limits_;
  ParsedProjectorConfig* out_;
  size_t pos_ = 0;
  int line_ = 1, col_ = 1;
  std::string error_;
  std::set<std::string> unknown_;
};

}  // namespace

bool ParseProjectorConfig(std::string_view text, std::string_view file, const ProjectorLimits& limits,
                          ParsedProjectorConfig* out, std::string* error) {
  *out = ParsedProjectorConfig();
  if (text.size() > limits.max_config_bytes) {
    *error = std::string(file) + ": " + std::to_string(text.size()) + " bytes, more than max_config_bytes (" +
             std::to_string(limits.max_config_bytes) + ")";
    return false;
  }
  TextParser parser(text, file, limits, out);
  if (!parser.Run(error)) return false;
  // Identical entries once, first occurrence kept (order otherwise unchanged).
  auto* list = out->config.mutable_embeddings();
  std::set<std::string> seen;
  int kept = 0;
  for (int i = 0; i < list->size(); ++i) {
    if (!seen.insert(list->Get(i).SerializeAsString()).second) {
      ++out->duplicates_removed;
      continue;
    }
    if (kept != i) list->SwapElements(kept, i);
    ++kept;
  }
  while (list->size() > kept) list->RemoveLast();
  return true;
}

bool ParseCheckpointState(std::string_view text, std::string_view file, const ProjectorLimits& limits,
                          std::string* model_checkpoint_path, std::string* error) {
  // CheckpointState's model_checkpoint_path has the same name, number and type as
  // ProjectorConfig's; its other fields are skipped as unknown.
  ParsedProjectorConfig parsed;
  if (!ParseProjectorConfig(text, file, limits, &parsed, error)) return false;
  if (parsed.config.model_checkpoint_path().empty()) {
    *error = std::string(file) + ": no model_checkpoint_path";
    return false;
  }
  *model_checkpoint_path = parsed.config.model_checkpoint_path();
  return true;
}

}  // namespace projector
}  // namespace tbview
