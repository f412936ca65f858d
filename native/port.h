/*
 * A packet port: one non-blocking fd (raw GRE socket or TUN) polled by libuv, with a receive
 * buffer of batch_max slots shared with JS. On readiness the port drains up to `budget`
 * packets and calls the JS callback once per batch with the packet count.
 */
#ifndef VPDN_PORT_H
#define VPDN_PORT_H

#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#define PORT_MAX_BATCH 1024 /* packets per receive batch, at most */

enum port_stat {
  STAT_RX_PACKETS,
  STAT_RX_BATCHES,
  STAT_RX_SYSCALLS,
  STAT_RX_TRUNCATED,
  STAT_RX_ERRORS,
  STAT_TX_PACKETS,
  STAT_TX_SYSCALLS,
  STAT_TX_DROPPED,
  STAT_TX_ERRORS,
  STAT_LAST_TX_ERRNO,
  STAT_WAKEUPS,
  STAT_COUNT
};

extern const char *const port_stat_names[STAT_COUNT];

enum port_kind { PORT_GRE, PORT_TUN };

typedef struct port port_t;

/*
 * Reads what is ready into the slots; returns how many packets the syscalls returned (0 when
 * nothing was ready, -1 on an error) and sets p->count to how many were kept for JS.
 */
typedef int (*port_receive_fn)(port_t *p);

struct port {
  enum port_kind kind;
  int fd;
  napi_env env;
  port_receive_fn receive;
  void *state; /* kind-specific syscall scratch, freed with the port */
  uv_poll_t poll;
  napi_ref self;     /* the JS handle; strong only while polling */
  napi_ref callback; /* (count) => void */
  napi_async_context async;
  uint8_t *buffer;
  uint32_t slot_bytes, batch_max, budget, count;
  int32_t *offsets, *lengths;
  uint32_t *sources;
  double *stats;
  bool polling, closed, poll_closed, finalized, cleanup_hooked;
};

/* Wraps fd in a new JS handle object; on failure closes fd and leaves an exception pending. */
napi_value port_create(napi_env env, enum port_kind kind, int fd, port_receive_fn receive,
                       void *state, uint32_t slot_bytes, uint32_t batch_max, uint32_t budget);

/* The open port behind a handle (of this kind, or any kind when kind < 0), or NULL with an
 * exception pending. */
port_t *port_unwrap(napi_env env, napi_value handle, int kind);

napi_value port_start(napi_env env, napi_callback_info info);
napi_value port_stop(napi_env env, napi_callback_info info);
napi_value port_close_js(napi_env env, napi_callback_info info);

#endif
