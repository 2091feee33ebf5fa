// Tests of the plugin views (plugins.h): hparams from the three writers (TF's
// hparams API, PyTorch's add_hparams, Lightning), custom scalar layouts,
// distribution basis points, PR curves and text layout. Real logs from the
// corpus are loaded through Logdir; those tests skip when the corpus is absent.
#include "plugins.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "logdir.h"
#include "proto/plugins.pb.h"
#include "support/corpus.h"
#include "support/files.h"
#include "support/load.h"
#include "writer.h"

namespace tbview {
namespace {

namespace fs = std::filesystem;
namespace pb = ::tbview::proto;

// ------------------------------- helpers -------------------------------

using test::Load;

// Opens every event file below files/<dir>, in path order, named relative to it.
// Returns false when the folder is absent.
bool LoadCorpusDir(Logdir* logdir, const std::string& dir) {
  fs::path root = fs::path(test::CorpusDir()) / "files" / dir;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return false;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); ++it)
    if (it->is_regular_file() && it->path().filename().string().find("tfevents") != std::string::npos)
      files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files)
    Load(logdir, fs::relative(f, root).generic_string(), test::ReadFile(f.string()));
  return true;
}

#define REQUIRE_CORPUS(logdir, dir)                    \
  do {                                                 \
    TBVIEW_REQUIRE_CORPUS();                           \
    ASSERT_TRUE(LoadCorpusDir(&(logdir), dir)) << dir; \
  } while (0)

pb::Value Num(double v) {
  pb::Value x;
  x.set_number_value(v);
  return x;
}
pb::Value Str(const std::string& v) {
  pb::Value x;
  x.set_string_value(v);
  return x;
}
pb::Value Bool(bool v) {
  pb::Value x;
  x.set_bool_value(v);
  return x;
}
pb::Value Null() {
  pb::Value x;
  x.set_null_value(pb::NULL_VALUE);
  return x;
}

// One hparams summary value, as TF's hparams API and PyTorch write it: no
// tensor, metadata with no data class (data compat gives it an empty [0]).
void WriteHparams(EventWriter* w, double wall_time, const std::string& tag,
                  const pb::HParamsPluginData& data) {
  proto::Event e = MakeEvent(wall_time, 0);
  auto* v = AddSummaryValue(&e, tag);
  SetPluginMetadata(v, "hparams", data.SerializeAsString(), proto::DATA_CLASS_UNKNOWN);
  w->WriteEvent(e);
}

pb::HParamsPluginData StartInfo(const std::map<std::string, pb::Value>& hparams,
                                const std::string& group = "", double start = 100) {
  pb::HParamsPluginData d;
  auto* s = d.mutable_session_start_info();
  for (const auto& kv : hparams) (*s->mutable_hparams())[kv.first] = kv.second;
  s->set_group_name(group);
  s->set_start_time_secs(start);
  return d;
}

pb::HParamsPluginData EndInfo(pb::Status status, double end) {
  pb::HParamsPluginData d;
  d.mutable_session_end_info()->set_status(status);
  d.mutable_session_end_info()->set_end_time_secs(end);
  return d;
}

const HparamInfoView* FindHparam(const HparamsData& d, const std::string& name) {
  for (const auto& h : d.hparam_infos)
    if (h.name == name) return &h;
  return nullptr;
}

const HparamsSession* FindSession(const HparamsData& d, const std::string& run) {
  for (const auto& s : d.sessions)
    if (s.run == run) return &s;
  return nullptr;
}

int MetricIndex(const HparamsData& d, const std::string& group, const std::string& tag) {
  for (size_t i = 0; i < d.metric_infos.size(); ++i)
    if (d.metric_infos[i].group == group && d.metric_infos[i].tag == tag) return static_cast<int>(i);
  return -1;
}

// ------------------------------- hparams -------------------------------

