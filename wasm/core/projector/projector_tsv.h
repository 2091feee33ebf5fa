// The projector's tabular files: tensors.tsv (streamed into one float32 matrix),
// raw float32 tensor files with a tensor_shape, and metadata.tsv.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "projector_limits.h"
#include "projector_matrix.h"

namespace tbview {
namespace projector {

// Reads a tensors.tsv pushed in chunks of any size (a row or a number may be
// split across chunks; nothing of a chunk is kept after Push returns) into one
// float32 matrix. One row per line, values separated by tabs; spaces and '\r'
// around a value are ignored and empty lines are skipped (PyTorch ends the file
// with a newline). Every row must have the first row's length; a value must be
// a finite decimal number (NaN and infinity are refused: no projection can use
// them). The first error stops the reader; error() then names the file, line
// and column (1-based, columns counted in values). Memory grows with what was
// read, never with a claim: the row x column product is checked against
// max_matrix_floats before each row starts.
class TsvMatrixReader {
 public:
  TsvMatrixReader(std::string file, const ProjectorLimits& limits);

  // Parses more bytes; false once failed (later pushes are ignored).
  bool Push(const uint8_t* data, size_t size);
  // Ends the file (a last line without newline counts); false on failure,
  // including a file with no values at all.
  bool Finish();

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  uint64_t bytes() const { return bytes_; }
  uint64_t rows() const { return rows_; }
  // Row length, known once the first row ended (0 before).
  uint64_t cols() const { return cols_; }
  // The matrix (rows() x cols()); call after a successful Finish().
  Matrix TakeMatrix();

 private:
  bool EndValue();
  bool EndRow();
  bool Fail(const std::string& what);

  std::string file_;
  ProjectorLimits limits_;
  std::string error_;
  std::vector<float> values_;
  char token_[80];
  size_t token_len_ = 0;
  bool token_closed_ = false;  // a space or '\r' came after the token's characters
  bool line_has_content_ = false;
  uint64_t bytes_ = 0, line_ = 1, rows_ = 0, cols_ = 0, row_values_ = 0;
};

// Parses one decimal number (optional sign, digits with an optional point,
// optional exponent) of `n` characters into the nearest float. Returns 0 on
// success, 1 when it is not a number, 2 when it is NaN, infinite or beyond
// float32's range.
int ParseFloat(const char* p, size_t n, float* out);

// A raw little-endian float32 file of shape [rows, cols] (tensor_path with
// tensor_shape): the size must be exactly rows * cols * 4 bytes.
bool ReadRawFloat32(std::string_view bytes, const std::vector<uint32_t>& shape, std::string_view file,
                    const ProjectorLimits& limits, Matrix* out, std::string* error);

// metadata.tsv, TensorBoard's rule: a file whose first line has one field has
// no header (its single column is named "label", has_header false); with
// several fields the first line is the header. Lines end with '\n' (a '\r'
// before it is dropped); one trailing empty line is the file's end, other empty
// lines are empty labels (a vocabulary's padding token is ""). Every row must
// have the header's field count.
struct EmbeddingMetadata {
  bool has_header = false;
  std::vector<std::string> column_names;
  // columns[c][r]: the value of column c for point r. Invariant: every column
  // has `rows` values.
  std::vector<std::vector<std::string>> columns;
  uint64_t rows = 0;
};

bool ParseMetadataTsv(std::string_view text, std::string_view file, const ProjectorLimits& limits,
                      EmbeddingMetadata* out, std::string* error);

}  // namespace projector
}  // namespace tbview
