/* vpdn_io: syscalls for the data plane (raw GRE socket, TUN); protocol logic stays in TypeScript. */
#include <node_api.h>

#include "gre.h"
#include "port.h"
#include "tun.h"
#include "util.h"

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor fns[] = {
      {"greOpen", NULL, gre_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"greSend", NULL, gre_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"greSendBatch", NULL, gre_send_batch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tunOpen", NULL, tun_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tunWrite", NULL, tun_write, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tunWriteBatch", NULL, tun_write_batch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"start", NULL, port_start, NULL, NULL, NULL, napi_enumerable, NULL},
      {"stop", NULL, port_stop, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, port_close_js, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  NAPI_OK(env, napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns));
  napi_value names, s;
  NAPI_OK(env, napi_create_array_with_length(env, STAT_COUNT, &names));
  for (uint32_t i = 0; i < STAT_COUNT; i++) {
    NAPI_OK(env, napi_create_string_utf8(env, port_stat_names[i], NAPI_AUTO_LENGTH, &s));
    NAPI_OK(env, napi_set_element(env, names, i, s));
  }
  NAPI_OK(env, napi_set_named_property(env, exports, "statNames", names));
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