// TF's hparams API with Keras: experiment in the root run, a session per run,
// metrics of group "validation" in the session's sub-run.
TEST(PluginsHparams, TfApiExperimentSessionsAndGroupedMetrics) {
  Logdir logdir;
  {
    EventWriter w;
    w.WriteFileVersion(1);
    pb::HParamsPluginData d;
    auto* e = d.mutable_experiment();
    e->set_name("exp");
    e->set_time_created_secs(50);
    auto* h1 = e->add_hparam_infos();
    h1->set_name("num_units");
    h1->set_type(pb::DATA_TYPE_FLOAT64);
    *h1->mutable_domain_discrete()->add_values() = Num(16);
    *h1->mutable_domain_discrete()->add_values() = Num(32);
    auto* h2 = e->add_hparam_infos();
    h2->set_name("dropout");
    h2->set_display_name("Dropout");
    h2->set_type(pb::DATA_TYPE_FLOAT64);
    h2->mutable_domain_interval()->set_min_value(0.1);
    h2->mutable_domain_interval()->set_max_value(0.2);
    auto* h3 = e->add_hparam_infos();
    h3->set_name("optimizer");
    h3->set_type(pb::DATA_TYPE_STRING);
    *h3->mutable_domain_discrete()->add_values() = Str("adam");
    auto* m1 = e->add_metric_infos();
    m1->mutable_name()->set_tag("accuracy");
    m1->set_display_name("Accuracy");
    auto* m2 = e->add_metric_infos();
    m2->mutable_name()->set_group("validation");
    m2->mutable_name()->set_tag("epoch_accuracy");
    m2->set_dataset_type(pb::DATASET_VALIDATION);
    WriteHparams(&w, 2, "_hparams_/experiment", d);
    Load(&logdir, "events.out.tfevents.1.root", w.bytes());
  }
  {
    EventWriter w;
    w.WriteFileVersion(1);
    WriteHparams(
        &w, 3, "_hparams_/session_start_info",
        StartInfo({{"num_units", Num(16)}, {"dropout", Num(0.1)}, {"optimizer", Str("adam")}}, "g0", 3));
    w.WriteTensorScalar(4, 1, "accuracy", 0.5f);
    w.WriteTensorScalar(5, 2, "accuracy", 0.25f);
    w.WriteTensorScalar(6, 3, "accuracy", 0.75f);
    WriteHparams(&w, 7, "_hparams_/session_end_info", EndInfo(pb::STATUS_SUCCESS, 7.5));
    Load(&logdir, "run-0/events.out.tfevents.1.a", w.bytes());
  }
  {
    EventWriter w;
    w.WriteScalar(4, 0, "epoch_accuracy", 0.5f);
    w.WriteScalar(5, 1, "epoch_accuracy", 0.625f);
    Load(&logdir, "run-0/validation/events.out.tfevents.1.b", w.bytes());
  }
  {
    EventWriter w;
    WriteHparams(
        &w, 8, "_hparams_/session_start_info",
        StartInfo({{"num_units", Num(32)}, {"dropout", Num(0.1)}, {"optimizer", Str("adam")}}, "g1", 8));
    Load(&logdir, "run-1/events.out.tfevents.1.c", w.bytes());
  }

  HparamsData d = CollectHparams(logdir);
  EXPECT_TRUE(d.errors.empty());
  EXPECT_TRUE(d.has_experiment);
  EXPECT_EQ(d.experiment_runs, std::vector<std::string>{"."});
  EXPECT_EQ(d.name, "exp");
  EXPECT_EQ(d.time_created_secs, 50);
  ASSERT_EQ(d.hparam_infos.size(), 3u);  // declared order kept
  EXPECT_EQ(d.hparam_infos[0].name, "num_units");
  EXPECT_EQ(d.hparam_infos[0].type, "float64");
  EXPECT_EQ(d.hparam_infos[0].domain, "discrete");
  ASSERT_EQ(d.hparam_infos[0].domain_values.size(), 2u);
  EXPECT_EQ(d.hparam_infos[0].domain_values[1].kind, "number");
  EXPECT_EQ(d.hparam_infos[0].domain_values[1].number, 32);
  EXPECT_TRUE(d.hparam_infos[0].differs);
  EXPECT_EQ(d.hparam_infos[1].display_name, "Dropout");
  EXPECT_EQ(d.hparam_infos[1].domain, "interval");
  EXPECT_EQ(d.hparam_infos[1].interval_min, 0.1);
  EXPECT_EQ(d.hparam_infos[1].interval_max, 0.2);
  EXPECT_FALSE(d.hparam_infos[1].differs);
  EXPECT_EQ(d.hparam_infos[2].domain_values[0].string, "adam");

  ASSERT_EQ(d.metric_infos.size(), 2u);
  EXPECT_EQ(d.metric_infos[0].display_name, "Accuracy");
  EXPECT_EQ(d.metric_infos[0].dataset_type, "unknown");
  EXPECT_EQ(d.metric_infos[1].group, "validation");
  EXPECT_EQ(d.metric_infos[1].key, "validation/epoch_accuracy");
  EXPECT_EQ(d.metric_infos[0].key, "accuracy");
  EXPECT_EQ(d.metric_infos[1].dataset_type, "validation");

  ASSERT_EQ(d.sessions.size(), 2u);
  const HparamsSession& s0 = d.sessions[0];
  EXPECT_EQ(s0.run, "run-0");
  EXPECT_EQ(s0.group_name, "g0");
  EXPECT_EQ(s0.start_time_secs, 3);
  EXPECT_TRUE(s0.has_end);
  EXPECT_EQ(s0.status, "success");
  EXPECT_EQ(s0.end_time_secs, 7.5);
  EXPECT_EQ(s0.hparams.at("optimizer").string, "adam");
  EXPECT_EQ(s0.hparams.at("num_units").number, 16);
  ASSERT_EQ(s0.metrics.size(), 2u);
  EXPECT_EQ(s0.metrics[0].run, "run-0");
  EXPECT_EQ(s0.metrics[0].count, 3u);
  EXPECT_EQ(s0.metrics[0].last, 0.75);
  EXPECT_EQ(s0.metrics[0].step, 3);
  EXPECT_EQ(s0.metrics[0].wall_time, 6);
  EXPECT_EQ(s0.metrics[0].min, 0.25);
  EXPECT_EQ(s0.metrics[0].max, 0.75);
  EXPECT_EQ(s0.metrics[1].run, "run-0/validation");
  EXPECT_EQ(s0.metrics[1].count, 2u);
  EXPECT_EQ(s0.metrics[1].last, 0.625);
  EXPECT_EQ(s0.metrics[1].step, 1);

  const HparamsSession& s1 = d.sessions[1];
  EXPECT_EQ(s1.run, "run-1");
  EXPECT_FALSE(s1.has_end);
  EXPECT_EQ(s1.status, "unknown");
  ASSERT_EQ(s1.metrics.size(), 2u);
  EXPECT_EQ(s1.metrics[0].count, 0u);  // no accuracy in run-1
  EXPECT_EQ(s1.metrics[1].run, "run-1/validation");
}

