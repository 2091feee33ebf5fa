#include "projector_tsv.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace tbview {
namespace projector {

int ParseFloat(const char* p, size_t n, float* out) {
  size_t i = 0;
  bool negative = false;
  if (i < n && (p[i] == '+' || p[i] == '-')) negative = p[i++] == '-';
  // NaN and infinity are named so the error can say which.
  if (n - i == 3 || n - i == 8) {
    char low[9] = {0};
    for (size_t k = i; k < n; ++k) low[k - i] = static_cast<char>(p[k] | 0x20);
    if (std::strcmp(low, "nan") == 0 || std::strcmp(low, "inf") == 0 || std::strcmp(low, "infinity") == 0)
      return 2;
  }
  uint64_t mantissa = 0;
  int significant = 0, exponent = 0, digits = 0;
  for (; i < n && p[i] >= '0' && p[i] <= '9'; ++i, ++digits) {
    if (significant < 19) {
      mantissa = mantissa * 10 + static_cast<uint64_t>(p[i] - '0');
      if (mantissa != 0) ++significant;
    } else {
      ++exponent;
    }
  }
  if (i < n && p[i] == '.') {
    for (++i; i < n && p[i] >= '0' && p[i] <= '9'; ++i, ++digits) {
      if (significant < 19) {
        mantissa = mantissa * 10 + static_cast<uint64_t>(p[i] - '0');
        if (mantissa != 0) ++significant;
        --exponent;
      }
    }
  }
  if (digits == 0) return 1;
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < n && (p[i] == '+' || p[i] == '-')) eneg = p[i++] == '-';
    int e = 0, edigits = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; ++i, ++edigits) {
      if (e < 100000) e = e * 10 + (p[i] - '0');
    }
    if (edigits == 0) return 1;
    exponent += eneg ? -e : e;
  }
  if (i != n) return 1;
  double value;
  static const double kPow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (mantissa == 0) {
    value = 0.0;
  } else if (mantissa < (1ull << 53) && exponent >= -22 && exponent <= 22) {
    // Both operands exact in double: one correctly rounded operation.
    value = exponent >= 0 ? static_cast<double>(mantissa) * kPow10[exponent]
                          : static_cast<double>(mantissa) / kPow10[-exponent];
  } else {
    // Rare (long mantissas, large exponents): the C library, on a terminated copy.
    char buf[96];
    if (n >= sizeof buf) return 1;
    std::memcpy(buf, p, n);
    buf[n] = '\0';
    value = std::fabs(std::strtod(buf, nullptr));
  }
  if (negative) value = -value;
  // Values below FLT_MAX + half an ulp round to FLT_MAX; at or above, to infinity.
  if (!(std::fabs(value) < 3.4028235677973366e38)) return 2;
  *out = static_cast<float>(value);
  return 0;
}

TsvMatrixReader::TsvMatrixReader(std::string file, const ProjectorLimits& limits)
    : file_(std::move(file)), limits_(limits) {
  if (limits_.max_number_chars > sizeof token_ - 1) limits_.max_number_chars = sizeof token_ - 1;
}

bool TsvMatrixReader::Fail(const std::string& what) {
  if (error_.empty()) {
    error_ = file_ + ": line " + std::to_string(line_) + ", column " + std::to_string(row_values_ + 1) +
             ": " + what;
    values_.clear();
    values_.shrink_to_fit();
  }
  return false;
}

bool TsvMatrixReader::EndValue() {
  if (token_len_ == 0) return Fail("empty value");
  float v;
  const int r = ParseFloat(token_, token_len_, &v);
  if (r != 0) {
    const std::string shown(token_, token_len_);
    return Fail(r == 1
                    ? "not a number: '" + shown + "'"
                    : "'" + shown + "' is NaN, infinite or beyond float32 (projections need finite values)");
  }
  if (cols_ != 0 && row_values_ >= cols_) {
    return Fail("more values than the first line's " + std::to_string(cols_));
  }
  if (cols_ == 0 && row_values_ >= limits_.max_columns) {
    return Fail("more than max_columns (" + std::to_string(limits_.max_columns) + ") values in a row");
  }
  // Before a row starts, the matrix it would make must fit.
  if (row_values_ == 0 && cols_ != 0 && (rows_ + 1) * cols_ > limits_.max_matrix_floats) {
    return Fail("more than max_matrix_floats (" + std::to_string(limits_.max_matrix_floats) +
                ") values: " + std::to_string(rows_) + " rows of " + std::to_string(cols_) + " read");
  }
  values_.push_back(v);
  ++row_values_;
  token_len_ = 0;
  token_closed_ = false;
  return true;
}

bool TsvMatrixReader::EndRow() {
  if (!EndValue()) return false;
  if (cols_ == 0) {
    cols_ = row_values_;
  } else if (row_values_ != cols_) {
    --row_values_;  // the column reported is the last one present
    return Fail(std::to_string(row_values_ + 1) + " values, the first line has " + std::to_string(cols_));
  }
  ++rows_;
  row_values_ = 0;
  line_has_content_ = false;
  return true;
}

