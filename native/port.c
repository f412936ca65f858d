#include "port.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

const char *const port_stat_names[STAT_COUNT] = {
    "rxPackets", "rxBatches", "rxSyscalls", "rxTruncated", "rxErrors",    "txPackets",
    "txSyscalls", "txDropped", "txErrors",  "lastTxErrno", "wakeups",
};

static void port_free(port_t *p) {
  free(p->state);
  free(p);
}

static void on_poll_closed(uv_handle_t *h) {
  port_t *p = h->data;
  p->poll_closed = true;
  if (p->finalized) port_free(p);
}

static void on_env_cleanup(void *arg);

/* Stops polling, closes the fd and drops every JS reference; memory goes in on_poll_closed. */
static void port_close(port_t *p, bool from_cleanup_hook) {
  if (p->closed) return;
  p->closed = true;
  if (p->polling) {
    uv_poll_stop(&p->poll);
    p->polling = false;
    napi_reference_unref(p->env, p->self, NULL);
  }
  /* uv_close unregisters the fd from epoll synchronously, so closing it next is safe. */
  uv_close((uv_handle_t *)&p->poll, on_poll_closed);
  close(p->fd);
  p->fd = -1;
  if (p->callback) napi_delete_reference(p->env, p->callback);
  p->callback = NULL;
  napi_delete_reference(p->env, p->self);
  p->self = NULL;
  napi_async_destroy(p->env, p->async);
  if (p->cleanup_hooked && !from_cleanup_hook) napi_remove_env_cleanup_hook(p->env, on_env_cleanup, p);
  p->cleanup_hooked = false;
}

static void on_env_cleanup(void *arg) { port_close(arg, true); }

static void on_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  port_t *p = data;
  p->finalized = true;
  port_close(p, false);
  if (p->poll_closed) port_free(p);
}

/* One batch to JS: callback(count) with the handle as `this`. */
static void deliver(port_t *p) {
  napi_env env = p->env;
  napi_value cb, recv, argv[1], result;
  if (napi_get_reference_value(env, p->callback, &cb) != napi_ok || cb == NULL) return;
  if (napi_get_reference_value(env, p->self, &recv) != napi_ok || recv == NULL) return;
  napi_create_uint32(env, p->count, &argv[0]);
  p->stats[STAT_RX_BATCHES]++;
  if (napi_make_callback(env, p->async, recv, cb, 1, argv, &result) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error); /* process 'uncaughtException', as for any callback */
    }
  }
}

static void on_readable(uv_poll_t *h, int status, int events) {
  (void)events;
  port_t *p = h->data;
  p->stats[STAT_WAKEUPS]++;
  if (status < 0) {
    p->stats[STAT_RX_ERRORS]++;
    return;
  }
  napi_handle_scope scope;
  if (napi_open_handle_scope(p->env, &scope) != napi_ok) return;
  uint32_t handled = 0;
  /* The callback may stop or close the port; the flags are re-read after each batch. */
  while (p->polling && handled < p->budget) {
    int n = p->receive(p);
    if (n <= 0) break;
    handled += (uint32_t)n;
    if (p->count > 0) deliver(p);
    if ((uint32_t)n < p->batch_max) break; /* the queue is drained: skip an EAGAIN syscall */
  }
  napi_close_handle_scope(p->env, scope);
}

static bool typed_array(napi_env env, napi_typedarray_type type, size_t count, size_t element,
                        napi_value *out, void **data) {
  napi_value ab;
  if (napi_create_arraybuffer(env, count * element, data, &ab) != napi_ok) return false;
  memset(*data, 0, count * element);
  return napi_create_typedarray(env, type, count, ab, 0, out) == napi_ok;
}