// No experiment anywhere: hparams and metrics inferred as TensorBoard does.
TEST(PluginsHparams, InferredWithoutExperiment) {
  Logdir logdir;
  {
    EventWriter w;
    WriteHparams(&w, 1, "_hparams_/session_start_info",
                 StartInfo({{"lr", Num(0.1)},
                            {"opt", Str("adam")},
                            {"flag", Bool(true)},
                            {"none", Null()},
                            {"unset", pb::Value()}}));
    w.WriteScalar(2, 0, "loss", 2.0f);
    w.WriteScalar(3, 1, "loss", 1.0f);
    Load(&logdir, "run-a/events.out.tfevents.1.x", w.bytes());
  }
  {
    EventWriter w;
    w.WriteScalar(2, 0, "loss", 4.0f);
    Load(&logdir, "run-a/train/events.out.tfevents.1.x", w.bytes());
  }
  {
    EventWriter w;
    WriteHparams(&w, 1, "_hparams_/session_start_info",
                 StartInfo({{"lr", Num(0.01)}, {"opt", Num(3)}, {"flag", Bool(true)}}));
    Load(&logdir, "run-b/events.out.tfevents.1.x", w.bytes());
  }
  {
    EventWriter w;
    w.WriteScalar(2, 5, "acc", 0.5f);
    w.WriteScalar(3, 6, "acc", std::nanf(""));
    Load(&logdir, "run-b/eval/deeper/events.out.tfevents.1.x", w.bytes());
  }
  {
    EventWriter w;
    w.WriteScalar(2, 0, "other_loss", 1.0f);
    Load(&logdir, "not-a-session/events.out.tfevents.1.x", w.bytes());
  }

  HparamsData d = CollectHparams(logdir);
  EXPECT_FALSE(d.has_experiment);
  // Sorted by name; "none" (null) and "unset" (no kind) have no type, so no info.
  ASSERT_EQ(d.hparam_infos.size(), 3u);
  EXPECT_EQ(d.hparam_infos[0].name, "flag");
  EXPECT_EQ(d.hparam_infos[0].type, "bool");
  EXPECT_EQ(d.hparam_infos[0].domain, "discrete");
  ASSERT_EQ(d.hparam_infos[0].domain_values.size(), 1u);
  EXPECT_TRUE(d.hparam_infos[0].domain_values[0].boolean);
  EXPECT_FALSE(d.hparam_infos[0].differs);
  EXPECT_EQ(d.hparam_infos[1].name, "lr");
  EXPECT_EQ(d.hparam_infos[1].type, "float64");
  EXPECT_EQ(d.hparam_infos[1].domain, "interval");
  EXPECT_EQ(d.hparam_infos[1].interval_min, 0.01);
  EXPECT_EQ(d.hparam_infos[1].interval_max, 0.1);
  EXPECT_TRUE(d.hparam_infos[1].differs);
  // Mixed number and string: string, with the numbers in JSON form.
  EXPECT_EQ(d.hparam_infos[2].name, "opt");
  EXPECT_EQ(d.hparam_infos[2].type, "string");
  ASSERT_EQ(d.hparam_infos[2].domain_values.size(), 2u);
  EXPECT_EQ(d.hparam_infos[2].domain_values[0].string, "3.0");
  EXPECT_EQ(d.hparam_infos[2].domain_values[1].string, "adam");

  // (tag, group) sorted; the group is the whole path below the session run;
  // not-a-session/other_loss is not a metric.
  ASSERT_EQ(d.metric_infos.size(), 3u);
  EXPECT_EQ(d.metric_infos[0].tag, "acc");
  EXPECT_EQ(d.metric_infos[0].group, "eval/deeper");
  EXPECT_EQ(d.metric_infos[1].tag, "loss");
  EXPECT_EQ(d.metric_infos[1].group, "");
  EXPECT_EQ(d.metric_infos[2].tag, "loss");
  EXPECT_EQ(d.metric_infos[2].group, "train");
  EXPECT_EQ(d.metric_infos[2].key, "train/loss");

  const HparamsSession* a = FindSession(d, "run-a");
  const HparamsSession* b = FindSession(d, "run-b");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->hparams.at("none").kind, "null");
  EXPECT_EQ(a->hparams.at("unset").kind, "");
  EXPECT_EQ(a->metrics[1].last, 1.0);
  EXPECT_EQ(a->metrics[1].count, 2u);
  EXPECT_EQ(a->metrics[2].last, 4.0);
  EXPECT_EQ(a->metrics[0].count, 0u);
  // NaN last value is reported; min/max ignore it.
  EXPECT_EQ(b->metrics[0].run, "run-b/eval/deeper");
  EXPECT_TRUE(std::isnan(b->metrics[0].last));
  EXPECT_EQ(b->metrics[0].step, 6);
  EXPECT_EQ(b->metrics[0].min, 0.5);
  EXPECT_EQ(b->metrics[0].max, 0.5);
}

