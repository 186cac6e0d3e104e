/* SPDX-License-Identifier: Apache-2.0 */
/*
 * listen.c - socket(), bind() and listen() for one literal address.
 */
#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BACKLOG 1024

/* Parses `host` into an IPv4 or IPv6 socket address. */
static bool parse_host(const char *host, int port, struct sockaddr_storage *addr,
                       socklen_t *addr_len, bool *ipv6)
{
    memset(addr, 0, sizeof *addr);
    struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
    const char *literal = strcmp(host, "localhost") == 0 ? "127.0.0.1" : host;
    if (inet_pton(AF_INET, literal, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *addr_len = sizeof *v4;
        *ipv6 = false;
        return true;
    }
    char bare[64];
    size_t len = strlen(literal);
    if (len >= 2 && literal[0] == '[' && literal[len - 1] == ']' && len - 2 < sizeof bare) {
        memcpy(bare, literal + 1, len - 2);
        bare[len - 2] = '\0';
        literal = bare;
    }
    if (inet_pton(AF_INET6, literal, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *addr_len = sizeof *v6;
        *ipv6 = true;
        return true;
    }
    return false;
}

/* Reads back the bound port and builds the base URL. */
static bool describe(emu_listener *out, const struct sockaddr_storage *requested)
{
    struct sockaddr_storage bound;
    socklen_t len = sizeof bound;
    if (getsockname(out->fd, (struct sockaddr *)&bound, &len) != 0)
        return false;
    char text[INET6_ADDRSTRLEN];
    if (out->ipv6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&bound;
        out->port = ntohs(v6->sin6_port);
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)requested)->sin6_addr, text,
                  sizeof text);
        snprintf(out->base_url, sizeof out->base_url, "http://[%s]:%d", text, out->port);
    } else {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)&bound;
        out->port = ntohs(v4->sin_port);
        inet_ntop(AF_INET, &((const struct sockaddr_in *)requested)->sin_addr, text, sizeof text);
        snprintf(out->base_url, sizeof out->base_url, "http://%s:%d", text, out->port);
    }
    return true;
}

bool emu_listen(const char *host, int port, emu_listener *out, char *err, size_t err_size)
{
    struct sockaddr_storage addr;
    socklen_t addr_len;
    memset(out, 0, sizeof *out);
    out->fd = -1;
    if (!parse_host(host, port, &addr, &addr_len, &out->ipv6)) {
        snprintf(err, err_size, "--host %s: not an IPv4 or IPv6 address", host);
        return false;
    }
    int fd = socket(out->ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0) {
        snprintf(err, err_size, "socket: %s", strerror(errno));
        return false;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (out->ipv6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&addr, addr_len) != 0 || listen(fd, BACKLOG) != 0) {
        snprintf(err, err_size, "cannot listen on %s port %d: %s", host, port, strerror(errno));
        close(fd);
        return false;
    }
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    out->fd = fd;
    if (!describe(out, &addr)) {
        snprintf(err, err_size, "getsockname: %s", strerror(errno));
        close(fd);
        out->fd = -1;
        return false;
    }
    return true;
}
