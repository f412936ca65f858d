/*
 * TUN device (Linux /dev/net/tun, IFF_TUN | IFF_NO_PI): each read returns one IP packet and
 * each write injects one. Addresses, MTU and routes are set from TypeScript with iproute2.
 */
#include "tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "port.h"
#include "util.h"

/* Reads until EAGAIN or the batch is full; one read() per packet is all TUN offers. */
static int tun_receive(port_t *p) {
  int got = 0;
  p->count = 0;
  while ((uint32_t)got < p->batch_max) {
    size_t slot = (size_t)p->count * p->slot_bytes;
    ssize_t n = read(p->fd, p->buffer + slot, p->slot_bytes);
    p->stats[STAT_RX_SYSCALLS]++;
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        p->stats[STAT_RX_ERRORS]++;
        if (got == 0) return -1;
      }
      break;
    }
    got++;
    if ((size_t)n > p->slot_bytes) { /* the kernel reports the full length of a cut packet */
      p->stats[STAT_RX_TRUNCATED]++;
      continue;
    }
    p->offsets[p->count] = (int32_t)slot;
    p->lengths[p->count] = (int32_t)n;
    p->sources[p->count] = 0;
    p->count++;
  }
  p->stats[STAT_RX_PACKETS] += p->count;
  return got;
}

/* tunOpen({ name, batchSize, maxPacketBytes, budget }) -> handle with .name (kernel's choice
 * when name is ''). */
napi_value tun_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], name_value, handle, result_name;
  napi_valuetype type;
  uint32_t batch = 64, slot = 1500, budget = 256;
  struct ifreq ifr;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_object)
    return throw_type(env, "tunOpen expects an options object");
  if (!get_opt_u32(env, argv[0], "batchSize", &batch) ||
      !get_opt_u32(env, argv[0], "maxPacketBytes", &slot) ||
      !get_opt_u32(env, argv[0], "budget", &budget))
    return NULL;
  if (batch < 1 || batch > PORT_MAX_BATCH) return throw_range(env, "batchSize must be 1..1024");
  if (slot < 64 || slot > 65536) return throw_range(env, "maxPacketBytes must be 64..65536");
  if (budget < batch) budget = batch;
  memset(&ifr, 0, sizeof ifr);
  NAPI_OK(env, napi_get_named_property(env, argv[0], "name", &name_value));
  NAPI_OK(env, napi_typeof(env, name_value, &type));
  if (type == napi_string) {
    size_t len;
    NAPI_OK(env, napi_get_value_string_utf8(env, name_value, ifr.ifr_name, IFNAMSIZ, &len));
    if (len >= IFNAMSIZ - 1) return throw_range(env, "interface name longer than 15 bytes");
  } else if (type != napi_undefined) {
    return throw_type(env, "name must be a string");
  }
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;

  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return throw_errno(env, "open /dev/net/tun", errno);
  if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "ioctl TUNSETIFF", err);
  }
  handle = port_create(env, PORT_TUN, fd, tun_receive, NULL, slot, batch, budget);
  if (handle == NULL) return NULL;
  NAPI_OK(env, napi_create_string_utf8(env, ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ),
                                       &result_name));
  NAPI_OK(env, napi_set_named_property(env, handle, "name", result_name));
  return handle;
}

static bool write_one(port_t *p, const uint8_t *data, size_t len) {
  ssize_t r;
  do {
    r = write(p->fd, data, len);
    p->stats[STAT_TX_SYSCALLS]++;
  } while (r < 0 && errno == EINTR);
  if (r >= 0) {
    p->stats[STAT_TX_PACKETS]++;
    return true;
  }
  p->stats[(errno == EAGAIN || errno == ENOBUFS) ? STAT_TX_DROPPED : STAT_TX_ERRORS]++;
  p->stats[STAT_LAST_TX_ERRNO] = errno;
  return false;
}

/* tunWrite(handle, packet) -> true, or false when the kernel dropped it for lack of room. */
napi_value tun_write(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  uint8_t *data;
  size_t len;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  port_t *p = port_unwrap(env, argv[0], PORT_TUN);
  if (p == NULL || !get_bytes(env, argv[1], &data, &len)) return NULL;
  bool ok = write_one(p, data, len);
  if (!ok && errno != EAGAIN && errno != ENOBUFS) return throw_errno(env, "write", errno);
  NAPI_OK(env, napi_get_boolean(env, ok, &result));
  return result;
}

/* tunWriteBatch(handle, packets Uint8Array[], count) -> packets written; errors are counted. */
napi_value tun_write_batch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result;
  uint32_t count, npackets, written = 0;
  bool is_array = false;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  port_t *p = port_unwrap(env, argv[0], PORT_TUN);
  if (p == NULL || !get_u32(env, argv[2], &count)) return NULL;
  NAPI_OK(env, napi_is_array(env, argv[1], &is_array));
  if (!is_array) return throw_type(env, "expected an array of packets");
  NAPI_OK(env, napi_get_array_length(env, argv[1], &npackets));
  if (count > npackets) return throw_range(env, "count exceeds the packets given");
  for (uint32_t i = 0; i < count; i++) {
    napi_value pkt;
    uint8_t *data;
    size_t len;
    NAPI_OK(env, napi_get_element(env, argv[1], i, &pkt));
    if (!get_bytes(env, pkt, &data, &len)) return NULL;
    if (write_one(p, data, len)) written++;
  }
  NAPI_OK(env, napi_create_uint32(env, written, &result));
  return result;
}