// PyTorch's SummaryWriter.add_hparams: each call writes experiment, session and
// end info plus the metric scalars into a sub-run named by a timestamp; the
// parent run holds the training scalars. Two calls with different hparams.
TEST(PluginsHparams, PytorchAddHparamsSubRunsMerged) {
  Logdir logdir;
  {
    EventWriter w;
    w.WriteFileVersion(1);
    for (int i = 0; i < 5; ++i) w.WriteScalar(1 + i, i, "train/loss", 1.0f / (i + 1));
    Load(&logdir, "runs/exp/events.out.tfevents.1.host", w.bytes());
  }
  auto add_hparams = [&](const std::string& sub, std::map<std::string, pb::Value> hp, float acc) {
    EventWriter w;
    w.WriteFileVersion(10);
    pb::HParamsPluginData exp;
    for (const auto& kv : hp) {
      auto* h = exp.mutable_experiment()->add_hparam_infos();
      h->set_name(kv.first);
      h->set_type(kv.second.has_string_value() ? pb::DATA_TYPE_STRING : pb::DATA_TYPE_FLOAT64);
    }
    exp.mutable_experiment()->add_metric_infos()->mutable_name()->set_tag("hparam/accuracy");
    WriteHparams(&w, 10, "_hparams_/experiment", exp);
    WriteHparams(&w, 10, "_hparams_/session_start_info", StartInfo(hp));
    WriteHparams(&w, 10, "_hparams_/session_end_info", EndInfo(pb::STATUS_SUCCESS, 0));
    w.WriteScalar(11, 0, "hparam/accuracy", acc);
    Load(&logdir, "runs/exp/" + sub + "/events.out.tfevents.2.host", w.bytes());
  };
  add_hparams("1690000000.123", {{"lr", Num(0.1)}, {"bsize", Num(32)}}, 0.5f);
  add_hparams("1690000001.456", {{"lr", Num(0.2)}, {"bsize", Num(32)}, {"opt", Str("sgd")}}, 0.75f);

  HparamsData d = CollectHparams(logdir);
  EXPECT_TRUE(d.errors.empty());
  EXPECT_TRUE(d.has_experiment);
  EXPECT_EQ(d.experiment_runs.size(), 2u);
  // United by name, first experiment's order first.
  ASSERT_EQ(d.hparam_infos.size(), 3u);
  EXPECT_EQ(d.hparam_infos[0].name, "bsize");
  EXPECT_FALSE(d.hparam_infos[0].differs);
  EXPECT_EQ(d.hparam_infos[1].name, "lr");
  EXPECT_TRUE(d.hparam_infos[1].differs);
  EXPECT_EQ(d.hparam_infos[2].name, "opt");
  EXPECT_TRUE(d.hparam_infos[2].differs);  // missing in one session
  ASSERT_EQ(d.metric_infos.size(), 1u);
  ASSERT_EQ(d.sessions.size(), 2u);
  EXPECT_EQ(d.sessions[0].run, "runs/exp/1690000000.123");
  EXPECT_EQ(d.sessions[0].metrics[0].last, 0.5);
  EXPECT_EQ(d.sessions[1].metrics[0].last, 0.75);
  EXPECT_EQ(d.sessions[1].status, "success");
}

TEST(PluginsHparams, EmptyLogdirAndBadContent) {
  Logdir empty;
  HparamsData d0 = CollectHparams(empty);
  EXPECT_FALSE(d0.has_experiment);
  EXPECT_TRUE(d0.sessions.empty() && d0.hparam_infos.empty() && d0.metric_infos.empty());

  Logdir logdir;
  EventWriter w;
  proto::Event e = MakeEvent(1, 0);
  SetPluginMetadata(AddSummaryValue(&e, "_hparams_/experiment"), "hparams", std::string("\x12\xff\xff", 3),
                    proto::DATA_CLASS_UNKNOWN);
  w.WriteEvent(e);
  Load(&logdir, "r/events.out.tfevents.1.x", w.bytes());
  HparamsData d = CollectHparams(logdir);
  EXPECT_FALSE(d.has_experiment);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].find("_hparams_/experiment"), std::string::npos);
}

TEST(PluginsHparams, ListAndStructValuesAsJson) {
  Logdir logdir;
  EventWriter w;
  pb::Value list;
  *list.mutable_list_value()->add_values() = Num(1);
  *list.mutable_list_value()->add_values() = Str("x");
  pb::Value st;
  (*st.mutable_struct_value()->mutable_fields())["b"] = Bool(false);
  (*st.mutable_struct_value()->mutable_fields())["a"] = Num(0.5);
  WriteHparams(&w, 1, "_hparams_/session_start_info", StartInfo({{"l", list}, {"s", st}}));
  Load(&logdir, "r/events.out.tfevents.1.x", w.bytes());
  HparamsData d = CollectHparams(logdir);
  ASSERT_EQ(d.sessions.size(), 1u);
  EXPECT_EQ(d.sessions[0].hparams.at("l").kind, "list");
  EXPECT_EQ(d.sessions[0].hparams.at("l").string, "[1.0,\"x\"]");
  EXPECT_EQ(d.sessions[0].hparams.at("s").kind, "struct");
  EXPECT_EQ(d.sessions[0].hparams.at("s").string, "{\"a\":0.5,\"b\":false}");
  EXPECT_TRUE(d.hparam_infos.empty());  // neither is a typed value
}

// ---- real logs ----

TEST(PluginsHparamsCorpus, TfHparamsApiWithExperiment) {
  Logdir logdir;
  REQUIRE_CORPUS(logdir, "Alwaysproblem__tensorboard-review/logs/hparam_tuning");
  HparamsData d = CollectHparams(logdir);
  EXPECT_TRUE(d.errors.empty());
  EXPECT_TRUE(d.has_experiment);
  EXPECT_EQ(d.experiment_runs, std::vector<std::string>{"."});
  ASSERT_EQ(d.hparam_infos.size(), 3u);
  EXPECT_EQ(d.hparam_infos[0].name, "num_units");
  EXPECT_EQ(d.hparam_infos[0].domain, "discrete");
  ASSERT_EQ(d.hparam_infos[0].domain_values.size(), 2u);
  EXPECT_EQ(d.hparam_infos[0].domain_values[0].number, 16.0);
  EXPECT_EQ(d.hparam_infos[1].name, "dropout");
  EXPECT_EQ(d.hparam_infos[1].domain, "interval");
  EXPECT_EQ(d.hparam_infos[1].interval_min, 0.1);
  EXPECT_EQ(d.hparam_infos[1].interval_max, 0.2);
  EXPECT_EQ(d.hparam_infos[2].name, "optimizer");
  EXPECT_EQ(d.hparam_infos[2].type, "string");
  EXPECT_TRUE(d.hparam_infos[2].differs);   // adam vs sgd
  EXPECT_FALSE(d.hparam_infos[0].differs);  // 16 in both
  ASSERT_EQ(d.metric_infos.size(), 1u);
  EXPECT_EQ(d.metric_infos[0].tag, "accuracy");
  EXPECT_EQ(d.metric_infos[0].group, "");
  EXPECT_EQ(d.metric_infos[0].display_name, "Accuracy");

  ASSERT_EQ(d.sessions.size(), 2u);
  const HparamsSession& s0 = d.sessions[0];
  EXPECT_EQ(s0.run, "run-0");
  EXPECT_EQ(s0.group_name, "5b97f3c2967245b6fc0ed76a4d1c1f290ff6aaef6e6909d01d6e31ae52828c5b");
  EXPECT_EQ(s0.start_time_secs, 1585792155.6067445);
  EXPECT_EQ(s0.hparams.at("optimizer").string, "adam");
  EXPECT_EQ(s0.hparams.at("dropout").number, 0.1);
  EXPECT_FALSE(s0.has_end);
  ASSERT_EQ(s0.metrics.size(), 1u);
  EXPECT_EQ(s0.metrics[0].count, 1u);
  EXPECT_EQ(s0.metrics[0].last, 0.8396999835968018);
  EXPECT_EQ(s0.metrics[0].step, 1);
  EXPECT_EQ(s0.metrics[0].wall_time, 1585792162.816727);
  EXPECT_EQ(d.sessions[1].run, "run-1");
  EXPECT_EQ(d.sessions[1].hparams.at("optimizer").string, "sgd");
  EXPECT_EQ(d.sessions[1].metrics[0].last, 0.7925000190734863);
}

