// DecodeTensor: every dtype and encoding, the one-value fill rule, half and
// bfloat16 bit patterns, and the limit checks that must run before allocation.
#include "tensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "proto/event.pb.h"

namespace tbview {
namespace {

proto::TensorProto Make(int dtype, std::initializer_list<int64_t> shape) {
  proto::TensorProto t;
  t.set_dtype(static_cast<proto::DataType>(dtype));
  for (int64_t d : shape) t.mutable_tensor_shape()->add_dim()->set_size(d);
  return t;
}

Tensor DecodeOk(const proto::TensorProto& p) {
  Tensor t;
  std::string err;
  EXPECT_TRUE(DecodeTensor(p, Limits(), &t, &err)) << err;
  return t;
}

std::string DecodeErr(const proto::TensorProto& p, const Limits& limits = Limits()) {
  Tensor t;
  std::string err;
  EXPECT_FALSE(DecodeTensor(p, limits, &t, &err));
  EXPECT_FALSE(err.empty());
  return err;
}

template <typename T>
std::string Raw(std::initializer_list<T> v) {
  std::string s(v.size() * sizeof(T), '\0');
  size_t i = 0;
  for (T x : v) std::memcpy(&s[sizeof(T) * i++], &x, sizeof(T));
  return s;
}

TEST(TensorTest, FloatValAndShape) {
  auto p = Make(kDtFloat, {2, 2});
  for (float f : {1.5f, -2.f, 0.1f, 3.f}) p.add_float_val(f);
  Tensor t = DecodeOk(p);
  EXPECT_EQ(t.dtype, kDtFloat);
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(t.numbers, (std::vector<double>{1.5, -2.0, static_cast<double>(0.1f), 3.0}));
  EXPECT_TRUE(t.strings.empty());
}

TEST(TensorTest, ScalarRankZero) {
  auto p = Make(kDtDouble, {});
  p.add_double_val(0.1);
  Tensor t = DecodeOk(p);
  EXPECT_TRUE(t.shape.empty());
  EXPECT_EQ(t.num_elements(), 1u);
  EXPECT_EQ(t.numbers, std::vector<double>{0.1});
}

TEST(TensorTest, OneValueFillsTheShape) {
  auto p = Make(kDtInt32, {2, 3});
  p.add_int_val(7);
  Tensor t = DecodeOk(p);
  EXPECT_EQ(t.numbers, std::vector<double>(6, 7.0));

  auto s = Make(kDtString, {3});
  s.add_string_val("x");
  EXPECT_EQ(DecodeOk(s).strings, std::vector<std::string>(3, "x"));

  auto c = Make(kDtComplex64, {2});
  c.add_scomplex_val(1.f);
  c.add_scomplex_val(-1.f);
  EXPECT_EQ(DecodeOk(c).numbers, (std::vector<double>{1, -1, 1, -1}));
}

TEST(TensorTest, OneValueWithZeroElementsIsEmpty) {
  auto p = Make(kDtFloat, {0, 4});
  p.add_float_val(1.f);
  Tensor t = DecodeOk(p);
  EXPECT_TRUE(t.numbers.empty());
  EXPECT_EQ(t.shape, (std::vector<int64_t>{0, 4}));
}

TEST(TensorTest, EmptyTensorOfShapeZero) {
  Tensor t = DecodeOk(Make(kDtFloat, {0}));  // hparams' NULL_TENSOR
  EXPECT_TRUE(t.numbers.empty());
  EXPECT_EQ(t.shape, std::vector<int64_t>{0});
}

TEST(TensorTest, WrongCountFails) {
  auto p = Make(kDtFloat, {3});
  p.add_float_val(1);
  p.add_float_val(2);
  DecodeErr(p);
  DecodeErr(Make(kDtFloat, {}));  // no value at all for one element
}

TEST(TensorTest, SmallIntsWrapLikeNumpy) {
  struct Case {
    int dtype;
    int32_t in;
    double out;
  };
  for (Case c : {Case{kDtUint8, 255, 255}, Case{kDtUint8, 256 + 3, 3}, Case{kDtInt8, -128, -128},
                 Case{kDtInt8, 200, -56}, Case{kDtInt16, -300, -300}, Case{kDtUint16, 65535, 65535},
                 Case{kDtInt32, -5, -5}}) {
    auto p = Make(c.dtype, {1});
    p.add_int_val(c.in);
    EXPECT_EQ(DecodeOk(p).numbers, std::vector<double>{c.out}) << c.dtype << " " << c.in;
  }
}

TEST(TensorTest, ConversionsHoldInLongLoops) {
  // Long enough for the compiler to vectorize: every element must still be
  // narrowed / converted exactly (a GCC 12 -O3 vectorization once dropped a
  // double->float rounding in a similar loop).
  auto u8 = Make(kDtUint8, {257});
  auto f16 = Make(kDtHalf, {257});
  for (int i = 0; i < 257; ++i) {
    u8.add_int_val(i * 3);
    f16.add_half_val(0x3C00 + i);  // 1 + i/1024
  }
  const Tensor a = DecodeOk(u8), b = DecodeOk(f16);
  for (int i = 0; i < 257; ++i) {
    EXPECT_EQ(a.numbers[i], static_cast<uint8_t>(i * 3)) << i;
    EXPECT_EQ(b.numbers[i], 1.0 + i / 1024.0) << i;
  }
}

TEST(TensorTest, WideIntsAndBool) {
  auto i64 = Make(kDtInt64, {2});
  i64.add_int64_val(-(int64_t{1} << 40));
  i64.add_int64_val(42);
  EXPECT_EQ(DecodeOk(i64).numbers, (std::vector<double>{-1099511627776.0, 42}));
  auto u32 = Make(kDtUint32, {1});
  u32.add_uint32_val(4000000000u);
  EXPECT_EQ(DecodeOk(u32).numbers, std::vector<double>{4e9});
  auto u64 = Make(kDtUint64, {1});
  u64.add_uint64_val(~uint64_t{0});
  EXPECT_EQ(DecodeOk(u64).numbers, std::vector<double>{18446744073709551616.0});
  auto b = Make(kDtBool, {3});
  b.add_bool_val(true);
  b.add_bool_val(false);
  b.add_bool_val(true);
  EXPECT_EQ(DecodeOk(b).numbers, (std::vector<double>{1, 0, 1}));
}

TEST(TensorTest, HalfFromHalfVal) {
  auto p = Make(kDtHalf, {7});
  for (int bits : {0x3C00, 0xC000, 0x7C00, 0xFC00, 0x0001, 0x7BFF, 0x8000}) p.add_half_val(bits);
  Tensor t = DecodeOk(p);
  EXPECT_EQ(t.numbers[0], 1.0);
  EXPECT_EQ(t.numbers[1], -2.0);
  EXPECT_EQ(t.numbers[2], INFINITY);
  EXPECT_EQ(t.numbers[3], -INFINITY);
  EXPECT_EQ(t.numbers[4], std::ldexp(1.0, -24));  // smallest subnormal
  EXPECT_EQ(t.numbers[5], 65504.0);               // largest finite
  EXPECT_EQ(t.numbers[6], 0.0);
  EXPECT_TRUE(std::signbit(t.numbers[6]));
  auto nan = Make(kDtHalf, {});
  nan.add_half_val(0x7E00);
  EXPECT_TRUE(std::isnan(DecodeOk(nan).numbers[0]));
}

TEST(TensorTest, Bfloat16FromHalfValAndContent) {
  auto p = Make(kDtBfloat16, {2});
  p.add_half_val(0x3F80);  // 1.0
  p.add_half_val(0xC040);  // -3.0
  EXPECT_EQ(DecodeOk(p).numbers, (std::vector<double>{1.0, -3.0}));
  auto c = Make(kDtBfloat16, {1});
  c.set_tensor_content(Raw<uint16_t>({0x4049}));  // 3.140625
  EXPECT_EQ(DecodeOk(c).numbers, std::vector<double>{3.140625});
  auto one = Make(kDtBfloat16, {3});
  one.add_half_val(0x4000);  // one value fills
  EXPECT_EQ(DecodeOk(one).numbers, std::vector<double>(3, 2.0));
}

TEST(TensorTest, TensorContentEveryNumericDtype) {
  auto f = Make(kDtFloat, {2});
  f.set_tensor_content(Raw<float>({0.5f, -0.0f}));
  EXPECT_EQ(DecodeOk(f).numbers, (std::vector<double>{0.5, 0.0}));
  EXPECT_TRUE(std::signbit(DecodeOk(f).numbers[1]));
  auto d = Make(kDtDouble, {});
  d.set_tensor_content(Raw<double>({0.1}));
  EXPECT_EQ(DecodeOk(d).numbers, std::vector<double>{0.1});
  auto i = Make(kDtInt32, {2});
  i.set_tensor_content(Raw<int32_t>({-7, 9}));
  EXPECT_EQ(DecodeOk(i).numbers, (std::vector<double>{-7, 9}));
  auto l = Make(kDtInt64, {1});
  l.set_tensor_content(Raw<int64_t>({int64_t{1} << 53}));
  EXPECT_EQ(DecodeOk(l).numbers, std::vector<double>{9007199254740992.0});
  auto u8 = Make(kDtUint8, {3});
  u8.set_tensor_content(std::string("\x00\x7f\xff", 3));
  EXPECT_EQ(DecodeOk(u8).numbers, (std::vector<double>{0, 127, 255}));
  auto i8 = Make(kDtInt8, {1});
  i8.set_tensor_content(std::string("\xff", 1));
  EXPECT_EQ(DecodeOk(i8).numbers, std::vector<double>{-1});
  auto i16 = Make(kDtInt16, {1});
  i16.set_tensor_content(Raw<int16_t>({-2}));
  EXPECT_EQ(DecodeOk(i16).numbers, std::vector<double>{-2});
  auto u16 = Make(kDtUint16, {1});
  u16.set_tensor_content(Raw<uint16_t>({65000}));
  EXPECT_EQ(DecodeOk(u16).numbers, std::vector<double>{65000});
  auto u32 = Make(kDtUint32, {1});
  u32.set_tensor_content(Raw<uint32_t>({3000000000u}));
  EXPECT_EQ(DecodeOk(u32).numbers, std::vector<double>{3e9});
  auto u64 = Make(kDtUint64, {1});
  u64.set_tensor_content(Raw<uint64_t>({12345}));
  EXPECT_EQ(DecodeOk(u64).numbers, std::vector<double>{12345});
  auto b = Make(kDtBool, {2});
  b.set_tensor_content(std::string("\x01\x00", 2));
  EXPECT_EQ(DecodeOk(b).numbers, (std::vector<double>{1, 0}));
  auto h = Make(kDtHalf, {1});
  h.set_tensor_content(Raw<uint16_t>({0x3800}));  // 0.5
  EXPECT_EQ(DecodeOk(h).numbers, std::vector<double>{0.5});
  auto c64 = Make(kDtComplex64, {1});
  c64.set_tensor_content(Raw<float>({1.f, 2.f}));
  EXPECT_EQ(DecodeOk(c64).numbers, (std::vector<double>{1, 2}));
  auto c128 = Make(kDtComplex128, {2});
  c128.set_tensor_content(Raw<double>({1, 2, 3, 4}));
  EXPECT_EQ(DecodeOk(c128).numbers, (std::vector<double>{1, 2, 3, 4}));
}

TEST(TensorTest, TensorContentWinsOverValFields) {
  auto p = Make(kDtFloat, {});
  p.add_float_val(9.f);
  p.set_tensor_content(Raw<float>({4.f}));
  EXPECT_EQ(DecodeOk(p).numbers, std::vector<double>{4.0});
}

TEST(TensorTest, TensorContentOfWrongSizeFails) {
  auto p = Make(kDtFloat, {2});
  p.set_tensor_content(Raw<float>({1.f}));  // one value does not fill from raw bytes
  DecodeErr(p);
  auto s = Make(kDtString, {1});
  s.set_tensor_content("abc");
  DecodeErr(s);
}

TEST(TensorTest, Complex128Vals) {
  auto p = Make(kDtComplex128, {2});
  for (double v : {1.0, -1.0, 0.5, 2.0}) p.add_dcomplex_val(v);
  EXPECT_EQ(DecodeOk(p).numbers, (std::vector<double>{1, -1, 0.5, 2}));
  auto odd = Make(kDtComplex128, {1});
  odd.add_dcomplex_val(1);
  DecodeErr(odd);
}

TEST(TensorTest, StringsKeepBytes) {
  auto p = Make(kDtString, {2, 1});
  p.add_string_val(std::string("\x89PNG\0", 5));
  p.add_string_val("");
  Tensor t = DecodeOk(p);
  EXPECT_TRUE(t.is_string());
  EXPECT_EQ(t.strings[0], std::string("\x89PNG\0", 5));
  EXPECT_EQ(t.strings[1], "");
  EXPECT_TRUE(t.numbers.empty());
}

TEST(TensorTest, NegativeDimRejected) {
  auto p = Make(kDtFloat, {2, -1});
  p.add_float_val(1.f);
  EXPECT_NE(DecodeErr(p).find("negative"), std::string::npos);
}

TEST(TensorTest, OverLimitShapeFailsFastBeforeAllocating) {
  auto p = Make(kDtFloat, {1000000, 1000000});  // 1e12 elements, one value
  p.add_float_val(1.f);
  // Fails on the claim itself: had it allocated 1e12 elements first, the
  // allocation would abort the test (and ASan reports any large allocation).
  const std::string err = DecodeErr(p);
  EXPECT_NE(err.find("max_tensor_elements"), std::string::npos) << err;
  // A product that overflows 64 bits is caught too.
  auto q = Make(kDtFloat, {int64_t{1} << 40, int64_t{1} << 40, int64_t{1} << 40});
  q.add_float_val(1.f);
  DecodeErr(q);
  // The limit is a parameter.
  Limits small;
  small.max_tensor_elements = 10;
  auto r = Make(kDtFloat, {11});
  r.add_float_val(1.f);
  DecodeErr(r, small);
  auto ok = Make(kDtFloat, {10});
  ok.add_float_val(1.f);
  Tensor t;
  std::string err2;
  EXPECT_TRUE(DecodeTensor(ok, small, &t, &err2));
  // Strings: same rule.
  auto s = Make(kDtString, {1000000, 1000000});
  s.add_string_val("x");
  DecodeErr(s);
}

TEST(TensorTest, UnsupportedDtypeRejected) {
  auto p = Make(20 /* DT_RESOURCE */, {});
  DecodeErr(p);
  DecodeErr(Make(kDtInvalid, {}));
}

TEST(TensorTest, DtypeNumpyNames) {
  EXPECT_STREQ(DtypeNumpyName(kDtFloat), "float32");
  EXPECT_STREQ(DtypeNumpyName(kDtDouble), "float64");
  EXPECT_STREQ(DtypeNumpyName(kDtInt32), "int32");
  EXPECT_STREQ(DtypeNumpyName(kDtString), "object");
  EXPECT_STREQ(DtypeNumpyName(kDtHalf), "float16");
  EXPECT_STREQ(DtypeNumpyName(kDtBool), "bool");
  EXPECT_STREQ(DtypeNumpyName(kDtComplex64), "complex64");
  EXPECT_STREQ(DtypeNumpyName(kDtUint8), "uint8");
  EXPECT_STREQ(DtypeNumpyName(kDtInt64), "int64");
  EXPECT_STREQ(DtypeNumpyName(kDtBfloat16), "bfloat16");
}

}  // namespace
}  // namespace tbview