bool TsvMatrixReader::Push(const uint8_t* data, size_t size) {
  if (failed()) return false;
  for (size_t i = 0; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    ++bytes_;
    switch (c) {
      case '\t':
        line_has_content_ = true;
        if (!EndValue()) return false;
        break;
      case '\n':
        if (line_has_content_ || token_len_ != 0) {
          if (!EndRow()) return false;
        }
        ++line_;
        break;
      case ' ':
      case '\r':
        if (token_len_ != 0) token_closed_ = true;
        break;
      default:
        line_has_content_ = true;
        if (token_closed_) return Fail("a space inside a value");
        if (token_len_ >= limits_.max_number_chars) {
          return Fail("a value longer than max_number_chars (" + std::to_string(limits_.max_number_chars) +
                      ")");
        }
        token_[token_len_++] = c;
    }
  }
  return true;
}

bool TsvMatrixReader::Finish() {
  if (failed()) return false;
  if ((line_has_content_ || token_len_ != 0) && !EndRow()) return false;
  if (rows_ == 0) return Fail("no values");
  return true;
}

Matrix TsvMatrixReader::TakeMatrix() {
  Matrix m;
  if (failed()) return m;
  m.rows = rows_;
  m.cols = cols_;
  m.values.swap(values_);
  m.values.shrink_to_fit();
  return m;
}

bool ReadRawFloat32(std::string_view bytes, const std::vector<uint32_t>& shape, std::string_view file,
                    const ProjectorLimits& limits, Matrix* out, std::string* error) {
  const std::string name(file);
  if (shape.size() != 2 || shape[0] == 0 || shape[1] == 0) {
    *error = name + ": tensor_shape must be [rows, columns], both above 0";
    return false;
  }
  const uint64_t rows = shape[0], cols = shape[1];
  if (cols > limits.max_columns || rows * cols > limits.max_matrix_floats) {
    *error = name + ": tensor_shape [" + std::to_string(rows) + ", " + std::to_string(cols) +
             "] is more than max_matrix_floats (" + std::to_string(limits.max_matrix_floats) +
             ") or max_columns";
    return false;
  }
  if (bytes.size() != rows * cols * 4) {
    *error = name + ": " + std::to_string(bytes.size()) + " bytes, but tensor_shape [" +
             std::to_string(rows) + ", " + std::to_string(cols) + "] of float32 needs " +
             std::to_string(rows * cols * 4);
    return false;
  }
  out->rows = rows;
  out->cols = cols;
  out->values.resize(rows * cols);
  for (uint64_t i = 0; i < rows * cols; ++i) {
    const unsigned char* b = reinterpret_cast<const unsigned char*>(bytes.data()) + i * 4;
    const uint32_t u = uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
    float f;
    std::memcpy(&f, &u, 4);
    if (!std::isfinite(f)) {
      *error = name + ": value " + std::to_string(i % cols + 1) + " of row " + std::to_string(i / cols + 1) +
               " is NaN or infinite (projections need finite values)";
      out->values.clear();
      return false;
    }
    out->values[i] = f;
  }
  return true;
}

namespace {
// The tab-separated fields of one line.
void SplitTabs(std::string_view line, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      fields->push_back(line.substr(start));
      return;
    }
    fields->push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}
}  // namespace

bool ParseMetadataTsv(std::string_view text, std::string_view file, const ProjectorLimits& limits,
                      EmbeddingMetadata* out, std::string* error) {
  *out = EmbeddingMetadata();
  const std::string name(file);
  if (text.size() > limits.max_metadata_bytes) {
    *error = name + ": " + std::to_string(text.size()) + " bytes, more than max_metadata_bytes (" +
             std::to_string(limits.max_metadata_bytes) + ")";
    return false;
  }
  if (text.empty()) {
    *error = name + ": empty metadata file";
    return false;
  }
  if (text.back() == '\n') text.remove_suffix(1);  // the file's last newline ends it
  std::vector<std::string_view> fields;
  size_t start = 0;
  uint64_t line_no = 0;
  uint64_t ncols = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    SplitTabs(line, &fields);
    if (line_no == 1) {
      ncols = fields.size();
      if (ncols > limits.max_metadata_columns) {
        *error = name + ": line 1 has " + std::to_string(ncols) +
                 " columns, more than max_metadata_columns (" + std::to_string(limits.max_metadata_columns) +
                 ")";
        return false;
      }
      out->columns.resize(ncols);
      if (ncols > 1) {
        out->has_header = true;
        for (std::string_view f : fields) out->column_names.emplace_back(f);
        continue;
      }
      out->column_names.push_back("label");
    }
    if (fields.size() != ncols) {
      *error = name + ": line " + std::to_string(line_no) + " has " + std::to_string(fields.size()) +
               " fields, " + (out->has_header ? "the header has " : "the first line has ") +
               std::to_string(ncols);
      *out = EmbeddingMetadata();
      return false;
    }
    for (uint64_t c = 0; c < ncols; ++c) out->columns[c].emplace_back(fields[c]);
    ++out->rows;
  }
  return true;
}

}  // namespace projector
}  // namespace tbview