// TF hparams API session without an experiment, Keras metrics in sub-runs.
TEST(PluginsHparamsCorpus, TfSessionWithoutExperimentKerasSubRuns) {
  Logdir logdir;
  REQUIRE_CORPUS(logdir, "Alwaysproblem__tensorboard-review/log/text_hp/hparam_tuning");
  HparamsData d = CollectHparams(logdir);
  EXPECT_TRUE(d.errors.empty());
  EXPECT_FALSE(d.has_experiment);
  ASSERT_EQ(d.hparam_infos.size(), 2u);
  EXPECT_EQ(d.hparam_infos[0].name, "num_units");
  EXPECT_EQ(d.hparam_infos[0].type, "float64");
  EXPECT_EQ(d.hparam_infos[0].interval_min, 16);
  EXPECT_EQ(d.hparam_infos[1].name, "optimizers");
  EXPECT_EQ(d.hparam_infos[1].type, "string");
  ASSERT_EQ(d.hparam_infos[1].domain_values.size(), 1u);
  EXPECT_EQ(d.hparam_infos[1].domain_values[0].string, "RMSprop");

  ASSERT_EQ(d.metric_infos.size(), 4u);
  int val_acc = MetricIndex(d, "validation", "epoch_accuracy");
  int train_loss = MetricIndex(d, "train", "epoch_loss");
  ASSERT_GE(val_acc, 0);
  ASSERT_GE(train_loss, 0);
  EXPECT_EQ(d.metric_infos[0].tag, "epoch_accuracy");
  EXPECT_EQ(d.metric_infos[0].group, "train");

  ASSERT_EQ(d.sessions.size(), 1u);
  const HparamsSession& s = d.sessions[0];
  EXPECT_EQ(s.run, "run-0");
  EXPECT_TRUE(s.has_end);
  EXPECT_EQ(s.status, "success");
  EXPECT_EQ(s.end_time_secs, 1585754875.7931206);
  const MetricValue& va = s.metrics[static_cast<size_t>(val_acc)];
  EXPECT_EQ(va.run, "run-0/validation");
  EXPECT_EQ(va.count, 4u);
  EXPECT_EQ(va.last, 0.7748000025749207);
  EXPECT_EQ(va.step, 3);
  EXPECT_EQ(va.min, 0.7343999743461609);
  EXPECT_EQ(va.max, 0.7748000025749207);
  const MetricValue& tl = s.metrics[static_cast<size_t>(train_loss)];
  EXPECT_EQ(tl.run, "run-0/train");
  EXPECT_EQ(tl.last, 0.6465972065925598);
  EXPECT_EQ(tl.max, 0.6901758909225464);
}

void CheckLightning(const std::string& dir, size_t versions, size_t hparams, const std::string& some_hparam) {
  Logdir logdir;
  REQUIRE_CORPUS(logdir, dir);
  HparamsData d = CollectHparams(logdir);
  EXPECT_TRUE(d.errors.empty());
  EXPECT_TRUE(d.has_experiment);
  EXPECT_EQ(d.experiment_runs.size(), versions);
  EXPECT_EQ(d.hparam_infos.size(), hparams);
  EXPECT_NE(FindHparam(d, some_hparam), nullptr) << some_hparam;
  ASSERT_EQ(d.metric_infos.size(), 1u);
  EXPECT_EQ(d.metric_infos[0].tag, "hp_metric");
  ASSERT_EQ(d.sessions.size(), versions);
  for (size_t i = 0; i < versions; ++i) {
    const HparamsSession& s = d.sessions[i];
    EXPECT_EQ(s.run, "version_" + std::to_string(i));
    EXPECT_EQ(s.status, "success");
    EXPECT_EQ(s.hparams.size(), hparams);
    ASSERT_EQ(s.metrics.size(), 1u);
    EXPECT_EQ(s.metrics[0].run, s.run);
    EXPECT_EQ(s.metrics[0].count, 1u);
    EXPECT_EQ(s.metrics[0].last, -1.0);
    EXPECT_EQ(s.metrics[0].step, 0);
  }
}

TEST(PluginsHparamsCorpus, LightningAllenCell) {
  CheckLightning("AllenCell__aics-ml-segmentation/lightning_logs", 3, 35, "config/batch_size");
}

