/*
 * Raw GRE socket (IP protocol 47, RFC 2784 / RFC 2637 section 4.1): receive with recvmmsg,
 * send with sendto/sendmmsg. The kernel includes the IPv4 header on receive (skipped here
 * using its IHL) and builds it on send.
 */
#include "gre.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "port.h"
#include "util.h"

#define TX_CHUNK 256 /* messages per sendmmsg call (the kernel caps a call at 1024) */

typedef struct {
  struct mmsghdr rx[PORT_MAX_BATCH];
  struct iovec rx_iov[PORT_MAX_BATCH];
  struct sockaddr_in rx_from[PORT_MAX_BATCH];
  struct mmsghdr tx[TX_CHUNK];
  struct iovec tx_iov[TX_CHUNK];
  struct sockaddr_in tx_to[TX_CHUNK];
} gre_state;

static int gre_receive(port_t *p) {
  gre_state *g = p->state;
  for (uint32_t i = 0; i < p->batch_max; i++) {
    g->rx[i].msg_hdr.msg_namelen = sizeof g->rx_from[i];
    g->rx[i].msg_hdr.msg_flags = 0;
  }
  int n;
  do {
    n = recvmmsg(p->fd, g->rx, p->batch_max, MSG_DONTWAIT, NULL);
    p->stats[STAT_RX_SYSCALLS]++;
  } while (n < 0 && errno == EINTR);
  p->count = 0;
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    p->stats[STAT_RX_ERRORS]++;
    return -1;
  }
  for (int i = 0; i < n; i++) {
    uint32_t slot = (uint32_t)i * p->slot_bytes;
    const uint8_t *ip = p->buffer + slot;
    uint32_t len = g->rx[i].msg_len;
    if (g->rx[i].msg_hdr.msg_flags & MSG_TRUNC) {
      p->stats[STAT_RX_TRUNCATED]++;
      continue;
    }
    uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4; /* RFC 791 section 3.1: IHL in 32-bit words */
    if (len < 20 || (ip[0] >> 4) != 4 || ihl < 20 || ihl > len) {
      p->stats[STAT_RX_ERRORS]++;
      continue;
    }
    p->offsets[p->count] = (int32_t)(slot + ihl);
    p->lengths[p->count] = (int32_t)(len - ihl);
    p->sources[p->count] = ntohl(g->rx_from[i].sin_addr.s_addr);
    p->count++;
  }
  p->stats[STAT_RX_PACKETS] += p->count;
  return n;
}

static bool set_buffer(int fd, int force_opt, int opt, uint32_t bytes) {
  int v = bytes > 0x3fffffff ? 0x3fffffff : (int)bytes;
  /* The FORCE variants pass net.core.[rw]mem_max (CAP_NET_ADMIN); else the capped one. */
  if (setsockopt(fd, SOL_SOCKET, force_opt, &v, sizeof v) == 0) return true;
  return setsockopt(fd, SOL_SOCKET, opt, &v, sizeof v) == 0;
}

static napi_value set_int_prop(napi_env env, napi_value obj, const char *name, int value) {
  napi_value v;
  NAPI_OK(env, napi_create_int32(env, value, &v));
  NAPI_OK(env, napi_set_named_property(env, obj, name, v));
  return obj;
}

/*
 * greOpen({ bindAddress?, recvBufferBytes, sendBufferBytes, batchSize, maxPacketBytes, budget })
 * -> handle. bindAddress is an IPv4 address as a host-order u32.
 */
napi_value gre_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], bind_value;
  napi_valuetype type;
  uint32_t rcvbuf = 4u << 20, sndbuf = 4u << 20, batch = 64, slot = 4096, budget = 256,
           bind_addr = 0;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_object)
    return throw_type(env, "greOpen expects an options object");
  if (!get_opt_u32(env, argv[0], "recvBufferBytes", &rcvbuf) ||
      !get_opt_u32(env, argv[0], "sendBufferBytes", &sndbuf) ||
      !get_opt_u32(env, argv[0], "batchSize", &batch) ||
      !get_opt_u32(env, argv[0], "maxPacketBytes", &slot) ||
      !get_opt_u32(env, argv[0], "budget", &budget))
    return NULL;
  NAPI_OK(env, napi_get_named_property(env, argv[0], "bindAddress", &bind_value));
  NAPI_OK(env, napi_typeof(env, bind_value, &type));
  bool do_bind = type != napi_undefined;
  if (do_bind && !get_u32(env, bind_value, &bind_addr)) return NULL;
  if (batch < 1 || batch > PORT_MAX_BATCH) return throw_range(env, "batchSize must be 1..1024");
  if (slot < 64 || slot > 65536) return throw_range(env, "maxPacketBytes must be 64..65536");
  if (budget < batch) budget = batch;

  int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_GRE);
  if (fd < 0) return throw_errno(env, "socket", errno);
  if (!set_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, rcvbuf) ||
      !set_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, sndbuf)) {
    int err = errno;
    close(fd);
    return throw_errno(env, "setsockopt", err);
  }
  if (do_bind) {
    struct sockaddr_in local = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(bind_addr)};
    if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0) {
      int err = errno;
      close(fd);
      return throw_errno(env, "bind", err);
    }
  }
  int actual_rcv = 0, actual_snd = 0;
  socklen_t optlen = sizeof actual_rcv;
  getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &actual_rcv, &optlen);
  optlen = sizeof actual_snd;
  getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &actual_snd, &optlen);

  gre_state *g = calloc(1, sizeof *g);
  if (g == NULL) {
    close(fd);
    return throw_errno(env, "calloc", ENOMEM);
  }
  napi_value handle = port_create(env, PORT_GRE, fd, gre_receive, g, slot, batch, budget);
  if (handle == NULL) return NULL;
  port_t *p = port_unwrap(env, handle, PORT_GRE);
  if (p == NULL) return NULL;
  for (uint32_t i = 0; i < batch; i++) {
    g->rx_iov[i].iov_base = p->buffer + (size_t)i * slot;
    g->rx_iov[i].iov_len = slot;
    g->rx[i].msg_hdr.msg_iov = &g->rx_iov[i];
    g->rx[i].msg_hdr.msg_iovlen = 1;
    g->rx[i].msg_hdr.msg_name = &g->rx_from[i];
  }
  for (uint32_t i = 0; i < TX_CHUNK; i++) {
    g->tx[i].msg_hdr.msg_iov = &g->tx_iov[i];
    g->tx[i].msg_hdr.msg_iovlen = 1;
    g->tx[i].msg_hdr.msg_name = &g->tx_to[i];
    g->tx[i].msg_hdr.msg_namelen = sizeof g->tx_to[i];
  }
  if (set_int_prop(env, handle, "recvBufferBytes", actual_rcv) == NULL ||
      set_int_prop(env, handle, "sendBufferBytes", actual_snd) == NULL)
    return NULL;
  return handle;
}

