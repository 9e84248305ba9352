// Whether the tests (and the electsim binary they run, built with the same flags) carry
// AddressSanitizer. Peak-memory assertions hold for ordinary builds only: ASan's shadow memory,
// redzones and 256 MB quarantine multiply resident memory (a refusal that peaks at 5 MB in
// Release peaks at 53 MB under ASan, a 10,000-fault run 54 MB against 286 MB), so under ASan they
// would measure the sanitizer, not electsim. CI runs the suite in Release first, where every
// memory bound is enforced; the sanitizer pass checks everything else.
#pragma once

namespace electsim::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

// Peak resident memory bounds apply to ordinary builds only (see above).
inline constexpr bool kMemoryIsMeasurable = !kAddressSanitizer;

}  // namespace electsim::testing