TEST(PluginsHparamsCorpus, LightningCaflow) {
  CheckLightning("GBATZOLIS__CAFLOW/lightning_logs", 2, 66, "opts/learning_rate");
}

TEST(PluginsHparamsCorpus, LightningDateDiffersAcrossVersions) {
  Logdir logdir;
  REQUIRE_CORPUS(logdir, "AllenCell__aics-ml-segmentation/lightning_logs");
  HparamsData d = CollectHparams(logdir);
  const HparamInfoView* date = FindHparam(d, "config/date");
  ASSERT_NE(date, nullptr);
  EXPECT_TRUE(date->differs);
  const HparamInfoView* bs = FindHparam(d, "config/batch_size");
  ASSERT_NE(bs, nullptr);
  EXPECT_FALSE(bs->differs);
  EXPECT_EQ(d.sessions[0].hparams.at("config/batch_size").number, 1.0);
}

// ---------------------------- custom scalars ----------------------------

void WriteLayout(EventWriter* w, const pb::Layout& layout) {
  proto::Event e = MakeEvent(1, 0);
  auto* v = AddSummaryValue(&e, "custom_scalars__config__");
  SetPluginMetadata(v, "custom_scalars", "", proto::DATA_CLASS_TENSOR);
  auto* t = v->mutable_tensor();
  t->set_dtype(proto::DT_STRING);
  t->add_string_val(layout.SerializeAsString());
  w->WriteEvent(e);
}

pb::Chart Multiline(const std::string& title, std::vector<std::string> tags) {
  pb::Chart c;
  c.set_title(title);
  for (auto& t : tags) c.mutable_multiline()->add_tag(t);
  return c;
}

TEST(PluginsCustomScalars, MergesLayoutsAcrossRuns) {
  Logdir logdir;
  {
    pb::Layout l;
    auto* cat = l.add_category();
    cat->set_title("losses");
    *cat->add_chart() = Multiline("loss", {"loss.*"});
    auto* margin = cat->add_chart();
    margin->set_title("bounds");
    auto* s = margin->mutable_margin()->add_series();
    s->set_value("v");
    s->set_lower("lo");
    s->set_upper("hi");
    auto* cat2 = l.add_category();
    cat2->set_title("acc");
    cat2->set_closed(true);
    *cat2->add_chart() = Multiline("acc", {"acc/train", "acc/val"});
    EventWriter w;
    WriteLayout(&w, l);
    Load(&logdir, "a/events.out.tfevents.1.x", w.bytes());
  }
  {
    pb::Layout l;
    auto* cat = l.add_category();
    cat->set_title("losses");
    *cat->add_chart() = Multiline("loss", {"loss.*"});    // duplicate: dropped
    *cat->add_chart() = Multiline("loss", {"loss/val"});  // same title, other content: kept
    auto* cat3 = l.add_category();
    cat3->set_title("new");
    *cat3->add_chart() = Multiline("x", {"x"});
    EventWriter w;
    WriteLayout(&w, l);
    Load(&logdir, "b/events.out.tfevents.1.x", w.bytes());
  }
  {
    pb::Layout l;
    auto* cat = l.add_category();
    cat->set_title("new");
    *cat->add_chart() = Multiline("y", {"y"});  // merged into a category first met in run b
    EventWriter w;
    WriteLayout(&w, l);
    w.WriteScalar(2, 1, "loss", 1.0f);
    Load(&logdir, "c/events.out.tfevents.1.x", w.bytes());
  }
  {
    EventWriter w;
    proto::Event e = MakeEvent(1, 0);
    auto* v = AddSummaryValue(&e, "custom_scalars__config__");
    SetPluginMetadata(v, "custom_scalars", "", proto::DATA_CLASS_TENSOR);
    v->mutable_tensor()->set_dtype(proto::DT_STRING);
    v->mutable_tensor()->add_string_val(std::string("\x12\x05\x0a", 3));  // truncated
    w.WriteEvent(e);
    Load(&logdir, "d/events.out.tfevents.1.x", w.bytes());
  }

  std::vector<std::string> errors;
  std::vector<CustomScalarCategory> cats = CollectCustomScalars(logdir, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("run d"), std::string::npos);
  ASSERT_EQ(cats.size(), 3u);
  EXPECT_EQ(cats[0].title, "losses");
  ASSERT_EQ(cats[0].charts.size(), 3u);
  EXPECT_EQ(cats[0].charts[0].kind, "multiline");
  EXPECT_EQ(cats[0].charts[0].tags, std::vector<std::string>{"loss.*"});
  EXPECT_EQ(cats[0].charts[1].kind, "margin");
  ASSERT_EQ(cats[0].charts[1].series.size(), 1u);
  EXPECT_EQ(cats[0].charts[1].series[0].value, "v");
  EXPECT_EQ(cats[0].charts[1].series[0].lower, "lo");
  EXPECT_EQ(cats[0].charts[1].series[0].upper, "hi");
  EXPECT_EQ(cats[0].charts[2].tags, std::vector<std::string>{"loss/val"});
  EXPECT_EQ(cats[1].title, "acc");
  EXPECT_TRUE(cats[1].closed);
  EXPECT_EQ(cats[1].charts[0].tags.size(), 2u);
  EXPECT_EQ(cats[2].title, "new");
  ASSERT_EQ(cats[2].charts.size(), 2u);
  EXPECT_EQ(cats[2].charts[1].title, "y");
}

TEST(PluginsCustomScalars, NoneWithoutConfig) {
  Logdir logdir;
  EventWriter w;
  w.WriteScalar(1, 0, "loss", 1.0f);
  Load(&logdir, "events.out.tfevents.1.x", w.bytes());
  EXPECT_TRUE(CollectCustomScalars(logdir).empty());
}

