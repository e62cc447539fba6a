// Shared helpers of the bridge: handles, error capture, option building.
#pragma once

#include <ATen/ATen.h>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#define MT_API extern "C" __attribute__((visibility("default")))

// Bumped whenever an exported signature changes; the C# side refuses a mismatching library.
#define MT_ABI_VERSION 2

namespace mt {

void set_error(const char* message);
extern std::atomic<int64_t> live_tensors;

// A handle is a heap-allocated at::Tensor (one reference to the storage).
inline at::Tensor& T(void* h) { return *static_cast<at::Tensor*>(h); }

inline void* wrap(at::Tensor t) {
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(std::move(t));
}

// Null handle -> undefined tensor (an absent optional argument).
inline at::Tensor opt(void* h) { return h ? T(h) : at::Tensor(); }

inline at::IntArrayRef dims(const int64_t* p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
}

// at:: factories ignore TensorOptions::requires_grad (only torch:: ones honour it): set it afterwards.
inline void* wrap_leaf(at::Tensor t, int requires_grad) {
  if (requires_grad) t.requires_grad_(true);
  return wrap(std::move(t));
}

inline std::vector<at::Tensor> list(void** hs, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; ++i) v.push_back(T(hs[i]));
  return v;
}

}  // namespace mt

// Every entry point: no C++ exception may cross into .NET (it would kill the process).
#define MT_TRY try {
#define MT_CATCH(fail)                                  \
  }                                                     \
  catch (const c10::Error& e) {                         \
    mt::set_error(e.what_without_backtrace());          \
    return fail;                                        \
  }                                                     \
  catch (const std::exception& e) {                     \
    mt::set_error(e.what());                            \
    return fail;                                        \
  }                                                     \
  catch (...) {                                         \
    mt::set_error("unknown C++ exception in libmtltorch"); \
    return fail;                                        \
  }