static bool queue_full(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS; }

/* greSend(handle, destination u32, packet) -> true, or false when the send queue was full. */
napi_value gre_send(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result;
  uint32_t dst;
  uint8_t *data;
  size_t len;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  port_t *p = port_unwrap(env, argv[0], PORT_GRE);
  if (p == NULL || !get_u32(env, argv[1], &dst) || !get_bytes(env, argv[2], &data, &len)) return NULL;
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(dst)};
  ssize_t r;
  do {
    r = sendto(p->fd, data, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof to);
    p->stats[STAT_TX_SYSCALLS]++;
  } while (r < 0 && errno == EINTR);
  bool sent = r >= 0;
  if (sent) {
    p->stats[STAT_TX_PACKETS]++;
  } else if (queue_full(errno)) {
    p->stats[STAT_TX_DROPPED]++;
  } else {
    p->stats[STAT_TX_ERRORS]++;
    p->stats[STAT_LAST_TX_ERRNO] = errno;
    return throw_errno(env, "sendto", errno);
  }
  NAPI_OK(env, napi_get_boolean(env, sent, &result));
  return result;
}

/*
 * greSendBatch(handle, destinations Uint32Array, packets Uint8Array[], count) -> packets sent.
 * A full socket queue drops the rest of the batch; other per-packet errors skip that packet.
 * Both are counted in the stats rather than thrown.
 */
napi_value gre_send_batch(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], result;
  uint32_t *dsts, count;
  size_t ndst;
  bool is_array = false;
  NAPI_OK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  port_t *p = port_unwrap(env, argv[0], PORT_GRE);
  if (p == NULL || !get_u32_array(env, argv[1], &dsts, &ndst) || !get_u32(env, argv[3], &count))
    return NULL;
  NAPI_OK(env, napi_is_array(env, argv[2], &is_array));
  if (!is_array) return throw_type(env, "expected an array of packets");
  uint32_t npackets;
  NAPI_OK(env, napi_get_array_length(env, argv[2], &npackets));
  if (count > ndst || count > npackets)
    return throw_range(env, "count exceeds the destinations or packets given");
  gre_state *g = p->state;
  uint32_t sent = 0;
  for (uint32_t base = 0; base < count; base += TX_CHUNK) {
    uint32_t chunk = count - base < TX_CHUNK ? count - base : TX_CHUNK;
    for (uint32_t i = 0; i < chunk; i++) {
      napi_value pkt;
      uint8_t *data;
      size_t len;
      NAPI_OK(env, napi_get_element(env, argv[2], base + i, &pkt));
      if (!get_bytes(env, pkt, &data, &len)) return NULL;
      g->tx_iov[i].iov_base = data;
      g->tx_iov[i].iov_len = len;
      g->tx_to[i].sin_family = AF_INET;
      g->tx_to[i].sin_port = 0;
      g->tx_to[i].sin_addr.s_addr = htonl(dsts[base + i]);
    }
    uint32_t done = 0;
    while (done < chunk) {
      int r = sendmmsg(p->fd, g->tx + done, chunk - done, MSG_DONTWAIT);
      p->stats[STAT_TX_SYSCALLS]++;
      if (r > 0) {
        done += (uint32_t)r;
        sent += (uint32_t)r;
        p->stats[STAT_TX_PACKETS] += r;
      } else if (errno == EINTR) {
        continue;
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        p->stats[STAT_TX_DROPPED] += count - base - done;
        goto out;
      } else {
        p->stats[queue_full(errno) ? STAT_TX_DROPPED : STAT_TX_ERRORS]++;
        p->stats[STAT_LAST_TX_ERRNO] = errno;
        done++; /* the failed message is the first one not sent */
      }
    }
  }
out:
  NAPI_OK(env, napi_create_uint32(env, sent, &result));
  return result;
}