// ----------------------------- distributions -----------------------------

Tensor Histogram(int32_t dtype, const std::vector<std::array<double, 3>>& rows) {
  Tensor t;
  t.dtype = dtype;
  t.shape = {static_cast<int64_t>(rows.size()), 3};
  for (const auto& r : rows) t.numbers.insert(t.numbers.end(), r.begin(), r.end());
  return t;
}

// Worked by hand: counts 1, 1, 2 give cumulative weights 2500, 5000, 10000.
// bp < 2500 lies in [0, 1]: bp / 2500. bp in [2500, 5000) in [1, 2]:
// 1 + (bp - 2500) / 2500. bp in [5000, 10000) in [2, 3]: 2 + (bp - 5000) / 5000
// (5000 itself: searchsorted "right" skips the bucket ending exactly there).
// 10000 is past every weight: the max, 3.
TEST(PluginsDistribution, ThreeBucketsByHand) {
  auto v = DistributionBasisPoints(Histogram(kDtDouble, {{0, 1, 1}, {1, 2, 1}, {2, 3, 2}}));
  std::array<double, 9> want = {0.0, 0.2672, 0.6348, 1.234, 2.0, 2.383, 2.6826, 2.8664, 3.0};
  for (size_t i = 0; i < 9; ++i) EXPECT_DOUBLE_EQ(v[i], want[i]) << "bp " << kDistributionBasisPoints[i];
}

// Empty leading bucket: weights 0, 10000, 10000. bp 0 lands in bucket 1, and
// since the weight before it is 0 its left edge is the overall min (-5), not -1:
// -5 + bp * 6 / 10000. 10000 gives the max, 5.
TEST(PluginsDistribution, ZeroWeightBucketsUseOverallMin) {
  auto v = DistributionBasisPoints(Histogram(kDtDouble, {{-5, -1, 0}, {-1, 1, 4}, {1, 5, 0}}));
  EXPECT_DOUBLE_EQ(v[0], -5.0);
  EXPECT_DOUBLE_EQ(v[1], -5.0 + 668 * 6 / 10000.0);
  EXPECT_DOUBLE_EQ(v[4], -2.0);
  EXPECT_DOUBLE_EQ(v[7], -5.0 + 9332 * 6 / 10000.0);
  EXPECT_DOUBLE_EQ(v[8], 5.0);
}

TEST(PluginsDistribution, SingleValueAndEmpty) {
  auto v = DistributionBasisPoints(Histogram(kDtFloat, {{0.25, 0.25, 7}}));
  for (double x : v) EXPECT_EQ(x, 0.25);
  Tensor empty;
  empty.dtype = kDtDouble;
  empty.shape = {0, 3};
  for (double x : DistributionBasisPoints(empty)) EXPECT_EQ(x, 0.0);
  Tensor wrong = Histogram(kDtDouble, {{0, 1, 1}});
  wrong.shape = {1, 2, 2};
  wrong.numbers.push_back(0);
  for (double x : DistributionBasisPoints(wrong)) EXPECT_EQ(x, 0.0);
}

// Float32 tensors are weighted in float32, as numpy does: with three equal
// counts the weights are float32(3333.3333) and float32(6666.6665), so bp 5000
// is 1 + 1666.66674805 / 3333.33325195 = 1.50000004470348..., not 1.5.
TEST(PluginsDistribution, Float32WeightsLikeNumpy) {
  auto d = DistributionBasisPoints(Histogram(kDtDouble, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}}));
  auto f = DistributionBasisPoints(Histogram(kDtFloat, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}}));
  EXPECT_DOUBLE_EQ(d[4], 1.5);
  const float w1 = 10000.0f / 3.0f;
  const float w2 = w1 + w1;
  const double want = 1.0 + (5000.0 - static_cast<double>(w1)) / static_cast<double>(w2 - w1);
  EXPECT_EQ(f[4], want);
  EXPECT_NE(f[4], 1.5);
  EXPECT_NEAR(f[4], 1.5, 1e-6);
}

TEST(PluginsDistributionCorpus, KerasHistogramsAreMonotone) {
  Logdir logdir;
  REQUIRE_CORPUS(logdir, "Alwaysproblem__tensorboard-review/log/text_hp/hparam_tuning");
  const TensorSeries* single = logdir.Tensors("run-0/train", "output_layer/bias_0");
  ASSERT_NE(single, nullptr);
  ASSERT_EQ(single->points().size(), 4u);
  // One bucket [v, v, 1]: every basis point is v.
  for (double x : DistributionBasisPoints(single->points()[0].tensor))
    EXPECT_EQ(x, static_cast<double>(0.002876963233575225f));
  const TensorSeries* kernel = logdir.Tensors("run-0/train", "output_layer/kernel_0");
  ASSERT_NE(kernel, nullptr);
  for (const TensorPoint& p : kernel->points()) {
    auto v = DistributionBasisPoints(p.tensor);
    EXPECT_EQ(v[0], p.tensor.numbers[0]);                            // min
    EXPECT_EQ(v[8], p.tensor.numbers[p.tensor.numbers.size() - 2]);  // max
    for (size_t i = 1; i < 9; ++i) EXPECT_LE(v[i - 1], v[i]);
  }
}

// ------------------------------- PR curves -------------------------------

