// QueryScalars: min/max reduction, range edges, smoothing, NaN, percentiles.
#include "downsample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace tbview {
namespace {

// TensorBoard's smoothing, written as the front end writes it (with Math.pow).
std::vector<double> ReferenceSmooth(const std::vector<double>& ys, double w) {
  std::vector<double> out;
  double last = ys.empty() ? NAN : 0;
  int n = 0;
  bool constant = true;
  for (double y : ys) constant = constant && y == ys[0];
  for (double y : ys) {
    if (constant || !std::isfinite(y)) {
      out.push_back(y);
      continue;
    }
    last = last * w + (1 - w) * y;
    ++n;
    double debias = w == 1 ? 1 : 1 - std::pow(w, n);
    out.push_back(last / debias);
  }
  return out;
}

ScalarSeries Make(const std::vector<double>& ys, int64_t step0 = 0) {
  ScalarSeries s;
  for (size_t i = 0; i < ys.size(); ++i) s.Append(step0 + static_cast<int64_t>(i), 1000.0 + 2.0 * i, ys[i]);
  return s;
}

TEST(DownsampleTest, SmallSeriesComesBackWhole) {
  ScalarSeries s = Make({1, 2, 3, 4});
  ScalarQuery q;
  ScalarQueryResult r;
  QueryScalars(s, q, &r);
  EXPECT_EQ(r.total, 4u);
  EXPECT_EQ(r.value, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(r.step, (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(r.x, r.step);
  EXPECT_EQ(r.wall_time, (std::vector<double>{1000, 1002, 1004, 1006}));
  EXPECT_EQ(r.smoothed, r.value);  // smoothing 0
  EXPECT_EQ(r.y_min, 1);
  EXPECT_EQ(r.y_max, 4);
}

TEST(DownsampleTest, SpikeSurvivesReduction) {
  std::vector<double> ys(1000000);
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> u(0, 1);
  for (double& y : ys) y = u(rng);
  ys[123457] = 1000;   // one spike up
  ys[765431] = -1000;  // one spike down
  ScalarSeries s = Make(ys);
  ScalarQuery q;
  q.width = 500;
  ScalarQueryResult r;
  QueryScalars(s, q, &r);
  EXPECT_EQ(r.total, ys.size());
  EXPECT_LE(r.x.size(), 2u * 500 + 2);
  EXPECT_GE(r.x.size(), 500u);
  bool up = false, down = false;
  for (size_t i = 0; i < r.value.size(); ++i) {
    if (r.value[i] == 1000) up = r.step[i] == 123457;
    if (r.value[i] == -1000) down = r.step[i] == 765431;
    if (i) {
      EXPECT_LE(r.x[i - 1], r.x[i]);
    }
  }
  EXPECT_TRUE(up);
  EXPECT_TRUE(down);
  EXPECT_EQ(r.y_max, 1000);
  EXPECT_EQ(r.y_min, -1000);
  // Outliers do not move the percentiles of a uniform [0, 1) sample.
  EXPECT_NEAR(r.p05, 0.05, 0.01);
  EXPECT_NEAR(r.p95, 0.95, 0.01);
}

TEST(DownsampleTest, RangeKeepsOnePointBeyondEachEdge) {
  std::vector<double> ys;
  for (int i = 0; i < 100; ++i) ys.push_back(i);
  ScalarSeries s = Make(ys);
  ScalarQuery q;
  q.x0 = 10;
  q.x1 = 20;
  ScalarQueryResult r;
  QueryScalars(s, q, &r);
  EXPECT_EQ(r.total, 11u);
  ASSERT_EQ(r.step.size(), 13u);
  EXPECT_EQ(r.step.front(), 9);
  EXPECT_EQ(r.step.back(), 21);
  EXPECT_EQ(r.y_min, 10);
  EXPECT_EQ(r.y_max, 20);
  // One-sided range.
  q.x0 = NAN;
  q.x1 = 5;
  QueryScalars(s, q, &r);
  EXPECT_EQ(r.total, 6u);
  EXPECT_EQ(r.step.front(), 0);
  EXPECT_EQ(r.step.back(), 6);
}

TEST(DownsampleTest, RelativeAndWallTimeAxes) {
  ScalarSeries s = Make({5, 6, 7});
  ScalarQuery q;
  q.x_axis = ScalarQuery::kRelative;
  ScalarQueryResult r;
  QueryScalars(s, q, &r);
  EXPECT_EQ(r.x, (std::vector<double>{0, 2, 4}));
  q.x_axis = ScalarQuery::kWallTime;
  q.x0 = 1001;
  q.x1 = 1004;
  QueryScalars(s, q, &r);
  EXPECT_EQ(r.total, 2u);
  EXPECT_EQ(r.x, (std::vector<double>{1000, 1002, 1004}));  // 1000 is the point before the range
}

TEST(DownsampleTest, SmoothingMatchesReferenceOnFullSeries) {
  std::vector<double> ys;
  std::mt19937 rng(7);
  std::normal_distribution<double> g(0, 1);
  for (int i = 0; i < 5000; ++i) ys.push_back(std::sin(i * 0.01) + g(rng));
  ys[100] = NAN;
  ys[200] = INFINITY;
  for (double w : {0.0, 0.6, 0.9, 0.999, 1.0}) {
    ScalarSeries s = Make(ys);
    std::vector<double> want = ReferenceSmooth(ys, w);
    ScalarQuery q;
    q.smoothing = w;
    q.width = 100000;  // no reduction: every point out
    ScalarQueryResult r;
    QueryScalars(s, q, &r);
    ASSERT_EQ(r.smoothed.size(), ys.size());
    for (size_t i = 0; i < ys.size(); ++i) {
      if (!std::isfinite(want[i])) {
        EXPECT_TRUE(std::isnan(want[i]) ? std::isnan(r.smoothed[i]) : r.smoothed[i] == want[i]) << i;
      } else {
        EXPECT_NEAR(r.smoothed[i], want[i], 1e-6 * (1 + std::fabs(want[i]))) << "w=" << w << " i=" << i;
      }
    }
    // Zoomed in: the smoothed values are those of the full series, not restarted.
    q.x0 = 3000;
    q.x1 = 3010;
    q.width = 100;
    QueryScalars(s, q, &r);
    ASSERT_FALSE(r.step.empty());
    for (size_t i = 0; i < r.step.size(); ++i) {
      size_t k = static_cast<size_t>(r.step[i]);
      EXPECT_NEAR(r.smoothed[i], want[k], 1e-6 * (1 + std::fabs(want[k])));
    }
  }
}

TEST(DownsampleTest, SmoothingOfConstantSeriesIsExact) {
  ScalarSeries s = Make(std::vector<double>(1000, 0.1f));
  ScalarQuery q;
  q.smoothing = 0.99;
  ScalarQueryResult r;
  QueryScalars(s, q, &r);
  for (double v : r.smoothed) EXPECT_EQ(v, static_cast<double>(0.1f));
}

TEST(DownsampleTest, NaNIsKeptButNotCountedInStatistics) {
  std::vector<double> ys(10000, 1.0);
  ys[5000] = NAN;
  ys[7000] = -INFINITY;
  ScalarSeries s = Make(ys);
  ScalarQuery q;
  q.width = 10;
  ScalarQueryResult r;
  QueryScalars(s, q, &r);
  EXPECT_EQ(r.total, ys.size());
  bool nan = false, ninf = false;
  for (size_t i = 0; i < r.value.size(); ++i) {
    if (std::isnan(r.value[i])) nan = r.step[i] == 5000;
    if (r.value[i] == -INFINITY) ninf = r.step[i] == 7000;
  }
  EXPECT_TRUE(nan);
  EXPECT_TRUE(ninf);
  EXPECT_EQ(r.y_min, 1.0);  // finite only
  EXPECT_EQ(r.y_max, 1.0);
  EXPECT_EQ(r.p05, 1.0);
  // All NaN: statistics are NaN, points still come out.
  ScalarSeries all_nan = Make(std::vector<double>(5, NAN));
  QueryScalars(all_nan, q, &r);
  EXPECT_TRUE(std::isnan(r.y_min));
  EXPECT_TRUE(std::isnan(r.p95));
  EXPECT_FALSE(r.value.empty());
}

TEST(DownsampleTest, PercentilesInterpolate) {
  std::vector<double> ys;
  for (int i = 0; i <= 100; ++i) ys.push_back(100 - i);  // 0..100, reversed
  ScalarSeries s = Make(ys);
  ScalarQueryResult r;
  QueryScalars(s, ScalarQuery(), &r);
  EXPECT_DOUBLE_EQ(r.p05, 5);
  EXPECT_DOUBLE_EQ(r.p95, 95);
  ScalarSeries two = Make({0, 10});
  QueryScalars(two, ScalarQuery(), &r);
  EXPECT_DOUBLE_EQ(r.p05, 0.5);
  EXPECT_DOUBLE_EQ(r.p95, 9.5);
}

TEST(DownsampleTest, EmptyAndDegenerateInputs) {
  ScalarSeries empty;
  ScalarQueryResult r;
  QueryScalars(empty, ScalarQuery(), &r);
  EXPECT_TRUE(r.x.empty());
  EXPECT_EQ(r.total, 0u);
  ScalarSeries one = Make({3});
  ScalarQuery q;
  q.width = 0;
  QueryScalars(one, q, &r);
  EXPECT_EQ(r.value, std::vector<double>{3});
  q.x0 = 10;  // range beyond the data: only the point before it
  q.x1 = 20;
  QueryScalars(one, q, &r);
  EXPECT_EQ(r.total, 0u);
  EXPECT_EQ(r.value, std::vector<double>{3});
}

}  // namespace
}  // namespace tbview