napi_value port_create(napi_env env, enum port_kind kind, int fd, port_receive_fn receive,
                       void *state, uint32_t slot_bytes, uint32_t batch_max, uint32_t budget) {
  port_t *p = calloc(1, sizeof *p);
  napi_value handle, buffer, offsets, lengths, sources, stats, name;
  void *data;
  uv_loop_t *loop;
  if (p == NULL) {
    close(fd);
    free(state);
    return throw_errno(env, "calloc", ENOMEM);
  }
  p->kind = kind;
  p->fd = fd;
  p->env = env;
  p->receive = receive;
  p->state = state;
  p->slot_bytes = slot_bytes;
  p->batch_max = batch_max;
  p->budget = budget;
  p->poll.data = p;
  if (napi_create_object(env, &handle) != napi_ok ||
      napi_create_arraybuffer(env, (size_t)slot_bytes * batch_max, &data, &buffer) != napi_ok)
    goto fail;
  p->buffer = data;
  if (!typed_array(env, napi_int32_array, batch_max, 4, &offsets, &data)) goto fail;
  p->offsets = data;
  if (!typed_array(env, napi_int32_array, batch_max, 4, &lengths, &data)) goto fail;
  p->lengths = data;
  if (!typed_array(env, napi_uint32_array, batch_max, 4, &sources, &data)) goto fail;
  p->sources = data;
  if (!typed_array(env, napi_float64_array, STAT_COUNT, 8, &stats, &data)) goto fail;
  p->stats = data;
  napi_property_descriptor props[] = {
      {"buffer", NULL, NULL, NULL, NULL, buffer, napi_enumerable, NULL},
      {"offsets", NULL, NULL, NULL, NULL, offsets, napi_enumerable, NULL},
      {"lengths", NULL, NULL, NULL, NULL, lengths, napi_enumerable, NULL},
      {"sources", NULL, NULL, NULL, NULL, sources, napi_enumerable, NULL},
      {"stats", NULL, NULL, NULL, NULL, stats, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, handle, 5, props) != napi_ok) goto fail;
  if (napi_create_string_utf8(env, kind == PORT_GRE ? "vpdn:gre" : "vpdn:tun", NAPI_AUTO_LENGTH,
                              &name) != napi_ok ||
      napi_async_init(env, handle, name, &p->async) != napi_ok)
    goto fail;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) goto fail_async;
  int rc = uv_poll_init(loop, &p->poll, fd);
  if (rc != 0) {
    napi_async_destroy(env, p->async);
    close(fd);
    port_free(p);
    return throw_errno(env, "uv_poll_init", -rc);
  }
  /* From here on port_close/on_finalize own the cleanup. */
  if (napi_wrap(env, handle, p, on_finalize, NULL, NULL) != napi_ok) {
    p->finalized = true;
    napi_create_reference(env, handle, 0, &p->self);
    port_close(p, false);
    return NULL;
  }
  napi_create_reference(env, handle, 0, &p->self);
  if (napi_add_env_cleanup_hook(env, on_env_cleanup, p) == napi_ok) p->cleanup_hooked = true;
  return handle;

fail_async:
  napi_async_destroy(env, p->async);
fail:
  close(fd);
  port_free(p);
  {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_error(env, NULL, "could not create the port handle");
  }
  return NULL;
}

port_t *port_unwrap(napi_env env, napi_value handle, int kind) {
  void *data = NULL;
  napi_valuetype type;
  if (napi_typeof(env, handle, &type) != napi_ok || type != napi_object ||
      napi_unwrap(env, handle, &data) != napi_ok || data == NULL) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
    throw_type(env, "expected a port handle");
    return NULL;
  }
  port_t *p = data;
  if (kind >= 0 && p->kind != (enum port_kind)kind) {
    throw_type(env, p->kind == PORT_GRE ? "this is a GRE socket handle" : "this is a TUN handle");
    return NULL;
  }
  if (p->closed) {
    throw_errno(env, "port", EBADF);
    return NULL;
  }
  return p;
}

/* start(handle, callback): (re)sets the batch callback and starts polling for readability. */
napi_value port_start(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_valuetype type;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  port_t *p = port_unwrap(env, argv[0], -1);
  if (p == NULL) return NULL;
  NAPI_OK(env, napi_typeof(env, argv[1], &type));
  if (type != napi_function) return throw_type(env, "expected a callback function");
  if (p->callback) napi_delete_reference(env, p->callback);
  NAPI_OK(env, napi_create_reference(env, argv[1], 1, &p->callback));
  if (!p->polling) {
    int rc = uv_poll_start(&p->poll, UV_READABLE, on_readable);
    if (rc != 0) return throw_errno(env, "uv_poll_start", -rc);
    p->polling = true;
    napi_reference_ref(env, p->self, NULL); /* a polled handle stays alive until closed */
  }
  return NULL;
}

/* stop(handle): stops polling; packets queue in the kernel until start() again. */
napi_value port_stop(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  port_t *p = port_unwrap(env, argv[0], -1);
  if (p == NULL) return NULL;
  if (p->polling) {
    uv_poll_stop(&p->poll);
    p->polling = false;
    napi_reference_unref(env, p->self, NULL);
  }
  return NULL;
}

/* close(handle): idempotent. */
napi_value port_close_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_unwrap(env, argv[0], &data) != napi_ok || data == NULL)
    return throw_type(env, "expected a port handle");
  port_close(data, false);
  return NULL;
}
