#ifndef VPDN_GRE_H
#define VPDN_GRE_H
#include <node_api.h>

napi_value gre_open(napi_env env, napi_callback_info info);
napi_value gre_send(napi_env env, napi_callback_info info);
napi_value gre_send_batch(napi_env env, napi_callback_info info);

#endif
