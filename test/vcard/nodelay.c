/* LD_PRELOAD shim for pcscd running the vpcd (vsmartcard) reader driver. Build:
     gcc -O2 -shared -fPIC -o nodelay.so nodelay.c -ldl
   1. TCP_NODELAY on sockets accepted by vpcd: vpcd writes the 2-byte length and the APDU with two
      send() calls; with Nagle + delayed ACK every APDU then costs ~40 ms on loopback.
   2. Loopback only: vpcd binds its card port (35963... or the port in our reader.conf) on
      INADDR_ANY; rewrite any IPv4/IPv6 wildcard bind to 127.0.0.1 / ::1 so the virtual card port
      is never reachable from the network. Set VPCD_BIND_ANY=1 to keep the wildcard. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
static void nodelay(int fd) {
  struct sockaddr_storage ss; socklen_t l = sizeof ss; int one = 1;
  if (fd >= 0 && getsockname(fd, (struct sockaddr *)&ss, &l) == 0 && (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}
int accept(int s, struct sockaddr *a, socklen_t *l) {
  static int (*real)(int, struct sockaddr *, socklen_t *); if (!real) real = dlsym(RTLD_NEXT, "accept");
  int fd = real(s, a, l); nodelay(fd); return fd;
}
int accept4(int s, struct sockaddr *a, socklen_t *l, int fl) {
  static int (*real)(int, struct sockaddr *, socklen_t *, int); if (!real) real = dlsym(RTLD_NEXT, "accept4");
  int fd = real(s, a, l, fl); nodelay(fd); return fd;
}
int bind(int s, const struct sockaddr *a, socklen_t l) {
  static int (*real)(int, const struct sockaddr *, socklen_t); if (!real) real = dlsym(RTLD_NEXT, "bind");
  const char *any = getenv("VPCD_BIND_ANY");
  if (a && !(any && *any == '1')) {
    if (a->sa_family == AF_INET && l >= (socklen_t)sizeof(struct sockaddr_in)) {
      struct sockaddr_in in; memcpy(&in, a, sizeof in);
      if (in.sin_addr.s_addr == htonl(INADDR_ANY)) { in.sin_addr.s_addr = htonl(INADDR_LOOPBACK); return real(s, (struct sockaddr *)&in, sizeof in); }
    } else if (a->sa_family == AF_INET6 && l >= (socklen_t)sizeof(struct sockaddr_in6)) {
      struct sockaddr_in6 in6; memcpy(&in6, a, sizeof in6);
      if (!memcmp(&in6.sin6_addr, &in6addr_any, sizeof in6addr_any)) { in6.sin6_addr = in6addr_loopback; return real(s, (struct sockaddr *)&in6, sizeof in6); }
    }
  }
  return real(s, a, l);
}
