#include "util.h"

#include <stdio.h>
#include <string.h>
#include <uv.h>

napi_value throw_errno(napi_env env, const char *syscall, int err) {
  const char *code = uv_err_name(-err);
  char text[256];
  snprintf(text, sizeof text, "%s: %s (%s)", syscall, strerror(err), code);
  napi_value msg, error, v;
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg) != napi_ok ||
      napi_create_error(env, NULL, msg, &error) != napi_ok) {
    napi_throw_error(env, code, text);
    return NULL;
  }
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "code", v);
  napi_create_int32(env, -err, &v); /* Node's convention: negative errno */
  napi_set_named_property(env, error, "errno", v);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "syscall", v);
  napi_throw(env, error);
  return NULL;
}

napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return NULL;
}

napi_value throw_range(napi_env env, const char *message) {
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message);
  return NULL;
}

bool get_u32(napi_env env, napi_value value, uint32_t *out) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_number) {
    throw_type(env, "expected a number");
    return false;
  }
  double d;
  napi_get_value_double(env, value, &d);
  if (!(d >= 0 && d <= 4294967295.0) || d != (double)(uint32_t)d) {
    throw_range(env, "expected an unsigned 32-bit integer");
    return false;
  }
  *out = (uint32_t)d;
  return true;
}

bool get_bytes(napi_env env, napi_value value, uint8_t **data, size_t *length) {
  bool is_typed = false;
  napi_is_typedarray(env, value, &is_typed);
  if (!is_typed) {
    throw_type(env, "expected a Uint8Array");
    return false;
  }
  napi_typedarray_type type;
  void *p;
  if (napi_get_typedarray_info(env, value, &type, length, &p, NULL, NULL) != napi_ok ||
      (type != napi_uint8_array && type != napi_uint8_clamped_array && type != napi_int8_array)) {
    throw_type(env, "expected a Uint8Array");
    return false;
  }
  *data = p;
  return true;
}

bool get_u32_array(napi_env env, napi_value value, uint32_t **data, size_t *length) {
  bool is_typed = false;
  napi_is_typedarray(env, value, &is_typed);
  napi_typedarray_type type;
  void *p;
  if (!is_typed || napi_get_typedarray_info(env, value, &type, length, &p, NULL, NULL) != napi_ok ||
      type != napi_uint32_array) {
    throw_type(env, "expected a Uint32Array");
    return false;
  }
  *data = p;
  return true;
}

bool get_opt_u32(napi_env env, napi_value obj, const char *name, uint32_t *out) {
  napi_value v;
  napi_valuetype type;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok) return false;
  napi_typeof(env, v, &type);
  if (type == napi_undefined) return true;
  if (!get_u32(env, v, out)) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
    char text[96];
    snprintf(text, sizeof text, "option %s must be an unsigned 32-bit integer", name);
    throw_type(env, text);
    return false;
  }
  return true;
}
