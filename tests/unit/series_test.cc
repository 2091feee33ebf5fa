// ScalarSeries / TensorSeries: storage layout, the restart rule, widening.
#include "series.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace tbview {
namespace {

TEST(ScalarSeriesTest, StoresPointsInOrder) {
  ScalarSeries s;
  for (int i = 0; i < 100; ++i) s.Append(i * 10, 1000.0 + i, i * 0.5);
  ASSERT_EQ(s.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(s.step(i), i * 10);
    EXPECT_EQ(s.wall_time(i), 1000.0 + i);
    EXPECT_EQ(s.value(i), i * 0.5);
  }
  EXPECT_EQ(s.dropped(), 0u);
}

TEST(ScalarSeriesTest, RestartDropsStepsAtOrAboveTheNewStep) {
  ScalarSeries s;
  for (int i = 0; i < 10; ++i) s.Append(i, i, i);
  s.Append(5, 100, -1);  // preempted job restarts from step 5
  ASSERT_EQ(s.size(), 6u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(s.step(i), i);
  EXPECT_EQ(s.step(5), 5);
  EXPECT_EQ(s.value(5), -1);
  EXPECT_EQ(s.wall_time(5), 100);
  EXPECT_EQ(s.dropped(), 5u);
  s.Append(0, 200, 7);  // restart from scratch
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.step(0), 0);
  EXPECT_EQ(s.value(0), 7);
  EXPECT_EQ(s.dropped(), 11u);
}

TEST(ScalarSeriesTest, EqualStepsAreAllKept) {
  ScalarSeries s;
  s.Append(3, 1, 1);
  s.Append(3, 2, 2);
  s.Append(3, 3, 3);
  EXPECT_EQ(s.size(), 3u);
  s.Append(4, 4, 4);
  s.Append(3, 5, 5);  // lower than 4: drops 4 and every 3, keeps none of them
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.value(0), 5);
  EXPECT_EQ(s.dropped(), 4u);
}

TEST(ScalarSeriesTest, StepsBeyond32BitDeltasStartNewBlocks) {
  ScalarSeries s;
  const int64_t big = int64_t{1} << 40;
  const int64_t steps[] = {std::numeric_limits<int64_t>::min(), -5, 0, 7, big, big + 1, big * 3,
                           std::numeric_limits<int64_t>::max()};
  for (int64_t st : steps) s.Append(st, 0, 1);
  ASSERT_EQ(s.size(), 8u);
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(s.step(i), steps[i]) << i;
  // A restart into the middle of the blocks.
  s.Append(big + 1, 0, 2);
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s.step(4), big);
  EXPECT_EQ(s.step(5), big + 1);
  EXPECT_EQ(s.value(5), 2);
  s.Append(big * 2, 0, 3);
  EXPECT_EQ(s.step(6), big * 2);
  s.Append(-6, 0, 4);  // drops everything from -5 on
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.step(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(s.step(1), -6);
}

TEST(ScalarSeriesTest, WidensToDoubleOnlyWhenAValueIsNotAFloat) {
  ScalarSeries s;
  s.Append(0, 0, 0.5);
  s.Append(1, 0, std::numeric_limits<double>::quiet_NaN());
  s.Append(2, 0, std::numeric_limits<double>::infinity());
  s.Append(3, 0, static_cast<float>(0.1));
  s.Shrink();
  EXPECT_EQ(s.RetainedBytes(), 4 * 16u + sizeof(int64_t) * 2);  // one block {start, base}
  s.Append(4, 0, 0.1);                                          // not a float: the column widens
  s.Append(5, 0, 1e300);
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s.value(0), 0.5);
  EXPECT_TRUE(std::isnan(s.value(1)));
  EXPECT_EQ(s.value(2), std::numeric_limits<double>::infinity());
  EXPECT_EQ(s.value(3), static_cast<double>(static_cast<float>(0.1)));
  EXPECT_EQ(s.value(4), 0.1);
  EXPECT_EQ(s.value(5), 1e300);
}

TEST(ScalarSeriesTest, SixteenBytesPerFloatPointAfterShrink) {
  ScalarSeries s;
  const size_t n = 100000;
  for (size_t i = 0; i < n; ++i) s.Append(static_cast<int64_t>(i), 1.6e9 + i, static_cast<float>(i) * 0.25f);
  EXPECT_GE(s.RetainedBytes(), 16 * n);
  s.Shrink();
  EXPECT_LE(s.RetainedBytes(), 16 * n + 64);
}

TEST(TensorSeriesTest, RestartRuleAndBytes) {
  TensorSeries t;
  for (int i = 0; i < 5; ++i) {
    TensorPoint p;
    p.step = i;
    p.tensor.dtype = kDtFloat;
    p.tensor.shape = {2};
    p.tensor.numbers = {1.0 * i, 2.0 * i};
    t.Append(std::move(p));
  }
  TensorPoint p;
  p.step = 2;
  p.tensor.dtype = kDtString;
  p.tensor.strings = {std::string(100, 'x')};
  t.Append(std::move(p));
  ASSERT_EQ(t.points().size(), 3u);
  EXPECT_EQ(t.points()[2].step, 2);
  EXPECT_TRUE(t.points()[2].tensor.is_string());
  EXPECT_EQ(t.dropped(), 3u);
  EXPECT_GE(t.RetainedBytes(), 100u + 2 * 2 * sizeof(double));
}

}  // namespace
}  // namespace tbview
