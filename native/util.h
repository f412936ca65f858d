/* Node-API helpers shared by the addon's files: errno exceptions and argument checks. */
#ifndef VPDN_UTIL_H
#define VPDN_UTIL_H

#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Throws Error{code: 'EPERM', errno, syscall}; returns NULL for `return throw_errno(...)`. */
napi_value throw_errno(napi_env env, const char *syscall, int err);
napi_value throw_type(napi_env env, const char *message);
napi_value throw_range(napi_env env, const char *message);

/* Each returns false with a pending exception when the value has the wrong type. */
bool get_u32(napi_env env, napi_value value, uint32_t *out);
bool get_bytes(napi_env env, napi_value value, uint8_t **data, size_t *length);
bool get_u32_array(napi_env env, napi_value value, uint32_t **data, size_t *length);
/* Reads obj[name] as a u32, or keeps *out when the property is undefined. */
bool get_opt_u32(napi_env env, napi_value obj, const char *name, uint32_t *out);

#define NAPI_OK(env, call)                                                   \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      bool pending_ = false;                                                 \
      napi_is_exception_pending((env), &pending_);                           \
      if (!pending_) napi_throw_error((env), NULL, "Node-API call failed");  \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

#endif