TEST(PluginsPrCurves, ThresholdsAndTailTrim) {
  Logdir logdir;
  EventWriter w;
  // n = 5: TP+FP is 0 at the last two thresholds.
  std::vector<float> data = {
      10,   8,      5,      0,  0,   // TP
      10,   4,      1,      0,  0,   // FP
      0,    6,      9,      10, 10,  // TN
      0,    2,      5,      10, 10,  // FN
      0.5f, 0.666f, 0.833f, 0,  0,   // precision
      1,    0.8f,   0.5f,   0,  0,   // recall
  };
  w.WritePrCurve(3, 7, "pr/a", data);
  Load(&logdir, "r/events.out.tfevents.1.x", w.bytes());
  const TensorSeries* s = logdir.Tensors("r", "pr/a");
  ASSERT_NE(s, nullptr);
  std::vector<PrCurvePoint> pts = PrCurvePoints(*s);
  ASSERT_EQ(pts.size(), 1u);
  const PrCurvePoint& p = pts[0];
  EXPECT_EQ(p.step, 7);
  EXPECT_EQ(p.wall_time, 3);
  EXPECT_EQ(p.thresholds, (std::vector<double>{0, 0.25, 0.5}));
  EXPECT_EQ(p.tp, (std::vector<double>{10, 8, 5}));
  EXPECT_EQ(p.fp, (std::vector<double>{10, 4, 1}));
  EXPECT_EQ(p.tn, (std::vector<double>{0, 6, 9}));
  EXPECT_EQ(p.fn, (std::vector<double>{0, 2, 5}));
  EXPECT_EQ(p.precision[1], static_cast<double>(0.666f));
  EXPECT_EQ(p.recall[1], static_cast<double>(0.8f));

  PrCurvePoint full;
  ASSERT_TRUE(MakePrCurvePoint(s->points()[0], &full, /*trim_tail=*/false));
  EXPECT_EQ(full.thresholds, (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(full.tn.back(), 10);
}

TEST(PluginsPrCurves, AllZeroKeepsFirstAndRejectsBadShapes) {
  TensorPoint tp;
  tp.tensor.dtype = kDtFloat;
  tp.tensor.shape = {6, 3};
  tp.tensor.numbers.assign(18, 0.0);
  PrCurvePoint p;
  ASSERT_TRUE(MakePrCurvePoint(tp, &p));
  EXPECT_EQ(p.thresholds, std::vector<double>{0});
  tp.tensor.shape = {5, 3};
  tp.tensor.numbers.assign(15, 0.0);
  PrCurvePoint untouched;
  untouched.step = 99;
  EXPECT_FALSE(MakePrCurvePoint(tp, &untouched));
  EXPECT_EQ(untouched.step, 99);
}

// --------------------------------- text ---------------------------------

Tensor Strings(std::vector<std::string> s, std::vector<int64_t> shape) {
  Tensor t;
  t.dtype = kDtString;
  t.strings = std::move(s);
  t.shape = std::move(shape);
  return t;
}

TEST(PluginsText, Ranks) {
  TextView v0 = MakeTextView(Strings({"# Title"}, {}));
  EXPECT_EQ(v0.kind, "markdown");
  EXPECT_EQ(v0.markdown, "# Title");
  EXPECT_EQ(v0.rank, 0);

  TextView v1 = MakeTextView(Strings({"a", "b", "c"}, {3}));
  EXPECT_EQ(v1.kind, "table");
  ASSERT_EQ(v1.rows.size(), 3u);
  EXPECT_EQ(v1.rows[2], std::vector<std::string>{"c"});
  EXPECT_TRUE(v1.warning.empty());

  TextView v2 = MakeTextView(Strings({"a", "b", "c", "d", "e", "f"}, {2, 3}));
  ASSERT_EQ(v2.rows.size(), 2u);
  EXPECT_EQ(v2.rows[1], (std::vector<std::string>{"d", "e", "f"}));

  std::vector<std::string> many;
  for (int i = 0; i < 24; ++i) many.push_back(std::to_string(i));
  TextView v3 = MakeTextView(Strings(many, {2, 3, 4}));
  EXPECT_EQ(v3.rank, 3);
  EXPECT_NE(v3.warning.find("dimensionality 3"), std::string::npos);
  ASSERT_EQ(v3.rows.size(), 3u);  // the [0, :, :] slice
  EXPECT_EQ(v3.rows[2], (std::vector<std::string>{"8", "9", "10", "11"}));

  TextView v4 = MakeTextView(Strings(many, {2, 1, 3, 4}));
  ASSERT_EQ(v4.rows.size(), 3u);
  EXPECT_EQ(v4.rows[0][0], "0");

  TextView empty = MakeTextView(Strings({}, {0}));
  EXPECT_EQ(empty.kind, "table");
  EXPECT_TRUE(empty.rows.empty());
}

TEST(PluginsText, NumericAndInvalidUtf8) {
  Tensor n;
  n.dtype = kDtInt32;
  n.shape = {2};
  n.numbers = {3, -4};
  TextView v = MakeTextView(n);
  EXPECT_EQ(v.rows[0][0], "3");
  EXPECT_EQ(v.rows[1][0], "-4");
  TextView bad = MakeTextView(Strings({std::string("a\xff", 2)}, {}));
  EXPECT_EQ(bad.markdown, "a\xEF\xBF\xBD");
}

TEST(PluginsText, WrittenTextThroughLogdir) {
  Logdir logdir;
  EventWriter w;
  w.WriteText(1, 0, "notes", "**bold**");
  w.WriteTextTensor(2, 1, "table", {"h1", "h2", "x", "y"}, {2, 2});
  Load(&logdir, "events.out.tfevents.1.x", w.bytes());
  const TensorSeries* notes = logdir.Tensors(".", "notes");
  const TensorSeries* table = logdir.Tensors(".", "table");
  ASSERT_TRUE(notes && table);
  EXPECT_EQ(MakeTextView(notes->points()[0].tensor).markdown, "**bold**");
  TextView t = MakeTextView(table->points()[0].tensor);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"x", "y"}));
}

}  // namespace
}  // namespace tbview
