#ifndef VPDN_TUN_H
#define VPDN_TUN_H
#include <node_api.h>

napi_value tun_open(napi_env env, napi_callback_info info);
napi_value tun_write(napi_env env, napi_callback_info info);
napi_value tun_write_batch(napi_env env, napi_callback_info info);

#endif
