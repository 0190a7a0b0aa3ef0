// Zero-copy sends for large cached bodies (Linux): the body is copied once into a sealed memfd,
// and each hit goes out with sendfile(2), which hands the file's pages to TCP instead of copying
// the bytes into the socket buffer as write(2) does. nginx serves its cache files the same way.
// Built by scripts/build-zero-copy.sh; loaded by index.ts, which falls back to writes without it.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

// The files bodyFile made in one Node environment (the main thread or a worker thread) and not
// closed yet: a worker thread that dies, or ends without closing them, gets them closed with its
// environment instead of leaking their pages.
typedef struct {
  int *fds;
  size_t count;
  size_t capacity;
} open_files;

static int remember(open_files *files, int fd) {
  if (files->count == files->capacity) {
    size_t capacity = files->capacity == 0 ? 64 : files->capacity * 2;
    int *grown = realloc(files->fds, capacity * sizeof *grown);
    if (grown == NULL) return 0;
    files->fds = grown;
    files->capacity = capacity;
  }
  files->fds[files->count++] = fd;
  return 1;
}

static int forget(open_files *files, int fd) {
  for (size_t i = 0; i < files->count; i++) {
    if (files->fds[i] != fd) continue;
    files->fds[i] = files->fds[--files->count];
    return 1;
  }
  return 0;
}

static void close_all(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  open_files *files = data;
  for (size_t i = 0; i < files->count; i++) close(files->fds[i]);
  free(files->fds);
  free(files);
}

static open_files *files_of(napi_env env) {
  void *data = NULL;
  napi_get_instance_data(env, &data);
  return data;
}

static napi_value number(napi_env env, int64_t value) {
  napi_value result;
  napi_create_int64(env, value, &result);
  return result;
}

static int read_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != want) {
    napi_throw_type_error(env, NULL, "wrong number of arguments");
    return 0;
  }
  return 1;
}

// bodyFile(body: Buffer): a new sealed memfd holding the bytes of body, or -errno.
static napi_value body_file(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!read_args(env, info, 1, argv)) return NULL;
  void *data;
  size_t length;
  if (napi_get_buffer_info(env, argv[0], &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "body must be a Buffer");
    return NULL;
  }
  int fd = memfd_create("edgeplane-body", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return number(env, -errno);
  size_t written = 0;
  while (written < length) {
    ssize_t n = write(fd, (const char *)data + written, length - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = n < 0 ? errno : EIO;
      close(fd);
      return number(env, -error);
    }
    written += (size_t)n;
  }
  // Sealed: the pages TCP still holds after a send can never change under it.
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
    int error = errno;
    close(fd);
    return number(env, -error);
  }
  if (!remember(files_of(env), fd)) {
    close(fd);
    return number(env, -ENOMEM);
  }
  return number(env, fd);
}

// send(socketFd, head: Buffer, fileFd, length): writes head, then the file's first length bytes,
// without blocking, as far as the socket takes them. Returns the bytes sent (head first), or
// -errno when the socket failed before anything was sent.
static napi_value send_head_and_file(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!read_args(env, info, 4, argv)) return NULL;
  int32_t socket_fd, file_fd;
  int64_t length;
  void *head;
  size_t head_length;
  if (napi_get_value_int32(env, argv[0], &socket_fd) != napi_ok ||
      napi_get_buffer_info(env, argv[1], &head, &head_length) != napi_ok ||
      napi_get_value_int32(env, argv[2], &file_fd) != napi_ok ||
      napi_get_value_int64(env, argv[3], &length) != napi_ok || length < 0) {
    napi_throw_type_error(env, NULL, "send(socketFd, head, fileFd, length)");
    return NULL;
  }
  int64_t sent = 0;
  while ((size_t)sent < head_length) {
    // MSG_MORE: the head waits for the body's first pages instead of leaving as a packet alone.
    ssize_t n = send(socket_fd, (const char *)head + sent, head_length - (size_t)sent,
                     MSG_MORE | MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // A full buffer, or an error after part of the head: the caller writes the rest (and meets
      // the error there, on Node's own path).
      if (errno == EAGAIN || errno == EWOULDBLOCK || sent > 0) return number(env, sent);
      return number(env, -errno);
    }
    sent += n;
  }
  off_t offset = 0;
  while (offset < length) {
    // The socket is non-blocking (libuv's): sendfile stops with EAGAIN once its buffer is full.
    ssize_t n = sendfile(socket_fd, file_fd, &offset, (size_t)(length - offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
  }
  return number(env, sent + offset);
}

// close(fd): closes a file bodyFile made in this environment (-EBADF for any other descriptor).
// Pages a send handed to TCP stay valid until sent.
static napi_value close_file(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!read_args(env, info, 1, argv)) return NULL;
  int32_t fd;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    napi_throw_type_error(env, NULL, "close(fd)");
    return NULL;
  }
  if (!forget(files_of(env), fd)) return number(env, -EBADF);
  return number(env, close(fd) < 0 ? -errno : 0);
}

NAPI_MODULE_INIT() {
  open_files *files = calloc(1, sizeof *files);
  if (files == NULL || napi_set_instance_data(env, files, close_all, NULL) != napi_ok) {
    free(files);
    napi_throw_error(env, NULL, "edgeplane zero-copy: out of memory");
    return NULL;
  }
  napi_value fn;
  napi_create_function(env, "bodyFile", NAPI_AUTO_LENGTH, body_file, NULL, &fn);
  napi_set_named_property(env, exports, "bodyFile", fn);
  napi_create_function(env, "send", NAPI_AUTO_LENGTH, send_head_and_file, NULL, &fn);
  napi_set_named_property(env, exports, "send", fn);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, close_file, NULL, &fn);
  napi_set_named_property(env, exports, "close", fn);
  return exports;
}
