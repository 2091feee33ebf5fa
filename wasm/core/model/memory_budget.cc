#include "memory_budget.h"

#include <algorithm>

namespace tbview {
namespace logdir_internal {

void MemoryBudget::NoteTensor(const Tensor& t) {
  uint64_t b = sizeof(TensorPoint) + t.shape.size() * sizeof(int64_t) + t.numbers.size() * sizeof(double) +
               t.strings.size() * sizeof(std::string);
  for (const std::string& str : t.strings) b += str.size();
  tensor_bytes_ += b;
  tensor_bytes_since_check_ += b;
  if (tensor_bytes_since_check_ >= max_bytes_ / 16) check_every_ = 0;  // check now
}

uint64_t MemoryBudget::HeldBytes(const std::unordered_map<std::string, std::unique_ptr<RunState>>& runs) {
  uint64_t total = tensor_bytes_;
  for (const auto& rp : runs) {
    const RunState& r = *rp.second;
    for (const auto& tp : r.tag_list) {
      if (tp->is_scalar) total += tp->scalars.RetainedBytes();
    }
    size_t& counted = events_counted_[&r];
    for (; counted < r.events.size(); ++counted) event_text_bytes_ += r.events[counted].text.size();
    total += r.events.capacity() * sizeof(RunEvent);
  }
  return total + event_text_bytes_;
}

bool MemoryBudget::CheckOver(const std::unordered_map<std::string, std::unique_ptr<RunState>>& runs,
                             uint64_t tags) {
  records_since_check_ = 0;
  tensor_bytes_since_check_ = 0;
  check_every_ = std::max<uint64_t>(4096, 2 * (tags + runs.size()));
  if (HeldBytes(runs) <= max_bytes_) return false;
  check_every_ = 0;  // over: any other file stops at its next record
  return true;
}

}  // namespace logdir_internal
}  // namespace tbview
